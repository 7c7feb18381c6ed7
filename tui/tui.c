/*
 * tui: curses for all the screens. Set-up picks the theme (--theme,
 * VMTUI_THEME, the settings file; mono for NO_COLOR or a terminal without
 * colours) and installs signal handlers that only set flags; the key loop
 * polls them, so SIGTERM, SIGINT and SIGHUP end vmtui through endwin().
 * A crash restores the terminal too before it dies.
 */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <sys/wait.h>

#include "buf.h"
#include "paths.h"
#include "strv.h"
#include "settings.h"
#include "termkeys.h"
#include "tui.h"

static struct theme		 tui_theme;
static bool			 tui_colour;
static bool			 tui_active;
static char			 tui_msg[512];
static bool			 tui_msg_error;
static char			*tui_theme_problem;
static volatile sig_atomic_t	 tui_quit;

static void
tui_on_signal(int sig)
{
	tui_quit = sig;
}

static void
tui_on_crash(int sig)
{
	if (tui_active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* What the screen asks for next; file and select are copied. */
void
tui_next_set(struct tui_next *n, enum tui_go go, const char *file,
    const char *select)
{
	tui_next_clear(n);
	n->go = go;
	n->file = file != NULL ? strdup(file) : NULL;
	n->select = select != NULL ? strdup(select) : NULL;
}

void
tui_next_clear(struct tui_next *n)
{
	free(n->file);
	free(n->select);
	n->file = n->select = NULL;
	n->go = TUI_BACK;
}

/*
 * The launch scripts of machines a view left running are children of this
 * vmtui: noted here, and reaped by whichever screen is up once they end.
 */
static pid_t	tui_left[64];

void
tui_child_left(pid_t pid)
{
	size_t	i;

	for (i = 0; pid > 0 && i < sizeof tui_left / sizeof tui_left[0]; i++)
		if (tui_left[i] == 0) {
			tui_left[i] = pid;
			return;
		}
}

void
tui_reap(void)
{
	size_t	i;

	for (i = 0; i < sizeof tui_left / sizeof tui_left[0]; i++)
		if (tui_left[i] > 0 && waitpid(tui_left[i], NULL, WNOHANG) ==
		    tui_left[i])
			tui_left[i] = 0;
}

/* The signal that asks vmtui to end (SIGTERM, SIGHUP), or 0. */
int
tui_quit_signal(void)
{
	return (int)tui_quit;
}

bool
tui_quit_requested(void)
{
	return tui_quit != 0;
}

/*
 * The folders themes are looked for in, first match wins: $VMTUI_THEMES_DIR,
 * the settings folder's themes/, the installed ones, themes/ beside the
 * program (a build in the source tree).
 */
static char *
tui_find_theme(const char *name)
{
	struct strv	 dirs = { NULL, 0 };
	char		*path = NULL;
	size_t		 i;

	if (paths_data_dirs("themes", "VMTUI_THEMES_DIR", &dirs) != 0) {
		strv_free(&dirs);
		return NULL;
	}
	for (i = 0; i < dirs.n && path == NULL; i++) {
		path = theme_path(dirs.v[i], name);
		if (path != NULL && access(path, R_OK) != 0) {
			free(path);
			path = NULL;
		}
	}
	strv_free(&dirs);
	return path;
}

/* theme = "NAME" in the settings file, or NULL. */
static char *
tui_settings_theme(void)
{
	struct settings	 st;
	char		*cause = NULL, *name;

	(void)settings_load(&st, &cause);
	free(cause);
	name = st.theme;
	st.theme = NULL;
	settings_free(&st);
	return name;
}

static void
tui_choose_theme(const char *wanted)
{
	char	*name = NULL, *path, *cause = NULL;

	free(tui_theme_problem);
	tui_theme_problem = NULL;
	if (wanted != NULL)
		name = strdup(wanted);
	else if (getenv("VMTUI_THEME") != NULL && *getenv("VMTUI_THEME"))
		name = strdup(getenv("VMTUI_THEME"));
	else
		name = tui_settings_theme();
	if (name == NULL)
		name = strdup("default");
	if (!tui_colour) {
		theme_mono(&tui_theme);
		free(name);
		return;
	}
	if ((path = tui_find_theme(name)) == NULL) {
		theme_builtin(&tui_theme);
		if (asprintf(&tui_theme_problem, "no theme named \"%s\"; using "
		    "the built-in one", name) < 0)
			tui_theme_problem = NULL;
	} else if (theme_load(path, &tui_theme, &cause) != 0) {
		/* the file's folder would fill the line: its name is enough */
		const char *shown = cause ? cause : "?";
		size_t dlen = (size_t)(strrchr(path, '/') - path) + 1;

		if (strncmp(shown, path, dlen) == 0)
			shown += dlen;
		if (asprintf(&tui_theme_problem, "theme %s is broken, using the "
		    "built-in one: %s", name, shown) < 0)
			tui_theme_problem = NULL;
		free(cause);
	}
	free(path);
	free(name);
}

const char *
tui_theme_note(void)
{
	return tui_theme_problem;
}

int
tui_start(const char *theme, char **cause)
{
	struct sigaction	sa;
	int			i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = strdup("the screens need a terminal; see vmtui --help "
		    "for the command line");
		return -1;
	}
	/*
	 * The character set only, and only for the screens: what the terminal
	 * and ncurses need (the command line handles bytes; finding the locale
	 * reads files at every start). Numbers stay in the C locale's format
	 * wherever they go (QEMU's options), and messages are in one language,
	 * the system's strerror() included.
	 */
	setlocale(LC_CTYPE, "");
	if (initscr() == NULL) {
		*cause = strdup("cannot start curses on this terminal");
		return -1;
	}
	tui_active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	timeout(200);
	tui_colour = has_colors() && (getenv("NO_COLOR") == NULL ||
	    *getenv("NO_COLOR") == '\0');
	if (tui_colour) {
		start_color();
		use_default_colors();
	}
	tui_choose_theme(theme);
	if (tui_colour)
		for (i = 0; i < THEME_NROLES; i++)
			init_pair((short)(i + 1), tui_theme.style[i].fg,
			    tui_theme.style[i].bg);
	bkgd(tui_attr(THEME_NORMAL));

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = tui_on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	atexit(tui_stop);
	return 0;
}

void
tui_stop(void)
{
	if (!tui_active)
		return;
	tui_active = false;
	endwin();
}

attr_t
tui_attr(enum theme_role r)
{
	const struct theme_style	*s = &tui_theme.style[r];
	attr_t				 a = A_NORMAL;

	if (tui_colour)
		a |= COLOR_PAIR(r + 1);
	if (s->attrs & THEME_BOLD)
		a |= A_BOLD;
	if (s->attrs & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (s->attrs & THEME_REVERSE)
		a |= A_REVERSE;
	if (s->attrs & THEME_DIM)
		a |= A_DIM;
	return a;
}

/*
 * The key ch read from w, an escape sequence curses did not know read
 * whole (termkeys_escape): the key, or ERR when there is none (the read
 * timed out, or a sequence was dropped); -2 once a signal asks to quit.
 */
static int
tui_key_of(WINDOW *w, int ch)
{
	if (tui_quit)
		return -2;
	if (ch == 27 && (ch = termkeys_escape(w)) == 0)
		return ERR;
	return ch;
}

/* The next key; KEY_RESIZE on a resize; -2 once a signal asks to quit. */
int
tui_getkey(void)
{
	int	ch;

	while ((ch = tui_getkey_within(-1)) == TUI_IDLE)
		;
	return ch;
}

/*
 * The next key within about ms milliseconds (-1: however long it takes),
 * or TUI_IDLE; -2 once a signal asks to quit. A read waits 200 ms at most
 * (tui_start's timeout).
 */
int
tui_getkey_within(int ms)
{
	int	ch, waited;

	for (waited = 0; ms < 0 || waited < ms; waited += 200) {
		if (tui_quit)
			return -2;
		if ((ch = tui_key_of(stdscr, getch())) != ERR)
			return ch;
	}
	return TUI_IDLE;
}

/*
 * A wide read's result (r, *wc) with an unknown escape sequence read
 * whole: Home and End as keys; ERR for one dropped.
 */
static int
tui_escape(WINDOW *w, int r, wint_t *wc)
{
	int	key;

	if (r != OK || *wc != 27)
		return r;
	if ((key = termkeys_escape(w)) == 27)
		return OK;
	if (key == 0)
		return ERR;
	*wc = (wint_t)key;
	return KEY_CODE_YES;
}

/* The next key or character, wide; -2 once a signal asks to quit. */
int
tui_getwch(wint_t *wc)
{
	int	r;

	for (;;) {
		if (tui_quit)
			return -2;
		r = tui_escape(stdscr, get_wch(wc), wc);
		if (r != ERR)
			return r;
	}
}

bool
tui_too_small(void)
{
	const char	*msg = "terminal too small: make it at least 60x16";

	if (COLS >= TUI_MIN_COLS && LINES >= TUI_MIN_LINES)
		return false;
	erase();
	mvaddnstr(LINES / 2, COLS > (int)strlen(msg) ? (COLS -
	    (int)strlen(msg)) / 2 : 0, msg, COLS);
	refresh();
	return true;
}

void
tui_message(bool error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(tui_msg, sizeof tui_msg, fmt, ap);
	va_end(ap);
	tui_msg_error = error;
}

/* Whether the screens use colours (not under NO_COLOR, nor without). */
bool
tui_has_colour(void)
{
	return tui_colour;
}

bool
tui_message_is_error(void)
{
	return tui_msg_error && tui_msg[0] != '\0';
}

void
tui_fill(WINDOW *w, int y, int x, int n, enum theme_role r)
{
	wattrset(w, tui_attr(r));
	mvwhline(w, y, x, ' ', n);
}

/*
 * text wrapped at spaces to width columns (bytes; a word longer than
 * that is cut at a character's start), drawn in w from (y, x) when w is
 * not NULL: the lines it takes, at most max (the last one cut).
 */
static int
tui_wrap(WINDOW *w, int y, int x, int width, int max, const char *text)
{
	const char	*p = text;
	int		 n, lines = 0;

	if (width < 1)
		width = 1;
	while (*p != '\0' && lines < max) {
		n = (int)strlen(p);
		if (n > width && lines < max - 1) {
			for (n = width; n > 0 && p[n] != ' '; n--)
				;
			if (n == 0)
				for (n = width; n > 1 &&
				    ((unsigned char)p[n] & 0xc0) == 0x80; n--)
					;
		}
		if (w != NULL)
			mvwaddnstr(w, y + lines, x, p, n < width ? n : width);
		p += n;
		while (*p == ' ')
			p++;
		lines++;
	}
	return lines;
}

/*
 * The message, wrapped at spaces to the width: the lines it takes (at
 * most max), drawn (with draw) from row y down.
 */
static int
tui_message_lines(int y, int width, int max, bool draw)
{
	int	lines = tui_wrap(draw ? stdscr : NULL, y, 1, width, max,
		    tui_msg);

	return lines > 0 ? lines : 1;
}

/* The columns keys from to end take in the key bar, two between each. */
static int
tui_bar_width(const struct tui_key *keys, int from, int end)
{
	int	w = 0, i;

	for (i = from; i < end; i++)
		w += (i > from ? 2 : 0) + (int)(strlen(keys[i].key) + 1 +
		    strlen(keys[i].what));
	return w;
}

/*
 * Title, message line and key bar around whatever the screen draws. A
 * long message takes up to three lines, over the screen's last rows; the
 * key bar shows the keys that fit whole, F1 (help, which lists them all)
 * and the keys after it always.
 */
void
tui_draw_frame(const char *title, const struct tui_key *keys)
{
	int	x, n, i, lines, tail, room;

	tui_fill(stdscr, 0, 0, COLS, THEME_TITLE);
	mvaddnstr(0, 1, title, COLS - 2);
	lines = tui_message_lines(0, COLS - 2, 3, false);
	for (n = 0; n < lines; n++)
		tui_fill(stdscr, LINES - 1 - lines + n, 0, COLS,
		    tui_msg_error ? THEME_MESSAGE_ERROR : THEME_MESSAGE);
	tui_message_lines(LINES - 1 - lines, COLS - 2, 3, true);
	tui_fill(stdscr, LINES - 1, 0, COLS, THEME_KEYBAR);
	/* F1 and what follows it are kept: the keys that fit go before */
	for (n = 0, tail = 0; keys != NULL && keys[n].key != NULL; n++)
		if (strcmp(keys[n].key, "F1") == 0)
			tail = n;
	if (tui_bar_width(keys, 0, n) > COLS)
		room = COLS - tui_bar_width(keys, tail, n) - 2;
	else
		room = COLS, tail = n;
	for (x = 0, i = 0; i < n; i++) {
		if (i < tail && x + tui_bar_width(keys, i, i + 1) > room)
			i = tail;
		if (i >= n || x + tui_bar_width(keys, i, i + 1) > COLS)
			break;
		attrset(tui_attr(THEME_KEYBAR_KEY));
		mvaddstr(LINES - 1, x, keys[i].key);
		x += (int)strlen(keys[i].key);
		attrset(tui_attr(THEME_KEYBAR));
		mvaddstr(LINES - 1, x, " ");
		mvaddnstr(LINES - 1, x + 1, keys[i].what, COLS - x - 1);
		x += (int)strlen(keys[i].what) + 3;
	}
	attrset(tui_attr(THEME_NORMAL));
}

/* A boxed window from row y (-1: in the middle of the screen). */
static WINDOW *
tui_box_at(int y, int h, int w, const char *title)
{
	WINDOW	*win;

	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		h = LINES - 2;
	if (y < 0 || y + h > LINES - 1)
		y = (LINES - h) / 2;
	win = newwin(h, w, y, (COLS - w) / 2);
	keypad(win, TRUE);
	wtimeout(win, 200);
	wbkgd(win, tui_attr(THEME_DIALOG));
	werase(win);
	box(win, 0, 0);
	if (title != NULL)
		mvwprintw(win, 0, 2, " %.*s ", w - 6, title);
	return win;
}

static WINDOW *
tui_box(int h, int w, const char *title)
{
	return tui_box_at(-1, h, w, title);
}

/*
 * Put a dialog on the terminal whole: redrawwin() makes curses send every
 * line of it, whatever it believes the terminal already shows, so a
 * dialog is never waiting for a key unseen.
 */
static void
tui_show(WINDOW *w)
{
	redrawwin(w);
	wrefresh(w);
}

/* After a resize: the screen cleared for the dialog to be drawn anew. */
static void
tui_dialog_resized(void)
{
	erase();
	refresh();
}

static int
tui_wkey(WINDOW *w)
{
	int	ch;

	while ((ch = tui_key_of(w, wgetch(w))) == ERR)
		;
	return ch;
}

bool
tui_confirm(const char *fmt, ...)
{
	WINDOW	*w;
	char	 q[512];
	va_list	 ap;
	int	 ch, width, lines;

	va_start(ap, fmt);
	vsnprintf(q, sizeof q, fmt, ap);
	va_end(ap);
again:
	width = (int)strlen(q) + 6;
	if (width > COLS - 4)
		width = COLS - 4;
	if (width < 30)
		width = 30;
	/* the question wrapped at spaces: counted, then drawn */
	lines = tui_wrap(NULL, 0, 0, width - 4, LINES, q);
	w = tui_box(lines + 4, width, NULL);
	tui_wrap(w, 1, 2, width - 4, LINES, q);
	mvwaddstr(w, lines + 2, 2, "y: yes   n or Esc: no");
	tui_show(w);
	for (;;) {
		ch = tui_wkey(w);
		if (ch == KEY_RESIZE) {
			delwin(w);
			tui_dialog_resized();
			goto again;
		}
		if (ch == 'y' || ch == 'Y' || ch == 'n' || ch == 'N' ||
		    ch == 27 || ch == -2)
			break;
	}
	delwin(w);
	touchwin(stdscr);
	return ch == 'y' || ch == 'Y';
}

/* Complete a path in buf: to the longest prefix all matches share. */
static void
tui_complete(char *buf, size_t size)
{
	glob_t	 g;
	char	*pat;
	size_t	 i, common;

	if (asprintf(&pat, "%s*", buf) < 0)
		return;
	if (glob(pat, GLOB_MARK | GLOB_TILDE, NULL, &g) != 0) {
		free(pat);
		return;
	}
	free(pat);
	common = strlen(g.gl_pathv[0]);
	for (i = 1; i < g.gl_pathc; i++) {
		size_t	k = 0;

		while (k < common && g.gl_pathv[i][k] == g.gl_pathv[0][k])
			k++;
		common = k;
	}
	if (common >= strlen(buf) && common < size) {
		memcpy(buf, g.gl_pathv[0], common);
		buf[common] = '\0';
	}
	if (g.gl_pathc > 1)
		tui_message(false, "%zu matches", g.gl_pathc);
	globfree(&g);
}

/* Remove the last character, UTF-8 sequences whole. */
static void
tui_backspace(char *buf)
{
	size_t	len = strlen(buf);

	if (len == 0)
		return;
	len--;
	while (len > 0 && ((unsigned char)buf[len] & 0xc0) == 0x80)
		len--;
	buf[len] = '\0';
}

/*
 * The prompt's box for question, wrapped over as many lines as it takes
 * (and fit): its width and those lines back.
 */
static WINDOW *
tui_prompt_box(const char *question, int *width, int *lines)
{
	*width = COLS - 8 > 70 ? 70 : COLS - 8;
	*lines = tui_wrap(NULL, 0, 0, *width - 4, LINES - 8 > 1 ? LINES - 8 :
	    1, question);
	if (*lines < 1)
		*lines = 1;
	return tui_box(*lines + 5, *width, NULL);
}

/*
 * Ask for a line of text, UTF-8 allowed. NULL on Esc. With paths, Tab
 * completes file names. The initial text starts selected, as a proposal:
 * typing replaces it, any editing key keeps it.
 */
char *
tui_prompt(const char *question, const char *initial, bool paths)
{
	WINDOW	*w;
	char	 buf[1024], mb[MB_LEN_MAX];
	size_t	 len, n;
	wint_t	 wc;
	int	 r, width, shown, lines;
	bool	 fresh;
	mbstate_t st;

	snprintf(buf, sizeof buf, "%s", initial != NULL ? initial : "");
	fresh = buf[0] != '\0';
	w = tui_prompt_box(question, &width, &lines);
	curs_set(1);
	for (;;) {
		len = strlen(buf);
		werase(w);
		box(w, 0, 0);
		tui_wrap(w, 1, 2, width - 4, lines, question);
		wattrset(w, tui_attr(THEME_FIELD_ACTIVE));
		mvwhline(w, lines + 2, 2, ' ', width - 4);
		/* the end of the text when it is longer than the field */
		shown = (int)len > width - 5 ? (int)len - (width - 5) : 0;
		if (fresh)
			wattrset(w, tui_attr(THEME_LIST_SELECTED));
		mvwaddnstr(w, lines + 2, 2, buf + shown, width - 5);
		wattrset(w, tui_attr(THEME_DIALOG));
		mvwaddstr(w, lines + 3, 2, paths ? "Enter: ok  Esc: back  "
		    "Ctrl-U: clear  Tab: complete" : "Enter: ok  Esc: back  "
		    "Ctrl-U: clear");
		tui_show(w);
		r = tui_escape(w, wget_wch(w, &wc), &wc);
		if (r == ERR) {
			if (tui_quit)
				break;
			continue;
		}
		if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
			delwin(w);
			tui_dialog_resized();
			w = tui_prompt_box(question, &width, &lines);
			continue;
		}
		if (r == KEY_CODE_YES) {
			fresh = false;
			if (wc == KEY_BACKSPACE)
				tui_backspace(buf);
			else if (wc == KEY_ENTER)
				goto done;
			continue;
		}
		if (wc == 27)
			break;
		if (wc == '\r' || wc == '\n')
			goto done;
		if (wc == 21) {		/* Ctrl-U: clear */
			buf[0] = '\0';
			continue;
		}
		if (wc == '\t' && paths) {
			fresh = false;
			tui_complete(buf, sizeof buf);
			continue;
		}
		if (wc == 127 || wc == 8) {
			fresh = false;
			tui_backspace(buf);
			continue;
		}
		if (wc < 32) {
			fresh = false;
			continue;
		}
		if (fresh)		/* typing replaces the proposal */
			buf[0] = '\0';
		fresh = false;
		len = strlen(buf);
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, (wchar_t)wc, &st);
		if (n != (size_t)-1 && len + n < sizeof buf) {
			memcpy(buf + len, mb, n);
			buf[len + n] = '\0';
		}
	}
	curs_set(0);
	delwin(w);
	touchwin(stdscr);
	return NULL;
done:
	curs_set(0);
	delwin(w);
	touchwin(stdscr);
	return strdup(buf);
}

