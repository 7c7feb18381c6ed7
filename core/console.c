/*
 * console: libvterm parses and keeps the terminal's state (VTermState);
 * the cells live here, one array a line and the screen an array of line
 * pointers, so that scrolling moves pointers instead of copying the whole
 * screen for every line, as libvterm's own screen layer does (that cost
 * most of the time of a boot log flood). Lines that scroll off the top go
 * to a ring of at most "scrollback" lines, stored compactly (trailing
 * blanks dropped, slots reused) and brought back when the screen grows.
 * A row that the text wrapped out of is marked (it goes on below), so a
 * resize of the main screen reflows it: wrapped rows join into the lines
 * the guest wrote and are cut again at the new width, scrollback too.
 * The alternate screen is a second set of lines. Damage is kept as a
 * range of rows: the pane redraws those and no others. Bytes libvterm
 * wants to send (answers to queries, keys) collect in an output buffer.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vterm.h>

#include "buf.h"
#include "console.h"
#include "utf8.h"

#define CONSOLE_HELD	128	/* a longer CSI is dropped whole */
#define CONSOLE_LAST	6	/* libvterm's characters in a cell */
#define CONSOLE_ARGS	15	/* separators libvterm 0.1.4 keeps safely */
#define CONSOLE_STRING_MAX (64 * 1024)	/* a control string ends here */
#define CONSOLE_QUERY	4	/* DECRQSS: the bytes after DCS $ q kept */

/*
 * libvterm's parser states, as console_feed follows them; in FS_STRING
 * and FS_ESC_STRING (its ESC, maybe ST's) the bytes are the console's.
 */
enum { FS_NORMAL, FS_ESC, FS_CSI, FS_STRING, FS_ESC_STRING };

struct console_line {
	struct console_cell	*cells;
	int			 ncells;
	int			 room;		/* cells allocated */
	bool			 wrapped;	/* goes on in the next line */
};

struct console {
	VTerm			*vt;
	VTermState		*state;
	int			 rows, cols;
	struct console_cell	**lines;	/* the screen in use */
	struct console_cell	**main, **alt;
	struct console_cell	 pen;		/* what new cells look like */
	struct console_line	*ring;
	size_t			 size, start, count;
	int			 dmg_top, dmg_bottom;	/* -1: none */
	struct buf		 out;
	VTermPos		 cursor;
	bool			 cursor_visible;
	int			 fs;		/* the parser's state, mirrored */
	int			 esc_inter;	/* after ESC: its intermediate, -1
						   for several */
	char			 held[CONSOLE_HELD];	/* a CSI from its [ */
	size_t			 nheld;
	int			 csi_stage, csi_leader, csi_seps;
	bool			 csi_drop, csi_intermed;
	long			 csi_arg;	/* its first argument, capped */
	char			 str_kind;	/* P ] _ ^ X: DCS OSC APC PM SOS */
	size_t			 str_len;
	char			 str_head[2 + CONSOLE_QUERY];	/* DCS: $q.. */
	size_t			 str_nhead;
	char			 u8[6];		/* a UTF-8 sequence held back */
	int			 u8len, u8need;
	uint32_t		 u8cp;
	uint32_t		 last[CONSOLE_LAST];	/* the last glyph, for REP */
	int			 last_width;
	bool			 margins;	/* the guest set scroll margins */
	bool			*wrapped;	/* main screen: row goes on below */
	struct console_cell	*wrap_from;	/* a line filled to its end */
	bool			 mouse;		/* the guest asked for mouse reports */
};

static void
console_blank(const struct console *c, struct console_cell *cell)
{
	memset(cell, 0, sizeof *cell);
	cell->width = 1;
	cell->fg = -1;
	cell->bg = c->pen.bg;	/* erased cells take the pen's background */
}

static int16_t
console_colour(const VTermColor *col, bool fg)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(col) : VTERM_COLOR_IS_DEFAULT_BG(col))
		return -1;
	if (VTERM_COLOR_IS_INDEXED(col))
		return col->indexed.idx;
	/* an RGB colour: the nearest of the 6x6x6 cube */
	return (int16_t)(16 + 36 * (col->rgb.red * 5 / 255) +
	    6 * (col->rgb.green * 5 / 255) + col->rgb.blue * 5 / 255);
}

static void
console_mark(struct console *c, int top, int bottom)
{
	if (c->dmg_top == -1 || top < c->dmg_top)
		c->dmg_top = top;
	if (bottom > c->dmg_bottom)
		c->dmg_bottom = bottom;
}

static void
console_free_lines(struct console_cell **l, int rows)
{
	int	i;

	if (l == NULL)
		return;
	for (i = 0; i < rows; i++)
		free(l[i]);
	free(l);
}

static struct console_cell **
console_alloc_lines(int rows, int cols)
{
	struct console_cell	**l;
	int			  i;

	if ((l = calloc((size_t)rows, sizeof *l)) == NULL)
		return NULL;
	for (i = 0; i < rows; i++)
		if ((l[i] = calloc((size_t)cols, sizeof **l)) == NULL) {
			console_free_lines(l, i);
			return NULL;
		}
	return l;
}

static void
console_clear_line(struct console *c, struct console_cell *line, int from,
    int to)
{
	for (; from < to; from++)
		console_blank(c, &line[from]);
}

/*
 * A line into the ring, the oldest out: n cells of it (trailing blanks
 * dropped), and whether it goes on in the next.
 */
static void
console_push_n(struct console *c, const struct console_cell *cells, int n,
    bool wrapped)
{
	struct console_line	*l;

	if (c->size == 0)
		return;
	/* a line that goes on keeps its trailing blanks: they are text */
	while (!wrapped && n > 0 && cells[n - 1].ch == 0 &&
	    cells[n - 1].bg == -1)
		n--;
	if (c->count == c->size) {
		l = &c->ring[c->start];
		c->start = (c->start + 1) % c->size;
		c->count--;
	} else
		l = &c->ring[(c->start + c->count) % c->size];
	/* a slot's cells are reused: a flood allocates nothing per line */
	if (n > l->room) {
		struct console_cell *more = realloc(l->cells, (size_t)n *
		    sizeof *more);

		if (more == NULL)
			n = l->room;
		else {
			l->cells = more;
			l->room = n;
		}
	}
	if (n > 0)
		memcpy(l->cells, cells, (size_t)n * sizeof *cells);
	l->ncells = n;
	l->wrapped = wrapped;
	c->count++;
}



