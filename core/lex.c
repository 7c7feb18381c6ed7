/*
 * lex: the libconfuse format cut into tokens that cover the text. The
 * rules are those of libconfuse 3.3's lexer.l, found by reading it and
 * checked against it by fuzz/fuzz_lex.c on every input:
 *
 * - blanks are ' ', '\t' and '\r'; a line ends at "\n" or "\r\n";
 * - '#' starts a comment anywhere outside a string, to the line's end;
 *   "//" and slash-star only where a token starts (inside a word a '/'
 *   is part of it: "a//b" is one word), "//" to the line's end, slash-star
 *   to the next star-slash;
 * - a bare word is a run of any bytes but blanks, line ends and
 *   # = + " ' { } ( ) , *; "${" where a token starts, with a '}' anywhere
 *   after it, is one token to that '}' (the environment, to libconfuse);
 * - "..." takes backslash escapes (a backslash and a line end: the line
 *   goes on; \NNN octal up to \377, \xHH, \n and the like; more digits
 *   than an octal escape takes is an error), a line end, and "${...}"
 *   to the next '}' even past the quote; '...' takes \' and \\ only;
 * - = += { } ( ) , are tokens; '*', and a '+' without '=', are skipped
 *   by libconfuse without a word: here they are LEX_STRAY, as a NUL is.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lex.h"

/*
 * Token [start, end) of s, starting on *line; *line becomes the line of
 * the byte after it.
 */
static int
lex_add(struct lex *lx, size_t *size, const char *s, enum lex_kind kind,
    int flags, size_t start, size_t end, int *line)
{
	struct lex_token	*v;
	size_t			 i;

	if (lx->n == *size) {
		*size = *size != 0 ? *size * 2 : 64;
		if ((v = reallocarray(lx->v, *size, sizeof *v)) == NULL)
			return -1;
		lx->v = v;
	}
	v = &lx->v[lx->n++];
	v->kind = kind;
	v->flags = flags;
	v->start = start;
	v->end = end;
	v->line = *line;
	/* the line of its last byte: a '\n' ending it is on the line it ends */
	for (i = start; i + 1 < end; i++)
		*line += s[i] == '\n';
	v->end_line = *line;
	*line += s[end - 1] == '\n';
	return 0;
}

/* Whether a "\r\n" line end is at s[i]. */
static bool
lex_crlf(const char *s, size_t i, size_t len)
{
	return s[i] == '\r' && i + 1 < len && s[i + 1] == '\n';
}

/* The one-byte tokens, and their kinds. */
#define LEX_PUNCT	"={}(),"
static const enum lex_kind lex_punct[] = { LEX_EQ, LEX_OPEN, LEX_CLOSE,
    LEX_LPAREN, LEX_RPAREN, LEX_COMMA };

/* Whether byte c ends a bare word (or cannot start one). */
static bool
lex_stops_word(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\0' || strchr("#=+\"'{}(),*", c) != NULL;
}

/*
 * A backslash escape of a double-quoted string at s[i] ('\\'): its length,
 * and whether libconfuse refuses it (an octal escape over \377, or a run
 * of digits longer than the octal escape it starts).
 */
static size_t
lex_escape(const char *s, size_t i, size_t len, bool *bad)
{
	size_t	octal = 0, digits = 0;
	int	v = 0;

	*bad = false;
	if (i + 1 >= len)
		return 1;
	while (i + 1 + digits < len && s[i + 1 + digits] >= '0' &&
	    s[i + 1 + digits] <= '9')
		digits++;
	while (octal < 3 && octal < digits && s[i + 1 + octal] <= '7')
		v = v * 8 + (s[i + 1 + octal++] - '0');
	if (digits > octal || (octal > 0 && v > 0377)) {
		*bad = true;
		return 1 + digits;
	}
	if (octal > 0)
		return 1 + octal;
	return 2;
}