/*
 * Ask until the answer passes check (NULL: any answer does), showing why
 * not in the question and keeping what was typed. NULL on Esc.
 */
char *
tui_ask(const char *question, const char *initial, bool paths,
    int (*check)(const char *, void *, char **), void *arg)
{
	char	*answer, *cause = NULL, q[600], *prev = NULL;

	snprintf(q, sizeof q, "%s", question);
	for (;;) {
		answer = tui_prompt(q, prev != NULL ? prev : initial, paths);
		free(prev);
		if (answer == NULL || check == NULL ||
		    check(answer, arg, &cause) == 0)
			return answer;
		snprintf(q, sizeof q, "%s (%s)", question, cause ? cause : "?");
		free(cause);
		cause = NULL;
		prev = answer;
	}
}

/* Pick one of items (Up, Down, Home, End, Enter); -1 on Esc. */
int
tui_menu(const char *title, const char *const *items, int sel)
{
	return tui_menu_at(-1, title, items, sel);
}

/*
 * The menu's box from row y: the title on its border, or, longer than
 * fits there, wrapped inside above the items (*top: the items' first row).
 */
static WINDOW *
tui_menu_box(int y, const char *title, int n, int width, int *top)
{
	WINDOW	*w;
	int	 lines = 0;

	if (width > COLS - 2)
		width = COLS - 2;
	if ((int)strlen(title) + 6 > width)
		lines = tui_wrap(NULL, 0, 0, width - 4, LINES - n - 6 > 1 ?
		    LINES - n - 6 : 1, title);
	w = tui_box_at(y, n + 4 + (lines ? lines + 1 : 0), width, lines ? NULL :
	    title);
	tui_wrap(w, 1, 2, width - 4, lines, title);
	*top = lines ? lines + 2 : 2;
	return w;
}

