/*
 * current: what a running machine is now (the profile it started with,
 * and the changes made to it while it runs), kept in its runtime folder,
 * and what its profile says that it does not run yet: the changes that
 * apply at the next start.
 */
#ifndef VMTUI_CURRENT_H
#define VMTUI_CURRENT_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"
#include "strv.h"

int	 current_record(const struct profile *, char **);
int	 current_load(const struct profile *, struct profile **, char **);
int	 current_save(const struct profile *, const struct profile *,
	     char **);
bool	 current_same_row(const struct profile *, size_t,
	     const struct profile *, size_t, enum schema_section);
int	 current_copy_row(struct profile *, const struct profile *,
	     enum schema_section, size_t, char **);
int	 current_differs(const struct profile *, const struct profile *,
	     struct strv *);
char	*current_pending(const struct profile *);

#endif
