/*
 * hostfiles: the files of this host a machine would read or write that
 * vmtui did not pick for it, each with what the machine does with it,
 * and those no machine may be given (an import's consent covers the
 * first, never the second).
 */
#ifndef VMTUI_HOSTFILES_H
#define VMTUI_HOSTFILES_H

#include "profile.h"
#include "strv.h"

struct hostfiles {
	struct strv	uses;		/* "reads and writes PATH (the root
					   disk)", one a file */
	struct strv	notes;		/* what is worth saying of them */
	struct strv	bad;		/* "PATH: why not", one a file */
	struct strv	bad_paths;	/* the PATH of each of bad */
};

int	hostfiles_check(const struct profile *, const char *,
	    struct hostfiles *, char **);
void	hostfiles_free(struct hostfiles *);

#endif