/* tui_menu() from row y, below what the screen shows (-1: centred). */
int
tui_menu_at(int y, const char *title, const char *const *items, int sel)
{
	WINDOW	*w;
	int	 n, i, ch, width = 20, top;

	for (n = 0; items[n] != NULL; n++)
		if ((int)strlen(items[n]) + 8 > width)
			width = (int)strlen(items[n]) + 8;
	if ((int)strlen(title) + 8 > width)
		width = (int)strlen(title) + 8;
	w = tui_menu_box(y, title, n, width, &top);
	for (;;) {
		for (i = 0; i < n; i++) {
			wattrset(w, i == sel ? tui_attr(THEME_LIST_SELECTED) :
			    tui_attr(THEME_DIALOG));
			mvwhline(w, i + top, 2, ' ', getmaxx(w) - 4);
			mvwaddnstr(w, i + top, 3, items[i], getmaxx(w) - 6);
		}
		wattrset(w, tui_attr(THEME_DIALOG));
		tui_show(w);
		ch = tui_wkey(w);
		if (ch == KEY_RESIZE) {
			delwin(w);
			tui_dialog_resized();
			w = tui_menu_box(y, title, n, width, &top);
			continue;
		}
		if (ch == KEY_UP && sel > 0)
			sel--;
		else if (ch == KEY_DOWN && sel < n - 1)
			sel++;
		else if (ch == KEY_HOME || ch == KEY_END)
			sel = ch == KEY_HOME ? 0 : n - 1;
		else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER)
			break;
		else if (ch == 27 || ch == -2) {
			sel = -1;
			break;
		}
	}
	delwin(w);
	touchwin(stdscr);
	return sel;
}

