/*
 * fields: what the editor's forms show of a profile and how typed text
 * goes back into it, without curses, so that the same code is what the
 * unit tests pass every fixture through. The table says which fields each
 * topic has; fields_get() gives a value as escaped text and fields_set()
 * takes such text back, checked as the loader checks it. Text that comes
 * back unchanged gives back the very bytes it was made from.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fields.h"
#include "osinstall.h"
#include "utf8.h"
#include "validate.h"

const char *const fields_topics[FIELDS_NTOPICS] = { "General", "Disks",
    "Shares", "Forwards", "Boot", "Advanced", "Cloud-init" };

const struct fields_def fields_table[] = {
	{ FIELDS_GENERAL, "Name", NULL, "name", FIELDS_FIXED, 0, 0 },
	{ FIELDS_GENERAL, "Description", NULL, "description", FIELDS_TEXT, 0, 0 },
	{ FIELDS_GENERAL, "Memory (MiB)", NULL, "memory", FIELDS_INT, 0, 0 },
	{ FIELDS_GENERAL, "Cores", NULL, "cores", FIELDS_INT, 0, 0 },
	{ FIELDS_GENERAL, "Accelerator", NULL, "accel", FIELDS_ENUM, 0, 0 },
	{ FIELDS_GENERAL, "Display", NULL, "graphics", FIELDS_ENUM, 0, 0 },
	{ FIELDS_GENERAL, "Display device", NULL, "vga", FIELDS_ENUM, 0, 0 },
	{ FIELDS_GENERAL, "Display shown", NULL, "display", FIELDS_ENUM, 0, 0 },
	{ FIELDS_GENERAL, "Display address", NULL, "display-address", FIELDS_TEXT, 0, 0 },
	{ FIELDS_GENERAL, "Resolution", NULL, "resolution", FIELDS_TEXT, 0, 0 },
	{ FIELDS_GENERAL, "Architecture", NULL, "arch", FIELDS_ENUM, 0, 0 },

	{ FIELDS_DISKS, "Root disk", NULL, "root-disk", FIELDS_ENUM, 0, 0 },
	{ FIELDS_DISKS, "  image", NULL, "root-disk|image", FIELDS_TEXT, 0, SCHEMA_ROOT_DISK },
	{ FIELDS_DISKS, "  size (MiB)", NULL, "root-disk|size", FIELDS_INT, 0, SCHEMA_ROOT_DISK },
	{ FIELDS_DISKS, "  format", NULL, "root-disk|format", FIELDS_ENUM, 0, SCHEMA_ROOT_DISK },
	{ FIELDS_DISKS, "  cache", NULL, "root-disk|cache", FIELDS_ENUM, 0, SCHEMA_ROOT_DISK },
	{ FIELDS_DISKS, "  read-only", NULL, "root-disk|readonly", FIELDS_ENUM, 0, SCHEMA_ROOT_DISK },
	{ FIELDS_DISKS, "  discard", NULL, "root-disk|discard", FIELDS_ENUM, 0, SCHEMA_ROOT_DISK },
	{ FIELDS_DISKS, "  serial", NULL, "root-disk|serial", FIELDS_TEXT, 0, SCHEMA_ROOT_DISK },
	{ FIELDS_DISKS, "Disk interface", NULL, "disk-interface", FIELDS_ENUM, 0, 0 },
	{ FIELDS_DISKS, "Extra disks", "title", "disk|title", FIELDS_TEXT, 1, 0 },
	{ FIELDS_DISKS, NULL, "MiB", "disk|size", FIELDS_INT, 1, 0 },
	{ FIELDS_DISKS, NULL, "ephemeral", "disk|ephemeral", FIELDS_ENUM, 1, 0 },

	{ FIELDS_SHARES, "Shares", "mount tag", "share|tag", FIELDS_TEXT, 1, 0 },
	{ FIELDS_SHARES, NULL, "host folder", "share|source", FIELDS_TEXT, 1, 0 },
	{ FIELDS_SHARES, NULL, "mount point", "share|target", FIELDS_TEXT, 1, 0 },
	{ FIELDS_SHARES, NULL, "ro", "share|readonly", FIELDS_ENUM, 1, 0 },

	{ FIELDS_FORWARDS, "Network", NULL, "network", FIELDS_ENUM, 0, 0 },
	{ FIELDS_FORWARDS, "Restrict network", NULL, "restrict-network", FIELDS_ENUM, 0, 0 },
	{ FIELDS_FORWARDS, "Virtual LANs", NULL, "vlans", FIELDS_TEXT, 0, 0 },
	{ FIELDS_FORWARDS, "Forward guest ports", NULL, "auto-forward", FIELDS_ENUM, 0, 0 },
	{ FIELDS_FORWARDS, "  but these", NULL, "auto-forward-ignore", FIELDS_TEXT, 0, 0 },
	{ FIELDS_FORWARDS, "Forwards", "from", "forward|from", FIELDS_ENUM, 1, 0 },
	{ FIELDS_FORWARDS, NULL, "proto", "forward|proto", FIELDS_ENUM, 1, 0 },
	{ FIELDS_FORWARDS, NULL, "host address", "forward|host-address", FIELDS_TEXT, 1, 0 },
	{ FIELDS_FORWARDS, NULL, "port", "forward|host-port", FIELDS_INT, 1, 0 },
	{ FIELDS_FORWARDS, NULL, "guest address", "forward|guest-address", FIELDS_TEXT, 1, 0 },
	{ FIELDS_FORWARDS, NULL, "port", "forward|guest-port", FIELDS_INT, 1, 0 },

	{ FIELDS_BOOT, "Boot mode", NULL, "boot|mode", FIELDS_ENUM, 0, 0 },
	{ FIELDS_BOOT, "Kernel", NULL, "boot|kernel", FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "Initrd", NULL, "boot|initrd", FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "Kernel command line", NULL, "boot|append", FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "Consoles", NULL, "boot|consoles", FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "Installer ISO", NULL, "boot|cdrom", FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "UEFI firmware", NULL, "boot|firmware", FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "UEFI vars template", NULL, "boot|efi-vars-template",
	  FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "UEFI vars", NULL, "boot|efi-vars", FIELDS_TEXT, 0, 0 },
	{ FIELDS_BOOT, "BIOS", NULL, "boot|bios", FIELDS_TEXT, 0, 0 },

	{ FIELDS_ADVANCED, "QEMU program", NULL, "qemu|binary", FIELDS_TEXT, 0, 0 },
	{ FIELDS_ADVANCED, "Extra options", NULL, "qemu|options", FIELDS_TEXT, 0, 0 },
	{ FIELDS_ADVANCED, "Imported options", "Raw QEMU arguments from an "
	  "import (QEMU runs them as they are):", "qemu|imported-options",
	  FIELDS_TEXT, 0, 0 },
	{ FIELDS_ADVANCED, "Guest agent", NULL, "guest-agent", FIELDS_ENUM, 0, 0 },
	{ FIELDS_ADVANCED, "Virtio keyboard", NULL, "virtio-keyboard", FIELDS_ENUM, 0, 0 },
	{ FIELDS_ADVANCED, "Exchange folder", NULL, "exchange-dir", FIELDS_ENUM, 0, 0 },
	{ FIELDS_ADVANCED, "Clock in local time", NULL, "rtc-localtime", FIELDS_ENUM, 0, 0 },
	{ FIELDS_ADVANCED, "9p msize (bytes)", NULL, "qemu|msize", FIELDS_INT, 0, 0 },

	{ FIELDS_CLOUD_INIT, "Cloud-init", NULL, "cloud-init", FIELDS_ENUM, 0, 0 },
	{ FIELDS_CLOUD_INIT, "  user", NULL, "cloud-init|user", FIELDS_TEXT, 0,
	  SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  ssh keys", NULL, "cloud-init|ssh-keys", FIELDS_TEXT,
	  0, SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  host name", NULL, "cloud-init|hostname",
	  FIELDS_TEXT, 0, SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  password", NULL, "cloud-init|password",
	  FIELDS_TEXT, 0, SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  time zone", NULL, "cloud-init|timezone",
	  FIELDS_TEXT, 0, SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  packages", NULL, "cloud-init|packages",
	  FIELDS_TEXT, 0, SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  commands", NULL, "cloud-init|commands",
	  FIELDS_TEXT, 0, SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  user-data file", NULL, "cloud-init|user-data",
	  FIELDS_TEXT, 0, SCHEMA_CLOUD_INIT },
	{ FIELDS_CLOUD_INIT, "  console login", NULL,
	  "cloud-init|console-login", FIELDS_ENUM, 0, SCHEMA_CLOUD_INIT },
	{ -1, NULL, NULL, NULL, FIELDS_TEXT, 0, 0 }
};

static const char *const fields_bool[] = { "false", "true", NULL };
static const char *const fields_root[] = { "none", "yes", NULL };
#define FIELDS_AUTO_MAX	16

/*
 * An enumerated key without a default (boot|mode, a disk's format): its
 * choices after "auto", which leaves it out of the file (the boot mode
 * decided from the rest, the image probed).
 */