/* The newest scrolled-off line back into cells; false if there is none. */
static bool
console_pop(struct console *c, struct console_cell *cells, int cols)
{
	struct console_line	*l;
	int			 i;

	if (c->count == 0)
		return false;
	l = &c->ring[(c->start + c->count - 1) % c->size];
	for (i = 0; i < cols; i++) {
		if (i < l->ncells)
			cells[i] = l->cells[i];
		else
			console_blank(c, &cells[i]);
	}
	l->ncells = 0;
	c->count--;
	return true;
}

/* Whether r lies on the screen (libvterm's rects are trusted no further). */
static bool
console_inside(const struct console *c, VTermRect r)
{
	return r.start_row >= 0 && r.start_col >= 0 && r.end_row <= c->rows &&
	    r.end_col <= c->cols && r.start_row <= r.end_row &&
	    r.start_col <= r.end_col;
}

static int
console_on_glyph(VTermGlyphInfo *info, VTermPos pos, void *user)
{
	struct console		*c = user;
	struct console_cell	*cell;
	int			 i;

	if (info->width > 0) {
		for (i = 0; i < CONSOLE_LAST - 1 && info->chars[i] != 0; i++)
			c->last[i] = info->chars[i];
		c->last[i] = 0;
		c->last_width = info->width;
	}
	if (pos.row < 0 || pos.row >= c->rows || pos.col < 0 ||
	    pos.col >= c->cols)
		return 1;
	/*
	 * A line that ended at the last column and a glyph at the start of
	 * the one below, with no cursor move between: the line wrapped.
	 */
	if (pos.col == 0 && pos.row > 0 && c->wrap_from != NULL &&
	    c->lines == c->main && c->lines[pos.row - 1] == c->wrap_from)
		c->wrapped[pos.row - 1] = true;
	c->wrap_from = pos.col + (info->width > 1 ? info->width : 1) >=
	    c->cols ? c->lines[pos.row] : NULL;
	cell = &c->lines[pos.row][pos.col];
	*cell = c->pen;
	cell->ch = info->chars[0];
	cell->width = (uint8_t)(info->width > 0 ? info->width : 1);
	if (info->width == 2 && pos.col + 1 < c->cols) {
		c->lines[pos.row][pos.col + 1] = c->pen;
		c->lines[pos.row][pos.col + 1].ch = 0;
		c->lines[pos.row][pos.col + 1].width = 0;
	}
	console_mark(c, pos.row, pos.row);
	return 1;
}

static int
console_on_cursor(VTermPos pos, VTermPos old, int visible, void *user)
{
	struct console	*c = user;

	console_mark(c, old.row, old.row);
	console_mark(c, pos.row, pos.row);
	/* moved away from the end of the line it filled: no wrap there */
	if (c->wrap_from != NULL && (pos.col < c->cols - 2 ||
	    pos.row < 0 || pos.row >= c->rows ||
	    c->lines[pos.row] != c->wrap_from))
		c->wrap_from = NULL;
	c->cursor = pos;
	c->cursor_visible = visible != 0;
	return 1;
}

/*
 * Whole lines scrolling up or down: pointers move. Anything narrower, or
 * sideways, libvterm turns into moverect and erase.
 */
static int
console_on_scroll(VTermRect r, int down, int right, void *user)
{
	struct console		*c = user;
	struct console_cell	*tmp[512];
	int			 n, height = r.end_row - r.start_row, i;
	bool			 main;

	if (right != 0 || r.start_col != 0 || r.end_col != c->cols ||
	    height > (int)(sizeof tmp / sizeof tmp[0]) ||
	    !console_inside(c, r))
		return 0;
	n = down > 0 ? down : -down;
	main = c->lines == c->main && c->wrapped != NULL;
	if (n >= height) {
		for (i = r.start_row; i < r.end_row; i++) {
			console_clear_line(c, c->lines[i], 0, c->cols);
			if (main)
				c->wrapped[i] = false;
		}
		console_mark(c, r.start_row, r.end_row - 1);
		return 1;
	}
	if (down > 0) {
		/* up: the top lines leave; off the screen's top, to the ring */
		for (i = 0; i < n; i++) {
			tmp[i] = c->lines[r.start_row + i];
			if (r.start_row == 0 && main)
				console_push_n(c, tmp[i], c->cols,
				    c->wrapped[i]);
			console_clear_line(c, tmp[i], 0, c->cols);
		}
		memmove(&c->lines[r.start_row], &c->lines[r.start_row + n],
		    (size_t)(height - n) * sizeof *c->lines);
		memcpy(&c->lines[r.end_row - n], tmp, (size_t)n * sizeof *tmp);
		if (main) {
			memmove(&c->wrapped[r.start_row],
			    &c->wrapped[r.start_row + n], (size_t)(height - n) *
			    sizeof *c->wrapped);
			memset(&c->wrapped[r.end_row - n], 0, (size_t)n *
			    sizeof *c->wrapped);
		}
	} else {
		for (i = 0; i < n; i++) {
			tmp[i] = c->lines[r.end_row - n + i];
			console_clear_line(c, tmp[i], 0, c->cols);
		}
		memmove(&c->lines[r.start_row + n], &c->lines[r.start_row],
		    (size_t)(height - n) * sizeof *c->lines);
		memcpy(&c->lines[r.start_row], tmp, (size_t)n * sizeof *tmp);
		if (main) {
			memmove(&c->wrapped[r.start_row + n],
			    &c->wrapped[r.start_row], (size_t)(height - n) *
			    sizeof *c->wrapped);
			memset(&c->wrapped[r.start_row], 0, (size_t)n *
			    sizeof *c->wrapped);
		}
	}
	console_mark(c, r.start_row, r.end_row - 1);
	return 1;
}

