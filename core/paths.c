/*
 * paths: the XDG base directories (a variable that is unset, empty or
 * relative is ignored, as the specification says) and the lookup of a
 * PROFILE argument: a name in the profiles folder, unless it holds a '/'
 * or ends in ".conf", when it is a path.
 *
 * The runtime folder holds what gets executed (the launch script) and
 * what is trusted (the pidfile, the QMP socket), so its base must be ours:
 * $XDG_RUNTIME_DIR, or /tmp/vmtui-UID when that is unset (sudo, cron, su),
 * and either one is used only when it is a real folder of ours that nobody
 * else may enter. In sticky /tmp another user may have taken that name,
 * and the user cannot remove it: then a private folder of the user's
 * own, /tmp/vmtui-UID-XXXXXX, chosen once (recorded in the cache) and
 * kept while it is there, and vmtui says so. Folders vmtui makes get their mode
 * whatever the umask.
 *
 * Identity comes from here alone: paths_machine() derives a machine's
 * data, state and runtime folders from its profile, its name and real
 * path, for every module that touches them.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "paths.h"
#include "schema.h"
#include "strv.h"

const char *
paths_home(void)
{
	const char	*home = getenv("HOME");
	struct passwd	*pw;

	if (home != NULL && *home == '/')
		return home;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		return pw->pw_dir;
	return "/";
}

/* $VAR/vmtui[/NAME], or $HOME/FALLBACK/vmtui[/NAME]. */
static char *
paths_xdg(const char *var, const char *fallback, const char *name)
{
	const char	*base = getenv(var);
	char		*s;
	int		 r;

	if (base != NULL && *base == '/')
		r = asprintf(&s, "%s/vmtui%s%s", base, name ? "/" : "",
		    name ? name : "");
	else
		r = asprintf(&s, "%s/%s/vmtui%s%s", paths_home(), fallback,
		    name ? "/" : "", name ? name : "");
	return r < 0 ? NULL : s;
}

char *
paths_profiles_dir(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "profiles");
}

/*
 * A path typed by a person, made absolute against the current folder: a
 * profile resolves relative paths against its own folder instead, so what
 * was checked here must be stored whole.
 */
char *
paths_absolute(const char *path)
{
	char	*real, *cwd, *s;
	int	 r;

	if (*path == '\0' || *path == '/' || (path[0] == '~' &&
	    path[1] == '/'))
		return strdup(path);
	if ((real = realpath(path, NULL)) != NULL)
		return real;
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return strdup(path);
	r = asprintf(&s, "%s/%s", cwd, path);
	free(cwd);
	return r < 0 ? NULL : s;
}

/* Whether dir (a real path) is the profiles folder. */
bool
paths_is_profiles_dir(const char *dir)
{
	char	*profiles, *real;
	bool	 r;

	if (dir == NULL || (profiles = paths_profiles_dir()) == NULL)
		return false;
	/* not made yet (before a first save): as it will be named */
	real = realpath(profiles, NULL);
	r = strcmp(real != NULL ? real : profiles, dir) == 0;
	free(real);
	free(profiles);
	return r;
}

char *
paths_settings_file(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "vmtui.conf");
}

char *
paths_profile(const char *arg, char **cause)
{
	size_t	 len = strlen(arg);
	char	*dir, *s, *abs = NULL;

	if (strchr(arg, '/') != NULL ||
	    (len > 5 && strcmp(arg + len - 5, ".conf") == 0))
		s = strdup(arg);
	else {
		if (schema_check_name(arg, cause) != 0)
			return NULL;
		if ((dir = paths_profiles_dir()) == NULL)
			return NULL;
		if (asprintf(&s, "%s/%s.conf", dir, arg) < 0)
			s = NULL;
		free(dir);
	}
	/* one in a folder another user can change is never loaded */
	if (s != NULL && (abs = paths_absolute(s)) != NULL &&
	    paths_trust(abs, cause) != 0) {
		free(abs);
		free(s);
		return NULL;
	}
	free(abs);
	return s;
}

/*
 * vmtui's own state: $XDG_STATE_HOME/vmtui/NAME. Never a machine's, whose
 * folders come from paths_machine().
 */
char *
paths_state_dir(const char *name)
{
	return paths_xdg("XDG_STATE_HOME", ".local/state", name);
}

