/*
 * current: what a running machine is now. A launch keeps the profile the
 * machine starts with in its runtime folder (PATHS_CURRENT, the canonical
 * text); each change made to the machine while it runs (live.c: a forward,
 * a disk) is made to that copy too. Its profile may say more: memory,
 * cores, the boot, a forward from the guest, a disk on an interface that
 * cannot take one live -- those apply at the next start, and
 * current_pending says which, for --list, the browser and the launch view.
 * A machine started before vmtui kept the copy has none: nothing is said
 * of it.
 *
 * The copy is compared key by key through the key table, rows by their
 * titles (disks, shares) or whole (forwards); the description, which the
 * machine never sees, is left out.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "current.h"
#include "diag.h"
#include "fields.h"
#include "paths.h"
#include "profile_save.h"
#include "runtime.h"

/* The copy of machine m (its profile), in its runtime folder. */
static char *
current_path(const struct profile *m)
{
	return runtime_file(m, PATHS_CURRENT);
}

/*
 * p as what machine m (the profile it runs from) runs now: written over
 * the copy.
 */
int
current_save(const struct profile *m, const struct profile *p, char **cause)
{
	static const struct atomic_opts opts = { ATOMIC_MODE | ATOMIC_NOSYNC,
	    0600, NULL, NULL, NULL };
	char	*path, *text;
	int	 r;

	if ((path = current_path(m)) == NULL ||
	    (text = profile_format(p)) == NULL) {
		free(path);
		return diag_cause(cause, "%s: cannot keep what it runs: out of "
		    "memory", p->name);
	}
	r = atomic_write(path, text, strlen(text), &opts, cause);
	free(text);
	free(path);
	return r;
}

/* At a launch: p is what the machine starts with. */
int
current_record(const struct profile *p, char **cause)
{
	return current_save(p, p, cause);
}

/*
 * What machine m runs now, as its copy says: 0 with it in *out, 1 when
 * there is no copy (not running, or started before vmtui kept one), -1
 * with the cause when the copy does not read.
 */
int
current_load(const struct profile *m, struct profile **out, char **cause)
{
	char	*path;
	int	 r;

	*out = NULL;
	if ((path = current_path(m)) == NULL)
		return 1;
	if (access(path, F_OK) != 0) {
		free(path);
		return 1;
	}
	r = profile_parse(path, out, cause);
	free(path);
	return r == 0 ? 0 : -1;
}

/* The values of section s's keys in row i of p, one text. */
static char *
current_row_text(const struct profile *p, enum schema_section s, size_t i)
{
	const struct schema_key	*k;
	struct buf		 b;
	char			*t;

	buf_init(&b);
	for (k = schema_keys; k->path != NULL; k++) {
		if (k->section != s)
			continue;
		t = profile_key_text(p, (enum schema_id)(k - schema_keys), i);
		buf_printf(&b, "%s\n", t != NULL ? t : "?");
		free(t);
	}
	return buf_finish(&b, NULL);
}

/* Whether row i of section s of a is row j of b, every key alike. */
bool
current_same_row(const struct profile *a, size_t i, const struct profile *b,
    size_t j, enum schema_section s)
{
	char	*ta = current_row_text(a, s, i), *tb = current_row_text(b, s, j);
	bool	 same = ta != NULL && tb != NULL && strcmp(ta, tb) == 0;

	free(ta);
	free(tb);
	return same;
}

/*
 * Row i of section s of from, added to to (a change made to the running
 * machine, into the copy of what it runs): 0, or -1 with the cause. Each
 * value goes as the editor's text, checked as it is.
 */
int
current_copy_row(struct profile *to, const struct profile *from,
    enum schema_section s, size_t i, char **cause)
{
	const struct schema_key	*k;
	char			**title = profile_title(from, s, i), *t;
	size_t			 row = profile_count(to, s);
	int			 r = 0;

	if (profile_add_row(to, s, title != NULL ? *title : NULL) != 0)
		return diag_cause(cause, "out of memory");
	for (k = schema_keys; k->path != NULL && r == 0; k++) {
		if (k->section != s)
			continue;
		if ((t = fields_get(from, k->path, (int)i)) == NULL)
			r = diag_cause(cause, "out of memory");
		else
			r = fields_set(to, k->path, (int)row, t, cause);
		free(t);
	}
	if (r != 0)
		profile_remove_row(to, s, row);
	return r;
}

/* Row i of section s of p by its title, or -1. */
static long
current_find(const struct profile *p, enum schema_section s,
    const char *title)
{
	size_t	i, n = profile_count(p, s);
	char	**t;

	for (i = 0; i < n; i++)
		if ((t = profile_title(p, s, i)) != NULL &&
		    strcmp(*t, title) == 0)
			return (long)i;
	return -1;
}

/* A key's path as --set takes it: boot.append. */
static void
current_key_name(char *buf, size_t len, const struct schema_key *k)
{
	char	*bar;

	snprintf(buf, len, "%s", k->path);
	if ((bar = strchr(buf, '|')) != NULL)
		*bar = '.';
}

/* The titled rows of s (disks, shares) that differ, named what. */
static int
current_titled(const struct profile *cur, const struct profile *now,
    enum schema_section s, const char *what, struct strv *out)
{
	size_t	 i, n;
	long	 j;
	char	**t, *a, *b;
	int	 r = 0;

