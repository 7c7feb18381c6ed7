/*
 * lock: a lock is a flock on $RUNTIME/vmtui/locks/KIND-HASH.lock, HASH
 * being FNV-1a of the real path of what it locks (for a file not made yet,
 * its folder's real path and its name), KIND "edit" (an editor has the
 * profile open), "save" (a read-modify-write of the profile is under way)
 * or "dir" (a save into the folder is under way: atomic.c sweeps only
 * temp files no save is writing). The file holds "pid N since HH:MM" while
 * it is held, for the message of whoever finds it taken; /proc/locks says
 * who holds it when the note does not (a holder other than vmtui).
 *
 * A stamp (device, inode, size, mtime) taken when a profile is opened
 * tells whether it changed on disk before a save.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "io.h"
#include "lock.h"
#include "paths.h"

/* The real path of path, or of its folder with its name; else path. */
static char *
lock_real(const char *path)
{
	char		*real, *dir, *s;
	const char	*slash;

	if ((real = realpath(path, NULL)) != NULL)
		return real;
	if ((slash = strrchr(path, '/')) == NULL)
		dir = strdup(".");
	else
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	real = dir != NULL ? realpath(dir, NULL) : NULL;
	free(dir);
	if (real == NULL)
		return strdup(path);
	if (asprintf(&s, "%s/%s", real, slash != NULL ? slash + 1 : path) < 0)
		s = NULL;
	free(real);
	return s;
}

/* The lock file of kind for path; NULL and why. */
static char *
lock_file(const char *kind, const char *path, char **cause)
{
	char		*real, *dir, *s;
	const char	*p;
	uint64_t	 h = 1469598103934665603ULL;

	if ((real = lock_real(path)) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	for (p = real; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	free(real);
	if ((dir = paths_locks_dir(cause)) == NULL)
		return NULL;
	if (asprintf(&s, "%s/%s-%016llx.lock", dir, kind,
	    (unsigned long long)h) < 0) {
		s = NULL;
		*cause = strdup("out of memory");
	}
	free(dir);
	return s;
}

static int
lock_open(const char *kind, const char *path, int flags, char **cause)
{
	char	*file;
	int	 fd;

	*cause = NULL;
	if ((file = lock_file(kind, path, cause)) == NULL)
		return -1;
	fd = open(file, flags | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 && errno != ENOENT && asprintf(cause, "cannot open the "
	    "lock %s: %s", file, strerror(errno)) < 0)
		*cause = NULL;
	free(file);
	return fd;
}

/*
 * Who holds the lock on fd: the holder's note ("pid N since HH:MM"), or
 * from /proc/locks the pid and the program's name. A static string.
 */
static const char *
lock_holder(int fd)
{
	static char	 holder[160];
	struct stat	 st;
	char		 line[256], dev[64], comm[64], path[64];
	FILE		*f;
	ssize_t		 n;
	long		 pid = -1, p;
	size_t		 len;

	n = pread(fd, holder, sizeof holder - 1, 0);
	holder[n > 0 ? n : 0] = '\0';
	holder[strcspn(holder, "\n")] = '\0';
	if (*holder != '\0')
		return holder;
	if (fstat(fd, &st) == 0 && (f = fopen("/proc/locks", "re")) != NULL) {
		snprintf(dev, sizeof dev, " %02x:%02x:%llu ", major(st.st_dev),
		    minor(st.st_dev), (unsigned long long)st.st_ino);
		while (pid == -1 && fgets(line, sizeof line, f) != NULL)
			if (strstr(line, dev) != NULL && strstr(line, "->") ==
			    NULL && sscanf(line, "%*d: %*s %*s %*s %ld", &p) ==
			    1 && p > 0)
				pid = p;
		fclose(f);
	}
	if (pid == -1)
		return "pid unknown";
	*comm = '\0';
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	if ((f = fopen(path, "re")) != NULL) {
		if (fgets(comm, sizeof comm, f) == NULL)
			*comm = '\0';
		fclose(f);
	}
	len = strcspn(comm, "\n");
	snprintf(holder, sizeof holder, "pid %ld%s%.*s%s", pid,
	    len > 0 ? " (" : "", (int)len, comm, len > 0 ? ")" : "");
	return holder;
}

/* The note for the next one who finds it taken. */
static void
lock_note(int fd)
{
	char	note[64], when[16];
	time_t	now = time(NULL);
	int	n;

	strftime(when, sizeof when, "%H:%M", localtime(&now));
	n = snprintf(note, sizeof note, "pid %ld since %s\n", (long)getpid(),
	    when);
	/* the lock holds without it */
	if (ftruncate(fd, 0) == 0 && pwrite(fd, note, (size_t)n, 0) < 0)
		errno = 0;
}

/*
 * The lock of kind on path, waiting at most wait_ms for its holder. 0; 1
 * when it stays taken (*holder says by whom); -1 and why.
 */
static int
lock_take(const char *kind, const char *path, struct lock *l, int wait_ms,
    const char **holder, char **cause)
{
	struct timespec	nap = { 0, 0 };
	long		deadline = io_now_ms() + wait_ms;
	int		pause = 5;

	l->fd = -1;
	if ((l->fd = lock_open(kind, path, O_RDWR | O_CREAT, cause)) == -1)
		return -1;
	while (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			if (asprintf(cause, "cannot lock %s: %s", path,
			    strerror(errno)) < 0)
				*cause = NULL;
			close(l->fd);
			l->fd = -1;
			return -1;
		}
		if (io_now_ms() >= deadline) {
			*holder = lock_holder(l->fd);
			close(l->fd);
			l->fd = -1;
			return 1;
		}
		nap.tv_nsec = pause * 1000000L;
		nanosleep(&nap, NULL);
		pause = pause < 50 ? pause * 2 : 50;
	}
	lock_note(l->fd);
	return 0;
}

/* The machine's name in a profile's path: the message line is short. */
static char *
lock_name(const char *profile)
{
	const char	*base = strrchr(profile, '/') != NULL ?
			    strrchr(profile, '/') + 1 : profile;
	size_t		 len = strlen(base);

	if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
		len -= 5;
	return strndup(base, len);
}

/* One editor per profile: taken at once, or refused naming the holder. */
int
lock_edit(const char *profile, struct lock *l, char **cause)
{
	const char	*holder;
	char		*name;
	int		 r;

	if ((r = lock_take("edit", profile, l, 0, &holder, cause)) == 1) {
		name = lock_name(profile);
		if (asprintf(cause, "%s is being edited by another vmtui (%s); "
		    "close that one first", name != NULL ? name : profile,
		    holder) < 0)
			*cause = NULL;
		free(name);
	}
	return r == 0 ? 0 : -1;
}

/* Whether an editor has the profile open: 0 no; -1 yes, or why not known. */
int
lock_edited(const char *profile, char **cause)
{
	char	*name;
	int	 fd;

	*cause = NULL;
	if ((fd = lock_open("edit", profile, O_RDONLY, cause)) == -1)
		return *cause != NULL ? -1 : 0;		/* never edited */
	/* shared: two that look do not stop each other */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return 0;
	}
	name = lock_name(profile);
	if (asprintf(cause, "%s is being edited by another vmtui (%s); save "
	    "it there, or close that one first", name != NULL ? name :
	    profile, lock_holder(fd)) < 0)
		*cause = NULL;
	free(name);
	close(fd);
	return -1;
}

