/*
 * Unit tests of core/cfgtext.c: comments become spaces and nothing else
 * does; libconfuse then reports the file's own lines.
 */
#include "testutil.h"

#include "cfgtext.h"

static void
blank(const char *in, const char *want)
{
	char	*s = strdup(in);

	assert_non_null(s);
	cfgtext_blank(s, strlen(s));
	assert_int_equal(strlen(s), strlen(in));
	assert_string_equal(s, want);
	free(s);
}

static void
test_blank(void **state)
{
	(void)state;
	blank("a = 1 # x\n", "a = 1    \n");
	blank("// x\nb = 2\n", "    \nb = 2\n");
	blank("/* x\n y */c = 3", "    \n     c = 3");
	blank("/* never closed\nd", "               \n ");
	/* comment characters inside strings are the strings' */
	blank("s = \"# // /*\" # c", "s = \"# // /*\"    ");
	blank("s = '# \\' //' // c", "s = '# \\' //'     ");
	blank("s = \"a \\\" # b\"", "s = \"a \\\" # b\"");
	/* a comment ends a bare word, as in libconfuse's lexer */
	blank("u = a#b\n", "u = a  \n");
	blank("u = a//b\n", "u = a   \n");
	blank("u = a/b\n", "u = a/b\n");
	blank("", "");
}

/* The line of a comment that is never closed, else 0. */
static void
test_open(void **state)
{
	char	a[] = "x = 1\n/* ok */\ny = \"two\nlines\"\n/* open\nz = 2\n";
	char	b[] = "x = 1 /* closed at the end */";

	(void)state;
	assert_int_equal(cfgtext_blank(a, strlen(a)), 5);
	assert_int_equal(cfgtext_blank(b, strlen(b)), 0);
}

static int	 seen_line;

static void
error_at(cfg_t *cfg, const char *fmt, va_list ap)
{
	(void)fmt;
	(void)ap;
	seen_line = cfg->line;
}

static void
test_lines(void **state)
{
	cfg_opt_t	 opts[] = {
		CFG_INT("n", 0, CFGF_NONE),
		CFG_STR_LIST("l", "{}", CFGF_NONE),
		CFG_END()
	};
	cfg_t		*cfg;
	char		 text[] = "# one\n# two\n// three\n/* four\n */\n"
	    "l = {\"a\", # in a list\n \"b\"}\nn = 1\nbogus = 2\n";
	char		*cause = NULL;

	(void)state;
	cfg = cfg_init(opts, CFGF_NONE);
	cfg_set_error_function(cfg, error_at);
	assert_int_equal(cfgtext_parse(cfg, "t.conf", text, strlen(text), NULL),
	    CFG_PARSE_ERROR);
	assert_int_equal(seen_line, 9);
	assert_string_equal(cfg->filename, "t.conf");
	cfg_free(cfg);

	cfg = cfg_init(opts, CFGF_NONE);
	assert_int_equal(cfgtext_load(cfg, "/no/such/file", 1024, NULL,
	    &cause),
	    CFG_FILE_ERROR);
	assert_non_null(cause);
	free(cause);
	cfg_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
