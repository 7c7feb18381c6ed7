/*
 * view: the launch view, vmtui's split pane. The machine's status on the
 * left (state from QMP events, uptime, forwards, shares with their mount
 * hint, keys); its serial console on the right, drawn from the console
 * model (core/console.c), with a scrollback. One poll() watches the
 * terminal, the pty, the QMP socket and the signal flags; the pane is
 * redrawn at most 60 times a second and only in the rows that changed,
 * and a flood of output never makes keys wait (the pty is read in bounded
 * slices). Every byte also goes to the console log. QEMU never outlives
 * the view: leaving while it runs asks, then powers it down.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "console.h"
#include "io.h"
#include "launch.h"
#include "paths.h"
#include "plan.h"
#include "preflight.h"
#include "profile.h"
#include "qmp.h"
#include "runtime.h"
#include "settings.h"
#include "tui.h"

#define VIEW_STATUS_W	34
#define VIEW_SCROLLBACK	10000
#define VIEW_FRAME_MS	16		/* at most ~60 redraws a second */
#define VIEW_SLICE	(32 * 1024)	/* pty bytes between two looks at keys */
#define VIEW_POWERDOWN	30		/* seconds before quit follows */

struct view {
	struct profile	*p;
	struct plan	*pl;
	struct launch	 l;
	struct console	*con;
	struct qmp	*qmp;
	bool		 running;
	char		 state[32];
	char		 how[512];	/* how QEMU ended, or why it did not start */
	char		 lastline[256];	/* QEMU's last "qemu-system-...: " line */
	char		 linebuf[256];
	size_t		 linelen;
	long		 started, powerdown_at;
	size_t		 offset;	/* lines scrolled back */
	bool		 full, dirty, shutdown_seen;
	bool		 scrolling;	/* scrollback mode: keys move */
	bool		 escaped;	/* the escape key was pressed */
	long		 escaped_at;
	struct settings	 keys;
	char		 key_names[4][16];
	struct tui_key	 run_keys[5];
	int		 status;	/* QEMU's last exit status; 1: not started */
	long		 last_draw;
	short		*pairs;		/* (fg + 1) * 257 + bg + 1: a pair */
	int		 next_pair;
};

static long
view_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void
view_geometry(int *rows, int *cols)
{
	*rows = LINES - 3;
	*cols = COLS - VIEW_STATUS_W - 1;
	if (*rows < 1)
		*rows = 1;
	if (*cols < 10)
		*cols = 10;
}

