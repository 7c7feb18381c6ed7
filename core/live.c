/*
 * live: a profile changed while its machine runs. Whatever changed, the
 * profile is saved as one transaction (profile_txn: the file as it is
 * under the save lock is what changes from, patched in place); what a
 * running QEMU can take, it takes at once, before the save:
 *
 * - forwards from the host: hostfwd_remove, then hostfwd_add, on the user
 *   network (hostfwd.c); a new forward's host port must be free before
 *   anything changes, and a rule QEMU refuses undoes the others;
 * - virtio disks: a new one attached, one removed taken away once the
 *   guest lets go (hotplug.c); a disk that cannot be (another interface,
 *   ephemeral, no free port, a machine started before vmtui kept ports)
 *   waits for the next start, and the report says why.
 *
 * What the machine runs is the copy current.c keeps (its start, plus
 * each change made here): the change is the difference between that copy
 * and the new profile, and what remains of it applies at the next start.
 * One change at a time per machine (a lock in its runtime folder, held
 * across the QMP commands and the copy's update).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "buf.h"
#include "current.h"
#include "diag.h"
#include "hostfwd.h"
#include "hotplug.h"
#include "io.h"
#include "live.h"
#include "paths.h"
#include "preflight.h"
#include "profile_txn.h"
#include "qmp.h"
#include "runtime.h"
#include "validate.h"

#define LIVE_LOCK_MS	(HOTPLUG_DETACH_MS + 10000)
#define LIVE_QMP_MS	5000

/* One change at a time to the running machine m: the lock's fd, or -1. */
static int
live_lock(const struct profile *m, char **cause)
{
	char	*path;
	long	 deadline = io_now_ms() + LIVE_LOCK_MS;
	int	 fd;

	if ((path = runtime_file(m, PATHS_LIVE_LOCK)) == NULL)
		return diag_cause(cause, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	if (fd == -1)
		return diag_cause(cause, "%s: %s", PATHS_LIVE_LOCK,
		    strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK || io_now_ms() >= deadline) {
			close(fd);
			return diag_cause(cause, "%s is being changed by "
			    "another vmtui; try again", m->name);
		}
		usleep(100000);
	}
	return fd;
}

/* The rows of section s in a that b has not (each of b's matched once). */
static size_t
live_unmatched(const struct profile *a, const struct profile *b,
    enum schema_section s, size_t *out)
{
	size_t	 na = profile_count(a, s), nb = profile_count(b, s), i, j, n = 0;
	bool	*used;

	if ((used = calloc(nb + 1, sizeof *used)) == NULL)
		return (size_t)-1;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!used[j] && current_same_row(a, i, b, j, s))
				break;
		if (j < nb)
			used[j] = true;
		else
			out[n++] = i;
	}
	free(used);
	return n;
}

/* Of the forward rows v of p, those from the host: how many are left. */
static size_t
live_host_only(const struct profile *p, size_t *v, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		if (p->forwards[v[i]].from == FWD_HOST)
			v[k++] = v[i];
	return k;
}

/* Whether forward f's host port is one that a removed forward frees. */
static bool
live_freed(const struct profile *cur, const size_t *rm, size_t nrm,
    const struct profile_forward *f)
{
	const struct profile_forward	*g;
	size_t				 i;

	for (i = 0; i < nrm; i++) {
		g = &cur->forwards[rm[i]];
		if (g->proto == f->proto && g->host_port == f->host_port &&
		    strcmp(g->host_address, f->host_address) == 0)
			return true;
	}
	return false;
}

/* A forward's host port free on this host, or why not. */
static int
live_port_free(const struct profile_forward *f, char **cause)
{
	int	err;

	if ((err = preflight_port_free(f->host_address, (int)f->proto,
	    f->host_port)) == 0)
		return 0;
	return diag_cause(cause, "%s port %s:%ld: %s; nothing was changed",
	    schema_protos[f->proto], f->host_address, f->host_port,
	    err == EADDRINUSE ? "in use on this host" : err == EACCES ?
	    "ports below 1024 need root" : strerror(err));
}