/* Where verified downloads are kept: $XDG_CACHE_HOME/vmtui/downloads. */
char *
paths_downloads_dir(void)
{
	return paths_xdg("XDG_CACHE_HOME", ".cache", "downloads");
}

/*
 * The folders that may hold vmtui's data files of kind sub ("themes",
 * "catalog"), first found first: $envvar (tests, development), the user's
 * own (~/.config/vmtui/SUB), the installed ones, and SUB beside the program
 * when it runs from its build tree.
 */
int
paths_data_dirs(const char *sub, const char *envvar, struct strv *dirs)
{
	const char	*env = getenv(envvar);
	char		*s, exe[4096], *slash;
	ssize_t		 n;
	int		 r;

	if (env != NULL && *env == '/' && strv_add(dirs, env) != 0)
		return -1;
	if ((s = paths_xdg("XDG_CONFIG_HOME", ".config", sub)) == NULL)
		return -1;
	r = strv_add(dirs, s);
	free(s);
	if (r != 0 || strv_addf(dirs, "%s/%s", VMTUI_DATADIR, sub) != 0)
		return -1;
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			return strv_addf(dirs, "%s/%s", exe, sub);
		}
	}
	return 0;
}

/*
 * The demo guest tools/demo builds (kernel vmlinux, initrd.gz):
 * $XDG_CACHE_HOME/vmtui/guest/current.
 */
char *
paths_demo_guest(void)
{
	return paths_xdg("XDG_CACHE_HOME", ".cache", "guest/current");
}

/* /tmp/vmtui-UID: the runtime base without XDG_RUNTIME_DIR, when ours. */
static char *
paths_runtime_tmp(void)
{
	char	*s;

	if (asprintf(&s, "/tmp/vmtui-%lu", (unsigned long)getuid()) < 0)
		return NULL;
	return s;
}

/* What /tmp/vmtui-UID is, in words for the note; NULL when it is ours. */
static char *
paths_runtime_taken(const char *tmp)
{
	struct stat	 st;
	char		*why = NULL;
	int		 r = 0;

	switch (paths_check_dir(tmp, false, true, &st)) {
	case PATHS_DIR_NOT_DIR:
		r = asprintf(&why, "%s is not a folder of yours (a symlink, or "
		    "a file)", tmp);
		break;
	case PATHS_DIR_FOREIGN:
		r = asprintf(&why, "%s belongs to uid %lu with mode %04o, not "
		    "yours alone", tmp, (unsigned long)st.st_uid,
		    (unsigned)(st.st_mode & 07777));
		break;
	default:
		return NULL;
	}
	return r < 0 ? NULL : why;
}

/* $XDG_CACHE_HOME/vmtui/runtime-base: the fallback chosen, kept. */
static char *
paths_runtime_record(void)
{
	return paths_xdg("XDG_CACHE_HOME", ".cache", "runtime-base");
}

/*
 * The fallback the record (open on fd) names: a folder TMP-XXXXXX, ours
 * and private; NULL when it names none.
 */
static char *
paths_runtime_recorded(const char *tmp, int fd)
{
	struct stat	 st;
	char		 buf[256];
	size_t		 len = strlen(tmp), i;
	ssize_t		 n;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 022) != 0 ||
	    (n = pread(fd, buf, sizeof buf - 1, 0)) <= 0)
		return NULL;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strlen(buf) != len + 7 || strncmp(buf, tmp, len) != 0 ||
	    buf[len] != '-')
		return NULL;
	for (i = len + 1; buf[i] != '\0'; i++)
		if (!isalnum((unsigned char)buf[i]))
			return NULL;
	if (paths_check_dir(buf, false, true, &st) != PATHS_DIR_OK)
		return NULL;
	return strdup(buf);
}

/*
 * The fallback, chosen once: the folder the record names while it is
 * there and ours, else a new one made by mkdtemp (TMP-XXXXXX: short, so
 * QEMU's socket paths fit whatever the HOME) and recorded. The record is
 * locked while it is read and written (two vmtui choosing at once agree).
 * With make false, only what the record names. NULL when there is none
 * (or the record cannot be kept: then no fallback, or each run would
 * choose another).
 */
