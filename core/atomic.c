/*
 * atomic: the crash-safe way to replace a file. The new content goes to a
 * temp file in the same folder (so rename() is atomic), with the old file's
 * mode and owner; it is fsynced and checked by the caller's verify callback
 * before rename() puts it in place, and the folder is fsynced so that the
 * rename itself survives a crash. A symlink is written through: its target
 * is replaced, the link stays. On any failure the temp file is removed and
 * the old file is untouched.
 *
 * A process killed mid-save leaves its temp file behind (nothing else can
 * remove it); the next save sweeps such files away. Saves into one folder
 * hold a lock on the folder, so the sweep never takes a temp file that a
 * save in progress is still writing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "io.h"

static int
atomic_fail(char **cause, const char *file, const char *what, int err)
{
	if (asprintf(cause, "cannot save %s: %s: %s; the old file is "
	    "unchanged", file, what, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

/* The file to replace: path itself, or the target of a symlink. */
static char *
atomic_target(const char *path, char **cause)
{
	struct stat	 st;
	char		*target;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return strdup(path);
	if ((target = realpath(path, NULL)) == NULL)
		atomic_fail(cause, path, "following the symlink", errno);
	return target;
}

/* Remove ".BASE.XXXXXX" files: temp files of saves that were killed. */
static void
atomic_sweep(int dfd, const char *base)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 blen = strlen(base);
	int		 fd;

	if ((fd = dup(dfd)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' &&
		    strncmp(e->d_name + 1, base, blen) == 0 &&
		    e->d_name[blen + 1] == '.' &&
		    strlen(e->d_name + blen + 2) == 6)
			(void)unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}

int
atomic_write(const char *path, const char *data, size_t len,
    atomic_verify_cb verify, void *arg, char **cause)
{
	struct stat	 st;
	char		*target, *tmp = NULL, *slash, *dir;
	const char	*base;
	mode_t		 mask;
	int		 fd = -1, dfd = -1, err, exists;

	*cause = NULL;
	if ((target = atomic_target(path, cause)) == NULL)
		return -1;
	slash = strrchr(target, '/');
	dir = slash == NULL ? strdup(".") : slash == target ? strdup("/") :
	    strndup(target, (size_t)(slash - target));
	base = slash == NULL ? target : slash + 1;
	if (dir == NULL || asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		free(dir);
		free(target);
		*cause = strdup("out of memory");
		return -1;
	}

	/* one save at a time in this folder; sweep what killed ones left */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		atomic_fail(cause, path, "opening its folder", errno);
		goto fail_notmp;
	}
	while (flock(dfd, LOCK_EX) == -1 && errno == EINTR)
		;
	atomic_sweep(dfd, base);

	exists = stat(target, &st) == 0;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		atomic_fail(cause, path, "creating a temp file", errno);
		goto fail_notmp;
	}
	if (exists) {
		if (st.st_uid != geteuid() || st.st_gid != getegid())
			(void)fchown(fd, st.st_uid, st.st_gid);
		if (fchmod(fd, st.st_mode & 07777) != 0) {
			atomic_fail(cause, path, "setting the mode", errno);
			goto fail;
		}
	} else {
		mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0) {
			atomic_fail(cause, path, "setting the mode", errno);
			goto fail;
		}
	}
	if (io_write_all(fd, data, len) != 0) {
		atomic_fail(cause, path, "writing", errno);
		goto fail;
	}
	if (fsync(fd) != 0) {
		atomic_fail(cause, path, "flushing to disk", errno);
		goto fail;
	}
	err = close(fd);
	fd = -1;
	if (err != 0) {
		atomic_fail(cause, path, "closing", errno);
		goto fail;
	}
	if (verify != NULL && verify(tmp, arg, cause) != 0)
		goto fail;
	if (rename(tmp, target) != 0) {
		atomic_fail(cause, path, "renaming the temp file", errno);
		goto fail;
	}
	(void)fsync(dfd);
	close(dfd);	/* and the lock with it */
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
	free(tmp);
	free(dir);
	free(target);
	return -1;
}