/* The RGB of an xterm colour index (0-255), for the nearest match. */
static void
view_rgb(int idx, int *r, int *g, int *b)
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
view_colour(int idx)
{
	int	n = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8, i, best = 0;
	int	r, g, b, r2, g2, b2;
	long	d, bestd = -1;

	if (idx < 0 || idx < n)
		return idx;
	view_rgb(idx, &r, &g, &b);
	for (i = 0; i < n; i++) {
		view_rgb(i, &r2, &g2, &b2);
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
view_cell_attr(struct view *v, const struct console_cell *c, short *pair)
{
	int	fg = view_colour(c->fg), bg = view_colour(c->bg), k;
	attr_t	a = A_NORMAL;

	*pair = 0;
	if (tui_has_colour() && (fg != -1 || bg != -1)) {
		if (v->pairs == NULL)
			v->pairs = calloc(257 * 257, sizeof *v->pairs);
		k = (fg + 1) * 257 + (bg + 1);
		if (v->pairs != NULL && v->pairs[k] == 0 &&
		    v->next_pair < COLOR_PAIRS && v->next_pair < SHRT_MAX &&
		    init_pair((short)v->next_pair, (short)fg, (short)bg) == OK)
			v->pairs[k] = (short)v->next_pair++;
		if (v->pairs != NULL)
			*pair = v->pairs[k];
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

static void
view_draw_row(struct view *v, int row, int x0, int cols)
{
	struct console_cell	c;
	cchar_t			cc;
	wchar_t			wc[2];
	attr_t			a;
	short			pair;
	int			col;

	for (col = 0; col < cols; col++) {
		console_cell(v->con, row, col, v->offset, &c);
		if (c.width == 0)
			continue;
		wc[0] = c.ch >= 32 ? (wchar_t)c.ch : L' ';
		wc[1] = L'\0';
		/* the pair goes to setcchar: it overrides colour bits */
		a = view_cell_attr(v, &c, &pair);
		setcchar(&cc, wc, a, pair, NULL);
		mvadd_wch(1 + row, x0 + col, &cc);
	}
}

static void
view_status(struct view *v, struct buf *b)
{
	const struct profile	*p = v->p;
	long			 up;
	size_t			 i;

	buf_printf(b, "%s\n\n", p->name);
	buf_printf(b, "state:  %s\n", v->state);
	if (v->started > 0 && v->running) {
		up = (view_now() - v->started) / 1000;
		buf_printf(b, "uptime: %ld:%02ld:%02ld\n", up / 3600,
		    up / 60 % 60, up % 60);
	}
	if (v->powerdown_at > 0 && v->running)
		buf_printf(b, "powering down: quit in %ld s\n",
		    (v->powerdown_at - view_now()) / 1000 + 1);
	buf_printf(b, "memory: %ld MiB, %ld core%s\n\n", p->memory, p->cores,
	    p->cores == 1 ? "" : "s");
	if (p->nforwards > 0)
		buf_puts(b, "forwards:\n");
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];

		if (f->from == FWD_HOST)
			buf_printf(b, " %s:%ld -> %s:%ld%s\n", f->host_address,
			    f->host_port, f->guest_address, f->guest_port,
			    f->proto == PROTO_UDP ? " udp" : "");
		else
			buf_printf(b, " guest %s:%ld -> %s:%ld\n",
			    f->guest_address, f->guest_port, f->host_address,
			    f->host_port);
	}
	if (p->nshares > 0)
		buf_puts(b, "\nshares (mount in the guest):\n");
	/* the hint on three lines: the pane is narrow */
	for (i = 0; i < p->nshares; i++)
		buf_printf(b, " mount -t 9p -o trans=virtio,\\\n"
		    "   version=9p2000.L,msize=%ld \\\n   %s %s\n", p->msize,
		    p->shares[i].tag, *p->shares[i].target ?
		    p->shares[i].target : "/mnt");
	if (v->offset > 0 || v->scrolling)
		buf_printf(b, "\nscrolled back %zu lines\n(q or Esc: back)\n",
		    v->offset);
	if (v->running)
		buf_printf(b, "\nkeys go to the guest;\n%s then ? for help\n",
		    v->keys.escape_name);
	else
		buf_puts(b, "\nr   launch again\nEsc back\n");
}

static void
view_draw(struct view *v)
{
	static const struct tui_key scroll_keys[] = { { "Up/Down", "line" },
	    { "PgUp/PgDn", "page" }, { "g/G", "top/bottom" },
	    { "q/Esc", "back" }, { NULL, NULL } };
	static const struct tui_key end_keys[] = { { "r", "relaunch" },
	    { "Esc", "back" }, { NULL, NULL } };
	struct buf	 b;
	char		*text, *line, title[256];
	int		 rows, cols, top = 0, bottom = -1, y, r, cr, cc;
	bool		 vis;

	if (tui_too_small())
		return;
	view_geometry(&rows, &cols);
	if (v->full) {
		erase();
		top = 0;
		bottom = rows - 1;
		v->full = false;
		while (v->con != NULL && console_damage(v->con, &r, &r))
			;
	} else if (v->con != NULL && !console_damage(v->con, &top, &bottom))
		bottom = -1;
	if (v->offset > 0) {		/* scrolled: every row moves */
		top = 0;
		bottom = rows - 1;
	}
	for (r = top; v->con != NULL && r <= bottom && r < rows; r++)
		view_draw_row(v, r, VIEW_STATUS_W + 1, cols);

	/* the status pane */
	for (y = 1; y <= rows; y++)
		tui_fill(stdscr, y, 0, VIEW_STATUS_W, THEME_DETAILS);
	attrset(tui_attr(THEME_BORDER));
	mvvline(1, VIEW_STATUS_W, ACS_VLINE, rows);
	buf_init(&b);
	view_status(v, &b);
	if ((text = buf_finish(&b, NULL)) != NULL) {
		y = 1;
		for (line = strtok(text, "\n"); line != NULL && y <= rows;
		    line = strtok(NULL, "\n"), y++) {
			attrset(tui_attr(strncmp(line, "state:", 6) == 0 &&
			    v->running ? THEME_STATUS_RUNNING : THEME_DETAILS));
			mvaddnstr(y, 1, line, VIEW_STATUS_W - 2);
		}
		free(text);
	}
	snprintf(title, sizeof title, "vmtui - %s - %s", v->p->name, v->state);
	if (v->how[0] != '\0')
		tui_message(true, "%s", v->how);
	tui_draw_frame(title, v->scrolling ? scroll_keys : v->running ?
	    v->run_keys : end_keys);
	if (v->con != NULL && v->running && v->offset == 0) {
		console_cursor(v->con, &cr, &cc, &vis);
		curs_set(vis ? 1 : 0);
		move(1 + cr, VIEW_STATUS_W + 1 + cc);
	} else
		curs_set(0);
	refresh();
	v->last_draw = view_now();
	v->dirty = false;
}

/* Remember QEMU's own error lines ("qemu-system-x86_64: ...") as they pass. */
static void
view_watch(struct view *v, const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n' || p[i] == '\r') {
			v->linebuf[v->linelen] = '\0';
			if (strncmp(v->linebuf, "qemu-system-", 12) == 0)
				snprintf(v->lastline, sizeof v->lastline, "%s",
				    v->linebuf);
			v->linelen = 0;
		} else if (v->linelen + 1 < sizeof v->linebuf)
			v->linebuf[v->linelen++] = p[i];
	}
}

