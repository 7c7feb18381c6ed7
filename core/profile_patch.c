/*
 * profile_patch: a save that keeps what the person wrote. The file's text
 * changes only where the model did, and only in the bytes of what
 * changed; comments, blank lines, order, spelling and quoting elsewhere
 * stay byte for byte:
 *
 * - a changed value is replaced where it is (a comment after it stays; a
 *   string or a comment over several lines is a token like any other);
 * - a key the file leaves out and that is now set to something other than
 *   its default goes in after the last key of its section, on a line of
 *   its own with that key's indent, or beside it when the section is
 *   written on one line; never a default that was not there;
 * - a key unset goes, with the comment lines right above it when it had a
 *   line of its own; a section (boot, qemu) whose last key went goes too;
 * - a row (disk, share, forward) added goes after the last of its kind, one
 *   removed goes with its comments, a disk or share renamed keeps its place;
 *   a section the file does not have is added at its end, an optional one
 *   (the root disk, cloud-init) taken out goes with its comments;
 * - lines added end as the file's lines do (CRLF or LF).
 *
 * The text is read with core/lex.c, the tokenizer prescan and the
 * comment blanking use, so the patcher edits the very tokens the loader
 * read. What it cannot patch (a text that does not hold the model it was
 * read as) says so (1); whatever is written is read back and compared with
 * the model first (profile_save_text).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lex.h"
#include "profile_patch.h"
#include "profile_save.h"

#define PATCH_ROWS(s)	(schema_sections[s].flags & SCHEMA_ROWS)
/* there or not: the root disk, cloud-init */
#define PATCH_OPTIONAL(s) (schema_sections[s].flags & SCHEMA_OPTIONAL)
#define PATCH_NONE	SIZE_MAX

/* One assignment: "key = value" or "key += value", as token indices. */
struct patch_stmt {
	int	 id;		/* its schema key */
	size_t	 block;
	size_t	 key, op, vfirst, vlast;
	bool	 append;	/* += */
	bool	 gone;		/* removed by this patch */
};

/* A section as the file writes it (block 0 is the top of the file). */
struct patch_block {
	int	 sec;
	size_t	 row;		/* which of its kind, in the file's order */
	size_t	 name, title, open, close;	/* token indices, or NONE */
	bool	 gone;
};

/* A change of the text: bytes [start, end) become text. */
struct patch_edit {
	size_t	 start, end;
	char	*text;
	size_t	 seq;
};

struct patch {
	const char		*s;
	size_t			 len;
	struct lex		 lx;
	struct patch_stmt	*st;
	size_t			 nst;
	struct patch_block	*bl;
	size_t			 nbl;
	struct patch_edit	*ed;
	size_t			 ned, seq;
	const char		*eol;	/* the file's line end */
	bool			 odd;	/* what no profile that loads holds */
	size_t			*rows[SCHEMA_NSECTIONS], nrows[SCHEMA_NSECTIONS];
	size_t			*first;	/* block x key: its first statement */
	const struct profile	*def;	/* every key at its default */
	int			 oom;
};

/* --- reading the text --------------------------------------------------- */

static const struct lex_token *
patch_tok(const struct patch *pa, size_t i)
{
	return i < pa->lx.n ? &pa->lx.v[i] : NULL;
}

/* The next token that means something to libconfuse, from i on. */
static size_t
patch_next(const struct patch *pa, size_t i)
{
	return lex_next(&pa->lx, i);
}

static bool
patch_is(const struct patch *pa, size_t i, enum lex_kind kind)
{
	return i < pa->lx.n && pa->lx.v[i].kind == kind;
}

static int
patch_add_block(struct patch *pa, int sec, size_t name, size_t title,
    size_t open)
{
	struct patch_block	*v;

	if ((v = reallocarray(pa->bl, pa->nbl + 1, sizeof *v)) == NULL)
		return -1;
	pa->bl = v;
	v[pa->nbl].sec = sec;
	v[pa->nbl].row = sec >= 0 ? pa->nrows[sec]++ : 0;
	v[pa->nbl].name = name;
	v[pa->nbl].title = title;
	v[pa->nbl].open = open;
	v[pa->nbl].close = PATCH_NONE;
	v[pa->nbl].gone = false;
	pa->nbl++;
	return 0;
}

/*
 * A statement at token i (its key): its value, one token or a list in
 * braces, noted (a key that is not one of its section's as -1). 0 with
 * *after the token after it; 1: not a statement (no '=' follows); 2: a
 * value that is not one.
 */
