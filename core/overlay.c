/*
 * overlay: root disks that stand on an image (see overlay.h).
 *
 * qemu-img makes the overlay (create -b IMAGE -F FORMAT, so that the
 * format is never probed) into a file made first with O_EXCL, so that no
 * image is ever written over; its virtual size is read from qemu-img's
 * JSON (jansson), and qemu-img resize only grows it. The launch script
 * does the same for a machine whose overlay is missing or smaller than
 * its profile says (script.c: create_overlay, grow_image); vmtui makes it
 * when it makes the machine, so that a new machine is whole at once.
 *
 * Who stands on an image is read from the profiles (root-disk.backing);
 * a profile that does not load counts as standing on an image its text
 * names, so that a broken profile never loses its disk.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "io.h"
#include "overlay.h"
#include "paths.h"
#include "resolve.h"
#include "runtime.h"
#include "spawn.h"

static int	overlay_used_elsewhere(const char *, bool *, char **);

/* The most a profile is read for an image's name (profiles are small). */
#define OVERLAY_PROFILE_MAX	(1 << 20)

/* qemu-img's words, its last line, into cause. */
static int
overlay_failed(char **cause, const char *what, const char *out, int status)
{
	const char	*nl;
	size_t		 len = out != NULL ? strlen(out) : 0;

	while (len > 0 && out[len - 1] == '\n')
		len--;
	for (nl = out != NULL ? out + len : NULL; nl != NULL && nl > out &&
	    nl[-1] != '\n'; nl--)
		;
	if (status == 127)
		return diag_cause(cause, "%s: qemu-img is not installed "
		    "(apt-get install qemu-utils)", what);
	return diag_cause(cause, "%s: qemu-img failed%s%.*s", what,
	    len > 0 ? ": " : "", (int)(out + len - (nl != NULL ? nl : out)),
	    nl != NULL ? nl : "");
}

/* The virtual size of the qcow2 image path, in bytes. */
int
overlay_size(const char *path, long long *bytes, char **cause)
{
	char		*argv[] = { (char *)"qemu-img", (char *)"info",
			    (char *)"-f", (char *)"qcow2", (char *)"--output=json",
			    (char *)"--", (char *)path, NULL };
	char		*out = NULL;
	json_t		*root, *v;
	json_error_t	 err;
	int		 status, r = -1;

	*cause = NULL;
	if (spawn_output(argv, 0, &out, &status) != 0 || status != 0) {
		r = overlay_failed(cause, path, out, status);
		free(out);
		return r;
	}
	root = json_loads(out, 0, &err);
	v = root != NULL ? json_object_get(root, "virtual-size") : NULL;
	if (v != NULL && json_is_integer(v) && json_integer_value(v) >= 0) {
		*bytes = (long long)json_integer_value(v);
		r = 0;
	} else
		r = diag_cause(cause, "%s: qemu-img info gives no virtual "
		    "size", path);
	json_decref(root);
	free(out);
	return r;
}

/* Grow the qcow2 image path to size MiB when it is smaller; never shrink. */
int
overlay_grow(const char *path, long size, char **cause)
{
	char		 arg[32];
	char		*argv[] = { (char *)"qemu-img", (char *)"resize",
			    (char *)"-q", (char *)"-f", (char *)"qcow2",
			    (char *)"--", (char *)path, arg, NULL };
	char		*out = NULL;
	long long	 have;
	int		 status, r;

	if (overlay_size(path, &have, cause) != 0)
		return -1;
	if (have >= (long long)size * 1048576)
		return 0;
	snprintf(arg, sizeof arg, "%ldM", size);
	if (spawn_output(argv, 1, &out, &status) != 0 || status != 0)
		r = overlay_failed(cause, path, out, status);
	else
		r = 0;
	free(out);
	return r;
}

/*
 * A new overlay path on backing (format fmt), grown to size MiB: never
 * over a file that is there (-1 with EEXIST's cause), removed when it
 * could not be made whole.
 */
