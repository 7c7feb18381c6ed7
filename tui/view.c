/*
 * view: the launch view, vmtui's split pane. The machine's status on the
 * left (state from QMP events, uptime ticking, forwards, shares with their
 * mount hint, keys); its serial console on the right, drawn from the
 * console model (core/console.c), with a scrollback. The view is attached
 * to a machine that runs on its own (core/attach.c): the screen comes from
 * the console log, keys go to the console socket. One poll() watches the
 * terminal, the log, the socket, QMP and the signal flags; the pane is
 * redrawn at most 60 times a second and only in the rows that changed, and
 * a flood of output never makes keys wait (the log is read in bounded
 * slices). Leaving (the escape key, then d) leaves the machine running;
 * only p and q take it down.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "buf.h"
#include "console.h"
#include "io.h"
#include "keys.h"
#include "launch.h"
#include "machine.h"
#include "paths.h"
#include "plan.h"
#include "profile.h"
#include "osinstall.h"
#include "qmp.h"
#include "resolve.h"
#include "runtime.h"
#include "session.h"
#include "settings.h"
#include "termkeys.h"
#include "tui.h"
#include "validate.h"
#include "view.h"

#define VIEW_STATUS_W	34
#define VIEW_SCROLLBACK	10000
#define VIEW_FRAME_MS	16		/* at most ~60 redraws a second */
#define VIEW_SLICE	(32 * 1024)	/* pty bytes between two looks at keys */
#define VIEW_BAR	8		/* keys in the bar at most */
#define VIEW_PASTE_BEGIN (KEY_MAX + 1)	/* the terminal's ESC[200~ */
#define VIEW_PASTE_END	(KEY_MAX + 2)	/* ESC[201~ */

struct view {
	struct profile	*p;
	struct plan	*pl;
	struct attach	 a;
	struct console	*con;
	struct qmp	*qmp;
	pid_t		 child;		/* QEMU when this view started it */
	bool		 running;
	char		*display;	/* where its display is, once known */
	long		 display_at;	/* when that was last asked */
	char		 state[32];
	char		 how[512];	/* how QEMU ended, or why it did not start */
	char		 lastline[256];	/* QEMU's last "qemu-system-...: " line */
	char		 linebuf[256];
	size_t		 linelen;
	time_t		 started;	/* wall clock: QEMU's pidfile */
	struct session_stop stop;	/* p and q, and their deadlines */
	long		 last_tick, last_look;
	size_t		 offset;	/* lines scrolled back */
	bool		 full, dirty, shutdown_seen;
	bool		 scrolling;	/* scrollback mode: keys move */
	bool		 escaped;	/* the escape key was pressed */
	bool		 more;		/* the log has more than a slice */
	bool		 pasting;	/* between the paste's markers */
	bool		 installed;	/* an installer wrote the disk: b */
	char		 search[128];	/* the scrollback's last search */
	long		 found;		/* the line it was found on */
	long		 escaped_at;
	struct settings	 keys;
	char		 key_names[VIEW_BAR][24];
	struct tui_key	 run_keys[VIEW_BAR + 1];
	int		 status;	/* QEMU's last exit status; 1: not started */
	long		 last_draw;
	short		*pairs;		/* (fg + 1) * 257 + bg + 1: a pair */
	int		 next_pair;
};

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

/* Text wrapped at spaces to width, a line each, for the status pane. */
static void
view_wrap(struct buf *b, const char *text, int width)
{
	const char	*p = text, *space;
	int		 len;

	while (*p != '\0') {
		len = (int)strlen(p);
		if (len > width) {
			for (space = p + width; space > p && *space != ' ';
			    space--)
				;
			len = space > p ? (int)(space - p) : width;
		}
		buf_printf(b, "%.*s\n", len, p);
		p += len;
		while (*p == ' ')
			p++;
	}
}

