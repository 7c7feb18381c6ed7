/*
 * snapshot: a machine's snapshots. A snapshot is internal to qcow2: one
 * of the same name in each of the machine's disks that the guest may
 * write, taken together. While the machine is off, qemu-img takes,
 * reverts and deletes them disk by disk (a take that fails part way
 * deletes what it took: never a half-taken snapshot); while it runs, QMP's
 * snapshot-save / snapshot-load / snapshot-delete jobs do it with the
 * memory saved in the root disk, so a revert resumes where the snapshot
 * was. A raw or ephemeral disk has no snapshots: the operation refuses
 * and says why; read-only disks never change and are left out.
 *
 * The list comes from qemu-img snapshot -l -U (shared: it reads a running
 * machine's images too).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include <jansson.h>

#include "diag.h"
#include "io.h"
#include "paths.h"
#include "plan.h"
#include "qmp.h"
#include "resolve.h"
#include "runtime.h"
#include "snapshot.h"
#include "spawn.h"

#define SNAPSHOT_JOB		"vmtui-snapshot"
#define SNAPSHOT_NAME_MAX	64

struct snapshot_disk {
	char		*title;		/* "root disk", "disk \"data\"" */
	char		*path;
	char		 node[32];	/* QEMU's name of its image */
	struct snapshots has;		/* the snapshots in it */
};

struct snapshot_disks {
	struct snapshot_disk	*v;
	size_t			 n;
};

/*
 * A name for a snapshot: 1 to 64 letters, digits, '.', '_' and '-', not
 * starting with '-', and not digits alone (qemu-img would take those for a
 * snapshot's number).
 */
