/*
 * Unit tests of core/strv.c: the vector stays NULL-terminated (for
 * execv), copies are deep, equality is element by element, join.
 */
#include "testutil.h"

#include "strv.h"

static void
test_strv(void **state)
{
	struct strv	 a = { NULL, 0 }, b = { NULL, 0 };
	char		*s, word[] = "two";

	(void)state;
	assert_int_equal(strv_add(&a, "one"), 0);
	assert_int_equal(strv_add(&a, word), 0);
	assert_int_equal(strv_addf(&a, "%d-%s", 3, "three"), 0);
	word[0] = 'X';		/* a copy was taken */
	assert_int_equal(a.n, 3);
	assert_string_equal(a.v[1], "two");
	assert_string_equal(a.v[2], "3-three");
	assert_null(a.v[3]);	/* terminated, for execv() */

	assert_int_equal(strv_equal(&a, &b), 0);
	assert_int_equal(strv_copy(&b, &a), 0);
	assert_int_equal(strv_equal(&a, &b), 1);
	assert_ptr_not_equal(a.v[0], b.v[0]);
	free(b.v[2]);
	b.v[2] = strdup("3-tree");
	assert_int_equal(strv_equal(&a, &b), 0);

	s = strv_join(&a, ", ");
	assert_string_equal(s, "one, two, 3-three");
	free(s);
	strv_free(&b);
	assert_int_equal(b.n, 0);
	s = strv_join(&b, ", ");
	assert_string_equal(s, "");
	free(s);
	strv_free(&a);
	strv_free(&a);		/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
