/*
 * pane: the guest's console drawn in a part of the screen. The console
 * model keeps the guest's screen, at least 80x24 (PANE_MIN_COLS,
 * PANE_MIN_ROWS) and as big as the pane beyond that: a serial guest
 * draws for 80x24 whatever it is shown in (the Debian installer's
 * 72-column dialogs), so a narrower pane would wrap its lines into
 * garbage. A pane smaller than the guest's screen shows the part around
 * the cursor, moving only when the cursor leaves it, and pane_clipped
 * says which part. Only the rows that changed are drawn, every row after
 * a move or a resize. Cells become curses cells in the guest's colours
 * (the nearest this terminal has, a pair made for each pair in use).
 * Keys become the bytes a terminal sends; the mouse goes to a guest that
 * asked for it, else the wheel scrolls back; the scrollback has its own
 * keys and a search.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "pane.h"
#include "termkeys.h"

/* The RGB of an xterm colour index (0-255), for the nearest match. */
static void
pane_rgb(int idx, int *r, int *g, int *b)
{
	static const unsigned char basic[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 },
		{ 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
		{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 },
		{ 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (idx < 16) {
		*r = basic[idx][0];
		*g = basic[idx][1];
		*b = basic[idx][2];
	} else if (idx < 232) {
		*r = level[(idx - 16) / 36];
		*g = level[(idx - 16) / 6 % 6];
		*b = level[(idx - 16) % 6];
	} else
		*r = *g = *b = 8 + 10 * (idx - 232);
}

/*
 * A guest's colour (an xterm index; true colour arrives as the nearest of
 * the 256) as the nearest this terminal has: itself with 256 colours,
 * else the nearest of its 16 or 8.
 */
static int
pane_colour(int idx)
{
	int	n = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8, i, best = 0;
	int	r, g, b, r2, g2, b2;
	long	d, bestd = -1;

	if (idx < 0 || idx < n)
		return idx;
	pane_rgb(idx, &r, &g, &b);
	for (i = 0; i < n; i++) {
		pane_rgb(i, &r2, &g2, &b2);
		d = (long)(r - r2) * (r - r2) + (long)(g - g2) * (g - g2) +
		    (long)(b - b2) * (b - b2);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/*
 * A console cell's attributes for curses, and its colour pair (made on
 * demand, one per fg/bg in use; none without colours).
 */
static attr_t
pane_cell_attr(struct pane *p, const struct console_cell *c, short *pair)
{
	int	fg = pane_colour(c->fg), bg = pane_colour(c->bg), k;
	attr_t	a = A_NORMAL;

	*pair = 0;
	if (tui_has_colour() && (fg != -1 || bg != -1)) {
		if (p->pairs == NULL)
			p->pairs = calloc(257 * 257, sizeof *p->pairs);
		if (p->next_pair == 0)
			p->next_pair = THEME_NROLES + 1;
		k = (fg + 1) * 257 + (bg + 1);
		if (p->pairs != NULL && p->pairs[k] == 0 &&
		    p->next_pair < COLOR_PAIRS && p->next_pair < SHRT_MAX &&
		    init_pair((short)p->next_pair, (short)fg, (short)bg) == OK)
			p->pairs[k] = (short)p->next_pair++;
		if (p->pairs != NULL)
			*pair = p->pairs[k];
	}
	if (c->attrs & CONSOLE_BOLD)
		a |= A_BOLD;
	if (c->attrs & CONSOLE_UNDERLINE)
		a |= A_UNDERLINE;
	if (c->attrs & CONSOLE_REVERSE)
		a |= A_REVERSE;
	if (c->attrs & CONSOLE_BLINK)
		a |= A_BLINK;
	if (c->attrs & CONSOLE_ITALIC)
		a |= A_ITALIC;
	return a;
}

/* The guest's row (of the screen, or offset lines back) on its pane row. */
static void
pane_draw_row(struct pane *p, int row)
{
	struct console_cell	c;
	cchar_t			cc;
	wchar_t			wc[2];
	attr_t			a;
	short			pair;
	int			col, x;

	for (x = 0; x < p->cols; x++) {
		col = p->vx + x;
		console_cell(p->con, row, col, p->offset, &c);
		/* a wide glyph cut at the left edge: a blank in its place */
		if (c.width == 0 && x > 0)
			continue;
		wc[0] = c.ch >= 32 && c.width != 0 ? (wchar_t)c.ch : L' ';
		if (c.width == 2 && x == p->cols - 1)
			wc[0] = L' ';	/* nor one cut at the right */
		wc[1] = L'\0';
		/* the pair goes to setcchar: it overrides colour bits */
		a = pane_cell_attr(p, &c, &pair);
		setcchar(&cc, wc, a, pair, NULL);
		mvadd_wch(p->y0 + row - p->vy, p->x0 + x, &cc);
	}
}

/*
 * The terminal as the pane takes its keys (on) or as the screens do. Raw:
 * Ctrl-C, Ctrl-Z and Ctrl-\ are the guest's keys. Bracketed paste: a
 * paste arrives between markers (PANE_PASTE_BEGIN, _END), the guest gets
 * them only if it asked (console_paste), and the escape key inside a
 * paste is text, not a command. The wheel scrolls; clicks go to a guest
 * that asks for them.
 */
void
pane_input(bool on)
{
	static mmask_t	 old;
	char		*cap = tigetstr(on ? "BE" : "BD");

	if (cap != NULL && cap != (char *)-1) {
		putp(cap);
		fflush(stdout);
		define_key("\033[200~", on ? PANE_PASTE_BEGIN : 0);
		define_key("\033[201~", on ? PANE_PASTE_END : 0);
	}
	if (on) {
		raw();
		timeout(0);
		mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED |
		    BUTTON2_PRESSED | BUTTON2_RELEASED | BUTTON3_PRESSED |
		    BUTTON3_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED, &old);
		mouseinterval(0);
	} else {
		mousemask(old, NULL);
		noraw();
		cbreak();
		timeout(200);
		curs_set(0);
	}
}

/*
 * The pane's place and size on the screen; the guest's screen follows
 * it, never below 80x24.
 */
void
pane_place(struct pane *p, int y0, int x0, int rows, int cols)
{
	int	mrows, mcols;

	p->y0 = y0;
	p->x0 = x0;
	p->rows = rows > 1 ? rows : 1;
	p->cols = cols > 1 ? cols : 1;
	p->full = true;
	if (p->con == NULL)
		return;
	mrows = p->rows > PANE_MIN_ROWS ? p->rows : PANE_MIN_ROWS;
	mcols = p->cols > PANE_MIN_COLS ? p->cols : PANE_MIN_COLS;
	console_resize(p->con, mrows, mcols);
}

/* A new guest screen (a new boot) at the pane's size; -1 out of memory. */
int
pane_reset(struct pane *p, size_t scrollback)
{
	int	rows = p->rows > PANE_MIN_ROWS ? p->rows : PANE_MIN_ROWS;
	int	cols = p->cols > PANE_MIN_COLS ? p->cols : PANE_MIN_COLS;

	console_free(p->con);
	p->con = console_new(rows, cols, scrollback);
	p->offset = 0;
	p->scrolling = false;
	p->vy = p->vx = 0;
	p->full = true;
	return p->con != NULL ? 0 : -1;
}

/*
 * Where the pane starts so that the cursor is inside it: as little further
 * as it takes. Across (home), when the cursor goes before the near edge
 * and fits from the line's start, back to the start, where prompts and
 * text begin; rows stay as little moved as it takes, the newest lines in
 * view.
 */
static int
pane_pan(int at, int cursor, int size, int total, bool home)
{
	if (cursor < at)
		at = home && cursor < size ? 0 : cursor;
	else if (cursor >= at + size)
		at = cursor - size + 1;
	if (at > total - size)
		at = total - size;
	return at > 0 ? at : 0;
}

/* The rows that changed (all of them after a move or a resize). */
void
pane_draw(struct pane *p)
{
	int	mrows, mcols, top, bottom, row, col, vy, vx;
	bool	vis;

	if (p->con == NULL)
		return;
	console_size(p->con, &mrows, &mcols);
	console_cursor(p->con, &row, &col, &vis);
	vy = pane_pan(p->vy, row, p->rows, mrows, false);
	vx = pane_pan(p->vx, col, p->cols, mcols, true);
	if (vy != p->vy || vx != p->vx || p->offset > 0) {
		p->vy = vy;
		p->vx = vx;
		p->full = true;
	}
	if (p->full) {
		top = 0;
		bottom = mrows - 1;
		while (console_damage(p->con, &row, &row))
			;
		p->full = false;
	} else if (!console_damage(p->con, &top, &bottom))
		return;
	if (top < p->vy)
		top = p->vy;
	if (bottom > p->vy + p->rows - 1)
		bottom = p->vy + p->rows - 1;
	for (row = top; row <= bottom; row++)
		pane_draw_row(p, row);
}

/* The terminal's cursor where the guest's is (live: not scrolled back). */
void
pane_cursor(const struct pane *p, bool live)
{
	int	row, col;
	bool	vis;

	if (p->con == NULL || !live || p->offset > 0) {
		curs_set(0);
		return;
	}
	console_cursor(p->con, &row, &col, &vis);
	if (row < p->vy || row >= p->vy + p->rows || col < p->vx ||
	    col >= p->vx + p->cols) {
		curs_set(0);
		return;
	}
	curs_set(vis ? 1 : 0);
	move(p->y0 + row - p->vy, p->x0 + col - p->vx);
}

/*
 * When the pane is smaller than the guest's screen: true, and which part
 * it shows, in words.
 */
bool
pane_clipped(const struct pane *p, char *note, size_t len)
{
	int	mrows, mcols;

	if (p->con == NULL)
		return false;
	console_size(p->con, &mrows, &mcols);
	if (p->rows >= mrows && p->cols >= mcols)
		return false;
	snprintf(note, len, "showing cols %d-%d, rows %d-%d of %dx%d",
	    p->vx + 1, p->vx + p->cols, p->vy + 1, p->vy + p->rows, mcols,
	    mrows);
	return true;
}

/*
 * A key for the guest, as a terminal sends it: every key, Esc, F-keys and
 * Ctrl-C included. Keys with Shift, Ctrl or Alt carry their modifiers, as
 * xterm writes them. A control character is handed back (the caller
 * sends it as it is); else -1, the bytes wait in the model's output.
 */
int
pane_key(struct pane *p, int r, wint_t wc)
{
	static const struct {
		int			curses;
		enum console_key	key;
		int			mods;
	} map[] = {
		{ KEY_UP, CONSOLE_KEY_UP, 0 }, { KEY_DOWN, CONSOLE_KEY_DOWN, 0 },
		{ KEY_LEFT, CONSOLE_KEY_LEFT, 0 },
		{ KEY_RIGHT, CONSOLE_KEY_RIGHT, 0 },
		{ KEY_HOME, CONSOLE_KEY_HOME, 0 }, { KEY_END, CONSOLE_KEY_END, 0 },
		{ KEY_IC, CONSOLE_KEY_INS, 0 }, { KEY_DC, CONSOLE_KEY_DEL, 0 },
		{ KEY_PPAGE, CONSOLE_KEY_PAGEUP, 0 },
		{ KEY_NPAGE, CONSOLE_KEY_PAGEDOWN, 0 },
		{ KEY_BACKSPACE, CONSOLE_KEY_BACKSPACE, 0 },
		{ KEY_ENTER, CONSOLE_KEY_ENTER, 0 },
		{ KEY_BTAB, CONSOLE_KEY_TAB, CONSOLE_MOD_SHIFT },
		{ KEY_SR, CONSOLE_KEY_UP, CONSOLE_MOD_SHIFT },
		{ KEY_SF, CONSOLE_KEY_DOWN, CONSOLE_MOD_SHIFT },
		{ KEY_SLEFT, CONSOLE_KEY_LEFT, CONSOLE_MOD_SHIFT },
		{ KEY_SRIGHT, CONSOLE_KEY_RIGHT, CONSOLE_MOD_SHIFT },
		{ KEY_SHOME, CONSOLE_KEY_HOME, CONSOLE_MOD_SHIFT },
		{ KEY_SEND, CONSOLE_KEY_END, CONSOLE_MOD_SHIFT },
		{ KEY_SDC, CONSOLE_KEY_DEL, CONSOLE_MOD_SHIFT },
		{ KEY_SPREVIOUS, CONSOLE_KEY_PAGEUP, CONSOLE_MOD_SHIFT },
		{ KEY_SNEXT, CONSOLE_KEY_PAGEDOWN, CONSOLE_MOD_SHIFT },
	};
	static const enum console_key pane_termkeys[TERMKEY_N] = {
		CONSOLE_KEY_UP, CONSOLE_KEY_DOWN, CONSOLE_KEY_LEFT,
		CONSOLE_KEY_RIGHT, CONSOLE_KEY_HOME, CONSOLE_KEY_END,
		CONSOLE_KEY_INS, CONSOLE_KEY_DEL, CONSOLE_KEY_PAGEUP,
		CONSOLE_KEY_PAGEDOWN
	};
	_Static_assert(TERMKEY_SHIFT == CONSOLE_MOD_SHIFT && TERMKEY_ALT ==
	    CONSOLE_MOD_ALT && TERMKEY_CTRL == CONSOLE_MOD_CTRL,
	    "xterm's modifier bits are the console's");
	enum termkey	tk;
	size_t		i;
	int		f, mods;

	if (r == KEY_CODE_YES) {
		for (i = 0; i < sizeof map / sizeof map[0]; i++)
			if (map[i].curses == (int)wc)
				console_key(p->con, map[i].key, map[i].mods);
		/* Ctrl, Alt and their mixes, as the terminal's terminfo has them */
		if (termkeys_find((int)wc, &tk, &mods) == 0)
			console_key(p->con, pane_termkeys[tk], mods);
		/* F1-F12, and F13-F24 as terminfo names Shift-F1-F12 */
		f = (int)wc - KEY_F(1);
		if (f >= 0 && f < 24)
			console_key(p->con, (enum console_key)(CONSOLE_KEY_F1 +
			    f % 12), f >= 12 ? CONSOLE_MOD_SHIFT : 0);
	} else if (wc < 32 || wc == 127)
		return (int)wc;		/* Esc, Ctrl-C, Ctrl-a: as they are */
	else
		console_unichar(p->con, (uint32_t)wc, false);
	return -1;
}

/* Scrollback mode, half a pane back to begin with. */
void
pane_scroll(struct pane *p)
{
	p->scrolling = true;
	p->offset = (size_t)p->rows / 2;
	if (p->offset > console_scrollback(p->con))
		p->offset = console_scrollback(p->con);
	p->full = true;
}

/*
 * Search back through the screen and the scrollback (/), or again from
 * where the last search stopped (n); the line found goes to the top.
 */
static void
pane_search(struct pane *p, bool again)
{
	char	*text;
	long	 from, l;

	if (!again || p->search[0] == '\0') {
		if ((text = tui_prompt("search back for:", p->search, false)) ==
		    NULL)
			return;
		snprintf(p->search, sizeof p->search, "%s", text);
		free(text);
		from = p->offset > 0 ? -(long)p->offset : p->vy + p->rows;
	} else
		from = p->found;
	if (console_find(p->con, p->search, from, &l) != 0) {
		tui_message(true, "\"%s\" is not further back", p->search);
		return;
	}
	p->found = l;
	p->offset = l < 0 ? (size_t)-l : 0;
	tui_message(false, "\"%s\" found; n searches on", p->search);
}

/* Scrollback mode: keys move through the scrollback; true when taken. */
bool
pane_scroll_key(struct pane *p, int r, wint_t wc)
{
	size_t	max = console_scrollback(p->con), half = (size_t)p->rows / 2;

	if (!p->scrolling)
		return false;
	if ((r == KEY_CODE_YES && wc == KEY_UP) || (r == OK && wc == 'k'))
		p->offset++;
	else if ((r == KEY_CODE_YES && wc == KEY_DOWN) ||
	    (r == OK && wc == 'j'))
		p->offset = p->offset > 0 ? p->offset - 1 : 0;
	else if (r == KEY_CODE_YES && (wc == KEY_PPAGE || wc == KEY_SPREVIOUS))
		p->offset += half;
	else if (r == KEY_CODE_YES && (wc == KEY_NPAGE || wc == KEY_SNEXT))
		p->offset = p->offset > half ? p->offset - half : 0;
	else if ((r == KEY_CODE_YES && wc == KEY_HOME) || (r == OK &&
	    wc == 'g'))
		p->offset = max;
	else if ((r == KEY_CODE_YES && wc == KEY_END) || (r == OK &&
	    wc == 'G'))
		p->offset = 0;
	else if (r == OK && (wc == '/' || wc == 'n'))
		pane_search(p, wc == 'n');
	else if (r == OK && (wc == 'q' || wc == 27)) {
		p->scrolling = false;
		p->offset = 0;
	}
	if (p->offset > max)
		p->offset = max;
	p->full = true;
	return true;
}

/*
 * The mouse over the pane: to a guest that asked for mouse reports
 * (live: not in scrollback mode; 1, the report waits in the model's
 * output); else the wheel scrolls the scrollback, three lines a notch,
 * and scrolling down to the end leaves scrollback mode (0). -1: not over
 * the pane.
 */
int
pane_mouse(struct pane *p, bool live)
{
	static const struct {
		mmask_t	mask;
		int	button;
		bool	pressed;
	} map[] = {
		{ BUTTON1_PRESSED, 1, true }, { BUTTON1_RELEASED, 1, false },
		{ BUTTON2_PRESSED, 2, true }, { BUTTON2_RELEASED, 2, false },
		{ BUTTON3_PRESSED, 3, true }, { BUTTON3_RELEASED, 3, false },
		{ BUTTON4_PRESSED, 4, true }, { BUTTON5_PRESSED, 5, true },
	};
	MEVENT	ev;
	size_t	i, max;
	int	row, col;

	if (getmouse(&ev) != OK || p->con == NULL)
		return -1;
	row = ev.y - p->y0;
	col = ev.x - p->x0;
	if (row < 0 || row >= p->rows || col < 0 || col >= p->cols)
		return -1;
	if (live && console_mouse(p->con) && !p->scrolling) {
		for (i = 0; i < sizeof map / sizeof map[0]; i++)
			if (ev.bstate & map[i].mask)
				console_mouse_button(p->con, p->vy + row,
				    p->vx + col, map[i].button,
				    map[i].pressed);
		return 1;
	}
	max = console_scrollback(p->con);
	if (ev.bstate & BUTTON4_PRESSED) {
		p->scrolling = true;
		p->offset = p->offset + 3 < max ? p->offset + 3 : max;
	} else if (ev.bstate & BUTTON5_PRESSED) {
		p->offset = p->offset > 3 ? p->offset - 3 : 0;
		if (p->offset == 0)
			p->scrolling = false;
	}
	p->full = true;
	return 0;
}

void
pane_free(struct pane *p)
{
	console_free(p->con);
	free(p->pairs);
	p->con = NULL;
	p->pairs = NULL;
}
