/*
 * prescan: checks a profile's bytes before libconfuse sees them, and notes
 * where sections start (libconfuse only knows where they end).
 *
 * It reads the tokens of core/lex.c, the tokenizer the patcher shares,
 * blanks the comments with them (in place: the text that libconfuse then
 * parses), and looks at the rest: "${" that libconfuse would fill from the
 * environment, bytes libconfuse would skip without a word, sections and
 * their titles. It also refuses a key given twice in one section, which
 * libconfuse would take quietly, the last one winning.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtext.h"
#include "lex.h"
#include "prescan.h"
#include "utf8.h"

static const char *const prescan_names[] = {
	"root-disk", "disk", "share", "forward", "boot", "qemu", "cloud-init"
};

/*
 * How many of each section a machine may have: more than a real machine
 * could use (PCI slots, 9p mounts, ports), few enough that a hostile file
 * cannot make the parser and the checks work for seconds.
 */
static const size_t prescan_caps[] = { 1, PRESCAN_TITLES, PRESCAN_TITLES,
    4096, 1, 1, 1 };

/* Line of the first byte that is not valid UTF-8, or 0. */
static int
prescan_utf8(const unsigned char *p, size_t len)
{
	size_t		i = 0, n;
	unsigned int	cp;
	int		line = 1;

	while (i < len) {
		if ((n = utf8_char(p + i, len - i, &cp)) == 0)
			return line;
		if (cp == '\n')
			line++;
		i += n;
	}
	return 0;
}

/*
 * A section starts on line: note it. A disk's or share's title given twice
 * is an error here, as libconfuse would quietly merge the two sections (the
 * caps keep this comparison short).
 */
static int
prescan_note(struct prescan *ps, const char *word, size_t wlen, int line,
    const char *title, size_t tlen, struct diag *d)
{
	struct prescan_section	*s;
	int			*v;
	size_t			 i, k;

	for (i = 0; i < sizeof prescan_names / sizeof prescan_names[0]; i++) {
		s = &ps->sections[i];
		if (strlen(s->name) != wlen || memcmp(s->name, word, wlen) != 0)
			continue;
		if (s->n >= prescan_caps[i] && prescan_caps[i] > 1) {
			diag_add(d, line, "more than %zu %s sections; a machine "
			    "has at most %zu", prescan_caps[i], s->name,
			    prescan_caps[i]);
			return -1;
		}
		for (k = 0; title != NULL && k < s->n; k++) {
			if (s->tlens[k] != tlen ||
			    memcmp(s->titles[k], title, tlen) != 0)
				continue;
			diag_add(d, line, "%s \"%.*s\" is given twice (first on "
			    "line %d)", s->name, (int)tlen, title, s->lines[k]);
			return -1;
		}
		if ((v = realloc(s->lines, (s->n + 1) * sizeof *v)) == NULL)
			return -1;
		s->lines = v;
		if (title != NULL && s->n < PRESCAN_TITLES) {
			s->titles[s->n] = title;
			s->tlens[s->n] = tlen;
		}
		s->lines[s->n++] = line;
		return 0;
	}
	return 0;
}

/*
 * The keys given in one section so far. libconfuse lets a second "key ="
 * quietly win, so that a forward's second host-address could open it to
 * every interface; it is an error here. A section has few keys: past
 * PRESCAN_KEYS, libconfuse refuses the unknown ones anyway.
 */
#define PRESCAN_KEYS	64

struct prescan_keys {
	struct {
		const char	*word;
		size_t		 len;
		int		 line;
	}	key[PRESCAN_KEYS];
	size_t	n;
};

static int
prescan_key(struct prescan_keys *k, const char *word, size_t len, int line,
    struct diag *d)
{
	size_t	i;

	for (i = 0; i < k->n; i++) {
		if (k->key[i].len != len || memcmp(k->key[i].word, word,
		    len) != 0)
			continue;
		diag_add(d, line, "'%.*s' is set twice (first on line %d)",
		    (int)len, word, k->key[i].line);
		return -1;
	}
	if (k->n < PRESCAN_KEYS) {
		k->key[k->n].word = word;
		k->key[k->n].len = len;
		k->key[k->n++].line = line;
	}
	return 0;
}

