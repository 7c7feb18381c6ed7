/*
 * pane: a guest's serial console in a part of the screen, drawn from the
 * console model (core/console.c). The guest's screen is at least
 * PANE_MIN_COLS x PANE_MIN_ROWS whatever the pane's size: a serial guest
 * never learns the pane's size and draws for 80x24. A pane smaller than
 * that shows the part around the cursor (it pans as the cursor moves) and
 * says which part. Keys, the mouse and the scrollback go through it too.
 */
#ifndef VMTUI_PANE_H
#define VMTUI_PANE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui.h"

#define PANE_MIN_ROWS	24
#define PANE_MIN_COLS	80
#define PANE_PASTE_BEGIN (KEY_MAX + 1)	/* the terminal's ESC[200~ */
#define PANE_PASTE_END	(KEY_MAX + 2)	/* ESC[201~ */

struct console;

struct pane {
	struct console	*con;
	int		 y0, x0;	/* its top left on the screen */
	int		 rows, cols;	/* its size on the screen */
	int		 vy, vx;	/* the guest's cell at its top left */
	size_t		 offset;	/* lines scrolled back */
	bool		 scrolling;	/* keys move through the scrollback */
	bool		 full;		/* every row to be drawn again */
	char		 search[128];	/* the scrollback's last search */
	long		 found;		/* the line it was found on */
	short		*pairs;		/* (fg + 1) * 257 + bg + 1: a pair */
	int		 next_pair;
};

void	 pane_input(bool);
void	 pane_place(struct pane *, int, int, int, int);
int	 pane_reset(struct pane *, size_t);
void	 pane_draw(struct pane *);
void	 pane_cursor(const struct pane *, bool);
bool	 pane_clipped(const struct pane *, char *, size_t);
int	 pane_key(struct pane *, int, wint_t);
void	 pane_scroll(struct pane *);
bool	 pane_scroll_key(struct pane *, int, wint_t);
int	 pane_mouse(struct pane *, bool);
void	 pane_free(struct pane *);

#endif