static void
view_status(struct view *v, struct buf *b)
{
	const struct profile	*p = v->p;
	long			 up;
	size_t			 i;
	char			*text, mac[RESOLVE_MAC_LEN];

	buf_printf(b, "%s\n\n", p->name);
	buf_printf(b, "state:  %s\n", v->state);
	if (v->started > 0 && v->running) {
		up = (long)(time(NULL) - v->started);
		if (up < 0)
			up = 0;
		buf_printf(b, "uptime: %ld:%02ld:%02ld\n", up / 3600,
		    up / 60 % 60, up % 60);
	}
	if (v->stop.phase == SESSION_POWERING && v->running)
		buf_printf(b, "powering down: quit in %ld s\n",
		    (session_wait(&v->stop) + 999) / 1000);
	buf_printf(b, "memory: %ld MiB, %ld core%s\n\n", p->memory, p->cores,
	    p->cores == 1 ? "" : "s");
	/*
	 * Where the display is: asked once it is up (QMP for one on TCP),
	 * every two seconds until then; wrapped, the pane is narrow.
	 */
	if (v->running && v->display == NULL && p->graphics &&
	    io_now_ms() - v->display_at >= 2000) {
		v->display_at = io_now_ms();
		v->display = runtime_display(p);
	}
	if (v->running && v->display != NULL) {
		view_wrap(b, v->display, VIEW_STATUS_W - 3);
		buf_putc(b, '\n');
	}
	if (p->nforwards > 0)
		buf_puts(b, "forwards:\n");
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];

		text = profile_forward_text(f);
		buf_printf(b, " %s\n", text != NULL ? text : "?");
		free(text);
	}
	if (p->vlans.n > 0)
		buf_puts(b, "vlans (MAC):\n");
	for (i = 0; i < p->vlans.n; i++) {
		resolve_vlan_mac(p->name, p->vlans.v[i], mac);
		buf_printf(b, " %-3ld %s\n", p->vlans.v[i], mac);
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
	else if (v->installed)
		buf_puts(b, "\nthe installer wrote\nto the disk:\nb   boot the installed\n    system from its disk\nr   run the installer\n    again\nEsc back\n");
	else
		buf_puts(b, "\nr   launch again\nEsc back\n");
}

