/*
 * profile_save: writing a profile back as a canonical, commented file, and
 * saving it atomically.
 */
#ifndef VMTUI_PROFILE_SAVE_H
#define VMTUI_PROFILE_SAVE_H

#include "profile.h"

char	*profile_format(const struct profile *);
char	*profile_format_brief(const struct profile *);
char	*profile_format_kept(const struct profile *,
	     const struct profile *, const bool *);
struct profile *profile_reference(void);
int	 profile_set_keys(const struct profile *, const struct profile *, int,
	     size_t, bool [SCHEMA_NKEYS]);
char	*profile_format_section(const struct profile *, enum schema_section,
	     size_t, const bool *);
char	*profile_key_text(const struct profile *, enum schema_id, size_t);
int	 profile_save_text(const struct profile *, const char *, const char *,
	     int, char **);
int	 profile_save(const struct profile *, const char *, char **);
int	 profile_create(const struct profile *, const char *, char **);

#endif