static int
console_on_move(VTermRect dest, VTermRect src, void *user)
{
	struct console	*c = user;
	int		 h = src.end_row - src.start_row;
	int		 w = src.end_col - src.start_col, i, row;
	bool		 up = dest.start_row <= src.start_row;

	if (!console_inside(c, src) || !console_inside(c, dest) ||
	    dest.end_row - dest.start_row != h ||
	    dest.end_col - dest.start_col != w) {
		console_mark(c, 0, c->rows - 1);
		return 1;
	}
	for (i = 0; i < h; i++) {
		row = up ? i : h - 1 - i;
		memmove(&c->lines[dest.start_row + row][dest.start_col],
		    &c->lines[src.start_row + row][src.start_col],
		    (size_t)w * sizeof (struct console_cell));
	}
	console_mark(c, dest.start_row, dest.end_row - 1);
	return 1;
}

static int
console_on_erase(VTermRect r, int selective, void *user)
{
	struct console	*c = user;
	int		 row;

	(void)selective;
	if (r.start_row < 0)
		r.start_row = 0;
	if (r.start_col < 0)
		r.start_col = 0;
	for (row = r.start_row; row < r.end_row && row < c->rows; row++) {
		console_clear_line(c, c->lines[row], r.start_col,
		    r.end_col < c->cols ? r.end_col : c->cols);
		/* a line erased to its end does not go on in the next */
		if (r.end_col >= c->cols && c->lines == c->main &&
		    c->wrapped != NULL && row >= 0)
			c->wrapped[row] = false;
	}
	console_mark(c, r.start_row, r.end_row - 1);
	return 1;
}

static int
console_on_initpen(void *user)
{
	struct console	*c = user;

	memset(&c->pen, 0, sizeof c->pen);
	c->pen.fg = c->pen.bg = -1;
	c->pen.width = 1;
	return 1;
}

static int
console_on_pen(VTermAttr attr, VTermValue *val, void *user)
{
	struct console	*c = user;
	uint8_t		 bit = 0;

	switch (attr) {
	case VTERM_ATTR_BOLD:
		bit = CONSOLE_BOLD;
		break;
	case VTERM_ATTR_UNDERLINE:
		bit = CONSOLE_UNDERLINE;
		break;
	case VTERM_ATTR_ITALIC:
		bit = CONSOLE_ITALIC;
		break;
	case VTERM_ATTR_BLINK:
		bit = CONSOLE_BLINK;
		break;
	case VTERM_ATTR_REVERSE:
		bit = CONSOLE_REVERSE;
		break;
	case VTERM_ATTR_FOREGROUND:
		c->pen.fg = console_colour(&val->color, true);
		return 1;
	case VTERM_ATTR_BACKGROUND:
		c->pen.bg = console_colour(&val->color, false);
		return 1;
	default:
		return 1;
	}
	if (attr == VTERM_ATTR_UNDERLINE ? val->number != 0 : val->boolean)
		c->pen.attrs |= bit;
	else
		c->pen.attrs &= (uint8_t)~bit;
	return 1;
}

static int
console_on_prop(VTermProp prop, VTermValue *val, void *user)
{
	struct console	*c = user;
	int		 i;

	if (prop == VTERM_PROP_CURSORVISIBLE)
		c->cursor_visible = val->boolean != 0;
	else if (prop == VTERM_PROP_MOUSE)
		c->mouse = val->number != VTERM_PROP_MOUSE_NONE;
	else if (prop == VTERM_PROP_ALTSCREEN) {
		if (val->boolean && c->lines == c->main) {
			for (i = 0; i < c->rows; i++)
				console_clear_line(c, c->alt[i], 0, c->cols);
			c->lines = c->alt;
		} else if (!val->boolean)
			c->lines = c->main;
		console_mark(c, 0, c->rows - 1);
	}
	return 1;
}

/* Keep the lines that fit; what falls off the top goes to the ring. */
static struct console_cell **
console_resize_lines(struct console *c, struct console_cell **old, int rows,
    int cols, int keep_from, bool main)
{
	struct console_cell	**l;
	int			  i, j, from;

	if ((l = console_alloc_lines(rows, cols)) == NULL)
		return NULL;
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++)
			console_blank(c, &l[i][j]);
	for (i = 0; i < c->rows; i++) {
		if (i < keep_from) {
			if (main)
				console_push_n(c, old[i], c->cols,
				    c->wrapped[i]);
			continue;
		}
		from = i - keep_from;
		if (from >= rows)
			break;
		memcpy(l[from], old[i], (size_t)(cols < c->cols ? cols :
		    c->cols) * sizeof **l);
	}
	return l;
}

/* How many cells of a whole line from pos fit a row of cols. */
static int
console_cut(const struct console_line *l, int pos, int cols)
{
	int	cut = l->ncells - pos < cols ? l->ncells - pos : cols;

	/* a wide character does not straddle the edge */
	if (cut == cols && pos + cut < l->ncells &&
	    l->cells[pos + cut - 1].width == 2 && cut > 1)
		cut--;
	return cut;
}

/* The cells of a screen row worth keeping: to its end when it goes on. */
static int
console_row_len(const struct console *c, const struct console_cell *cells,
    bool wrapped)
{
	int	n = c->cols;

	if (wrapped)
		return n;
	while (n > 0 && cells[n - 1].ch == 0 && cells[n - 1].bg == -1)
		n--;
	return n;
}

/*
 * Reflow the main screen and its scrollback for a new width: rows that
 * wrapped are joined into the lines the guest wrote, and cut again at the
 * new width, so lines drawn while the pane was narrow are whole again
 * when it widens, and the scrollback keeps whole lines. The cursor stays
 * on the character it was on; the screen ends at its line (or below it,
 * where there is more). 0, or -1 (out of memory: nothing changed).
 */