static char *
paths_runtime_fallback(const char *tmp, bool make)
{
	struct stat	 st;
	char		*rec, *slash, *s = NULL, *t = NULL;
	int		 fd;

	if ((rec = paths_runtime_record()) == NULL)
		return NULL;
	if (make && (slash = strrchr(rec, '/')) != NULL) {
		*slash = '\0';
		if (paths_mkdirs(rec, 0700) != 0 || lstat(rec, &st) != 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
		    (st.st_mode & 022) != 0) {
			free(rec);
			return NULL;
		}
		*slash = '/';
	}
	fd = open(rec, (make ? O_RDWR | O_CREAT : O_RDONLY) | O_NOFOLLOW |
	    O_CLOEXEC | O_NONBLOCK, 0600);
	free(rec);
	if (fd == -1)
		return NULL;
	if (make && flock(fd, LOCK_EX) != 0) {
		close(fd);
		return NULL;
	}
	if ((s = paths_runtime_recorded(tmp, fd)) == NULL && make &&
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && (st.st_mode & 022) == 0 &&
	    asprintf(&t, "%s-XXXXXX", tmp) >= 0) {
		if (mkdtemp(t) != NULL && (ftruncate(fd, 0) != 0 ||
		    dprintf(fd, "%s\n", t) < 0 || fsync(fd) != 0))
			(void)rmdir(t);
		else if (access(t, F_OK) == 0)
			s = t, t = NULL;
		free(t);
	}
	close(fd);
	return s;
}

/*
 * The runtime base: $XDG_RUNTIME_DIR; without it /tmp/vmtui-UID when it is
 * ours (or not there yet), else the fallback (paths_runtime_fallback). The
 * choice is sticky: once a fallback is chosen it is kept while it is there,
 * so another user who removes or makes /tmp/vmtui-UID later moves neither
 * the running machines nor the locks. With why (when not NULL), for the
 * note, why it is the fallback.
 */
static char *
paths_runtime_root(char **why)
{
	const char	*base = getenv("XDG_RUNTIME_DIR");
	char		*tmp, *s, *taken;

	if (why != NULL)
		*why = NULL;
	if (base != NULL && *base == '/')
		return strdup(base);
	if ((tmp = paths_runtime_tmp()) == NULL)
		return NULL;
	taken = paths_runtime_taken(tmp);
	if ((s = paths_runtime_fallback(tmp, false)) == NULL && taken != NULL)
		s = paths_runtime_fallback(tmp, true);
	if (s == NULL) {
		free(taken);
		return tmp;
	}
	if (why != NULL && taken == NULL && asprintf(&taken, "%s was not "
	    "yours alone when vmtui chose where to run", tmp) < 0)
		taken = NULL;
	if (why != NULL)
		*why = taken;
	else
		free(taken);
	free(tmp);
	return s;
}

/*
 * Every runtime base a machine of this user may run in, current first:
 * the runtime base, $XDG_RUNTIME_DIR, /tmp/vmtui-UID, the fallback
 * recorded, and the one an earlier vmtui fell back to
 * ($XDG_CACHE_HOME/vmtui/run); each ROOT/vmtui, only when ROOT is a
 * private folder of ours. 0, or -1 when out of memory.
 */
int
paths_runtime_bases(struct strv *bases)
{
	const char	*xdg = getenv("XDG_RUNTIME_DIR");
	struct stat	 st;
	char		*c[5] = { NULL }, *tmp;
	size_t		 i, j;
	int		 r = 0;

	c[0] = paths_runtime_root(NULL);
	if (xdg != NULL && *xdg == '/')
		c[1] = strdup(xdg);
	if ((tmp = c[2] = paths_runtime_tmp()) != NULL)
		c[3] = paths_runtime_fallback(tmp, false);
	c[4] = paths_xdg("XDG_CACHE_HOME", ".cache", "run");
	if (c[0] == NULL || tmp == NULL || c[4] == NULL)
		r = -1;
	for (i = 0; r == 0 && i < 5; i++) {
		if (c[i] == NULL || paths_check_dir(c[i], false, true, &st) !=
		    PATHS_DIR_OK)
			continue;
		for (j = 0; j < i; j++)
			if (c[j] != NULL && strcmp(c[i], c[j]) == 0)
				break;
		if (j == i && strv_addf(bases, "%s/vmtui", c[i]) != 0)
			r = -1;
	}
	for (i = 0; i < 5; i++)
		free(c[i]);
	return r;
}