static void
view_draw(struct view *v)
{
	static const struct tui_key scroll_keys[] = { { "Up/Down", "line" },
	    { "PgUp/PgDn", "page" }, { "g/G", "top/bottom" },
	    { "/", "search" }, { "n", "next" }, { "q/Esc", "back" },
	    { NULL, NULL } };
	static const struct tui_key end_keys[] = { { "r", "relaunch" },
	    { "Esc", "back" }, { NULL, NULL } };
	static const struct tui_key installed_keys[] = {
	    { "b", "boot the installed system" }, { "r", "installer again" },
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
	    v->run_keys : v->installed ? installed_keys : end_keys);
	if (v->con != NULL && v->running && v->offset == 0) {
		console_cursor(v->con, &cr, &cc, &vis);
		curs_set(vis ? 1 : 0);
		move(1 + cr, VIEW_STATUS_W + 1 + cc);
	} else
		curs_set(0);
	refresh();
	v->last_draw = io_now_ms();
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

	if (v->stop.timed_out) {
		snprintf(v->how, sizeof v->how, "the guest did not power off "
		    "within %d s; QEMU was quit", SESSION_POWERDOWN_S);
		return;
	}
	if (v->stop.forced) {
		snprintf(v->how, sizeof v->how, "%s was forced to quit%s",
		    v->p->name, status == 128 + SIGKILL ? " (QEMU was killed)" :
		    "");
		return;
	}
	if (status == 0 || status == -1) {
		/* -1: not ours to wait for; QMP told how it went */
		snprintf(v->how, sizeof v->how, "%s", v->shutdown_seen ?
		    "the guest powered off" : status == 0 ?
		    "QEMU exited (status 0)" : "the machine has stopped");
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
	/*
	 * The view's own QMP socket (QEMU serves one client of a socket at a
	 * time; --stop and --list use the other); a machine started by an
	 * earlier vmtui has only the one.
	 */
	if ((sock = runtime_file(v->p, PATHS_QMP_VIEW)) != NULL &&
	    access(sock, F_OK) != 0) {
		free(sock);
		sock = runtime_file(v->p, PATHS_QMP);
	}
	if (sock == NULL)
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

	if (v->qmp == NULL || qmp_execute(v->qmp, command, &cause) != 0) {
		tui_message(true, "%s", cause ? cause : "QMP is not connected "
		    "yet");
		r = -1;
	}
	free(cause);
	return r;
}

static void
view_new_console(struct view *v)
{
	int	rows, cols;

	v->how[0] = v->lastline[0] = '\0';
	v->linelen = 0;
	v->offset = 0;
	memset(&v->stop, 0, sizeof v->stop);
	v->shutdown_seen = false;
	v->full = v->dirty = true;
	view_geometry(&rows, &cols);
	console_free(v->con);
	v->con = console_new(rows, cols, VIEW_SCROLLBACK);
}

/* Attach to the running machine: its screen from the log, keys to it. */
static int
view_attach(struct view *v)
{
	struct stat	 st;
	char		*cause = NULL, *pidfile;

	if (attach_open(v->p, &v->a, &cause) != 0) {
		snprintf(v->how, sizeof v->how, "%s", cause ? cause : "?");
		free(cause);
		return -1;
	}
	v->running = true;
	free(v->display);
	v->display = NULL;
	v->display_at = 0;
	v->started = time(NULL);
	if ((pidfile = runtime_file(v->p, PATHS_PIDFILE)) != NULL &&
	    stat(pidfile, &st) == 0)
		v->started = st.st_mtime;
	free(pidfile);
	v->last_look = io_now_ms();
	view_set_state(v, "starting");
	return 0;
}

static void
view_start(struct view *v)
{
	struct launch	 l;
	char		*cause = NULL, *note = NULL;

	view_new_console(v);
	if (machine_start(v->p, v->pl, &l, &note, &cause) != 0) {
		snprintf(v->how, sizeof v->how, "cannot start: %s",
		    cause ? cause : "?");
		for (char *s = v->how; *s; s++)
			if (*s == '\n')
				*s = ';';
		view_set_state(v, "not started");
		v->status = 1;
		free(cause);
		return;
	}
	if (note != NULL)
		tui_message(false, "%s", note);
	free(note);
	v->child = l.pid;
	launch_close(&l);
	if (view_attach(v) != 0) {
		view_set_state(v, "not shown");
		return;
	}
	v->started = time(NULL);
}

/* The log's new bytes into the model, at most max of them. */
static bool
view_pump(struct view *v, size_t max)
{
	char	buf[65536];
	ssize_t	n;
	size_t	got = 0;

	while (got < max && (n = attach_read(&v->a, buf, sizeof buf)) > 0) {
		view_watch(v, buf, (size_t)n);
		console_feed(v->con, buf, (size_t)n);
		got += (size_t)n;
		v->dirty = true;
	}
	return got >= max;
}

/* The machine has gone: show what it left, say how it went. */
static void
view_ended(struct view *v, int status)
{
	view_pump(v, SIZE_MAX);
	v->running = false;
	qmp_close(v->qmp);
	v->qmp = NULL;
	attach_close(&v->a);
	runtime_clean_stale(v->p);
	v->status = status == -1 ? (v->shutdown_seen ? 0 : 1) : status;
	view_explain(v, status);
	/* an installer that wrote the disk and then rebooted or powered off */
	v->installed = v->p->installer && !v->stop.forced &&
	    osinstall_disk_written(v->p);
	if (v->installed)
		snprintf(v->how, sizeof v->how, "the installer has finished "
		    "(it wrote to the disk): b boots the installed system");
	view_set_state(v, "stopped");
	v->full = true;
	flushinp();		/* keys typed on the way out are not the next screen's */
}

/*
 * Has the machine ended? A child of ours is waited for (its status is
 * QEMU's); a machine another vmtui started has ended when its console
 * socket closed and its pidfile lock is gone.
 */
static bool
view_check_end(struct view *v)
{
	bool	look;
	int	status;

	if (!v->running)
		return false;
	/* someone else's machine: its lock looked at twice a second */
	look = v->child <= 0 && (v->a.closed ||
	    io_now_ms() - v->last_look >= 500);
	if (look)
		v->last_look = io_now_ms();
	if (!machine_ended(v->p, &v->child, look, &status))
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
		(void)attach_send(&v->a, buf, n);
}

/*
 * A key for the guest, as a terminal sends it: every key, Esc, F-keys and
 * Ctrl-C included (only the escape key is the view's). Keys with Shift,
 * Ctrl or Alt carry their modifiers, as xterm writes them.
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
	static const enum console_key view_termkeys[TERMKEY_N] = {
		CONSOLE_KEY_UP, CONSOLE_KEY_DOWN, CONSOLE_KEY_LEFT,
		CONSOLE_KEY_RIGHT, CONSOLE_KEY_HOME, CONSOLE_KEY_END,
		CONSOLE_KEY_INS, CONSOLE_KEY_DEL, CONSOLE_KEY_PAGEUP,
		CONSOLE_KEY_PAGEDOWN
	};
	_Static_assert(TERMKEY_SHIFT == CONSOLE_MOD_SHIFT && TERMKEY_ALT ==
	    CONSOLE_MOD_ALT && TERMKEY_CTRL == CONSOLE_MOD_CTRL,
	    "xterm's modifier bits are the console's");
	enum termkey	tk;
	char		c;
	size_t		i;
	int		f, mods;

	if (r == KEY_CODE_YES) {
		for (i = 0; i < sizeof map / sizeof map[0]; i++)
			if (map[i].curses == (int)wc)
				console_key(v->con, map[i].key, map[i].mods);
		/* Ctrl, Alt and their mixes, as the terminal's terminfo has them */
		if (termkeys_find((int)wc, &tk, &mods) == 0)
			console_key(v->con, view_termkeys[tk], mods);
		/* F1-F12, and F13-F24 as terminfo names Shift-F1-F12 */
		f = (int)wc - KEY_F(1);
		if (f >= 0 && f < 24)
			console_key(v->con, (enum console_key)(CONSOLE_KEY_F1 +
			    f % 12), f >= 12 ? CONSOLE_MOD_SHIFT : 0);
	} else if (wc < 32 || wc == 127) {
		c = (char)wc;		/* Esc, Ctrl-C, Ctrl-a: as they are */
		(void)attach_send(&v->a, &c, 1);
	} else
		console_unichar(v->con, (uint32_t)wc, false);
	view_send(v);
}