/* The host forwards of now not in old, checked free (a machine off). */
static int
live_check_ports(const struct profile *old, const struct profile *now,
    char **cause)
{
	size_t	*add, nadd, i;
	int	 r = 0;

	if ((add = calloc(now->nforwards + 1, sizeof *add)) == NULL)
		return diag_cause(cause, "out of memory");
	nadd = live_unmatched(now, old, SCHEMA_FORWARD, add);
	for (i = 0; i < nadd && r == 0; i++)
		if (now->forwards[add[i]].from == FWD_HOST)
			r = live_port_free(&now->forwards[add[i]], cause);
	free(add);
	return r;
}

/* The state of one change to a running machine. */
struct live_change {
	const struct profile	*old;	/* the machine's profile, saved */
	const struct profile	*now;
	struct profile		*cur;	/* what runs, changed as it changes */
	struct qmp		*q;
	struct live_report	*rep;
	size_t			*rm, nrm;	/* cur's forwards that go */
	size_t			*add, nadd;	/* now's forwards that come */
};

/* A forward from the host in or out of the machine, said when done. */
static int
live_forward_one(struct live_change *c, const struct profile_forward *f,
    bool add, char **cause)
{
	char	*text;
	int	 r;

	if ((r = hostfwd_live(c->q, f, add, cause)) < 0)
		return -1;
	if ((text = profile_forward_text(f)) != NULL)
		(void)strv_addf(&c->rep->done, "forward %s %s", text, add ?
		    "added" : r == 1 ? "was not there (removed)" : "removed");
	free(text);
	return 0;
}

/*
 * The forwards from the host that changed, into the running machine:
 * removed ones first (a changed row frees its port for itself). A rule
 * QEMU refuses undoes those made before it: 0, or -1 with the cause and
 * the machine as it was.
 */
static int
live_forwards(struct live_change *c, char **cause)
{
	struct profile	*cur = c->cur;
	size_t		 i, k, done_rm = 0, done_add = 0;
	char		*why = NULL;
	int		 r = 0;

	for (i = 0; i < c->nrm && r == 0; i++, done_rm++)
		r = live_forward_one(c, &cur->forwards[c->rm[i]], false, cause);
	for (i = 0; i < c->nadd && r == 0; i++, done_add++)
		r = live_forward_one(c, &c->now->forwards[c->add[i]], true,
		    cause);
	if (r != 0) {
		/* back as it was: what was added goes, what went comes */
		for (k = done_add; k-- > 0;)
			(void)hostfwd_live(c->q, &c->now->forwards[c->add[k]],
			    false, &why);
		for (k = done_rm; k-- > 0;)
			(void)hostfwd_live(c->q, &cur->forwards[c->rm[k]],
			    true, &why);
		free(why);
		strv_free(&c->rep->done);
		return -1;
	}
	/* the copy of what runs: the same change (rm is in order) */
	for (i = c->nrm; i-- > 0;)
		profile_remove_row(cur, SCHEMA_FORWARD, c->rm[i]);
	for (i = 0; i < c->nadd && r == 0; i++)
		r = current_copy_row(cur, c->now, SCHEMA_FORWARD, c->add[i],
		    cause);
	return r;
}

/* Row i of disks of p by title in q, or -1. */
static long
live_disk(const struct profile *q, const char *title)
{
	size_t	i;

	for (i = 0; i < q->ndisks; i++)
		if (strcmp(q->disks[i].title, title) == 0)
			return (long)i;
	return -1;
}

/* Why disk d cannot be attached or taken away live, or NULL. */
static const char *
live_disk_why(const struct live_change *c, const struct profile_disk *d)
{
	if (c->cur->disk_interface != DISKIF_VIRTIO ||
	    c->now->disk_interface != DISKIF_VIRTIO)
		return "only virtio disks change while the machine runs";
	if (d->ephemeral)
		return "an ephemeral disk lives in the run's temporary folder";
	return NULL;
}

/*
 * The disks that went: taken away once the guest lets go. One the guest
 * holds on to past the deadline stays in the copy (the machine still has
 * it) and is said; it goes when the guest lets go, or at the next start.
 */
