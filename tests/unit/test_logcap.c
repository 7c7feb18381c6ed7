/*
 * Unit tests of core/logcap.c: a new boot moves the last boot's log to
 * console.log.1; a log past the cap is cut, its bytes kept in
 * console.log.1 at the same offsets and a writer that has it O_APPEND
 * (QEMU) going on at its start; a log under the cap, a missing one, and a
 * symlink are left alone; the watcher cuts while the machine runs and
 * ends with it.
 */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "logcap.h"

static char	log_path[300], old_path[310];

static int
setup(void **state)
{
	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(log_path, sizeof log_path, "%s/console.log", test_dir);
	snprintf(old_path, sizeof old_path, "%s/console.log.1", test_dir);
	return 0;
}

static off_t
size_of(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

static void
put(int fd, char ch, size_t n)
{
	char	buf[4096];
	size_t	k;

	memset(buf, ch, sizeof buf);
	for (; n > 0; n -= k) {
		k = n < sizeof buf ? n : sizeof buf;
		assert_int_equal(write(fd, buf, k), (ssize_t)k);
	}
}

static void
test_new_boot(void **state)
{
	char	*cause = NULL;
	int	 fd;

	(void)state;
	assert_int_equal(logcap_new_boot(log_path, &cause), 0);	/* none */
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	put(fd, 'a', 100);
	close(fd);
	assert_int_equal(logcap_new_boot(log_path, &cause), 0);
	assert_int_equal(size_of(log_path), -1);
	assert_int_equal(size_of(old_path), 100);
	/* the boot before goes */
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	put(fd, 'b', 30);
	close(fd);
	assert_int_equal(logcap_new_boot(log_path, &cause), 0);
	assert_int_equal(size_of(old_path), 30);
}

static void
test_trim(void **state)
{
	char	*cause = NULL, buf[8];
	int	 fd, old;

	(void)state;
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	put(fd, 'a', 1000);
	assert_int_equal(logcap_trim(log_path, 1000, &cause), 0);
	assert_int_equal(size_of(log_path), 1000);
	put(fd, 'b', 500);
	assert_int_equal(logcap_trim(log_path, 1000, &cause), 1);
	assert_null(cause);
	assert_int_equal(size_of(log_path), 0);
	assert_int_equal(size_of(old_path), 1500);
	old = open(old_path, O_RDONLY);
	assert_int_equal(pread(old, buf, 2, 999), 2);
	assert_memory_equal(buf, "ab", 2);
	close(old);
	/* QEMU's O_APPEND fd goes on at the start */
	put(fd, 'c', 10);
	assert_int_equal(size_of(log_path), 10);
	close(fd);
	/* none, and a symlink, left alone */
	unlink(log_path);
	assert_int_equal(logcap_trim(log_path, 1, &cause), 0);
	assert_int_equal(symlink(old_path, log_path), 0);
	assert_int_equal(logcap_trim(log_path, 1, &cause), -1);
	free(cause);
	assert_int_equal(size_of(old_path), 1500);
}

static void
test_watch(void **state)
{
	char		*cause = NULL;
	siginfo_t	 info;
	pid_t		 machine;
	int		 fd, i, status;

	(void)state;
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if ((machine = fork()) == 0) {
		pause();
		_exit(0);
	}
	assert_int_equal(logcap_watch(log_path, 4096, machine, &cause), 0);
	/* nobody else looks: the watcher cuts */
	for (i = 0; i < 20; i++) {
		put(fd, 'x', 1000);
		usleep(50000);
		assert_true(size_of(log_path) <= 4096 + 20 * 1000);
	}
	usleep(4 * LOGCAP_EVERY_MS * 1000);
	assert_true(size_of(log_path) <= 4096);
	assert_true(size_of(old_path) > 4096);
	/*
	 * the machine ends: so does the watcher (the log grows again), even
	 * while the machine is not reaped yet (a zombie answers kill 0, as
	 * a pid used again would)
	 */
	kill(machine, SIGKILL);
	assert_int_equal(waitid(P_PID, (id_t)machine, &info, WEXITED |
	    WNOWAIT), 0);
	usleep(4 * LOGCAP_EVERY_MS * 1000);
	put(fd, 'y', 10000);
	usleep(4 * LOGCAP_EVERY_MS * 1000);
	assert_true(size_of(log_path) >= 10000);
	waitpid(machine, &status, 0);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_boot, setup,
		    test_remove_dir),
		cmocka_unit_test_setup_teardown(test_trim, setup,
		    test_remove_dir),
		cmocka_unit_test_setup_teardown(test_watch, setup,
		    test_remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