/* A string from its quote at s[i]: its end, and its flags. */
static size_t
lex_string(const char *s, size_t i, size_t len, int *flags)
{
	const char	 q = s[i];
	const char	*close;
	bool		 bad;

	*flags = q == '\'' ? LEX_F_SINGLE : 0;
	for (i++; i < len; ) {
		if (s[i] == q)
			return i + 1;
		if (s[i] == '\\') {
			if (i + 1 >= len)
				break;
			if (q == '\'' || s[i + 1] == '\n' || (s[i + 1] < '0' ||
			    s[i + 1] > '9')) {
				/* \' and \\ alone in single quotes: both 2 */
				i += 2;
				continue;
			}
			i += lex_escape(s, i, len, &bad);
			if (bad)
				*flags |= LEX_F_BADESC;
		} else if (q == '"' && s[i] == '$' && i + 1 < len &&
		    s[i + 1] == '{' && (close = memchr(s + i + 2, '}',
		    len - i - 2)) != NULL) {
			/* libconfuse's ${...} rule: to the '}', wherever */
			*flags |= LEX_F_ENV;
			i = (size_t)(close - s) + 1;
		} else
			i++;
	}
	*flags |= LEX_F_OPEN;
	return len;
}

/*
 * The tokens of text (len bytes) into lx, which the caller frees with
 * lex_free() either way. -1: out of memory.
 */
int
lex_run(const char *s, size_t len, struct lex *lx)
{
	const char	*close;
	size_t		 i = 0, start, size = 0;
	int		 line = 1, flags;
	enum lex_kind	 kind;

	lx->v = NULL;
	lx->n = 0;
	while (i < len) {
		start = i;
		flags = 0;
		switch (s[i]) {
		case '\r':
			if (lex_crlf(s, i, len)) {
				kind = LEX_NEWLINE;
				i += 2;
				break;
			}
			/* FALLTHROUGH */
		case ' ':
		case '\t':
			kind = LEX_SPACE;
			while (i < len && (s[i] == ' ' || s[i] == '\t' ||
			    (s[i] == '\r' && !lex_crlf(s, i, len))))
				i++;
			break;
		case '\n':
			kind = LEX_NEWLINE;
			i++;
			break;
		case '"':
		case '\'':
			kind = LEX_STRING;
			i = lex_string(s, i, len, &flags);
			break;
		case '=':
		case '{':
		case '}':
		case '(':
		case ')':
		case ',':
			kind = lex_punct[strchr(LEX_PUNCT, s[i]) - LEX_PUNCT];
			i++;
			break;
		case '+':
			if (i + 1 < len && s[i + 1] == '=') {
				kind = LEX_APPEND;
				i += 2;
				break;
			}
			/* FALLTHROUGH */
		case '*':
		case '\0':
			kind = LEX_STRAY;
			i++;
			break;
		case '/':
			if (i + 1 < len && s[i + 1] == '*') {
				kind = LEX_COMMENT;
				flags = LEX_F_BLOCK;
				close = i + 2 < len ? memmem(s + i + 2,
				    len - i - 2, "*/", 2) : NULL;
				if (close == NULL)
					flags |= LEX_F_OPEN;
				i = close != NULL ? (size_t)(close - s) + 2 : len;
				break;
			}
			if (i + 1 >= len || s[i + 1] != '/')
				goto word;
			/* FALLTHROUGH */
		case '#':
			kind = LEX_COMMENT;
			while (i < len && s[i] != '\n' && !lex_crlf(s, i, len))
				i++;
			break;
		default:
		word:
			kind = LEX_WORD;
			if (s[i] == '$' && i + 1 < len && s[i + 1] == '{' &&
			    (close = memchr(s + i + 2, '}', len - i - 2)) !=
			    NULL) {
				flags = LEX_F_ENV;
				i = (size_t)(close - s) + 1;
				break;
			}
			while (i < len && !lex_stops_word((unsigned char)s[i]))
				i++;
			break;
		}
		if (lex_add(lx, &size, s, kind, flags, start, i, &line) != 0)
			return -1;
	}
	return 0;
}

void
lex_free(struct lex *lx)
{
	free(lx->v);
	lx->v = NULL;
	lx->n = 0;
}

/* Whether a token is nothing to libconfuse: blanks, a line end, a comment. */
int
lex_is_blank(const struct lex_token *t)
{
	return t->kind == LEX_SPACE || t->kind == LEX_NEWLINE ||
	    t->kind == LEX_COMMENT;
}

