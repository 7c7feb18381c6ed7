/*
 * profile_patch: a save that keeps what the person wrote. The file's text
 * changes only where the model did: a changed value is replaced on its own
 * line (the rest of the line, a comment after it, stays), a key the file
 * left out and that is now set to something other than its default is
 * inserted after its siblings with their indent, a key unset is removed
 * with the comment lines right above it. Comments, blank lines, order and
 * quoting elsewhere stay byte for byte.
 *
 * What cannot be patched safely says so (1): two assignments on one line,
 * a value over several lines, a root disk or a row added, removed or
 * renamed, a key to insert into a section that holds no key yet. The
 * caller then writes the canonical text. Whatever is written is read back
 * and compared with the model first (profile_save_text).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "buf.h"
#include "io.h"
#include "prescan.h"
#include "profile_patch.h"
#include "profile_save.h"

#define PATCH_ROWS(s)	(schema_sections[s].flags & SCHEMA_ROWS)

struct patch_line {
	const char	*s;		/* in the text, with its newline */
	size_t		 len;
	char		*repl;		/* the line's new text, or NULL */
	bool		 drop;
	bool		 redo;		/* its keys of the profile, a line each */
	struct buf	 before;	/* lines inserted before it */
	bool		 has_before;
	struct buf	 after;		/* lines inserted after it */
	bool		 has_after;
};

struct patch {
	struct patch_line	*v;
	size_t			 n;
	const struct profile	*def;	/* every key at its default */
};

/* A token of a line, libconfuse's way. */
enum patch_tok { TOK_END, TOK_WORD, TOK_STRING, TOK_EQ, TOK_OPEN, TOK_CLOSE,
    TOK_COMMA, TOK_COMMENT, TOK_BAD };

static enum patch_tok
patch_token(const char *s, size_t len, size_t *at, size_t *start)
{
	size_t	i = *at;
	char	q;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\r' || s[i] == '\n'))
			i++;
		/* a block comment that ends on this line is space */
		if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
			const char *e = memmem(s + i + 2, len - i - 2, "*/", 2);

			if (e == NULL)
				return TOK_BAD;
			i = (size_t)(e - s) + 2;
			continue;
		}
		break;
	}
	*start = i;
	if (i >= len) {
		*at = i;
		return TOK_END;
	}
	switch (s[i]) {
	case '#':
		*at = len;
		return TOK_COMMENT;
	case '/':
		if (i + 1 < len && s[i + 1] == '/') {
			*at = len;
			return TOK_COMMENT;
		}
		return TOK_BAD;
	case '=':
		*at = i + 1;
		return TOK_EQ;
	case '{':
		*at = i + 1;
		return TOK_OPEN;
	case '}':
		*at = i + 1;
		return TOK_CLOSE;
	case ',':
		*at = i + 1;
		return TOK_COMMA;
	case '"':
	case '\'':
		q = s[i++];
		while (i < len && s[i] != q) {
			if (s[i] == '\\' && i + 1 < len)
				i++;
			i++;
		}
		if (i >= len)
			return TOK_BAD;	/* goes on to the next line */
		*at = i + 1;
		return TOK_STRING;
	case '+':
		return TOK_BAD;		/* += */
	}
	while (i < len && strchr(" \t\r\n{}=,#\"'", s[i]) == NULL)
		i++;
	*at = i;
	return TOK_WORD;
}

/*
 * The value of key on this line: the line holds one assignment, of key,
 * whose value ends on it. [*vs, *ve) is the value; *close: a '}' follows.
 */
