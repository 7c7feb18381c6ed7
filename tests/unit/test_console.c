/*
 * Unit tests of core/console.c: escape sequences in, cells, damage,
 * scrollback and the terminal's answers out.
 */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>

#include "console.h"
#include "io.h"

static void
feed(struct console *c, const char *s)
{
	console_feed(c, s, strlen(s));
}

/* The text of a view row, trailing blanks cut. */
static const char *
row_text(struct console *c, int row, size_t offset)
{
	static char		 line[512];
	struct console_cell	 cell;
	int			 rows, cols, col, n = 0;

	console_size(c, &rows, &cols);
	for (col = 0; col < cols && n < 500; col++) {
		console_cell(c, row, col, offset, &cell);
		if (cell.width == 0)
			continue;
		if (cell.ch < 0x80)
			line[n++] = cell.ch ? (char)cell.ch : ' ';
		else
			line[n++] = '?';
	}
	while (n > 0 && line[n - 1] == ' ')
		n--;
	line[n] = '\0';
	return line;
}

/*
 * Firmware's ESC[?7l (line wrap off, never undone) is turned into ESC[?7h:
 * long lines wrap, even when the sequence comes in pieces; what only looks
 * like it at first passes whole, and an ESC it cancels stays cancelled.
 */
static void
test_wrap_stays_on(void **state)
{
	struct console	*c = console_new(4, 10, 100);

	(void)state;
	feed(c, "\x1b[?7l0123456789AB\r\n");
	assert_string_equal(row_text(c, 0, 0), "0123456789");
	assert_string_equal(row_text(c, 1, 0), "AB");
	feed(c, "\x1b[");
	feed(c, "?7");
	feed(c, "lxxxxxxxxxxyy");
	assert_string_equal(row_text(c, 2, 0), "xxxxxxxxxx");
	assert_string_equal(row_text(c, 3, 0), "yy");
	console_free(c);
	/* not it: ESC[?7h and ESC[?1l pass; so does ESC ESC[?7l's first ESC */
	c = console_new(4, 10, 100);
	feed(c, "\x1b[?7");
	feed(c, "h\x1b[?1lab\x1b\x1b[?7lcd");
	assert_string_equal(row_text(c, 0, 0), "abcd");
	feed(c, "\x1b[?25l");
	{
		int	r, col;
		bool	vis;

		console_cursor(c, &r, &col, &vis);
		assert_false(vis);
	}
	console_free(c);
}

/*
 * Reflow: rows that wrapped join again when the pane widens and cut again
 * when it narrows; a line that ended at the edge with CR LF stays a line;
 * the cursor stays on its character; the scrollback keeps whole lines.
 */
static void
test_reflow(void **state)
{
	struct console	*c = console_new(4, 10, 100);
	int		 r, col;
	bool		 vis;

	(void)state;
	feed(c, "0123456789ABCDEF\r\nshort\r\n");
	assert_string_equal(row_text(c, 0, 0), "0123456789");
	assert_string_equal(row_text(c, 1, 0), "ABCDEF");
	console_resize(c, 4, 20);
	assert_string_equal(row_text(c, 0, 0), "0123456789ABCDEF");
	assert_string_equal(row_text(c, 1, 0), "short");
	console_cursor(c, &r, &col, &vis);
	assert_int_equal(r, 2);
	assert_int_equal(col, 0);
	console_resize(c, 4, 10);
	assert_string_equal(row_text(c, 0, 0), "0123456789");
	assert_string_equal(row_text(c, 1, 0), "ABCDEF");
	assert_string_equal(row_text(c, 2, 0), "short");
	console_cursor(c, &r, &col, &vis);
	assert_int_equal(r, 3);
	console_free(c);

	/* the cursor stays on its character: more text goes on after it */
	c = console_new(4, 10, 100);
	feed(c, "0123456789AB");
	console_resize(c, 4, 20);
	console_cursor(c, &r, &col, &vis);
	assert_int_equal(r, 0);
	assert_int_equal(col, 12);
	feed(c, "X");
	assert_string_equal(row_text(c, 0, 0), "0123456789ABX");
	console_free(c);

	/* CR LF at the edge: two lines, not one */
	c = console_new(4, 10, 100);
	feed(c, "0123456789\r\nabc");
	console_resize(c, 4, 20);
	assert_string_equal(row_text(c, 0, 0), "0123456789");
	assert_string_equal(row_text(c, 1, 0), "abc");
	console_free(c);

	/* the scrollback: a long line that scrolled off comes back whole */
	c = console_new(2, 10, 100);
	feed(c, "first line is long\r\na\r\nb\r\nc");
	assert_string_equal(row_text(c, 0, 3), "first line");
	console_resize(c, 2, 30);
	assert_string_equal(row_text(c, 0, 0), "b");
	assert_string_equal(row_text(c, 1, 0), "c");
	assert_int_equal(console_scrollback(c), 2);
	assert_string_equal(row_text(c, 0, 2), "first line is long");
	assert_string_equal(row_text(c, 1, 2), "a");
	console_free(c);
}

