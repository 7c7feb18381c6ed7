/*
 * set: vmtui --set PROFILE KEY=VALUE... and --unset PROFILE KEY...: changes
 * from a script, checked as the editor checks them, saved so that only
 * the lines of those keys change (profile_patch), as one transaction
 * (profile_txn: refused while an editor has the profile, one at a time
 * with any other change of it). Keys are dotted paths: memory,
 * boot.append, root-disk.size, share.TAG.readonly, disk.TITLE.size,
 * forward[0].host-port (rows also as share[0], disk[1]); --unset of a row
 * (forward[1], disk.TITLE, share.TAG) removes it. A cloud-init key set
 * brings the section; --unset PROFILE cloud-init takes it out. A disk key
 * of a title the profile lacks adds that disk. On a
 * running machine the change is made to it too where it can be
 * (core/live.c), before the save, and nothing is saved when it refuses.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fields.h"
#include "forward.h"
#include "live.h"
#include "profile.h"
#include "profile_patch.h"
#include "profile_txn.h"
#include "set.h"
#include "validate.h"

/* A row to remove: its section and its number in the file as it was. */
struct set_row {
	int	sec;
	size_t	row;
};

/*
 * Row N of section s: "[N]" at br, before dot (or the end). -1 with why
 * when there is no such row.
 */
static int
set_number(const struct profile *p, const char *key, const char *br,
    const char *end, int s, size_t *row, char **cause)
{
	const char	*close = memchr(br, ']', (size_t)(end - br));
	size_t		 n = profile_count(p, (enum schema_section)s);
	char		*e;

	*row = (size_t)strtoul(br + 1, &e, 10);
	if (e == br + 1 || *(br + 1) == '-' || *(br + 1) == '+' ||
	    close == NULL || e != close || close + 1 != end || *row >= n)
		return diag_cause(cause, "%s: there is no %s number %.*s "
		    "(there %s %zu, from 0)", key, schema_sections[s].name,
		    (int)((close != NULL ? close : end) - br - 1), br + 1,
		    n == 1 ? "is" : "are", n);
	return 0;
}

/* The row of section s titled [t, t + len), or -1 with why. */
static int
set_titled(const struct profile *p, const char *key, const char *t,
    size_t len, int s, size_t *row, char **cause)
{
	size_t	 i, n = profile_count(p, (enum schema_section)s);
	char	**title;

	for (i = 0; i < n; i++) {
		title = profile_title(p, (enum schema_section)s, i);
		if (title != NULL && strlen(*title) == len &&
		    memcmp(*title, t, len) == 0) {
			*row = i;
			return 0;
		}
	}
	return diag_cause(cause, "%s: there is no %s \"%.*s\"", key,
	    schema_sections[s].name, (int)len, t);
}

/*
 * A dotted key as a schema path ("boot|append") and its row; with rowonly,
 * also a whole row (forward[1], disk.TITLE): then path is "" and *sec its
 * section. -1 with why.
 */
