/*
 * paths: the XDG base directories (a variable that is unset, empty or
 * relative is ignored, as the specification says) and the lookup of a
 * PROFILE argument: a name in the profiles folder, unless it holds a '/'
 * or ends in ".conf", when it is a path.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "schema.h"

static const char *
paths_home(void)
{
	const char	*home = getenv("HOME");
	struct passwd	*pw;

	if (home != NULL && *home == '/')
		return home;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		return pw->pw_dir;
	return "/";
}

/* $VAR/vmtui[/NAME], or $HOME/FALLBACK/vmtui[/NAME]. */
static char *
paths_xdg(const char *var, const char *fallback, const char *name)
{
	const char	*base = getenv(var);
	char		*s;
	int		 r;

	if (base != NULL && *base == '/')
		r = asprintf(&s, "%s/vmtui%s%s", base, name ? "/" : "",
		    name ? name : "");
	else
		r = asprintf(&s, "%s/%s/vmtui%s%s", paths_home(), fallback,
		    name ? "/" : "", name ? name : "");
	return r < 0 ? NULL : s;
}

char *
paths_profiles_dir(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "profiles");
}

char *
paths_settings_file(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "vmtui.conf");
}

char *
paths_profile(const char *arg, char **cause)
{
	size_t	 len = strlen(arg);
	char	*dir, *s;

	if (strchr(arg, '/') != NULL ||
	    (len > 5 && strcmp(arg + len - 5, ".conf") == 0))
		return strdup(arg);
	if (schema_check_name(arg, cause) != 0)
		return NULL;
	if ((dir = paths_profiles_dir()) == NULL)
		return NULL;
	if (asprintf(&s, "%s/%s.conf", dir, arg) < 0)
		s = NULL;
	free(dir);
	return s;
}

char *
paths_data_dir(const char *name)
{
	return paths_xdg("XDG_DATA_HOME", ".local/share", name);
}

char *
paths_state_dir(const char *name)
{
	return paths_xdg("XDG_STATE_HOME", ".local/state", name);
}

char *
paths_runtime_dir(const char *name)
{
	const char	*base = getenv("XDG_RUNTIME_DIR");
	char		*s;

	if (base != NULL && *base == '/')
		return paths_xdg("XDG_RUNTIME_DIR", NULL, name);
	if (asprintf(&s, "/tmp/vmtui-%lu/vmtui/%s", (unsigned long)getuid(),
	    name) < 0)
		return NULL;
	return s;
}
