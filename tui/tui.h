/*
 * tui: what the screens share: curses set-up and teardown (the terminal is
 * restored on every way out), the theme as colour pairs, the title, the
 * message line and the key bar, small dialogs (confirm, prompt with path
 * completion, a scrollable text view), and what a screen hands back to the
 * dispatcher (struct tui_next). The entry points are in app.c.
 */
#ifndef VMTUI_TUI_H
#define VMTUI_TUI_H

#include <sys/types.h>

#include <curses.h>
#include <wchar.h>
#include <stdbool.h>

#include "theme.h"

#define TUI_MIN_COLS	60
#define TUI_MIN_LINES	16
#define TUI_IDLE	(-3)	/* tui_getkey_within: no key in that time */

struct tui_key {
	const char	*key, *what;
};

int	 tui_start(const char *, char **);
void	 tui_stop(void);
attr_t	 tui_attr(enum theme_role);
int	 tui_getkey(void);
int	 tui_getkey_within(int);
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
bool	 tui_progress(const char *, const char *, int);
void	 tui_fill(WINDOW *, int, int, int, enum theme_role);
const char *tui_theme_note(void);

/*
 * What a screen asks for when it returns: the dispatcher (app.c) opens the
 * next screen, then comes back to the list. Screens never call each other.
 */
enum tui_go {
	TUI_BACK,	/* to the list */
	TUI_QUIT,	/* vmtui ends */
	TUI_NEW,	/* the wizard */
	TUI_EDIT,	/* the editor on file */
	TUI_LAUNCH,	/* the launch view on file: start the machine */
	TUI_ATTACH,	/* the launch view on file: the machine runs */
	TUI_SNAPSHOTS,	/* the snapshots of the machine in file */
};

struct tui_next {
	enum tui_go	 go;
	char		*file;		/* a profile, for EDIT, LAUNCH, ATTACH,
					   SNAPSHOTS */
	char		*select;	/* the machine the list shows next */
	int		 running;	/* QUIT: machines left running */
};

void	 tui_next_set(struct tui_next *, enum tui_go, const char *,
	     const char *);
void	 tui_next_clear(struct tui_next *);
void	 tui_child_left(pid_t);
void	 tui_reap(void);
int	 tui_quit_signal(void);

#endif
