/*
 * atomic: the crash-safe way to replace a file. The new content goes to a
 * temp file in the same folder (so rename() is atomic), with the old file's
 * mode and owner; it is fsynced and checked by the caller's verify callback
 * before rename() puts it in place, and the folder is fsynced so that the
 * rename itself survives a crash. On any failure the temp file is removed
 * and the old file is untouched.
 *
 * What it will replace: nothing but a regular file (never a FIFO, a device
 * or a folder), and only after the caller's replace callback has seen it.
 * A symlink is written through (its target replaced, the link kept) only
 * when it is ours in a folder of ours that nobody else may write: a link
 * planted in a shared folder such as /tmp is refused. A new file gets the
 * caller's mode less the umask; ATOMIC_NEW never replaces anything
 * (renameat2 with RENAME_NOREPLACE, or link() where that is missing).
 *
 * A process killed mid-save leaves its temp file behind (nothing else can
 * remove it); the next save sweeps such files away. The temp files have a
 * name of their own (".BASE.vmtui-XXXXXX"), and saves of ours into one
 * folder hold a lock named after the folder (lock.c: in the private runtime
 * folder, where no other user can hold it), so the sweep takes only files
 * of ours that no save in progress is writing, never another program's
 * ".BASE.backup".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "io.h"
#include "lock.h"

/* A save waits this long for another save of ours into its folder. */
#define ATOMIC_LOCK_WAIT_MS	2000

#define ATOMIC_TAG	".vmtui-"

static int
atomic_fail(char **cause, const char *file, const char *what, int err)
{
	if (asprintf(cause, "cannot save %s: %s: %s; the old file is "
	    "unchanged", file, what, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

static int
atomic_refuse(char **cause, const char *file, const char *why)
{
	if (asprintf(cause, "not saving %s: %s", file, why) < 0)
		*cause = NULL;
	return -1;
}

/* The folder part of a path: ".", "/" or a copy. */
static char *
atomic_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/*
 * The file to replace: path itself, or the target of a symlink that is
 * ours in a private folder of ours.
 */
static char *
atomic_target(const char *path, char **cause)
{
	struct stat	 st, dst;
	char		*target, *dir;
	int		 ok;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return strdup(path);
	if ((dir = atomic_dirname(path)) == NULL)
		return NULL;
	ok = st.st_uid == geteuid() && stat(dir, &dst) == 0 &&
	    dst.st_uid == geteuid() && (dst.st_mode & 022) == 0;
	free(dir);
	if (!ok) {
		atomic_refuse(cause, path, "it is a symlink that someone else "
		    "could have made (not yours, or in a folder others can "
		    "write); remove it, or save somewhere else");
		return NULL;
	}
	if ((target = realpath(path, NULL)) == NULL)
		atomic_fail(cause, path, "following the symlink", errno);
	return target;
}

/* Remove ".BASE.vmtui-XXXXXX" files of ours: temp files of killed saves. */
static void
atomic_sweep(int dfd, const char *base)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	size_t		 blen = strlen(base), tlen = strlen(ATOMIC_TAG);
	const char	*n;
	int		 fd;

	if ((fd = dup(dfd)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		n = e->d_name;
		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 ||
		    strncmp(n + 1 + blen, ATOMIC_TAG, tlen) != 0 ||
		    strlen(n + 1 + blen + tlen) != 6)
			continue;
		if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_uid == geteuid())
			(void)unlinkat(dfd, n, 0);
	}
	closedir(d);
}

/* The old file, if any: a regular file the caller agrees to replace. */
static int
atomic_check_old(const char *path, const char *target,
    const struct atomic_opts *o, struct stat *st, int *exists, char **cause)
{
	struct stat	fst;
	int		fd, r;

	*exists = 0;
	if (lstat(target, st) != 0) {
		if (errno == ENOENT)
			return 0;
		return atomic_fail(cause, path, "looking at it", errno);
	}
	*exists = 1;
	if (o->flags & ATOMIC_NEW) {
		errno = EEXIST;
		return atomic_refuse(cause, path, "it exists already");
	}
	if (!S_ISREG(st->st_mode))
		return atomic_refuse(cause, path, S_ISDIR(st->st_mode) ?
		    "it is a folder" : S_ISLNK(st->st_mode) ?
		    "it is a symlink" : "it is not a regular file (a FIFO, "
		    "a device or a socket); only a file is ever replaced");
	if (o->replace == NULL)
		return 0;
	fd = open(target, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return atomic_fail(cause, path, "opening it", errno);
	if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) ||
	    fst.st_ino != st->st_ino || fst.st_dev != st->st_dev) {
		close(fd);
		return atomic_refuse(cause, path, "it changed while vmtui "
		    "looked at it");
	}
	r = o->replace(fd, path, o->arg, cause);
	close(fd);
	return r;
}