/* ROOT/vmtui: the runtime folders of the machines, and the edit locks. */
char *
paths_runtime_base(void)
{
	char	*root, *s;
	int	 r;

	if ((root = paths_runtime_root(NULL)) == NULL)
		return NULL;
	r = asprintf(&s, "%s/vmtui", root);
	free(root);
	return r < 0 ? NULL : s;
}

/*
 * When the runtime base is the fallback: where, and why (for a launch's
 * note); else NULL.
 */
char *
paths_runtime_note(void)
{
	char	*why, *root, *s = NULL;

	if ((root = paths_runtime_root(&why)) != NULL && why != NULL &&
	    asprintf(&s, "%s: vmtui keeps its runtime files in %s instead "
	    "(XDG_RUNTIME_DIR chooses another)", why, root) < 0)
		s = NULL;
	free(why);
	free(root);
	return s;
}

/*
 * The runtime base, checked: a folder, not a symlink, ours, closed to
 * everyone else; with make, made (mode 0700) when it is missing. 0 (also
 * when it is missing and not to be made), or -1 and why.
 */
int
paths_runtime_check(int make, char **cause)
{
	struct stat	 st;
	char		*root, *why = NULL, *tmp;
	int		 r = 0, found, again = 1;

	*cause = NULL;
	for (;;) {
		if ((root = paths_runtime_root(&why)) == NULL) {
			*cause = strdup("out of memory");
			return -1;
		}
		found = paths_check_dir(root, make, true, &st);
		/*
		 * /tmp/vmtui-UID, taken by someone else between the look and
		 * the mkdir: the fallback, once
		 */
		tmp = paths_runtime_tmp();
		if (again-- > 0 && (found == PATHS_DIR_FOREIGN ||
		    found == PATHS_DIR_NOT_DIR) && tmp != NULL &&
		    strcmp(root, tmp) == 0) {
			free(tmp);
			free(root);
			continue;
		}
		free(tmp);
		break;
	}
	switch (found) {
	case PATHS_DIR_OK:
	case PATHS_DIR_MISSING:
		free(why);
		free(root);
		return 0;
	case PATHS_DIR_UNMADE:
		r = asprintf(cause, "cannot make %s: %s", root,
		    strerror(errno));
		break;
	case PATHS_DIR_UNSEEN:
		r = asprintf(cause, "%s: %s", root, strerror(errno));
		break;
	case PATHS_DIR_NOT_DIR:
		r = asprintf(cause, "%s%s%s is not a folder (a symlink, or a "
		    "file) and not yours to trust; set XDG_RUNTIME_DIR to a "
		    "private folder", why ? why : "", why ? ", and " : "",
		    root);
		break;
	default:
		r = asprintf(cause, "%s%s%s belongs to uid %lu with mode %04o, "
		    "not yours alone: vmtui runs nothing from it; set "
		    "XDG_RUNTIME_DIR to a private folder", why ? why : "",
		    why ? ", and " : "", root, (unsigned long)st.st_uid,
		    (unsigned)(st.st_mode & 07777));
		break;
	}
	if (r < 0)
		*cause = NULL;
	free(why);
	free(root);
	return -1;
}

/* FNV-1a of s, its low PATHS_HASH_LEN hex digits. */
static void
paths_hash(const char *s, char out[PATHS_HASH_LEN + 1])
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	snprintf(out, PATHS_HASH_LEN + 1, "%0*" PRIx64, PATHS_HASH_LEN,
	    h & ((UINT64_C(1) << (PATHS_HASH_LEN * 4)) - 1));
}

/*
 * A machine's identity and folders, from its profile: its name, its
 * folder (dir) and its file (as given; NULL for one not saved yet, which
 * would be DIR/NAME.conf). In the profiles folder, where a machine is its
 * file's name, its data and state folders are named NAME; elsewhere
 * NAME@HASH, so that a profile elsewhere that takes a machine's name never
 * reaches that machine's disks. The runtime folder is NAME@HASH always
 * (the name cut to PATHS_NAME_CUT). A machine an earlier vmtui started
 * runs in ROOT/vmtui/NAME (legacy): the profiles folder's machine of that
 * name reaches it, or, when there is none, a profile elsewhere of the name
 * (whose disks that vmtui kept in DATA/NAME: legacy_data, never used, only
 * told of).
 * 0, or -1 when out of memory.
 */
