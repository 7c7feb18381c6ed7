/*
 * lex: the one tokenizer of the libconfuse format (profiles, vmtui.conf,
 * themes, the catalog). Every byte of a text is in exactly one token, in
 * order, with its offsets and lines, so that what reads the text (prescan,
 * the comment blanking before libconfuse parses, the round-trip patcher)
 * agrees on where each string, comment and value begins and ends.
 * libconfuse stays the parser; this follows its lexer (lexer.l of
 * libconfuse 3.3) token for token on the text it is given once the
 * comments are blanked.
 */
#ifndef VMTUI_LEX_H
#define VMTUI_LEX_H

#include <stddef.h>

enum lex_kind {
	LEX_SPACE,	/* ' ', '\t', a '\r' that does not end a line */
	LEX_NEWLINE,	/* "\n" or "\r\n" */
	LEX_COMMENT,	/* # or // to the line's end; slash-star to star-slash */
	LEX_WORD,	/* a bare word: a key, a section's name, a value */
	LEX_STRING,	/* "..." (escapes) or '...' */
	LEX_EQ,		/* = */
	LEX_APPEND,	/* += */
	LEX_OPEN,	/* { */
	LEX_CLOSE,	/* } */
	LEX_LPAREN,	/* ( */
	LEX_RPAREN,	/* ) */
	LEX_COMMA,	/* , */
	LEX_STRAY	/* a byte libconfuse skips without a word: '*', '+' */
};

#define LEX_F_SINGLE	0x01	/* a string in single quotes */
#define LEX_F_BLOCK	0x02	/* a comment from slash-star to star-slash */
#define LEX_F_ENV	0x04	/* holds "${...}": libconfuse would put the
				   environment in (and miscount its lines) */
#define LEX_F_OPEN	0x08	/* never closed: runs to the end of the text */
#define LEX_F_BADESC	0x10	/* an escape libconfuse refuses (\400, \8) */

struct lex_token {
	enum lex_kind	kind;
	int		flags;
	size_t		start, end;	/* its bytes: [start, end) */
	int		line, end_line;	/* where it starts and ends, from 1 */
};

struct lex {
	struct lex_token	*v;
	size_t			 n;
};

int	 lex_run(const char *, size_t, struct lex *);
void	 lex_free(struct lex *);
int	 lex_blank(char *, size_t, const struct lex *);
int	 lex_is_blank(const struct lex_token *);
size_t	 lex_next(const struct lex *, size_t);
char	*lex_value(const char *, const struct lex_token *, size_t *);
const char *lex_line_end(const struct lex *, const char *);

#endif
