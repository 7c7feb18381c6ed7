/*
 * Unit tests of core/cfgtext.c: with the comments blanked (core/lex.c,
 * tested in test_lex.c), libconfuse reports the file's own lines and takes
 * a comment inside a list.
 */
#include "testutil.h"

#include "cfgtext.h"

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
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
