/*
 * theme: colour themes as data. A theme maps each role of the screens
 * (title, list-selected, field-error, ...) to a foreground, a background
 * and attributes; tui/ turns that into curses colour pairs.
 */
#ifndef VMTUI_THEME_H
#define VMTUI_THEME_H

enum theme_role {
	THEME_NORMAL,
	THEME_TITLE,
	THEME_BORDER,
	THEME_LIST,
	THEME_LIST_SELECTED,
	THEME_DETAILS,
	THEME_LABEL,
	THEME_FIELD,
	THEME_FIELD_ACTIVE,
	THEME_FIELD_ERROR,
	THEME_MESSAGE,
	THEME_MESSAGE_ERROR,
	THEME_KEYBAR,
	THEME_KEYBAR_KEY,
	THEME_STATUS_RUNNING,
	THEME_STATUS_STOPPED,
	THEME_STATUS_BROKEN,
	THEME_DIALOG,
	THEME_PREVIEW,
	THEME_NROLES
};

#define THEME_BOLD	0x1
#define THEME_UNDERLINE	0x2
#define THEME_REVERSE	0x4
#define THEME_DIM	0x8

struct theme_style {
	short		fg, bg;		/* -1 default, 0..7 the ANSI colours */
	unsigned	attrs;
};

struct theme {
	char			name[64];
	struct theme_style	style[THEME_NROLES];
};

void		 theme_builtin(struct theme *);
void		 theme_mono(struct theme *);
int		 theme_load(const char *, struct theme *, char **);
char		*theme_path(const char *, const char *);
const char	*theme_role_name(enum theme_role);

#endif
