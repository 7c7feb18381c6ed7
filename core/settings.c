/*
 * settings: reads vmtui.conf ($XDG_CONFIG_HOME/vmtui/vmtui.conf) with
 * libconfuse. Keys other than these are left to other versions of vmtui.
 * mirror "NAME" { url = "..." keyring = "..." } replaces a catalog
 * mirror's url, and the keyring its entries' Release files are checked
 * with (a mirror signed by another key, a local test mirror);
 * checksum-only = true takes its entries on the mirror's checksum file
 * alone where their keyring is not installed (said as such, never
 * "verified").
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

/* The line of escape-key while a parse runs (libconfuse has no user data). */
static int settings_escape_line;

static int
settings_escape_seen(cfg_t *cfg, cfg_opt_t *opt)
{
	(void)opt;
	settings_escape_line = cfg->line;
	return 0;
}

/*
 * console-log-max: MiB, 1 to SETTINGS_LOG_MAX_TOP (libconfuse's
 * FILE:LINE: message otherwise, and the defaults are used).
 */
static int
settings_log_max_seen(cfg_t *cfg, cfg_opt_t *opt)
{
	long	v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);

	if (v < 1 || v > SETTINGS_LOG_MAX_TOP) {
		cfg_error(cfg, "console-log-max %ld: give MiB, 1 to %d", v,
		    SETTINGS_LOG_MAX_TOP);
		return -1;
	}
	return 0;
}

int
settings_load(struct settings *s, char **cause)
{
	cfg_opt_t	 mirror_opts[] = {
		CFG_STR("url", "", CFGF_NONE),
		CFG_STR("keyring", "", CFGF_NONE),
		CFG_BOOL("checksum-only", cfg_false, CFGF_NONE),
		CFG_END()
	};
	cfg_opt_t	 opts[] = {
		CFG_STR("theme", NULL, CFGF_NONE),
		CFG_STR("escape-key", "^]", CFGF_NONE),
		CFG_INT("console-log-max", SETTINGS_LOG_MAX_MIB, CFGF_NONE),
		CFG_SEC("mirror", mirror_opts, CFGF_MULTI | CFGF_TITLE),
		CFG_END()
	};
	cfg_t		*cfg, *m;
	struct settings_mirror *sm;
	struct diag	 d;
	char		*file, *why, *parsed;
	unsigned int	 i;
	int		 r = 0;

	memset(s, 0, sizeof *s);
	s->escape_key = SETTINGS_ESCAPE_DEFAULT;
	s->log_max = SETTINGS_LOG_MAX_MIB * 1024L * 1024;
	settings_name(s);
	*cause = NULL;
	if ((file = paths_settings_file()) == NULL || access(file, R_OK) != 0) {
		free(file);
		return 0;
	}
	/* one that another user can change is not read */
	if (paths_trust(file, &why) != 0) {
		if (asprintf(cause, "%s; vmtui.conf is not read (the defaults "
		    "are used)", why != NULL ? why : file) < 0)
			*cause = NULL;
		free(why);
		free(file);
		return -1;
	}
	if ((cfg = cfg_init(opts, CFGF_IGNORE_UNKNOWN)) == NULL) {
		free(file);
		*cause = strdup("out of memory");
		return -1;
	}
	diag_init(&d, file);
	settings_escape_line = 0;
	cfg_set_validate_func(cfg, "escape-key", settings_escape_seen);
	cfg_set_validate_func(cfg, "console-log-max", settings_log_max_seen);
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
		if (cfg_getstr(cfg, "theme") != NULL)
			s->theme = strdup(cfg_getstr(cfg, "theme"));
		if (settings_parse_key(cfg_getstr(cfg, "escape-key"),
		    &s->escape_key, &why) != 0) {
			/* FILE:LINE: what is wrong */
			diag_add(&d, settings_escape_line, "%s", why != NULL ?
			    why : "out of memory");
			free(why);
			*cause = diag_finish(&d);
			s->escape_key = SETTINGS_ESCAPE_DEFAULT;
			r = -1;
		} else
			diag_free(&d);
		settings_name(s);
		s->log_max = cfg_getint(cfg, "console-log-max") * 1024L * 1024;
		for (i = 0; i < cfg_size(cfg, "mirror"); i++) {
			m = cfg_getnsec(cfg, "mirror", i);
			if ((sm = reallocarray(s->mirrors, s->nmirrors + 1,
			    sizeof *sm)) == NULL) {
				r = -1;
				break;
			}
			s->mirrors = sm;
			sm = &s->mirrors[s->nmirrors];
			sm->name = strdup(cfg_title(m));
			sm->url = strdup(cfg_getstr(m, "url"));
			sm->keyring = strdup(cfg_getstr(m, "keyring"));
			sm->checksum_only = cfg_getbool(m, "checksum-only");
			if (sm->name == NULL || sm->url == NULL ||
			    sm->keyring == NULL) {
				free(sm->name);
				free(sm->url);
				free(sm->keyring);
				r = -1;
				break;
			}
			s->nmirrors++;
		}
	}
	cfg_free(cfg);
	free(file);
	return r;
}

/* vmtui.conf's mirror "name", or NULL. The last one given counts. */
const struct settings_mirror *
settings_mirror(const struct settings *s, const char *name)
{
	size_t	i;

	for (i = s != NULL ? s->nmirrors : 0; i > 0; i--)
		if (strcmp(s->mirrors[i - 1].name, name) == 0)
			return &s->mirrors[i - 1];
	return NULL;
}

void
settings_free(struct settings *s)
{
	size_t	i;

	free(s->theme);
	s->theme = NULL;
	for (i = 0; i < s->nmirrors; i++) {
		free(s->mirrors[i].name);
		free(s->mirrors[i].url);
		free(s->mirrors[i].keyring);
	}
	free(s->mirrors);
	s->mirrors = NULL;
	s->nmirrors = 0;
}
