/*
 * termkeys: key codes of modified keys, from the terminal's terminfo
 * (extended names such as kLFT5, "Ctrl-Left": xterm's modifier 5 is 1 +
 * Ctrl's 4). Looked up once, after curses has started: ncurses defines a
 * code for each such sequence it finds; key_defined() says which.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include <curses.h>
#include <term.h>

#include "termkeys.h"

static const char *const termkeys_names[TERMKEY_N] = {
	"kUP", "kDN", "kLFT", "kRIT", "kHOM", "kEND", "kIC", "kDC", "kPRV",
	"kNXT"
};

/* xterm's modifier numbers 2 (Shift) to 8 (Shift-Alt-Ctrl) */
#define TERMKEYS_MODS	7

static struct {
	int		code;
	enum termkey	key;
	int		mods;
} termkeys_v[TERMKEY_N * TERMKEYS_MODS];
static size_t	termkeys_n;
static bool	termkeys_done;

static void
termkeys_init(void)
{
	char		 cap[16];
	const char	*seq;
	int		 k, m, code;

	termkeys_done = true;
	for (k = 0; k < TERMKEY_N; k++) {
		for (m = 2; m <= 8; m++) {
			snprintf(cap, sizeof cap, "%s%d", termkeys_names[k], m);
			seq = tigetstr(cap);
			if (seq == NULL || seq == (char *)-1 ||
			    (code = key_defined(seq)) <= 0)
				continue;
			termkeys_v[termkeys_n].code = code;
			termkeys_v[termkeys_n].key = (enum termkey)k;
			termkeys_v[termkeys_n++].mods = m - 1;
		}
	}
}

/* The key and modifiers of curses key code code: 0, or -1 for none. */
int
termkeys_find(int code, enum termkey *key, int *mods)
{
	size_t	i;

	if (!termkeys_done)
		termkeys_init();
	for (i = 0; i < termkeys_n; i++) {
		if (termkeys_v[i].code == code) {
			*key = termkeys_v[i].key;
			*mods = termkeys_v[i].mods;
			return 0;
		}
	}
	return -1;
}
