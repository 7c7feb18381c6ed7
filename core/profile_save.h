/*
 * profile_save: writing a profile back as a canonical, commented file, and
 * saving it atomically.
 */
#ifndef VMTUI_PROFILE_SAVE_H
#define VMTUI_PROFILE_SAVE_H

#include "profile.h"

char	*profile_format(const struct profile *);
int	 profile_save(const struct profile *, const char *, char **);
int	 profile_create(const struct profile *, const char *, char **);

#endif
