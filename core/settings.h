/*
 * settings: vmtui.conf, the user's settings (not a machine's): the theme
 * the launch view's escape key, the catalog's mirrors. A missing file is
 * the defaults.
 */
#ifndef VMTUI_SETTINGS_H
#define VMTUI_SETTINGS_H

#include "strv.h"

struct settings {
	char	*theme;		/* NULL: the default */
	int	 escape_key;	/* a control character, Ctrl-] (0x1d) */
	char	 escape_name[8];	/* "Ctrl-]" */
	struct strv mirrors;	/* name, url, name, url, ... */
};

int	settings_load(struct settings *, char **);
int	settings_parse_key(const char *, int *, char **);
void	settings_free(struct settings *);

#endif