/* Whether a token is a bare word or a string: a name, a title, a value. */
static bool
prescan_is_word(const struct lex_token *t)
{
	return t != NULL && (t->kind == LEX_WORD || t->kind == LEX_STRING);
}

/* The line of the first "${" in token t, or of t. */
static int
prescan_env_line(const char *buf, const struct lex_token *t)
{
	const char	*p = memmem(buf + t->start, t->end - t->start, "${", 2);
	const char	*q;
	int		 line = t->line;

	for (q = buf + t->start; p != NULL && q < p; q++)
		line += *q == '\n';
	return line;
}

/*
 * A '{' on line opens a section, at the top: "NAME {", or
 * "disk TITLE {" and "share TITLE {" (the title raw, as written). Noted.
 */
static int
prescan_open(struct prescan *ps, const char *buf, const struct lex_token *a,
    const struct lex_token *b, int line, struct diag *d)
{
	const char	*title = NULL;
	size_t		 tlen = 0;

	if (b != NULL && b->kind == LEX_WORD && ((b->end - b->start == 4 &&
	    memcmp(buf + b->start, "disk", 4) == 0) || (b->end - b->start ==
	    5 && memcmp(buf + b->start, "share", 5) == 0))) {
		title = buf + a->start;
		tlen = a->end - a->start;
		if (a->kind == LEX_STRING) {
			title++;
			tlen -= a->flags & LEX_F_OPEN ? 1 : 2;
		}
		return prescan_note(ps, buf + b->start, b->end - b->start,
		    line, title, tlen, d);
	}
	if (a->kind != LEX_WORD)
		return 0;
	return prescan_note(ps, buf + a->start, a->end - a->start, line,
	    NULL, 0, d);
}

