/*
 * view: the launch view. The machine's status in a column on the left
 * (its text from tui/status.c), folded into the title line when the
 * terminal cannot give the guest 80 columns beside it (or when the person
 * folds it); the guest's serial
 * console in the pane (tui/pane.c). The machine runs on its own and the
 * view is a session attached to it (core/session.c: the console, QMP and
 * its events, the stop policy, the end): this file draws, and turns keys
 * into the guest's bytes or the session's commands. One poll() watches the
 * terminal and the session's fds; the screen is redrawn at most 60 times a
 * second and only where it changed, and a flood of output never makes
 * keys wait (the log is read in bounded slices). Leaving (the escape key,
 * then d) leaves the machine running; only p and q take it down.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "console.h"
#include "io.h"
#include "keys.h"
#include "live.h"
#include "machine.h"
#include "osinstall.h"
#include "pane.h"
#include "plan.h"
#include "profile.h"
#include "session.h"
#include "settings.h"
#include "status.h"
#include "tui.h"
#include "validate.h"
#include "view.h"

#define VIEW_SCROLLBACK	10000
#define VIEW_FRAME_MS	16		/* at most ~60 redraws a second */
#define VIEW_SLICE	(32 * 1024)	/* log bytes between two looks at keys */
#define VIEW_CHUNK	4096		/* log bytes fed at once */
#define VIEW_FEED_MS	6		/* the model's time in one tick */
#define VIEW_REST	2		/* after work of W ms, W times this of
					   rest: a third of a CPU at most */
#define VIEW_BAR	8		/* keys in the bar at most */

struct view {
	struct profile	*p;
	struct plan	*pl;
	struct session	 s;		/* the machine, while attached */
	struct pane	 pane;
	char		 state[32];	/* as the session says, or why not */
	struct status	 st;		/* the status's text (tui/status.c) */
	char		 how[512];	/* how QEMU ended, or why it did not start */
	int		 fold;		/* folded (1) or not as toggled; -1:
					   as the size says, after a resize */
	bool		 folded;
	bool		 full, dirty;
	bool		 escaped;	/* the escape key was pressed */
	bool		 more;		/* the log has more than a slice */
	long		 rest_until;	/* ms: no feeding or drawing before */
	bool		 pasting;	/* between the paste's markers */
	bool		 installed;	/* an installer wrote the disk: b */
	long		 escaped_at, next_tick, last_draw;
	struct settings	 keys;
	char		 key_names[VIEW_BAR][24];
	struct tui_key	 run_keys[VIEW_BAR + 1];
	int		 status;	/* QEMU's last exit status; 1: not started */
};

/*
 * Where the status and the pane go: a column beside the pane when the
 * guest can have 80 columns there, else (or as the person toggled it) a
 * line, the title's. The pane follows, and with it the guest's screen.
 */
static void
view_layout(struct view *v)
{
	v->folded = v->fold >= 0 ? v->fold != 0 :
	    COLS - STATUS_W - 1 < PANE_MIN_COLS;
	if (v->folded)
		pane_place(&v->pane, 1, 0, LINES - 3, COLS);
	else
		pane_place(&v->pane, 1, STATUS_W + 1, LINES - 3,
		    COLS - STATUS_W - 1);
	v->full = v->dirty = true;
}

static void
view_set_state(struct view *v, const char *s)
{
	snprintf(v->state, sizeof v->state, "%s", s);
	v->dirty = true;
}

/* The status module's view of this one, as it is now. */
static struct status *
view_status(struct view *v)
{
	v->st.p = v->p;
	v->st.s = &v->s;
	v->st.pane = &v->pane;
	v->st.state = v->state;
	v->st.escape = v->keys.escape_name;
	v->st.installed = v->installed;
	return &v->st;
}

/*
 * Work (feeding the model, drawing) that began at start has ended: the
 * view rests VIEW_REST times as long before the next, so that a guest's
 * flood of cheap sequences, which costs the model and the drawing much,
 * never takes more than a part of a CPU however far behind it falls
 * (keys are read meanwhile).
 */
static void
view_worked(struct view *v, long start)
{
	long	now = io_now_ms();

	if (now + VIEW_REST * (now - start) > v->rest_until)
		v->rest_until = now + VIEW_REST * (now - start);
}