/* QEMU's last error in plain words; a port in use names the forward. */
static void
view_explain(struct view *v, int status)
{
	const char	*msg = strchr(v->lastline, ':');
	const char	*rule;
	size_t		 i;

	if (status == 0) {
		snprintf(v->how, sizeof v->how, "%s", v->shutdown_seen ?
		    "the guest powered off" : "QEMU exited (status 0)");
		return;
	}
	msg = msg != NULL ? msg + 2 : "";
	if ((rule = strstr(v->lastline, "host forwarding rule")) != NULL) {
		for (i = 0; i < v->p->nforwards; i++) {
			char port[32];

			snprintf(port, sizeof port, ":%ld-",
			    v->p->forwards[i].host_port);
			if (strstr(rule, port) != NULL)
				break;
		}
		if (i < v->p->nforwards)
			snprintf(v->how, sizeof v->how, "QEMU could not listen "
			    "on host port %ld (forward %s:%ld -> :%ld): the port "
			    "is in use", v->p->forwards[i].host_port,
			    v->p->forwards[i].host_address,
			    v->p->forwards[i].host_port,
			    v->p->forwards[i].guest_port);
		else
			snprintf(v->how, sizeof v->how, "QEMU could not set up a "
			    "forward: %s", msg);
		return;
	}
	if (*msg != '\0')
		snprintf(v->how, sizeof v->how, "QEMU exited with status %d: "
		    "%s", status, msg);
	else
		snprintf(v->how, sizeof v->how, "QEMU exited with status %d",
		    status);
}

static void
view_set_state(struct view *v, const char *s)
{
	snprintf(v->state, sizeof v->state, "%s", s);
	v->dirty = true;
}

static void
view_qmp_status(struct view *v)
{
	char	*status = NULL, *cause = NULL;

	if (v->qmp != NULL && qmp_status(v->qmp, &status, &cause) == 0)
		view_set_state(v, strcmp(status, "running") == 0 ? "running" :
		    strcmp(status, "paused") == 0 ? "paused" : status);
	free(status);
	free(cause);
}