/* Bracketed paste: the markers only when the guest asked for them. */
static void
test_paste(void **state)
{
	struct console	*c = console_new(4, 20, 10);
	char		 out[64];
	size_t		 n;

	(void)state;
	console_paste(c, true);
	console_unichar(c, 'x', false);
	console_paste(c, false);
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "x");
	feed(c, "\x1b[?2004h");
	console_paste(c, true);
	console_unichar(c, 'y', false);
	console_paste(c, false);
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "\x1b[200~y\x1b[201~");
	console_free(c);
}

/* Mouse reports only once the guest asked, in the encoding it asked for. */
static void
test_mouse(void **state)
{
	struct console	*c = console_new(24, 80, 10);
	char		 out[64];
	size_t		 n;

	(void)state;
	assert_false(console_mouse(c));
	console_mouse_button(c, 4, 9, 4, true);
	assert_int_equal(console_output(c, out, sizeof out), 0);
	feed(c, "\x1b[?1000h\x1b[?1006h");
	assert_true(console_mouse(c));
	console_mouse_button(c, 4, 9, 4, true);	/* the wheel, up */
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "\x1b[<64;10;5M");
	feed(c, "\x1b[?1000l");
	assert_false(console_mouse(c));
	console_free(c);
}

/* Search back through the screen and the scrollback, newest first. */
static void
test_find(void **state)
{
	struct console	*c = console_new(3, 20, 100);
	long		 l = 99;
	int		 i;
	char		 line[32];

	(void)state;
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof line, "line %d%s\r\n", i,
		    i % 4 == 1 ? " caf\xc3\xa9" : "");
		feed(c, line);
	}
	/* the screen: line 8, line 9, the empty last row */
	assert_int_equal(console_find(c, "line 9", 3, &l), 0);
	assert_int_equal(l, 1);
	/* the scrollback: 8 lines, -1 the newest ("line 7") */
	assert_int_equal(console_find(c, "line 7", 3, &l), 0);
	assert_int_equal(l, -1);
	assert_int_equal(console_find(c, "caf\xc3\xa9", 3, &l), 0);
	assert_int_equal(l, 1);		/* line 9, on the screen */
	assert_int_equal(console_find(c, "caf\xc3\xa9", l, &l), 0);
	assert_int_equal(l, -3);	/* line 5 */
	assert_int_equal(console_find(c, "caf\xc3\xa9", l, &l), 0);
	assert_int_equal(l, -7);	/* line 1 */
	assert_int_equal(console_find(c, "caf\xc3\xa9", l, &l), -1);
	assert_int_equal(console_find(c, "nowhere", 3, &l), -1);
	assert_int_equal(console_find(c, "", 3, &l), -1);
	console_free(c);
}