static bool
patch_find(const char *s, size_t len, const char *key, size_t *vs,
    size_t *ve, bool *close, bool *alone)
{
	enum patch_tok	 t, prev = TOK_END;
	size_t		 at = 0, start, wstart = 0, wlen = 0, n = 0;
	int		 eqs = 0, depth = 0;
	bool		 found = false, invalue = false;

	*close = false;
	*alone = true;
	while ((t = patch_token(s, len, &at, &start)) != TOK_END) {
		n++;
		switch (t) {
		case TOK_BAD:
			return false;
		case TOK_COMMENT:
			break;
		case TOK_EQ:
			if (++eqs > 1 || prev != TOK_WORD)
				return false;
			if (wlen == strlen(key) && memcmp(s + wstart, key,
			    wlen) == 0)
				found = invalue = true;
			else
				return false;
			break;
		case TOK_OPEN:
			if (invalue && depth == 0 && prev == TOK_EQ)
				*vs = start;
			if (invalue)
				depth++;
			else
				*alone = false;		/* a section opens */
			break;
		case TOK_CLOSE:
			if (invalue && depth > 0) {
				if (--depth == 0) {
					*ve = at;
					invalue = false;
				}
			} else {
				*close = true;
				*alone = false;
			}
			break;
		case TOK_WORD:
		case TOK_STRING:
			if (invalue && depth == 0 && prev == TOK_EQ) {
				*vs = start;
				*ve = at;
				invalue = false;
			} else if (!invalue && t == TOK_WORD) {
				wstart = start;
				wlen = at - start;
				if (found)
					return false;	/* another key */
			}
			break;
		default:
			break;
		}
		if (t != TOK_COMMENT)
			prev = t;
	}
	(void)n;
	return found && !invalue && depth == 0;
}

/* Whether the line is a comment and nothing else. */
static bool
patch_is_comment(const struct patch_line *l)
{
	size_t	at = 0, start;

	return patch_token(l->s, l->len, &at, &start) == TOK_COMMENT;
}

/*
 * Where each key is in the text: the line of its "key =", found by reading
 * the text as libconfuse does (its own line numbers are those of the token
 * after a value). loc[s] holds rows x (SCHEMA_NKEYS) lines, 0 where a key
 * is not; -1 where it cannot be told (a line that does not tokenize).
 */
struct patch_loc {
	int	*v[SCHEMA_NSECTIONS];	/* rows of PATCH_W */
	size_t	 n[SCHEMA_NSECTIONS];
};
#define PATCH_W		(SCHEMA_NKEYS + 3)
#define PATCH_OPEN	SCHEMA_NKEYS		/* the section's first line */
#define PATCH_CLOSE	(SCHEMA_NKEYS + 1)	/* its last */
#define PATCH_REDO	(SCHEMA_NKEYS + 2)	/* write it out again */

static int *
patch_loc_row(struct patch_loc *lc, int s, size_t row)
{
	int	*v;

	while (lc->n[s] <= row) {
		if ((v = reallocarray(lc->v[s], lc->n[s] + 1,
		    PATCH_W * sizeof *v)) == NULL)
			return NULL;
		lc->v[s] = v;
		memset(v + lc->n[s] * PATCH_W, 0, PATCH_W * sizeof *v);
		lc->n[s]++;
	}
	return lc->v[s] + row * PATCH_W;
}

static int
patch_locate(const struct patch *pa, struct patch_loc *lc)
{
	enum patch_tok	 t, prev = TOK_END;
	const char	*word = NULL;
	size_t		 i, at, start, wlen = 0, wline = 0;
	size_t		 rows[SCHEMA_NSECTIONS];
	int		 depth = 0, vdepth = 0, sec = SCHEMA_ROOT, id, *row;
	char		 path[128];

	memset(rows, 0, sizeof rows);
	memset(lc, 0, sizeof *lc);
	if ((row = patch_loc_row(lc, SCHEMA_ROOT, 0)) == NULL)
		return -1;
	for (i = 0; i < pa->n; i++) {
		at = 0;
		while ((t = patch_token(pa->v[i].s, pa->v[i].len, &at,
		    &start)) != TOK_END) {
			if (t == TOK_BAD)
				return 1;	/* a string over lines */
			if (t == TOK_COMMENT)
				break;
			switch (t) {
			case TOK_WORD:
				if (prev != TOK_EQ) {
					word = pa->v[i].s + start;
					wlen = at - start;
					wline = i;
				}
				break;
			case TOK_EQ:
				if (prev != TOK_WORD || vdepth > 0 || word == NULL)
					return 1;
				if (sec == SCHEMA_ROOT)
					snprintf(path, sizeof path, "%.*s",
					    (int)wlen, word);
				else if (sec >= 0)
					snprintf(path, sizeof path, "%s|%.*s",
					    schema_sections[sec].name,
					    (int)wlen, word);
				else
					path[0] = '\0';
				if ((id = schema_index(path)) >= 0 &&
				    row != NULL)
					row[id] = row[id] == 0 && wline == i ?
					    (int)i + 1 : -1;
				break;
			case TOK_OPEN:
				if (prev == TOK_EQ || vdepth > 0)
					vdepth++;	/* a list */
				else if (depth == 0 && word != NULL) {
					depth = 1;
					sec = schema_section_index(word, wlen);
					row = NULL;
					if (sec >= 0 && (row = patch_loc_row(lc,
					    sec, rows[sec]++)) == NULL)
						return -1;
					/* whole lines: its name starts one */
					if (row != NULL)
						row[PATCH_OPEN] = word ==
						    pa->v[wline].s + strspn(
						    pa->v[wline].s, " \t") ?
						    (int)wline + 1 : -1;
				} else
					return 1;
				break;
			case TOK_CLOSE:
				if (vdepth > 0)
					vdepth--;
				else if (depth == 1) {
					size_t a2 = at, s2;
					enum patch_tok t2 = patch_token(
					    pa->v[i].s, pa->v[i].len, &a2, &s2);

					/* whole lines: only a comment after */
					if (row != NULL)
						row[PATCH_CLOSE] = t2 == TOK_END ||
						    t2 == TOK_COMMENT ?
						    (int)i + 1 : -1;
					depth = 0;
					sec = SCHEMA_ROOT;
					row = lc->v[SCHEMA_ROOT];
				} else
					return 1;
				break;
			default:
				break;
			}
			prev = t;
		}
	}
	return 0;
}