/*
 * The commands after the escape key, for dispatch, the key bar, the help
 * and vmtui --keys: session_keys (core/session.c, which --no-tui reads
 * too), the ones the view obeys, PgUp added to scroll.
 */
struct keys_def view_keys[VIEW_NKEYS];

void
view_keys_make(void)
{
	const struct session_key	*e;
	size_t				 n = 0;

	for (e = session_keys; e->name != NULL && n + 1 < VIEW_NKEYS; e++) {
		if (!(e->where & SESSION_VIEW))
			continue;
		memset(&view_keys[n], 0, sizeof view_keys[n]);
		view_keys[n].name = e->name;
		view_keys[n].codes[0] = e->key;
		if (e->cmd == SESSION_SCROLL)
			view_keys[n].codes[1] = KEY_PPAGE;
		view_keys[n].action = (int)e->cmd;
		view_keys[n].bar = e->bar;
		view_keys[n].help = e->help;
		n++;
	}
	memset(&view_keys[n], 0, sizeof view_keys[n]);
}

static const char view_intro[] =
    "In the launch view every key goes to the guest, as a terminal\n"
    "sends it: Esc, F-keys, Ctrl-C, Ctrl-a, arrows. The view has one\n"
    "key of its own, the escape key (escape-key in vmtui.conf), and a\n"
    "command after it:\n"
    "\n";

static const char view_outro[] =
    "  the escape key again: send it to the guest\n"
    "\n"
    "The mouse wheel scrolls back, unless the guest asked for the mouse\n"
    "(then it gets the mouse). A paste goes to the guest, marked as one\n"
    "only if the guest asked for bracketed paste.\n";

