/*
 * set: vmtui --set PROFILE KEY=VALUE... and --unset PROFILE KEY...: changes
 * from a script, checked as the editor checks them, saved so that only
 * the lines of those keys change (profile_patch), as one transaction
 * (profile_txn: refused while an editor has the profile, one at a time
 * with any other change of it). Keys are dotted paths: memory,
 * boot.append, root-disk.size, share.TAG.readonly, disk.TITLE.size,
 * forward[0].host-port (rows also as share[0], disk[1]). A cloud-init key
 * set brings the section; --unset PROFILE cloud-init takes it out.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fields.h"
#include "profile.h"
#include "profile_patch.h"
#include "profile_txn.h"
#include "set.h"
#include "validate.h"

/*
 * A dotted key as a schema path ("boot|append") and its row; -1 with why.
 */
static int
set_path(const struct profile *p, const char *key, char *path, size_t size,
    int *row, char **cause)
{
	const char			*dot, *rest, *br;
	char				 sec[64], **title, *end;
	size_t				 len, i, n;
	int				 s;

	*row = 0;
	if ((dot = strchr(key, '.')) == NULL) {
		snprintf(path, size, "%s", key);
		if (schema_find(path) == NULL ||
		    schema_find(path)->section != SCHEMA_ROOT)
			goto unknown;
		return 0;
	}
	len = (size_t)(dot - key);
	if ((br = memchr(key, '[', len)) != NULL)
		len = (size_t)(br - key);
	if (len >= sizeof sec)
		goto unknown;
	memcpy(sec, key, len);
	sec[len] = '\0';
	if ((s = schema_section_index(key, len)) < 0)
		goto unknown;
	rest = dot + 1;
	if (schema_sections[s].flags & SCHEMA_ROWS) {
		n = profile_count(p, (enum schema_section)s);
		if (br != NULL) {
			/* forward[0].host-port */
			i = (size_t)strtoul(br + 1, &end, 10);
			if (end == br + 1 || *end != ']' || end + 1 != dot ||
			    i >= n)
				return diag_cause(cause, "%s: there is no %s "
				    "number %.*s (there %s %zu, from 0)", key,
				    sec, (int)(dot - br - 1), br + 1,
				    n == 1 ? "is" : "are", n);
		} else {
			/* share.TAG.readonly */
			if ((dot = strrchr(rest, '.')) == NULL)
				goto unknown;
			for (i = 0; i < n; i++) {
				title = profile_title(p, (enum schema_section)s,
				    i);
				if (title != NULL && strlen(*title) ==
				    (size_t)(dot - rest) && memcmp(*title, rest,
				    (size_t)(dot - rest)) == 0)
					break;
			}
			if (i == n)
				return diag_cause(cause, "%s: there is no %s "
				    "\"%.*s\"", key, sec, (int)(dot - rest),
				    rest);
			rest = dot + 1;
		}
		*row = (int)i;
	} else if (s == SCHEMA_ROOT_DISK && !p->has_root_disk)
		return diag_cause(cause, "%s: the machine has no root disk "
		    "(the editor adds one)", key);
	snprintf(path, size, "%s|%s", sec, rest);
	if (schema_find(path) == NULL || strchr(rest, '.') != NULL)
		goto unknown;
	return 0;
unknown:
	return diag_cause(cause, "%s: no such key (vmtui.conf(5) lists them; "
	    "a row is share.TAG.KEY, disk.TITLE.KEY or forward[N].KEY)", key);
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
set_where(const char *file, const char *text, const char *spath, int row)
{
	int	line = profile_patch_line(text,
		    (enum schema_id)schema_index(spath), (size_t)row);

	if (line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else
		fprintf(stderr, "%s: ", file);
}

int
set_run(const char *arg, int argc, char **argv, int unset)
{
	struct profile_txn	 txn;
	struct profile		*now = NULL, *checked = NULL;
	bool			 drop[SCHEMA_NKEYS];
	char			*file = NULL, *cause = NULL, *note = NULL;
	char			*key, *value, *field, spath[128];
	int			 i, row, r = CLI_USAGE, bad = 0, id;

	memset(drop, 0, sizeof drop);
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
	if ((file = strdup(checked->file)) == NULL)
		goto out;
	/* from here to the save, the file is ours alone */
	if (profile_txn_begin(file, PROFILE_TXN_NOT_EDITED, &txn,
	    &cause) != 0 || profile_txn_load(&txn, &now, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		goto out;
	}
	r = CLI_USAGE;
	for (i = 0; i < argc; i++) {
		free(cause);
		cause = NULL;
		if ((key = strdup(argv[i])) == NULL)
			goto out;
		value = NULL;
		if (!unset && (value = strchr(key, '=')) == NULL) {
			fprintf(stderr, "%s: %s: write KEY=VALUE\n", file, key);
			bad = 1;
			free(key);
			continue;
		}
		if (value != NULL)
			*value++ = '\0';
		if (unset && strcmp(key, "cloud-init") == 0) {
			/* the section out, its keys with it */
			for (id = 0; id < SCHEMA_NKEYS; id++)
				if (schema_keys[id].section == SCHEMA_CLOUD_INIT &&
				    profile_reset_key(now, (enum schema_id)id,
				    0) != 0)
					goto out;
			now->has_cloud_init = false;
		} else if (set_path(now, key, spath, sizeof spath, &row,
		    &cause) != 0) {
			fprintf(stderr, "%s: %s\n", file, cause);
			bad = 1;
		} else if (unset) {
			id = schema_index(spath);
			if (schema_sections[schema_keys[id].section].flags &
			    SCHEMA_ROWS) {
				fprintf(stderr, "%s: %s: a row's keys are set, "
				    "not unset\n", file, key);
				bad = 1;
			} else if (strcmp(spath, "name") == 0 ||
			    strcmp(spath, "version") == 0) {
				fprintf(stderr, "%s: %s cannot be unset\n", file,
				    key);
				bad = 1;
			} else if (profile_reset_key(now, (enum schema_id)id,
			    0) != 0)
				goto out;
			else
				drop[id] = true;
		} else if ((field = set_field_text(schema_find(spath),
		    value)) == NULL)
			goto out;
		else {
			/* a cloud-init key brings the section */
			if (schema_find(spath)->section == SCHEMA_CLOUD_INIT)
				now->has_cloud_init = true;
			if (fields_set(now, spath, row, field, &cause) != 0) {
				set_where(file, txn.text, spath, row);
				fprintf(stderr, "%s=%s: %s\n", key, value,
				    cause ? cause : "?");
				bad = 1;
			}
			free(field);
		}
		free(key);
	}
	if (bad) {
		fprintf(stderr, "vmtui: nothing was changed\n");
		goto out;
	}
	free(cause);
	cause = NULL;
	if (validate_check(now, &cause) != 0) {
		fprintf(stderr, "%s\nvmtui: nothing was changed\n", cause);
		goto out;
	}
	r = CLI_FAIL;
	if (profile_txn_commit(&txn, now, drop, &note, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "?");
		goto out;
	}
	if (note != NULL)
		fprintf(stderr, "vmtui: note: %s\n", note);
	r = CLI_OK;
out:
	if (r == CLI_FAIL && cause == NULL)
		fprintf(stderr, "vmtui: out of memory\n");
	profile_txn_end(&txn);
	free(cause);
	free(note);
	free(file);
	profile_free(checked);
	profile_free(now);
	return r;
}