int
paths_machine(const char *name, const char *dir, const char *file,
    struct paths_machine *m)
{
	const char	*base = NULL;
	char		*real, *conf, *why = NULL, *root = NULL, *profiles;
	char		 hash[PATHS_HASH_LEN + 1];
	bool		 home, legacy;
	size_t		 len;
	int		 r;

	memset(m, 0, sizeof *m);
	if (file != NULL)
		base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 :
		    file;
	if (asprintf(&conf, "%s.conf", name) < 0)
		return -1;
	if ((real = realpath(dir != NULL ? dir : ".", NULL)) == NULL)
		real = strdup(dir != NULL ? dir : ".");
	r = real == NULL ? -1 : asprintf(&m->profile, "%s%s%s", real,
	    strcmp(real, "/") == 0 ? "" : "/", base != NULL ? base : conf);
	if (r < 0) {
		m->profile = NULL;
		free(real);
		free(conf);
		return -1;
	}
	paths_hash(m->profile, hash);
	home = paths_is_profiles_dir(real) && strcmp(base != NULL ? base :
	    conf, conf) == 0;
	free(real);
	/* a profile elsewhere may reach an earlier vmtui's machine of its
	 * name only when the profiles folder has none */
	legacy = home;
	if (!home && (profiles = paths_profiles_dir()) != NULL) {
		free(conf);
		conf = NULL;
		legacy = asprintf(&conf, "%s/%s.conf", profiles, name) >= 0 &&
		    access(conf, F_OK) != 0 && errno == ENOENT;
		free(profiles);
	}
	free(conf);
	len = strlen(name) > PATHS_NAME_CUT ? PATHS_NAME_CUT : strlen(name);
	r = home ? ((m->id = strdup(name)) == NULL ? -1 : 0) :
	    asprintf(&m->id, "%s@%s", name, hash);
	if (r < 0 || (m->data = paths_xdg("XDG_DATA_HOME", ".local/share",
	    m->id)) == NULL || (m->state = paths_xdg("XDG_STATE_HOME",
	    ".local/state", m->id)) == NULL ||
	    (root = paths_runtime_root(&why)) == NULL ||
	    asprintf(&m->runtime, "%s/vmtui/%.*s@%s", root, (int)len, name,
	    hash) < 0)
		goto fail;
	/* the fallback is new: no earlier vmtui ran anything there */
	if (legacy && why == NULL && (asprintf(&m->legacy, "%s/vmtui/%s",
	    root, name) < 0 || (m->legacy_state = paths_xdg("XDG_STATE_HOME",
	    ".local/state", name)) == NULL))
		goto fail;
	/* elsewhere, the data folder an earlier vmtui gave it: to tell of */
	if (legacy && !home && (m->legacy_data = paths_xdg("XDG_DATA_HOME",
	    ".local/share", name)) == NULL)
		goto fail;
	free(why);
	free(root);
	return 0;
fail:
	free(why);
	free(root);
	paths_machine_free(m);
	return -1;
}

void
paths_machine_free(struct paths_machine *m)
{
	free(m->profile);
	free(m->id);
	free(m->data);
	free(m->state);
	free(m->runtime);
	free(m->legacy);
	free(m->legacy_state);
	free(m->legacy_data);
	memset(m, 0, sizeof *m);
}

/*
 * A folder vmtui keeps things in, looked at without following a symlink:
 * made (mode 0700) first when it is missing and make says so. Then it must
 * be a folder, the user's own, and with closed, shut to everyone else.
 * What was seen is in *st; the errno says why with UNMADE and UNSEEN.
 */
int
paths_check_dir(const char *dir, bool make, bool closed, struct stat *st)
{
	if (lstat(dir, st) != 0 && errno == ENOENT) {
		if (!make)
			return PATHS_DIR_MISSING;
		if (paths_mkdirs(dir, 0700) != 0)
			return PATHS_DIR_UNMADE;
	}
	if (lstat(dir, st) != 0)
		return PATHS_DIR_UNSEEN;
	if (S_ISLNK(st->st_mode) || !S_ISDIR(st->st_mode))
		return PATHS_DIR_NOT_DIR;
	if (st->st_uid != geteuid() || (closed && (st->st_mode & 077) != 0))
		return PATHS_DIR_FOREIGN;
	return PATHS_DIR_OK;
}

