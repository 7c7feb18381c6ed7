/*
 * console: libvterm does the terminal; this file keeps what libvterm hands
 * out. Lines that scroll off the top go to a ring of at most "scrollback"
 * lines, stored compactly (a code point, colours and attributes a cell,
 * trailing blanks dropped) so a full scrollback stays small; they come
 * back when the screen grows. Damage is kept as a range of rows: the pane
 * redraws those and no others. Bytes libvterm wants to send (answers to
 * queries, keys) collect in an output buffer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <vterm.h>

#include "buf.h"
#include "console.h"

struct console_line {
	struct console_cell	*cells;
	int			 ncells;
};

struct console {
	VTerm			*vt;
	VTermScreen		*screen;
	int			 rows, cols;
	struct console_line	*ring;
	size_t			 size, start, count;
	int			 dmg_top, dmg_bottom;	/* -1: none */
	struct buf		 out;
	VTermPos		 cursor;
	bool			 cursor_visible;
};

static void
console_convert(const struct console *c, const VTermScreenCell *v,
    struct console_cell *out)
{
	VTermColor	fg = v->fg, bg = v->bg;

	(void)c;
	memset(out, 0, sizeof *out);
	out->ch = v->chars[0];
	out->width = (uint8_t)(v->width < 0 ? 0 : v->width);
	out->fg = VTERM_COLOR_IS_DEFAULT_FG(&fg) ? -1 :
	    VTERM_COLOR_IS_INDEXED(&fg) ? fg.indexed.idx : -1;
	out->bg = VTERM_COLOR_IS_DEFAULT_BG(&bg) ? -1 :
	    VTERM_COLOR_IS_INDEXED(&bg) ? bg.indexed.idx : -1;
	/* an RGB colour: the nearest of the 6x6x6 cube */
	if (VTERM_COLOR_IS_RGB(&fg) && !VTERM_COLOR_IS_DEFAULT_FG(&fg))
		out->fg = (int16_t)(16 + 36 * (fg.rgb.red * 5 / 255) +
		    6 * (fg.rgb.green * 5 / 255) + fg.rgb.blue * 5 / 255);
	if (VTERM_COLOR_IS_RGB(&bg) && !VTERM_COLOR_IS_DEFAULT_BG(&bg))
		out->bg = (int16_t)(16 + 36 * (bg.rgb.red * 5 / 255) +
		    6 * (bg.rgb.green * 5 / 255) + bg.rgb.blue * 5 / 255);
	if (v->attrs.bold)
		out->attrs |= CONSOLE_BOLD;
	if (v->attrs.underline)
		out->attrs |= CONSOLE_UNDERLINE;
	if (v->attrs.reverse)
		out->attrs |= CONSOLE_REVERSE;
	if (v->attrs.italic)
		out->attrs |= CONSOLE_ITALIC;
	if (v->attrs.blink)
		out->attrs |= CONSOLE_BLINK;
}

static void
console_mark(struct console *c, int top, int bottom)
{
	if (c->dmg_top == -1 || top < c->dmg_top)
		c->dmg_top = top;
	if (bottom > c->dmg_bottom)
		c->dmg_bottom = bottom;
}

static int
console_on_damage(VTermRect r, void *user)
{
	console_mark(user, r.start_row, r.end_row - 1);
	return 1;
}

static int
console_on_cursor(VTermPos pos, VTermPos old, int visible, void *user)
{
	struct console	*c = user;

	console_mark(c, old.row, old.row);
	console_mark(c, pos.row, pos.row);
	c->cursor = pos;
	c->cursor_visible = visible != 0;
	return 1;
}

static int
console_on_prop(VTermProp prop, VTermValue *val, void *user)
{
	struct console	*c = user;

	if (prop == VTERM_PROP_CURSORVISIBLE)
		c->cursor_visible = val->boolean != 0;
	return 1;
}

/* A line scrolled off the top: into the ring, the oldest out. */
static int
console_on_push(int cols, const VTermScreenCell *cells, void *user)
{
	struct console		*c = user;
	struct console_line	*l;
	int			 n = cols, i;

	if (c->size == 0)
		return 0;
	while (n > 0 && cells[n - 1].chars[0] == 0 &&
	    VTERM_COLOR_IS_DEFAULT_BG(&cells[n - 1].bg))
		n--;
	if (c->count == c->size) {
		l = &c->ring[c->start];
		c->start = (c->start + 1) % c->size;
		c->count--;
	} else
		l = &c->ring[(c->start + c->count) % c->size];
	free(l->cells);
	l->cells = n > 0 ? calloc((size_t)n, sizeof *l->cells) : NULL;
	l->ncells = l->cells != NULL ? n : 0;
	for (i = 0; i < l->ncells; i++)
		console_convert(c, &cells[i], &l->cells[i]);
	c->count++;
	return 1;
}