static const char *const *
fields_auto_choices(const struct schema_key *k)
{
	static const char	*lists[SCHEMA_NKEYS][FIELDS_AUTO_MAX + 2];
	const char		**l = lists[k - schema_keys];
	size_t			  i;

	if (l[0] == NULL) {
		l[0] = "auto";
		for (i = 0; i < FIELDS_AUTO_MAX && k->choices[i] != NULL; i++)
			l[i + 1] = k->choices[i];
	}
	return l;
}

/* Whether path is an enumerated key that may be left out ("auto"). */
static bool
fields_has_auto(const struct schema_key *k)
{
	return k != NULL && k->type == SCHEMA_ENUM &&
	    (k->flags & SCHEMA_NODEFAULT) != 0;
}

/* The choices of an enumerated field; NULL for any other. */
const char *const *
fields_choices(const char *path)
{
	const struct schema_key	*k = schema_find(path);

	if (fields_has_auto(k))
		return fields_auto_choices(k);
	if (strcmp(path, "root-disk") == 0 || strcmp(path, "cloud-init") == 0)
		return fields_root;
	if (k != NULL && k->type == SCHEMA_ENUM)
		return k->choices;
	if (k != NULL && k->type == SCHEMA_BOOL)
		return fields_bool;
	return NULL;
}

