/*
 * settings: vmtui.conf, the user's settings (not a machine's): the theme
 * the launch view's escape key, the catalog's mirrors (another url, or
 * another keyring to check their Release files with), how big a
 * machine's console log may grow. A missing file is the defaults.
 */
#ifndef VMTUI_SETTINGS_H
#define VMTUI_SETTINGS_H

#include <stdbool.h>

/* mirror "NAME" { url = "..." keyring = "..." }: "" where not given. */
struct settings_mirror {
	char	*name;
	char	*url;
	char	*keyring;
	bool	 checksum_only;	/* its entries' keyring may be missing */
};

struct settings {
	char	*theme;		/* NULL: the default */
	int	 escape_key;	/* a control character, Ctrl-] (0x1d) */
	char	 escape_name[8];	/* "Ctrl-]" */
	struct settings_mirror *mirrors;
	size_t	 nmirrors;
	long	 log_max;	/* a console log's most bytes (logcap.c) */
};

#define SETTINGS_LOG_MAX_MIB	4	/* console-log-max's default */
#define SETTINGS_LOG_MAX_TOP	1024	/* its most, in MiB */

int	settings_load(struct settings *, char **);
int	settings_parse_key(const char *, int *, char **);
const struct settings_mirror *settings_mirror(const struct settings *,
	    const char *);
void	settings_free(struct settings *);

#endif