static int
set_path(const struct profile *p, const char *key, bool rowonly, char *path,
    size_t size, int *sec, size_t *row, char **cause)
{
	const char	*dot, *rest, *br, *end = key + strlen(key);
	char		 name[64];
	size_t		 len;
	int		 s;

	*row = 0;
	*path = '\0';
	dot = strchr(key, '.');
	len = (size_t)((dot != NULL ? dot : end) - key);
	if ((br = memchr(key, '[', len)) != NULL)
		len = (size_t)(br - key);
	if (dot == NULL && br == NULL) {
		snprintf(path, size, "%s", key);
		if (schema_find(path) == NULL ||
		    schema_find(path)->section != SCHEMA_ROOT)
			goto unknown;
		*sec = SCHEMA_ROOT;
		return 0;
	}
	if (len >= sizeof name || (s = schema_section_index(key, len)) < 0)
		goto unknown;
	memcpy(name, key, len);
	name[len] = '\0';
	*sec = s;
	rest = dot != NULL ? dot + 1 : end;
	if (schema_sections[s].flags & SCHEMA_ROWS) {
		if (br != NULL) {
			/* forward[0].host-port, forward[0] */
			if (set_number(p, key, br, dot != NULL ? dot : end, s,
			    row, cause) != 0)
				return -1;
		} else {
			/* share.TAG.readonly, share.TAG */
			if (dot == NULL)
				goto unknown;
			if (rowonly && set_titled(p, key, rest, (size_t)(end -
			    rest), s, row, cause) == 0)
				return 0;	/* a title may hold dots */
			free(*cause);
			*cause = NULL;
			if ((dot = strrchr(rest, '.')) == NULL) {
				if (!rowonly)
					goto unknown;
				return set_titled(p, key, rest,
				    (size_t)(end - rest), s, row, cause);
			}
			if (set_titled(p, key, rest, (size_t)(dot - rest), s,
			    row, cause) != 0)
				return -1;
			rest = dot + 1;
		}
		if (rest == end)
			return rowonly ? 0 : diag_cause(cause, "%s: a row has "
			    "keys: %s.KEY=VALUE", key, key);
	} else if (br != NULL || dot == NULL)
		goto unknown;
	else if (s == SCHEMA_ROOT_DISK && !p->has_root_disk)
		return diag_cause(cause, "%s: the machine has no root disk "
		    "(the editor adds one)", key);
	snprintf(path, size, "%s|%s", name, rest);
	if (schema_find(path) == NULL || strchr(rest, '.') != NULL)
		goto unknown;
	return 0;
unknown:
	return diag_cause(cause, "%s: no such key (vmtui.conf(5) lists them; "
	    "a row is share.TAG.KEY, disk.TITLE.KEY or forward[N].KEY)", key);
}

/* disk.TITLE.KEY of a title the profile lacks: that disk added. */
static int
set_new_disk(struct profile *p, const char *key)
{
	const char	*title, *dot;
	char		 t[SCHEMA_TAG_MAX + 1], *why = NULL;
	size_t		 i;

	if (strncmp(key, "disk.", 5) != 0 || (dot = strrchr(key + 5,
	    '.')) == NULL)
		return 0;
	title = key + 5;
	if ((size_t)(dot - title) >= sizeof t)
		return 0;
	memcpy(t, title, (size_t)(dot - title));
	t[dot - title] = '\0';
	for (i = 0; i < p->ndisks; i++)
		if (strcmp(p->disks[i].title, t) == 0)
			return 0;
	/* a bad title is said where the key is checked */
	if (schema_check_tag("disk", t, &why) != 0) {
		free(why);
		return 0;
	}
	return profile_add_disk(p, t);
}

/* A value as the editor's field takes it. */
static char *
set_field_text(const struct schema_key *k, const char *value)
{
	if (k->type == SCHEMA_BOOL) {
		if (strcmp(value, "yes") == 0 || strcmp(value, "on") == 0)
			value = "true";
		else if (strcmp(value, "no") == 0 ||
		    strcmp(value, "off") == 0)
			value = "false";
	}
	if (k->type == SCHEMA_STR)
		return fields_encode(value, 0);
	return strdup(value);
}