static void
test_text_and_colours(void **state)
{
	struct console		*c = console_new(24, 80, 100);
	struct console_cell	 cell;

	(void)state;
	feed(c, "hello\r\nworld \x1b[1;31mred\x1b[0m \x1b[44mon blue\x1b[0m");
	assert_string_equal(row_text(c, 0, 0), "hello");
	assert_string_equal(row_text(c, 1, 0), "world red on blue");
	console_cell(c, 1, 6, 0, &cell);
	assert_int_equal(cell.ch, 'r');
	assert_int_equal(cell.fg, 1);
	assert_int_equal(cell.attrs & CONSOLE_BOLD, CONSOLE_BOLD);
	console_cell(c, 1, 10, 0, &cell);
	assert_int_equal(cell.bg, 4);
	assert_int_equal(cell.fg, -1);
	console_cell(c, 0, 0, 0, &cell);
	assert_int_equal(cell.fg, -1);
	assert_int_equal(cell.bg, -1);
	feed(c, "\x1b[38;5;200mX\x1b[38;2;255;0;0mY");
	console_cell(c, 1, 17, 0, &cell);
	assert_int_equal(cell.fg, 200);
	console_cell(c, 1, 18, 0, &cell);
	assert_int_equal(cell.fg, 16 + 36 * 5);		/* RGB red, in the cube */
	console_free(c);
}

static void
test_cursor_and_damage(void **state)
{
	struct console	*c = console_new(24, 80, 0);
	int		 top, bottom, row, col;
	bool		 visible;

	(void)state;
	while (console_damage(c, &top, &bottom))
		;
	feed(c, "\x1b[5;10HX");
	assert_string_equal(row_text(c, 4, 0), "         X");
	console_cursor(c, &row, &col, &visible);
	assert_int_equal(row, 4);
	assert_int_equal(col, 10);
	assert_true(visible);
	assert_true(console_damage(c, &top, &bottom));
	assert_int_equal(top, 0);	/* the cursor left row 0 */
	assert_int_equal(bottom, 4);
	assert_false(console_damage(c, &top, &bottom));
	feed(c, "\x1b[12;1Hy");
	assert_true(console_damage(c, &top, &bottom));
	assert_int_equal(top, 4);
	assert_int_equal(bottom, 11);
	feed(c, "\x1b[?25l");
	console_cursor(c, &row, &col, &visible);
	assert_false(visible);
	console_free(c);
}

static void
test_scroll_region(void **state)
{
	struct console	*c = console_new(6, 20, 10);

	(void)state;
	feed(c, "top\r\n1\r\n2\r\n3\r\n4\r\nbottom");
	feed(c, "\x1b[2;5r\x1b[5;1H\n");	/* scroll rows 2-5 up */
	assert_string_equal(row_text(c, 0, 0), "top");
	assert_string_equal(row_text(c, 1, 0), "2");
	assert_string_equal(row_text(c, 3, 0), "4");
	assert_string_equal(row_text(c, 4, 0), "");
	assert_string_equal(row_text(c, 5, 0), "bottom");
	/* a region scroll keeps the scrollback empty */
	assert_int_equal(console_scrollback(c), 0);
	console_free(c);
}

static void
test_alternate_screen(void **state)
{
	struct console	*c = console_new(5, 20, 10);

	(void)state;
	feed(c, "main text");
	feed(c, "\x1b[?1049h\x1b[Hfull screen app");
	assert_string_equal(row_text(c, 0, 0), "full screen app");
	feed(c, "\x1b[?1049l");
	assert_string_equal(row_text(c, 0, 0), "main text");
	console_free(c);
}

static void
test_utf8(void **state)
{
	struct console		*c = console_new(5, 20, 10);
	struct console_cell	 cell;

	(void)state;
	feed(c, "\xc3\xa9t\xc3\xa9 \xe6\xbc\xa2x");
	console_cell(c, 0, 0, 0, &cell);
	assert_int_equal(cell.ch, 0xe9);
	console_cell(c, 0, 4, 0, &cell);
	assert_int_equal(cell.ch, 0x6f22);
	assert_int_equal(cell.width, 2);
	console_cell(c, 0, 6, 0, &cell);
	assert_int_equal(cell.ch, 'x');		/* after the wide one */
	/* a sequence cut in two feeds */
	feed(c, "\xe6");
	feed(c, "\xbc\xa2");
	console_cell(c, 0, 7, 0, &cell);
	assert_int_equal(cell.ch, 0x6f22);
	console_free(c);
}

