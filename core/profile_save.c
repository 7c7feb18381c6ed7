/*
 * profile_save: the canonical text of a profile and the atomic save.
 *
 * Keys come in schema.def's order (that of vmtui.conf(5)), every value
 * written out, so that a saved file reads the same way every time. Strings are written so that
 * libconfuse reads back the same bytes: double quotes, with '"', '\' and '$'
 * escaped (libconfuse would expand "${VAR}"), and control characters and
 * bytes that are not UTF-8 as \n, \t, \r or \xHH (never octal, whose
 * digits could run on): a value read from a "\xe9" escape is written back
 * as one, and the file stays UTF-8.
 * A save writes a temp file, reads it back and compares it with the model
 * before it replaces the old file; profile_create() makes a new one and
 * never replaces anything.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "buf.h"
#include "paths.h"
#include "profile_save.h"
#include "utf8.h"

static void
save_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, left = strlen(s);
	unsigned int		 cp;

	buf_putc(b, '"');
	while (left > 0) {
		switch (*p) {
		case '"':
		case '\\':
		case '$':
			buf_putc(b, '\\');
			buf_putc(b, (char)*p);
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			/* a file of ours is UTF-8: other bytes escaped */
			n = utf8_char(p, left, &cp);
			if (n > 1) {
				buf_add(b, p, n);
				p += n;
				left -= n;
				continue;
			}
			if (n == 0 || *p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\x%02x", *p);
			else
				buf_putc(b, (char)*p);
		}
		p++;
		left--;
	}
	buf_putc(b, '"');
}

static void
save_list(struct buf *b, const struct strv *sv)
{
	size_t	i;

	buf_putc(b, '{');
	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		save_string(b, sv->v[i]);
	}
	buf_putc(b, '}');
}

static void
save_numbers(struct buf *b, const struct numv *nv)
{
	size_t	i;

	buf_putc(b, '{');
	for (i = 0; i < nv->n; i++)
		buf_printf(b, "%s%ld", i > 0 ? ", " : "", nv->v[i]);
	buf_putc(b, '}');
}

/* A key's value as the file writes it. */
static void
save_value(struct buf *b, const struct schema_key *k, const void *v)
{
	switch (k->type) {
	case SCHEMA_INT:
		buf_printf(b, "%ld", *(const long *)v);
		break;
	case SCHEMA_BOOL:
		buf_puts(b, *(const bool *)v ? "true" : "false");
		break;
	case SCHEMA_STR:
		save_string(b, *(char *const *)v);
		break;
	case SCHEMA_ENUM:
		save_string(b, k->choices[*(const int *)v]);
		break;
	case SCHEMA_LIST:
		save_list(b, v);
		break;
	case SCHEMA_NUMS:
		save_numbers(b, v);
		break;
	}
}

/* Whether a key without a default is left out (not set). */
static bool
save_unset(const struct schema_key *k, const void *v)
{
	if (!(k->flags & SCHEMA_NODEFAULT))
		return false;
	return (k->type == SCHEMA_INT && *(const long *)v <= 0) ||
	    (k->type == SCHEMA_ENUM &&
	    (size_t)*(const int *)v >= schema_nchoices(k)) ||
	    (k->type == SCHEMA_LIST && ((const struct strv *)v)->n == 0);
}

/*
 * Key id of row (or of the profile) as the file writes its value; "" for
 * a key without a default that is not set. NULL: out of memory.
 */
char *
profile_key_text(const struct profile *p, enum schema_id id, size_t row)
{
	const struct schema_key	*k = &schema_keys[id];
	const void		*v = profile_value(p, id, row);
	struct buf		 b;

	buf_init(&b);
	if (!save_unset(k, v))
		save_value(&b, k, v);
	return buf_finish(&b, NULL);
}

/* One key of row i (or of the profile); one without a default only when set. */
static void
save_key(struct buf *b, const struct profile *p, const struct schema_key *k,
    size_t row)
{
	const void	*v = profile_value(p, (enum schema_id)(k - schema_keys),
			    row);
	const char	*indent = k->section == SCHEMA_ROOT ? "" : "  ";

	if (save_unset(k, v))
		return;
	buf_printf(b, "%s%s = ", indent, schema_key_name(k));
	save_value(b, k, v);
	if (k->unit != NULL)
		buf_printf(b, "\t\t\t# %s", k->unit);
	buf_putc(b, '\n');
}

