/*
 * validate: the checks that span several values of a profile, or look at
 * the host (files a boot mode needs, share folders); validate_load() reads a
 * profile with all of them.
 */
#ifndef VMTUI_VALIDATE_H
#define VMTUI_VALIDATE_H

#include "diag.h"
#include "profile.h"

void	validate_profile(const struct profile *, struct diag *);
int	validate_load(const char *, struct profile **, char **);
int	validate_check(const struct profile *, char **);
char	*validate_warnings(const struct profile *);
char	*validate_cores(const struct profile *);

#endif