static int
patch_statement(struct patch *pa, size_t i, size_t block, size_t *after)
{
	const struct lex_token	*t = patch_tok(pa, i);
	struct patch_stmt	*v;
	char			 path[128];
	size_t			 op, vf, vl;
	int			 sec = pa->bl[block].sec;

	op = patch_next(pa, i + 1);
	if (!patch_is(pa, op, LEX_EQ) && !patch_is(pa, op, LEX_APPEND))
		return 1;
	vf = vl = patch_next(pa, op + 1);
	if (patch_is(pa, vf, LEX_OPEN)) {
		/* a list: values and commas to its '}' */
		for (vl = patch_next(pa, vf + 1); vl < pa->lx.n &&
		    (patch_is(pa, vl, LEX_WORD) || patch_is(pa, vl,
		    LEX_STRING) || patch_is(pa, vl, LEX_COMMA));
		    vl = patch_next(pa, vl + 1))
			;
		if (!patch_is(pa, vl, LEX_CLOSE))
			return 2;
	} else if (!patch_is(pa, vf, LEX_WORD) && !patch_is(pa, vf,
	    LEX_STRING))
		return 2;
	if (sec == SCHEMA_ROOT)
		snprintf(path, sizeof path, "%.*s", (int)(t->end - t->start),
		    pa->s + t->start);
	else if (sec > SCHEMA_ROOT)
		snprintf(path, sizeof path, "%s|%.*s",
		    schema_sections[sec].name, (int)(t->end - t->start),
		    pa->s + t->start);
	else
		*path = '\0';
	if ((v = reallocarray(pa->st, pa->nst + 1, sizeof *v)) == NULL)
		return -1;
	pa->st = v;
	v += pa->nst++;
	/* not a key of this section (-1): not ours to patch */
	if ((v->id = schema_index(path)) < 0)
		pa->odd = true;
	v->block = block;
	v->key = i;
	v->op = op;
	v->vfirst = vf;
	v->vlast = vl;
	v->append = patch_is(pa, op, LEX_APPEND);
	v->gone = false;
	*after = vl + 1;
	return 0;
}

static int	patch_index(struct patch *);

/*
 * The text as blocks (the top, then each section) and statements, as
 * libconfuse reads it. 1: it is not a profile as the loader took it
 * (what could be read is read all the same: profile_patch_where()).
 */
static int
patch_read(struct patch *pa)
{
	const struct lex_token	*t;
	size_t			 i, j, k, block = 0;
	int			 r, sec;

	if (lex_run(pa->s, pa->len, &pa->lx) != 0 ||
	    patch_add_block(pa, SCHEMA_ROOT, PATCH_NONE, PATCH_NONE,
	    PATCH_NONE) != 0)
		return -1;
	pa->eol = lex_line_end(&pa->lx, pa->s);
	for (i = patch_next(pa, 0); i < pa->lx.n; ) {
		t = patch_tok(pa, i);
		pa->odd |= (t->flags & (LEX_F_OPEN | LEX_F_ENV |
		    LEX_F_BADESC)) != 0;
		if (t->kind == LEX_CLOSE && block != 0) {
			pa->bl[block].close = i;
			block = 0;
			i = patch_next(pa, i + 1);
			continue;
		}
		if (t->kind == LEX_WORD &&
		    (r = patch_statement(pa, i, block, &i)) != 1) {
			if (r < 0)
				return -1;
			if (r == 2) {
				pa->odd = true;
				i++;
			}
			i = patch_next(pa, i);
			continue;
		}
		/* NAME {, or NAME TITLE {: a section, at the top only */
		j = patch_next(pa, i + 1);
		k = patch_is(pa, j, LEX_OPEN) ? PATCH_NONE : j;
		if (k != PATCH_NONE && (patch_is(pa, k, LEX_WORD) ||
		    patch_is(pa, k, LEX_STRING)))
			j = patch_next(pa, k + 1);
		if (t->kind != LEX_WORD || block != 0 ||
		    !patch_is(pa, j, LEX_OPEN)) {
			pa->odd = true;		/* what libconfuse refuses */
			i = patch_next(pa, i + 1);
			continue;
		}
		sec = schema_section_index(pa->s + t->start, t->end - t->start);
		if (sec <= SCHEMA_ROOT || (k != PATCH_NONE) !=
		    !!(schema_sections[sec].flags & SCHEMA_TITLED)) {
			pa->odd = true;
			sec = -1;
		}
		if (patch_add_block(pa, sec, i, k, j) != 0)
			return -1;
		block = pa->nbl - 1;
		i = patch_next(pa, j + 1);
	}
	if (patch_index(pa) != 0)
		return -1;
	return block != 0 || pa->odd ? 1 : 0;
}

/*
 * The indexes of what was read: each section's blocks by row, each
 * block's first statement of each key (a profile may have thousands of
 * forwards: no walk through them all for each key of each). -1: memory.
 */
static int
patch_index(struct patch *pa)
{
	size_t	i;
	int	s;

	for (s = 0; s < SCHEMA_NSECTIONS; s++)
		if ((pa->rows[s] = calloc(pa->nrows[s] + 1,
		    sizeof *pa->rows[s])) == NULL)
			return -1;
	for (i = 0; i < pa->nbl; i++)
		if (pa->bl[i].sec >= 0)
			pa->rows[pa->bl[i].sec][pa->bl[i].row] = i;
	if ((pa->first = malloc((pa->nbl + 1) * SCHEMA_NKEYS *
	    sizeof *pa->first)) == NULL)
		return -1;
	for (i = 0; i < (pa->nbl + 1) * SCHEMA_NKEYS; i++)
		pa->first[i] = PATCH_NONE;
	for (i = pa->nst; i > 0; i--)
		if (pa->st[i - 1].id >= 0)
			pa->first[pa->st[i - 1].block * SCHEMA_NKEYS +
			    (size_t)pa->st[i - 1].id] = i - 1;
	return 0;
}

