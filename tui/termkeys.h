/*
 * termkeys: the modified keys a terminal's terminfo names (xterm's
 * Ctrl-Left, Alt-Up, Ctrl-Shift-PgDn...). ncurses reads each as a key code
 * of its own, made when it loads the terminal's description; this says
 * which key and which modifiers a code stands for, so that the launch view
 * can send the guest what the terminal sent. And the sequences terminfo
 * does not name, which curses hands over as an Esc and more: Home and End
 * in their common forms, any other ignored, never taken for Esc.
 */
#ifndef VMTUI_TERMKEYS_H
#define VMTUI_TERMKEYS_H

#include <curses.h>

/* The keys that take modifiers, in terminfo's order of names below. */
enum termkey {
	TERMKEY_UP, TERMKEY_DOWN, TERMKEY_LEFT, TERMKEY_RIGHT, TERMKEY_HOME,
	TERMKEY_END, TERMKEY_INS, TERMKEY_DEL, TERMKEY_PAGEUP, TERMKEY_PAGEDOWN,
	TERMKEY_N
};

/* Modifiers as xterm numbers them (its parameter less one). */
#define TERMKEY_SHIFT	0x1
#define TERMKEY_ALT	0x2
#define TERMKEY_CTRL	0x4

int	termkeys_find(int, enum termkey *, int *);
int	termkeys_escape(WINDOW *);

#endif
