/*
 * Unit tests of core/lock.c: one editor per profile (another process is
 * refused, and told who holds it), the lock goes with its holder, and a
 * stamp notices a file replaced or changed.
 */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "io.h"
#include "lock.h"

static void
test_one_editor(void **state)
{
	struct lock	 a, b;
	const char	*path;
	char		 file[600], *cause = NULL;
	pid_t		 pid;
	int		 st;

	(void)state;
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	path = test_write_str("p.conf", "memory = 512\n");
	snprintf(file, sizeof file, "%s", path);
	assert_int_equal(lock_edit(file, &a, &cause), 0);
	/* another process is told, with the holder's pid */
	if ((pid = fork()) == 0) {
		char	 want[64];
		int	 r = lock_edit(file, &b, &cause);

		snprintf(want, sizeof want, "(pid %ld since", (long)getppid());
		_exit(r == -1 && cause != NULL && strstr(cause, want) != NULL &&
		    strstr(cause, "is being edited by another vmtui") != NULL ?
		    0 : 1);
	}
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	lock_release(&a);
	/* released: the next one gets it */
	if ((pid = fork()) == 0)
		_exit(lock_edit(file, &b, &cause) == 0 ? 0 : 1);
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_stamp(void **state)
{
	struct lock_stamp	 a, b;
	const char		*path;
	char			 file[600];

	(void)state;
	path = test_write_str("s.conf", "memory = 512\n");
	snprintf(file, sizeof file, "%s", path);
	lock_stamp(file, &a);
	lock_stamp(file, &b);
	assert_true(lock_stamp_same(&a, &b));
	test_write_str("s.conf", "memory = 1024\n");	/* size changes */
	lock_stamp(file, &b);
	assert_false(lock_stamp_same(&a, &b));
	unlink(file);
	lock_stamp(file, &b);
	assert_false(b.exists);
	assert_false(lock_stamp_same(&a, &b));
}

/*
 * A save's lock: the next save waits for it up to its deadline, and then
 * is refused naming the holder; --set asks whether an editor has the
 * profile (lock_edited) without stopping it. The locks are in the private
 * runtime folder.
 */
static void
test_save_lock(void **state)
{
	struct lock	 a, b;
	struct stat	 st;
	char		 file[600], dir[600], want[64], *cause = NULL, c;
	int		 p[2], r;
	long		 t0;
	pid_t		 pid;

	(void)state;
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	snprintf(file, sizeof file, "%s", test_write_str("q.conf", "x\n"));
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		r = lock_save(file, &a, 0, &cause);
		(void)write(p[1], "x", 1);
		usleep(600 * 1000);
		lock_release(&a);
		_exit(r);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	/* a short deadline: refused, naming the holder */
	t0 = io_now_ms();
	assert_int_equal(lock_save(file, &b, 100, &cause), -1);
	assert_true(io_now_ms() - t0 >= 100);
	snprintf(want, sizeof want, "(pid %ld since", (long)pid);
	assert_non_null(strstr(cause, want));
	assert_non_null(strstr(cause, "nothing was changed"));
	free(cause);
	cause = NULL;
	/* a long one: it waits, and gets it when the holder lets go */
	assert_int_equal(lock_save(file, &b, 5000, &cause), 0);
	lock_release(&b);
	waitpid(pid, &r, 0);
	assert_int_equal(WEXITSTATUS(r), 0);
	close(p[0]);
	close(p[1]);
	/* where the locks are: locks/ of the runtime folder, 0700 */
	snprintf(dir, sizeof dir, "%s/vmtui/locks", test_dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

static void
test_edited(void **state)
{
	struct lock	 a;
	char		 file[600], want[64], *cause = NULL, c;
	int		 p[2], r;
	pid_t		 pid;

	(void)state;
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	snprintf(file, sizeof file, "%s", test_write_str("e.conf", "x\n"));
	assert_int_equal(lock_edited(file, &cause), 0);
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		r = lock_edit(file, &a, &cause);
		(void)write(p[1], "x", 1);
		sleep(30);
		_exit(r);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(lock_edited(file, &cause), -1);
	snprintf(want, sizeof want, "e is being edited by another vmtui (pid "
	    "%ld since", (long)pid);
	assert_non_null(strstr(cause, want));
	free(cause);
	cause = NULL;
	/* looking did not take it from the editor */
	assert_int_equal(lock_edited(file, &cause), -1);
	free(cause);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	assert_int_equal(lock_edited(file, &cause), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_editor),
		cmocka_unit_test(test_stamp),
		cmocka_unit_test(test_save_lock),
		cmocka_unit_test(test_edited),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
