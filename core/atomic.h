/*
 * atomic: replacing a file so that it is always either the old or the new
 * one, complete: temp file beside it, written, flushed, fsynced, checked,
 * renamed over, folder fsynced. It replaces only a regular file, follows a
 * symlink only where nobody else could have planted it, and creates a new
 * file with the mode asked for whatever the umask lets through beyond it.
 */
#ifndef VMTUI_ATOMIC_H
#define VMTUI_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

/* Checks the written temp file before it replaces the old one. */
typedef int (*atomic_verify_cb)(const char *, void *, char **);
/* Says whether the old file (open, read-only, at offset 0) may go. */
typedef int (*atomic_replace_cb)(int, const char *, void *, char **);

#define ATOMIC_NEW	0x1	/* fail when the file exists (EEXIST) */
#define ATOMIC_MODE	0x2	/* the mode below even when replacing */
#define ATOMIC_NOSYNC	0x4	/* no fsync: a file that a reboot loses anyway
				   (the runtime folder's) */

struct atomic_opts {
	int			 flags;
	mode_t			 mode;		/* of a new file; 0: 0600 */
	atomic_verify_cb	 verify;
	atomic_replace_cb	 replace;
	void			*arg;
};

int	atomic_write(const char *, const char *, size_t,
	    const struct atomic_opts *, char **);

#endif