/* Block of section s, row row (the top: s SCHEMA_ROOT), or NONE. */
static size_t
patch_block_of(const struct patch *pa, int s, size_t row)
{
	return s >= 0 && row < pa->nrows[s] ? pa->rows[s][row] : PATCH_NONE;
}

/* The first statement of key id in block b, or NONE. */
static size_t
patch_stmt_of(const struct patch *pa, size_t b, int id)
{
	return b < pa->nbl && id >= 0 ? pa->first[b * SCHEMA_NKEYS +
	    (size_t)id] : PATCH_NONE;
}

/* The first token of the line token i is on (lines end at LEX_NEWLINE). */
static size_t
patch_line_first(const struct patch *pa, size_t i)
{
	while (i > 0 && pa->lx.v[i - 1].kind != LEX_NEWLINE)
		i--;
	return i;
}

/* The LEX_NEWLINE that ends token i's line, or lx.n at the end. */
static size_t
patch_line_end(const struct patch *pa, size_t i)
{
	while (i < pa->lx.n && pa->lx.v[i].kind != LEX_NEWLINE)
		i++;
	return i;
}

/* Whether the tokens [from, to) are blanks (and comments, with comments). */
static bool
patch_blank(const struct patch *pa, size_t from, size_t to, bool comments)
{
	for (; from < to; from++)
		if (pa->lx.v[from].kind != LEX_SPACE && !(comments &&
		    pa->lx.v[from].kind == LEX_COMMENT))
			return false;
	return true;
}

/* Whether tokens first..last fill their lines (a comment may follow). */
static bool
patch_whole_lines(const struct patch *pa, size_t first, size_t last)
{
	return patch_blank(pa, patch_line_first(pa, first), first, false) &&
	    patch_blank(pa, last + 1, patch_line_end(pa, last), true);
}

/* Byte offset of the start of token i (the end of the text past the last). */
static size_t
patch_at(const struct patch *pa, size_t i)
{
	return i < pa->lx.n ? pa->lx.v[i].start : pa->len;
}

/* The indent of token i's line: its leading blanks. */
static char *
patch_indent(const struct patch *pa, size_t i)
{
	size_t	f = patch_line_first(pa, i);

	if (f < pa->lx.n && pa->lx.v[f].kind == LEX_SPACE && f != i)
		return strndup(pa->s + pa->lx.v[f].start,
		    pa->lx.v[f].end - pa->lx.v[f].start);
	return strdup("");
}

/* --- the edits ---------------------------------------------------------- */

static void
patch_edit(struct patch *pa, size_t start, size_t end, char *text)
{
	struct patch_edit	*v;

	if (text == NULL || (v = reallocarray(pa->ed, pa->ned + 1,
	    sizeof *v)) == NULL) {
		free(text);
		pa->oom = 1;
		return;
	}
	pa->ed = v;
	v[pa->ned].start = start;
	v[pa->ned].end = end;
	v[pa->ned].text = text;
	v[pa->ned].seq = pa->seq++;
	pa->ned++;
}

/* text with every "\n" made the file's line end. */
static char *
patch_eols(const struct patch *pa, const char *text)
{
	struct buf	b;

	if (strcmp(pa->eol, "\n") == 0)
		return strdup(text);
	buf_init(&b);
	for (; *text != '\0'; text++)
		if (*text == '\n')
			buf_puts(&b, pa->eol);
		else
			buf_putc(&b, *text);
	return buf_finish(&b, NULL);
}