static int
console_reflow(struct console *c, int rows, int cols, VTermPos *delta)
{
	struct console_line	*lines = NULL;	/* the whole lines */
	struct console_cell	**screen = NULL, *cells;
	bool			*wrapped = NULL;
	size_t			 nlines = 0, i, k, total, top, cur_line = 0;
	size_t			 cur_off = 0, n, cur_phys = 0, row;
	int			 last, r, len, cut, pos, cur_col = 0;
	bool			 open = false, ok = true, cur_found = false;

	/* the last screen row that holds something, the cursor's at least */
	for (last = c->rows - 1; last > c->cursor.row; last--)
		if (console_row_len(c, c->main[last], c->wrapped[last]) > 0)
			break;
	total = c->count + (size_t)last + 1;
	if ((lines = calloc(total + 1, sizeof *lines)) == NULL)
		return -1;
	/* join: the ring, oldest first, then the screen */
	for (i = 0; ok && i < total; i++) {
		const struct console_cell *src;
		bool w;

		if (i < c->count) {
			const struct console_line *l =
			    &c->ring[(c->start + i) % c->size];

			src = l->cells;
			len = l->ncells;
			w = l->wrapped;
		} else {
			r = (int)(i - c->count);
			src = c->main[r];
			w = c->wrapped[r];
			len = console_row_len(c, src, w);
			if (r == c->cursor.row) {
				cur_line = nlines;
				cur_off = (size_t)(open ?
				    lines[nlines].ncells : 0) +
				    (size_t)c->cursor.col;
			}
		}
		if (!open) {
			memset(&lines[nlines], 0, sizeof lines[nlines]);
			open = true;
		}
		/* room: cells allocated, doubled (one realloc a row would
		 * copy a long line's cells again for every row it took) */
		if (len > 0 && lines[nlines].ncells + len >
		    lines[nlines].room) {
			size_t want = lines[nlines].room > 0 ?
			    (size_t)lines[nlines].room : 256;

			while (want < (size_t)(lines[nlines].ncells + len))
				want *= 2;
			cells = want > INT_MAX ? NULL :
			    realloc(lines[nlines].cells, want * sizeof *cells);
			if (cells == NULL) {
				ok = false;
				break;
			}
			lines[nlines].cells = cells;
			lines[nlines].room = (int)want;
		}
		if (len > 0) {
			memcpy(lines[nlines].cells + lines[nlines].ncells, src,
			    (size_t)len * sizeof *cells);
			lines[nlines].ncells += len;
		}
		if (!w || i + 1 == total) {
			nlines++;
			open = false;
		}
	}
	if (open)
		nlines++;
	/* how many rows each line takes at the new width; the cursor's */
	for (i = 0, n = 0; ok && i < nlines; i++) {
		lines[i].room = 0;	/* rows, from here on */
		pos = 0;
		do {
			cut = console_cut(&lines[i], pos, cols);
			if (i == cur_line && (cur_off < (size_t)(pos + cut) ||
			    pos + cut >= lines[i].ncells) && !cur_found) {
				cur_phys = n;
				cur_col = (int)(cur_off - (size_t)pos);
				cur_found = true;
			}
			pos += cut;
			n++;
			lines[i].room++;
		} while (pos < lines[i].ncells);
	}
	if (cur_col >= cols)
		cur_col = cols - 1;
	top = n > (size_t)rows ? n - (size_t)rows : 0;
	if (cur_phys < top)
		top = cur_phys;
	if (ok && ((screen = console_alloc_lines(rows, cols)) == NULL ||
	    (wrapped = calloc((size_t)rows, sizeof *wrapped)) == NULL))
		ok = false;
	if (!ok) {
		for (i = 0; i < total + 1; i++)
			free(lines[i].cells);
		free(lines);
		console_free_lines(screen, rows);
		free(wrapped);
		return -1;
	}
	for (r = 0; r < rows; r++)
		console_clear_line(c, screen[r], 0, cols);
	/* cut again: rows above the screen to the ring, the rest on it */
	c->count = c->start = 0;
	for (i = 0, row = 0; i < nlines; i++) {
		for (pos = 0, k = 0; k < (size_t)lines[i].room; k++, row++) {
			cut = console_cut(&lines[i], pos, cols);
			if (row < top && lines[i].cells == NULL)
				console_push_n(c, NULL, 0, k + 1 <
				    (size_t)lines[i].room);
			else if (row < top)
				console_push_n(c, lines[i].cells + pos, cut,
				    k + 1 < (size_t)lines[i].room);
			else if (row - top < (size_t)rows) {
				if (cut > 0)
					memcpy(screen[row - top],
					    lines[i].cells + pos, (size_t)cut *
					    sizeof **screen);
				wrapped[row - top] = k + 1 <
				    (size_t)lines[i].room;
			}
			pos += cut;
		}
		free(lines[i].cells);
	}
	free(lines);
	console_free_lines(c->main, c->rows);
	free(c->wrapped);
	c->main = c->lines = screen;
	c->wrapped = wrapped;
	c->wrap_from = NULL;
	delta->row = (int)(cur_phys - top) - c->cursor.row;
	delta->col = cur_col - c->cursor.col;
	return 0;
}

static int
console_on_resize(int rows, int cols, VTermPos *delta, void *user)
{
	struct console		 *c = user;
	struct console_cell	**m = NULL, **a;
	bool			  on_alt = c->lines == c->alt, *w;
	int			  drop = 0, grow, i;

	/* the main screen in use: reflowed (the alternate one is cut) */
	if (!on_alt && (a = console_resize_lines(c, c->alt, rows, cols, 0,
	    false)) != NULL) {
		if (console_reflow(c, rows, cols, delta) == 0) {
			console_free_lines(c->alt, c->rows);
			c->alt = a;
			c->rows = rows;
			c->cols = cols;
			console_mark(c, 0, rows - 1);
			return 1;
		}
		console_free_lines(a, rows);
	}
	/* keep the cursor's line on the screen */
	if (c->cursor.row >= rows)
		drop = c->cursor.row - rows + 1;
	if ((w = calloc((size_t)rows, sizeof *w)) == NULL ||
	    (m = console_resize_lines(c, c->main, rows, cols, drop,
	    true)) == NULL ||
	    (a = console_resize_lines(c, c->alt, rows, cols, drop,
	    false)) == NULL) {
		free(w);
		console_free_lines(m, rows);
		return 1;
	}
	for (i = drop; i < c->rows && i - drop < rows; i++)
		w[i - drop] = c->wrapped[i] && cols >= c->cols;
	console_free_lines(c->main, c->rows);
	console_free_lines(c->alt, c->rows);
	free(c->wrapped);
	c->wrapped = w;
	c->main = m;
	c->alt = a;
	c->lines = on_alt ? a : m;
	c->wrap_from = NULL;
	delta->row -= drop;
	/* grown: lines come back from the ring, above what is there */
	grow = rows - (c->rows - drop);
	for (i = 0; !on_alt && i < grow && c->count > 0 &&
	    c->cursor.row - drop + i + 1 < rows; i++) {
		struct console_cell *last = c->main[rows - 1];

		memmove(&c->main[1], &c->main[0], (size_t)(rows - 1) *
		    sizeof *c->main);
		memmove(&c->wrapped[1], &c->wrapped[0], (size_t)(rows - 1) *
		    sizeof *c->wrapped);
		c->main[0] = last;
		c->wrapped[0] = false;
		console_pop(c, last, cols);
		delta->row++;
	}
	c->rows = rows;
	c->cols = cols;
	console_mark(c, 0, rows - 1);
	return 1;
}

