/*
 * Unit tests of core/spawn.c: a helper's output kept (stderr only when
 * asked), its exit status, a program that is not there, a signal.
 */
#include "testutil.h"

#include "spawn.h"

static void
test_spawn(void **state)
{
	char	*argv[] = { (char *)"sh", (char *)"-c",
		    (char *)"echo out; echo err >&2; exit 3", NULL };
	char	*missing[] = { (char *)"vmtui-no-such-program", NULL };
	char	*killed[] = { (char *)"sh", (char *)"-c",
		    (char *)"kill -TERM $$", NULL };
	char	*reads[] = { (char *)"cat", NULL };
	char	*out;
	int	 st;

	(void)state;
	assert_int_equal(spawn_output(argv, 0, &out, &st), 0);
	assert_string_equal(out, "out\n");
	assert_int_equal(st, 3);
	free(out);
	assert_int_equal(spawn_output(argv, 1, &out, &st), 0);
	assert_non_null(strstr(out, "out\n"));
	assert_non_null(strstr(out, "err\n"));
	free(out);
	assert_int_equal(spawn_output(missing, 1, &out, &st), 0);
	assert_int_equal(st, 127);
	free(out);
	assert_int_equal(spawn_output(killed, 0, &out, &st), 0);
	assert_int_equal(st, 128 + 15);
	free(out);
	/* stdin is /dev/null: a helper that reads ends at once */
	assert_int_equal(spawn_output(reads, 0, &out, &st), 0);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