static void
test_answers(void **state)
{
	struct console	*c = console_new(24, 80, 10);
	char		 out[64];
	size_t		 n;

	(void)state;
	feed(c, "\x1b[3;7H\x1b[6n");	/* where is the cursor? */
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "\x1b[3;7R");
	feed(c, "\x1b[c");		/* who are you? */
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_non_null(strstr(out, "\x1b[?"));
	assert_int_equal(out[n - 1], 'c');
	assert_int_equal(console_output(c, out, sizeof out), 0);
	/* keys become the bytes a terminal sends */
	console_unichar(c, 'a', false);
	console_unichar(c, 'c', true);
	console_key(c, CONSOLE_KEY_UP, 0);
	console_key(c, CONSOLE_KEY_ENTER, 0);
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "a\x03\x1b[A\r");
	console_free(c);
}

static void
test_scrollback(void **state)
{
	struct console	*c = console_new(5, 20, 100);
	char		 line[32];
	int		 i;

	(void)state;
	for (i = 0; i < 200; i++) {
		snprintf(line, sizeof line, "line %d\r\n", i);
		feed(c, line);
	}
	/* 196 lines scrolled off; the ring keeps the newest 100 */
	assert_int_equal(console_scrollback(c), 100);
	assert_string_equal(row_text(c, 3, 0), "line 199");
	assert_string_equal(row_text(c, 0, 0), "line 196");
	assert_string_equal(row_text(c, 0, 1), "line 195");	/* back 1 */
	assert_string_equal(row_text(c, 4, 1), "line 199");
	assert_string_equal(row_text(c, 0, 100), "line 96");	/* the oldest */
	assert_string_equal(row_text(c, 0, 101), "");		/* beyond it */
	/* growing the screen brings lines back from the scrollback */
	console_resize(c, 10, 20);
	assert_int_equal(console_scrollback(c), 95);
	assert_string_equal(row_text(c, 8, 0), "line 199");
	console_free(c);
}

static void
test_big_scrollback(void **state)
{
	struct console	*c = console_new(24, 80, 10000);
	char		 line[128];
	int		 i;

	(void)state;
	for (i = 0; i < 12000; i++) {
		snprintf(line, sizeof line, "\x1b[3%dmboot message %d of a "
		    "long boot\x1b[0m\r\n", i % 8, i);
		feed(c, line);
	}
	assert_int_equal(console_scrollback(c), 10000);
	console_free(c);
}

/*
 * Hostile bytes, each fed to a fresh console in a child that a 3 s alarm
 * kills: every feed returns, the cursor stays on the screen.
 */