static void
view_qmp_connect(struct view *v)
{
	char	*sock, *cause = NULL;

	if (v->qmp != NULL || !v->running)
		return;
	if ((sock = runtime_file(v->p->name, "qmp.sock")) == NULL)
		return;
	if (qmp_open(sock, 500, &v->qmp, &cause) == 0)
		view_qmp_status(v);
	free(cause);
	free(sock);
}

static int
view_qmp(struct view *v, const char *command)
{
	char	*cause = NULL;
	int	 r = 0;

	if (v->qmp == NULL || qmp_execute(v->qmp, command, NULL, &cause) != 0) {
		tui_message(true, "%s", cause ? cause : "QMP is not connected "
		    "yet");
		r = -1;
	}
	free(cause);
	return r;
}

static void
view_start(struct view *v)
{
	struct winsize	 ws;
	char		*cause = NULL, *note = NULL;
	int		 rows, cols;

	v->how[0] = v->lastline[0] = '\0';
	v->linelen = 0;
	v->offset = 0;
	v->powerdown_at = 0;
	v->shutdown_seen = false;
	v->full = v->dirty = true;
	view_geometry(&rows, &cols);
	console_free(v->con);
	v->con = console_new(rows, cols, VIEW_SCROLLBACK);
	if (preflight_check(v->p, v->pl, &note, &cause) != 0) {
		snprintf(v->how, sizeof v->how, "cannot start: %s",
		    cause ? cause : "?");
		for (char *s = v->how; *s; s++)
			if (*s == '\n')
				*s = ';';
		view_set_state(v, "not started");
		v->status = 1;
		free(cause);
		free(note);
		return;
	}
	if (note != NULL)
		tui_message(false, "%s", note);
	free(note);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	ws.ws_xpixel = ws.ws_ypixel = 0;
	if (launch_start(v->pl, &ws, &v->l, &cause) != 0) {
		snprintf(v->how, sizeof v->how, "cannot start: %s",
		    cause ? cause : "?");
		view_set_state(v, "not started");
		v->status = 1;
		free(cause);
		return;
	}
	fcntl(v->l.master, F_SETFL, O_NONBLOCK);
	v->running = true;
	v->started = view_now();
	view_set_state(v, "starting");
}

/* QEMU has gone: read what it left, reap it, say how it went. */
static void
view_ended(struct view *v, int status)
{
	char	buf[4096];
	ssize_t	n;

	while ((n = read(v->l.master, buf, sizeof buf)) > 0) {
		launch_log(&v->l, buf, (size_t)n);
		view_watch(v, buf, (size_t)n);
		console_feed(v->con, buf, (size_t)n);
	}
	v->running = false;
	qmp_close(v->qmp);
	v->qmp = NULL;
	launch_close(&v->l);
	runtime_clean_stale(v->p->name);
	v->status = launch_status(status);
	view_explain(v, v->status);
	view_set_state(v, "stopped");
	v->full = true;
}

static bool
view_check_child(struct view *v)
{
	int	status;

	if (!v->running || waitpid(v->l.pid, &status, WNOHANG) != v->l.pid)
		return false;
	view_ended(v, status);
	return true;
}

static void
view_send(struct view *v)
{
	char	buf[256];
	size_t	n;

	while (v->running && (n = console_output(v->con, buf, sizeof buf)) > 0)
		io_write_all(v->l.master, buf, n);
}

/* A key for the guest, unless the view keeps it. */
/*
 * A key for the guest, as a terminal sends it: every key, Esc, F-keys and
 * Ctrl-C included (only the escape key is the view's). Shifted keys carry
 * their modifier, as xterm writes them.
 */
static void
view_key(struct view *v, int r, wint_t wc)
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
	char	c;
	size_t	i;
	int	f;

	if (r == KEY_CODE_YES) {
		for (i = 0; i < sizeof map / sizeof map[0]; i++)
			if (map[i].curses == (int)wc)
				console_key(v->con, map[i].key, map[i].mods);
		/* F1-F12, and F13-F24 as terminfo names Shift-F1-F12 */
		f = (int)wc - KEY_F(1);
		if (f >= 0 && f < 24)
			console_key(v->con, (enum console_key)(CONSOLE_KEY_F1 +
			    f % 12), f >= 12 ? CONSOLE_MOD_SHIFT : 0);
	} else if (wc < 32 || wc == 127) {
		c = (char)wc;		/* Esc, Ctrl-C, Ctrl-a: as they are */
		io_write_all(v->l.master, &c, 1);
	} else
		console_unichar(v->con, (uint32_t)wc, false);
	view_send(v);
}