static void
view_draw(struct view *v)
{
	long		 start = io_now_ms();
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
	int		 y;

	if (tui_too_small())
		return;
	if (v->full) {		/* a resize, a dialog: every cell again */
		erase();
		v->pane.full = true;
		v->full = false;
	}
	pane_draw(&v->pane);
	if (v->folded) {
		text = status_line(view_status(v));
		snprintf(title, sizeof title, "%s", text != NULL ? text : "");
		free(text);
	} else {
		for (y = 1; y <= LINES - 3; y++)
			tui_fill(stdscr, y, 0, STATUS_W, THEME_DETAILS);
		attrset(tui_attr(THEME_BORDER));
		mvvline(1, STATUS_W, ACS_VLINE, LINES - 3);
		buf_init(&b);
		status_column(view_status(v), &b);
		text = buf_finish(&b, NULL);
		y = 1;
		for (line = text != NULL ? strtok(text, "\n") : NULL;
		    line != NULL && y <= LINES - 3;
		    line = strtok(NULL, "\n"), y++) {
			attrset(tui_attr(strncmp(line, "state:", 6) == 0 &&
			    v->s.running ? THEME_STATUS_RUNNING :
			    THEME_DETAILS));
			mvaddnstr(y, 1, line, STATUS_W - 2);
		}
		free(text);
		snprintf(title, sizeof title, "vmtui - %s - %s", v->p->name,
		    v->state);
	}
	if (v->how[0] != '\0')
		tui_message(true, "%s", v->how);
	else if (v->s.running && v->s.log_note[0] != '\0')
		tui_message(true, "%s", v->s.log_note);
	tui_draw_frame(title, v->pane.scrolling ? scroll_keys : v->s.running ?
	    v->run_keys : v->installed ? installed_keys : end_keys);
	pane_cursor(&v->pane, v->s.running);
	refresh();
	view_worked(v, start);
	v->last_draw = io_now_ms();
	v->dirty = false;
}

/*
 * The log's new bytes into the model, at most max of them and for at most
 * VIEW_FEED_MS: a guest's cheap sequences can cost the model much (a
 * screen erased for four bytes), so the time is bounded as well as the
 * bytes, and a rest follows (view_worked); the end (max SIZE_MAX) feeds
 * all. Whether there is more to feed.
 */
static bool
view_pump(struct view *v, size_t max)
{
	char	buf[VIEW_CHUNK];
	ssize_t	n;
	size_t	got = 0;
	long	start = io_now_ms(), now;
	bool	timed = max != SIZE_MAX;	/* the end: all of it */

	if (timed && start < v->rest_until)
		return true;
	while (got < max && (n = session_read(&v->s, buf, sizeof buf)) > 0) {
		if (v->pane.con != NULL)
			console_feed(v->pane.con, buf, (size_t)n);
		got += (size_t)n;
		v->dirty = true;
		if (timed && (now = io_now_ms()) - start >= VIEW_FEED_MS) {
			view_worked(v, start);
			return true;
		}
	}
	if (timed)
		view_worked(v, start);
	return got >= max;
}

/* What the model owes the guest (answers, keys) to its console. */
static void
view_send(struct view *v)
{
	char	buf[256];
	size_t	n;

	while (v->pane.con != NULL &&
	    (n = console_output(v->pane.con, buf, sizeof buf)) > 0)
		(void)session_send(&v->s, buf, n);
}

/* The machine has gone: show what it left, say how it went. */
static void
view_ended(struct view *v)
{
	char	*how;

	view_pump(v, SIZE_MAX);
	v->status = v->s.status == -1 ? (v->s.shutdown_seen ? 0 : 1) :
	    v->s.status;
	how = session_how(&v->s, v->p);
	snprintf(v->how, sizeof v->how, "%s", how != NULL ? how : "?");
	free(how);
	/* an installer that wrote the disk and then rebooted or powered off */
	v->installed = v->p->installer && !v->s.stop.forced &&
	    osinstall_disk_written(v->p);
	if (v->installed)
		snprintf(v->how, sizeof v->how, "the installer has finished "
		    "(it wrote to the disk): b boots the installed system");
	session_close(&v->s);
	view_set_state(v, "stopped");
	v->full = true;
	flushinp();		/* keys typed on the way out are not the next screen's */
}

/* What the session saw: a new state to show, the end. */
static void
view_events(struct view *v, unsigned ev)
{
	if (ev & SESSION_EV_STATE)
		view_set_state(v, v->s.state);
	if (ev & SESSION_EV_LOG)
		v->dirty = true;	/* the message line says it */
	if (ev & SESSION_EV_ENDED)
		view_ended(v);
}

/* A new boot: a new screen, nothing said yet. */
static void
view_begin(struct view *v)
{
	v->how[0] = '\0';
	if (pane_reset(&v->pane, VIEW_SCROLLBACK) != 0)
		tui_message(true, "out of memory for the console");
	view_layout(v);
}