	n = profile_count(now, s);
	for (i = 0; i < n && r == 0; i++) {
		t = profile_title(now, s, i);
		if ((j = current_find(cur, s, *t)) < 0) {
			r = strv_addf(out, "%s \"%s\" (new)", what, *t);
			continue;
		}
		a = current_row_text(cur, s, (size_t)j);
		b = current_row_text(now, s, i);
		if (a == NULL || b == NULL)
			r = -1;
		else if (strcmp(a, b) != 0)
			r = strv_addf(out, "%s \"%s\"", what, *t);
		free(a);
		free(b);
	}
	n = profile_count(cur, s);
	for (i = 0; i < n && r == 0; i++) {
		t = profile_title(cur, s, i);
		if (current_find(now, s, *t) < 0)
			r = strv_addf(out, "%s \"%s\" (removed)", what, *t);
	}
	return r;
}

/* Whether forward i of p is one of q's, whole, not yet matched. */
static bool
current_forward_in(const struct profile *p, size_t i,
    const struct profile *q, bool *used)
{
	char	*a, *b;
	size_t	 j;
	bool	 found = false;

	if ((a = current_row_text(p, SCHEMA_FORWARD, i)) == NULL)
		return false;
	for (j = 0; j < q->nforwards && !found; j++) {
		if (used[j] || (b = current_row_text(q, SCHEMA_FORWARD,
		    j)) == NULL)
			continue;
		found = strcmp(a, b) == 0;
		used[j] = found;
		free(b);
	}
	free(a);
	return found;
}

/* The forwards of one and not the other, "(new)" or "(removed)". */
static int
current_forwards(const struct profile *from, const struct profile *to,
    const char *how, struct strv *out)
{
	bool	*used;
	char	*t;
	size_t	 i;
	int	 r = 0;

	if ((used = calloc(from->nforwards + 1, sizeof *used)) == NULL)
		return -1;
	for (i = 0; i < to->nforwards && r == 0; i++) {
		if (current_forward_in(to, i, from, used))
			continue;
		if ((t = profile_forward_text(&to->forwards[i])) == NULL)
			r = -1;
		else
			r = strv_addf(out, "forward %s (%s)", t, how);
		free(t);
	}
	free(used);
	return r;
}

/*
 * What now (a profile) says that cur (what runs) does not, as short texts
 * into out ("memory", "boot.append", "disk \"b\" (new)", "forward
 * 127.0.0.1:8080 -> :80 (removed)"): 0, or -1 when out of memory.
 */
int
current_differs(const struct profile *cur, const struct profile *now,
    struct strv *out)
{
	const struct schema_key	*k;
	char			*a, *b, name[64];
	int			 r = 0;

	for (k = schema_keys; k->path != NULL && r == 0; k++) {
		enum schema_id id = (enum schema_id)(k - schema_keys);

		if ((schema_sections[k->section].flags & SCHEMA_ROWS) ||
		    id == SCHEMA_K_NAME || id == SCHEMA_K_DESCRIPTION ||
		    (k->section == SCHEMA_ROOT_DISK && (!cur->has_root_disk ||
		    !now->has_root_disk)) ||
		    (k->section == SCHEMA_CLOUD_INIT && (!cur->has_cloud_init ||
		    !now->has_cloud_init)))
			continue;
		a = profile_key_text(cur, id, 0);
		b = profile_key_text(now, id, 0);
		if (a == NULL || b == NULL)
			r = -1;
		else if (strcmp(a, b) != 0) {
			current_key_name(name, sizeof name, k);
			r = strv_add(out, name);
		}
		free(a);
		free(b);
	}
	if (r == 0 && cur->has_root_disk != now->has_root_disk)
		r = strv_add(out, now->has_root_disk ? "root-disk (new)" :
		    "root-disk (removed)");
	if (r == 0 && cur->has_cloud_init != now->has_cloud_init)
		r = strv_add(out, now->has_cloud_init ? "cloud-init (new)" :
		    "cloud-init (removed)");
	if (r == 0)
		r = current_titled(cur, now, SCHEMA_DISK, "disk", out);
	if (r == 0)
		r = current_titled(cur, now, SCHEMA_SHARE, "share", out);
	if (r == 0)
		r = current_forwards(cur, now, "new", out);
	if (r == 0)
		r = current_forwards(now, cur, "removed", out);
	return r;
}

/*
 * What the profile now of a running machine says that the machine does not
 * run yet: "memory, cores, disk \"b\" (new)", or NULL when nothing (or the
 * machine does not run, or keeps no copy).
 */
char *
current_pending(const struct profile *now)
{
	struct profile	*cur;
	struct strv	 what = { NULL, 0 };
	char		*cause = NULL, *s = NULL;
	pid_t		 pid;

	if (!runtime_running(now, &pid))
		return NULL;
	if (current_load(now, &cur, &cause) != 0) {
		free(cause);
		return NULL;
	}
	if (current_differs(cur, now, &what) == 0 && what.n > 0)
		s = strv_join(&what, ", ");
	strv_free(&what);
	profile_free(cur);
	return s;
}
