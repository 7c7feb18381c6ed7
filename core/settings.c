/*
 * settings: reads vmtui.conf ($XDG_CONFIG_HOME/vmtui/vmtui.conf) with
 * libconfuse. Keys other than these are left to other versions of vmtui.
 * mirror "NAME" { url = "..." } replaces a catalog mirror's url.
 * The escape key is written as a caret and a character, "^]" (as stty
 * and tmux write control keys), or as "C-]".
 */
#include "config.h"

#include <confuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgtext.h"
#include "diag.h"
#include "paths.h"
#include "settings.h"
#include "strv.h"

#define SETTINGS_MAX_BYTES	(256 * 1024)	/* vmtui.conf is a few lines */

#define SETTINGS_ESCAPE_DEFAULT	0x1d	/* Ctrl-] */

static void
settings_name(struct settings *s)
{
	snprintf(s->escape_name, sizeof s->escape_name, "Ctrl-%c",
	    s->escape_key + '@');
}

/* "^]" or "C-]" as the control character it names. */
int
settings_parse_key(const char *text, int *key, char **cause)
{
	char	c;

	if ((text[0] == '^' && strlen(text) == 2) ||
	    (strncmp(text, "C-", 2) == 0 && strlen(text) == 3))
		c = text[strlen(text) - 1];
	else
		c = 0;
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c < '@' || c > '_' || c == '[' || c == 'M' || c == 'J' ||
	    c == 'I' || c == 'H' || c == '@') {
		if (asprintf(cause, "escape-key \"%s\": write a control key "
		    "as ^] or C-] (not Esc, Enter, Tab, Backspace or ^@)",
		    text) < 0)
			*cause = NULL;
		return -1;
	}
	*key = c - '@';
	return 0;
}

int
settings_load(struct settings *s, char **cause)
{
	cfg_opt_t	 mirror_opts[] = {
		CFG_STR("url", "", CFGF_NONE),
		CFG_END()
	};
	cfg_opt_t	 opts[] = {
		CFG_STR("theme", NULL, CFGF_NONE),
		CFG_STR("escape-key", "^]", CFGF_NONE),
		CFG_SEC("mirror", mirror_opts, CFGF_MULTI | CFGF_TITLE),
		CFG_END()
	};
	cfg_t		*cfg, *m;
	struct diag	 d;
	char		*file, *why, *parsed;
	unsigned int	 i;
	int		 r = 0;

	memset(s, 0, sizeof *s);
	s->escape_key = SETTINGS_ESCAPE_DEFAULT;
	settings_name(s);
	*cause = NULL;
	if ((file = paths_settings_file()) == NULL || access(file, R_OK) != 0) {
		free(file);
		return 0;
	}
	if ((cfg = cfg_init(opts, CFGF_IGNORE_UNKNOWN)) == NULL) {
		free(file);
		*cause = strdup("out of memory");
		return -1;
	}
	diag_init(&d, file);
	if (cfgtext_load(cfg, file, SETTINGS_MAX_BYTES, &d, &why) !=
	    CFG_SUCCESS) {
		/* libconfuse's FILE:LINE: message, or why it cannot be read */
		if ((parsed = diag_finish(&d)) != NULL) {
			free(why);
			why = parsed;
		}
		if (asprintf(cause, "%s (the defaults are used)", why != NULL ?
		    why : file) < 0)
			*cause = NULL;
		free(why);
		r = -1;
	} else {
		diag_free(&d);
		if (cfg_getstr(cfg, "theme") != NULL)
			s->theme = strdup(cfg_getstr(cfg, "theme"));
		if (settings_parse_key(cfg_getstr(cfg, "escape-key"),
		    &s->escape_key, cause) != 0) {
			s->escape_key = SETTINGS_ESCAPE_DEFAULT;
			r = -1;
		}
		settings_name(s);
		for (i = 0; i < cfg_size(cfg, "mirror"); i++) {
			m = cfg_getnsec(cfg, "mirror", i);
			if (strv_add(&s->mirrors, cfg_title(m)) != 0 ||
			    strv_add(&s->mirrors, cfg_getstr(m, "url")) != 0)
				r = -1;
		}
	}
	cfg_free(cfg);
	free(file);
	return r;
}

void
settings_free(struct settings *s)
{
	free(s->theme);
	s->theme = NULL;
	strv_free(&s->mirrors);
}