/* The escape key's names for the key bar and the messages. */
static void
view_keys_init(struct view *v)
{
	struct tui_key	 bar[VIEW_BAR + 1];
	char		*cause = NULL;
	size_t		 i, n;

	if (settings_load(&v->keys, &cause) != 0)
		tui_message(true, "%s", cause ? cause : "vmtui.conf?");
	free(cause);
	view_keys_make();
	n = keys_bar(view_keys, false, bar, sizeof bar / sizeof bar[0]);
	for (i = 0; i < n; i++) {
		snprintf(v->key_names[i], sizeof v->key_names[i], "%s %s",
		    v->keys.escape_name, bar[i].key);
		v->run_keys[i].key = v->key_names[i];
		v->run_keys[i].what = bar[i].what;
	}
	v->run_keys[n].key = v->run_keys[n].what = NULL;
}

/*
 * Search back through the screen and the scrollback (/), or again from
 * where the last search stopped (n); the line found goes to the top.
 */
static void
view_search(struct view *v, bool again, int rows)
{
	char	*text;
	long	 from, l;

	if (!again || v->search[0] == '\0') {
		if ((text = tui_prompt("search back for:", v->search, false)) ==
		    NULL)
			return;
		snprintf(v->search, sizeof v->search, "%s", text);
		free(text);
		from = v->offset > 0 ? -(long)v->offset : rows;
	} else
		from = v->found;
	if (console_find(v->con, v->search, from, &l) != 0) {
		tui_message(true, "\"%s\" is not further back", v->search);
		return;
	}
	v->found = l;
	v->offset = l < 0 ? (size_t)-l : 0;
	tui_message(false, "\"%s\" found; n searches on", v->search);
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
	else if (r == OK && (wc == '/' || wc == 'n'))
		view_search(v, wc == 'n', rows);
	else if (r == OK && (wc == 'q' || wc == 27)) {
		v->scrolling = false;
		v->offset = 0;
	}
	if (v->offset > max)
		v->offset = max;
	v->full = v->dirty = true;
	return true;
}

/* One line for QEMU's monitor, through QMP; its answer shown. */
static void
view_monitor(struct view *v)
{
	char	*line, *out = NULL, *cause = NULL, title[128];

	if (v->qmp == NULL) {
		tui_message(true, "QMP is not connected yet");
		return;
	}
	if ((line = tui_prompt("(qemu) a command for QEMU's monitor (info "
	    "status, help; Esc: none):", "", false)) == NULL)
		return;
	if (*line != '\0' && qmp_hmp(v->qmp, line, &out, &cause) != 0)
		tui_message(true, "%s", cause ? cause : "?");
	else if (*line != '\0') {
		snprintf(title, sizeof title, "%s: (qemu) %s", v->p->name, line);
		tui_view(title, *out != '\0' ? out : "(no output)");
	}
	free(out);
	free(cause);
	free(line);
}

/* Force the machine to quit (the session's policy: quit, then SIGKILL). */
static void
view_force(struct view *v)
{
	char	*cause = NULL;

	if (session_force(&v->stop, v->p, &cause) != 0 && v->child > 0)
		kill(v->child, SIGKILL);
	free(cause);
}

