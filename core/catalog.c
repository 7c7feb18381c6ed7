/*
 * catalog: the machines in the profiles folder, and what is done to one as
 * a whole. A machine is its profile NAME.conf and its data folder (disk
 * images, EFI variables), and they go together:
 *
 * - a rename makes the new profile (never over one), moves the data folder
 *   with one rename() and only then removes the old profile; any failure
 *   puts back what was done;
 * - a copy starts with no disks, or with copies of the source's (a reflink
 *   where the filesystem has them, else a copy of the bytes);
 * - a delete removes the profile and, if asked, only the files the profile
 *   owns (resolve_owned_files), never the rest of the folder;
 * - none of these adopts a data folder left by an earlier machine of the
 *   new name, and none touches a running machine or one being edited.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include "catalog.h"
#include "lock.h"
#include "paths.h"
#include "preflight.h"
#include "profile.h"
#include "profile_txn.h"
#include "resolve.h"
#include "runtime.h"
#include "sshkeys.h"
#include "validate.h"

static int
catalog_is_profile(const struct dirent *d)
{
	size_t	len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 &&
	    strcmp(d->d_name + len - 5, ".conf") == 0;
}

/* The names (without .conf) in dir, sorted; none when dir is missing. */
int
catalog_names(const char *dir, struct strv *names, char **cause)
{
	struct dirent	**list;
	int		  n, i, r = 0;

	if ((n = scandir(dir, &list, catalog_is_profile, alphasort)) == -1) {
		if (errno == ENOENT)
			return 0;
		if (asprintf(cause, "%s: %s", dir, strerror(errno)) < 0)
			*cause = NULL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		list[i]->d_name[strlen(list[i]->d_name) - 5] = '\0';
		if (r == 0 && strv_add(names, list[i]->d_name) != 0)
			r = -1;
		free(list[i]);
	}
	free(list);
	return r;
}

static char *
catalog_file(const char *dir, const char *name)
{
	char	*s;

	return asprintf(&s, "%s/%s.conf", dir, name) < 0 ? NULL : s;
}

static int
catalog_fail(char **cause, const char *fmt, const char *a, const char *b)
{
	if (asprintf(cause, fmt, a, b) < 0)
		*cause = NULL;
	return -1;
}

/* A name for a new machine in dir: a valid one that no profile has. */
int
catalog_name_free(const char *dir, const char *name, char **cause)
{
	char	*file;
	int	 taken;

	*cause = NULL;
	if (schema_check_name(name, cause) != 0)
		return -1;
	if ((file = catalog_file(dir, name)) == NULL)
		return catalog_fail(cause, "out of memory%s%s", "", "");
	taken = access(file, F_OK) == 0;
	free(file);
	if (taken)
		return catalog_fail(cause, "there is a profile named %s "
		    "already%s", name, "");
	return 0;
}

/*
 * The machine name of the profiles folder dir as far as its identity goes
 * (running or not, its folders): its profile need not load.
 */
struct profile *
catalog_machine(const char *dir, const char *name)
{
	struct profile	*p;

	if ((p = profile_new(name, dir)) != NULL &&
	    (p->file = catalog_file(dir, name)) == NULL) {
		profile_free(p);
		p = NULL;
	}
	return p;
}

/* The data or the state folder of the machine name in dir; NULL: none. */
static char *
catalog_folder(const char *dir, const char *name, bool state)
{
	struct paths_machine	 m;
	char			*s;

	if (paths_machine(name, dir, NULL, &m) != 0)
		return NULL;
	s = state ? m.state : m.data;
	if (state)
		m.state = NULL;
	else
		m.data = NULL;
	paths_machine_free(&m);
	return s;
}

/*
 * The data folder a new machine called name would get in dir, when it
 * exists already: 1 (its path in *data), else 0.
 */
static int
catalog_taken(const char *dir, const char *name, char **data)
{
	struct stat	st;

	if ((*data = catalog_folder(dir, name, false)) == NULL)
		return 0;
	if (lstat(*data, &st) == 0)
		return 1;
	free(*data);
	*data = NULL;
	return 0;
}

