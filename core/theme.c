/*
 * theme: theme files in libconfuse syntax,
 *
 *     role "list-selected" { fg = "black"  bg = "cyan"  attrs = {"bold"} }
 *
 * one section a role. Roles a file leaves out keep the built-in default,
 * so a theme can be short. Problems are reported FILE:LINE like profiles.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <confuse.h>

#include "cfgtext.h"
#include "diag.h"
#include "paths.h"
#include "theme.h"

#define THEME_MAX_BYTES	(64 * 1024)	/* a theme is a few lines */

static const char *const theme_roles[THEME_NROLES] = {
	"normal", "title", "border", "list", "list-selected", "details",
	"label", "field", "field-active", "field-error", "message",
	"message-error", "keybar", "keybar-key", "status-running",
	"status-stopped", "status-broken", "dialog", "preview",
};

static const char *const theme_colours[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	NULL
};

static const struct {
	const char	*name;
	unsigned	 bit;
} theme_attrs[] = {
	{ "bold", THEME_BOLD }, { "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE }, { "dim", THEME_DIM },
};

const char *
theme_role_name(enum theme_role r)
{
	return theme_roles[r];
}

#define S(fg, bg, a)	((struct theme_style){ (fg), (bg), (a) })

/* The built-in default: used when no theme is chosen or a theme is broken. */
void
theme_builtin(struct theme *t)
{
	int	i;

	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "built-in");
	for (i = 0; i < THEME_NROLES; i++)
		t->style[i] = S(-1, -1, 0);
	t->style[THEME_TITLE] = S(7, 4, THEME_BOLD);
	t->style[THEME_BORDER] = S(4, -1, 0);
	t->style[THEME_LIST_SELECTED] = S(0, 6, 0);
	t->style[THEME_LABEL] = S(-1, -1, THEME_BOLD);
	t->style[THEME_FIELD] = S(-1, -1, THEME_UNDERLINE);
	t->style[THEME_FIELD_ACTIVE] = S(0, 6, 0);
	t->style[THEME_FIELD_ERROR] = S(7, 1, THEME_BOLD);
	t->style[THEME_MESSAGE_ERROR] = S(1, -1, THEME_BOLD);
	t->style[THEME_KEYBAR] = S(0, 6, 0);
	t->style[THEME_KEYBAR_KEY] = S(7, 4, THEME_BOLD);
	t->style[THEME_STATUS_RUNNING] = S(2, -1, THEME_BOLD);
	t->style[THEME_STATUS_STOPPED] = S(-1, -1, THEME_DIM);
	t->style[THEME_STATUS_BROKEN] = S(1, -1, THEME_BOLD);
	t->style[THEME_DIALOG] = S(7, 4, 0);
	t->style[THEME_PREVIEW] = S(6, -1, 0);
}

/* No colours at all (NO_COLOR, or a terminal without them). */
void
theme_mono(struct theme *t)
{
	int	i;

	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "mono");
	for (i = 0; i < THEME_NROLES; i++)
		t->style[i] = S(-1, -1, 0);
	t->style[THEME_TITLE].attrs = THEME_REVERSE | THEME_BOLD;
	t->style[THEME_LIST_SELECTED].attrs = THEME_REVERSE;
	t->style[THEME_LABEL].attrs = THEME_BOLD;
	t->style[THEME_FIELD].attrs = THEME_UNDERLINE;
	t->style[THEME_FIELD_ACTIVE].attrs = THEME_REVERSE;
	t->style[THEME_FIELD_ERROR].attrs = THEME_REVERSE | THEME_BOLD;
	t->style[THEME_MESSAGE_ERROR].attrs = THEME_BOLD;
	t->style[THEME_KEYBAR].attrs = THEME_REVERSE;
	t->style[THEME_KEYBAR_KEY].attrs = THEME_BOLD;
	t->style[THEME_STATUS_RUNNING].attrs = THEME_BOLD;
	t->style[THEME_STATUS_BROKEN].attrs = THEME_BOLD;
	t->style[THEME_DIALOG].attrs = THEME_REVERSE;
}