static void
patch_loc_free(struct patch_loc *lc)
{
	int	s;

	for (s = 0; s < SCHEMA_NSECTIONS; s++)
		free(lc->v[s]);
}

static int
patch_split(struct patch *pa, const char *text)
{
	const char	*s = text, *nl;

	while (*s != '\0') {
		struct patch_line *v;

		if ((v = reallocarray(pa->v, pa->n + 1, sizeof *v)) == NULL)
			return -1;
		pa->v = v;
		nl = strchr(s, '\n');
		memset(&pa->v[pa->n], 0, sizeof pa->v[0]);
		pa->v[pa->n].s = s;
		pa->v[pa->n].len = nl != NULL ? (size_t)(nl - s) + 1 :
		    strlen(s);
		buf_init(&pa->v[pa->n].after);
		buf_init(&pa->v[pa->n].before);
		s += pa->v[pa->n].len;
		pa->n++;
	}
	return 0;
}

static void
patch_free(struct patch *pa)
{
	size_t	i;

	for (i = 0; i < pa->n; i++) {
		free(pa->v[i].repl);
		free(buf_finish(&pa->v[i].after, NULL));
		free(buf_finish(&pa->v[i].before, NULL));
	}
	free(pa->v);
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

/* Line l (1-based) with [vs, ve) replaced by value. */
static int
patch_replace(struct patch_line *l, size_t vs, size_t ve, const char *value)
{
	struct buf	 b;
	char		*single = NULL;

	if (l->s[vs] == '\'')
		single = patch_single(value);
	buf_init(&b);
	buf_add(&b, l->s, vs);
	buf_puts(&b, single != NULL ? single : value);
	free(single);
	buf_add(&b, l->s + ve, l->len - ve);
	free(l->repl);
	return (l->repl = buf_finish(&b, NULL)) != NULL ? 0 : -1;
}

/*
 * A section (boot, qemu) whose last key went: its lines go too, with its
 * comments, and the blank line above it when it ended the file (as a
 * section vmtui added at the end did).
 */
static void
patch_empty_section(struct patch *pa, const int *keyline, int s)
{
	size_t	j, o, c;
	int	i;

	if (keyline == NULL || s == SCHEMA_ROOT ||
	    schema_sections[s].flags & (SCHEMA_ROWS | SCHEMA_OPTIONAL) ||
	    keyline[PATCH_OPEN] <= 0 || keyline[PATCH_CLOSE] <= 0)
		return;
	o = (size_t)keyline[PATCH_OPEN] - 1;
	c = (size_t)keyline[PATCH_CLOSE] - 1;
	for (i = 0; i < SCHEMA_NKEYS; i++)
		if ((int)schema_keys[i].section == s && keyline[i] > 0 &&
		    !pa->v[keyline[i] - 1].drop)
			return;		/* a key stays */
	for (j = o; j <= c; j++)
		if (!pa->v[j].drop && j != o && j != c &&
		    !patch_is_comment(&pa->v[j]) &&
		    strspn(pa->v[j].s, " \t\r\n") != pa->v[j].len)
			return;		/* something else in it */
	for (j = o; j <= c; j++)
		pa->v[j].drop = true;
	for (j = o; j > 0 && patch_is_comment(&pa->v[j - 1]); j--)
		pa->v[j - 1].drop = true;
	if (c + 1 == pa->n && j > 0 &&
	    strspn(pa->v[j - 1].s, " \t\r\n") == pa->v[j - 1].len)
		pa->v[j - 1].drop = true;
}

/*
 * One key of one section (row i): value ov in the file, nv now; drop:
 * remove it. lines: where the section's keys are. 0, 1 (cannot), -1.
 */
static int
patch_key(struct patch *pa, const int *keyline, enum schema_id id,
    const char *ov, const char *nv, const char *dv, bool drop)
{
	const struct schema_key	*k = &schema_keys[id];
	const char		*name = schema_key_name(k);
	struct patch_line	*l;
	size_t			 vs = 0, ve = 0, ws, j;
	int			 at = keyline != NULL ? keyline[id] : 0;
	int			 anchor = 0, i;
	bool			 close, alone;

	if (strcmp(ov, nv) == 0 && !drop && !(id == SCHEMA_K_NAME && at == 0))
		return 0;
	if (at < 0)
		return 1;
	if (at > 0) {
		if ((size_t)at > pa->n)
			return 1;
		l = &pa->v[at - 1];
		if (l->drop || !patch_find(l->s, l->len, name, &vs, &ve,
		    &close, &alone))
			return 1;
		if (drop || *nv == '\0') {
			if (!alone || close)
				return 1;
			l->drop = true;
			/* its own comments: the comment lines right above */
			for (j = (size_t)at - 1; j > 0 &&
			    patch_is_comment(&pa->v[j - 1]); j--)
				pa->v[j - 1].drop = true;
			patch_empty_section(pa, keyline, k->section);
			return 0;
		}
		return patch_replace(l, vs, ve, nv) != 0 ? -1 : 0;
	}
	/* not in the file: left out while it is at its default */
	if (drop || *nv == '\0' || strcmp(nv, dv) == 0)
		return 0;
	for (i = 0; keyline != NULL && i < SCHEMA_NKEYS; i++)
		if (schema_keys[i].section == k->section &&
		    keyline[i] > anchor)
			anchor = keyline[i];
	if (anchor == 0 || (size_t)anchor > pa->n)
		return 2;	/* no sibling to go after */
	l = &pa->v[anchor - 1];
	for (i = 0; i < SCHEMA_NKEYS; i++)
		if (keyline[i] == anchor)
			break;
	if (i == SCHEMA_NKEYS || l->repl != NULL || l->drop ||
	    !patch_find(l->s, l->len, schema_key_name(&schema_keys[i]), &vs,
	    &ve, &close, &alone))
		return 1;
	if (close) {
		/* a section on one line: the key goes in before its '}' */
		size_t		pos = ve, start;
		enum patch_tok	t;
		struct buf	b;

		while ((t = patch_token(l->s, l->len, &pos, &start)) != TOK_CLOSE)
			if (t == TOK_END || t == TOK_COMMENT)
				return 1;
		buf_init(&b);
		buf_add(&b, l->s, start);
		buf_printf(&b, "%s = %s ", name, nv);
		buf_add(&b, l->s + start, l->len - start);
		return (l->repl = buf_finish(&b, NULL)) != NULL ? 0 : -1;
	}
	ws = strspn(l->s, " \t");
	if (l->s[l->len - 1] != '\n')
		return 1;
	buf_add(&l->after, l->s, ws);
	buf_printf(&l->after, "%s = %s\n", name, nv);
	l->has_after = true;
	return 0;
}

/* Line l's comment (from # or // to its end) as a line of its own. */
static void
patch_comment(struct buf *b, const struct patch_line *l, size_t indent)
{
	size_t		at = 0, start, end;
	enum patch_tok	t;

	while ((t = patch_token(l->s, l->len, &at, &start)) != TOK_END &&
	    t != TOK_COMMENT)
		;
	if (t != TOK_COMMENT)
		return;
	end = l->len;
	while (end > start && (l->s[end - 1] == '\n' || l->s[end - 1] == '\r'))
		end--;
	buf_add(b, l->s, indent);
	buf_add(b, l->s + start, end - start);
	buf_putc(b, '\n');
}

/*
 * Row row of section s written out again in place of its lines, the
 * comments on its first and last lines kept above it.
 */
/*
 * The keys of row row of section s to write: those the file has (loc), and
 * those not at their defaults (def's row 0). -1: out of memory.
 */
static int
patch_want(const struct profile *now, const struct profile *def, int s,
    size_t row, const int *loc, bool want[SCHEMA_NKEYS])
{
	int	i;

	if (profile_set_keys(now, def, s, row, want) != 0)
		return -1;
	for (i = 0; loc != NULL && i < SCHEMA_NKEYS; i++)
		want[i] |= (int)schema_keys[i].section == s && loc[i] != 0;
	return 0;
}

static int
patch_redo(struct patch *pa, const struct profile *now,
    const struct profile *def, int s, size_t row, const int *loc)
{
	struct patch_line	*first = &pa->v[loc[PATCH_OPEN] - 1];
	struct buf		 b;
	size_t			 indent = strspn(first->s, " \t"), j;
	bool			 want[SCHEMA_NKEYS];
	char			*text;

	if (patch_want(now, def, s, row, loc, want) != 0)
		return -1;
	buf_init(&b);
	patch_comment(&b, first, indent);
	if (loc[PATCH_CLOSE] != loc[PATCH_OPEN])
		patch_comment(&b, &pa->v[loc[PATCH_CLOSE] - 1], indent);
	if ((text = profile_format_section(now, (enum schema_section)s,
	    row, want)) == NULL) {
		free(buf_finish(&b, NULL));
		return -1;
	}
	buf_puts(&b, text);
	free(text);
	for (j = (size_t)loc[PATCH_OPEN] - 1; j < (size_t)loc[PATCH_CLOSE];
	    j++) {
		free(pa->v[j].repl);
		pa->v[j].repl = NULL;
		pa->v[j].drop = true;
		pa->v[j].has_after = false;
	}
	free(first->repl);
	first->repl = buf_finish(&b, NULL);
	first->drop = false;
	return first->repl != NULL ? 0 : -1;
}

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
 * new row), and which of old's are gone. Rows with titles go by title;
 * forwards by place: rows added at the end, or one row removed. 0, or 1
 * when it cannot be told, -1 out of memory.
 */
