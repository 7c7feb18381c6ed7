/*
 * runtime: QEMU locks its -pidfile (an open file description lock) while it
 * runs and writes its pid there. A lock, unlike a pid that "kill -0"
 * answers for, cannot outlive the process or be mistaken for another one.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "paths.h"
#include "profile.h"
#include "qmp.h"
#include "runtime.h"
#include "strv.h"

/* 1 when QEMU holds the lock of the pidfile in dir (its pid in *pid). */
static int
runtime_locked(const char *dir, pid_t *pid)
{
	struct flock	 fl;
	char		*path, buf[32];
	ssize_t		 n;
	int		 fd, running = 0;

	*pid = 0;
	if (asprintf(&path, "%s/" PATHS_PIDFILE, dir) < 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd == -1)
		return 0;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
		running = 1;
		n = read(fd, buf, sizeof buf - 1);
		if (n > 0) {
			buf[n] = '\0';
			*pid = (pid_t)strtol(buf, NULL, 10);
		}
	}
	close(fd);
	return running;
}

/*
 * The folders of p's machine as they are now: those of its identity
 * (paths_machine), but the runtime and state folders an earlier vmtui used
 * while a machine it started runs there and none runs in the new one (so an
 * upgrade leaves running machines reachable). 0, or -1 when out of memory.
 */
int
runtime_machine(const struct profile *p, struct paths_machine *m)
{
	struct strv	 bases = { NULL, 0 };
	const char	*leaf;
	char		*cause = NULL, *dir;
	size_t		 i;
	pid_t		 pid;

	if (paths_machine(p->name, p->dir, p->file, m) != 0)
		return -1;
	/*
	 * running in another base of the user's (started with or without
	 * XDG_RUNTIME_DIR, or by an earlier vmtui's fallback): there
	 */
	leaf = strrchr(m->runtime, '/') + 1;
	if (!runtime_locked(m->runtime, &pid) &&
	    paths_runtime_bases(&bases) == 0) {
		for (i = 0; i < bases.n; i++) {
			if (asprintf(&dir, "%s/%s", bases.v[i], leaf) < 0)
				break;
			if (strcmp(dir, m->runtime) != 0 &&
			    runtime_locked(dir, &pid)) {
				free(m->runtime);
				m->runtime = dir;
				break;
			}
			free(dir);
		}
	}
	strv_free(&bases);
	/* nothing in a runtime folder that is not ours alone is believed */
	if (m->legacy != NULL && paths_runtime_check(0, &cause) == 0 &&
	    !runtime_locked(m->runtime, &pid) &&
	    runtime_locked(m->legacy, &pid)) {
		free(m->runtime);
		free(m->state);
		m->runtime = m->legacy;
		m->state = m->legacy_state;
		m->legacy = m->legacy_state = NULL;
	}
	free(cause);
	return 0;
}

char *
runtime_file(const struct profile *p, const char *file)
{
	struct paths_machine	 m;
	char			*s, *cause = NULL;

	/* nothing in a runtime folder that is not ours alone is believed */
	if (paths_runtime_check(0, &cause) != 0) {
		free(cause);
		return NULL;
	}
	if (runtime_machine(p, &m) != 0)
		return NULL;
	if (asprintf(&s, "%s/%s", m.runtime, file) < 0)
		s = NULL;
	paths_machine_free(&m);
	return s;
}

/* 1 when the machine runs (its pid in *pid), 0 when not. */
int
runtime_running(const struct profile *p, pid_t *pid)
{
	struct paths_machine	 m;
	char			*cause = NULL;
	int			 r;

	*pid = 0;
	if (paths_runtime_check(0, &cause) != 0) {
		free(cause);
		return 0;
	}
	if (runtime_machine(p, &m) != 0)
		return 0;
	r = runtime_locked(m.runtime, pid);
	paths_machine_free(&m);
	return r;
}

static int
runtime_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/*
 * The temp folder a run's script made (ephemeral disks, the exchange
 * folder), named in RUNDIR/tmpdir: removed once the machine has ended. Only
 * a folder of ours called vmtui-NAME.XXXXXXXXXX, never through a symlink.
 */
