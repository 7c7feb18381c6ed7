/*
 * Unit tests of core/numv.c: adding, membership, equality, freeing.
 */
#include "testutil.h"

#include "numv.h"

static void
test_numv(void **state)
{
	struct numv	a = { NULL, 0 }, b = { NULL, 0 };

	(void)state;
	assert_int_equal(numv_equal(&a, &b), 1);
	assert_int_equal(numv_has(&a, 1), 0);
	assert_int_equal(numv_add(&a, 2), 0);
	assert_int_equal(numv_add(&a, 1), 0);
	assert_int_equal(a.n, 2);
	assert_int_equal(numv_has(&a, 1), 1);
	assert_int_equal(numv_has(&a, 3), 0);
	assert_int_equal(numv_equal(&a, &b), 0);
	assert_int_equal(numv_add(&b, 1), 0);
	assert_int_equal(numv_add(&b, 2), 0);
	assert_int_equal(numv_equal(&a, &b), 0);	/* the order counts */
	numv_free(&b);
	assert_int_equal(numv_add(&b, 2), 0);
	assert_int_equal(numv_add(&b, 1), 0);
	assert_int_equal(numv_equal(&a, &b), 1);
	numv_free(&a);
	numv_free(&b);
	assert_null(a.v);
	assert_int_equal(a.n, 0);
	numv_free(&a);		/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