static void
live_detach(struct live_change *c)
{
	const char	*why;
	char		*cause = NULL, *title;
	size_t		 i;
	long		 j;
	int		 r;

	for (i = c->cur->ndisks; i-- > 0;) {
		title = c->cur->disks[i].title;
		if (live_disk(c->now, title) >= 0)
			continue;
		if ((why = live_disk_why(c, &c->cur->disks[i])) != NULL) {
			(void)strv_addf(&c->rep->notes, "disk \"%s\" goes at "
			    "the next start: %s", title, why);
			continue;
		}
		r = hotplug_detach(c->q, title, HOTPLUG_DETACH_MS, &cause);
		if (r == 0) {
			(void)strv_addf(&c->rep->done, "disk \"%s\" taken "
			    "away (its image is kept)", title);
			if ((j = live_disk(c->cur, title)) >= 0)
				profile_remove_row(c->cur, SCHEMA_DISK,
				    (size_t)j);
		} else if (r == 1)
			(void)strv_addf(&c->rep->notes, "the guest has not let "
			    "go of disk \"%s\" in %d s: it goes when the guest "
			    "lets go of it, or at the next start (its image is "
			    "kept)", title, HOTPLUG_DETACH_MS / 1000);
		else
			(void)strv_addf(&c->rep->notes, "disk \"%s\" goes at "
			    "the next start: %s", title, cause ? cause : "?");
		free(cause);
		cause = NULL;
	}
}

/*
 * The disks that came: attached in a free root port each. One that cannot
 * be waits for the next start, said with why.
 */
static void
live_attach(struct live_change *c)
{
	const struct profile_disk	*d;
	const char			*why;
	char				*cause = NULL;
	size_t				 i;
	int				 port, r;

	for (i = 0; i < c->now->ndisks; i++) {
		d = &c->now->disks[i];
		if (live_disk(c->cur, d->title) >= 0)
			continue;
		if ((why = live_disk_why(c, d)) != NULL) {
			(void)strv_addf(&c->rep->notes, "disk \"%s\" is added "
			    "at the next start: %s", d->title, why);
			continue;
		}
		r = hotplug_port(c->q, &port, &cause);
		if (r == 0 && hotplug_attach(c->q, c->now, i, port,
		    &cause) == 0) {
			(void)strv_addf(&c->rep->done, "disk \"%s\" attached",
			    d->title);
			if (current_copy_row(c->cur, c->now, SCHEMA_DISK, i,
			    &cause) != 0) {
				free(cause);
				cause = NULL;
			}
			continue;
		}
		(void)strv_addf(&c->rep->notes, "disk \"%s\" is added at the "
		    "next start: %s", d->title, r == HOTPLUG_NO_PORTS ? "the "
		    "machine was started before vmtui kept PCIe ports free for "
		    "disks" : r == HOTPLUG_PORTS_FULL ? "every PCIe port kept "
		    "for disks holds one already" : cause ? cause : "?");
		free(cause);
		cause = NULL;
	}
}

/*
 * The copy's disks whose device has gone since (a guest that let go
 * late): out of the copy, their nodes deleted.
 */
