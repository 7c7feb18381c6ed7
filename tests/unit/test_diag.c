/*
 * Unit tests of core/diag.c: problems sorted by line (then as added),
 * "FILE:LINE: " or "FILE: " before each, one problem found twice on a
 * line told once, past DIAG_MAX only counted, nothing at all is NULL; a
 * control character in a message (a file's own bytes, quoted back) shown
 * escaped, so that each problem stays one line and no byte of the file
 * reaches the terminal raw.
 */
#include "testutil.h"

#include "diag.h"

static void
test_report(void **state)
{
	struct diag	 d;
	char		*s;
	int		 i;

	(void)state;
	diag_init(&d, "m.conf");
	assert_null(diag_finish(&d));

	diag_init(&d, "m.conf");
	diag_add(&d, 7, "second %s", "problem");
	diag_add(&d, 0, "no line");
	diag_add(&d, 3, "first");
	diag_add(&d, 7, "second problem");	/* the same, found again */
	diag_add(&d, 7, "third");
	diag_take(&d, 9, strdup("taken"));
	s = diag_finish(&d);
	assert_string_equal(s, "m.conf: no line\n"
	    "m.conf:3: first\n"
	    "m.conf:7: second problem\n"
	    "m.conf:7: third\n"
	    "m.conf:9: taken");
	free(s);

	diag_init(&d, NULL);
	for (i = 1; i <= DIAG_MAX + 5; i++)
		diag_add(&d, i, "p%d", i);
	s = diag_finish(&d);
	assert_non_null(strstr(s, "profile:1: p1\n"));
	assert_non_null(strstr(s, "profile:50: p50\n"));
	assert_null(strstr(s, "p51"));
	assert_non_null(strstr(s, "profile: and 5 more problems"));
	free(s);

	/* a message that could not be made: said, not lost */
	diag_init(&d, "x");
	diag_take(&d, 1, NULL);
	s = diag_finish(&d);
	assert_string_equal(s, "x: out of memory");
	free(s);
}

/* A core function's cause: formatted, and -1 to return. */
static void
test_cause(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(diag_cause(&cause, "disk \"%s\" is %s", "a", "raw"),
	    -1);
	assert_string_equal(cause, "disk \"a\" is raw");
	free(cause);
}

static void
test_escaped(void **state)
{
	struct diag	 d;
	char		*s;

	(void)state;
	diag_init(&d, "f.conf");
	/* as libconfuse quotes a token that spans lines */
	diag_add(&d, 9, "no sub-section title/index for '%s'", "\n  append ");
	diag_add(&d, 10, "a\tb\r\033]0;x\007 \177 \303\251");
	/* C1 (CSI), a bidi override, bytes that are not UTF-8 */
	diag_add(&d, 11, "\302\2332J \342\200\256x \377");
	s = diag_finish(&d);
	assert_string_equal(s,
	    "f.conf:9: no sub-section title/index for '\\n  append '\n"
	    "f.conf:10: a\\tb\\r\\x1b]0;x\\x07 \\x7f \303\251\n"
	    "f.conf:11: \\xc2\\x9b2J \\xe2\\x80\\xaex \\xff");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_cause),
		cmocka_unit_test(test_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