/* "FILE:LINE: " where the key is in the file, else "FILE: ". */
static void
set_where(const char *file, const char *text, const char *spath, size_t row)
{
	int	line = profile_patch_line(text,
		    (enum schema_id)schema_index(spath), row);

	if (line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else
		fprintf(stderr, "%s: ", file);
}

/*
 * KEY=VALUE as the person means it: the blanks around KEY and after '='
 * go (a value's own, inside it and at its end, stay). *value NULL without
 * a '='. The key is a copy.
 */
static char *
set_split(const char *arg, bool with_value, const char **value)
{
	const char	*eq = with_value ? strchr(arg, '=') : NULL;
	const char	*end = eq != NULL ? eq : arg + strlen(arg);

	*value = NULL;
	while (*arg == ' ' || *arg == '\t')
		arg++;
	while (end > arg && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (eq != NULL)
		*value = eq + 1 + strspn(eq + 1, " \t");
	return strndup(arg, (size_t)(end - arg));
}

/* One --unset KEY: a key back to its default, or a row noted to remove. */
static int
set_unset_one(struct profile *now, const char *file, const char *key,
    bool *drop, struct set_row *rows, size_t *nrows)
{
	char	 spath[128], *cause = NULL;
	size_t	 row, i;
	int	 sec, id;

	if (strcmp(key, "cloud-init") == 0) {
		/* the section out, its keys with it */
		for (id = 0; id < SCHEMA_NKEYS; id++)
			if (schema_keys[id].section == SCHEMA_CLOUD_INIT &&
			    profile_reset_key(now, (enum schema_id)id, 0) != 0)
				return -1;
		now->has_cloud_init = false;
		return 0;
	}
	if (set_path(now, key, true, spath, sizeof spath, &sec, &row,
	    &cause) != 0) {
		fprintf(stderr, "%s: %s\n", file, cause);
		free(cause);
		return 1;
	}
	if (*spath == '\0') {
		for (i = 0; i < *nrows; i++)
			if (rows[i].sec == sec && rows[i].row == row)
				return 0;
		rows[*nrows].sec = sec;
		rows[(*nrows)++].row = row;
		return 0;
	}
	id = schema_index(spath);
	if (schema_sections[schema_keys[id].section].flags & SCHEMA_ROWS) {
		fprintf(stderr, "%s: %s: a row's keys are set, not unset (or "
		    "unset the row: --unset %s)\n", file, key, strchr(key,
		    '[') != NULL ? "forward[N]" : "share.TAG or disk.TITLE");
		return 1;
	}
	if (strcmp(spath, "name") == 0 || strcmp(spath, "version") == 0) {
		fprintf(stderr, "%s: %s cannot be unset\n", file, key);
		return 1;
	}
	if (profile_reset_key(now, (enum schema_id)id, 0) != 0)
		return -1;
	drop[id] = true;
	return 0;
}

/* One --set KEY=VALUE into now. 0, 1 refused (said), -1 no memory. */
static int
set_one(struct profile *now, const char *file, const char *text,
    const char *key, const char *value)
{
	char	 spath[128], *cause = NULL, *field;
	size_t	 row;
	int	 sec, r = 0;

	if (set_new_disk(now, key) != 0)
		return -1;
	if (set_path(now, key, false, spath, sizeof spath, &sec, &row,
	    &cause) != 0) {
		fprintf(stderr, "%s: %s\n", file, cause);
		free(cause);
		return 1;
	}
	if ((field = set_field_text(schema_find(spath), value)) == NULL)
		return -1;
	/* a cloud-init key brings the section */
	if (sec == SCHEMA_CLOUD_INIT)
		now->has_cloud_init = true;
	if (fields_set(now, spath, (int)row, field, &cause) != 0) {
		set_where(file, text, spath, row);
		fprintf(stderr, "%s=%s: %s\n", key, value, cause ? cause : "?");
		r = 1;
	}
	free(cause);
	free(field);
	return r;
}

static int
set_row_cmp(const void *a, const void *b)
{
	const struct set_row	*x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec - y->sec;
	return x->row < y->row ? 1 : x->row > y->row ? -1 : 0;
}

/*
 * The rows noted removed (highest first, so that the numbers noted stay
 * right), and what that renumbered said.
 */
static void
set_remove_rows(struct profile *now, struct set_row *rows, size_t n)
{
	const char	*name;
	size_t		 i, j, k, m, left, old;

	qsort(rows, n, sizeof *rows, set_row_cmp);
	for (i = 0; i < n; i++)
		profile_remove_row(now, (enum schema_section)rows[i].sec,
		    rows[i].row);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && rows[j].sec == rows[i].sec; j++)
			;
		if (schema_sections[rows[i].sec].flags & SCHEMA_TITLED)
			continue;	/* named by title: no numbers change */
		name = schema_sections[rows[i].sec].name;
		left = profile_count(now, (enum schema_section)rows[i].sec);
		for (k = 0; k < left; k++) {
			/* the removed ones, lowest first, before it */
			for (old = k, m = j; m > i; m--)
				old += rows[m - 1].row <= old;
			if (old != k)
				fprintf(stderr, "vmtui: %s[%zu] is now "
				    "%s[%zu]\n", name, old, name, k);
		}
	}
}