static void
live_catch_up(struct live_change *c)
{
	struct strv	 ids = { NULL, 0 };
	char		*cause = NULL, id[64];
	size_t		 i, j;

	hotplug_reap(c->q);
	if (hotplug_devices(c->q, &ids, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = c->cur->ndisks; i-- > 0;) {
		snprintf(id, sizeof id, PLAN_DEV_DISK, c->cur->disks[i].title);
		for (j = 0; j < ids.n && strcmp(ids.v[j], id) != 0; j++)
			;
		if (j == ids.n && !c->cur->disks[i].ephemeral &&
		    c->cur->disk_interface == DISKIF_VIRTIO)
			profile_remove_row(c->cur, SCHEMA_DISK, i);
	}
	strv_free(&ids);
}

/* The change to the running machine, with its copy locked and loaded. */
static int
live_running(struct live_change *c, char **cause)
{
	const struct profile	*cur = c->cur;
	struct strv		 next = { NULL, 0 };
	char			*why = NULL;
	size_t			 i;

	if ((c->rm = calloc(cur->nforwards + 1, sizeof *c->rm)) == NULL ||
	    (c->add = calloc(c->now->nforwards + 1, sizeof *c->add)) == NULL)
		return diag_cause(cause, "out of memory");
	c->nrm = live_unmatched(cur, c->now, SCHEMA_FORWARD, c->rm);
	c->nadd = live_unmatched(c->now, cur, SCHEMA_FORWARD, c->add);
	/* only forwards from the host change live */
	c->nrm = live_host_only(cur, c->rm, c->nrm);
	c->nadd = live_host_only(c->now, c->add, c->nadd);
	if (c->nrm + c->nadd > 0 && cur->network != NETWORK_USER) {
		(void)strv_addf(&c->rep->notes, "%s runs without the user "
		    "network: its forwards change at the next start",
		    cur->name);
		c->nrm = c->nadd = 0;
	}
	/* a host port in use: refused before anything changes */
	for (i = 0; i < c->nadd; i++)
		if (!live_freed(cur, c->rm, c->nrm,
		    &c->now->forwards[c->add[i]]) &&
		    live_port_free(&c->now->forwards[c->add[i]], cause) != 0)
			return -1;
	if (live_forwards(c, cause) != 0)
		return -1;
	live_catch_up(c);
	live_detach(c);
	live_attach(c);
	if (current_save(c->old, c->cur, &why) != 0) {
		(void)strv_addf(&c->rep->notes, "what %s runs now could not be "
		    "kept: %s", cur->name, why != NULL ? why : "?");
		free(why);
	}
	if (current_differs(c->cur, c->now, &next) == 0 && next.n > 0)
		c->rep->next = strv_join(&next, ", ");
	strv_free(&next);
	return 0;
}

/*
 * old (the profile as saved) changed into now: made to the machine while
 * it runs, as far as it can be; the rest, and every change to a machine
 * that does not run, waits for the next start. With LIVE_CHECK_PORTS a new
 * forward's host port must be free even when the machine is off. 0 with
 * what happened in *rep (live_report_free), or -1 with the cause and
 * nothing changed: the caller saves now only after 0.
 */
int
live_update(const struct profile *old, const struct profile *now, int flags,
    struct live_report *rep, char **cause)
{
	struct live_change	 c;
	char			*sock, *why = NULL;
	pid_t			 pid;
	int			 lock, r;

	memset(rep, 0, sizeof *rep);
	if (!runtime_running(old, &pid))
		return (flags & LIVE_CHECK_PORTS) ? live_check_ports(old, now,
		    cause) : 0;
	rep->running = true;
	if ((lock = live_lock(old, cause)) == -1)
		return -1;
	memset(&c, 0, sizeof c);
	c.old = old;
	c.now = now;
	c.rep = rep;
	/* no copy: started before vmtui kept one; the profile is the guess */
	if ((r = current_load(old, &c.cur, &why)) != 0) {
		free(why);
		why = NULL;
		if (old->file == NULL || profile_parse(old->file, &c.cur,
		    cause) != 0) {
			close(lock);
			return -1;
		}
	}
	if ((sock = runtime_file(old, PATHS_QMP)) == NULL ||
	    qmp_open(sock, LIVE_QMP_MS, &c.q, &why) != 0) {
		r = diag_cause(cause, "%s runs but does not answer: %s; "
		    "nothing was changed", old->name, why ? why : "?");
		c.q = NULL;
	} else
		r = live_running(&c, cause);
	free(why);
	free(sock);
	qmp_close(c.q);
	profile_free(c.cur);
	free(c.rm);
	free(c.add);
	close(lock);
	if (r != 0)
		live_report_free(rep);
	rep->running = true;
	return r;
}

/*
 * live_update from what the transaction read, then its commit of now: 0,
 * or -1 with the cause and nothing saved.
 */
static int
live_commit(struct profile_txn *txn, const struct profile *now, int flags,
    struct live_report *rep, char **cause)
{
	char	*why = NULL;

	if (live_update(txn->old, now, flags, rep, cause) != 0)
		return -1;
	if (profile_txn_commit(txn, now, NULL, NULL, &why) != 0) {
		if (rep->done.n > 0)
			(void)diag_cause(cause, "%s; the running machine has "
			    "the change already", why != NULL ? why : "?");
		else {
			*cause = why;
			why = NULL;
		}
		free(why);
		live_report_free(rep);
		return -1;
	}
	return 0;
}

/*
 * now saved over the profile at path, made to its machine while it runs
 * (the editor's save, its lock held): the file as it is is what changes
 * from; a file gone or that does not read is saved as before, nothing
 * made live.
 */
int
live_save_file(const struct profile *now, const char *path,
    struct live_report *rep, char **cause)
{
	struct profile_txn	txn;
	int			r;

	memset(rep, 0, sizeof *rep);
	if (profile_txn_begin(path, PROFILE_TXN_GONE_OK, &txn, cause) != 0) {
		free(*cause);
		*cause = NULL;
		return profile_txn_save(now, path, cause);
	}
	if (txn.old == NULL)
		r = profile_txn_commit(&txn, now, NULL, NULL, cause);
	else
		r = live_commit(&txn, now, 0, rep, cause);
	profile_txn_end(&txn);
	return r;
}

/*
 * --forward: the profile at path given a forward from the host (spec:
 * "[tcp|udp] [ADDR:]HOSTPORT:GUESTPORT") or without one (remove; spec:
 * "[tcp:|udp:][ADDR:]HOSTPORT"), saved, and the machine changed when it
 * runs; a host port in use is refused before anything changes, running
 * or not. 0; LIVE_INVALID with the cause for a bad spec or a profile that
 * does not validate then; -1 with the cause.
 */
int
live_forward(const char *path, const char *spec, bool remove,
    struct live_report *rep, char **cause)
{
	struct profile_txn	 txn;
	struct profile		*old = NULL, *now = NULL;
	struct hostfwd_spec	 which;
	char			*words[3] = { NULL, NULL, NULL }, *copy, *sp;
	long			 i;
	int			 n = 0, r = -1;

	memset(rep, 0, sizeof *rep);
	memset(&txn, 0, sizeof txn);
	txn.lock.fd = -1;
	if ((copy = strdup(spec)) == NULL)
		return diag_cause(cause, "out of memory");
	for (sp = strtok(copy, " \t"); sp != NULL && n < 3; sp = strtok(NULL,
	    " \t"))
		words[n++] = sp;
	/* checked as every action finds a profile; then the file is ours */
	r = LIVE_INVALID;
	if (validate_load(path, &old, cause) != 0)
		goto out;
	r = -1;
	if (profile_txn_begin(path, PROFILE_TXN_NOT_EDITED, &txn,
	    cause) != 0 || profile_txn_load(&txn, &now, cause) != 0)
		goto out;
	r = LIVE_INVALID;
	if (remove) {
		if (n != 1) {
			(void)diag_cause(cause, "--remove takes "
			    "[tcp:|udp:][ADDR:]HOSTPORT");
			goto out;
		}
		if (hostfwd_parse_remove(words[0], &which, cause) != 0)
			goto out;
		if ((i = hostfwd_find(now, &which, cause)) < 0) {
			r = -1;
			goto out;
		}
		profile_remove_row(now, SCHEMA_FORWARD, (size_t)i);
	} else {
		if (n == 0 || n > 2) {
			(void)diag_cause(cause, "--forward takes [tcp|udp] "
			    "[ADDR:]HOSTPORT:GUESTPORT");
			goto out;
		}
		if (profile_add_forward(now) != 0) {
			r = diag_cause(cause, "out of memory");
			goto out;
		}
		if (hostfwd_parse_add(n, words, &now->forwards[now->nforwards -
		    1], cause) != 0)
			goto out;
	}
	if (validate_check(now, cause) != 0)
		goto out;
	r = live_commit(&txn, now, LIVE_CHECK_PORTS, rep, cause);
out:
	profile_txn_end(&txn);
	free(copy);
	profile_free(old);
	profile_free(now);
	return r;
}

/*
 * A report in one line, for a message line: "forward ... added; applies
 * at the next start: memory"; NULL when there is nothing to say.
 */
char *
live_report_text(const struct live_report *rep)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < rep->done.n; i++)
		buf_printf(&b, "%s%s", b.len > 0 ? "; " : "", rep->done.v[i]);
	for (i = 0; i < rep->notes.n; i++)
		buf_printf(&b, "%s%s", b.len > 0 ? "; " : "", rep->notes.v[i]);
	if (rep->next != NULL)
		buf_printf(&b, "%sapplies at the next start: %s", b.len > 0 ?
		    "; " : "", rep->next);
	if (b.len == 0) {
		free(buf_finish(&b, NULL));
		return NULL;
	}
	return buf_finish(&b, NULL);
}

void
live_report_free(struct live_report *rep)
{
	strv_free(&rep->done);
	strv_free(&rep->notes);
	free(rep->next);
	rep->next = NULL;
}