/*
 * Whether the editor shows field d of p: a root disk's only with one; a
 * marked field (a heading of its own, d->head outside a row) only when it
 * holds something.
 */
bool
fields_shown(const struct profile *p, const struct fields_def *d)
{
	char	*text;
	bool	 set;

	if (d->needs && profile_count(p, (enum schema_section)d->needs) == 0)
		return false;
	if (d->row || d->head == NULL)
		return true;
	text = fields_get(p, d->path, -1);
	set = text == NULL || *text != '\0';
	free(text);
	return set;
}

/* The section whose rows a list topic shows, or -1. */
int
fields_section(int topic)
{
	switch (topic) {
	case FIELDS_DISKS:
		return SCHEMA_DISK;
	case FIELDS_SHARES:
		return SCHEMA_SHARE;
	case FIELDS_FORWARDS:
		return SCHEMA_FORWARD;
	}
	return -1;
}

/* The rows of a list topic. */
size_t
fields_rows(const struct profile *p, int topic)
{
	int	s = fields_section(topic);

	return s < 0 ? 0 : profile_count(p, (enum schema_section)s);
}

/*
 * The value of path (in row i) as a pointer to its type, or NULL: where a
 * schema key lives the table says (profile_value); the fields that are not
 * keys are a row's title and whether there is a root disk, or cloud-init.
 */
static void *
fields_value(struct profile *p, const char *path, int i, enum schema_type type)
{
	const struct schema_key	*k = schema_find(path);
	int			 s;

	if (k != NULL)
		return k->type == type ? profile_value(p,
		    (enum schema_id)(k - schema_keys), (size_t)i) : NULL;
	if (type == SCHEMA_STR && strcmp(path, "disk|title") == 0)
		return profile_title(p, SCHEMA_DISK, (size_t)i);
	if (type == SCHEMA_STR && strcmp(path, "share|tag") == 0)
		return profile_title(p, SCHEMA_SHARE, (size_t)i);
	/* an optional section: there or not */
	if (type == SCHEMA_BOOL &&
	    (s = schema_section_index(path, strlen(path))) >= 0)
		return profile_present(p, (enum schema_section)s);
	return NULL;
}