/* catalog_taken() in the profiles folder. */
int
catalog_data_taken(const char *name, char **data)
{
	char	*dir;
	int	 r;

	*data = NULL;
	if ((dir = paths_profiles_dir()) == NULL)
		return 0;
	r = catalog_taken(dir, name, data);
	free(dir);
	return r;
}

/*
 * Whether a profile of the folder dir (real) stands for the machine that
 * runs in f's folder, so that the folder's list shows it: the profile it
 * says it started from is there, or, for an earlier vmtui's machine, one
 * of its name is.
 */
static bool
catalog_stands_for(const char *real, const struct runtime_found *f)
{
	const char	*slash;
	char		*conf;
	bool		 r;

	if (f->profile != NULL) {
		slash = strrchr(f->profile, '/');
		return real != NULL && slash != NULL && strlen(real) ==
		    (size_t)(slash - f->profile) && strncmp(f->profile, real,
		    strlen(real)) == 0 && access(f->profile, F_OK) == 0;
	}
	if (real == NULL || (conf = catalog_file(real, f->name)) == NULL)
		return false;
	r = access(conf, F_OK) == 0;
	free(conf);
	return r;
}

/*
 * The machines running that no profile of the profiles folder dir stands
 * for, each with the profile it started from loaded (when it loads and
 * still names that machine). 0, or -1 when out of memory.
 */
int
catalog_others(const char *dir, struct catalog_other **out, size_t *n)
{
	struct runtime_found	*found;
	struct catalog_other	*v, *o;
	struct paths_machine	 m;
	char			*real, *nl;
	size_t			 nfound, i;
	int			 r = 0;

	*out = NULL;
	*n = 0;
	if (runtime_find(&found, &nfound) != 0)
		return -1;
	if (nfound == 0)
		return 0;
	if ((v = calloc(nfound, sizeof *v)) == NULL) {
		runtime_found_free(found, nfound);
		return -1;
	}
	real = realpath(dir, NULL);
	for (i = 0; r == 0 && i < nfound; i++) {
		if (catalog_stands_for(real, &found[i]))
			continue;
		o = &v[(*n)++];
		o->pid = found[i].pid;
		o->file = found[i].profile;
		found[i].profile = NULL;
		if (o->file == NULL) {
			o->why = strdup("started by an earlier vmtui, which did "
			    "not note its profile");
		} else if (validate_load(o->file, &o->p, &o->why) != 0) {
			o->p = NULL;
			/* its first problem */
			if (o->why != NULL && (nl = strchr(o->why, '\n')) !=
			    NULL)
				*nl = '\0';
		} else if (runtime_machine(o->p, &m) != 0)
			r = -1;
		else {
			if (strcmp(m.runtime, found[i].dir) != 0) {
				profile_free(o->p);
				o->p = NULL;
				o->why = strdup("its profile names another "
				    "machine now");
			}
			paths_machine_free(&m);
		}
		o->name = strdup(o->p != NULL ? o->p->name : found[i].name);
		if (o->name == NULL || (o->p == NULL && o->why == NULL))
			r = -1;
	}
	free(real);
	runtime_found_free(found, nfound);
	if (r != 0) {
		catalog_others_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

void
catalog_others_free(struct catalog_other *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].file);
		profile_free(v[i].p);
		free(v[i].why);
	}
	free(v);
}

/* Hold a machine for an operation: not running, not being edited. */
static int
catalog_hold(const char *dir, const char *name, const char *what,
    struct lock *lk, char **cause)
{
	struct profile	*p;
	char		*file;
	pid_t		 pid;
	int		 r;

