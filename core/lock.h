/*
 * lock: one editor per profile, and noticing a file that changed under an
 * editor. The lock is an open file description lock on a file in the
 * runtime folder, named after the profile's real path; the kernel drops
 * it when its holder dies, so it never goes stale.
 */
#ifndef VMTUI_LOCK_H
#define VMTUI_LOCK_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

struct lock {
	int	fd;
};

struct lock_stamp {
	dev_t		dev;
	ino_t		ino;
	off_t		size;
	struct timespec	mtime;
	bool		exists;
};

int	lock_edit(const char *, struct lock *, char **);
void	lock_release(struct lock *);
void	lock_stamp(const char *, struct lock_stamp *);
bool	lock_stamp_same(const struct lock_stamp *, const struct lock_stamp *);

#endif