static void	view_shutdown(struct view *);

static const char view_help[] =
    "In the launch view every key goes to the guest, as a terminal\n"
    "sends it: Esc, F-keys, Ctrl-C, arrows. The view has one key of its\n"
    "own, the escape key (escape-key in vmtui.conf), and a command\n"
    "after it:\n"
    "\n"
    "  p        press the power button; QEMU is quit 30 s later if\n"
    "           the guest has not powered off\n"
    "  q        force the machine to quit (asks)\n"
    "  z        pause or resume the machine\n"
    "  [ PgUp   scroll back: Up/Down, PgUp/PgDn, g/G; q or Esc back\n"
    "  m        QEMU's monitor (Ctrl-a c switches back)\n"
    "  d        leave the view (the machine is powered down first:\n"
    "           machines that outlive the view are still to come)\n"
    "  ?        this help\n"
    "  the escape key again: send it to the guest\n";

/* The escape key's names for the key bar and the messages. */
static void
view_keys_init(struct view *v)
{
	static const char *const cmd[4][2] = { { "?", "help" },
	    { "p", "power down" }, { "[", "scroll" }, { "d", "leave" } };
	char	*cause = NULL;
	int	 i;

	if (settings_load(&v->keys, &cause) != 0)
		tui_message(true, "%s", cause ? cause : "vmtui.conf?");
	free(cause);
	for (i = 0; i < 4; i++) {
		snprintf(v->key_names[i], sizeof v->key_names[i], "%s %s",
		    v->keys.escape_name, cmd[i][0]);
		v->run_keys[i].key = v->key_names[i];
		v->run_keys[i].what = cmd[i][1];
	}
	v->run_keys[4].key = v->run_keys[4].what = NULL;
}

/* Scrollback mode: keys move through the scrollback; true when taken. */
static bool
view_scroll_key(struct view *v, int r, wint_t wc)
{
	size_t	max = console_scrollback(v->con), half;
	int	rows, cols;

	if (!v->scrolling)
		return false;
	view_geometry(&rows, &cols);
	half = (size_t)rows / 2;
	if ((r == KEY_CODE_YES && wc == KEY_UP) || (r == OK && wc == 'k'))
		v->offset++;
	else if ((r == KEY_CODE_YES && wc == KEY_DOWN) ||
	    (r == OK && wc == 'j'))
		v->offset = v->offset > 0 ? v->offset - 1 : 0;
	else if (r == KEY_CODE_YES && (wc == KEY_PPAGE || wc == KEY_SPREVIOUS))
		v->offset += half;
	else if (r == KEY_CODE_YES && (wc == KEY_NPAGE || wc == KEY_SNEXT))
		v->offset = v->offset > half ? v->offset - half : 0;
	else if ((r == KEY_CODE_YES && wc == KEY_HOME) || (r == OK &&
	    wc == 'g'))
		v->offset = max;
	else if ((r == KEY_CODE_YES && wc == KEY_END) || (r == OK &&
	    wc == 'G'))
		v->offset = 0;
	else if (r == OK && (wc == 'q' || wc == 27)) {
		v->scrolling = false;
		v->offset = 0;
	}
	if (v->offset > max)
		v->offset = max;
	v->full = v->dirty = true;
	return true;
}