static int
patch_map(const struct profile *old, const struct profile *now, int s,
    long *map, bool *gone)
{
	size_t	 no = profile_count(old, (enum schema_section)s);
	size_t	 nn = profile_count(now, (enum schema_section)s), i, j;
	char	**ta, **tb;
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
	return 0;
}

/* Old row o's lines removed, with the comment lines right above it. */
static int
patch_remove_row(struct patch *pa, const int *loc)
{
	size_t	j;

	if (loc == NULL || loc[PATCH_OPEN] <= 0 || loc[PATCH_CLOSE] <= 0)
		return 1;
	for (j = (size_t)loc[PATCH_OPEN] - 1; j < (size_t)loc[PATCH_CLOSE];
	    j++)
		pa->v[j].drop = true;
	for (j = (size_t)loc[PATCH_OPEN] - 1; j > 0 &&
	    patch_is_comment(&pa->v[j - 1]); j--)
		pa->v[j - 1].drop = true;
	return 0;
}

/* now's row that is old's row o (for a section written out again). */
static size_t
patch_new_row(const long *map, size_t n, size_t o)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (map[i] == (long)o)
			return i;
	return o;
}

/*
 * now's new row row of section s: after the last line of the section's
 * last row that stays, else at the end of the file (end).
 */
static int
patch_add_row(struct patch *pa, const struct patch_loc *lc,
    const struct profile *now, const struct profile *def, int s, size_t row,
    const bool *gone, struct buf *end)
{
	bool	 want[SCHEMA_NKEYS];
	char	*t;
	int	 last = 0;
	size_t	 j;

	for (j = 0; j < lc->n[s]; j++)
		if (!gone[j] && lc->v[s][j * PATCH_W + PATCH_CLOSE] > last)
			last = lc->v[s][j * PATCH_W + PATCH_CLOSE];
	if (patch_want(now, def, s, row, NULL, want) != 0 ||
	    (t = profile_format_section(now, (enum schema_section)s, row,
	    want)) == NULL)
		return -1;
	if (last > 0 && (size_t)last <= pa->n &&
	    pa->v[last - 1].s[pa->v[last - 1].len - 1] == '\n') {
		buf_puts(&pa->v[last - 1].after, t);
		pa->v[last - 1].has_after = true;
	} else {
		buf_putc(end, '\n');
		buf_puts(end, t);
	}
	free(t);
	return 0;
}