static void
runtime_clean_tmp(const struct profile *p)
{
	struct stat	 st;
	char		*note, buf[PATH_MAX + 2], *base, want[128];
	ssize_t		 n;
	int		 fd;

	if ((note = runtime_file(p, "tmpdir")) == NULL)
		return;
	fd = open(note, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	n = fd == -1 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd != -1)
		close(fd);
	(void)unlink(note);
	free(note);
	if (n <= 1 || buf[n - 1] != '\n')
		return;
	buf[n - 1] = '\0';
	snprintf(want, sizeof want, "vmtui-%s.", p->name);
	if (buf[0] != '/' || strchr(buf, '\n') != NULL ||
	    (base = strrchr(buf, '/')) == NULL ||
	    strncmp(base + 1, want, strlen(want)) != 0 ||
	    strlen(base + 1) != strlen(want) + 10 ||
	    lstat(buf, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid())
		return;
	(void)nftw(buf, runtime_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * What a run left behind, once it has ended (or crashed): only when
 * nothing runs.
 */
void
runtime_clean_stale(const struct profile *p)
{
	static const char *const files[] = { PATHS_PIDFILE, PATHS_QMP,
	    PATHS_QMP_VIEW, PATHS_QGA, PATHS_CONSOLE, PATHS_LOGSTART, PATHS_VNC,
	    PATHS_SPICE, PATHS_VNCPASS, PATHS_SPICEPASS, PATHS_PROFILE,
	    PATHS_QMP_WATCH, PATHS_AUTOFWD, PATHS_CURRENT };
	pid_t	pid;
	size_t	i;
	char	*path;

	if (runtime_running(p, &pid))
		return;
	runtime_clean_tmp(p);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if ((path = runtime_file(p, files[i])) == NULL)
			continue;
		(void)unlink(path);
		free(path);
	}
}

/* The profile a machine was started from, as its runtime folder says. */
static char *
runtime_started_from(const char *dir)
{
	struct stat	 st;
	char		*path, buf[PATH_MAX + 1];
	ssize_t		 n;
	int		 fd;

	if (asprintf(&path, "%s/" PATHS_PROFILE, dir) < 0)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return NULL;
	n = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() ? -1 : read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 1 || buf[0] != '/' || memchr(buf, '\0', (size_t)n) != NULL)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

static int
runtime_found_order(const void *a, const void *b)
{
	const struct runtime_found	*x = a, *y = b;

	return strcmp(x->dir, y->dir);
}

/* The machines running in base, added to *v. 0, or -1 when out of memory. */
static int
runtime_find_in(const char *base, struct runtime_found **v, size_t *n)
{
	struct runtime_found	*grown, *f;
	struct dirent		*e;
	struct stat		 st;
	DIR			*d;
	char			*dir;
	pid_t			 pid;
	int			 r = 0;

	if ((d = opendir(base)) == NULL)
		return 0;
	while (r == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || asprintf(&dir, "%s/%s", base,
		    e->d_name) < 0)
			continue;
		if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != geteuid() || !runtime_locked(dir, &pid)) {
			free(dir);
			continue;
		}
		if ((grown = reallocarray(*v, *n + 1, sizeof **v)) == NULL) {
			free(dir);
			r = -1;
			break;
		}
		*v = grown;
		f = &(*v)[(*n)++];
		f->dir = dir;
		f->pid = pid;
		f->profile = runtime_started_from(dir);
		if ((f->name = strndup(e->d_name, strcspn(e->d_name, "@"))) ==
		    NULL)
			r = -1;
	}
	closedir(d);
	return r;
}

/*
 * Every machine running in the runtime bases of the user
 * (paths_runtime_bases: wherever vmtui may have started one), vmtui's, of
 * any profile, in the order of their folders' names, with the profile each
 * started from where its folder says (an earlier vmtui's does not). 0, or
 * -1 when out of memory; none in a base that is not ours alone.
 */