	if ((p = catalog_machine(dir, name)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (runtime_running(p, &pid))
		r = catalog_fail(cause, "%s is running; stop it before %s it",
		    name, what);
	else if ((file = catalog_file(dir, name)) == NULL)
		r = catalog_fail(cause, "out of memory%s%s", "", "");
	else {
		r = lock_edit(file, lk, cause);
		free(file);
	}
	profile_free(p);
	return r;
}

/* Whether the machine name of dir runs. */
static bool
catalog_running(const char *dir, const char *name)
{
	struct profile	*p = catalog_machine(dir, name);
	pid_t		 pid;
	bool		 r = p != NULL && runtime_running(p, &pid);

	profile_free(p);
	return r;
}

/* One file's bytes into a new file: a reflink, or a copy. */
static int
catalog_copy_file(int sdir, int ddir, const char *name)
{
	struct stat	st;
	ssize_t		n;
	int		in, out, r = 0;

	if ((in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return 0;	/* only the machine's files, not folders */
	}
	if ((out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) == -1) {
		close(in);
		return -1;
	}
	if (ioctl(out, FICLONE, in) != 0) {
		while ((n = copy_file_range(in, NULL, out, NULL, 1 << 30,
		    0)) > 0)
			;
		if (n < 0)
			r = -1;
	}
	if (fsync(out) != 0)
		r = -1;
	if (close(out) != 0)
		r = -1;
	close(in);
	return r;
}

static void
catalog_rmdata(const char *data)
{
	DIR		*d;
	struct dirent	*e;

	if ((d = opendir(data)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 &&
			    strcmp(e->d_name, "..") != 0)
				(void)unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	(void)rmdir(data);
}

/* Copy the files of one data folder into a new one. */
static int
catalog_copy_data(const char *from, const char *to, char **cause)
{
	DIR		*d;
	struct dirent	*e;
	int		 dfd, r = 0;

	if ((d = opendir(from)) == NULL)
		return errno == ENOENT ? 0 : catalog_fail(cause, "%s: %s",
		    from, strerror(errno));
	if (paths_mkdirs(to, 0700) != 0 ||
	    (dfd = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		closedir(d);
		return catalog_fail(cause, "%s: %s", to, strerror(errno));
	}
	while (r == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (catalog_copy_file(dirfd(d), dfd, e->d_name) != 0) {
			r = catalog_fail(cause, "copying %s: %s", e->d_name,
			    strerror(errno));
		}
	}
	close(dfd);
	closedir(d);
	if (r != 0)
		catalog_rmdata(to);
	return r;
}

/* Host ports that another machine forwards move to free ones: how many. */
static int
catalog_move_ports(const char *dir, struct profile *p)
{
	struct catalog_ports	 ports;
	struct profile_forward	*f;
	char			*why = NULL;
	size_t			 i;
	int			 moved = 0;

	if (catalog_host_ports(dir, p->name, &ports, &why) != 0) {
		free(why);
		return 0;
	}
	for (i = 0; i < p->nforwards; i++) {
		f = &p->forwards[i];
		if (f->from != FWD_HOST || catalog_port_user(&ports,
		    (int)f->proto, f->host_port) == NULL)
			continue;
		f->host_port = catalog_free_port(&ports, p, i, (int)f->proto,
		    f->host_port + 1);
		moved++;
	}
	catalog_ports_free(&ports);
	return moved;
}

/*
 * Copy profile from to a new one called to, with copies of its disks or
 * none; with CATALOG_RENAME, move it and its data folder instead.
 */
int
catalog_copy(const char *dir, const char *from, const char *to, int how,
    char **note, char **cause)
{
	struct profile	*p = NULL;
	struct profile_txn txn = { .lock = { -1 } };
	struct lock	 lk = { -1 };
	char		*src, *dst, *sdata = NULL, *ddata = NULL;
	char		*sstate = NULL, *dstate = NULL;
	int		 r = -1, moved = 0;

	*cause = NULL;
	if (note != NULL)
		*note = NULL;
	if (schema_check_name(to, cause) != 0)
		return -1;
	src = catalog_file(dir, from);
	dst = catalog_file(dir, to);
	sdata = catalog_folder(dir, from, false);
	sstate = catalog_folder(dir, from, true);
	dstate = catalog_folder(dir, to, true);
	if (src == NULL || dst == NULL || sdata == NULL || sstate == NULL ||
	    dstate == NULL) {
		*cause = strdup("out of memory");
		goto out;
	}
	if (how == CATALOG_RENAME) {
		if (catalog_hold(dir, from, "renaming", &lk, cause) != 0)
			goto out;
	} else if (how == CATALOG_COPY_DISKS && catalog_running(dir, from)) {
		catalog_fail(cause, "%s is running and its disks are in use; "
		    "stop it before copying them%s", from, "");
		goto out;
	}
	if (access(dst, F_OK) == 0) {
		catalog_fail(cause, "there is a profile named %s already%s", to,
		    "");
		goto out;
	}
	if (catalog_taken(dir, to, &ddata)) {
		catalog_fail(cause, "%s holds the data of an earlier machine "
		    "named %s; move it away first (vmtui never takes it over)",
		    ddata, to);
		goto out;
	}
	if (ddata == NULL && (ddata = catalog_folder(dir, to, false)) == NULL) {
		*cause = strdup("out of memory");
		goto out;
	}
	/* read, written anew and the old one gone as one change of it */
	if (profile_txn_begin(src, 0, &txn, cause) != 0)
		goto out;
	if (profile_txn_load(&txn, &p, cause) != 0)
		goto out;
	free(p->name);
	if ((p->name = strdup(to)) == NULL) {
		*cause = strdup("out of memory");
		goto out;
	}
	/* a copy runs beside its original: its own host ports */
	if (how != CATALOG_RENAME && catalog_move_ports(dir, p) > 0 &&
	    note != NULL)
		*note = strdup("its forwards got host ports of their own");
	/* what the person wrote goes with it: only name (and ports) change */
	if (profile_txn_create(&txn, p, dst, cause) != 0)
		goto out;

	if (how == CATALOG_COPY_DISKS &&
	    catalog_copy_data(sdata, ddata, cause) != 0) {
		(void)unlink(dst);
		goto out;
	}
	if (how == CATALOG_RENAME) {
		/* the disks go with their machine, in one step */
		if (paths_mkdirs(ddata, 0700) == 0)
			(void)rmdir(ddata);	/* only its parents stay */
		if (rename(sdata, ddata) == 0)
			moved = 1;
		else if (errno != ENOENT) {
			catalog_fail(cause, "cannot move the disks in %s: %s; "
			    "nothing was renamed", sdata, strerror(errno));
			(void)unlink(dst);
			goto out;
		}
		if (unlink(src) != 0) {
			catalog_fail(cause, "%s: %s; nothing was renamed", src,
			    strerror(errno));
			if (moved)
				(void)rename(ddata, sdata);
			(void)unlink(dst);
			goto out;
		}
		/* the console log follows, where it can */
		if (access(dstate, F_OK) != 0)
			(void)rename(sstate, dstate);
	}
	r = 0;
out:
	profile_txn_end(&txn);
	lock_release(&lk);
	profile_free(p);
	free(src);
	free(dst);
	free(sdata);
	free(ddata);
	free(sstate);
	free(dstate);
	return r;
}

/* The files a delete with images would remove (those that exist). */
int
catalog_owned(const char *dir, const char *name, struct strv *files,
    char **cause)
{
	struct profile	*p;
	char		*file;
	int		 r;

	if ((file = catalog_file(dir, name)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	r = profile_parse(file, &p, cause);
	free(file);
	if (r != 0)
		return -1;
	r = resolve_owned_files(p, files);
	profile_free(p);
	if (r != 0)
		*cause = strdup("out of memory");
	return r;
}

/*
 * Delete a profile and its cloud-init folder (its keys, its seed); with
 * images, the files in its data folder that it owns as well (never an
 * image it stands on: that is no file of its folder), and the folder
 * when nothing else is left in it.
 */
int
catalog_delete(const char *dir, const char *name, bool images, char **cause)
{
	struct strv	 files = { NULL, 0 };
	struct lock	 lk = { -1 };
	char		*file, *data, *keys;
	size_t		 i;
	int		 r = -1;

	*cause = NULL;
	if ((file = catalog_file(dir, name)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (catalog_hold(dir, name, "deleting", &lk, cause) != 0)
		goto out;
	if (images && catalog_owned(dir, name, &files, cause) != 0) {
		char *why = *cause;

		catalog_fail(cause, "%s; its disks were not deleted and "
		    "neither was it%s", why != NULL ? why : "?", "");
		free(why);
		goto out;
	}
	if (unlink(file) != 0) {
		catalog_fail(cause, "%s: %s", file, strerror(errno));
		goto out;
	}
	r = 0;
	/* its keys and seed (cloud-init) are no disk of anyone's: they go */
	if ((data = catalog_folder(dir, name, false)) != NULL) {
		if (asprintf(&keys, "%s/" SSHKEYS_DIR, data) >= 0) {
			catalog_rmdata(keys);
			free(keys);
		}
		free(data);
	}
	for (i = 0; i < files.n; i++)
		if (unlink(files.v[i]) != 0 && errno != ENOENT && r == 0)
			r = catalog_fail(cause, "%s: %s", files.v[i],
			    strerror(errno));
	if (images && (data = catalog_folder(dir, name, false)) != NULL) {
		(void)rmdir(data);	/* only when nothing else is there */
		free(data);
	}
out:
	lock_release(&lk);
	strv_free(&files);
	free(file);
	return r;
}

/*
 * The host ports the other machines of the profiles folder forward (from
 * the host to their guest): two machines on one port cannot run together,
 * so new forwards avoid them and --check and the list warn of them.
 */
int
catalog_host_ports(const char *dir, const char *skip,
    struct catalog_ports *out, char **cause)
{
	struct strv		 names = { NULL, 0 };
	struct catalog_port	*v;
	struct profile		*p;
	char			*file, *why = NULL;
	size_t			 i, k;

	memset(out, 0, sizeof *out);
	if (catalog_names(dir, &names, cause) != 0)
		return -1;
	for (i = 0; i < names.n; i++) {
		if (skip != NULL && strcmp(names.v[i], skip) == 0)
			continue;
		if ((file = catalog_file(dir, names.v[i])) == NULL)
			continue;
		if (profile_parse(file, &p, &why) != 0) {
			free(why);	/* a broken one forwards nothing yet */
			why = NULL;
			free(file);
			continue;
		}
		free(file);
		for (k = 0; k < p->nforwards; k++) {
			if (p->forwards[k].from != FWD_HOST)
				continue;
			if ((v = reallocarray(out->v, out->n + 1,
			    sizeof *v)) == NULL)
				break;
			out->v = v;
			v[out->n].port = p->forwards[k].host_port;
			v[out->n].proto = (int)p->forwards[k].proto;
			if ((v[out->n].name = strdup(names.v[i])) != NULL)
				out->n++;
		}
		profile_free(p);
	}
	strv_free(&names);
	return 0;
}

/* The machine that forwards proto/port, or NULL. */
const char *
catalog_port_user(const struct catalog_ports *ports, int proto, long port)
{
	size_t	i;

	for (i = 0; i < ports->n; i++)
		if (ports->v[i].port == port && ports->v[i].proto == proto)
			return ports->v[i].name;
	return NULL;
}

/*
 * The first host port from want up that neither another machine nor p
 * (but for its forward skip) forwards.
 */
long
catalog_free_port(const struct catalog_ports *ports, const struct profile *p,
    size_t skip, int proto, long want)
{
	long	port;
	size_t	i;

	for (port = want; port < 65536; port++) {
		if (catalog_port_user(ports, proto, port) != NULL)
			continue;
		for (i = 0; i < p->nforwards; i++)
			if (i != skip && p->forwards[i].from == FWD_HOST &&
			    (int)p->forwards[i].proto == proto &&
			    p->forwards[i].host_port == port)
				break;
		if (i == p->nforwards)
			return port;
	}
	return want;
}

void
catalog_ports_free(struct catalog_ports *ports)
{
	size_t	i;

	for (i = 0; i < ports->n; i++)
		free(ports->v[i].name);
	free(ports->v);
	memset(ports, 0, sizeof *ports);
}

/*
 * The host port for an SSH forward of p (its row skip, if it has one):
 * from 2222, the first that no other machine in dir and no other row of p
 * forwards, and that nothing on this host listens on now.
 */
long
catalog_ssh_port(const char *dir, const struct profile *p, size_t skip)
{
	struct catalog_ports	 ports;
	char			*cause = NULL;
	long			 port = CATALOG_SSH_PORT;
	int			 i;

	memset(&ports, 0, sizeof ports);
	if (dir != NULL && catalog_host_ports(dir, p->name, &ports,
	    &cause) != 0)
		free(cause);
	for (i = 0; i < 100 && port < 65536; i++, port++) {
		port = catalog_free_port(&ports, p, skip, PROTO_TCP, port);
		if (preflight_port_free("127.0.0.1", PROTO_TCP, port) == 0)
			break;
	}
	catalog_ports_free(&ports);
	return port;
}