/* Whether a line holds a section's brace (outside strings and comments). */
static bool
patch_has_brace(const struct patch_line *l)
{
	size_t		at = 0, start;
	enum patch_tok	t;

	while ((t = patch_token(l->s, l->len, &at, &start)) != TOK_END &&
	    t != TOK_COMMENT)
		if (t == TOK_OPEN || t == TOK_CLOSE || t == TOK_BAD)
			return true;
	return false;
}

/*
 * Line i held several keys of the profile and one of them changed: its
 * comment on a line of its own, then each of its keys on a line, as the
 * model has them now (an unset one left out).
 */
static int
patch_redo_line(struct buf *b, const struct patch *pa,
    const struct patch_loc *lc, const struct profile *now, const bool *drop,
    size_t i)
{
	const int	*loc = lc->v[SCHEMA_ROOT];
	char		*v;
	int		 k;

	patch_comment(b, &pa->v[i], strspn(pa->v[i].s, " \t"));
	for (k = 0; k < SCHEMA_NKEYS; k++) {
		if (loc[k] != (int)i + 1 || (drop != NULL && drop[k]))
			continue;
		if ((v = profile_key_text(now, (enum schema_id)k, 0)) == NULL)
			return -1;
		if (*v != '\0')
			buf_printf(b, "%s = %s\n",
			    schema_key_name(&schema_keys[k]), v);
		free(v);
	}
	return 0;
}