/*
 * A read-modify-write of the profile at path: one at a time, each waiting
 * up to wait_ms for the one before; after that, refused naming the holder.
 */
int
lock_save(const char *profile, struct lock *l, int wait_ms, char **cause)
{
	const char	*holder;
	char		*name;
	int		 r;

	if ((r = lock_take("save", profile, l, wait_ms, &holder, cause)) ==
	    1) {
		name = lock_name(profile);
		if (asprintf(cause, "%s is being saved by another program (%s) "
		    "that has not let go in %d s; nothing was changed",
		    name != NULL ? name : profile, holder,
		    (wait_ms + 999) / 1000) < 0)
			*cause = NULL;
		free(name);
	}
	return r == 0 ? 0 : -1;
}

/* A save into the folder dir (atomic.c): as lock_save. */
int
lock_folder(const char *dir, struct lock *l, int wait_ms, char **cause)
{
	const char	*holder;
	int		 r;

	if ((r = lock_take("dir", dir, l, wait_ms, &holder, cause)) == 1 &&
	    asprintf(cause, "%s is being saved into by another program (%s)",
	    dir, holder) < 0)
		*cause = NULL;
	return r == 0 ? 0 : -1;
}

void
lock_release(struct lock *l)
{
	if (l->fd != -1) {
		/* closing drops the lock; the note goes first */
		if (ftruncate(l->fd, 0) != 0)
			errno = 0;
		close(l->fd);
	}
	l->fd = -1;
}

void
lock_stamp(const char *path, struct lock_stamp *s)
{
	struct stat	st;

	memset(s, 0, sizeof *s);
	if (stat(path, &st) != 0)
		return;
	s->exists = true;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime = st.st_mtim;
}

bool
lock_stamp_same(const struct lock_stamp *a, const struct lock_stamp *b)
{
	return a->exists == b->exists && a->dev == b->dev &&
	    a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec;
}
