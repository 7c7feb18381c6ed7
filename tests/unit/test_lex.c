/*
 * Unit tests of core/lex.c: the tokens of the libconfuse format, their
 * offsets and lines; comments blanked and nothing else; values read as
 * libconfuse reads them. fuzz/fuzz_lex.c holds the same lexer to
 * libconfuse's own on any input.
 */
#include "testutil.h"

#include "lex.h"

/* The kinds of text's tokens, a letter each (blanks left out). */
static char *
kinds(const char *text)
{
	static const char	 letter[] = "snc" "wS=+{}()," "*";
	struct lex		 lx;
	char			*k;
	size_t			 i, n = 0;

	assert_int_equal(lex_run(text, strlen(text), &lx), 0);
	k = malloc(lx.n + 1);
	assert_non_null(k);
	for (i = 0; i < lx.n; i++)
		if (lx.v[i].kind != LEX_SPACE)
			k[n++] = letter[lx.v[i].kind];
	k[n] = '\0';
	lex_free(&lx);
	return k;
}

static void
expect_kinds(const char *text, const char *want)
{
	char	*got = kinds(text);

	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": %s, not %s", text, got, want);
	free(got);
}

static void
test_tokens(void **state)
{
	(void)state;
	expect_kinds("a = 1", "w=w");
	expect_kinds("a=1,b{c}(d)+=e", "w=w,w{w}(w)+w");
	expect_kinds("s = \"x y\" 'z'", "w=SS");
	expect_kinds("a # c\nb // c\r\n/* c\nc */d", "wcnwcncw");
	/* inside a word a '/' is the word's; '#' ends it */
	expect_kinds("a//b a/*b*/c x/ /", "ww*w*www");
	expect_kinds("a#b", "wc");
	/* what libconfuse skips without a word */
	expect_kinds("a * + b", "w**w");
	expect_kinds("${HOME} x${Y}", "ww{w}");
	/* strings over lines, escapes, quotes in the other quotes */
	expect_kinds("\"a\nb\" 'c\\'d' \"e\\\"f\" \"g\\\nh\"", "SSSS");
	expect_kinds("\"open", "S");
}

static void
test_offsets(void **state)
{
	static const char	 text[] = "a = \"x\ny\"\r\n/* c\n */ b";
	struct lex		 lx;

	(void)state;
	assert_int_equal(lex_run(text, sizeof text - 1, &lx), 0);
	assert_int_equal(lx.n, 9);
	assert_int_equal(lx.v[4].kind, LEX_STRING);
	assert_int_equal(lx.v[4].start, 4);
	assert_int_equal(lx.v[4].end, 9);
	assert_int_equal(lx.v[4].line, 1);
	assert_int_equal(lx.v[4].end_line, 2);
	assert_int_equal(lx.v[5].kind, LEX_NEWLINE);
	assert_int_equal(lx.v[5].end - lx.v[5].start, 2);
	assert_int_equal(lx.v[5].line, 2);
	assert_int_equal(lx.v[6].kind, LEX_COMMENT);
	assert_int_equal(lx.v[6].flags, LEX_F_BLOCK);
	assert_int_equal(lx.v[6].line, 3);
	assert_int_equal(lx.v[6].end_line, 4);
	assert_int_equal(lx.v[8].kind, LEX_WORD);
	assert_int_equal(lx.v[8].line, 4);
	assert_int_equal(lex_next(&lx, 5), 8);
	assert_int_equal(lex_next(&lx, 9), 9);
	/* the line end most lines have, a string's own not counted */
	assert_string_equal(lex_line_end(&lx, text), "\r\n");
	lex_free(&lx);
	assert_int_equal(lex_run("a\nb\r\nc\n", 7, &lx), 0);
	assert_string_equal(lex_line_end(&lx, "a\nb\r\nc\n"), "\n");
	lex_free(&lx);
}

static void
test_flags(void **state)
{
	static const struct {
		const char	*text;
		int		 flags;
	} cases[] = {
		{ "'single'", LEX_F_SINGLE },
		{ "'open", LEX_F_SINGLE | LEX_F_OPEN },
		{ "\"open\\\"", LEX_F_OPEN },
		{ "\"${HOME}\"", LEX_F_ENV },
		{ "\"${ no close\"", 0 },
		{ "\"\\377\"", 0 },
		{ "\"\\400\"", LEX_F_BADESC },
		{ "\"\\8\"", LEX_F_BADESC },
		{ "\"\\0123\"", LEX_F_BADESC },
		{ "/* open", LEX_F_BLOCK | LEX_F_OPEN },
	};
	struct lex	lx;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(lex_run(cases[i].text, strlen(cases[i].text),
		    &lx), 0);
		assert_int_equal(lx.n, 1);
		if (lx.v[0].flags != cases[i].flags)
			fail_msg("%s: flags %#x", cases[i].text, lx.v[0].flags);
		lex_free(&lx);
	}
}

static void
blank(const char *in, const char *want)
{
	char	*s = strdup(in);

	assert_non_null(s);
	assert_true(lex_blank(s, strlen(s), NULL) >= 0);
	assert_int_equal(strlen(s), strlen(in));
	assert_string_equal(s, want);
	free(s);
}

static void
test_blank(void **state)
{
	char	a[] = "x = 1\n/* ok */\ny = \"two\nlines\"\n/* open\nz = 2\n";
	char	b[] = "x = 1 /* closed at the end */";

	(void)state;
	blank("a = 1 # x\n", "a = 1    \n");
	blank("// x\r\nb = 2\n", "    \r\nb = 2\n");
	blank("/* x\n y */c = 3", "    \n     c = 3");
	blank("/* never closed\nd", "               \n ");
	/* comment characters inside strings are the strings' */
	blank("s = \"# // /*\" # c", "s = \"# // /*\"    ");
	blank("s = '# \\' //' // c", "s = '# \\' //'     ");
	blank("s = \"a \\\" # b\"", "s = \"a \\\" # b\"");
	/* '#' ends a bare word; "//" inside one is the word's (libconfuse) */
	blank("u = a#b\n", "u = a  \n");
	blank("u = a//b\n", "u = a//b\n");
	blank("u = a //b\n", "u = a    \n");
	blank("", "");
	/* the line of a comment never closed */
	assert_int_equal(lex_blank(a, strlen(a), NULL), 5);
	assert_int_equal(lex_blank(b, strlen(b), NULL), 0);
}

static void
value(const char *text, const char *want, size_t wlen)
{
	struct lex	 lx;
	char		*v;
	size_t		 len;

	assert_int_equal(lex_run(text, strlen(text), &lx), 0);
	assert_non_null(v = lex_value(text, &lx.v[0], &len));
	assert_int_equal(len, wlen);
	assert_memory_equal(v, want, wlen);
	free(v);
	lex_free(&lx);
}

static void
test_values(void **state)
{
	(void)state;
	value("word", "word", 4);
	value("\"a\\tb\\x41\\101\\12\\q\\\"\"", "a\tbAA\nq\"", 8);
	value("\"a\\\nb\"", "ab", 2);
	value("\"a\nb\"", "a\nb", 3);
	value("\"\\0x\"", "\0x", 2);
	value("'a\\'b\\\\c\\d'", "a'b\\c\\d", 7);
	value("'a\\\nb'", "ab", 2);
	value("\"\\xg\"", "xg", 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