/*
 * A key of the profile in a file that has none yet: after the comments
 * and blank lines at its top.
 */
static int
patch_top(struct patch *pa, const char *name, const char *value)
{
	size_t	i;

	for (i = 0; i < pa->n && (patch_is_comment(&pa->v[i]) ||
	    strspn(pa->v[i].s, " \t\r\n") == pa->v[i].len); i++)
		;
	if (i == pa->n)
		return 1;
	buf_printf(&pa->v[i].before, "%s = %s\n", name, value);
	pa->v[i].has_before = true;
	return 0;
}

/*
 * The line of key id (row row of its section) in text, for messages; 0
 * when the text does not hold it.
 */
int
profile_patch_line(const char *text, enum schema_id id, size_t row)
{
	struct patch	 pa;
	struct patch_loc lc;
	int		 s = schema_keys[id].section, line = 0;

	memset(&pa, 0, sizeof pa);
	memset(&lc, 0, sizeof lc);
	if (patch_split(&pa, text) == 0 && patch_locate(&pa, &lc) == 0 &&
	    row < lc.n[s])
		line = lc.v[s][row * PATCH_W + id];
	patch_free(&pa);
	patch_loc_free(&lc);
	return line > 0 ? line : 0;
}

/*
 * The file's text (read as old) patched to hold now; drop[id]: keys of the
 * profile (not of rows) to remove. 0 with *out, 1 when it cannot be done
 * safely, -1 out of memory.
 */