/*
 * Row i of section s (a section of its own when s has no rows): its text;
 * with want, only the keys want[id] says.
 */
static void
save_section(struct buf *b, const struct profile *p, int s, size_t i,
    const bool *want)
{
	const struct schema_section_def	*sd = &schema_sections[s];
	const struct schema_key		*k;
	char				**title;

	if (sd->name != NULL) {
		buf_printf(b, "%s ", sd->name);
		title = profile_title(p, (enum schema_section)s, i);
		if (title != NULL) {
			save_string(b, *title);
			buf_putc(b, ' ');
		}
		buf_puts(b, "{\n");
	}
	for (k = schema_keys; k->path != NULL; k++)
		if (k->section == (enum schema_section)s &&
		    (want == NULL || want[k - schema_keys]))
			save_key(b, p, k, i);
	if (sd->name != NULL)
		buf_puts(b, "}\n");
}

/* A section's canonical text (row i), for a save that patches the rest. */
char *
profile_format_section(const struct profile *p, enum schema_section s,
    size_t i, const bool *want)
{
	struct buf	b;

	buf_init(&b);
	save_section(&b, p, (int)s, i, want);
	return buf_finish(&b, NULL);
}

/*
 * The canonical text: every key in schema.def's order, each section after
 * a blank line (and its comment, above the first of its rows).
 */
char *
profile_format(const struct profile *p)
{
	const struct schema_section_def	*sd;
	struct buf			 b;
	size_t				 i, n;
	int				 s;

	buf_init(&b);
	buf_puts(&b,
	    "# A vmtui machine profile (format version 1): see vmtui.conf(5).\n"
	    "# Every key is written out; a file may leave out the ones at their\n"
	    "# defaults. vmtui's editor and --set change only the lines of what\n"
	    "# changes, and keep the rest as it is written.\n"
	    "\n");
	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		sd = &schema_sections[s];
		n = profile_count(p, (enum schema_section)s);
		for (i = 0; i < n; i++) {
			if (sd->name != NULL && i == 0) {
				buf_putc(&b, '\n');
				if (sd->comment != NULL)
					buf_printf(&b, "# %s\n", sd->comment);
			}
			save_section(&b, p, s, i, NULL);
		}
	}
	return buf_finish(&b, NULL);
}

/*
 * A profile holding every default and one row of each kind: what a key is
 * held against to tell whether a profile sets it. NULL: out of memory.
 */
struct profile *
profile_reference(void)
{
	struct profile	*def;

	if ((def = profile_new("-", "/")) == NULL ||
	    profile_add_row(def, SCHEMA_DISK, "d") != 0 ||
	    profile_add_row(def, SCHEMA_SHARE, "s") != 0 ||
	    profile_add_row(def, SCHEMA_FORWARD, NULL) != 0) {
		profile_free(def);
		return NULL;
	}
	return def;
}

/*
 * The keys of section s (row row) that p sets: those not at ref's value,
 * and a row's required keys (no default) when given. -1: out of memory.
 */
int
profile_set_keys(const struct profile *p, const struct profile *ref, int s,
    size_t row, bool want[SCHEMA_NKEYS])
{
	char	*a, *b;
	int	 i, r = 0;

	for (i = 0; i < SCHEMA_NKEYS; i++) {
		want[i] = false;
		if ((int)schema_keys[i].section != s)
			continue;
		a = profile_key_text(p, (enum schema_id)i, row);
		b = profile_key_text(ref, (enum schema_id)i, 0);
		if (a == NULL || b == NULL)
			r = -1;
		else
			want[i] = strcmp(a, b) != 0 || (*a != '\0' &&
			    schema_sections[s].flags & SCHEMA_ROWS &&
			    schema_keys[i].flags & SCHEMA_NODEFAULT);
		free(a);
		free(b);
	}
	return r;
}

/*
 * The brief text of a new profile: version, name, and what differs from
 * the defaults (a row's required keys always); a section only when it holds
 * something, the root disk and rows always. A later vmtui's better
 * defaults reach it; profile_format() gives every key.
 */
char *
profile_format_brief(const struct profile *p)
{
	return profile_format_kept(p, NULL, NULL);
}

/*
 * As profile_format_brief(), and every key the file old was read from
 * gave (of the profile and of root-disk, boot and qemu) but those drop
 * says: the text of a file written out whole that keeps what the person
 * spelled out, and never adds a default that was not there.
 */