/* Attach to the running machine: its screen from the log, keys to it. */
static int
view_attach(struct view *v, pid_t child)
{
	char	*cause = NULL;

	if (session_open(&v->s, v->p, child, &cause) != 0) {
		snprintf(v->how, sizeof v->how, "%s", cause ? cause : "?");
		free(cause);
		return -1;
	}
	v->s.want_display = v->p->graphics;
	view_set_state(v, v->s.state);
	return 0;
}

static void
view_start(struct view *v)
{
	struct launch	 l;
	char		*cause = NULL, *note = NULL, *s;

	view_begin(v);
	if (machine_start(v->p, v->pl, &l, &note, &cause) != 0) {
		snprintf(v->how, sizeof v->how, "cannot start: %s",
		    cause ? cause : "?");
		for (s = v->how; *s; s++)
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
	launch_close(&l);
	if (view_attach(v, l.pid) != 0)
		view_set_state(v, "not shown");
}

/*
 * The commands after the escape key, for dispatch, the key bar, the help
 * and vmtui --keys: the entries of session_keys (core/session.c, which
 * --no-tui reads too) that the view obeys.
 */
struct keys_def view_keys[VIEW_NKEYS];

void
view_keys_make(void)
{
	keys_escape(view_keys, VIEW_NKEYS, SESSION_VIEW);
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
    "only if the guest asked for bracketed paste. The guest's screen is\n"
    "80x24 at least; a smaller pane shows the part around the cursor.\n";

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

/* The escape key alone: what may follow it, from the table. */
static void
view_escaped(struct view *v)
{
	char	*text = keys_escape_hint(v->keys.escape_name, SESSION_VIEW);

	tui_message(false, "%s", text != NULL ? text : "");
	free(text);
	v->escaped = v->dirty = true;
	v->escaped_at = io_now_ms();
}

/* The commands: true to leave the view. */
static bool
view_help(struct view *v)
{
	char	*text = keys_help(view_intro, view_keys, view_outro);

	(void)v;
	tui_view("launch view: keys", text != NULL ? text : "out of memory");
	free(text);
	return false;
}

static bool
view_leave(struct view *v)
{
	(void)v;
	return true;
}

static bool
view_power(struct view *v)
{
	char	*cause = NULL;

	if (session_power_button(&v->s, &cause) == 0)
		view_set_state(v, v->s.state);
	else
		tui_message(true, "%s", cause ? cause : "?");
	free(cause);
	return false;
}

static bool
view_quit(struct view *v)
{
	char	*cause = NULL;

	if (tui_confirm("Force %s to quit, as pulling its plug would?",
	    v->p->name))
		(void)session_quit(&v->s, &cause);
	free(cause);
	return false;
}

static bool
view_pause(struct view *v)
{
	char	*cause = NULL;

	if (session_pause(&v->s, &cause) != 0)
		tui_message(true, "%s", cause ? cause : "?");
	view_set_state(v, v->s.state);
	free(cause);
	return false;
}

static bool
view_scroll(struct view *v)
{
	pane_scroll(&v->pane);
	return false;
}

/* One line for QEMU's monitor, through QMP; its answer shown. */
static bool
view_monitor(struct view *v)
{
	char	*line, *out = NULL, *cause = NULL, title[128];

	if ((line = tui_prompt("(qemu) a command for QEMU's monitor (info "
	    "status, help; Esc: none):", "", false)) == NULL)
		return false;
	if (*line != '\0' && session_monitor(&v->s, line, &out, &cause) != 0)
		tui_message(true, "%s", cause ? cause : "?");
	else if (*line != '\0') {
		snprintf(title, sizeof title, "%s: (qemu) %s", v->p->name, line);
		tui_view(title, *out != '\0' ? out : "(no output)");
	}
	free(out);
	free(cause);
	free(line);
	return false;
}

/*
 * A forward from the host added or removed while the machine runs (and in
 * its profile), as vmtui --forward does: "[tcp|udp] [ADDR:]HOSTPORT:
 * GUESTPORT" adds, "-[tcp:|udp:][ADDR:]HOSTPORT" removes.
 */
static bool
view_forward(struct view *v)
{
	struct live_report	 rep;
	char			*line, *spec, *cause = NULL, *text;
	bool			 remove;

	if (v->p->file == NULL) {
		tui_message(true, "%s has no profile file to change",
		    v->p->name);
		return false;
	}
	if ((line = tui_prompt("A forward from the host: [tcp|udp] "
	    "[ADDR:]HOSTPORT:GUESTPORT adds one (127.0.0.1 unless ADDR), "
	    "-HOSTPORT removes one (Esc: none):", "", false)) == NULL)
		return false;
	spec = line + strspn(line, " \t");
	if ((remove = *spec == '-'))
		spec += 1 + strspn(spec + 1, " \t");
	if (*spec != '\0' && live_forward(v->p->file, spec, remove, &rep,
	    &cause) != 0)
		tui_message(true, "%s", cause ? cause : "out of memory");
	else if (*spec != '\0') {
		text = live_report_text(&rep);
		tui_message(false, "%s", text != NULL ? text : rep.running ?
		    "saved" : "saved; it applies at the next start");
		free(text);
		live_report_free(&rep);
	}
	status_stale(&v->st);
	free(cause);
	free(line);
	return false;
}

static bool
view_fold(struct view *v)
{
	v->fold = !v->folded;
	view_layout(v);
	return false;
}

static const struct view_command {
	enum session_cmd	  cmd;
	bool			(*run)(struct view *);
} view_commands[] = {
	{ SESSION_HELP, view_help }, { SESSION_LEAVE, view_leave },
	{ SESSION_POWER, view_power }, { SESSION_QUIT, view_quit },
	{ SESSION_PAUSE, view_pause }, { SESSION_SCROLL, view_scroll },
	{ SESSION_MONITOR, view_monitor }, { SESSION_STATUS, view_fold },
	{ SESSION_FORWARD, view_forward },
};

/* Whether the view obeys cmd (its dispatch, for the test of the table). */
bool
view_obeys(int cmd)
{
	size_t	i;

	for (i = 0; i < sizeof view_commands / sizeof view_commands[0]; i++)
		if ((int)view_commands[i].cmd == cmd)
			return true;
	return false;
}

/* One command after the escape key: true to leave the view. */
static bool
view_command(struct view *v, int r, wint_t wc)
{
	size_t	i;
	char	c;
	int	cmd;

	if (r == OK && (int)wc == v->keys.escape_key) {
		c = (char)wc;
		(void)session_send(&v->s, &c, 1);
		return false;
	}
	/* a key code, or a character the table could hold: ASCII */
	cmd = keys_action(view_keys, r == KEY_CODE_YES || (r == OK &&
	    wc < 128) ? (int)wc : 0);
	v->full = v->dirty = true;
	for (i = 0; i < sizeof view_commands / sizeof view_commands[0]; i++)
		if ((int)view_commands[i].cmd == cmd)
			return view_commands[i].run(v);
	tui_message(true, "not a command after %s; %s then ? lists them",
	    v->keys.escape_name, v->keys.escape_name);
	return false;
}

/*
 * When the status's clock next shows another number: the uptime at the
 * wall clock's next second, the countdown when its seconds change. Ticks
 * there, not a second after the last one (which drifts), never skip a
 * number of the countdown.
 */
static long
view_next_tick(struct view *v, long now)
{
	struct timespec	ts;
	long		next, left, change;

	clock_gettime(CLOCK_REALTIME, &ts);
	next = now + 1000 - ts.tv_nsec / 1000000;
	if (v->s.stop.phase == SESSION_POWERING &&
	    (left = session_wait(&v->s.stop)) > 0) {
		/* its number, (left + 999) / 1000, changes in left % 1000 */
		change = now + (left % 1000 != 0 ? left % 1000 : 1000) + 1;
		if (change < next)
			next = change;
	}
	return next;
}

/* Timers: the hint after the escape key alone, the clocks ticking. */
static void
view_timers(struct view *v)
{
	long	now = io_now_ms();

	if (v->escaped && now - v->escaped_at > 2000) {
		v->escaped = false;
		tui_message(false, "%s alone does nothing: %s then ? lists the "
		    "commands", v->keys.escape_name, v->keys.escape_name);
		v->dirty = true;
	}
	/* the uptime and the countdown tick, the guest silent or not */
	if (v->s.running && now >= v->next_tick) {
		v->next_tick = view_next_tick(v, now);
		v->dirty = true;
	}
}

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

/*
 * After an install: the profile boots its disk from now on (saved), and
 * the machine starts again, from the disk.
 */
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
 * A key while the machine runs: the paste's markers, the mouse, the
 * scrollback's keys, the escape key and its command, else the guest's.
 * True to leave the view.
 */
static bool
view_key(struct view *v, int r, wint_t wc)
{
	char	c;
	int	k;

	if (r == KEY_CODE_YES && (wc == PANE_PASTE_BEGIN ||
	    wc == PANE_PASTE_END)) {
		v->pasting = wc == PANE_PASTE_BEGIN;
		console_paste(v->pane.con, v->pasting);
		view_send(v);
		return false;
	}
	if (!v->pasting && r == KEY_CODE_YES && wc == KEY_MOUSE) {
		if (pane_mouse(&v->pane, true) == 1)
			view_send(v);
		v->dirty = true;
		return false;
	}
	if (!v->pasting && pane_scroll_key(&v->pane, r, wc)) {
		v->dirty = true;
		return false;
	}
	if (!v->pasting && v->escaped) {
		v->escaped = false;
		tui_message(false, "%s", "");
		return view_command(v, r, wc);
	}
	if (!v->pasting && r == OK && (int)wc == v->keys.escape_key) {
		view_escaped(v);
		return false;
	}
	if ((k = pane_key(&v->pane, r, wc)) >= 0) {
		c = (char)k;
		(void)session_send(&v->s, &c, 1);
	}
	view_send(v);
	return false;
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
	int		 r, wait, ret = 0;
	long		 now;

	memset(&v, 0, sizeof v);
	v.status = 1;
	v.fold = -1;
	view_keys_init(&v);
	if (view_load(file, &v.p, &v.pl, &cause) != 0) {
		if (cause != NULL && strchr(cause, '\n') != NULL)
			*strchr(cause, '\n') = '\0';
		tui_message(true, "cannot %s: %s", how == VIEW_ATTACH ?
		    "attach" : "launch", cause ? cause : "?");
		free(cause);
		ret = -1;
		goto done;
	}
	if (how == VIEW_ATTACH) {
		view_begin(&v);
		if (view_attach(&v, 0) != 0) {
			tui_message(true, "%s", v.how);
			ret = -1;
			goto done;
		}
	}
	pane_input(true);
	if (how != VIEW_ATTACH)
		view_start(&v);
	for (;;) {
		if (tui_quit_requested()) {
			session_interrupt(&v.s);
			ret = -2;
			break;
		}
		view_timers(&v);
		if (v.dirty && io_now_ms() - v.last_draw >= VIEW_FRAME_MS &&
		    io_now_ms() >= v.rest_until)
			view_draw(&v);
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		session_fds(&v.s, pfd + 1);
		wait = v.more ? 0 : v.s.running ? session_timeout(&v.s) : 1000;
		if ((v.more || v.dirty) && v.rest_until > io_now_ms())
			wait = (int)(v.rest_until - io_now_ms());
		if (v.dirty && wait > VIEW_FRAME_MS)
			wait = VIEW_FRAME_MS;
		/* no later than the clock's next tick */
		now = io_now_ms();
		if (v.s.running && (wait < 0 || wait > v.next_tick - now))
			wait = v.next_tick > now ? (int)(v.next_tick - now) : 0;
		if (poll(pfd, 3, wait) == -1 && errno != EINTR)
			break;
		view_events(&v, session_step(&v.s));
		/* the log, in bounded slices so keys never wait long */
		v.more = v.s.running && view_pump(&v, VIEW_SLICE);
		view_send(&v);
		while ((r = get_wch(&wc)) != ERR) {
			if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
				v.fold = -1;	/* the new size decides */
				view_layout(&v);
				continue;
			}
			if (v.s.running) {
				if (view_key(&v, r, wc)) {
					ret = VIEW_LEFT;
					goto out;
				}
				continue;
			}
			if (r == KEY_CODE_YES && (wc == KEY_MOUSE ||
			    wc == PANE_PASTE_BEGIN || wc == PANE_PASTE_END)) {
				if (wc == KEY_MOUSE)
					(void)pane_mouse(&v.pane, false);
				v.dirty = true;
			} else if (pane_scroll_key(&v.pane, r, wc))
				v.dirty = true;
			else if (wc == 'r')
				view_start(&v);
			else if (wc == 'b' && v.installed)
				view_boot_disk(&v, file);
			else if (wc == 27 || wc == 'q')
				goto out;
		}
	}
out:
	pane_input(false);
	if (v.s.running && ret != -2)
		ret = VIEW_LEFT;
	if (v.s.running)
		tui_child_left(v.s.child);
	session_close(&v.s);
	if (ret == VIEW_LEFT)
		tui_message(false, "%s keeps running: Enter on it shows it "
		    "again, vmtui --stop %s stops it", v.p->name, v.p->name);
	else
		tui_message(false, "%s", "");
done:
	pane_free(&v.pane);
	plan_free(v.pl);
	profile_free(v.p);
	status_free(&v.st);
	settings_free(&v.keys);
	/* what happened: QEMU's last exit status, 1 when it never started */
	return ret != 0 ? ret : v.status;
}
