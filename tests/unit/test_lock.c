/*
 * Unit tests of core/lock.c: one editor per profile (another process is
 * refused, and told who holds it), the lock goes with its holder, and a
 * stamp notices a file replaced or changed.
 */
#include "testutil.h"

#include <sys/wait.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_editor),
		cmocka_unit_test(test_stamp),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