/* One command after the escape key: true to leave the view. */
static bool
view_command(struct view *v, int r, wint_t wc)
{
	char	c, *text;
	int	rows, cols;

	if (r == OK && (int)wc == v->keys.escape_key) {
		c = (char)wc;
		(void)attach_send(&v->a, &c, 1);
		return false;
	}
	/* a key code, or a character the table could hold: ASCII */
	switch (keys_action(view_keys, r == KEY_CODE_YES || (r == OK &&
	    wc < 128) ? (int)wc : 0)) {
	case SESSION_HELP:
		text = keys_help(view_intro, view_keys, view_outro);
		tui_view("launch view: keys", text != NULL ? text :
		    "out of memory");
		free(text);
		break;
	case SESSION_LEAVE:
		return true;
	case SESSION_POWER:
		if (session_power(&v->stop, v->p, &text) == 0)
			view_set_state(v, "shutting down");
		else
			tui_message(true, "%s", text ? text : "?");
		free(text);
		break;
	case SESSION_QUIT:
		if (tui_confirm("Force %s to quit, as pulling its plug "
		    "would?", v->p->name))
			view_force(v);
		break;
	case SESSION_PAUSE:
		view_qmp(v, strcmp(v->state, "paused") == 0 ? "cont" : "stop");
		view_qmp_status(v);
		break;
	case SESSION_SCROLL:
		view_geometry(&rows, &cols);
		v->scrolling = true;
		v->offset = (size_t)rows / 2;
		if (v->offset > console_scrollback(v->con))
			v->offset = console_scrollback(v->con);
		break;
	case SESSION_MONITOR:
		view_monitor(v);
		break;
	default:
		tui_message(true, "not a command after %s; %s then ? lists "
		    "them", v->keys.escape_name, v->keys.escape_name);
		break;
	}
	v->full = v->dirty = true;
	return false;
}

/* Timers: the power-down's timeout, the kill after a quit, the hint. */
static void
view_timers(struct view *v)
{
	long	now = io_now_ms();

	if (v->running && session_tick(&v->stop, v->p))
		v->dirty = true;
	if (v->escaped && now - v->escaped_at > 2000) {
		v->escaped = false;
		tui_message(false, "%s alone does nothing: %s then ? lists the "
		    "commands", v->keys.escape_name, v->keys.escape_name);
		v->dirty = true;
	}
	/* the uptime and the countdown tick, the guest silent or not */
	if (v->running && now - v->last_tick >= 1000) {
		v->last_tick = now;
		v->dirty = true;
	}
}

/*
 * A signal to vmtui: a machine the person asked to go down is taken down
 * now (QMP's quit, then SIGKILL; it always ends); any other runs on.
 */
static void
view_on_signal(struct view *v)
{
	char	*cause = NULL;

	if (!v->running || v->stop.phase == SESSION_UP)
		return;
	v->stop.forced = true;
	(void)machine_stop(v->p, 0, true, NULL, NULL, &cause);
	free(cause);
	if (v->child > 0 && !view_check_end(v)) {
		kill(v->child, SIGKILL);
		while (!view_check_end(v))
			usleep(20000);
	}
}

static void
view_resize(struct view *v)
{
	int	rows, cols;

	view_geometry(&rows, &cols);
	console_resize(v->con, rows, cols);
	v->full = v->dirty = true;
}

static void
view_qmp_events(struct view *v)
{
	char	*ev;
	int	 r;

	while ((r = qmp_event(v->qmp, &ev)) == 1) {
		if (strcmp(ev, "STOP") == 0)
			view_set_state(v, "paused");
		else if (strcmp(ev, "RESUME") == 0)
			view_set_state(v, "running");
		else if (strcmp(ev, "POWERDOWN") == 0)
			view_set_state(v, "shutting down");
		else if (strcmp(ev, "SHUTDOWN") == 0) {
			v->shutdown_seen = true;
			view_set_state(v, "shutting down");
		}
		free(ev);
	}
	if (r < 0) {
		qmp_close(v->qmp);
		v->qmp = NULL;
		v->last_look = 0;	/* look whether it has ended */
	}
}

/*
 * The mouse over the pane: to a guest that asked for mouse reports (not
 * in scrollback mode); else the wheel scrolls the scrollback, three lines
 * a notch, and scrolling down to the end leaves scrollback mode.
 */
static void
view_mouse(struct view *v)
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
	int	rows, cols, row, col;

	if (getmouse(&ev) != OK)
		return;
	view_geometry(&rows, &cols);
	row = ev.y - 1;
	col = ev.x - (VIEW_STATUS_W + 1);
	if (row < 0 || row >= rows || col < 0 || col >= cols)
		return;
	if (v->running && console_mouse(v->con) && !v->scrolling) {
		for (i = 0; i < sizeof map / sizeof map[0]; i++)
			if (ev.bstate & map[i].mask)
				console_mouse_button(v->con, row, col,
				    map[i].button, map[i].pressed);
		view_send(v);
		return;
	}
	max = console_scrollback(v->con);
	if (ev.bstate & BUTTON4_PRESSED) {
		v->scrolling = true;
		v->offset = v->offset + 3 < max ? v->offset + 3 : max;
	} else if (ev.bstate & BUTTON5_PRESSED) {
		v->offset = v->offset > 3 ? v->offset - 3 : 0;
		if (v->offset == 0)
			v->scrolling = false;
	}
	v->full = v->dirty = true;
}