static void
console_on_output(const char *s, size_t len, void *user)
{
	struct console	*c = user;

	buf_add(&c->out, s, len);
}

static const VTermStateCallbacks console_callbacks = {
	.putglyph = console_on_glyph,
	.movecursor = console_on_cursor,
	.scrollrect = console_on_scroll,
	.moverect = console_on_move,
	.erase = console_on_erase,
	.initpen = console_on_initpen,
	.setpenattr = console_on_pen,
	.settermprop = console_on_prop,
	.resize = console_on_resize,
};

struct console *
console_new(int rows, int cols, size_t scrollback)
{
	struct console	*c;
	int		 i, j;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	c->size = scrollback;
	c->rows = rows;
	c->cols = cols;
	c->dmg_top = c->dmg_bottom = -1;
	c->cursor_visible = true;
	console_on_initpen(c);
	buf_init(&c->out);
	if ((scrollback > 0 &&
	    (c->ring = calloc(scrollback, sizeof *c->ring)) == NULL) ||
	    (c->main = console_alloc_lines(rows, cols)) == NULL ||
	    (c->wrapped = calloc((size_t)rows, sizeof *c->wrapped)) == NULL ||
	    (c->alt = console_alloc_lines(rows, cols)) == NULL ||
	    (c->vt = vterm_new(rows, cols)) == NULL) {
		console_free(c);
		return NULL;
	}
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++) {
			console_blank(c, &c->main[i][j]);
			console_blank(c, &c->alt[i][j]);
		}
	c->lines = c->main;
	vterm_set_utf8(c->vt, 1);
	vterm_output_set_callback(c->vt, console_on_output, c);
	c->state = vterm_obtain_state(c->vt);
	vterm_state_set_callbacks(c->state, &console_callbacks, c);
	vterm_state_reset(c->state, 1);
	return c;
}

/*
 * A console that keeps no screen: the guest's bytes, guarded as
 * console_feed guards them (control strings swallowed whole, a CSI with
 * too many arguments dropped, UTF-8 whole or U+FFFD), go to libvterm's
 * parser and from it to cb (ttyfilter.c), with user.
 */
struct console *
console_new_parser(const VTermParserCallbacks *cb, void *user)
{
	struct console	*c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	buf_init(&c->out);
	c->dmg_top = c->dmg_bottom = -1;
	if ((c->vt = vterm_new(24, 80)) == NULL) {
		free(c);
		return NULL;
	}
	vterm_set_utf8(c->vt, 1);
	vterm_parser_set_callbacks(c->vt, cb, user);
	return c;
}

void
console_free(struct console *c)
{
	size_t	i;

	if (c == NULL)
		return;
	if (c->vt != NULL)
		vterm_free(c->vt);
	for (i = 0; c->ring != NULL && i < c->size; i++)
		free(c->ring[i].cells);
	free(c->ring);
	console_free_lines(c->main, c->rows);
	console_free_lines(c->alt, c->rows);
	free(c->wrapped);
	buf_free(&c->out);
	free(c);
}

static void
console_write(struct console *c, const char *p, size_t n)
{
	if (n > 0)
		vterm_input_write(c->vt, p, n);
}

/*
 * A UTF-8 sequence held back ends, whole or cut short. libvterm's decoder
 * would keep a cut sequence open across escape sequences and controls,
 * and give a C1 character (U+0080-U+009F) a width of -1 (a glyph moving
 * the cursor left, off the screen): either becomes U+FFFD.
 */
static void
console_u8_end(struct console *c, bool whole)
{
	if (c->u8len == 0)
		return;
	if (!whole || (c->u8cp >= 0x80 && c->u8cp < 0xa0))
		console_write(c, "\xef\xbf\xbd", 3);
	else
		console_write(c, c->u8, (size_t)c->u8len);
	c->u8len = 0;
}

/*
 * REP (ESC[Nb): the last glyph again, N times up to the line's end, fed as
 * text. libvterm 0.1.4 loops for ever on a REP before any glyph.
 */
static void
console_rep(struct console *c, long n)
{
	char	enc[CONSOLE_LAST * 4];
	size_t	len = 0;
	int	i;

	if (c->last_width <= 0)
		return;
	for (i = 0; i < CONSOLE_LAST && c->last[i] != 0; i++) {
		if (c->last[i] > 0x10ffff)
			return;
		len += utf8_put(c->last[i], enc + len);
	}
	if (n > c->cols - c->cursor.col)
		n = c->cols - c->cursor.col;
	for (; n > 0; n--)
		console_write(c, enc, len);
}

/*
 * libvterm 0.1.4 restores a saved cursor (ESC 8, the alternate screen's
 * end) where it was saved, outside a screen made smaller since. After a
 * CSI it bounds the cursor but does not say so (the cursor as reported
 * is bounded here likewise); after ESC 8 it does not bound it: moves
 * bring it in, as xterm's restore does.
 */