int
profile_patch(const char *text, const struct profile *old,
    const struct profile *now, const bool *drop, char **out)
{
	struct patch	 pa;
	struct patch_loc lc;
	struct profile	*def = NULL;
	struct buf	 b;
	char		*ov, *nv, *dv;
	size_t		 i, row, n;
	int		 s, r = 0, *loc;
	bool		 add[SCHEMA_NSECTIONS], want[SCHEMA_NKEYS];
	bool		*gone[SCHEMA_NSECTIONS];
	long		*map[SCHEMA_NSECTIONS], orow;
	struct buf	 end, *add_end = &end;
	char		*t;

	*out = NULL;
	buf_init(&end);
	memset(add, 0, sizeof add);
	memset(&pa, 0, sizeof pa);
	if (old->has_root_disk != now->has_root_disk)
		return 1;
	memset(&lc, 0, sizeof lc);
	memset(map, 0, sizeof map);
	memset(gone, 0, sizeof gone);
	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		if (!PATCH_ROWS(s))
			continue;
		n = profile_count(now, (enum schema_section)s);
		i = profile_count(old, (enum schema_section)s);
		if ((map[s] = calloc(n + 1, sizeof *map[s])) == NULL ||
		    (gone[s] = calloc(i + 1, sizeof *gone[s])) == NULL)
			r = -1;
		else
			r = patch_map(old, now, s, map[s], gone[s]);
		if (r != 0) {
			for (s = 0; s < SCHEMA_NSECTIONS; s++) {
				free(map[s]);
				free(gone[s]);
			}
			return r;
		}
	}
	if ((def = profile_reference()) == NULL ||
	    patch_split(&pa, text) != 0 || (r = patch_locate(&pa, &lc)) != 0) {
		profile_free(def);
		patch_free(&pa);
		patch_loc_free(&lc);
		return r > 0 ? 1 : -1;
	}
	for (i = 0; r == 0 && i < SCHEMA_NKEYS; i++) {
		s = schema_keys[i].section;
		if (profile_count(now, (enum schema_section)s) == 0)
			continue;
		n = PATCH_ROWS(s) ? profile_count(now,
		    (enum schema_section)s) : 1;
		for (row = 0; r == 0 && row < n; row++) {
			orow = PATCH_ROWS(s) ? map[s][row] : 0;
			if (orow < 0)
				continue;	/* a new row: added below */
			ov = profile_key_text(old, (enum schema_id)i,
			    (size_t)orow);
			nv = profile_key_text(now, (enum schema_id)i, row);
			/*
			 * A row's keys are always written when set; so is the
			 * name (a file without one is named by its file name,
			 * which the save's temp file does not have).
			 */
			dv = PATCH_ROWS(s) || i == SCHEMA_K_NAME ?
			    strdup("\x01") :
			    profile_key_text(def, (enum schema_id)i, 0);
			loc = (size_t)orow < lc.n[s] ? lc.v[s] + orow * PATCH_W :
			    NULL;
			if (ov == NULL || nv == NULL || dv == NULL)
				r = -1;
			else if (loc != NULL && loc[PATCH_REDO])
				r = 0;	/* written out again anyway */
			else
				r = patch_key(&pa, loc, (enum schema_id)i, ov,
				    nv, dv, !PATCH_ROWS(s) && drop != NULL &&
				    drop[i]);
			/* a section that cannot be patched: its text anew */
			if (r >= 1 && s != SCHEMA_ROOT && loc != NULL &&
			    loc[PATCH_OPEN] > 0 && loc[PATCH_CLOSE] > 0 &&
			    (drop == NULL || !drop[i])) {
				loc[PATCH_REDO] = 1;
				r = 0;
			}
			/* keys of the profile sharing a line: a line each */
			if (r == 1 && s == SCHEMA_ROOT && loc != NULL &&
			    loc[i] > 0 && !patch_has_brace(&pa.v[loc[i] - 1])) {
				pa.v[loc[i] - 1].redo = true;
				r = 0;
			}
			/* no key of the profile in the file: at its top */
			if (r == 2 && s == SCHEMA_ROOT) {
				r = patch_top(&pa, schema_key_name(
				    &schema_keys[i]), nv);
			}
			/* a section the file does not have: added at its end */
			if (r == 2 && s != SCHEMA_ROOT && !PATCH_ROWS(s) &&
			    lc.n[s] == 0) {
				add[s] = true;
				r = 0;
			}
			if (r == 2)
				r = 1;
			free(ov);
			free(nv);
			free(dv);
		}
	}
	/* cloud-init (an optional section but the root disk) come or gone */
	for (s = SCHEMA_ROOT_DISK + 1; r == 0 && s < SCHEMA_NSECTIONS; s++) {
		if (!(schema_sections[s].flags & SCHEMA_OPTIONAL) ||
		    profile_count(old, (enum schema_section)s) ==
		    profile_count(now, (enum schema_section)s))
			continue;
		if (profile_count(now, (enum schema_section)s) > 0)
			add[s] = lc.n[s] == 0;
		else if (lc.n[s] > 0)
			r = patch_remove_row(&pa, lc.v[s]);
	}
	for (s = 0; r == 0 && s < SCHEMA_NSECTIONS; s++)
		for (row = 0; r == 0 && row < lc.n[s]; row++)
			if (lc.v[s][row * PATCH_W + PATCH_REDO])
				r = patch_redo(&pa, now, def, s,
				    patch_new_row(map[s], profile_count(now,
				    (enum schema_section)s), row),
				    lc.v[s] + row * PATCH_W);
	/* rows gone, rows added */
	for (s = 0; r == 0 && s < SCHEMA_NSECTIONS; s++) {
		if (!PATCH_ROWS(s))
			continue;
		for (row = 0; r == 0 && row < profile_count(old,
		    (enum schema_section)s); row++)
			if (gone[s][row])
				r = patch_remove_row(&pa, row < lc.n[s] ?
				    lc.v[s] + row * PATCH_W : NULL);
		for (row = 0; r == 0 && row < profile_count(now,
		    (enum schema_section)s); row++)
			if (map[s][row] < 0)
				r = patch_add_row(&pa, &lc, now, def, s, row,
				    gone[s], add_end);
	}
	if (r == 0) {
		buf_init(&b);
		for (i = 0; i < pa.n; i++) {
			if (pa.v[i].has_before)
				buf_add(&b, pa.v[i].before.data,
				    pa.v[i].before.len);
			if (pa.v[i].redo && !pa.v[i].drop)
				r = patch_redo_line(&b, &pa, &lc, now, drop, i);
			else if (!pa.v[i].drop) {
				if (pa.v[i].repl != NULL)
					buf_puts(&b, pa.v[i].repl);
				else
					buf_add(&b, pa.v[i].s, pa.v[i].len);
			}
			if (pa.v[i].has_after) {
				t = buf_finish(&pa.v[i].after, NULL);
				buf_init(&pa.v[i].after);
				if (t != NULL)
					buf_puts(&b, t);
				free(t);
			}
		}
		if (add_end->len > 0) {
			if (b.len > 0 && b.data[b.len - 1] != '\n')
				buf_putc(&b, '\n');
			buf_add(&b, add_end->data, add_end->len);
		}
		/* new sections at the end, with what is not at its default */
		for (s = 0; r == 0 && s < SCHEMA_NSECTIONS; s++) {
			if (!add[s])
				continue;
			if (patch_want(now, def, s, 0, NULL, want) != 0 ||
			    (t = profile_format_section(now,
			    (enum schema_section)s, 0, want)) == NULL) {
				r = -1;
				break;
			}
			if (b.len > 0 && b.data[b.len - 1] != '\n')
				buf_putc(&b, '\n');
			buf_putc(&b, '\n');
			buf_puts(&b, t);
			free(t);
		}
		if ((*out = buf_finish(&b, NULL)) == NULL)
			r = -1;
	}
	profile_free(def);
	patch_free(&pa);
	patch_loc_free(&lc);
	free(buf_finish(add_end, NULL));
	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		free(map[s]);
		free(gone[s]);
	}
	return r;
}

