/*
 * tui: what the screens share: curses set-up and teardown (the terminal is
 * restored on every way out), the theme as colour pairs, the title, the
 * message line and the key bar, and small dialogs (confirm, prompt with
 * path completion, a scrollable text view).
 */
#ifndef VMTUI_TUI_H
#define VMTUI_TUI_H

#include <curses.h>
#include <wchar.h>
#include <stdbool.h>

#include "theme.h"

#define TUI_MIN_COLS	60
#define TUI_MIN_LINES	16

struct tui_key {
	const char	*key, *what;
};

int	 tui_start(const char *, char **);
void	 tui_stop(void);
int	 tui_run(const char *);
int	 tui_launch(const char *, const char *, int);
attr_t	 tui_attr(enum theme_role);
int	 tui_getkey(void);
int	 tui_getwch(wint_t *);
bool	 tui_too_small(void);
bool	 tui_quit_requested(void);
void	 tui_message(bool, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
bool	 tui_message_is_error(void);
bool	 tui_has_colour(void);
void	 tui_draw_frame(const char *, const struct tui_key *);
bool	 tui_confirm(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*tui_prompt(const char *, const char *, bool);
char	*tui_ask(const char *, const char *, bool,
	     int (*)(const char *, void *, char **), void *);
int	 tui_menu(const char *, const char *const *, int);
int	 tui_menu_at(int, const char *, const char *const *, int);
void	 tui_view(const char *, const char *);
void	 tui_fill(WINDOW *, int, int, int, enum theme_role);
const char *tui_theme_note(void);

int	 browser_run(void);
int	 editor_run(const char *);
char	*wizard_run(void);
/* view_run(): launch the machine, or attach to it running */
#define VIEW_LAUNCH	0
#define VIEW_ATTACH	1
#define VIEW_LEFT	(-3)	/* the person left it running */
int	 view_run(const char *, int);
void	 view_reap(void);

#endif