static void
console_clamp(struct console *c, bool moves)
{
	char	seq[32];

	if (c->state == NULL)	/* a parser only: no cursor of its own */
		return;
	if (c->cursor.col >= c->cols) {
		snprintf(seq, sizeof seq, "\033[%dD", c->cursor.col - c->cols + 1);
		if (moves)
			console_write(c, seq, strlen(seq));
		c->cursor.col = c->cols - 1;
	}
	if (c->cursor.row >= c->rows) {
		snprintf(seq, sizeof seq, "\033[%dA", c->cursor.row - c->rows + 1);
		if (moves)
			console_write(c, seq, strlen(seq));
		c->cursor.row = c->rows - 1;
	}
}

/*
 * DECALN (ESC # 8): every cell an E in the pen, the cursor where it is.
 * libvterm 0.1.4 draws it a glyph at a time through every callback: three
 * bytes cost ten times what erasing the screen costs, and a guest
 * repeating it pinned a CPU; here it is one pass over the cells.
 */
static void
console_decaln(struct console *c)
{
	struct console_cell	cell = c->pen;
	int			row, col;

	cell.ch = 'E';
	cell.width = 1;
	for (row = 0; row < c->rows; row++) {
		for (col = 0; col < c->cols; col++)
			c->lines[row][col] = cell;
		if (c->lines == c->main)
			c->wrapped[row] = false;
	}
	c->last[0] = 'E';
	c->last[1] = 0;
	c->last_width = 1;
	c->wrap_from = NULL;
	console_mark(c, 0, c->rows - 1);
}

/*
 * A CSI held back from its [ has ended with byte b (its final byte, or
 * one that cancels it). ESC was passed, so libvterm waits in its escape
 * state: CAN takes it back to text where a CSI goes no further.
 */
static void
console_csi_end(struct console *c, unsigned char b)
{
	char	ch = (char)b;

	c->fs = FS_NORMAL;
	if (c->csi_drop) {
		console_write(c, "\030", 1);
		return;
	}
	if ((b == 'r' || b == 's') && c->csi_leader == 0 && !c->csi_intermed)
		c->margins = true;
	if (b == 'b' && c->csi_leader == 0 && !c->csi_intermed) {
		console_write(c, "\030", 1);
		console_rep(c, c->csi_arg > 0 ? c->csi_arg : 1);
		return;
	}
	/* ESC[?7l, line wrap off (SeaBIOS, never undone): wrap stays on */
	if (b == 'l' && c->csi_leader == '?' && c->csi_seps == 0 &&
	    c->csi_arg == 7 && !c->csi_intermed)
		ch = 'h';
	console_write(c, c->held, c->nheld);
	console_write(c, &ch, 1);
	console_clamp(c, false);
}

/* A byte of a CSI: true when it ends the CSI. */
static bool
console_csi_byte(struct console *c, unsigned char b)
{
	if (c->nheld < sizeof c->held)
		c->held[c->nheld++] = (char)b;
	else
		c->csi_drop = true;
	if (c->csi_stage == 0 && b >= 0x3c && b <= 0x3f) {
		c->csi_leader = c->csi_leader == 0 ? b : -1;
		return false;
	}
	if (c->csi_stage <= 1) {
		c->csi_stage = 1;
		if (b >= '0' && b <= '9') {
			if (c->csi_seps == 0 && c->csi_arg < 1000000)
				c->csi_arg = (c->csi_arg < 0 ? 0 : c->csi_arg) *
				    10 + (b - '0');
			return false;
		}
		if (b == ';' || b == ':') {
			/* libvterm 0.1.4 writes past its 16 arguments */
			if (++c->csi_seps > CONSOLE_ARGS)
				c->csi_drop = true;
			return false;
		}
		c->csi_stage = 2;
	}
	if (b >= 0x20 && b <= 0x2f) {
		c->csi_intermed = true;
		return false;
	}
	c->nheld--;	/* the final byte, or an invalid one: not held */
	return true;
}

/*
 * A control string ends: DCS $ q (DECRQSS) that ended with ST or BEL is
 * answered as libvterm answers it (the query libvterm knows passed to it
 * alone, whole, in one piece; any other gets "not valid"); every other
 * string is dropped, as the pane shows no title.
 */
static void
console_string_end(struct console *c, bool terminated)
{
	static const char *const known[] = { "m", "r", "s", " q", "\"q" };
	char	 query[16];
	size_t	 i;

	c->fs = FS_NORMAL;
	if (!terminated || c->state == NULL || c->str_kind != 'P' ||
	    c->str_nhead < 2 ||
	    memcmp(c->str_head, "$q", 2) != 0)
		return;
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (c->str_nhead - 2 == strlen(known[i]) &&
		    memcmp(c->str_head + 2, known[i], c->str_nhead - 2) == 0) {
			snprintf(query, sizeof query, "\033P$q%s\033\\",
			    known[i]);
			console_write(c, query, strlen(query));
			return;
		}
	buf_puts(&c->out, "\033P0$r\033\\");
}

/*
 * A byte of a control string (c->fs is FS_STRING or FS_ESC_STRING):
 * true when it was the string's; false when the string has ended
 * without it (an ESC that is not ST's, which was passed on, or the cap)
 * and it is the byte's own.
 */
static bool
console_string_byte(struct console *c, unsigned char b)
{
	if (c->fs == FS_ESC_STRING) {
		if (b == '\\') {	/* ST */
			console_string_end(c, true);
			return true;
		}
		/* any other ESC ends the string and starts a sequence */
		console_string_end(c, false);
		console_write(c, "\033", 1);
		c->fs = FS_ESC;
		c->esc_inter = 0;
		return false;
	}
	if (b == 0x1b)
		c->fs = FS_ESC_STRING;
	else if (b == 0x07 || b == 0x18 || b == 0x1a)	/* BEL, CAN, SUB */
		console_string_end(c, b == 0x07);
	else if (++c->str_len > CONSOLE_STRING_MAX) {
		console_string_end(c, false);
		return false;
	} else if (c->str_kind == 'P' && b >= 0x20 && b < 0x7f) {
		if (c->str_nhead < sizeof c->str_head)
			c->str_head[c->str_nhead++] = (char)b;
		else
			c->str_head[0] = '\0';	/* too long for a query */
	}
	/* other controls inside a string are its own, as in a VT500 */
	return true;
}

