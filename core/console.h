/*
 * console: the model of a machine's serial console, on libvterm. It is fed
 * the bytes the guest writes and keeps the screen, a scrollback, the
 * cursor and which rows changed; the answers a terminal owes the guest
 * (cursor position, device attributes) and the bytes for keys wait in its
 * output for the caller to write to the pty. It never touches a file
 * descriptor or curses: the event loop owns those, the pane draws.
 */
#ifndef VMTUI_CONSOLE_H
#define VMTUI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vterm.h>

#define CONSOLE_BOLD		0x01
#define CONSOLE_UNDERLINE	0x02
#define CONSOLE_REVERSE		0x04
#define CONSOLE_ITALIC		0x08
#define CONSOLE_BLINK		0x10

struct console_cell {
	uint32_t	ch;		/* 0: blank */
	uint8_t		width;		/* 1, 2, or 0 behind a wide one */
	int16_t		fg, bg;		/* -1 default, else 0..255 */
	uint8_t		attrs;
};

enum console_key {
	CONSOLE_KEY_ENTER = 1, CONSOLE_KEY_TAB, CONSOLE_KEY_BACKSPACE,
	CONSOLE_KEY_ESCAPE, CONSOLE_KEY_UP, CONSOLE_KEY_DOWN, CONSOLE_KEY_LEFT,
	CONSOLE_KEY_RIGHT, CONSOLE_KEY_INS, CONSOLE_KEY_DEL, CONSOLE_KEY_HOME,
	CONSOLE_KEY_END, CONSOLE_KEY_PAGEUP, CONSOLE_KEY_PAGEDOWN,
	CONSOLE_KEY_F1	/* CONSOLE_KEY_F1 + n - 1 for Fn, up to F12 */
};

#define CONSOLE_MOD_SHIFT	0x1
#define CONSOLE_MOD_ALT		0x2
#define CONSOLE_MOD_CTRL	0x4

struct console;

struct console	*console_new(int, int, size_t);
struct console	*console_new_parser(const VTermParserCallbacks *, void *);
void		 console_free(struct console *);
void		 console_feed(struct console *, const char *, size_t);
size_t		 console_output(struct console *, char *, size_t);
bool		 console_damage(struct console *, int *, int *);
void		 console_resize(struct console *, int, int);
void		 console_size(const struct console *, int *, int *);
void		 console_cell(const struct console *, int, int, size_t,
		     struct console_cell *);
void		 console_cursor(const struct console *, int *, int *, bool *);
size_t		 console_scrollback(const struct console *);
int		 console_find(const struct console *, const char *, long,
		     long *);
void		 console_unichar(struct console *, uint32_t, bool);
void		 console_key(struct console *, enum console_key, int);
void		 console_paste(struct console *, bool);
bool		 console_mouse(const struct console *);
void		 console_mouse_button(struct console *, int, int, int, bool);

#endif