/* The first token from i on that is not blank; lx->n when none is. */
size_t
lex_next(const struct lex *lx, size_t i)
{
	while (i < lx->n && lex_is_blank(&lx->v[i]))
		i++;
	return i;
}

/*
 * Every comment of text made spaces in place (its line ends kept), so that
 * what is left is what libconfuse should read; tokens: the text's, or
 * NULL to lex it here. 0, the line where a comment opens that is never
 * closed, or -1 out of memory.
 */
int
lex_blank(char *s, size_t len, const struct lex *tokens)
{
	struct lex	 own;
	const struct lex *lx = tokens;
	size_t		 i, j;
	int		 open = 0;

	if (lx == NULL) {
		if (lex_run(s, len, &own) != 0) {
			lex_free(&own);
			return -1;
		}
		lx = &own;
	}
	for (i = 0; i < lx->n; i++) {
		const struct lex_token *t = &lx->v[i];

		if (t->kind != LEX_COMMENT)
			continue;
		for (j = t->start; j < t->end; j++)
			if (s[j] != '\n' && s[j] != '\r')
				s[j] = ' ';
		if (t->flags & LEX_F_OPEN && open == 0)
			open = t->line;
	}
	if (lx == &own)
		lex_free(&own);
	return open;
}

/*
 * The value of a word or a string as libconfuse reads it (no ${...} put
 * in: a token with LEX_F_ENV keeps it as written), its length in *lenp (a
 * \0 escape makes it longer than strlen). NULL: out of memory.
 */
char *
lex_value(const char *s, const struct lex_token *t, size_t *lenp)
{
	static const char	from[] = "abefnrtv", to[] = "\a\b\033\f\n\r\t\v";
	struct buf		 b;
	size_t			 i = t->start, end = t->end, n;
	const char		*c;
	char			 hex[3] = { 0, 0, 0 };
	int			 v;

	buf_init(&b);
	if (t->kind != LEX_STRING) {
		buf_add(&b, s + i, end - i);
		return buf_finish(&b, lenp);
	}
	if (!(t->flags & LEX_F_OPEN))
		end--;
	for (i++; i < end; i++) {
		if (s[i] != '\\' || i + 1 >= end) {
			buf_putc(&b, s[i]);
			continue;
		}
		if (t->flags & LEX_F_SINGLE) {
			if (s[i + 1] == '\n')
				i++;
			else if (s[i + 1] == '\'' || s[i + 1] == '\\')
				buf_putc(&b, s[++i]);
			else
				buf_putc(&b, s[i]);
			continue;
		}
		i++;
		if (s[i] == '\n')
			continue;
		if (s[i] >= '0' && s[i] <= '7') {
			for (n = 0, v = 0; n < 3 && i < end && s[i] >= '0' &&
			    s[i] <= '7'; n++, i++)
				v = v * 8 + (s[i] - '0');
			i--;
			buf_putc(&b, (char)v);
		} else if (s[i] == 'x' && i + 1 < end &&
		    isxdigit((unsigned char)s[i + 1])) {
			/* \xH or \xHH */
			hex[0] = s[++i];
			hex[1] = i + 1 < end && isxdigit((unsigned char)s[i +
			    1]) ? s[++i] : '\0';
			buf_putc(&b, (char)strtol(hex, NULL, 16));
		} else if ((c = strchr(from, s[i])) != NULL && *c != '\0')
			buf_putc(&b, to[c - from]);
		else
			buf_putc(&b, s[i]);
	}
	return buf_finish(&b, lenp);
}

/*
 * The line end a text uses: "\r\n" when most of its lines end so (the
 * line ends inside strings and comments not counted), else "\n".
 */
const char *
lex_line_end(const struct lex *lx, const char *s)
{
	size_t	i, crlf = 0, lf = 0;

	for (i = 0; i < lx->n; i++) {
		if (lx->v[i].kind != LEX_NEWLINE)
			continue;
		if (s[lx->v[i].start] == '\r')
			crlf++;
		else
			lf++;
	}
	return crlf > lf ? "\r\n" : "\n";
}