/*
 * The guest's bytes, through a mirror of libvterm's parser states that
 * holds back what libvterm 0.1.4 gets wrong: a CSI until its end (REP is
 * done here; one with too many arguments is dropped; ESC[?7l, line wrap
 * off, becomes ESC[?7h), a UTF-8 sequence until it is whole, and control
 * strings (OSC, DCS, APC, PM, SOS) always: libvterm 0.1.4 over-reads its
 * input on an ESC and a control inside one, loses one cut between two
 * writes, runs the controls inside, and draws an APC's, PM's or SOS's
 * text. Every other byte passes as it came, in runs.
 */
void
console_feed(struct console *c, const char *p, size_t n)
{
	size_t		i, from = 0;
	unsigned char	b;

#define CONSOLE_FLUSH(to) do {						\
	console_write(c, p + from, (to) - from);			\
	from = (to);							\
} while (0)
	for (i = 0; i < n; i++) {
		b = (unsigned char)p[i];
		if (c->fs == FS_STRING || c->fs == FS_ESC_STRING) {
			CONSOLE_FLUSH(i);
			if (console_string_byte(c, b)) {
				from = i + 1;
				continue;
			}
		}
		if (b < 0x20 || b == 0x7f) {
			if (c->u8len > 0) {
				CONSOLE_FLUSH(i);
				console_u8_end(c, false);
			}
			/* a CSI that CAN, SUB or ESC cancels is not sent */
			if (b == 0x18 || b == 0x1a)
				c->fs = FS_NORMAL;
			else if (b == 0x1b) {
				c->fs = FS_ESC;
				c->esc_inter = 0;
			}
			continue;	/* controls pass, in a CSI too */
		}
		switch (c->fs) {
		case FS_CSI:
			CONSOLE_FLUSH(i);
			from = i + 1;
			if (console_csi_byte(c, b))
				console_csi_end(c, b);
			break;
		case FS_ESC:
			if (b == '[') {
				CONSOLE_FLUSH(i);
				from = i + 1;
				c->fs = FS_CSI;
				c->held[0] = '[';
				c->nheld = 1;
				c->csi_stage = c->csi_leader = c->csi_seps = 0;
				c->csi_drop = c->csi_intermed = false;
				c->csi_arg = -1;
			} else if (strchr("P]_^X", b) != NULL) {
				/* libvterm waits after ESC: CAN ends that */
				CONSOLE_FLUSH(i);
				from = i + 1;
				console_write(c, "\030", 1);
				c->fs = FS_STRING;
				c->str_kind = (char)b;
				c->str_len = c->str_nhead = 0;
			} else if (b >= 0x20 && b < 0x30) {
				c->esc_inter = c->esc_inter == 0 ? b : -1;
			} else if (b >= 0x30 && b < 0x7f) {
				c->fs = FS_NORMAL;
				if (b == '8' && c->esc_inter == 0) {	/* DECRC */
					CONSOLE_FLUSH(i + 1);
					console_clamp(c, true);
				} else if (b == '8' && c->esc_inter == '#' &&
				    c->state != NULL) {
					/* DECALN: libvterm waits after ESC #,
					 * CAN ends that */
					CONSOLE_FLUSH(i);
					from = i + 1;
					console_write(c, "\030", 1);
					console_decaln(c);
				}
			}
			break;
		default:	/* text */
			if (b < 0x80 || b >= 0xfe) {
				if (c->u8len > 0) {
					CONSOLE_FLUSH(i);
					console_u8_end(c, false);
				}
			} else if (b < 0xc0) {
				if (c->u8len == 0)
					break;	/* stray: libvterm's U+FFFD */
				c->u8[c->u8len++] = (char)b;
				c->u8cp = c->u8cp << 6 | (b & 0x3f);
				from = i + 1;
				if (--c->u8need == 0)
					console_u8_end(c, true);
			} else {
				CONSOLE_FLUSH(i);
				console_u8_end(c, false);
				from = i + 1;
				c->u8[0] = (char)b;
				c->u8len = 1;
				c->u8need = b < 0xe0 ? 1 : b < 0xf0 ? 2 :
				    b < 0xf8 ? 3 : b < 0xfc ? 4 : 5;
				c->u8cp = (uint32_t)b & (0x3fu >> c->u8need);
			}
			break;
		}
	}
	CONSOLE_FLUSH(n);
#undef CONSOLE_FLUSH
}

/* Take up to len bytes the terminal owes the guest; how many. */
size_t
console_output(struct console *c, char *p, size_t len)
{
	size_t	n = c->out.len < len ? c->out.len : len;

	if (n == 0)
		return 0;
	memcpy(p, c->out.data, n);
	memmove(c->out.data, c->out.data + n, c->out.len - n);
	c->out.len -= n;
	return n;
}

/* The rows changed since the last call, top to bottom; false if none. */
bool
console_damage(struct console *c, int *top, int *bottom)
{
	if (c->dmg_top == -1)
		return false;
	*top = c->dmg_top < 0 ? 0 : c->dmg_top;
	*bottom = c->dmg_bottom >= c->rows ? c->rows - 1 : c->dmg_bottom;
	c->dmg_top = c->dmg_bottom = -1;
	return true;
}

/*
 * After a resize, margins the guest set go (as xterm's do): libvterm 0.1.4
 * cuts the bottom one to the new size but not the top, and its next
 * scroll moves a negative number of lines. The cursor stays (DECSC/DECRC);
 * CAN first, so that a sequence half-read does not take these bytes, and
 * then ESC again for the one console_feed is holding.
 */
static void
console_reset_margins(struct console *c)
{
	static const char reset[] = "\030\0337\033[r\033[s\0338";

	if (!c->margins)
		return;
	c->margins = false;
	vterm_input_write(c->vt, reset, sizeof reset - 1);
	if (c->fs == FS_CSI || c->fs == FS_ESC)
		vterm_input_write(c->vt, "\033", 1);
	/* a control string is the console's: libvterm knows nothing of it */
}

