/*
 * profile_patch: a profile's file patched where the model changed, keeping
 * the person's comments, order and spelling everywhere else.
 */
#ifndef VMTUI_PROFILE_PATCH_H
#define VMTUI_PROFILE_PATCH_H

#include <stdbool.h>

#include "profile.h"

int	profile_patch(const char *, const struct profile *,
	    const struct profile *, const bool *, char **);
int	profile_patch_line(const char *, enum schema_id, size_t);
int	profile_patch_where(const char *, enum schema_id, size_t, int *,
	    int *);
int	profile_patch_save(const struct profile *, const char *, char **);
int	profile_patch_create(const struct profile *, const char *,
	    const char *, char **);

#endif
