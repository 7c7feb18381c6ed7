/*
 * paths: where vmtui keeps things (the XDG base directories of DESIGN.md),
 * and how a PROFILE argument names a file.
 */
#ifndef VMTUI_PATHS_H
#define VMTUI_PATHS_H

#include <stdbool.h>
#include <sys/types.h>

const char *paths_home(void);
char	*paths_profiles_dir(void);
bool	 paths_is_profiles_dir(const char *);
char	*paths_settings_file(void);
char	*paths_absolute(const char *);
char	*paths_profile(const char *, char **);
char	*paths_data_dir(const char *);
char	*paths_state_dir(const char *);
char	*paths_runtime_dir(const char *);
int	 paths_runtime_check(int, char **);
int	 paths_mkdirs(const char *, mode_t);

#endif
