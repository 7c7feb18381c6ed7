/*
 * Unit tests of core/runtime.c: running means a locked pidfile (a pid that
 * merely exists does not count), and stale files are removed only when
 * nothing runs.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "runtime.h"

static int
setup(void **state)
{
	char	path[600];

	if (test_setup_dir(state) != 0)
		return -1;
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	snprintf(path, sizeof path, "%s/vmtui", test_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/vmtui/vm", test_dir);
	mkdir(path, 0700);
	return 0;
}

static void
test_lock(void **state)
{
	struct flock	 fl;
	char		*pidfile, *sock;
	pid_t		 pid;
	int		 fd;

	(void)state;
	pidfile = runtime_file("vm", "qemu.pid");
	sock = runtime_file("vm", "qmp.sock");
	assert_int_equal(runtime_running("vm", &pid), 0);

	/* a pidfile naming a live pid, without the lock: not running */
	fd = open(pidfile, O_RDWR | O_CREAT, 0600);
	dprintf(fd, "%ld\n", (long)getpid());
	close(fd);
	assert_int_equal(runtime_running("vm", &pid), 0);

	/* locked as QEMU locks it: running, with its pid */
	fd = open(pidfile, O_RDWR);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	assert_int_equal(runtime_running("vm", &pid), 1);
	assert_int_equal(pid, getpid());
	test_write_str("vmtui/vm/qmp.sock", "");
	runtime_clean_stale("vm");	/* it runs: nothing removed */
	assert_int_equal(access(pidfile, F_OK), 0);
	assert_int_equal(access(sock, F_OK), 0);

	close(fd);			/* QEMU is gone */
	assert_int_equal(runtime_running("vm", &pid), 0);
	runtime_clean_stale("vm");
	assert_int_equal(access(pidfile, F_OK), -1);
	assert_int_equal(access(sock, F_OK), -1);
	free(pidfile);
	free(sock);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
