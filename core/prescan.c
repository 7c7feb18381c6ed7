/*
 * prescan: checks a profile's bytes before libconfuse sees them, and notes
 * where sections start (libconfuse only knows where they end).
 *
 * It blanks the comments first (cfgtext_blank, in place: the text that
 * libconfuse then parses), then lexes the rest as libconfuse's lexer.l
 * does: double-quoted strings with backslash escapes and ${VAR} expansion,
 * single-quoted strings without expansion, bare words, and the punctuation
 * { } ( ) = += ,. It also refuses a key given twice in one section, which
 * libconfuse would take quietly, the last one winning.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtext.h"
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

static bool
prescan_is_word(char c)
{
	return strchr(" #\"'\t\n\r={}()+,", c) == NULL;
}

int
prescan_run(char *buf, size_t len, struct diag *d, struct prescan *ps)
{
	const char	*p = buf, *end = buf + len, *w;
	const char	*word[2] = { NULL, NULL };	/* last two bare words */
	size_t		 wlen[2] = { 0, 0 };
	size_t		 i;
	struct prescan_keys keys[PRESCAN_MAX_DEPTH + 1];
	int		 line = 1, depth = 0, bad, errors = 0, open_line = 0;
	int		 start;
	const char	*qword = NULL, *title;
	size_t		 qlen = 0, tlen;

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

	/* comments become spaces: what is left is what libconfuse parses */
	if ((start = cfgtext_blank(buf, len)) != 0) {
		diag_add(d, start, CFGTEXT_OPEN_COMMENT);
		errors++;
	}
	p = buf;
	while (p < end) {
		char	c = *p;

		if (c == '\n') {
			line++;
			p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			p++;
		} else if (c == '"' || c == '\'') {
			start = line;
			qword = p + 1;
			for (p++; p < end && *p != c; p++) {
				if (*p == '\n')
					line++;
				else if (*p == '\\' && p + 1 < end) {
					if (p[1] == '\n')
						line++;
					p++;
				} else if (c == '"' && *p == '$' &&
				    p + 1 < end && p[1] == '{') {
					diag_add(d, line, "\"${\" would be "
					    "replaced from the environment; "
					    "write the value out, or write "
					    "\\${ for a literal \"${\"");
					errors++;
				}
			}
			if (line > start && ps->open_string == 0) {
				ps->open_string = start;
				ps->open_string_end = line;
			}
			/* a quoted word: maybe the title of a section */
			word[0] = word[1];
			wlen[0] = wlen[1];
			word[1] = p;
			wlen[1] = 0;
			qlen = (size_t)(p - qword);
			p++;
		} else if (c == '{') {
			if (depth == 0 && word[1] != NULL &&
			    (wlen[1] > 0 || word[0] != NULL)) {
				/* disk "x" {, or root-disk { */
				title = NULL;
				tlen = 0;
				if (word[0] != NULL && ((wlen[0] == 4 &&
				    memcmp(word[0], "disk", 4) == 0) ||
				    (wlen[0] == 5 &&
				    memcmp(word[0], "share", 5) == 0))) {
					w = word[0], i = wlen[0];
					title = wlen[1] > 0 ? word[1] : qword;
					tlen = wlen[1] > 0 ? wlen[1] : qlen;
				} else
					w = word[1], i = wlen[1];
				if (prescan_note(ps, w, i, line, title, tlen,
				    d) != 0) {
					if (d->n == 0)
						diag_add(d, line, "out of "
						    "memory");
					return -1;
				}
			}
			if (depth == 0)
				open_line = line;
			if (depth < PRESCAN_MAX_DEPTH)
				keys[depth + 1].n = 0;
			if (++depth > PRESCAN_MAX_DEPTH) {
				diag_add(d, line, "braces nested more than %d "
				    "deep; a profile nests one section deep",
				    PRESCAN_MAX_DEPTH);
				return -1;
			}
			word[0] = word[1] = NULL;
			p++;
		} else if (c == '}') {
			if (depth > 0)
				depth--;
			word[0] = word[1] = NULL;
			p++;
		} else if (c == '$' && p + 1 < end && p[1] == '{') {
			diag_add(d, line, "\"${\" would be replaced from the "
			    "environment; write the value out in quotes");
			errors++;
			p += 2;
		} else if (prescan_is_word(c)) {
			w = p;
			/* "${" ends a word: libconfuse expands it there too */
			while (p < end && prescan_is_word(*p) &&
			    !(*p == '$' && p + 1 < end && p[1] == '{'))
				p++;
			if (p == w)
				p++;
			word[0] = word[1];
			wlen[0] = wlen[1];
			word[1] = w;
			wlen[1] = (size_t)(p - w);
		} else {
			/* "key =" (not "key +="): once per section */
			if (c == '=' && word[1] != NULL && wlen[1] > 0 &&
			    prescan_key(&keys[depth], word[1], wlen[1], line,
			    d) != 0)
				errors++;
			word[0] = word[1] = NULL;
			p++;
		}
	}
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
