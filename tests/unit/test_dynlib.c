/*
 * Unit tests of core/dynlib.c: a library and its symbols found; a missing
 * library or symbol said with the package to install.
 */
#include "testutil.h"

#include "dynlib.h"

#define GOOD(X)	X(strlen)
#define BAD(X)	X(strlen) X(vmtui_no_such_symbol)
int	vmtui_no_such_symbol(void);	/* declared, never defined */

DYNLIB_TABLE(good, good_names, GOOD);
DYNLIB_TABLE(bad, bad_names, BAD);

static void
test_load(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(dynlib_load("libc.so.6", "libc6", good_names, 1,
	    &good, &cause), 0);
	assert_null(cause);
	assert_non_null(good.strlen);
	assert_int_equal(good.strlen("four"), 4);

	assert_int_equal(dynlib_load("libvmtui-nonesuch.so.9", "nonesuch9",
	    good_names, 1, &good, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "libvmtui-nonesuch.so.9 (install the "
	    "nonesuch9 package)"));
	free(cause);

	assert_int_equal(dynlib_load("libc.so.6", "libc6", bad_names, 2, &bad,
	    &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "libc.so.6 has no vmtui_no_such_symbol"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