void
console_resize(struct console *c, int rows, int cols)
{
	if (rows < 1 || cols < 1)
		return;
	vterm_set_size(c->vt, rows, cols);	/* our resize callback runs */
	console_reset_margins(c);
	console_mark(c, 0, c->rows - 1);
}

void
console_size(const struct console *c, int *rows, int *cols)
{
	*rows = c->rows;
	*cols = c->cols;
}

/*
 * The cell at row, col of a view scrolled back by offset lines: rows above
 * the live screen come from the scrollback, newest first.
 */
void
console_cell(const struct console *c, int row, int col, size_t offset,
    struct console_cell *out)
{
	const struct console_line	*l;
	long				 line = (long)row - (long)offset;
	size_t				 back;

	memset(out, 0, sizeof *out);
	out->fg = out->bg = -1;
	out->width = 1;
	if (col < 0 || col >= c->cols)
		return;
	if (line >= 0) {
		if (line < c->rows)
			*out = c->lines[line][col];
		return;
	}
	/* the view is scrolled back: the main screen's history */
	back = (size_t)(-line);		/* 1: the newest scrolled-off line */
	if (back > c->count)
		return;
	l = &c->ring[(c->start + c->count - back) % c->size];
	if (col < l->ncells)
		*out = l->cells[col];
}

void
console_cursor(const struct console *c, int *row, int *col, bool *visible)
{
	*row = c->cursor.row;
	*col = c->cursor.col;
	*visible = c->cursor_visible;
}

size_t
console_scrollback(const struct console *c)
{
	return c->count;
}

/*
 * Search back for text: the newest line above line from that holds it.
 * Lines are numbered as the view shows them: 0 to rows - 1 the screen,
 * -1 the newest line of the scrollback, -count the oldest. 0 and the
 * line in *found, or -1 when no older line holds it.
 */
int
console_find(const struct console *c, const char *text, long from,
    long *found)
{
	struct console_cell	 cell;
	char			*line;
	long			 l;
	size_t			 n, need = strlen(text);
	int			 col, r = -1;

	if (need == 0 || (line = malloc((size_t)c->cols * 4 + 1)) == NULL)
		return -1;
	if (from > c->rows)
		from = c->rows;
	for (l = from - 1; l >= -(long)c->count && r != 0; l--) {
		for (col = 0, n = 0; col < c->cols; col++) {
			/* line l: a screen row, or row 0 scrolled back -l */
			if (l >= 0)
				console_cell(c, (int)l, col, 0, &cell);
			else
				console_cell(c, 0, col, (size_t)-l, &cell);
			if (cell.width == 0)
				continue;
			n += utf8_put(cell.ch >= 32 ? cell.ch : ' ',
			    line + n);
		}
		line[n] = '\0';
		if (strstr(line, text) != NULL) {
			*found = l;
			r = 0;
		}
	}
	free(line);
	return r;
}

/* A typed character, as the guest's terminal would send it. */
void
console_unichar(struct console *c, uint32_t ch, bool ctrl)
{
	vterm_keyboard_unichar(c->vt, ch, ctrl ? VTERM_MOD_CTRL :
	    VTERM_MOD_NONE);
}

/* Whether the guest asked for mouse reports (ESC[?1000h and kin). */
bool
console_mouse(const struct console *c)
{
	return c->mouse;
}

/*
 * A mouse button (1-3, 4 and 5 the wheel) pressed or released at a cell,
 * reported to the guest as it asked (libvterm writes the encoding).
 */
void
console_mouse_button(struct console *c, int row, int col, int button,
    bool pressed)
{
	if (!c->mouse)
		return;
	vterm_mouse_move(c->vt, row, col, VTERM_MOD_NONE);
	vterm_mouse_button(c->vt, button, pressed, VTERM_MOD_NONE);
}

/*
 * A paste begins or ends: the markers (ESC[200~, ESC[201~) go out only
 * when the guest asked for bracketed paste (ESC[?2004h).
 */
void
console_paste(struct console *c, bool start)
{
	if (start)
		vterm_keyboard_start_paste(c->vt);
	else
		vterm_keyboard_end_paste(c->vt);
}

void
console_key(struct console *c, enum console_key k, int mods)
{
	static const VTermKey keys[] = {
		[CONSOLE_KEY_ENTER] = VTERM_KEY_ENTER,
		[CONSOLE_KEY_TAB] = VTERM_KEY_TAB,
		[CONSOLE_KEY_BACKSPACE] = VTERM_KEY_BACKSPACE,
		[CONSOLE_KEY_ESCAPE] = VTERM_KEY_ESCAPE,
		[CONSOLE_KEY_UP] = VTERM_KEY_UP,
		[CONSOLE_KEY_DOWN] = VTERM_KEY_DOWN,
		[CONSOLE_KEY_LEFT] = VTERM_KEY_LEFT,
		[CONSOLE_KEY_RIGHT] = VTERM_KEY_RIGHT,
		[CONSOLE_KEY_INS] = VTERM_KEY_INS,
		[CONSOLE_KEY_DEL] = VTERM_KEY_DEL,
		[CONSOLE_KEY_HOME] = VTERM_KEY_HOME,
		[CONSOLE_KEY_END] = VTERM_KEY_END,
		[CONSOLE_KEY_PAGEUP] = VTERM_KEY_PAGEUP,
		[CONSOLE_KEY_PAGEDOWN] = VTERM_KEY_PAGEDOWN,
	};

	VTermModifier	m = VTERM_MOD_NONE;

	if (mods & CONSOLE_MOD_SHIFT)
		m |= VTERM_MOD_SHIFT;
	if (mods & CONSOLE_MOD_ALT)
		m |= VTERM_MOD_ALT;
	if (mods & CONSOLE_MOD_CTRL)
		m |= VTERM_MOD_CTRL;
	if ((int)k >= CONSOLE_KEY_F1 && (int)k < CONSOLE_KEY_F1 + 12)
		vterm_keyboard_key(c->vt, VTERM_KEY_FUNCTION(k -
		    CONSOLE_KEY_F1 + 1), m);
	else if ((size_t)k < sizeof keys / sizeof keys[0] && keys[k] != 0)
		vterm_keyboard_key(c->vt, keys[k], m);
}
