/*
 * fuzz_lex: a libFuzzer target for core/lex.c, the one tokenizer that
 * prescan, the comment blanking and the round-trip patcher share. For
 * every input:
 *
 * - the tokens cover the input exactly, in order, none empty, each of the
 *   shape its kind says; each token's lines are those of its bytes;
 * - it agrees with libconfuse's own lexer (cfg_yylex, which libconfuse
 *   exports): on the input with its comments blanked (lex_blank, what
 *   libconfuse parses), libconfuse reads the same tokens, with the same
 *   values and lines, and refuses where the lexer flags the input (a
 *   single-quoted string never closed, an escape it refuses) and nowhere
 *   else. Inputs with a NUL byte or "${" are left out of this part:
 *   prescan refuses both before libconfuse would see them, and libconfuse
 *   miscounts the lines of a "${...}".
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_lex
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <confuse.h>

#include "lex.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* libconfuse's lexer: exported, not in confuse.h */
extern int	 cfg_yylex(cfg_t *);
extern void	 cfg_scan_fp_begin(FILE *);
extern void	 cfg_scan_fp_end(void);
extern char	*cfg_yylval;
extern FILE	*cfg_yyout;	/* where flex echoes what no rule takes */

#define CFGT_STR	3	/* a word or a string, to libconfuse */

static int	 refused;
static FILE	*devnull;

static void
on_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	(void)cfg;
	(void)fmt;
	(void)ap;
	refused = 1;
}

static void
fail(const char *what, size_t i, const struct lex_token *t)
{
	fprintf(stderr, "token %zu (kind %d, flags %#x, bytes %zu-%zu, lines "
	    "%d-%d): %s\n", i, t != NULL ? (int)t->kind : -1,
	    t != NULL ? (unsigned)t->flags : 0, t != NULL ? t->start : 0,
	    t != NULL ? t->end : 0, t != NULL ? t->line : 0,
	    t != NULL ? t->end_line : 0, what);
	abort();
}

/* How many of the n bytes at b are in set. */
static size_t
span(const char *b, size_t n, const char *set)
{
	size_t	i;

	for (i = 0; i < n && b[i] != '\0' && strchr(set, b[i]) != NULL; i++)
		;
	return i;
}

/* The tokens cover s in order, each of its kind's shape, lines right. */
static void
check_cover(const char *s, size_t len, const struct lex *lx)
{
	size_t	i, j, at = 0;
	int	line = 1, nl;

	for (i = 0; i < lx->n; i++) {
		const struct lex_token	*t = &lx->v[i];
		const char		*b = s + t->start;
		size_t			 n = t->end - t->start;

		if (t->start != at || t->end <= t->start || t->end > len)
			fail("does not follow the one before", i, t);
		if (t->line != line)
			fail("starts on the wrong line", i, t);
		for (j = t->start, nl = 0; j + 1 < t->end; j++)
			nl += s[j] == '\n';
		if (t->end_line != line + nl)
			fail("ends on the wrong line", i, t);
		line += nl + (s[t->end - 1] == '\n');
		at = t->end;
		switch (t->kind) {
		case LEX_NEWLINE:
			if (!(n == 1 && *b == '\n') && !(n == 2 &&
			    memcmp(b, "\r\n", 2) == 0))
				fail("a line end that is not one", i, t);
			break;
		case LEX_SPACE:
			if (span(b, n, " \t\r") < n)
				fail("blanks that are not", i, t);
			break;
		case LEX_COMMENT:
			if (*b != '#' && (n < 2 || b[0] != '/' ||
			    (b[1] != '/' && b[1] != '*')))
				fail("a comment that does not start as one", i,
				    t);
			if (t->flags & LEX_F_BLOCK && !(t->flags & LEX_F_OPEN) &&
			    (n < 4 || memcmp(b + n - 2, "*/", 2) != 0))
				fail("a block comment not closed", i, t);
			if (!(t->flags & LEX_F_BLOCK) && memchr(b, '\n', n))
				fail("a line comment over lines", i, t);
			break;
		case LEX_STRING:
			if ((*b != '"' && *b != '\'') || (!(t->flags &
			    LEX_F_OPEN) && (n < 2 || b[n - 1] != *b)))
				fail("a string not in its quotes", i, t);
			break;
		case LEX_WORD:
			for (j = 0; !(t->flags & LEX_F_ENV) && j < n; j++)
				if (b[j] == '\0' || strchr(" \t\r\n#=+\"'{}(),*",
				    b[j]) != NULL)
					fail("a word holding what ends one", i,
					    t);
			break;
		default:
			if (n > 2)
				fail("punctuation too long", i, t);
			break;
		}
	}
	if (at != len)
		fail("the tokens end before the input", lx->n, NULL);
}

