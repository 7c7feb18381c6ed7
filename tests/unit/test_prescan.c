/*
 * Unit tests of core/prescan.c: what it refuses, what it lets through, and
 * the lines it notes for sections.
 */
#include "testutil.h"

#include "prescan.h"

static char *
run(const char *text, size_t len, struct prescan *ps)
{
	struct diag	 d;
	char		*copy = malloc(len + 1);	/* blanked in place */

	assert_non_null(copy);
	memcpy(copy, text, len);
	diag_init(&d, "f");
	prescan_run(copy, len, &d, ps);
	free(copy);
	return diag_finish(&d);
}

static void
expect(const char *text, const char *want)
{
	struct prescan	 ps;
	char		*got = run(text, strlen(text), &ps);

	prescan_free(&ps);
	if (want == NULL) {
		if (got != NULL)
			fail_msg("refused \"%s\": %s", text, got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_section_lines(void **state)
{
	static const char text[] =
	    "# disk \"x\" { in a comment }\n"		/* 1 */
	    "description = \"forward { in a string\"\n"
	    "disk \"a\" {\n"				/* 3 */
	    "  size = 1\n"
	    "}\n"
	    "forward\n"					/* 6 */
	    "{\n"					/* 7 */
	    "  host-port = 1\n"
	    "}\n"
	    "/* share \"s\" { */ share 's' { source = '{' }\n"	/* 10 */
	    "disk b { size = 1 }\n"			/* 11 */
	    "boot { consoles = {\"a\"} }\n";		/* 12 */
	struct prescan	 ps;
	char		*got;

	(void)state;
	got = run(text, sizeof text - 1, &ps);
	assert_null(got);
	assert_int_equal(prescan_line(&ps, "disk", 0), 3);
	assert_int_equal(prescan_line(&ps, "disk", 1), 11);
	assert_int_equal(prescan_line(&ps, "forward", 0), 7);
	assert_int_equal(prescan_line(&ps, "share", 0), 10);
	assert_int_equal(prescan_line(&ps, "boot", 0), 12);
	assert_int_equal(prescan_line(&ps, "qemu", 0), 0);
	prescan_free(&ps);
}

static void
test_refusals(void **state)
{
	struct prescan	 ps;
	char		*got, *big;

	(void)state;
	expect("a = \"x\"\n", NULL);
	expect("a = \"${X}\"\n", "f:1: \"${\" would be replaced from the "
	    "environment; write the value out, or write \\${ for a literal "
	    "\"${\"");
	expect("a = '${X}'\n", NULL);
	expect("a = \"\\${X}\"\n", NULL);
	expect("# ${X}\n", NULL);
	expect("x {\n y {\n", "f:1: the section opened here is never closed "
	    "with '}'");
	/* a comment left open would hide the rest of the file */
	expect("a = 1\n/* open\nb = 2\n", "f:2: this comment is never closed "
	    "with */: everything after it would be left out");
	expect("/* a\n b */ c = 1 /**/\n", NULL);
	expect("\xed\xa0\x80\n", "f:1: invalid UTF-8; save the file as UTF-8 "
	    "text");	/* a surrogate */
	expect("\xc0\xaf\n", "f:1: invalid UTF-8; save the file as UTF-8 text");
	expect("ok \xf0\x9f\x98\x80\n", NULL);
	expect("cut \xe6\xbc", "f:1: invalid UTF-8; save the file as UTF-8 "
	    "text");
	big = malloc(PRESCAN_MAX_BYTES + 2);
	memset(big, '#', PRESCAN_MAX_BYTES + 1);
	got = run(big, PRESCAN_MAX_BYTES + 1, &ps);
	assert_string_equal(got, "f: the file is larger than 1024 KiB; a "
	    "profile is a short text file");
	free(got);
	free(big);
	prescan_free(&ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_section_lines),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
