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
 * else may enter. Folders vmtui makes get their mode whatever the umask.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	real = realpath(profiles, NULL);
	r = real != NULL && strcmp(real, dir) == 0;
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
	char	*dir, *s;

	if (strchr(arg, '/') != NULL ||
	    (len > 5 && strcmp(arg + len - 5, ".conf") == 0))
		return strdup(arg);
	if (schema_check_name(arg, cause) != 0)
		return NULL;
	if ((dir = paths_profiles_dir()) == NULL)
		return NULL;
	if (asprintf(&s, "%s/%s.conf", dir, arg) < 0)
		s = NULL;
	free(dir);
	return s;
}

char *
paths_data_dir(const char *name)
{
	return paths_xdg("XDG_DATA_HOME", ".local/share", name);
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

char *
paths_state_dir(const char *name)
{
	return paths_xdg("XDG_STATE_HOME", ".local/state", name);
}

/* $XDG_RUNTIME_DIR, or /tmp/vmtui-UID. */
static char *
paths_runtime_root(void)
{
	const char	*base = getenv("XDG_RUNTIME_DIR");
	char		*s;

	if (base != NULL && *base == '/')
		return strdup(base);
	if (asprintf(&s, "/tmp/vmtui-%lu", (unsigned long)getuid()) < 0)
		return NULL;
	return s;
}

char *
paths_runtime_dir(const char *name)
{
	char	*root, *s;
	int	 r;

	if ((root = paths_runtime_root()) == NULL)
		return NULL;
	r = asprintf(&s, "%s/vmtui/%s", root, name);
	free(root);
	return r < 0 ? NULL : s;
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
	char		*root;
	int		 r = 0;

	*cause = NULL;
	if ((root = paths_runtime_root()) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	switch (paths_check_dir(root, make, true, &st)) {
	case PATHS_DIR_OK:
	case PATHS_DIR_MISSING:
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
		r = asprintf(cause, "%s is not a folder (a symlink, or a "
		    "file) and not yours to trust: remove it, or set "
		    "XDG_RUNTIME_DIR to a private folder", root);
		break;
	default:
		r = asprintf(cause, "%s belongs to uid %lu with mode %04o, not "
		    "yours alone: vmtui runs nothing from it; remove it, or "
		    "set XDG_RUNTIME_DIR to a private folder", root,
		    (unsigned long)st.st_uid, (unsigned)(st.st_mode & 07777));
		break;
	}
	if (r < 0)
		*cause = NULL;
	free(root);
	return -1;
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
	if ((root = paths_runtime_root()) == NULL ||
	    asprintf(&s, "%s/vmtui/locks", root) < 0) {
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