int
overlay_create(const char *path, const char *backing, const char *fmt,
    long size, char **cause)
{
	char	*argv[] = { (char *)"qemu-img", (char *)"create", (char *)"-q",
		    (char *)"-f", (char *)"qcow2", (char *)"-b", (char *)backing,
		    (char *)"-F", (char *)fmt, (char *)"--", (char *)path, NULL };
	char	*out = NULL;
	int	 fd, status;

	*cause = NULL;
	if (*backing != '/')
		return diag_cause(cause, "%s: the image it stands on, %s, is "
		    "not an absolute path", path, backing);
	if (access(backing, R_OK) != 0)
		return diag_cause(cause, "%s: %s", backing, strerror(errno));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1)
		return diag_cause(cause, "%s: %s", path, strerror(errno));
	close(fd);
	if (spawn_output(argv, 1, &out, &status) != 0 || status != 0) {
		overlay_failed(cause, path, out, status);
		free(out);
		(void)unlink(path);
		return -1;
	}
	free(out);
	if (overlay_grow(path, size, cause) != 0) {
		(void)unlink(path);
		return -1;
	}
	return 0;
}

/*
 * The overlay of the machine p (which stands on an image), made in its
 * data folder when it is not there yet.
 */
int
overlay_make(const struct profile *p, char **cause)
{
	char	*image, *backing, *slash;
	int	 r;

	*cause = NULL;
	if (!p->has_root_disk || *p->root_backing == '\0')
		return 0;
	if ((image = resolve_disk_image(p, -1)) == NULL ||
	    (backing = profile_path(p, p->root_backing)) == NULL) {
		free(image);
		return diag_cause(cause, "out of memory");
	}
	if (access(image, F_OK) == 0)
		r = 0;
	else {
		if ((slash = strrchr(image, '/')) != NULL && slash != image) {
			*slash = '\0';
			r = paths_mkdirs(image, 0700);
			*slash = '/';
			if (r != 0) {
				r = diag_cause(cause, "%s: %s", image,
				    strerror(errno));
				goto out;
			}
		}
		r = overlay_create(image, backing,
		    schema_formats[p->root_backing_format], p->root_size,
		    cause);
	}
	/* wherever its profile is, the image is kept while it stands on it */
	if (r == 0)
		r = overlay_register(p, cause);
out:
	free(image);
	free(backing);
	return r;
}

/* Whether the image a profile's backing names (as text, at dir) is real. */
static bool
overlay_same(const char *backing_abs, const char *real)
{
	char	*b;
	bool	 r;

	if ((b = realpath(backing_abs, NULL)) == NULL)
		return strcmp(backing_abs, real) == 0;
	r = strcmp(b, real) == 0;
	free(b);
	return r;
}

/*
 * The machines of the profiles folder dir that stand on image (their
 * names into users): by their root-disk.backing, or, for a profile that
 * does not load, by its text naming the image. 0, or -1 with why.
 */
int
overlay_users(const char *dir, const char *image, struct strv *users,
    char **cause)
{
	struct strv	 names = { NULL, 0 };
	struct profile	*p;
	char		*real, *file, *text, *why, *b;
	size_t		 i;
	int		 r = 0;
	bool		 on;

	*cause = NULL;
	if ((real = realpath(image, NULL)) == NULL &&
	    (real = strdup(image)) == NULL)
		return diag_cause(cause, "out of memory");
	if (catalog_names(dir, &names, cause) != 0) {
		free(real);
		return -1;
	}
	for (i = 0; r == 0 && i < names.n; i++) {
		if (asprintf(&file, "%s/%s.conf", dir, names.v[i]) < 0) {
			r = diag_cause(cause, "out of memory");
			break;
		}
		why = NULL;
		if (profile_parse(file, &p, &why) == 0) {
			on = false;
			if (p->has_root_disk && *p->root_backing != '\0' &&
			    (b = profile_path(p, p->root_backing)) != NULL) {
				on = overlay_same(b, real);
				free(b);
			}
			profile_free(p);
		} else {
			free(why);
			why = NULL;
			on = io_read_file(file, OVERLAY_PROFILE_MAX, &text,
			    &why) != 0 || strstr(text, image) != NULL ||
			    strstr(text, real) != NULL;
			if (why == NULL)
				free(text);
			free(why);
		}
		if (on && strv_add(users, names.v[i]) != 0)
			r = diag_cause(cause, "out of memory");
		free(file);
	}
	strv_free(&names);
	free(real);
	return r;
}

