/* Unit tests of core/theme.c: the shipped themes load; broken ones say why. */
#include "testutil.h"

#include "theme.h"

static void
test_shipped(void **state)
{
	static const char *const names[] = { "default", "light", "mono",
	    "high-contrast" };
	struct theme	 t;
	char		*path, *cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		path = theme_path(TOP_SRCDIR "/themes", names[i]);
		if (theme_load(path, &t, &cause) != 0)
			fail_msg("%s: %s", names[i], cause);
		assert_string_equal(t.name, names[i]);
		free(path);
	}
	theme_load(TOP_SRCDIR "/themes/default.theme", &t, &cause);
	assert_int_equal(t.style[THEME_LIST_SELECTED].fg, 0);	/* black */
	assert_int_equal(t.style[THEME_LIST_SELECTED].bg, 6);	/* cyan */
	assert_int_equal(t.style[THEME_TITLE].attrs, THEME_BOLD);
	assert_int_equal(t.style[THEME_NORMAL].fg, -1);	/* left out */
}

static void
test_broken(void **state)
{
	struct theme	 t;
	const char	*path;
	char		*cause = NULL, want[600];

	(void)state;
	path = test_write_str("bad.theme",
	    "role \"title\" { fg = \"purple\" }\n"
	    "role \"nonesuch\" { fg = \"red\" }\n"
	    "role \"field\" { attrs = {\"blink\"} }\n");
	assert_int_equal(theme_load(path, &t, &cause), -1);
	snprintf(want, sizeof want,
	    "%s:1: role \"title\": colours are default, black, red, green, "
	    "yellow, blue, magenta, cyan or white\n"
	    "%s:2: unknown role \"nonesuch\"\n"
	    "%s:3: role \"field\": unknown attribute \"blink\" (bold, "
	    "underline, reverse or dim)", path, path, path);
	assert_string_equal(cause, want);
	free(cause);
	/* a broken theme leaves the built-in default */
	assert_string_equal(t.name, "built-in");
	/* lines after comments are exact (libconfuse counts them twice) */
	path = test_write_str("c.theme", "# a theme\n// of mine\n"
	    "role \"title\" { fg = \"purple\" }\n");
	assert_int_equal(theme_load(path, &t, &cause), -1);
	snprintf(want, sizeof want, "%s:3: role \"title\": colours are "
	    "default, black, red, green, yellow, blue, magenta, cyan or white",
	    path);
	assert_string_equal(cause, want);
	free(cause);
	/* a comment never closed would drop the rest: refused at its line */
	path = test_write_str("open.theme", "role \"title\" { fg = \"red\" }\n"
	    "/* the rest\nrole \"field\" { fg = \"blue\" }\n");
	assert_int_equal(theme_load(path, &t, &cause), -1);
	snprintf(want, sizeof want, "%s:2: this comment is never closed with "
	    "*/: everything after it would be left out", path);
	assert_string_equal(cause, want);
	free(cause);
	path = test_write_str("syntax.theme", "role \"title\" { fg = \n");
	assert_int_equal(theme_load(path, &t, &cause), -1);
	free(cause);
	assert_int_equal(theme_load("/no/such.theme", &t, &cause), -1);
	assert_string_equal(cause, "/no/such.theme: cannot read the theme");
	free(cause);
	assert_null(theme_path("/x", "../etc"));
	assert_null(theme_path("/x", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_broken),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