/*
 * A progress dialog: what is going on, a line of detail, and a bar filled
 * permille/1000 (-1: the size is not known; -2: a wait that cannot be
 * cancelled, no bar). True when the person pressed Esc (or a signal asked
 * to quit): the caller cancels.
 */
bool
tui_progress(const char *title, const char *text, int permille)
{
	WINDOW	*w;
	int	 width = COLS - 8 < 72 ? COLS - 8 : 72, fill, ch;
	bool	 cancel = false;

	if (width < 30)
		width = 30;
	w = tui_box(7, width, title);
	mvwaddnstr(w, 2, 2, text, width - 4);
	if (permille >= 0) {
		fill = (width - 4) * (permille > 1000 ? 1000 : permille) / 1000;
		mvwhline(w, 3, 2, ACS_CKBOARD, width - 4);
		wattrset(w, tui_attr(THEME_LIST_SELECTED));
		mvwhline(w, 3, 2, ' ', fill);
		wattrset(w, tui_attr(THEME_DIALOG));
		mvwprintw(w, 3, width / 2 - 3, " %3d%% ", permille / 10);
	}
	if (permille >= -1)
		mvwaddnstr(w, 5, 2, "Esc cancels (what arrived is kept)",
		    width - 4);
	tui_show(w);
	wtimeout(w, 0);
	while ((ch = wgetch(w)) != ERR)
		if (ch == 27 && termkeys_escape(w) == 27)
			cancel = true;
	delwin(w);
	touchwin(stdscr);
	return cancel || tui_quit;
}