static char **
fields_str(struct profile *p, const char *path, int i)
{
	return fields_value(p, path, i, SCHEMA_STR);
}

static long *
fields_long(struct profile *p, const char *path, int i)
{
	return fields_value(p, path, i, SCHEMA_INT);
}

static bool *
fields_bool_value(struct profile *p, const char *path, int i)
{
	return fields_value(p, path, i, SCHEMA_BOOL);
}

static int *
fields_enum(struct profile *p, const char *path, int i)
{
	return fields_value(p, path, i, SCHEMA_ENUM);
}

static struct strv *
fields_list(struct profile *p, const char *path)
{
	return fields_value(p, path, 0, SCHEMA_LIST);
}

static struct numv *
fields_nums(struct profile *p, const char *path)
{
	return fields_value(p, path, 0, SCHEMA_NUMS);
}

static void
fields_encode_into(struct buf *b, const char *value, int in_list)
{
	const unsigned char	*s = (const unsigned char *)value;
	size_t			 len = strlen(value), end = len, at;

	/* trailing spaces: a form pads with spaces */
	while (end > 0 && s[end - 1] == ' ')
		end--;
	if (in_list && *value == '\0') {
		buf_puts(b, "\"\"");
		return;
	}
	if (in_list && strcmp(value, "\"\"") == 0) {
		buf_puts(b, "\\x22\\x22");
		return;
	}
	for (at = 0; at < len; ) {
		/* trailing spaces, and spaces in a list */
		if (s[at] == ' ' && (in_list || at >= end)) {
			buf_puts(b, "\\x20");
			at++;
		} else
			at += utf8_escape_char(b, s + at, len - at,
			    UTF8_ESC_BACKSLASH | UTF8_ESC_NEWLINE);
	}
}

/* A value as a field shows it; in_list: one element of a list. */
char *
fields_encode(const char *value, int in_list)
{
	struct buf	b;

	buf_init(&b);
	fields_encode_into(&b, value, in_list);
	return buf_finish(&b, NULL);
}

static int
fields_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Typed text (len bytes) back to a value: the escapes fields_encode()
 * writes; a backslash before anything else is itself.
 */