/* The file from patched to hold p: 0 with *out, else it cannot be. */
static int
patch_file(const char *from, const struct profile *p, char **out)
{
	struct profile	*old = NULL;
	char		*text = NULL, *why = NULL;
	int		 r = -1;

	*out = NULL;
	if (io_read_file(from, PRESCAN_MAX_BYTES, &text, &why) == 0 &&
	    profile_parse(from, &old, &why) == 0)
		r = profile_patch(text, old, p, NULL, out);
	free(why);
	free(text);
	profile_free(old);
	return r;
}

/*
 * Save p over the profile at path so that only what changed changes: the
 * file patched where it can be, else written out whole (the canonical
 * text). Atomic either way, and checked by reading it back.
 */
int
profile_patch_save(const struct profile *p, const char *path, char **cause)
{
	char	*out;
	int	 r;

	if (patch_file(path, p, &out) == 0)
		r = profile_save_text(p, path, out, 0, cause);
	else
		r = profile_save(p, path, cause);
	free(out);
	return r;
}

/*
 * A new profile at path (never over one) made from the file from, which p
 * was read from and changed (a copy, a rename): from's text patched, so
 * the copy keeps the comments; else the brief text of a new profile.
 */
int
profile_patch_create(const struct profile *p, const char *from,
    const char *path, char **cause)
{
	char	*out;
	int	 r;

	if (patch_file(from, p, &out) == 0)
		r = profile_save_text(p, path, out, ATOMIC_NEW, cause);
	else
		r = profile_create(p, path, cause);
	free(out);
	return r;
}
