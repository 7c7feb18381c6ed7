/*
 * profile_txn: every change of a profile's file as one transaction, one at
 * a time per profile: lock, read, patch, write, unlock. What a change is
 * made to is the file as it is once the lock is held, so two changes made
 * at once both land; a change reported as made is in the file.
 */
#ifndef VMTUI_PROFILE_TXN_H
#define VMTUI_PROFILE_TXN_H

#include <stdbool.h>

#include "lock.h"
#include "profile.h"

struct profile_txn {
	char		*path;
	struct lock	 lock;
	char		*text;		/* the file, read under the lock */
	struct profile	*old;		/* what it holds */
};

/* profile_txn_begin's flags */
#define PROFILE_TXN_NOT_EDITED	0x1	/* refuse while an editor has it */
#define PROFILE_TXN_GONE_OK	0x2	/* a file not there is made anew */

int	profile_txn_begin(const char *, int, struct profile_txn *, char **);
int	profile_txn_load(const struct profile_txn *, struct profile **,
	    char **);
int	profile_txn_commit(struct profile_txn *, const struct profile *,
	    const bool *, char **, char **);
int	profile_txn_create(struct profile_txn *, const struct profile *,
	    const char *, char **);
void	profile_txn_end(struct profile_txn *);
int	profile_txn_save(const struct profile *, const char *, char **);

#endif