/* Each plain file of the folder path removed, then the folder. */
static int
overlay_rmdir(const char *path)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    0 && S_ISREG(st.st_mode))
			(void)unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	return rmdir(path);
}

/* Whether a machine of dir stands on any image of the folder sub. */
static int
overlay_used(const char *dir, const char *sub, bool *used, char **cause)
{
	struct strv	 users = { NULL, 0 };
	struct dirent	*de;
	DIR		*d;
	char		*image;
	int		 r = 0;

	*used = true;		/* unless all is known */
	if ((d = opendir(sub)) == NULL)
		return diag_cause(cause, "%s: %s", sub, strerror(errno));
	*used = false;
	while (r == 0 && !*used && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;	/* a lock, a part, ".", ".." */
		if (asprintf(&image, "%s/%s", sub, de->d_name) < 0)
			r = diag_cause(cause, "out of memory");
		else {
			r = overlay_users(dir, image, &users, cause);
			*used = r != 0 || users.n > 0;
			strv_free(&users);
			free(image);
		}
	}
	closedir(d);
	if (r == 0 && !*used)
		r = overlay_used_elsewhere(sub, used, cause);
	return r;
}

/*
 * The older images of a catalog entry, once a newer one is in (entry: the
 * entry's folder in the downloads; keep: the image now downloaded, in a
 * folder of entry's named by its hash): every other such folder none of
 * whose images a machine of the profiles folder dir stands on is
 * removed, its path into removed. An image a machine stands on stays.
 */
int
overlay_prune(const char *entry, const char *keep, const char *dir,
    struct strv *removed, char **cause)
{
	struct dirent	*de;
	DIR		*d;
	char		*sub;
	size_t		 len;
	bool		 used;
	int		 r = 0;

	*cause = NULL;
	if ((d = opendir(entry)) == NULL)
		return 0;
	while (r == 0 && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		/* only what osinstall made: 16 hex digits */
		if (len != 16 || strspn(de->d_name, "0123456789abcdef") != 16)
			continue;
		if (asprintf(&sub, "%s/%s", entry, de->d_name) < 0) {
			r = diag_cause(cause, "out of memory");
			break;
		}
		if (strncmp(keep, sub, strlen(sub)) != 0 ||
		    keep[strlen(sub)] != '/') {
			r = overlay_used(dir, sub, &used, cause);
			if (r == 0 && !used && overlay_rmdir(sub) == 0 &&
			    strv_add(removed, sub) != 0)
				r = diag_cause(cause, "out of memory");
		}
		free(sub);
	}
	closedir(d);
	return r;
}

/*
 * The registry of an image's folder (downloads/ENTRY/HASH16/.users): the
 * profiles, one real path a line (a tab and their machine's overlay
 * after it), that stand on an image of the folder, wherever they are (the
 * profiles folder's are found without it).
 */
#define OVERLAY_REGISTRY	".users"