static int
theme_colour(const char *s)
{
	int	i;

	if (s == NULL || strcmp(s, "default") == 0)
		return -1;
	for (i = 0; theme_colours[i] != NULL; i++)
		if (strcmp(theme_colours[i], s) == 0)
			return i;
	return -2;
}

int
theme_load(const char *path, struct theme *t, char **cause)
{
	static cfg_opt_t role_opts[] = {
		CFG_STR("fg", "default", CFGF_NONE),
		CFG_STR("bg", "default", CFGF_NONE),
		CFG_STR_LIST("attrs", "{}", CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t opts[] = {
		CFG_STR("description", "", CFGF_NONE),
		CFG_SEC("role", role_opts, CFGF_MULTI | CFGF_TITLE |
		    CFGF_NO_TITLE_DUPES),
		CFG_END()
	};
	struct diag	 d;
	cfg_t		*cfg, *sec;
	const char	*base, *title;
	char		*why;
	unsigned int	 i, j;
	size_t		 k;
	int		 r, role, fg, bg, found;

	theme_builtin(t);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	/* the file name up to its first dot, cut to fit */
	k = strcspn(base, ".");
	if (k >= sizeof t->name)
		k = sizeof t->name - 1;
	memcpy(t->name, base, k);
	t->name[k] = '\0';
	/* a theme another user can change is not read */
	if (paths_trust(path, cause) != 0)
		return -1;
	diag_init(&d, path);
	if ((cfg = cfg_init(opts, CFGF_NONE)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if ((r = cfgtext_load(cfg, path, THEME_MAX_BYTES, &d, &why)) ==
	    CFG_FILE_ERROR) {
		diag_add(&d, 0, "cannot read the theme");
		free(why);
	}
	for (i = 0; r == CFG_SUCCESS && i < cfg_size(cfg, "role"); i++) {
		sec = cfg_getnsec(cfg, "role", i);
		title = cfg_title(sec);
		for (role = 0; role < THEME_NROLES; role++)
			if (strcmp(theme_roles[role], title) == 0)
				break;
		if (role == THEME_NROLES) {
			diag_add(&d, sec->line, "unknown role \"%s\"", title);
			continue;
		}
		fg = theme_colour(cfg_getstr(sec, "fg"));
		bg = theme_colour(cfg_getstr(sec, "bg"));
		if (fg == -2 || bg == -2) {
			diag_add(&d, sec->line, "role \"%s\": colours are "
			    "default, black, red, green, yellow, blue, magenta, "
			    "cyan or white", title);
			continue;
		}
		t->style[role].fg = (short)fg;
		t->style[role].bg = (short)bg;
		t->style[role].attrs = 0;
		for (j = 0; j < cfg_size(sec, "attrs"); j++) {
			const char *a = cfg_getnstr(sec, "attrs", j);

			for (k = found = 0; k < sizeof theme_attrs /
			    sizeof theme_attrs[0]; k++)
				if (strcmp(theme_attrs[k].name, a) == 0) {
					t->style[role].attrs |= theme_attrs[k].bit;
					found = 1;
				}
			if (!found)
				diag_add(&d, sec->line, "role \"%s\": unknown "
				    "attribute \"%s\" (bold, underline, "
				    "reverse or dim)", title, a);
		}
	}
	cfg_free(cfg);
	if ((*cause = diag_finish(&d)) != NULL) {
		theme_builtin(t);
		return -1;
	}
	return 0;
}

/* The file of theme name: in dir, or NULL for a name that is not one. */
char *
theme_path(const char *dir, const char *name)
{
	char	*s;

	if (*name == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(name))
		return NULL;
	if (asprintf(&s, "%s/%s.theme", dir, name) < 0)
		return NULL;
	return s;
}