int
prescan_run(char *buf, size_t len, struct diag *d, struct prescan *ps)
{
	struct prescan_keys	 keys[PRESCAN_MAX_DEPTH + 1];
	struct lex		 lx;
	const struct lex_token	*t, *a = NULL, *b = NULL;	/* the two before */
	const char		*w, *p;
	size_t			 i;
	int			 line, depth = 0, bad, errors = 0, open_line = 0;
	int			 end;

	memset(ps, 0, sizeof *ps);
	keys[0].n = 0;
	for (i = 0; i < sizeof prescan_names / sizeof prescan_names[0]; i++)
		ps->sections[i].name = prescan_names[i];

	if (len > PRESCAN_MAX_BYTES) {
		diag_add(d, 0, "the file is larger than %d KiB; a profile is "
		    "a short text file", PRESCAN_MAX_BYTES / 1024);
		return -1;
	}
	if ((w = memchr(buf, '\0', len)) != NULL) {
		for (line = 1, p = buf; p < w; p++)
			line += *p == '\n';
		diag_add(d, line, "NUL byte: this is not a text file");
		return -1;
	}
	if ((bad = prescan_utf8((const unsigned char *)buf, len)) != 0) {
		diag_add(d, bad, "invalid UTF-8; save the file as UTF-8 text");
		return -1;
	}
	if (lex_run(buf, len, &lx) != 0) {
		lex_free(&lx);
		diag_add(d, 0, "out of memory");
		return -1;
	}

	/* comments become spaces: what is left is what libconfuse parses */
	if ((line = lex_blank(buf, len, &lx)) != 0) {
		diag_add(d, line, CFGTEXT_OPEN_COMMENT);
		errors++;
	}
	for (i = lex_next(&lx, 0); i < lx.n; b = a, a = t,
	    i = lex_next(&lx, i + 1)) {
		t = &lx.v[i];
		switch (t->kind) {
		case LEX_STRING:
			if (t->flags & LEX_F_ENV) {
				diag_add(d, prescan_env_line(buf, t), "\"${\" "
				    "would be replaced from the environment; "
				    "write the value out, or write \\${ for a "
				    "literal \"${\"");
				errors++;
			}
			/* a quote left open swallows lines: where it began */
			end = t->end_line + (t->flags & LEX_F_OPEN &&
			    buf[t->end - 1] == '\n');
			if (end > t->line && ps->open_string == 0) {
				ps->open_string = t->line;
				ps->open_string_end = end;
			}
			/* libconfuse drops one never closed without a word */
			if (t->flags & LEX_F_OPEN) {
				if (ps->open_string < t->line)
					diag_add(d, ps->open_string, "this "
					    "string runs on to line %d; is a "
					    "closing quote missing?",
					    ps->open_string_end);
				else
					diag_add(d, t->line, "this string is "
					    "never closed with %c: everything "
					    "after it would be left out",
					    buf[t->start]);
				errors++;
			}
			break;
		case LEX_WORD:
			/* "${" anywhere outside quotes: libconfuse's, or odd */
			if (t->flags & LEX_F_ENV || (t->end < len &&
			    buf[t->end] == '{' && buf[t->end - 1] == '$')) {
				diag_add(d, t->line, "\"${\" would be replaced "
				    "from the environment; write the value out "
				    "in quotes");
				errors++;
			}
			break;
		case LEX_STRAY:
			diag_add(d, t->line, "'%c' is not part of a profile "
			    "(libconfuse would skip it); a value that holds "
			    "it goes in quotes", buf[t->start] == '\0' ? ' ' :
			    buf[t->start]);
			errors++;
			break;
		case LEX_OPEN:
			if (depth == 0 && prescan_is_word(a) &&
			    prescan_open(ps, buf, a, prescan_is_word(b) ? b :
			    NULL, t->line, d) != 0) {
				if (d->n == 0)
					diag_add(d, t->line, "out of memory");
				lex_free(&lx);
				return -1;
			}
			if (depth == 0)
				open_line = t->line;
			if (depth < PRESCAN_MAX_DEPTH)
				keys[depth + 1].n = 0;
			if (++depth > PRESCAN_MAX_DEPTH) {
				diag_add(d, t->line, "braces nested more than "
				    "%d deep; a profile nests one section deep",
				    PRESCAN_MAX_DEPTH);
				lex_free(&lx);
				return -1;
			}
			break;
		case LEX_CLOSE:
			if (depth > 0)
				depth--;
			break;
		case LEX_EQ:
			/* "key =" (not "key +="): once per section */
			if (a != NULL && a->kind == LEX_WORD &&
			    prescan_key(&keys[depth], buf + a->start,
			    a->end - a->start, a->line, d) != 0)
				errors++;
			break;
		default:
			break;
		}
	}
	lex_free(&lx);
	/* libconfuse takes the end of the file as the end of a section */
	if (depth > 0) {
		diag_add(d, open_line, "the section opened here is never "
		    "closed with '}'");
		errors++;
	}
	return errors > 0 ? -1 : 0;
}

/* The line the idx'th section called name starts on, or 0. */
int
prescan_line(const struct prescan *ps, const char *name, size_t idx)
{
	size_t	i;

	for (i = 0; i < sizeof prescan_names / sizeof prescan_names[0]; i++) {
		const struct prescan_section *s = &ps->sections[i];

		if (strcmp(s->name, name) != 0)
			continue;
		if (s->n == 0)
			return 0;
		return idx < s->n ? s->lines[idx] : s->lines[s->n - 1];
	}
	return 0;
}

/* How many sections called name there are. */
size_t
prescan_count(const struct prescan *ps, const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof prescan_names / sizeof prescan_names[0]; i++)
		if (strcmp(ps->sections[i].name, name) == 0)
			return ps->sections[i].n;
	return 0;
}

void
prescan_free(struct prescan *ps)
{
	size_t	i;

	for (i = 0; i < sizeof prescan_names / sizeof prescan_names[0]; i++)
		free(ps->sections[i].lines);
	memset(ps, 0, sizeof *ps);
}