/* A scrollable text: arrows, PgUp/PgDn, Home/End; Esc or q goes back. */
void
tui_view(const char *title, const char *text)
{
	const struct tui_key	 keys[] = { { "Esc", "back" },
	    { "Up/Down PgUp/PgDn", "scroll" }, { NULL, NULL } };
	const char		**lines = NULL, *p;
	size_t			 n = 0, top = 0, i, len;
	int			 ch, rows;

	for (p = text; *p != '\0'; p += len + (p[len] == '\n')) {
		const char **more;

		len = strcspn(p, "\n");
		if ((more = realloc(lines, (n + 1) * sizeof *lines)) == NULL)
			break;
		lines = more;
		lines[n++] = p;
	}
	tui_message(false, "%zu lines", n);
	for (;;) {
		erase();
		if (tui_too_small())
			goto key;
		rows = LINES - 3;
		for (i = 0; (int)i < rows && top + i < n; i++) {
			len = strcspn(lines[top + i], "\n");
			mvaddnstr((int)i + 1, 0, lines[top + i],
			    (int)len < COLS ? (int)len : COLS);
		}
		tui_draw_frame(title, keys);
		refresh();
key:
		ch = tui_getkey();
		rows = LINES - 3;
		if (ch == 27 || ch == 'q' || ch == -2)
			break;
		if (ch == KEY_DOWN && top + (size_t)rows < n)
			top++;
		else if (ch == KEY_UP && top > 0)
			top--;
		else if (ch == KEY_NPAGE)
			top = top + (size_t)rows < n ? top + (size_t)rows : top;
		else if (ch == KEY_PPAGE)
			top = top > (size_t)rows ? top - (size_t)rows : 0;
		else if (ch == KEY_HOME)
			top = 0;
		else if (ch == KEY_END)
			top = n > (size_t)rows ? n - (size_t)rows : 0;
	}
	free(lines);
	tui_message(false, "%s", "");
}