static char *
patch_printf(const struct patch *pa, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A formatted text, its "\n" made the file's line end. */
static char *
patch_printf(const struct patch *pa, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *t;
	int	 r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return NULL;
	t = patch_eols(pa, s);
	free(s);
	return t;
}

/*
 * The comment lines right above token i's line (no blank line between):
 * the token their first one starts with, or i's line's first.
 */
static size_t
patch_comments_above(const struct patch *pa, size_t i)
{
	size_t	first = patch_line_first(pa, i), f;

	while (first > 0) {
		f = patch_line_first(pa, first - 1);
		/* its tokens: blanks and at least one comment */
		if (!patch_blank(pa, f, first - 1, true) ||
		    patch_blank(pa, f, first - 1, false))
			break;
		first = f;
	}
	return first;
}

/*
 * Tokens first..last go. On lines of their own: those lines, the comment
 * lines above them with comments. Else the tokens and the blanks on one
 * side of them.
 */
static void
patch_remove(struct patch *pa, size_t first, size_t last, bool comments)
{
	size_t	from, to;

	if (patch_whole_lines(pa, first, last)) {
		from = comments ? patch_comments_above(pa, first) :
		    patch_line_first(pa, first);
		to = patch_line_end(pa, last);
		patch_edit(pa, patch_at(pa, from), to < pa->lx.n ?
		    pa->lx.v[to].end : pa->len, strdup(""));
		return;
	}
	/* the blanks after, unless a comment or the line's end follows */
	from = first;
	to = last + 1;
	if (patch_is(pa, to, LEX_SPACE) && !patch_is(pa, to + 1, LEX_NEWLINE) &&
	    !patch_is(pa, to + 1, LEX_COMMENT) && to + 1 < pa->lx.n)
		to++;
	else if (from > 0 && patch_is(pa, from - 1, LEX_SPACE))
		from--;
	patch_edit(pa, patch_at(pa, from), patch_at(pa, to), strdup(""));
}

/*
 * A double-quoted value in single quotes, as the person wrote the old one,
 * when it can be: no escape but \" \$ \\ in it and no ' or \ once
 * unescaped (libconfuse reads single-quoted text as it is). NULL: keep it.
 */
static char *
patch_single(const char *value)
{
	struct buf	 b;
	const char	*p;

	if (*value != '"')
		return NULL;
	buf_init(&b);
	buf_putc(&b, '\'');
	for (p = value + 1; *p != '\0' && p[1] != '\0'; p++) {
		if (*p == '\\') {
			p++;
			if (*p != '"' && *p != '$')
				break;	/* \\, \n, \x..: not in single quotes */
		} else if (*p == '\'')
			break;
		buf_putc(&b, *p);
	}
	if (*p != '"' || p[1] != '\0') {
		free(buf_finish(&b, NULL));
		return NULL;
	}
	buf_putc(&b, '\'');
	return buf_finish(&b, NULL);
}

/* Statement st's value made value (in its quotes' style where it can be). */
static void
patch_replace(struct patch *pa, const struct patch_stmt *st, const char *value)
{
	const struct lex_token	*v = patch_tok(pa, st->vfirst);
	char			*single = NULL;

	if (v->kind == LEX_STRING && v->flags & LEX_F_SINGLE)
		single = patch_single(value);
	patch_edit(pa, v->start, pa->lx.v[st->vlast].end, single != NULL ?
	    single : strdup(value));
}

/*
 * Where a key of block b goes in: after the last statement that stays,
 * on a line of its own when that one has one (*line, *indent), else
 * beside it; in a block without any, after its '{' (or at the top of the
 * file). The byte offset.
 */
static size_t
patch_insert_at(const struct patch *pa, size_t b, bool *line, char **indent)
{
	const struct patch_block	*bl = &pa->bl[b];
	size_t				 i, last = PATCH_NONE, e, f;

	*indent = NULL;
	for (i = 0; i < pa->nst; i++)
		if (pa->st[i].block == b && !pa->st[i].gone)
			last = i;
	if (last != PATCH_NONE) {
		const struct patch_stmt *st = &pa->st[last];

		e = patch_line_end(pa, st->vlast);
		*line = patch_blank(pa, st->vlast + 1, e, true);
		if (*line)
			*indent = patch_blank(pa, patch_line_first(pa, st->key),
			    st->key, false) ? patch_indent(pa, st->key) :
			    strdup(b == 0 ? "" : "  ");
		if (!*line)
			return pa->lx.v[st->vlast].end;
		return e < pa->lx.n ? pa->lx.v[e].end : pa->len;
	}
	if (b == 0) {
		/* the top: after its comments and blank lines */
		*line = true;
		*indent = strdup("");
		f = patch_next(pa, 0);
		return f < pa->lx.n ? patch_at(pa, patch_line_first(pa, f)) :
		    pa->len;
	}
	e = patch_line_end(pa, bl->open);
	*line = patch_blank(pa, bl->open + 1, e, true) && e < pa->lx.n;
	if (*line) {
		char *in = patch_indent(pa, bl->name);

		if (in != NULL && asprintf(indent, "%s  ", in) < 0)
			*indent = NULL;
		free(in);
		return pa->lx.v[e].end;
	}
	return pa->lx.v[bl->open].end;
}

/* "key = value" into block b (see patch_insert_at). */
static void
patch_insert(struct patch *pa, size_t b, const char *name, const char *value)
{
	size_t	 at;
	bool	 line, eof;
	char	*indent;

	at = patch_insert_at(pa, b, &line, &indent);
	if (line) {
		/* a line of its own; at the end of a text without one, one */
		eof = at == pa->len && pa->len > 0 && pa->s[pa->len - 1] != '\n';
		patch_edit(pa, at, at, indent == NULL ? NULL :
		    patch_printf(pa, "%s%s%s = %s\n", eof ? "\n" : "", indent,
		    name, value));
	} else
		patch_edit(pa, at, at, patch_printf(pa, " %s = %s%s", name,
		    value, pa->s[at] == '}' ? " " : ""));
	free(indent);
}

/*
 * Key id of block b: ov in the file, nv now, dv its default (NULL: always
 * written when it changed); drop: remove it. In two passes, so that no key
 * goes in after one that goes: first (removals) what goes, then the rest.
 */
static void
patch_key(struct patch *pa, size_t b, enum schema_id id, const char *ov,
    const char *nv, const char *dv, bool drop, bool removals)
{
	const char	*name = schema_key_name(&schema_keys[id]);
	size_t		 i = patch_stmt_of(pa, b, (int)id), j;
	bool		 more = false, whole;

	if (strcmp(ov, nv) == 0 && !drop && !(id == SCHEMA_K_NAME &&
	    i == PATCH_NONE))
		return;
	if (i == PATCH_NONE) {
		/* not in the file: left out while it is at its default */
		if (removals || drop || *nv == '\0' || (dv != NULL &&
		    strcmp(nv, dv) == 0))
			return;
		patch_insert(pa, b, name, nv);
		return;
	}
	for (j = i + 1; j < pa->nst; j++)
		more |= pa->st[j].block == b && pa->st[j].id == (int)id;
	whole = drop || *nv == '\0';
	if (removals) {
		/* the key, or the "+=" after its first statement */
		for (j = whole ? i : i + 1; j < pa->nst; j++) {
			if (pa->st[j].block != b || pa->st[j].id != (int)id)
				continue;
			pa->st[j].gone = true;
			patch_remove(pa, pa->st[j].key, pa->st[j].vlast, whole);
		}
		return;
	}
	if (whole)
		return;
	if (!more && !pa->st[i].append)
		patch_replace(pa, &pa->st[i], nv);
	else	/* "=" and "+=" (or "+=" alone): one "=" holding it all */
		patch_edit(pa, pa->lx.v[pa->st[i].key].start,
		    pa->lx.v[pa->st[i].vlast].end, patch_printf(pa,
		    "%s = %s", name, nv));
}

/* Block b goes: its lines with the comments above them, or its tokens. */
static void
patch_remove_block(struct patch *pa, size_t b)
{
	struct patch_block	*bl = &pa->bl[b];
	size_t			 i;

	bl->gone = true;
	for (i = 0; i < pa->nst; i++)
		if (pa->st[i].block == b)
			pa->st[i].gone = true;
	patch_remove(pa, bl->name, bl->close, true);
}

/*
 * A section (boot, qemu) whose last key went: it goes too, and the blank
 * line above it when it ended the file (as one vmtui added at the end).
 */
static void
patch_empty_section(struct patch *pa, size_t b)
{
	struct patch_block	*bl = &pa->bl[b];
	size_t			 i, f, e;

	bool			 went = false;

	if (b == 0 || bl->gone || PATCH_ROWS(bl->sec) ||
	    schema_sections[bl->sec].flags & SCHEMA_OPTIONAL ||
	    !patch_whole_lines(pa, bl->name, bl->close))
		return;
	for (i = 0; i < pa->nst; i++) {
		if (pa->st[i].block == b && !pa->st[i].gone)
			return;
		went |= pa->st[i].block == b;
	}
	if (!went)
		return;		/* empty as the person wrote it */
	for (i = 0; i < pa->ned; i++)
		if (pa->ed[i].start == pa->ed[i].end &&
		    pa->ed[i].start > pa->lx.v[bl->open].start &&
		    pa->ed[i].start <= pa->lx.v[bl->close].end)
			return;		/* a key goes in */
	/* its keys' removals are in the lines that go now: dropped */
	for (i = 0; i < pa->ned; )
		if (pa->ed[i].start >= pa->lx.v[bl->open].end &&
		    pa->ed[i].end <= pa->lx.v[bl->close].start) {
			free(pa->ed[i].text);
			pa->ed[i] = pa->ed[--pa->ned];
		} else
			i++;
	bl->gone = true;
	f = patch_comments_above(pa, bl->name);
	e = patch_line_end(pa, bl->close);
	if (e + 1 >= pa->lx.n && f > 0 &&
	    patch_blank(pa, patch_line_first(pa, f - 1), f - 1, false))
		f = patch_line_first(pa, f - 1);
	patch_edit(pa, patch_at(pa, f), e < pa->lx.n ? pa->lx.v[e].end :
	    pa->len, strdup(""));
}

/* --- rows ---------------------------------------------------------------- */

/* Whether old's row o and now's row n hold the same values. */
static int
patch_row_same(const struct profile *old, size_t o, const struct profile *now,
    size_t n, int s)
{
	char	*a, *b;
	int	 i, same = 1;

	for (i = 0; same == 1 && i < SCHEMA_NKEYS; i++) {
		if ((int)schema_keys[i].section != s)
			continue;
		a = profile_key_text(old, (enum schema_id)i, o);
		b = profile_key_text(now, (enum schema_id)i, n);
		same = a == NULL || b == NULL ? -1 : strcmp(a, b) == 0;
		free(a);
		free(b);
	}
	return same;
}

/*
 * Which of old's rows of section s each of now's rows is (map[n], -1: a
 * new row), and which of old's are gone. Rows with titles go by title (a
 * title changed at the same place: that row renamed); forwards by place:
 * rows added at the end, or one row removed. -1 out of memory.
 */
static int
patch_map(const struct profile *old, const struct profile *now, int s,
    long *map, bool *gone)
{
	size_t	 no = profile_count(old, (enum schema_section)s);
	size_t	 nn = profile_count(now, (enum schema_section)s), i, j;
	char	**ta, **tb;
	long	 last;
	int	 same;

	for (j = 0; j < no; j++)
		gone[j] = true;
	for (i = 0; i < nn; i++) {
		map[i] = -1;
		tb = profile_title(now, (enum schema_section)s, i);
		if (tb == NULL) {
			/* no titles: by place */
			if (nn >= no)
				map[i] = i < no ? (long)i : -1;
			continue;
		}
		for (j = 0; j < no; j++) {
			ta = profile_title(old, (enum schema_section)s, j);
			if (strcmp(*ta, *tb) == 0) {
				map[i] = (long)j;
				break;
			}
		}
	}
	if (nn > 0 && profile_title(now, (enum schema_section)s, 0) == NULL &&
	    nn < no) {
		/* one removed: the one whose leaving makes the rest equal */
		for (j = 0; nn + 1 == no && j < no; j++) {
			for (i = 0, same = 1; same == 1 && i < nn; i++)
				same = patch_row_same(old, i < j ? i : i + 1,
				    now, i, s);
			if (same < 0)
				return -1;
			if (same)
				break;
		}
		/*
		 * Otherwise they cannot be told apart: every old one goes and
		 * the new ones are written after, the rest of the file as it is.
		 */
		for (i = 0; i < nn; i++)
			map[i] = nn + 1 != no || j == no ? -1 :
			    (long)(i < j ? i : i + 1);
	}
	for (i = 0; i < nn; i++)
		if (map[i] >= 0)
			gone[map[i]] = false;
	/* a title changed in place: the same row, renamed */
	for (i = 0; i < nn && i < no; i++)
		if (map[i] < 0 && gone[i] && profile_title(now,
		    (enum schema_section)s, i) != NULL) {
			for (j = 0; j < nn && map[j] != (long)i; j++)
				;
			if (j == nn) {
				map[i] = (long)i;
				gone[i] = false;
			}
		}
	/*
	 * The rows that stay keep their order (a disk's place is its drive's):
	 * one that moved before another is written anew where it is now.
	 */
	for (i = 0, last = -1; i < nn; i++) {
		if (map[i] < 0)
			continue;
		if (map[i] < last) {
			gone[map[i]] = true;
			map[i] = -1;
		} else
			last = map[i];
	}
	return 0;
}

/*
 * The keys of row row of section s to write: those the file has (block b,
 * NONE for none), and those not at their defaults. -1: out of memory.
 */
static int
patch_want(const struct patch *pa, const struct profile *now, int s,
    size_t row, size_t b, bool want[SCHEMA_NKEYS])
{
	size_t	i;

	if (profile_set_keys(now, pa->def, s, row, want) != 0)
		return -1;
	for (i = 0; b != PATCH_NONE && i < pa->nst; i++)
		if (pa->st[i].block == b && !pa->st[i].gone)
			want[pa->st[i].id] = true;
	return 0;
}

/* A section's text for this file: row row of s, the keys want says. */
static char *
patch_section_text(struct patch *pa, const struct profile *now, int s,
    size_t row)
{
	bool	 want[SCHEMA_NKEYS];
	char	*t, *u;

	if (patch_want(pa, now, s, row, PATCH_NONE, want) != 0 ||
	    (t = profile_format_section(now, (enum schema_section)s, row,
	    want)) == NULL)
		return NULL;
	u = patch_eols(pa, t);
	free(t);
	return u;
}

/*
 * now's new row row of section s (map: which of the file's rows each of
 * now's is): before the block of the next row that stays, so that the rows
 * keep their order; else after the last block of its kind that stays,
 * else at the end of the file (after a blank line).
 */
static void
patch_add_row(struct patch *pa, const struct profile *now, int s, size_t row,
    const long *map)
{
	size_t	 i, last = PATCH_NONE, e, n = profile_count(now, s);
	char	*t;

	for (i = 0; i < pa->nbl; i++)
		if (pa->bl[i].sec == s && !pa->bl[i].gone)
			last = i;
	if ((t = patch_section_text(pa, now, s, row)) == NULL) {
		pa->oom = 1;
		return;
	}
	for (i = row + 1; i < n && map[i] < 0; i++)
		;
	if (i < n && (e = patch_block_of(pa, s, (size_t)map[i])) !=
	    PATCH_NONE) {
		/* before it, and the comment lines above it */
		e = patch_whole_lines(pa, pa->bl[e].name, pa->bl[e].close) ?
		    patch_comments_above(pa, pa->bl[e].name) : pa->bl[e].name;
		patch_edit(pa, patch_at(pa, e), patch_at(pa, e), t);
		return;
	}
	if (last == PATCH_NONE) {
		patch_edit(pa, pa->len, pa->len, patch_printf(pa, "%s\n%s",
		    pa->len > 0 && pa->s[pa->len - 1] != '\n' ? "\n" : "", t));
		free(t);
		return;
	}
	e = patch_line_end(pa, pa->bl[last].close);
	if (e < pa->lx.n && patch_blank(pa, pa->bl[last].close + 1, e, true))
		patch_edit(pa, pa->lx.v[e].end, pa->lx.v[e].end, t);
	else {
		patch_edit(pa, pa->lx.v[pa->bl[last].close].end,
		    pa->lx.v[pa->bl[last].close].end, patch_printf(pa, "\n%s",
		    t));
		free(t);
	}
}

/* A row's title written anew (a disk or share renamed in place). */
static void
patch_title(struct patch *pa, size_t b, const char *title)
{
	struct buf	 bf;
	const char	*p;
	const struct lex_token *t = patch_tok(pa, pa->bl[b].title);

	buf_init(&bf);
	buf_putc(&bf, '"');
	for (p = title; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\' || *p == '$')
			buf_putc(&bf, '\\');
		buf_putc(&bf, *p);
	}
	buf_putc(&bf, '"');
	patch_edit(pa, t->start, t->end, buf_finish(&bf, NULL));
}

/* --- the whole ----------------------------------------------------------- */

static int
patch_edit_cmp(const void *a, const void *b)
{
	const struct patch_edit	*x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* at one place: what goes in before what goes */
	if ((x->start == x->end) != (y->start == y->end))
		return x->start == x->end ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The text with the edits made; NULL when two overlap (or no memory). */
static char *
patch_apply(struct patch *pa, int *overlap)
{
	struct buf	 b;
	size_t		 i, j, at = 0;

	*overlap = 0;
	if (pa->ned == 0)
		return strdup(pa->s);
	/* what goes in where lines go: where they were */
	for (i = 0; i < pa->ned; i++)
		for (j = 0; pa->ed[i].start == pa->ed[i].end && j < pa->ned;
		    j++)
			if (pa->ed[j].start < pa->ed[i].start &&
			    pa->ed[i].start < pa->ed[j].end)
				pa->ed[i].start = pa->ed[i].end =
				    pa->ed[j].start;
	qsort(pa->ed, pa->ned, sizeof *pa->ed, patch_edit_cmp);
	/* two removals that meet (the blank between two rows on a line): one */
	for (i = 0, j = 0; i < pa->ned; i++) {
		if (j > 0 && *pa->ed[i].text == '\0' && *pa->ed[j - 1].text ==
		    '\0' && pa->ed[i].start < pa->ed[i].end &&
		    pa->ed[j - 1].start < pa->ed[j - 1].end &&
		    pa->ed[i].start <= pa->ed[j - 1].end) {
			if (pa->ed[i].end > pa->ed[j - 1].end)
				pa->ed[j - 1].end = pa->ed[i].end;
			free(pa->ed[i].text);
			continue;
		}
		pa->ed[j++] = pa->ed[i];
	}
	pa->ned = j;
	buf_init(&b);
	for (i = 0; i < pa->ned; i++) {
		if (pa->ed[i].start < at) {
			*overlap = 1;
			free(buf_finish(&b, NULL));
			return NULL;
		}
		buf_add(&b, pa->s + at, pa->ed[i].start - at);
		buf_puts(&b, pa->ed[i].text);
		at = pa->ed[i].end;
	}
	buf_add(&b, pa->s + at, pa->len - at);
	return buf_finish(&b, NULL);
}

static void
patch_free(struct patch *pa)
{
	size_t	i;
	int	s;

	for (s = 0; s < SCHEMA_NSECTIONS; s++)
		free(pa->rows[s]);
	free(pa->first);
	for (i = 0; i < pa->ned; i++)
		free(pa->ed[i].text);
	free(pa->ed);
	free(pa->st);
	free(pa->bl);
	lex_free(&pa->lx);
}

/* The text holds what old says: as many sections of each kind. */
static bool
patch_matches(const struct patch *pa, const struct profile *old)
{
	int	s;

	for (s = SCHEMA_ROOT + 1; s < SCHEMA_NSECTIONS; s++) {
		if (PATCH_ROWS(s) || PATCH_OPTIONAL(s)) {
			if (pa->nrows[s] != profile_count(old,
			    (enum schema_section)s))
				return false;
		} else if (pa->nrows[s] > 1)
			return false;
	}
	return true;
}

/*
 * One key of one section (block b, NONE when the file has none; orow old's
 * row, row now's); removals: the first pass (patch_key). 0, or -1 out of
 * memory.
 */
static int
patch_one(struct patch *pa, const struct profile *old,
    const struct profile *now, enum schema_id id, size_t b, size_t orow,
    size_t row, bool drop, bool removals, bool *add)
{
	int	 s = schema_keys[id].section;
	char	*ov, *nv, *dv = NULL;
	int	 r = 0;

	ov = profile_key_text(old, id, orow);
	nv = profile_key_text(now, id, row);
	/*
	 * A row's keys are always written when set; so is the name (a file
	 * without one is named by its file name, which the save's temp file
	 * does not have).
	 */
	if (!PATCH_ROWS(s) && id != SCHEMA_K_NAME &&
	    (dv = profile_key_text(pa->def, id, 0)) == NULL)
		r = -1;
	if (ov == NULL || nv == NULL)
		r = -1;
	/* unset means back at the default: a key set since stays */
	if (r == 0 && drop && *nv != '\0' && (dv == NULL || strcmp(nv,
	    dv) != 0))
		drop = false;
	if (r == 0 && b != PATCH_NONE)
		patch_key(pa, b, id, ov, nv, dv, drop, removals);
	else if (r == 0 && dv != NULL && strcmp(nv, dv) != 0 && *nv != '\0' &&
	    !drop)
		*add = true;	/* a section the file does not have */
	free(ov);
	free(nv);
	free(dv);
	return r;
}

/*
 * The file's text (read as old) patched to hold now; drop[id]: keys of the
 * profile (not of rows) to remove. 0 with *out, 1 when it cannot be done
 * (the text is not what old was read from), -1 out of memory.
 */
int
profile_patch(const char *text, const struct profile *old,
    const struct profile *now, const bool *drop, char **out)
{
	struct patch	 pa;
	bool		 add[SCHEMA_NSECTIONS], *gone[SCHEMA_NSECTIONS];
	long		*map[SCHEMA_NSECTIONS];
	size_t		 i, row, n, no, b;
	int		 s, r = 0, overlap, pass;
	char		*t, **title;

	*out = NULL;
	memset(&pa, 0, sizeof pa);
	memset(add, 0, sizeof add);
	memset(map, 0, sizeof map);
	memset(gone, 0, sizeof gone);
	pa.s = text;
	pa.len = strlen(text);
	if ((pa.def = profile_reference()) == NULL)
		r = -1;
	else if ((r = patch_read(&pa)) == 0 && !patch_matches(&pa, old))
		r = 1;
	for (s = 0; r == 0 && s < SCHEMA_NSECTIONS; s++) {
		if (!PATCH_ROWS(s))
			continue;
		n = profile_count(now, (enum schema_section)s);
		no = profile_count(old, (enum schema_section)s);
		if ((map[s] = calloc(n + 1, sizeof *map[s])) == NULL ||
		    (gone[s] = calloc(no + 1, sizeof *gone[s])) == NULL ||
		    patch_map(old, now, s, map[s], gone[s]) != 0)
			r = -1;
	}
	/*
	 * Rows and optional sections (the root disk, cloud-init) gone first:
	 * no key goes in after them.
	 */
	for (s = 0; r == 0 && s < SCHEMA_NSECTIONS; s++) {
		no = profile_count(old, (enum schema_section)s);
		for (row = 0; row < no; row++)
			if ((PATCH_ROWS(s) && gone[s][row]) ||
			    (PATCH_OPTIONAL(s) && profile_count(now,
			    (enum schema_section)s) == 0))
				patch_remove_block(&pa, patch_block_of(&pa, s,
				    row));
	}
	/* every key of every section that stays: what goes, then the rest */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; r == 0 && i < SCHEMA_NKEYS; i++) {
			s = schema_keys[i].section;
			if (PATCH_OPTIONAL(s) && profile_count(now,
			    (enum schema_section)s) == 0)
				continue;
			if (PATCH_OPTIONAL(s) && profile_count(old,
			    (enum schema_section)s) == 0) {
				add[s] = true;	/* a new root disk... */
				continue;
			}
			n = PATCH_ROWS(s) ? profile_count(now,
			    (enum schema_section)s) : 1;
			for (row = 0; r == 0 && row < n; row++) {
				if (PATCH_ROWS(s) && map[s][row] < 0)
					continue;	/* new: added below */
				no = PATCH_ROWS(s) ? (size_t)map[s][row] : 0;
				r = patch_one(&pa, old, now, (enum schema_id)i,
				    patch_block_of(&pa, s, no), no, row,
				    !PATCH_ROWS(s) && drop != NULL && drop[i],
				    pass == 0, &add[s]);
			}
		}
	/* titles changed in place, rows added */
	for (s = 0; r == 0 && s < SCHEMA_NSECTIONS; s++) {
		if (!PATCH_ROWS(s))
			continue;
		for (row = 0; row < profile_count(now, (enum schema_section)s);
		    row++) {
			if (map[s][row] < 0) {
				patch_add_row(&pa, now, s, row, map[s]);
				continue;
			}
			title = profile_title(now, (enum schema_section)s, row);
			b = patch_block_of(&pa, s, (size_t)map[s][row]);
			if (title != NULL && strcmp(*title, *profile_title(old,
			    (enum schema_section)s, (size_t)map[s][row])) != 0)
				patch_title(&pa, b, *title);
		}
	}
	for (b = 1; r == 0 && b < pa.nbl; b++)
		patch_empty_section(&pa, b);
	/* new sections at the end, with what is not at its default */
	for (s = 0; r == 0 && s < SCHEMA_NSECTIONS; s++) {
		if (!add[s])
			continue;
		if ((t = patch_section_text(&pa, now, s, 0)) == NULL) {
			r = -1;
			break;
		}
		patch_edit(&pa, pa.len, pa.len, patch_printf(&pa, "%s\n%s",
		    pa.len > 0 && text[pa.len - 1] != '\n' ? "\n" : "", t));
		free(t);
	}
	if (r == 0 && pa.oom)
		r = -1;
	if (r == 0 && (*out = patch_apply(&pa, &overlap)) == NULL)
		r = overlap ? 1 : -1;
	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		free(map[s]);
		free(gone[s]);
	}
	profile_free((struct profile *)pa.def);
	patch_free(&pa);
	return r;
}