int
set_run(const char *arg, int argc, char **argv, int unset)
{
	struct profile_txn	 txn;
	struct profile		*now = NULL, *checked = NULL;
	struct set_row		*rows = NULL;
	struct live_report	 rep;
	bool			 drop[SCHEMA_NKEYS];
	const char		*value;
	char			*key, *cause = NULL, *note = NULL, *file = NULL;
	size_t			 nrows = 0;
	int			 i, r = CLI_USAGE, bad = 0, one;

	memset(drop, 0, sizeof drop);
	memset(&rep, 0, sizeof rep);
	memset(&txn, 0, sizeof txn);
	txn.lock.fd = -1;
	if (argc == 0) {
		fprintf(stderr, "vmtui: --%s %s takes KEY%s ...\n", unset ?
		    "unset" : "set", arg, unset ? "" : "=VALUE");
		return CLI_USAGE;
	}
	/* found and checked as every action finds a profile */
	if ((r = cli_load(arg, &checked)) != CLI_OK)
		return r;
	r = CLI_FAIL;
	if ((file = strdup(checked->file)) == NULL ||
	    (rows = calloc((size_t)argc, sizeof *rows)) == NULL)
		goto out;
	profile_free(checked);
	checked = NULL;
	/* from here to the save, the file is ours alone */
	if (profile_txn_begin(file, PROFILE_TXN_NOT_EDITED, &txn,
	    &cause) != 0 || profile_txn_load(&txn, &now, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		goto out;
	}
	r = CLI_USAGE;
	for (i = 0; i < argc; i++) {
		if ((key = set_split(argv[i], !unset, &value)) == NULL)
			goto oom;
		if (unset)
			one = set_unset_one(now, file, key, drop, rows, &nrows);
		else if (value == NULL) {
			fprintf(stderr, "%s: %s: write KEY=VALUE\n", file, key);
			one = 1;
		} else
			one = set_one(now, file, txn.text, key, value);
		free(key);
		if (one < 0)
			goto oom;
		bad |= one;
	}
	if (bad) {
		fprintf(stderr, "vmtui: nothing was changed\n");
		goto out;
	}
	set_remove_rows(now, rows, nrows);
	if (validate_check(now, &cause) != 0) {
		fprintf(stderr, "%s\nvmtui: nothing was changed\n", cause);
		goto out;
	}
	r = CLI_FAIL;
	/* a running machine takes what it can now; nothing before a refusal */
	if (live_update(txn.old, now, 0, &rep, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "?");
		goto out;
	}
	if (profile_txn_commit(&txn, now, drop, &note, &cause) != 0) {
		fprintf(stderr, "vmtui: %s%s\n", cause ? cause : "?",
		    rep.done.n > 0 ? "; the running machine has the change "
		    "already" : "");
		goto out;
	}
	forward_say(txn.old->name, &rep);
	if (note != NULL)
		fprintf(stderr, "vmtui: note: %s\n", note);
	profile_txn_end(&txn);
	/* taken, with a word where one is due (at the lines saved) */
	free(cause);
	cause = NULL;
	if (profile_parse(file, &checked, &cause) == 0 &&
	    (key = validate_warnings(checked)) != NULL) {
		fprintf(stderr, "%s\n", key);
		free(key);
	}
	r = CLI_OK;
	goto out;
oom:
	r = CLI_FAIL;
	fprintf(stderr, "vmtui: out of memory\n");
out:
	profile_txn_end(&txn);
	live_report_free(&rep);
	free(cause);
	free(note);
	free(rows);
	free(file);
	profile_free(checked);
	profile_free(now);
	return r;
}
