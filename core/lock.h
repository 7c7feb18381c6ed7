/*
 * lock: the locks that keep saves of one profile from losing each other's
 * changes, and one editor per profile; and noticing a file that changed
 * under an editor. Each lock is a flock on a file in the user's private
 * runtime folder (paths_locks_dir), named after what it locks (a
 * profile's or a folder's real path), so no other user can open it, let
 * alone hold it; the kernel drops it when its holder dies, so it never
 * goes stale. A wait for one has a deadline, and then names its holder.
 */
#ifndef VMTUI_LOCK_H
#define VMTUI_LOCK_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

/* How long a save waits for another save of the same profile, in ms. */
#define LOCK_WAIT_MS	10000

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
int	lock_edited(const char *, char **);
int	lock_save(const char *, struct lock *, int, char **);
int	lock_folder(const char *, struct lock *, int, char **);
void	lock_release(struct lock *);
void	lock_stamp(const char *, struct lock_stamp *);
bool	lock_stamp_same(const struct lock_stamp *, const struct lock_stamp *);

#endif