int
runtime_find(struct runtime_found **out, size_t *n)
{
	struct runtime_found	*v = NULL;
	struct strv		 bases = { NULL, 0 };
	size_t			 b;
	int			 r;

	*out = NULL;
	*n = 0;
	r = paths_runtime_bases(&bases);
	for (b = 0; r == 0 && b < bases.n; b++)
		r = runtime_find_in(bases.v[b], &v, n);
	strv_free(&bases);
	if (r != 0) {
		runtime_found_free(v, *n);
		*n = 0;
		return -1;
	}
	if (*n > 1)
		qsort(v, *n, sizeof *v, runtime_found_order);
	*out = v;
	return 0;
}

void
runtime_found_free(struct runtime_found *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].dir);
		free(v[i].name);
		free(v[i].profile);
	}
	free(v);
}

/*
 * Whether the machine runs (its pidfile's lock), and QMP's word for it,
 * asked with a deadline of a second. 0, or -1 when out of memory.
 */
int
runtime_state(const struct profile *p, struct runtime_state *st)
{
	struct qmp	*q;
	char		*sock, *cause = NULL;

	memset(st, 0, sizeof *st);
	if (!runtime_running(p, &st->pid))
		return 0;
	st->running = true;
	if ((sock = runtime_file(p, PATHS_QMP)) == NULL)
		return -1;
	if (qmp_open(sock, 1000, &q, &cause) == 0) {
		if (qmp_status(q, &st->status, &cause) != 0)
			st->status = NULL;
		qmp_close(q);
	}
	free(cause);
	free(sock);
	return 0;
}

/* The one word the list shows: "", "running", "paused", ... */
const char *
runtime_state_word(const struct runtime_state *st)
{
	if (!st->running)
		return "";
	return st->status != NULL ? st->status : "running";
}

/* For people: "stopped", "running (pid N)", "running (pid N, paused)". */
char *
runtime_state_text(const struct runtime_state *st)
{
	char	*s;
	int	 r;

	if (!st->running)
		return strdup("stopped");
	if (st->status == NULL)
		r = asprintf(&s, "running (pid %ld, no QMP answer)",
		    (long)st->pid);
	else if (strcmp(st->status, "running") == 0)
		r = asprintf(&s, "running (pid %ld)", (long)st->pid);
	else
		r = asprintf(&s, "running (pid %ld, %s)", (long)st->pid,
		    st->status);
	return r < 0 ? NULL : s;
}

void
runtime_state_free(struct runtime_state *st)
{
	free(st->status);
	st->status = NULL;
}

/* runtime_state() as text: what --list and the list's details say. */
char *
runtime_describe(const struct profile *p)
{
	struct runtime_state	 st;
	char			*s;

	if (runtime_state(p, &st) != 0)
		return NULL;
	s = runtime_state_text(&st);
	runtime_state_free(&st);
	return s;
}

/*
 * The socket a running machine's display listens on: "vnc" or "spice" in
 * *kind and its path in *path (malloc'd); 0, or -1 when there is none.
 */
int
runtime_display_socket(const struct profile *p, const char **kind,
    char **path)
{
	static const char *const socks[][2] = {
		{ "vnc", PATHS_VNC }, { "spice", PATHS_SPICE } };
	struct stat	st;
	size_t		i;

	for (i = 0; i < sizeof socks / sizeof socks[0]; i++) {
		if ((*path = runtime_file(p, socks[i][1])) == NULL)
			return -1;
		if (lstat(*path, &st) == 0 && S_ISSOCK(st.st_mode)) {
			*kind = socks[i][0];
			return 0;
		}
		free(*path);
	}
	*path = NULL;
	return -1;
}

/*
 * A VNC or SPICE display on TCP, as QMP's query-vnc or query-spice tells
 * it: where, where its password is (in the runtime folder), and how to
 * reach it from another machine; or NULL.
 */