/* The screen grew: the newest scrolled-off line comes back. */
static int
console_on_pop(int cols, VTermScreenCell *cells, void *user)
{
	struct console		*c = user;
	struct console_line	*l;
	int			 i;

	if (c->count == 0)
		return 0;
	l = &c->ring[(c->start + c->count - 1) % c->size];
	for (i = 0; i < cols; i++) {
		memset(&cells[i], 0, sizeof cells[i]);
		cells[i].width = 1;
		vterm_color_indexed(&cells[i].fg, 7);
		cells[i].fg.type |= VTERM_COLOR_DEFAULT_FG;
		vterm_color_indexed(&cells[i].bg, 0);
		cells[i].bg.type |= VTERM_COLOR_DEFAULT_BG;
		if (i < l->ncells) {
			cells[i].chars[0] = l->cells[i].ch;
			cells[i].width = (char)l->cells[i].width;
		}
	}
	free(l->cells);
	l->cells = NULL;
	l->ncells = 0;
	c->count--;
	return 1;
}

static void
console_on_output(const char *s, size_t len, void *user)
{
	struct console	*c = user;

	buf_add(&c->out, s, len);
}

static const VTermScreenCallbacks console_callbacks = {
	.damage = console_on_damage,
	.movecursor = console_on_cursor,
	.settermprop = console_on_prop,
	.sb_pushline = console_on_push,
	.sb_popline = console_on_pop,
};

struct console *
console_new(int rows, int cols, size_t scrollback)
{
	struct console	*c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	if (scrollback > 0 &&
	    (c->ring = calloc(scrollback, sizeof *c->ring)) == NULL) {
		free(c);
		return NULL;
	}
	c->size = scrollback;
	c->rows = rows;
	c->cols = cols;
	c->dmg_top = c->dmg_bottom = -1;
	c->cursor_visible = true;
	buf_init(&c->out);
	if ((c->vt = vterm_new(rows, cols)) == NULL) {
		free(c->ring);
		free(c);
		return NULL;
	}
	vterm_set_utf8(c->vt, 1);
	vterm_output_set_callback(c->vt, console_on_output, c);
	c->screen = vterm_obtain_screen(c->vt);
	vterm_screen_set_callbacks(c->screen, &console_callbacks, c);
	vterm_screen_enable_altscreen(c->screen, 1);
	vterm_screen_set_damage_merge(c->screen, VTERM_DAMAGE_ROW);
	vterm_screen_reset(c->screen, 1);
	return c;
}

void
console_free(struct console *c)
{
	size_t	i;

	if (c == NULL)
		return;
	vterm_free(c->vt);
	for (i = 0; i < c->size; i++)
		free(c->ring[i].cells);
	free(c->ring);
	buf_free(&c->out);
	free(c);
}

void
console_feed(struct console *c, const char *p, size_t n)
{
	vterm_input_write(c->vt, p, n);
	vterm_screen_flush_damage(c->screen);
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

void
console_resize(struct console *c, int rows, int cols)
{
	if (rows < 1 || cols < 1)
		return;
	c->rows = rows;
	c->cols = cols;
	vterm_set_size(c->vt, rows, cols);
	vterm_screen_flush_damage(c->screen);
	console_mark(c, 0, rows - 1);
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
	VTermScreenCell			 v;
	VTermPos			 pos;
	long				 line = (long)row - (long)offset;
	size_t				 back;

	memset(out, 0, sizeof *out);
	out->fg = out->bg = -1;
	out->width = 1;
	if (line >= 0) {
		pos.row = (int)line;
		pos.col = col;
		if (vterm_screen_get_cell(c->screen, pos, &v))
			console_convert(c, &v, out);
		return;
	}
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

/* A typed character, as the guest's terminal would send it. */
void
console_unichar(struct console *c, uint32_t ch, bool ctrl)
{
	vterm_keyboard_unichar(c->vt, ch, ctrl ? VTERM_MOD_CTRL :
	    VTERM_MOD_NONE);
}

void
console_key(struct console *c, enum console_key k)
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

	if ((int)k >= CONSOLE_KEY_F1 && (int)k < CONSOLE_KEY_F1 + 12)
		vterm_keyboard_key(c->vt, VTERM_KEY_FUNCTION(k -
		    CONSOLE_KEY_F1 + 1), VTERM_MOD_NONE);
	else if ((size_t)k < sizeof keys / sizeof keys[0] && keys[k] != 0)
		vterm_keyboard_key(c->vt, keys[k], VTERM_MOD_NONE);
}