int
fields_decode(const char *text, size_t len, char **value, char **cause)
{
	struct buf	b;
	size_t		i;
	int		hi, lo;

	*value = NULL;
	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (text[i] != '\\' || i + 1 >= len) {
			buf_putc(&b, text[i]);
			continue;
		}
		switch (text[i + 1]) {
		case '\\':
			buf_putc(&b, '\\');
			i++;
			continue;
		case 'n':
			buf_putc(&b, '\n');
			i++;
			continue;
		case 't':
			buf_putc(&b, '\t');
			i++;
			continue;
		case 'r':
			buf_putc(&b, '\r');
			i++;
			continue;
		case 'x':
			if (i + 3 < len &&
			    (hi = fields_hex((unsigned char)text[i + 2])) >= 0 &&
			    (lo = fields_hex((unsigned char)text[i + 3])) >= 0) {
				if (hi == 0 && lo == 0) {
					free(buf_finish(&b, NULL));
					*cause = strdup("\\x00: a value cannot "
					    "hold a NUL byte");
					return -1;
				}
				buf_putc(&b, (char)(hi << 4 | lo));
				i += 3;
				continue;
			}
			break;
		}
		buf_putc(&b, '\\');
	}
	if ((*value = buf_finish(&b, NULL)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	return 0;
}

/* A value as its field shows it. */
char *
fields_get(const struct profile *cp, const char *path, int idx)
{
	struct profile		 *p = (struct profile *)cp;
	const char *const	 *choices = fields_choices(path);
	struct strv		 *sv;
	struct numv		 *nv;
	struct buf		  b;
	char			**s, *num;
	long			 *l;
	bool			 *bv;
	int			 *e;
	size_t			  i;

	if (fields_has_auto(schema_find(path)) &&
	    (e = fields_enum(p, path, idx)) != NULL)
		return strdup(choices[*e >= (int)schema_nchoices(schema_find(
		    path)) ? 0 : *e + 1]);
	if ((sv = fields_list(p, path)) != NULL) {
		buf_init(&b);
		for (i = 0; i < sv->n; i++) {
			if (i > 0)
				buf_putc(&b, ' ');
			fields_encode_into(&b, sv->v[i], 1);
		}
		return buf_finish(&b, NULL);
	}
	if ((nv = fields_nums(p, path)) != NULL) {
		buf_init(&b);
		for (i = 0; i < nv->n; i++)
			buf_printf(&b, "%s%ld", i > 0 ? " " : "", nv->v[i]);
		return buf_finish(&b, NULL);
	}
	if ((s = fields_str(p, path, idx)) != NULL)
		return fields_encode(*s != NULL ? *s : "", 0);
	if ((l = fields_long(p, path, idx)) != NULL) {
		if (*l == 0)
			return strdup("");
		return asprintf(&num, "%ld", *l) < 0 ? NULL : num;
	}
	if ((bv = fields_bool_value(p, path, idx)) != NULL && choices != NULL)
		return strdup(choices[*bv ? 1 : 0]);
	if ((e = fields_enum(p, path, idx)) != NULL && choices != NULL)
		return strdup(choices[*e]);
	return strdup("?");
}

/* The fields that hold a size in MiB. */
static bool
fields_is_size(const char *path)
{
	const struct schema_key	*k = schema_find(path);

	return k != NULL && k->unit != NULL && strcmp(k->unit, "MiB") == 0;
}

static int
fields_fail(char **cause, const char *fmt, const char *a)
{
	if (asprintf(cause, fmt, a) < 0)
		*cause = NULL;
	return -1;
}

/* A list field: elements apart at spaces, each one decoded and checked. */
static int
fields_set_list(struct profile *p, const char *path, const char *text,
    char **cause)
{
	struct strv	 words = { NULL, 0 }, *sv = fields_list(p, path);
	const char	*w = text;
	char		*v;
	size_t		 n;

	while (*w != '\0') {
		if (*w == ' ' || *w == '\t') {
			w++;
			continue;
		}
		n = strcspn(w, " \t");
		if (n == 2 && strncmp(w, "\"\"", 2) == 0)
			v = strdup("");
		else if (fields_decode(w, n, &v, cause) != 0)
			goto fail;
		if (v == NULL || schema_check_text(path, v, cause) != 0 ||
		    strv_add(&words, v) != 0) {
			free(v);
			goto fail;
		}
		free(v);
		w += n;
	}
	strv_free(sv);
	*sv = words;
	return 0;
fail:
	strv_free(&words);
	return -1;
}

/* A list of numbers: apart at spaces or commas, each checked. */
static int
fields_set_nums(struct profile *p, const char *path, const char *text,
    char **cause)
{
	struct numv	 nums = { NULL, 0 }, *nv = fields_nums(p, path);
	const char	*w = text;
	char		*word;
	size_t		 n;
	int		 r;

	while (*w != '\0') {
		if (strchr(" \t,", *w) != NULL) {
			w++;
			continue;
		}
		n = strcspn(w, " \t,");
		if ((word = strndup(w, n)) == NULL) {
			*cause = strdup("out of memory");
			goto fail;
		}
		r = schema_check_text(path, word, cause);
		if (r == 0 && numv_has(&nums, strtol(word, NULL, 0)))
			r = fields_fail(cause, "%s is there twice", word);
		if (r != 0 || numv_add(&nums, strtol(word, NULL, 0)) != 0) {
			free(word);
			goto fail;
		}
		free(word);
		w += n;
	}
	numv_free(nv);
	*nv = nums;
	return 0;
fail:
	numv_free(&nums);
	return -1;
}

/*
 * A disk title or mount tag (path "disk|title" or "share|tag") for row idx
 * (-1: a new row): valid, and no other row's. 0, or -1 and why.
 */
int
fields_title_free(const struct profile *p, const char *path, int idx,
    const char *title, char **cause)
{
	bool	disk = path[0] == 'd';
	int	i, n = disk ? (int)p->ndisks : (int)p->nshares;

	if (schema_check_tag(disk ? "disk title" : "mount tag", title,
	    cause) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (i != idx && strcmp(disk ? p->disks[i].title :
		    p->shares[i].tag, title) == 0)
			return fields_fail(cause, disk ? "there is a disk "
			    "\"%s\" already" : "there is a share \"%s\" already",
			    title);
	return 0;
}

/*
 * Check text as the loader would, then put it in the model. The name is
 * the file's: renaming is a machine operation (the list's r), not a field.
 */
int
fields_set(struct profile *p, const char *path, int idx, const char *text,
    char **cause)
{
	const char *const	 *choices = fields_choices(path);
	char			**s, *v = NULL;
	long			 *l, size;
	bool			 *bv;
	int			 *e, i;

	*cause = NULL;
	if (strcmp(path, "name") == 0) {
		if (strcmp(text, p->name) == 0)
			return 0;
		*cause = strdup("the name is the file's name: rename the "
		    "machine with r in the list");
		return -1;
	}
	if (fields_list(p, path) != NULL)
		return fields_set_list(p, path, text, cause);
	if (fields_nums(p, path) != NULL)
		return fields_set_nums(p, path, text, cause);
	if (choices != NULL) {
		if ((i = schema_enum_index(choices, text)) < 0)
			return fields_fail(cause, "not one of the choices: %s",
			    text);
		if (fields_has_auto(schema_find(path)) &&
		    (e = fields_enum(p, path, idx)) != NULL)
			/* "auto": past the choices, as a key left out */
			*e = i == 0 ? (int)schema_nchoices(schema_find(path)) :
			    i - 1;
		else if ((bv = fields_bool_value(p, path, idx)) != NULL)
			*bv = i == 1;
		else if ((e = fields_enum(p, path, idx)) != NULL)
			*e = i;
		return 0;
	}
	if ((s = fields_str(p, path, idx)) != NULL) {
		if (fields_decode(text, strlen(text), &v, cause) != 0)
			return -1;
		if (strcmp(path, "disk|title") == 0 ||
		    strcmp(path, "share|tag") == 0) {
			if (fields_title_free(p, path, idx, v, cause) != 0)
				goto fail;
		} else if (schema_check_text(path, v, cause) != 0)
			goto fail;
		free(*s);
		*s = v;
		return 0;
	}
	if ((l = fields_long(p, path, idx)) != NULL) {
		/* a size may come with a unit: 8G is 8192 MiB */
		if (fields_is_size(path) && *text != '\0') {
			if (schema_parse_size(text, &size, cause) != 0 ||
			    schema_check_int(schema_find(path), size,
			    cause) != 0)
				return -1;
			*l = size;
			return 0;
		}
		if (schema_check_text(path, text, cause) != 0)
			return -1;
		*l = strtol(text, NULL, 0);
		return 0;
	}
	*cause = strdup("no such field");
	return -1;
fail:
	free(v);
	return -1;
}

/*
 * A word about a value that the loader takes but a launch would not: a
 * file that is not there (yet), a share with no mount point; or that it
 * takes with a word (more cores than the host has). NULL when
 * there is nothing to say; else a message to show.
 */
char *
fields_warning(const struct profile *cp, const char *path, int idx)
{
	static const char *const files[] = { "boot|kernel", "boot|initrd",
	    "boot|cdrom", "boot|firmware", "boot|efi-vars-template",
	    "boot|bios", "share|source", NULL };
	struct profile	*p = (struct profile *)cp;
	char		**s, *full, *msg;
	size_t		  i;
	int		  r;

	if (strcmp(path, "cores") == 0)
		return validate_cores(p);
	if (strcmp(path, "share|target") == 0 && *p->shares[idx].target ==
	    '\0')
		return strdup("no mount point in the guest: the status pane's "
		    "mount command needs one (like /mnt/data)");
	/* a cloud image whose kernel has no 9p: said, never silent */
	if (strncmp(path, "share|", 6) == 0 && idx >= 0 &&
	    (msg = osinstall_share_note(p, (size_t)idx)) != NULL)
		return msg;
	for (i = 0; files[i] != NULL && strcmp(files[i], path) != 0; i++)
		;
	if (files[i] == NULL || (s = fields_str(p, path, idx)) == NULL ||
	    **s == '\0' || (full = profile_path(p, *s)) == NULL)
		return NULL;
	if (access(full, F_OK) == 0) {
		free(full);
		return NULL;
	}
	r = asprintf(&msg, "%s: no such file or folder (yet); it must be "
	    "there when the machine starts", full);
	free(full);
	return r < 0 ? NULL : msg;
}