/* rename(), or with ATOMIC_NEW one that never replaces a file. */
static int
atomic_rename(const char *tmp, const char *target, int flags)
{
	if (!(flags & ATOMIC_NEW))
		return rename(tmp, target);
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(tmp, target) != 0)
		return -1;
	(void)unlink(tmp);
	return 0;
}

int
atomic_write(const char *path, const char *data, size_t len,
    const struct atomic_opts *o, char **cause)
{
	static const struct atomic_opts defaults = { 0, 0, NULL, NULL, NULL };
	struct stat	 st;
	struct lock	 lk = { -1 };
	char		*target, *tmp = NULL, *dir, *why = NULL;
	const char	*base;
	mode_t		 mask, mode;
	int		 fd = -1, dfd = -1, err, exists;

	*cause = NULL;
	if (o == NULL)
		o = &defaults;
	if ((target = atomic_target(path, cause)) == NULL) {
		if (*cause == NULL)
			*cause = strdup("out of memory");
		return -1;
	}
	dir = atomic_dirname(target);
	base = strrchr(target, '/') != NULL ? strrchr(target, '/') + 1 :
	    target;
	if (dir == NULL || asprintf(&tmp, "%s/.%s%sXXXXXX", dir, base,
	    ATOMIC_TAG) < 0) {
		free(dir);
		free(target);
		*cause = strdup("out of memory");
		return -1;
	}

	/*
	 * One save of ours at a time in this folder, and sweep what killed
	 * ones left. The lock is in our private runtime folder (never on the
	 * folder itself, which another user could hold for ever); without it
	 * the save goes on, only the sweep waits for another time.
	 */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		atomic_fail(cause, path, "opening its folder", errno);
		goto fail_notmp;
	}
	if (lock_folder(dir, &lk, ATOMIC_LOCK_WAIT_MS, &why) == 0)
		atomic_sweep(dfd, base);
	free(why);

	if (atomic_check_old(path, target, o, &st, &exists, cause) != 0)
		goto fail_notmp;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		atomic_fail(cause, path, "creating a temp file", errno);
		goto fail_notmp;
	}
	mask = umask(0);
	umask(mask);
	mode = (o->mode != 0 ? o->mode : 0600) & ~mask;
	if (exists && !(o->flags & ATOMIC_MODE)) {
		if (st.st_uid != geteuid() || st.st_gid != getegid())
			(void)fchown(fd, st.st_uid, st.st_gid);
		mode = st.st_mode & 07777;
	}
	if (fchmod(fd, mode) != 0) {
		atomic_fail(cause, path, "setting the mode", errno);
		goto fail;
	}
	if (io_write_all(fd, data, len) != 0) {
		atomic_fail(cause, path, "writing", errno);
		goto fail;
	}
	if (!(o->flags & ATOMIC_NOSYNC) && fsync(fd) != 0) {
		atomic_fail(cause, path, "flushing to disk", errno);
		goto fail;
	}
	err = close(fd);
	fd = -1;
	if (err != 0) {
		atomic_fail(cause, path, "closing", errno);
		goto fail;
	}
	if (o->verify != NULL && o->verify(tmp, o->arg, cause) != 0)
		goto fail;
	if (atomic_rename(tmp, target, o->flags) != 0) {
		if (errno == EEXIST) {
			atomic_refuse(cause, path, "it exists already");
			goto fail;
		}
		atomic_fail(cause, path, "renaming the temp file", errno);
		goto fail;
	}
	if (!(o->flags & ATOMIC_NOSYNC))
		(void)fsync(dfd);
	close(dfd);
	lock_release(&lk);
	free(tmp);
	free(dir);
	free(target);
	return 0;

fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
fail_notmp:
	if (dfd != -1)
		close(dfd);
	lock_release(&lk);
	free(tmp);
	free(dir);
	free(target);
	return -1;
}
