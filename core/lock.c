/*
 * lock: the editing lock lives in $XDG_RUNTIME_DIR/vmtui/edit-HASH.lock,
 * HASH being FNV-1a of the profile's real path, and holds "pid N since
 * HH:MM" for the next editor's message. A stamp (device, inode, size,
 * mtime) taken when a profile is opened tells whether it changed on disk
 * before a save.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "paths.h"

static char *
lock_file(const char *profile)
{
	char		*real, *dir, *s;
	const char	*p;
	uint64_t	 h = 1469598103934665603ULL;

	real = realpath(profile, NULL);
	for (p = real != NULL ? real : profile; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	free(real);
	/* the runtime folders' base: ours alone */
	if ((dir = paths_runtime_base()) == NULL)
		return NULL;
	if (asprintf(&s, "%s/edit-%016llx.lock", dir,
	    (unsigned long long)h) < 0)
		s = NULL;
	free(dir);
	return s;
}

int
lock_edit(const char *profile, struct lock *l, char **cause)
{
	struct flock	 fl;
	char		*file, *slash, holder[128], when[16];
	const char	*base;
	size_t		 len;
	ssize_t		 n;
	time_t		 now = time(NULL);

	l->fd = -1;
	if (paths_runtime_check(1, cause) != 0)
		return -1;
	if ((file = lock_file(profile)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if ((slash = strrchr(file, '/')) != NULL) {
		*slash = '\0';
		(void)paths_mkdirs(file, 0700);
		*slash = '/';
	}
	l->fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(file);
	if (l->fd == -1) {
		if (asprintf(cause, "cannot lock %s for editing: %s", profile,
		    strerror(errno)) < 0)
			*cause = NULL;
		return -1;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	if (fcntl(l->fd, F_OFD_SETLK, &fl) != 0) {
		n = pread(l->fd, holder, sizeof holder - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		/* the machine's name: the message line is short */
		base = strrchr(profile, '/') != NULL ?
		    strrchr(profile, '/') + 1 : profile;
		len = strlen(base);
		if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
			len -= 5;
		if (asprintf(cause, "%.*s is being edited by another vmtui "
		    "(%s); close that one first", (int)len, base, *holder ?
		    holder : "pid unknown") < 0)
			*cause = NULL;
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	strftime(when, sizeof when, "%H:%M", localtime(&now));
	n = snprintf(holder, sizeof holder, "pid %ld since %s\n",
	    (long)getpid(), when);
	/* the note is for the next editor; the lock holds without it */
	if (ftruncate(l->fd, 0) == 0 && pwrite(l->fd, holder, (size_t)n, 0) < 0)
		errno = 0;
	return 0;
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