/* One command after the escape key: true to leave the view. */
static bool
view_command(struct view *v, int r, wint_t wc)
{
	static const char monitor[] = { 0x01, 'c' };	/* QEMU's mux */
	char	c;
	int	rows, cols;

	if (r == OK && (int)wc == v->keys.escape_key) {
		c = (char)wc;
		io_write_all(v->l.master, &c, 1);
		return false;
	}
	if (r == KEY_CODE_YES && wc == KEY_PPAGE)
		wc = '[';
	else if (r != OK)
		wc = 0;
	switch (wc) {
	case '?':
		tui_view("launch view: keys", view_help);
		break;
	case 'p':
		view_qmp(v, "system_powerdown");
		v->powerdown_at = view_now() + VIEW_POWERDOWN * 1000L;
		view_set_state(v, "shutting down");
		break;
	case 'q':
		if (tui_confirm("Force %s to quit, as pulling its plug "
		    "would?", v->p->name))
			view_qmp(v, "quit");
		break;
	case 'z':
		view_qmp(v, strcmp(v->state, "paused") == 0 ? "cont" : "stop");
		view_qmp_status(v);
		break;
	case '[':
		view_geometry(&rows, &cols);
		v->scrolling = true;
		v->offset = (size_t)rows / 2;
		if (v->offset > console_scrollback(v->con))
			v->offset = console_scrollback(v->con);
		break;
	case 'm':
		io_write_all(v->l.master, monitor, sizeof monitor);
		break;
	case 'd':
		if (tui_confirm("vmtui cannot keep %s running without this "
		    "view yet. Power it down and leave?", v->p->name)) {
			view_shutdown(v);
			return true;
		}
		break;
	default:
		tui_message(true, "not a command after %s; %s then ? lists "
		    "them", v->keys.escape_name, v->keys.escape_name);
		break;
	}
	v->full = v->dirty = true;
	return false;
}

/*
 * Take the machine down before leaving: the power button, and up to
 * VIEW_POWERDOWN seconds for the guest to go; then QMP's quit; then, for a
 * QEMU that answers nothing (stopped, hung), SIGKILL. It always ends: a
 * QMP that does not answer the button, or a signal to vmtui, skips the
 * wait.
 */
static void
view_shutdown(struct view *v)
{
	long	deadline = view_now() + VIEW_POWERDOWN * 1000L;

	tui_message(false, "powering %s down...", v->p->name);
	v->dirty = true;
	view_draw(v);
	if (tui_quit_requested() || view_qmp(v, "system_powerdown") != 0)
		deadline = 0;
	while (v->running && view_now() < deadline && !tui_quit_requested() &&
	    !view_check_child(v))
		usleep(100000);
	if (v->running && view_qmp(v, "quit") == 0) {
		deadline = view_now() + 3000;
		while (v->running && view_now() < deadline &&
		    !view_check_child(v))
			usleep(50000);
	}
	if (v->running) {
		kill(v->l.pid, SIGKILL);
		while (v->running && !view_check_child(v))
			usleep(20000);
	}
}

static void
view_resize(struct view *v)
{
	struct winsize	ws;
	int		rows, cols;

	view_geometry(&rows, &cols);
	console_resize(v->con, rows, cols);
	if (v->running) {
		memset(&ws, 0, sizeof ws);
		ws.ws_row = (unsigned short)rows;
		ws.ws_col = (unsigned short)cols;
		ioctl(v->l.master, TIOCSWINSZ, &ws);
	}
	v->full = v->dirty = true;
}