static int
expect(const struct lex_token *t)
{
	switch (t->kind) {
	case LEX_WORD:
	case LEX_STRING:
		return CFGT_STR;
	case LEX_EQ:
		return '=';
	case LEX_APPEND:
		return '+';
	case LEX_OPEN:
		return '{';
	case LEX_CLOSE:
		return '}';
	case LEX_LPAREN:
		return '(';
	case LEX_RPAREN:
		return ')';
	case LEX_COMMA:
		return ',';
	default:
		return -1;
	}
}

/* libconfuse reads the blanked input token for token as the lexer does. */
static void
check_libconfuse(const char *s, size_t len, const struct lex *lx)
{
	static cfg_opt_t	 opts[] = { CFG_END() };
	cfg_t			*cfg;
	FILE			*f;
	char			*blank, *v;
	size_t			 i, vlen;
	int			 tok, want;

	if (memchr(s, '\0', len) != NULL || memmem(s, len, "${", 2) != NULL)
		return;
	if ((blank = malloc(len + 1)) == NULL)
		abort();
	memcpy(blank, s, len);
	blank[len] = '\0';
	if (lex_blank(blank, len, lx) < 0 || (cfg = cfg_init(opts, 0)) == NULL ||
	    (f = fmemopen(blank, len, "r")) == NULL)
		abort();
	cfg_set_error_function(cfg, on_error);
	cfg->line = 1;
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	cfg_yyout = devnull;
	refused = 0;
	cfg_scan_fp_begin(f);
	for (i = lex_next(lx, 0); ; i = lex_next(lx, i + 1)) {
		while (i < lx->n && lx->v[i].kind == LEX_STRAY)
			i = lex_next(lx, i + 1);
		tok = cfg_yylex(cfg);
		if (i == lx->n) {
			if (tok > 0)
				fail("libconfuse reads a token more", i, NULL);
			break;
		}
		want = expect(&lx->v[i]);
		if (lx->v[i].flags & LEX_F_BADESC ||
		    (lx->v[i].flags & LEX_F_OPEN && lx->v[i].flags &
		    LEX_F_SINGLE)) {
			if (tok != 0 || !refused)
				fail("libconfuse takes what the lexer flags",
				    i, &lx->v[i]);
			break;
		}
		if (lx->v[i].kind == LEX_STRING && lx->v[i].flags &
		    LEX_F_OPEN) {
			/* libconfuse ends a double-quoted one quietly */
			if (tok != -1 || refused)
				fail("libconfuse reads an open string", i,
				    &lx->v[i]);
			break;
		}
		if (tok != want || refused)
			fail("libconfuse reads another token", i, &lx->v[i]);
		if (cfg->line != lx->v[i].end_line)
			fail("libconfuse counts another line", i, &lx->v[i]);
		if (tok == CFGT_STR) {
			if ((v = lex_value(s, &lx->v[i], &vlen)) == NULL)
				abort();
			if (cfg_yylval == NULL || strcmp(v, cfg_yylval) != 0) {
				fprintf(stderr, "lexer \"%s\", libconfuse "
				    "\"%s\"\n", v, cfg_yylval ? cfg_yylval :
				    "(null)");
				fail("libconfuse reads another value", i,
				    &lx->v[i]);
			}
			free(v);
		}
	}
	cfg_scan_fp_end();
	fclose(f);
	cfg_free(cfg);
	free(blank);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lex	 lx;
	const char	*s = (const char *)data;

	if (lex_run(s, size, &lx) != 0)
		abort();
	check_cover(s, size, &lx);
	check_libconfuse(s, size, &lx);
	lex_free(&lx);
	return 0;
}