char *
profile_format_kept(const struct profile *p, const struct profile *old,
    const bool *drop)
{
	const struct schema_section_def	*sd;
	const struct profile_lines	*lines;
	struct profile			*def;
	struct buf			 b;
	bool				 want[SCHEMA_NKEYS], any;
	size_t				 i, n;
	int				 s, k;

	if ((def = profile_reference()) == NULL)
		return NULL;
	buf_init(&b);
	buf_puts(&b,
	    "# A vmtui machine profile (format version 1): see vmtui.conf(5).\n"
	    "# Keys left out are at their defaults; vmtui --print-profile NAME "
	    "--full\n# shows them all.\n\n");
	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		sd = &schema_sections[s];
		n = profile_count(p, (enum schema_section)s);
		for (i = 0; i < n; i++) {
			if (profile_set_keys(p, def, s, i, want) != 0) {
				profile_free(def);
				free(buf_finish(&b, NULL));
				return NULL;
			}
			if (s == SCHEMA_ROOT)
				want[SCHEMA_K_VERSION] = true;
			lines = old != NULL && !(sd->flags & SCHEMA_ROWS) ?
			    profile_lines_of(old, (enum schema_section)s, 0) :
			    NULL;
			for (k = 0, any = false; k < SCHEMA_NKEYS; k++) {
				if (lines != NULL && (int)schema_keys[k].section ==
				    s && lines->key[k] > 0 && (drop == NULL ||
				    !drop[k]))
					want[k] = true;
				any |= want[k];
			}
			if (!any &&
			    !(sd->flags & (SCHEMA_ROWS | SCHEMA_OPTIONAL)))
				continue;
			if (sd->name != NULL)
				buf_putc(&b, '\n');
			save_section(&b, p, s, i, want);
		}
	}
	profile_free(def);
	return buf_finish(&b, NULL);
}

/* The temp file must read back as the very profile being saved. */
static int
save_verify(const char *tmp, void *arg, char **cause)
{
	const struct profile	*p = arg;
	struct profile		*back;
	char			*why = NULL;
	int			 same;

	if (profile_parse(tmp, &back, &why) != 0) {
		if (asprintf(cause, "the written file does not read back: %s",
		    why != NULL ? why : "?") < 0)
			*cause = NULL;
		free(why);
		return -1;
	}
	same = profile_equal(p, back);
	profile_free(back);
	if (!same) {
		*cause = strdup("the written file reads back differently; "
		    "nothing was saved");
		return -1;
	}
	return 0;
}

static int
profile_write(const struct profile *p, const char *path, int flags,
    char **cause)
{
	char	*text;
	int	 r;

	/* a new file says what was chosen; a rewrite, every key */
	text = flags & ATOMIC_NEW ? profile_format_brief(p) :
	    profile_format(p);
	if (text == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	r = profile_save_text(p, path, text, flags, cause);
	free(text);
	return r;
}

/*
 * text (a patched file, profile_patch) as the profile at path, atomically,
 * used only when it reads back as p.
 */
int
profile_save_text(const struct profile *p, const char *path,
    const char *text, int flags, char **cause)
{
	struct atomic_opts	 o = { flags, 0600, save_verify, NULL, NULL };

	o.arg = (void *)p;
	return atomic_write(path, text, strlen(text), &o, cause);
}

/* Replace the profile at path (or make it); its mode and owner are kept. */
int
profile_save(const struct profile *p, const char *path, char **cause)
{
	return profile_write(p, path, 0, cause);
}

/*
 * A new profile: never over one that exists (one made in another window
 * since the name was chosen stays), mode 0600, in a folder made private
 * (0700) when it is missing, as on a new user's first save.
 */
int
profile_create(const struct profile *p, const char *path, char **cause)
{
	const char	*base;
	char		*dir, *slash;
	int		 r = 0;

	*cause = NULL;
	if ((dir = strdup(path)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdirs(dir, 0700) != 0) {
			if (asprintf(cause, "cannot make the folder %s: %s",
			    dir, strerror(errno)) < 0)
				*cause = NULL;
			r = -1;
		}
	}
	free(dir);
	if (r == 0 && (r = profile_write(p, path, ATOMIC_NEW, cause)) != 0 &&
	    errno == EEXIST) {
		free(*cause);
		base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 :
		    path;
		if (asprintf(cause, "there is a profile %s already (made since "
		    "the name was chosen?); it was left as it is", base) < 0)
			*cause = NULL;
	}
	return r;
}