int
view_run(const char *file)
{
	struct view	 v;
	struct pollfd	 pfd[3];
	char		*cause = NULL, buf[65536], *ev;
	ssize_t		 n;
	size_t		 slice;
	wint_t		 wc;
	long		 wait;
	int		 r, ret = 0;

	memset(&v, 0, sizeof v);
	v.next_pair = THEME_NROLES + 1;
	v.status = 1;
	view_keys_init(&v);
	v.l.master = v.l.log = -1;
	if (profile_load(file, &v.p, &cause) != 0 ||
	    plan_build(v.p, &v.pl, &cause) != 0) {
		if (cause != NULL && strchr(cause, '\n') != NULL)
			*strchr(cause, '\n') = '\0';
		tui_message(true, "cannot launch: %s", cause ? cause : "?");
		free(cause);
		profile_free(v.p);
		return -1;
	}
	/* raw: Ctrl-C, Ctrl-Z and Ctrl-\ are the guest's keys here */
	raw();
	timeout(0);
	view_start(&v);
	for (;;) {
		if (tui_quit_requested()) {
			if (v.running)
				view_shutdown(&v);
			ret = -2;
			break;
		}
		view_check_child(&v);
		if (v.running && v.qmp == NULL && view_now() - v.started > 300)
			view_qmp_connect(&v);
		if (v.powerdown_at > 0 && v.running && view_now() >=
		    v.powerdown_at) {
			view_qmp(&v, "quit");
			v.powerdown_at = 0;
		}
		if (v.escaped && view_now() - v.escaped_at > 2000) {
			v.escaped = false;
			tui_message(false, "%s alone does nothing: %s then ? "
			    "lists the commands", v.keys.escape_name,
			    v.keys.escape_name);
			v.dirty = true;
		}
		if (v.dirty && view_now() - v.last_draw >= VIEW_FRAME_MS)
			view_draw(&v);

		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = v.running ? v.l.master : -1;
		pfd[1].events = POLLIN;
		pfd[2].fd = v.qmp != NULL ? qmp_fd(v.qmp) : -1;
		pfd[2].events = POLLIN;
		wait = v.dirty ? VIEW_FRAME_MS : (v.running ? 250 : 1000);
		if (poll(pfd, 3, (int)wait) == -1 && errno != EINTR)
			break;

		/* the pty, in bounded slices so keys never wait long */
		for (slice = 0; v.running && (pfd[1].revents & (POLLIN |
		    POLLHUP)) && slice < VIEW_SLICE; slice += (size_t)n) {
			n = read(v.l.master, buf, sizeof buf);
			if (n <= 0) {
				if (n == 0 || (errno != EAGAIN && errno != EINTR))
					pfd[1].revents = 0;
				break;
			}
			launch_log(&v.l, buf, (size_t)n);
			view_watch(&v, buf, (size_t)n);
			console_feed(v.con, buf, (size_t)n);
			view_send(&v);
			v.dirty = true;
		}
		if (pfd[2].revents & (POLLIN | POLLHUP)) {
			while ((r = qmp_event(v.qmp, &ev)) == 1) {
				if (strcmp(ev, "STOP") == 0)
					view_set_state(&v, "paused");
				else if (strcmp(ev, "RESUME") == 0)
					view_set_state(&v, "running");
				else if (strcmp(ev, "POWERDOWN") == 0)
					view_set_state(&v, "shutting down");
				else if (strcmp(ev, "SHUTDOWN") == 0) {
					v.shutdown_seen = true;
					view_set_state(&v, "shutting down");
				}
				free(ev);
			}
			if (r < 0) {
				qmp_close(v.qmp);
				v.qmp = NULL;
			}
		}
		while ((r = get_wch(&wc)) != ERR) {
			if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
				view_resize(&v);
				continue;
			}
			if (view_scroll_key(&v, r, wc))
				continue;
			if (!v.running) {
				if (wc == 'r') {
					view_start(&v);
				} else if (wc == 27 || wc == 'q')
					goto out;
				continue;
			}
			if (v.escaped) {
				v.escaped = false;
				tui_message(false, "%s", "");
				if (view_command(&v, r, wc))
					goto out;
			} else if (r == OK && (int)wc == v.keys.escape_key) {
				v.escaped = true;
				v.escaped_at = view_now();
				tui_message(false, "%s: then p power down, q quit, "
				    "z pause, [ scroll, m monitor, d leave, ? "
				    "help", v.keys.escape_name);
				v.dirty = true;
			} else
				view_key(&v, r, wc);
		}
	}
out:
	if (v.running)
		view_shutdown(&v);
	noraw();
	cbreak();
	timeout(200);
	curs_set(0);
	console_free(v.con);
	plan_free(v.pl);
	profile_free(v.p);
	settings_free(&v.keys);
	free(v.pairs);
	tui_message(false, "%s", "");
	/* what happened: QEMU's last exit status, 1 when it never started */
	return ret == -2 ? -2 : v.status;
}