/*
 * Where key id (row row of its section) is in text: the lines of its
 * statements, from its first key to the end of its last value (a list
 * may be added to with "+="). 0, or -1 when the text does not hold it.
 */
int
profile_patch_where(const char *text, enum schema_id id, size_t row,
    int *first, int *last)
{
	struct patch	 pa;
	size_t		 b, i;
	int		 r = -1;

	memset(&pa, 0, sizeof pa);
	pa.s = text;
	pa.len = strlen(text);
	if (patch_read(&pa) >= 0 &&
	    (b = patch_block_of(&pa, schema_keys[id].section, row)) !=
	    PATCH_NONE && (i = patch_stmt_of(&pa, b, (int)id)) != PATCH_NONE) {
		*first = pa.lx.v[pa.st[i].key].line;
		for (; i < pa.nst; i++)		/* and its "+=" */
			if (pa.st[i].block == b && pa.st[i].id == (int)id)
				*last = pa.lx.v[pa.st[i].vlast].end_line;
		r = 0;
	}
	patch_free(&pa);
	return r;
}

/* The line of key id (row row) in text, for messages; 0 when not there. */
int
profile_patch_line(const char *text, enum schema_id id, size_t row)
{
	int	first, last;

	return profile_patch_where(text, id, row, &first, &last) == 0 ?
	    first : 0;
}
