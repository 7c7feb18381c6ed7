/*
 * termkeys: key codes of modified keys, from the terminal's terminfo
 * (extended names such as kLFT5, "Ctrl-Left": xterm's modifier 5 is 1 +
 * Ctrl's 4). Looked up once, after curses has started: ncurses defines a
 * code for each such sequence it finds; key_defined() says which.
 *
 * And the escape sequences terminfo does not name: curses hands those
 * over as Esc and the bytes after it, so a key the terminal (or tmux,
 * which writes Home as ESC [ 1 ~ whatever TERM says) sends would leave a
 * screen. termkeys_escape() reads such a sequence whole after the Esc:
 * the common forms of Home and End are those keys, any other is dropped.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/* Home and End as terminals and tmux write them, after the Esc. */
static const struct {
	const char	*seq;
	int		 key;
} termkeys_homeend[] = {
	{ "[1~", KEY_HOME }, { "[7~", KEY_HOME }, { "[H", KEY_HOME },
	{ "OH", KEY_HOME }, { "[4~", KEY_END }, { "[8~", KEY_END },
	{ "[F", KEY_END }, { "OF", KEY_END },
};

/*
 * After curses gave an Esc from w: what follows at once, if it is the
 * rest of a CSI (ESC [ parameters, intermediates, a final byte) or SS3
 * (ESC O and one byte) sequence, read whole. KEY_HOME or KEY_END for
 * theirs, 0 for any other sequence (the caller ignores it), 27 when the
 * Esc was the key itself (what followed is left to be read).
 */
int
termkeys_escape(WINDOW *w)
{
	char	 seq[32];
	size_t	 n = 0, i;
	wint_t	 wc;
	int	 delay = wgetdelay(w), r, key = 0;

	wtimeout(w, 0);
	r = wget_wch(w, &wc);
	if (r == ERR || (r == OK && wc != '[' && wc != 'O') ||
	    r == KEY_CODE_YES) {
		if (r == KEY_CODE_YES)
			ungetch((int)wc);
		else if (r == OK)
			unget_wch((wchar_t)wc);
		wtimeout(w, delay);
		return 27;
	}
	seq[n++] = (char)wc;
	for (;;) {
		r = wget_wch(w, &wc);
		if (r != OK || wc < 0x20 || wc > 0x7e) {
			/* cut short: what came is dropped, what is not is kept */
			if (r == KEY_CODE_YES)
				ungetch((int)wc);
			else if (r == OK)
				unget_wch((wchar_t)wc);
			n = 0;
			break;
		}
		if (n < sizeof seq - 1)
			seq[n++] = (char)wc;
		if (seq[0] == 'O' || (wc >= 0x40 && wc <= 0x7e))
			break;
	}
	wtimeout(w, delay);
	seq[n] = '\0';
	for (i = 0; n > 0 && i < sizeof termkeys_homeend /
	    sizeof termkeys_homeend[0]; i++)
		if (strcmp(seq, termkeys_homeend[i].seq) == 0)
			key = termkeys_homeend[i].key;
	return key;
}