int
snapshot_check_name(const char *name, char **cause)
{
	size_t	len = strlen(name);

	if (len == 0 || len > SNAPSHOT_NAME_MAX || name[0] == '-' ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") != len)
		return diag_cause(cause, "a snapshot's name is 1 to %d "
		    "letters, digits, '.', '_' and '-', not starting with '-'",
		    SNAPSHOT_NAME_MAX);
	if (strspn(name, "0123456789") == len)
		return diag_cause(cause, "a snapshot's name needs a letter: "
		    "qemu-img takes \"%s\" for a snapshot's number", name);
	return 0;
}

void
snapshot_free(struct snapshots *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static struct snapshot *
snapshot_find(const struct snapshots *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static int
snapshot_add(struct snapshots *s, const char *name, time_t date, bool memory)
{
	struct snapshot	*v;

	if ((v = realloc(s->v, (s->n + 1) * sizeof *v)) == NULL)
		return -1;
	s->v = v;
	v = &s->v[s->n];
	if ((v->name = strdup(name)) == NULL)
		return -1;
	v->date = date;
	v->memory = memory;
	v->partial = false;
	s->n++;
	return 0;
}

static void
snapshot_disks_free(struct snapshot_disks *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].title);
		free(d->v[i].path);
		snapshot_free(&d->v[i].has);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/* One disk in the set, or the reason it cannot be (or 0 if it is left out). */
static int
snapshot_disk(struct snapshot_disks *d, const char *title, const char *path,
    const struct profile_drive *dr, const char *node, char **cause)
{
	struct snapshot_disk	*v;

	if (path == NULL)
		return diag_cause(cause, "%s is ephemeral (a new one each "
		    "boot): a snapshot could not bring it back; make it a "
		    "kept disk (ephemeral = false) to take snapshots", title);
	if (dr->readonly)
		return 0;	/* it never changes */
	if (dr->format == FORMAT_RAW)
		return diag_cause(cause, "%s is raw: only qcow2 images hold "
		    "snapshots (qemu-img convert -O qcow2 makes one)", title);
	if (access(path, F_OK) != 0)
		return diag_cause(cause, "%s has no image yet (%s): boot "
		    "the machine once", title, path);
	if (resolve_image_format(path) != FORMAT_QCOW2)
		return diag_cause(cause, "%s (%s) is not a qcow2 image: "
		    "only qcow2 images hold snapshots", title, path);
	if ((v = realloc(d->v, (d->n + 1) * sizeof *v)) == NULL)
		return diag_cause(cause, "out of memory");
	d->v = v;
	v = &d->v[d->n];
	memset(v, 0, sizeof *v);
	snprintf(v->node, sizeof v->node, "%s", node);
	if ((v->title = strdup(title)) == NULL ||
	    (v->path = strdup(path)) == NULL) {
		free(v->title);
		return diag_cause(cause, "out of memory");
	}
	d->n++;
	return 0;
}

/* The disks a snapshot is taken of, or why there can be none. */
static int
snapshot_disks(const struct profile *p, struct snapshot_disks *d,
    char **cause)
{
	struct resolved	*r;
	char		 title[64], node[32];
	size_t		 i;
	int		 ret = 0;

	memset(d, 0, sizeof *d);
	if (resolve_machine(p, &r, cause) != 0)
		return -1;
	if (r->root_image != NULL)
		ret = snapshot_disk(d, "the root disk", r->root_image,
		    r->root_drive, PLAN_NODE_ROOT, cause);
	for (i = 0; ret == 0 && i < r->ndisks; i++) {
		snprintf(title, sizeof title, "disk \"%s\"", r->disks[i].title);
		snprintf(node, sizeof node, PLAN_NODE_DISK, i);
		ret = snapshot_disk(d, title, r->disks[i].path,
		    r->disks[i].drive, node, cause);
	}
	resolve_free(r);
	if (ret == 0 && d->n == 0)
		ret = diag_cause(cause, "%s has no disk that a snapshot "
		    "could hold (none, or only read-only ones)", p->name);
	if (ret != 0)
		snapshot_disks_free(d);
	return ret;
}

/* qemu-img snapshot OP [NAME] PATH; its complaint in *cause. */
static int
snapshot_img(const char *op, const char *name, const char *path, char **out,
    char **cause)
{
	char	*argv[7], *text, *nl, *why;
	int	 n = 0, st;

	argv[n++] = (char *)"qemu-img";
	argv[n++] = (char *)"snapshot";
	argv[n++] = (char *)op;
	if (name != NULL)
		argv[n++] = (char *)name;
	else
		argv[n++] = (char *)"-U";	/* -l: shared, it may run */
	argv[n++] = (char *)"--";
	argv[n++] = (char *)path;
	argv[n] = NULL;
	if (out != NULL)
		*out = NULL;
	if (spawn_output(argv, 1, &text, &st) != 0)
		return diag_cause(cause, "cannot run qemu-img: %s",
		    strerror(errno));
	if (st == 0) {
		if (out != NULL)
			*out = text;
		else
			free(text);
		return 0;
	}
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	why = strncmp(text, "qemu-img: ", 10) == 0 ? text + 10 : text;
	if (st == 127 && *why == '\0')
		diag_cause(cause, "qemu-img is not installed "
		    "(apt-get install qemu-utils)");
	else
		diag_cause(cause, "qemu-img snapshot %s: %s", path,
		    *why != '\0' ? why : "failed");
	free(text);
	return -1;
}

/*
 * The snapshots qemu-img lists in an image: after two lines of heading,
 * "ID TAG VM-SIZE UNIT DATE TIME VM-CLOCK [ICOUNT]" a line.
 */
static int
snapshot_read(struct snapshot_disk *disk, char **cause)
{
	struct tm	 tm;
	char		*text, *line, *save, *tok[8], *s, *save2;
	int		 n, no = 0, oom = 0;

	if (snapshot_img("-l", NULL, disk->path, &text, cause) != 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (no++ < 2)
			continue;
		for (n = 0, s = strtok_r(line, " \t", &save2);
		    s != NULL && n < 8; s = strtok_r(NULL, " \t", &save2))
			tok[n++] = s;
		if (n < 6)
			continue;
		memset(&tm, 0, sizeof tm);
		tm.tm_isdst = -1;
		if (sscanf(tok[4], "%d-%d-%d", &tm.tm_year, &tm.tm_mon,
		    &tm.tm_mday) != 3 || sscanf(tok[5], "%d:%d:%d",
		    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 3)
			continue;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		oom |= snapshot_add(&disk->has, tok[1], mktime(&tm),
		    strtod(tok[2], NULL) > 0);
	}
	free(text);
	return oom ? diag_cause(cause, "out of memory") : 0;
}

/* The disks, each with the snapshots it holds. */
static int
snapshot_load(const struct profile *p, struct snapshot_disks *d, char **cause)
{
	size_t	i;

	if (snapshot_disks(p, d, cause) != 0)
		return -1;
	for (i = 0; i < d->n; i++)
		if (snapshot_read(&d->v[i], cause) != 0) {
			snapshot_disks_free(d);
			return -1;
		}
	return 0;
}

/* Every name in any disk, in the first disk's order; partial if not in all. */
int
snapshot_list(const struct profile *p, struct snapshots *out, char **cause)
{
	struct snapshot_disks	 d;
	struct snapshot		*s, *t;
	size_t			 i, j, k;

	memset(out, 0, sizeof *out);
	if (snapshot_load(p, &d, cause) != 0)
		return -1;
	for (i = 0; i < d.n; i++)
		for (j = 0; j < d.v[i].has.n; j++) {
			s = &d.v[i].has.v[j];
			if ((t = snapshot_find(out, s->name)) != NULL) {
				t->memory = t->memory || s->memory;
				continue;
			}
			if (snapshot_add(out, s->name, s->date,
			    s->memory) != 0) {
				snapshot_free(out);
				snapshot_disks_free(&d);
				return diag_cause(cause, "out of memory");
			}
			t = &out->v[out->n - 1];
			for (k = 0; k < d.n; k++)
				if (snapshot_find(&d.v[k].has, s->name) == NULL)
					t->partial = true;
		}
	snapshot_disks_free(&d);
	return 0;
}

/*
 * Our job in query-jobs' reply: "concluded" and its error, if any; 1 when
 * it has ended, 0 while it runs, -1 when it is not there.
 */
static int
snapshot_job_state(json_t *jobs, char **error)
{
	json_t		*job, *err;
	const char	*id, *status;
	size_t		 i;

	*error = NULL;
	json_array_foreach(jobs, i, job) {
		id = json_string_value(json_object_get(job, "id"));
		if (id == NULL || strcmp(id, SNAPSHOT_JOB) != 0)
			continue;
		status = json_string_value(json_object_get(job, "status"));
		if (status == NULL || strcmp(status, "concluded") != 0)
			return 0;
		if ((err = json_object_get(job, "error")) != NULL)
			*error = strdup(json_is_string(err) ?
			    json_string_value(err) : "failed");
		return 1;
	}
	return -1;
}

/* The job's lock in the runtime folder: held while a job runs. */
static int
snapshot_lock(const struct profile *p, char **cause)
{
	char	*path;
	int	 fd;

	if ((path = runtime_file(p, PATHS_SNAPSHOT)) == NULL)
		return diag_cause(cause, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	if (fd == -1)
		return diag_cause(cause, "%s: %s", PATHS_SNAPSHOT,
		    strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return diag_cause(cause, "a snapshot of %s is being taken, "
		    "reverted or deleted already", p->name);
	}
	return fd;
}

/*
 * Whether a snapshot job of p's machine is running (its lock held): --stop
 * waits for it rather than kill QEMU in the middle of a save.
 */
bool
snapshot_busy(const struct profile *p)
{
	char	*path;
	int	 fd;
	bool	 busy = false;

	if ((path = runtime_file(p, PATHS_SNAPSHOT)) == NULL)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd == -1)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0)
		busy = errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/*
 * A snapshot job through QMP, to its end; the job's error in *cause. QEMU
 * answers nothing while it saves the memory (its main loop is busy): each
 * command waits until the job's own deadline, not a command's.
 */
static int
snapshot_job(const struct profile *p, const char *command, const char *name,
    const struct snapshot_disks *d, size_t ndevices, char **cause)
{
	struct qmp	*q;
	json_t		*args, *devices, *jobs;
	char		*sock, *error, *ignore;
	long		 deadline = io_now_ms() + SNAPSHOT_JOB_MS;
	size_t		 i;
	int		 ret = -1, lock, state;

	if ((lock = snapshot_lock(p, cause)) == -1)
		return -1;
	if ((sock = runtime_file(p, PATHS_QMP)) == NULL) {
		close(lock);
		return diag_cause(cause, "out of memory");
	}
	if (qmp_open(sock, 5000, &q, cause) != 0) {
		free(sock);
		close(lock);
		return -1;
	}
	free(sock);
	/* one a vmtui left behind would hold the id */
	if (qmp_run(q, "job-dismiss", json_pack("{s:s}", "id", SNAPSHOT_JOB),
	    NULL, &ignore) != 0)
		free(ignore);
	devices = json_array();
	for (i = 0; i < ndevices; i++)
		json_array_append_new(devices, json_string(d->v[i].node));
	args = json_pack("{s:s, s:s, s:o}", "job-id", SNAPSHOT_JOB, "tag",
	    name, "devices", devices);
	if (args != NULL && strcmp(command, "snapshot-delete") != 0)
		json_object_set_new(args, "vmstate", json_string(d->v[0].node));
	if (args == NULL) {
		diag_cause(cause, "out of memory");
		goto out;
	}
	qmp_set_timeout(q, SNAPSHOT_JOB_MS);
	if (qmp_run(q, command, args, NULL, cause) != 0)
		goto out;
	for (;;) {
		qmp_set_timeout(q, (int)(deadline - io_now_ms() > 1000 ?
		    deadline - io_now_ms() : 1000));
		if (qmp_run(q, "query-jobs", NULL, &jobs, cause) != 0)
			goto out;
		state = snapshot_job_state(jobs, &error);
		json_decref(jobs);
		if (state == 1) {
			if (error != NULL)
				diag_cause(cause, "%s: %s", command, error);
			else
				ret = 0;
			free(error);
			break;
		}
		if (state < 0 || io_now_ms() > deadline) {
			diag_cause(cause, "%s: the job %s", command, state < 0 ?
			    "is gone" : "has not ended after 10 minutes");
			goto out;
		}
		usleep(100 * 1000);
	}
	if (qmp_run(q, "job-dismiss", json_pack("{s:s}", "id", SNAPSHOT_JOB),
	    NULL, &ignore) != 0)
		free(ignore);
out:
	qmp_close(q);
	close(lock);
	return ret;
}

static bool
snapshot_running(const struct profile *p)
{
	pid_t	pid;

	return runtime_running(p, &pid) != 0;
}

/*
 * Take a snapshot called name of every disk: with the memory while the
 * machine runs. Nothing is left of a take that fails.
 */
int
snapshot_take(const struct profile *p, const char *name, char **cause)
{
	struct snapshot_disks	 d;
	size_t			 i, j;
	char			*undo;
	int			 ret = 0;

	if (snapshot_check_name(name, cause) != 0 ||
	    snapshot_load(p, &d, cause) != 0)
		return -1;
	for (i = 0; i < d.n; i++)
		if (snapshot_find(&d.v[i].has, name) != NULL) {
			snapshot_disks_free(&d);
			return diag_cause(cause, "%s has a snapshot \"%s\" "
			    "already: delete it first, or pick another name",
			    p->name, name);
		}
	if (snapshot_running(p))
		ret = snapshot_job(p, "snapshot-save", name, &d, d.n, cause);
	else
		for (i = 0; ret == 0 && i < d.n; i++) {
			if (snapshot_img("-c", name, d.v[i].path, NULL,
			    cause) == 0)
				continue;
			for (j = 0; j < i; j++)
				if (snapshot_img("-d", name, d.v[j].path, NULL,
				    &undo) != 0)
					free(undo);
			ret = -1;
		}
	snapshot_disks_free(&d);
	return ret;
}

/*
 * Bring every disk back to the snapshot (and, while the machine runs, its
 * memory: the guest goes on from there). What the disks hold now is lost.
 */
int
snapshot_revert(const struct profile *p, const char *name, char **cause)
{
	struct snapshot_disks	 d;
	char			*why;
	size_t			 i;
	int			 ret = 0, fd;

	if (snapshot_check_name(name, cause) != 0 ||
	    snapshot_load(p, &d, cause) != 0)
		return -1;
	for (i = 0; i < d.n; i++)
		if (snapshot_find(&d.v[i].has, name) == NULL) {
			ret = diag_cause(cause, "%s has no snapshot \"%s\"%s",
			    i == 0 ? p->name : d.v[i].title, name,
			    i == 0 ? "" : " (it is not on every disk)");
			goto out;
		}
	if (snapshot_running(p)) {
		/* the memory is in the first disk's */
		if (!snapshot_find(&d.v[0].has, name)->memory)
			ret = diag_cause(cause, "snapshot \"%s\" was taken "
			    "while %s was off: stop the machine, then revert",
			    name, p->name);
		else
			ret = snapshot_job(p, "snapshot-load", name, &d, d.n,
			    cause);
		goto out;
	}
	/* every disk is checked first: a revert is all of them or none */
	for (i = 0; i < d.n; i++) {
		if ((fd = open(d.v[i].path, O_RDWR | O_CLOEXEC)) != -1) {
			close(fd);
			continue;
		}
		ret = diag_cause(cause, "%s (%s) cannot be written: %s; nothing "
		    "was reverted", d.v[i].title, d.v[i].path, strerror(errno));
		goto out;
	}
	for (i = 0; i < d.n; i++) {
		if (snapshot_img("-a", name, d.v[i].path, NULL, cause) == 0)
			continue;
		if (i > 0) {
			why = *cause;
			diag_cause(cause, "%s (the disks before it are "
			    "reverted already)", why != NULL ? why : "?");
			free(why);
		}
		ret = -1;
		break;
	}
out:
	snapshot_disks_free(&d);
	return ret;
}

/* Delete the snapshot from every disk that holds it. */
int
snapshot_delete(const struct profile *p, const char *name, char **cause)
{
	struct snapshot_disks	 d;
	size_t			 i, n = 0;
	int			 ret = 0;

	if (snapshot_check_name(name, cause) != 0 ||
	    snapshot_load(p, &d, cause) != 0)
		return -1;
	for (i = 0; i < d.n; i++)
		n += snapshot_find(&d.v[i].has, name) != NULL;
	if (n == 0)
		ret = diag_cause(cause, "%s has no snapshot \"%s\"",
		    p->name, name);
	else if (snapshot_running(p))
		ret = snapshot_job(p, "snapshot-delete", name, &d, d.n, cause);
	else
		for (i = 0; ret == 0 && i < d.n; i++)
			if (snapshot_find(&d.v[i].has, name) != NULL)
				ret = snapshot_img("-d", name, d.v[i].path,
				    NULL, cause);
	snapshot_disks_free(&d);
	return ret;
}
