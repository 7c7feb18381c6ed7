/*
 * Unit tests of core/quote.c: QEMU's comma escape, and the shell quote
 * checked against a real /bin/sh.
 */
#include "testutil.h"

#include "quote.h"

static void
test_qemu(void **state)
{
	char	*s;

	(void)state;
	s = quote_qemu("plain");
	assert_string_equal(s, "plain");
	free(s);
	s = quote_qemu("a,b,,c,");
	assert_string_equal(s, "a,,b,,,,c,,");
	free(s);
	s = quote_qemu("");
	assert_string_equal(s, "");
	free(s);
}

static const char *const words[] = {
	"", "plain", "with space", "it's", "''", "\"dq\"", "$HOME", "${HOME}",
	"`id`", "$(id)", "back\\slash", "new\nline", "-leading", "*", "~",
	"a;b|c&d>e<f", "\t tab", "\xc3\xa9", "'\\''",
};

static void
test_shell(void **state)
{
	size_t	 i;
	char	*q, cmd[1024], out[512];
	FILE	*f;
	size_t	 n;

	(void)state;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		q = quote_shell_word(words[i]);
		assert_non_null(q);
		/* the shell gives back exactly the word, as one argument */
		snprintf(cmd, sizeof cmd, "set -- %s; [ $# -eq 1 ] && "
		    "printf '%%s' \"$1\"", q);
		f = popen(cmd, "r");
		assert_non_null(f);
		n = fread(out, 1, sizeof out - 1, f);
		out[n] = '\0';
		assert_int_equal(pclose(f), 0);
		assert_string_equal(out, words[i]);
		free(q);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu),
		cmocka_unit_test(test_shell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