/* The folder of image when prune may remove it (HASH16, ours), or NULL. */
static char *
overlay_image_dir(const char *image)
{
	struct stat	 st;
	char		*real, *slash;
	size_t		 len;

	if ((real = realpath(image, NULL)) == NULL ||
	    (slash = strrchr(real, '/')) == NULL || slash == real) {
		free(real);
		return NULL;
	}
	*slash = '\0';
	len = strlen(strrchr(real, '/') + 1);
	if (len != 16 || strspn(strrchr(real, '/') + 1, "0123456789abcdef") !=
	    16 || lstat(real, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid()) {
		free(real);
		return NULL;
	}
	return real;
}

/* The registry of the folder dir, opened and locked; -1 when it cannot. */
static int
overlay_registry_open(const char *dir, int flags)
{
	struct stat	 st;
	char		*path;
	int		 fd;

	if (asprintf(&path, "%s/" OVERLAY_REGISTRY, dir) < 0)
		return -1;
	fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	free(path);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || flock(fd, LOCK_EX) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The registry's lines into lines: a profile's real path, then a tab and
 * its machine's overlay (the root image) where it was known.
 */
static int
overlay_registry_read(int fd, struct strv *lines)
{
	struct buf	 b;
	char		 chunk[4096], *text, *line, *save = NULL;
	ssize_t		 n;
	int		 r = 0;

	buf_init(&b);
	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) > 0 &&
	    b.len < OVERLAY_PROFILE_MAX)
		buf_add(&b, chunk, (size_t)n);
	if ((text = buf_finish(&b, NULL)) == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); r == 0 && line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (*line == '/')
			r = strv_add(lines, line);
	free(text);
	return r;
}

/*
 * Record that the machine of p stands on the image its root-disk.backing
 * names, in that image's folder's registry (when the folder is one prune
 * may remove): when its overlay is made and at each launch. A line is the
 * profile's real path and, after a tab, the overlay's, so that a profile
 * moved away (its folder renamed, on a disk not mounted now) keeps the
 * image while its machine's overlay is there. 0, or -1 and why; nothing
 * to do is 0.
 */
int
overlay_register(const struct profile *p, char **cause)
{
	struct strv	 lines = { NULL, 0 };
	char		*backing, *dir, *me, *root, *ov, *line = NULL;
	size_t		 i, len;
	int		 fd = -1, r = 0;

	*cause = NULL;
	if (!p->has_root_disk || *p->root_backing == '\0' || p->file == NULL)
		return 0;
	if ((backing = profile_path(p, p->root_backing)) == NULL)
		return diag_cause(cause, "out of memory");
	dir = overlay_image_dir(backing);
	free(backing);
	if (dir == NULL)
		return 0;
	/* a path with a newline or a tab cannot be a line: kept by the
	 * text scan */
	if ((me = realpath(p->file, NULL)) == NULL || me[strcspn(me,
	    "\n\t")] != '\0') {
		free(me);
		free(dir);
		return 0;
	}
	if ((root = resolve_disk_image(p, -1)) != NULL &&
	    (ov = realpath(root, NULL)) != NULL) {
		free(root);
		root = ov;
	}
	if (root != NULL && root[strcspn(root, "\n")] == '\0')
		r = asprintf(&line, "%s\t%s", me, root) < 0 ? -1 : 0;
	else
		r = (line = strdup(me)) == NULL ? -1 : 0;
	free(root);
	len = strlen(me);
	if (r != 0)
		r = diag_cause(cause, "out of memory");
	else if ((fd = overlay_registry_open(dir, O_RDWR | O_CREAT)) == -1)
		r = diag_cause(cause, "%s/" OVERLAY_REGISTRY ": %s", dir,
		    strerror(errno));
	else if (overlay_registry_read(fd, &lines) != 0)
		r = diag_cause(cause, "out of memory");
	for (i = 0; r == 0 && i < lines.n; i++)
		if (strcmp(lines.v[i], line) == 0)
			break;
	/* new, or this profile's line as it was (an overlay elsewhere, or
	 * none said): the registry written again with the line now */
	if (r == 0 && i == lines.n) {
		if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) == -1)
			r = -1;
		for (i = 0; r == 0 && i < lines.n; i++)
			if ((strncmp(lines.v[i], me, len) != 0 ||
			    (lines.v[i][len] != '\0' && lines.v[i][len] !=
			    '\t')) && dprintf(fd, "%s\n", lines.v[i]) < 0)
				r = -1;
		if (r == 0 && dprintf(fd, "%s\n", line) < 0)
			r = -1;
		if (r != 0)
			r = diag_cause(cause, "%s/" OVERLAY_REGISTRY ": %s",
			    dir, strerror(errno));
	}
	if (fd != -1)
		close(fd);
	strv_free(&lines);
	free(line);
	free(me);
	free(dir);
	return r;
}