/*
 * A folder vmtui keeps what (words for a message) in: made (0700) when
 * missing, then as paths_check_dir says (closed: nobody else may enter).
 * 0, or -1 and why.
 */
int
paths_own_dir(const char *dir, bool closed, const char *what, char **cause)
{
	struct stat	st;
	int		r;

	*cause = NULL;
	switch (paths_check_dir(dir, true, closed, &st)) {
	case PATHS_DIR_OK:
		return 0;
	case PATHS_DIR_UNMADE:
		r = asprintf(cause, "cannot make %s: %s", dir, strerror(errno));
		break;
	case PATHS_DIR_UNSEEN:
		r = asprintf(cause, "%s: %s", dir, strerror(errno));
		break;
	default:
		r = asprintf(cause, "%s is not a %sfolder of yours (a symlink, a "
		    "file, another user's%s): vmtui keeps %s there; remove it",
		    dir, closed ? "private " : "", closed ? ", or open to others" :
		    "", what);
		break;
	}
	if (r < 0)
		*cause = NULL;
	return -1;
}

/* mkdir -p: the folders it makes get mode exactly, whatever the umask. */
int
paths_mkdirs(const char *path, mode_t mode)
{
	char	*copy, *p, c;
	int	 r = 0;

	if ((copy = strdup(path)) == NULL)
		return -1;
	for (p = copy + 1; r == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(copy, mode) == 0)
			r = chmod(copy, mode);
		else if (errno != EEXIST)
			r = -1;
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return r;
}

/*
 * The folder that holds vmtui's locks: locks/ in the runtime folder, made
 * (mode 0700) when it is missing. Only the user can open what is in it,
 * so no other user can hold a lock of theirs (a flock on one of their
 * folders, or on /tmp, stops nothing). NULL and why when the runtime base
 * is not the user's alone.
 */
char *
paths_locks_dir(char **cause)
{
	struct stat	 st;
	char		*root, *s;

	*cause = NULL;
	if (paths_runtime_check(1, cause) != 0)
		return NULL;
	if ((root = paths_runtime_base()) == NULL ||
	    asprintf(&s, "%s/locks", root) < 0) {
		free(root);
		*cause = strdup("out of memory");
		return NULL;
	}
	free(root);
	errno = 0;
	if (paths_check_dir(s, true, true, &st) != PATHS_DIR_OK) {
		if (asprintf(cause, "%s is not a private folder of yours: %s",
		    s, errno != 0 ? strerror(errno) : "its owner or mode") < 0)
			*cause = NULL;
		free(s);
		return NULL;
	}
	return s;
}

/* The base path lies under: the longest of $HOME and the XDG bases. */
static const char *
paths_base_of(const char *path, const char **var)
{
	static const char *const vars[] = { "XDG_CONFIG_HOME",
	    "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "HOME" };
	const char	*v, *best = NULL;
	size_t		 i, len, blen = 0;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = i + 1 == sizeof vars / sizeof vars[0] ? paths_home() :
		    getenv(vars[i]);
		if (v == NULL || *v != '/')
			continue;
		len = strlen(v);
		while (len > 1 && v[len - 1] == '/')
			len--;
		if (len > blen && strncmp(path, v, len) == 0 &&
		    (path[len] == '/' || path[len] == '\0' || len == 1)) {
			best = v;
			blen = len;
			*var = vars[i];
		}
	}
	return best;
}

