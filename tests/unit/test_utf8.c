/*
 * Unit tests of core/utf8.c: well-formed characters of every length, and
 * each way a sequence can be ill-formed (RFC 3629).
 */
#include "testutil.h"

#include "utf8.h"

static void
test_utf8(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
		unsigned int	 cp;
	} cases[] = {
		{ "a", 1, 'a' }, { "\xc3\xa9", 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 0x20ac }, { "\xf0\x9f\x98\x80", 4, 0x1f600 },
		{ "\xe9", 0, 0 },		/* Latin-1, not UTF-8 */
		{ "\xc0\xaf", 0, 0 },		/* overlong '/' */
		{ "\xe0\x80\xaf", 0, 0 },	/* overlong, 3 bytes */
		{ "\xed\xa0\x80", 0, 0 },	/* a surrogate */
		{ "\xf4\x90\x80\x80", 0, 0 },	/* past U+10FFFF */
		{ "\xe2\x82", 0, 0 },		/* cut short */
		{ "\x80", 0, 0 },		/* a lone continuation */
		{ "\xff", 0, 0 },
	};
	unsigned int	cp = 0;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(utf8_char((const unsigned char *)cases[i].s,
		    strlen(cases[i].s), &cp), cases[i].len);
		if (cases[i].len > 0)
			assert_int_equal(cp, cases[i].cp);
	}
	/* never past the end it is given */
	assert_int_equal(utf8_char((const unsigned char *)"\xc3\xa9", 1, &cp),
	    0);
}

/* Escaped for a terminal or a field: no control character left. */
static void
test_escape(void **state)
{
	char	*s;

	(void)state;
	s = utf8_escape("x\033]0;PWNED\007y", 0);
	assert_string_equal(s, "x\\x1b]0;PWNED\\x07y");
	free(s);
	/* lines kept unless asked; tab and return always escaped */
	s = utf8_escape("a\nb\tc\rd", 0);
	assert_string_equal(s, "a\nb\\tc\\rd");
	free(s);
	s = utf8_escape("a\nb\\c", UTF8_ESC_NEWLINE | UTF8_ESC_BACKSLASH);
	assert_string_equal(s, "a\\nb\\\\c");
	free(s);
	/* printable UTF-8 kept; C1 controls and broken bytes escaped */
	s = utf8_escape("\303\251t\303\251 \302\233x \377", 0);
	assert_string_equal(s, "\303\251t\303\251 \\xc2\\x9bx \\xff");
	free(s);
	s = utf8_escape("\177", 0);
	assert_string_equal(s, "\\x7f");
	free(s);
}

/*
 * A bidi embedding, override or isolate (U+202A..U+202E, U+2066..U+2069)
 * shows what follows it in another order than it is: escaped too, its
 * neighbours (U+2029, U+202F, U+2065, U+206A) kept.
 */
static void
test_escape_bidi(void **state)
{
	static const char *const cases[][2] = {
		{ "a\342\200\256gpj.exe \342\201\246b\342\201\251\342\200\252",
		  "a\\xe2\\x80\\xaegpj.exe \\xe2\\x81\\xa6b\\xe2\\x81\\xa9"
		  "\\xe2\\x80\\xaa" },
		{ "\342\200\251\342\200\257\342\201\245\342\201\252",
		  "\342\200\251\342\200\257\342\201\245\342\201\252" },
	};
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = utf8_escape(cases[i][0], 0);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_bidi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