/*
 * Whether the profile at path stands on an image of the folder sub (a real
 * path): its root-disk.backing there, or, when it does not load, its text
 * naming the folder (in doubt, it does).
 */
static bool
overlay_stands_in(const char *path, const char *sub)
{
	struct profile	*p;
	char		*why = NULL, *text, *b, *d;
	bool		 on = false;

	if (profile_parse(path, &p, &why) != 0) {
		free(why);
		why = NULL;
		on = io_read_file(path, OVERLAY_PROFILE_MAX, &text, &why) != 0 ||
		    strstr(text, sub) != NULL;
		if (why == NULL)
			free(text);
		free(why);
		return on;
	}
	if (p->has_root_disk && *p->root_backing != '\0' &&
	    (b = profile_path(p, p->root_backing)) != NULL) {
		d = overlay_image_dir(b);
		on = d != NULL && strcmp(d, sub) == 0;
		free(d);
		free(b);
	}
	profile_free(p);
	return on;
}

/*
 * Whether a machine whose profile is elsewhere stands on an image of the
 * folder sub: the registry's profiles (those that are gone or stand on it
 * no longer dropped from it), and the profiles of the machines running.
 */
/*
 * Whether the registry's line (a profile, a tab and its overlay, or the
 * profile alone) says a machine stands on the folder sub: its profile
 * there and standing on it; or, the profile gone (moved, on a disk not
 * mounted now), in doubt while its overlay is there.
 */
static bool
overlay_line_stands(char *line, const char *sub)
{
	char	*tab = strchr(line, '\t');
	bool	 on;

	if (tab != NULL)
		*tab = '\0';
	if (access(line, F_OK) == 0 || errno != ENOENT)
		on = overlay_stands_in(line, sub);
	else
		on = tab != NULL && (access(tab + 1, F_OK) == 0 ||
		    errno != ENOENT);
	if (tab != NULL)
		*tab = '\t';
	return on;
}

static int
overlay_used_elsewhere(const char *sub, bool *used, char **cause)
{
	struct strv		 lines = { NULL, 0 };
	struct runtime_found	*run = NULL;
	size_t			 i, nrun = 0;
	char			*real;
	int			 fd;

	*used = true;		/* unless all is known */
	if ((real = realpath(sub, NULL)) == NULL)
		return diag_cause(cause, "%s: %s", sub, strerror(errno));
	if ((fd = overlay_registry_open(real, O_RDWR)) != -1) {
		if (overlay_registry_read(fd, &lines) != 0) {
			close(fd);
			free(real);
			return diag_cause(cause, "out of memory");
		}
		*used = false;
		/* kept: those that stand on it, and those in doubt */
		/* written again from its start (the read left the offset
		 * at its end: a hole of NULs would hide every line) */
		if (ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0)
			for (i = 0; i < lines.n; i++) {
				if (!overlay_line_stands(lines.v[i], real))
					continue;
				*used = true;
				(void)dprintf(fd, "%s\n", lines.v[i]);
			}
		else
			*used = true;
		close(fd);
		strv_free(&lines);
	} else if (errno == ENOENT)
		*used = false;
	if (!*used && runtime_find(&run, &nrun) == 0) {
		for (i = 0; i < nrun && !*used; i++)
			*used = run[i].profile != NULL &&
			    overlay_stands_in(run[i].profile, real);
		runtime_found_free(run, nrun);
	}
	free(real);
	return 0;
}