/*
 * Bracketed paste on this terminal while the view runs: a paste arrives
 * between markers, the guest gets them only if it asked (console_paste),
 * and the escape key inside a paste is text, not a command.
 */
static void
view_paste_mode(bool on)
{
	char	*cap = tigetstr(on ? "BE" : "BD");

	if (cap == NULL || cap == (char *)-1)
		return;
	putp(cap);
	fflush(stdout);
	define_key("\033[200~", on ? VIEW_PASTE_BEGIN : 0);
	define_key("\033[201~", on ? VIEW_PASTE_END : 0);
}

/*
 * After an install: the profile boots its disk from now on (saved), and
 * the machine starts again, from the disk.
 */
/* The profile in file, checked, and its plan: 0, or -1 with why. */
static int
view_load(const char *file, struct profile **p, struct plan **pl,
    char **cause)
{
	*p = NULL;
	if (validate_load(file, p, cause) != 0)
		return -1;
	if (plan_build(*p, pl, cause) != 0) {
		profile_free(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

static void
view_boot_disk(struct view *v, const char *file)
{
	struct profile	*p;
	struct plan	*pl;
	char		*cause = NULL;

	if (osinstall_finish(file, &cause) != 0 ||
	    view_load(file, &p, &pl, &cause) != 0) {
		snprintf(v->how, sizeof v->how, "%s", cause ? cause : "?");
		free(cause);
		v->dirty = true;
		return;
	}
	plan_free(v->pl);
	profile_free(v->p);
	v->p = p;
	v->pl = pl;
	v->installed = false;
	v->how[0] = '\0';
	tui_message(false, "%s boots its disk from now on (saved)", p->name);
	view_start(v);
}

/*
 * The launch view of the profile in file: launch it (VIEW_LAUNCH), or
 * attach to it running (VIEW_ATTACH). The result: QEMU's exit status
 * when it ended here (1: it never started), VIEW_LEFT when the person
 * left it running, -2 on a signal.
 */
int
view_run(const char *file, int how)
{
	struct view	 v;
	struct pollfd	 pfd[3];
	char		*cause = NULL;
	wint_t		 wc;
	mmask_t		 oldmask = 0;
	long		 wait;
	int		 r, ret = 0;
	pid_t		 pid;

	memset(&v, 0, sizeof v);
	v.next_pair = THEME_NROLES + 1;
	v.status = 1;
	v.a.log = v.a.sock = v.a.lock = -1;
	view_keys_init(&v);
	if (view_load(file, &v.p, &v.pl, &cause) != 0) {
		if (cause != NULL && strchr(cause, '\n') != NULL)
			*strchr(cause, '\n') = '\0';
		tui_message(true, "cannot %s: %s", how == VIEW_ATTACH ?
		    "attach" : "launch", cause ? cause : "?");
		free(cause);
		settings_free(&v.keys);
		return -1;
	}
	if (how == VIEW_ATTACH) {
		view_new_console(&v);
		if (!runtime_running(v.p, &pid)) {
			tui_message(true, "%s is not running", v.p->name);
			ret = -1;
		} else if (view_attach(&v) != 0) {
			tui_message(true, "%s", v.how);
			ret = -1;
		}
		if (ret != 0) {
			console_free(v.con);
			plan_free(v.pl);
			profile_free(v.p);
			settings_free(&v.keys);
			return -1;
		}
	}
	/* raw: Ctrl-C, Ctrl-Z and Ctrl-\ are the guest's keys here */
	raw();
	timeout(0);
	view_paste_mode(true);
	/* the wheel scrolls; clicks for a guest that asks for them */
	mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON2_PRESSED |
	    BUTTON2_RELEASED | BUTTON3_PRESSED | BUTTON3_RELEASED |
	    BUTTON4_PRESSED | BUTTON5_PRESSED, &oldmask);
	mouseinterval(0);
	if (how != VIEW_ATTACH)
		view_start(&v);
	for (;;) {
		if (tui_quit_requested()) {
			view_on_signal(&v);
			ret = -2;
			break;
		}
		view_check_end(&v);
		if (v.running && v.qmp == NULL)
			view_qmp_connect(&v);
		if (v.running && v.a.sock == -1)
			(void)attach_connect(&v.a);
		view_timers(&v);
		if (v.dirty && io_now_ms() - v.last_draw >= VIEW_FRAME_MS)
			view_draw(&v);

		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = v.running ? v.a.sock : -1;
		pfd[1].events = POLLIN;
		pfd[2].fd = v.qmp != NULL ? qmp_fd(v.qmp) : -1;
		pfd[2].events = POLLIN;
		wait = v.more ? 0 : v.running ? attach_wait(&v.a) : 1000;
		if (v.running && v.qmp == NULL && wait > 50)
			wait = 50;
		if (v.dirty && wait > VIEW_FRAME_MS)
			wait = VIEW_FRAME_MS;
		if (poll(pfd, 3, (int)wait) == -1 && errno != EINTR)
			break;
		if (v.running)
			attach_events(&v.a);
		/* the log, in bounded slices so keys never wait long */
		v.more = v.running && view_pump(&v, VIEW_SLICE);
		view_send(&v);
		if (pfd[2].revents & (POLLIN | POLLHUP))
			view_qmp_events(&v);
		while ((r = get_wch(&wc)) != ERR) {
			if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
				view_resize(&v);
				continue;
			}
			if (r == KEY_CODE_YES && (wc == VIEW_PASTE_BEGIN ||
			    wc == VIEW_PASTE_END)) {
				v.pasting = wc == VIEW_PASTE_BEGIN;
				if (v.running) {
					console_paste(v.con, v.pasting);
					view_send(&v);
				}
				continue;
			}
			if (v.pasting && v.running) {
				view_key(&v, r, wc);
				continue;
			}
			if (r == KEY_CODE_YES && wc == KEY_MOUSE) {
				view_mouse(&v);
				continue;
			}
			if (view_scroll_key(&v, r, wc))
				continue;
			if (!v.running) {
				if (wc == 'r') {
					view_start(&v);
				} else if (wc == 'b' && v.installed) {
					view_boot_disk(&v, file);
				} else if (wc == 27 || wc == 'q')
					goto out;
				continue;
			}
			if (v.escaped) {
				v.escaped = false;
				tui_message(false, "%s", "");
				if (view_command(&v, r, wc)) {
					ret = VIEW_LEFT;
					goto out;
				}
			} else if (r == OK && (int)wc == v.keys.escape_key) {
				v.escaped = true;
				v.escaped_at = io_now_ms();
				tui_message(false, "%s: then d leave, p power down, "
				    "q quit, z pause, [ scroll, m monitor, ? help",
				    v.keys.escape_name);
				v.dirty = true;
			} else
				view_key(&v, r, wc);
		}
	}
out:
	view_paste_mode(false);
	mousemask(oldmask, NULL);
	if (v.running && ret != -2)
		ret = VIEW_LEFT;
	if (v.running)
		tui_child_left(v.child);
	attach_close(&v.a);
	qmp_close(v.qmp);
	noraw();
	cbreak();
	timeout(200);
	curs_set(0);
	console_free(v.con);
	if (ret == VIEW_LEFT)
		tui_message(false, "%s keeps running: Enter on it shows it "
		    "again, vmtui --stop %s stops it", v.p->name, v.p->name);
	else
		tui_message(false, "%s", "");
	plan_free(v.pl);
	profile_free(v.p);
	settings_free(&v.keys);
	free(v.pairs);
	free(v.display);
	/* what happened: QEMU's last exit status, 1 when it never started */
	return ret != 0 ? ret : v.status;
}