static char *
runtime_display_tcp(const struct profile *p)
{
	struct qmp	*q;
	json_t		*ret = NULL, *jport;
	const char	*kind = NULL;
	char		*sock, *cause = NULL, *host = NULL;
	char		*port = NULL, *auth = NULL, *pass = NULL, *s = NULL;
	char		*how = NULL;
	int		 r = 0;

	if ((sock = runtime_file(p, PATHS_QMP)) != NULL &&
	    qmp_open(sock, 1000, &q, &cause) == 0) {
		if (qmp_run(q, "query-vnc", NULL, &ret, &cause) == 0 &&
		    json_is_true(json_object_get(ret, "enabled")))
			kind = "vnc";
		else {
			json_decref(ret);
			ret = NULL;
			free(cause);
			cause = NULL;
			if (qmp_run(q, "query-spice", NULL, &ret, &cause) == 0 &&
			    json_is_true(json_object_get(ret, "enabled")))
				kind = "spice";
		}
		if (kind != NULL) {
			/* VNC's port is a string ("service"), SPICE's a number */
			jport = json_object_get(ret, *kind == 'v' ? "service" :
			    "port");
			if (json_is_string(jport))
				port = strdup(json_string_value(jport));
			else if (json_is_integer(jport) && asprintf(&port,
			    "%" JSON_INTEGER_FORMAT,
			    json_integer_value(jport)) < 0)
				port = NULL;
			if (json_is_string(json_object_get(ret, "host")))
				host = strdup(json_string_value(
				    json_object_get(ret, "host")));
			if (json_is_string(json_object_get(ret, "auth")))
				auth = strdup(json_string_value(
				    json_object_get(ret, "auth")));
		}
		json_decref(ret);
		qmp_close(q);
	}
	free(sock);
	free(cause);
	/* its password; none only on one an earlier vmtui started */
	if (host != NULL && port != NULL) {
		if (auth != NULL && strcmp(auth, "none") == 0)
			how = strdup("no password");
		else if ((pass = runtime_file(p, *kind == 'v' ? PATHS_VNCPASS :
		    PATHS_SPICEPASS)) != NULL && asprintf(&how, "%s asks for "
		    "a password; the password is in %s", *kind == 'v' ?
		    "a VNC viewer" : "remote-viewer", pass) < 0)
			how = NULL;
	}
	if (how != NULL && strncmp(host, "127.", 4) == 0)
		r = asprintf(&s, "%s: %s:%s (%s; from another machine: ssh -L "
		    "%s:%s:%s HOST, then %s%s)", kind, host, port, how, port,
		    host, port, *kind == 'v' ? "a VNC viewer on localhost:" :
		    "remote-viewer spice://localhost:", port);
	else if (how != NULL)
		r = asprintf(&s, "%s: %s:%s (%s)", kind, host, port, how);
	if (r < 0)
		s = NULL;
	free(host);
	free(port);
	free(auth);
	free(pass);
	free(how);
	return s;
}

/*
 * Where a running machine's display is and how to reach it from another
 * machine, for people; NULL when it shows none on a socket here, or does
 * not run (a socket left by a QEMU that crashed is no display).
 */
char *
runtime_display(const struct profile *p)
{
	const char	*kind;
	char		*path, *s, *pass;
	pid_t		 pid;
	int		 r;

	if (!runtime_running(p, &pid))
		return NULL;
	if (runtime_display_socket(p, &kind, &path) != 0)
		return runtime_display_tcp(p);
	/*
	 * its password, as on TCP: a forward (ssh -L) opens the socket to
	 * every user of the other end; none only on one an earlier vmtui
	 * started, and then no forward is advised
	 */
	pass = runtime_file(p, *kind == 'v' ? PATHS_VNCPASS : PATHS_SPICEPASS);
	if (pass == NULL || access(pass, F_OK) != 0)
		r = asprintf(&s, "%s: %s (no password: to be reached on this "
		    "host only)", kind, path);
	else if (*kind == 'v')
		r = asprintf(&s, "vnc: %s (a VNC viewer asks for a password; "
		    "the password is in %s; from another machine: ssh -L "
		    "5901:%s HOST, then a VNC viewer on localhost:5901)", path,
		    pass, path);
	else
		r = asprintf(&s, "spice: %s (remote-viewer asks for a password; "
		    "the password is in %s; here: remote-viewer spice+unix://%s;"
		    " from another machine: ssh -L 5930:%s HOST, then "
		    "remote-viewer spice://localhost:5930)", path, pass, path,
		    path);
	free(pass);
	free(path);
	return r < 0 ? NULL : s;
}