static void
feed_bounded(const char *s, size_t n)
{
	struct console	*c;
	pid_t		 pid;
	int		 st, row, col;
	bool		 vis;

	if ((pid = fork()) == 0) {
		alarm(3);
		c = console_new(24, 80, 100);
		console_feed(c, s, n);
		console_feed(c, "x", 1);
		console_cursor(c, &row, &col, &vis);
		if (row < 0 || row >= 24 || col < 0 || col >= 80)
			_exit(3);
		console_free(c);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st))
		fail_msg("feeding %zu hostile bytes: killed by signal %d", n,
		    WTERMSIG(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * REP (ESC[Nb) before any character was printed made libvterm 0.1.4 loop
 * for ever; a C1 character split by an escape sequence (\302 ESC h \225)
 * had a width of -1 and moved cells from column -1. Both return; REP
 * repeats the last character as a terminal does, at most to the line's
 * end; a CSI with more arguments than libvterm keeps is dropped whole.
 */
static void
test_hostile_sequences(void **state)
{
	static const char *const seqs[] = {
		"\x1b[5b", "\x1b#8\x1b[2J\x1b[H\x1b[9b", "\xe2\x80\x8b\x1b[5b",
		"\x1b[4h\302\x1bh\2258", "\302\x1bh\225\x1b[3b",
		"\x1b[4h\302\x1b[1;1H\2258\x1b[4b", "\302A\225B",
		"\x1b[;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;1mok",
		"\x1b[99999999999999999999b", "a\x1b[99999999999b",
	};
	struct console	*c;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
		feed_bounded(seqs[i], strlen(seqs[i]));
	c = console_new(4, 10, 100);
	feed(c, "ab\x1b[3bc\r\n\x1b[5b|\r\nxy\x1b[99b");
	assert_string_equal(row_text(c, 0, 0), "abbbbc");
	assert_string_equal(row_text(c, 1, 0), "ccccc|");
	assert_string_equal(row_text(c, 2, 0), "xyyyyyyyyy");
	console_free(c);
	c = console_new(4, 10, 100);
	feed(c, "\x1b[;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;1mok");
	assert_string_equal(row_text(c, 0, 0), "ok");
	/* a sequence an escape cuts, and the byte after it: U+FFFD each */
	feed(c, "\r\n\302\x1bh\225z");
	assert_string_equal(row_text(c, 1, 0), "??z");
	feed(c, "\r\n\302\225z");	/* a C1 character: U+FFFD */
	assert_string_equal(row_text(c, 2, 0), "?z");
	console_free(c);
}

/*
 * Control strings (OSC, DCS, APC, PM, SOS) are the console's, never
 * libvterm's: 0.1.4 over-read its input on a DCS with ESC and a control
 * inside (ASan: heap-buffer-overflow in strncpy under vterm_input_write),
 * lost a string cut between two reads, ran controls inside one and drew
 * an APC's, PM's or SOS's text. They end at ST, BEL, CAN, SUB, any other
 * ESC (which then starts its own sequence) or CONSOLE_STRING_MAX bytes;
 * DECRQSS (DCS $ q) is still answered, in pieces too.
 */
static void
test_control_strings(void **state)
{
	static const char fuzz[] = "\027O?10\033]0;title\a\03310\033]0;tizle"
	    "\a\033PP1$r\033\021\0\\\033[6n:\377\377\377O?10\033]0;title\a"
	    "\03310\033]0;t\027iO";
	struct console	*c;
	char		 out[64], *big;
	size_t		 n;
	int		 row, col;
	bool		 vis;

	(void)state;
	feed_bounded(fuzz, sizeof fuzz - 1);
	feed_bounded("\033P$q\033\021\0\\", 8);
	feed_bounded("\033]0;a\033\n\0\\", 9);
	c = console_new(4, 20, 10);
	feed(c, "\033_apc\033\\a\033^pm\033\\b\033Xsos\033\\c");
	assert_string_equal(row_text(c, 0, 0), "abc");
	/* a control inside a string is the string's */
	feed(c, "\033]0;ti\ntle\ad\033P1\r2\033\\e");
	assert_string_equal(row_text(c, 0, 0), "abcde");
	console_cursor(c, &row, &col, &vis);
	assert_int_equal(row, 0);
	assert_int_equal(col, 5);
	assert_int_equal(console_output(c, out, sizeof out), 0);
	/* ESC ends a string and starts a sequence; CAN and SUB end one */
	feed(c, "\r\n\033]0;t\033[2Cx\033]2;u\030y\033Pv\032z");
	assert_string_equal(row_text(c, 1, 0), "  xyz");
	/* DECRQSS, cut between reads, and with BEL */
	feed(c, "\033P$");
	feed(c, "qm\033");
	feed(c, "\\");
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "\033P1$rm\033\\");
	feed(c, "\033P$q\"q\a\033P$qzz\033\\");
	n = console_output(c, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "\033P1$r2\"q\033\\\033P0$r\033\\");
	console_free(c);
	/* one that never ends ends at the cap; what follows is text */
	c = console_new(4, 20, 10);
	big = malloc(70000);
	assert_non_null(big);
	memset(big, 'x', 70000);
	memcpy(big, "\033]0;", 4);
	console_feed(c, big, 70000);
	feed(c, "\r\nok");
	assert_string_equal(row_text(c, 3, 0), "ok");
	free(big);
	console_free(c);
}

/*
 * A cursor saved (ESC 7, the alternate screen), then a smaller screen:
 * libvterm 0.1.4 restored it outside the screen (found by fuzz_console);
 * it comes back inside, at the nearest cell, as xterm's does.
 */
static void
test_saved_cursor_resize(void **state)
{
	static const char *const restore[] = { "\0338", "\033[?1049l" };
	static const char *const save[] = { "\0337", "\033[?1049h" };
	struct console	*c;
	size_t		 i;
	int		 row, col;
	bool		 vis;

	(void)state;
	for (i = 0; i < sizeof save / sizeof save[0]; i++) {
		c = console_new(24, 80, 10);
		feed(c, "\033[20;70H");
		feed(c, save[i]);
		console_resize(c, 10, 40);
		feed(c, restore[i]);
		console_cursor(c, &row, &col, &vis);
		assert_int_equal(row, 9);
		assert_int_equal(col, 39);
		feed(c, "x");
		assert_int_equal(strlen(row_text(c, 9, 0)), 40);
		assert_string_equal(row_text(c, 9, 0) + 39, "x");
		console_free(c);
	}
}

/* realloc, counted when it asks for more than big bytes (--wrap). */
void	*__real_realloc(void *, size_t);
void	*__wrap_realloc(void *, size_t);
static size_t	realloc_big, realloc_count;

void *
__wrap_realloc(void *p, size_t n)
{
	if (realloc_big > 0 && n > realloc_big)
		realloc_count++;
	return __real_realloc(p, n);
}

/*
 * A resize rejoins a line wrapped over many rows: its buffer grows
 * geometrically, a few reallocations for 200,000 characters, not one a
 * row (quadratic copying under an allocator that does not grow in place).
 */
static void
test_reflow_grows_geometrically(void **state)
{
	struct console	*c = console_new(24, 80, 10000);
	char		*line;
	size_t		 n = 200000;

	(void)state;
	assert_non_null(c);
	assert_non_null(line = malloc(n));
	memset(line, 'x', n);
	console_feed(c, line, n);
	free(line);
	realloc_big = 1000 * sizeof (struct console_cell);
	realloc_count = 0;
	console_resize(c, 24, 100);
	realloc_big = 0;
	if (realloc_count > 64)
		fail_msg("%zu reallocations to rejoin one line", realloc_count);
	assert_int_equal(strlen(row_text(c, 0, 0)), 100);
	console_free(c);
}

/* The time n copies of seq take to feed at 60x250, in ms. */
static long
feed_time(const char *seq, int n)
{
	struct console	*c = console_new(60, 250, 100);
	long		 t;
	int		 i;

	assert_non_null(c);
	t = io_now_ms();
	for (i = 0; i < n; i++)
		console_feed(c, seq, strlen(seq));
	t = io_now_ms() - t;
	console_free(c);
	return t;
}

/*
 * DECALN (ESC # 8, three bytes) fills the screen: it costs what erasing
 * the screen costs (ED 2), not ten times more, through libvterm's glyph
 * path (a guest pinned a CPU with it at 250x60).
 */
static void
test_decaln_cost(void **state)
{
	long	decaln, erase;

	(void)state;
	decaln = feed_time("\033#8", 2000);
	erase = feed_time("\033[2J", 2000);
	if (decaln > 3 * erase + 30)
		fail_msg("DECALN %ld ms, ED 2 %ld ms", decaln, erase);
}

/* DECALN: every cell an E in the pen's colours; the cursor stays. */
static void
test_decaln(void **state)
{
	struct console		*c = console_new(3, 4, 10);
	struct console_cell	 cell;
	int			 row, col;
	bool			 vis;

	(void)state;
	feed(c, "ab\033[31m\033#8x");
	assert_string_equal(row_text(c, 0, 0), "EExE");
	assert_string_equal(row_text(c, 2, 0), "EEEE");
	console_cell(c, 1, 3, 0, &cell);
	assert_int_equal(cell.fg, 1);
	console_cursor(c, &row, &col, &vis);
	assert_int_equal(row, 0);
	assert_int_equal(col, 3);
	/* ESC 8 after it is DECRC still; ESC # 8 cut between two feeds */
	feed(c, "\033[H\033#");
	feed(c, "8\0337\033[3;1H\0338y");
	assert_string_equal(row_text(c, 0, 0), "yEEE");
	console_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_colours),
		cmocka_unit_test(test_wrap_stays_on),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_paste),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_reflow),
		cmocka_unit_test(test_cursor_and_damage),
		cmocka_unit_test(test_scroll_region),
		cmocka_unit_test(test_alternate_screen),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_scrollback),
		cmocka_unit_test(test_big_scrollback),
		cmocka_unit_test(test_hostile_sequences),
		cmocka_unit_test(test_control_strings),
		cmocka_unit_test(test_saved_cursor_resize),
		cmocka_unit_test(test_reflow_grows_geometrically),
		cmocka_unit_test(test_decaln_cost),
		cmocka_unit_test(test_decaln),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