/* Why the folder or file at real (as st says) is not to be trusted. */
static int
paths_distrust(const char *real, const struct stat *st, const char *path,
    const char *var, char **cause)
{
	struct passwd	*pw = getpwuid(st->st_uid);
	const char	*who = pw != NULL ? pw->pw_name : "?";
	int		 r;

	if (st->st_uid != geteuid() && st->st_uid != 0 && geteuid() == 0)
		r = asprintf(cause, "vmtui runs as root, and %s belongs to "
		    "%s (uid %lu): root would trust %s, which that user can "
		    "change. Give root its own %s (sudo -H, or set %s to a "
		    "folder of root's), or run vmtui as %s", real, who,
		    (unsigned long)st->st_uid, path, var, var, who);
	else if (st->st_uid != geteuid() && st->st_uid != 0)
		r = asprintf(cause, "%s belongs to %s (uid %lu), not to you: "
		    "vmtui trusts nothing below it (%s); set %s to a folder "
		    "of yours", real, who, (unsigned long)st->st_uid, path,
		    var);
	else
		r = asprintf(cause, "%s can be changed by other users (mode "
		    "%04o): vmtui trusts nothing below it (%s) until only "
		    "you can: chmod go-w %s", real,
		    (unsigned)(st->st_mode & 07777), path, real);
	if (r < 0)
		*cause = NULL;
	return -1;
}


/*
 * Whether vmtui may trust path, a file or folder it reads trusted things
 * from or keeps them in (a profile, vmtui.conf, a catalog, a download, a
 * machine's folders): as OpenSSH's StrictModes, path and every folder from
 * the base it lies under ($HOME or an XDG base) down to it must be the
 * user's or root's and writable by nobody else, or another user could
 * rename a folder aside and put her own in its place. Root with a base of
 * another user's (sudo -E) is told so. The path's real path is walked up
 * (a symlink may lead elsewhere: then up to /, where a folder of root's
 * with the sticky bit, as /tmp, is fine). What is missing is not judged
 * (vmtui makes it 0700); a path under no base is the person's to name.
 * A few lstat calls. 0, or -1 and why with what to do.
 */
int
paths_trust(const char *path, char **cause)
{
	struct stat	 st;
	const char	*base, *var = "HOME";
	char		*probe, *real = NULL, *realbase = NULL, *slash;
	int		 r = 0;

	*cause = NULL;
	if (*path != '/' || (base = paths_base_of(path, &var)) == NULL)
		return 0;
	if ((probe = strdup(path)) == NULL)
		return diag_cause(cause, "out of memory");
	/* the deepest part that is there */
	while ((real = realpath(probe, NULL)) == NULL && errno == ENOENT &&
	    (slash = strrchr(probe, '/')) != NULL && slash != probe &&
	    strlen(probe) > strlen(base))
		*slash = '\0';
	free(probe);
	if (real == NULL || (realbase = realpath(base, NULL)) == NULL) {
		free(real);
		return 0;
	}
	for (;;) {
		if (stat(real, &st) != 0)
			break;
		if ((st.st_uid != geteuid() && st.st_uid != 0) ||
		    ((st.st_mode & 022) != 0 && !(S_ISDIR(st.st_mode) &&
		    (st.st_mode & S_ISVTX) != 0 && st.st_uid == 0))) {
			r = paths_distrust(real, &st, path, var, cause);
			break;
		}
		if (strcmp(real, realbase) == 0 || strcmp(real, "/") == 0)
			break;
		slash = strrchr(real, '/');
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(real);
	free(realbase);
	return r;
}

/*
 * A profile named by its path is a program (its options, its binary): it
 * is read only when the trust walk takes it (paths_trust: the folders from
 * its base down) and, wherever it is (paths_trust leaves a path under no
 * base to the person), the file itself is the user's (or root's) and
 * nobody else may write it. 0, or -1 and why.
 */
int
paths_profile_trusted(const char *path, char **cause)
{
	struct stat	st;
	int		r;

	*cause = NULL;
	if (paths_trust(path, cause) != 0)
		return -1;
	if (stat(path, &st) != 0)
		return 0;	/* the load says what is wrong */
	if (st.st_uid != geteuid() && st.st_uid != 0)
		r = asprintf(cause, "%s belongs to uid %lu, not you: a profile "
		    "runs programs as you; read it, then copy it to a file of "
		    "yours", path, (unsigned long)st.st_uid);
	else if ((st.st_mode & 022) != 0)
		r = asprintf(cause, "%s: others may write it (mode %04o), and "
		    "a profile runs programs as you; chmod go-w it", path,
		    (unsigned)(st.st_mode & 07777));
	else
		return 0;
	if (r < 0)
		*cause = NULL;
	return -1;
}
