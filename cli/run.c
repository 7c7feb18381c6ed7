/*
 * run: a machine's console on this terminal, without the screens
 * (--no-tui). The terminal goes raw, so Ctrl-C and Ctrl-a reach the
 * guest, and is restored on every way out, with line wrap and the cursor
 * back on whatever the guest sent. The machine is a session attached to
 * it, as the launch view's is (core/session.c: the console from its log,
 * keys to its socket, QMP, the stop policy, the end); the escape key
 * (Ctrl-] by default) and a command after it do what they do in the view,
 * each that makes sense on a bare terminal (session_keys[] says which and
 * why not the others): d leaves with the machine running, p presses its
 * power button (QEMU quit at the deadline), q quits it (asked first), z
 * pauses or resumes it, m reads a line for QEMU's monitor (the console
 * waits meanwhile, in the log), ? lists them. One poll() watches the
 * terminal, the session's fds and a self-pipe the signal handlers write
 * to; handlers only set flags. A signal (SIGTERM, SIGHUP, SIGINT when the
 * terminal is not raw) ends vmtui and leaves the machine running, unless
 * it was being taken down. An output that closes (| head) ends nothing:
 * SIGPIPE is ignored, and the machine goes on, logged, until it ends.
 *
 * The terminal is the user's and outlives vmtui: the guest's bytes reach
 * it through ttyfilter.c, which keeps text, moves and colours and drops
 * every title, clipboard write, mode, region, charset and query, so
 * nothing the guest sends outlives vmtui there. vmtui's own lines are in
 * reverse video, which the filtered guest output never has: a guest
 * cannot pass for vmtui (a "left" message, a host prompt after it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "io.h"
#include "run.h"
#include "session.h"
#include "settings.h"
#include "ttyfilter.h"
#include "buf.h"

static int			run_pipe[2] = { -1, -1 };
static volatile sig_atomic_t	run_term, run_child;

struct run {
	struct session	 s;
	struct settings	 keys;
	int		 out_open;	/* stdout takes the console */
	struct ttyfilter *filter;	/* the guest's bytes made harmless */
	struct buf	 shown;
	int		 escaped;	/* the escape key came */
	int		 asking;	/* q asked: y quits */
	int		 monitor;	/* m: a line for the monitor is typed */
	char		 line[256];
	size_t		 linelen;
};

static void
run_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	if (sig == SIGCHLD)
		run_child = 1;
	else
		run_term = sig;
	/* a full pipe is fine: a wake-up is pending anyway */
	if (write(run_pipe[1], &c, 1) == -1)
		errno = saved;
	errno = saved;
}

/* One line of vmtui's own to stderr, marked on a terminal, then "\r\n". */
static void
run_linev(const char *fmt, va_list ap)
{
	int	run_marked = isatty(STDERR_FILENO);

	if (run_marked)
		dprintf(STDERR_FILENO, TTYFILTER_OWN);
	vdprintf(STDERR_FILENO, fmt, ap);
	if (run_marked)
		dprintf(STDERR_FILENO, TTYFILTER_OWN_END);
	dprintf(STDERR_FILENO, "\r\n");
}

static void
run_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
run_line(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	run_linev(fmt, ap);
	va_end(ap);
}

/*
 * "vmtui: " and a line to stderr, framed for a raw terminal ("\r\n" on
 * both sides, or after it only: gap false), marked as vmtui's own.
 */
static void
run_sayv(bool gap, const char *fmt, va_list ap)
{
	char	*line;

	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	if (gap)
		dprintf(STDERR_FILENO, "\r\n");
	run_line("vmtui: %s", line != NULL ? line : "out of memory");
	free(line);
}

void
run_say(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	run_sayv(true, fmt, ap);
	va_end(ap);
}

void
run_hint(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	run_sayv(false, fmt, ap);
	va_end(ap);
}

/* The bytes of the console to this terminal, while it takes them. */
static void
run_out(struct run *r, const char *buf, size_t n)
{
	if (!r->out_open)
		return;
	r->shown.len = 0;
	ttyfilter_feed(r->filter, buf, n, &r->shown);
	if (r->shown.failed || io_write_all(STDOUT_FILENO, r->shown.data,
	    r->shown.len) != 0) {
		r->out_open = 0;
		run_say("the output is closed; the machine goes on, its "
		    "console to the log");
	}
}

/* The commands: 1 to leave. */
static int
run_help(struct run *r)
{
	const struct session_key	*e;

	run_say("%s then:", r->keys.escape_name);
	for (e = session_keys; e->name != NULL; e++)
		if (e->where & SESSION_TTY)
			run_line("  %-3s %s", e->name, e->help);
	run_line("  %s again sends it to the guest", r->keys.escape_name);
	for (e = session_keys; e->name != NULL; e++)
		if (!(e->where & SESSION_TTY) && e->view_only != NULL)
			run_line("  (%s %s: the launch view's only; %s)",
			    e->name, e->word, e->view_only);
	return 0;
}

static int
run_leave(struct run *r)
{
	(void)r;
	return 1;
}

static int
run_power(struct run *r)
{
	char	*cause = NULL;

	if (session_power_button(&r->s, &cause) == 0)
		run_say("%s: the power button is pressed; QEMU is quit in %d s "
		    "if the guest has not powered off", r->s.name,
		    SESSION_POWERDOWN_S);
	else
		run_say("%s: %s", r->s.name, cause ? cause : "?");
	free(cause);
	return 0;
}

static int
run_quit(struct run *r)
{
	run_say("force %s to quit, as pulling its plug would? y quits, any "
	    "other key does not", r->s.name);
	r->asking = 1;
	return 0;
}

static int
run_pause(struct run *r)
{
	char	*cause = NULL;

	if (session_pause(&r->s, &cause) == 0)
		run_say("%s is %s", r->s.name, r->s.state);
	else
		run_say("%s: %s", r->s.name, cause ? cause : "?");
	free(cause);
	return 0;
}

static int
run_monitor(struct run *r)
{
	dprintf(STDERR_FILENO, "\r\n%s(qemu)%s ", isatty(STDERR_FILENO) ?
	    TTYFILTER_OWN : "", isatty(STDERR_FILENO) ? TTYFILTER_OWN_END : "");
	r->monitor = 1;
	r->linelen = 0;
	return 0;
}

static const struct run_command {
	enum session_cmd	  cmd;
	int			(*run)(struct run *);
} run_commands[] = {
	{ SESSION_HELP, run_help }, { SESSION_LEAVE, run_leave },
	{ SESSION_POWER, run_power }, { SESSION_QUIT, run_quit },
	{ SESSION_PAUSE, run_pause }, { SESSION_MONITOR, run_monitor },
};

/* Whether --no-tui obeys cmd (its dispatch, for the test of the table). */
bool
run_obeys(int cmd)
{
	size_t	i;

	for (i = 0; i < sizeof run_commands / sizeof run_commands[0]; i++)
		if ((int)run_commands[i].cmd == cmd)
			return true;
	return false;
}

/* vmtui --keys: the commands --no-tui obeys, as the table marks them. */
void
run_keys_print(FILE *f)
{
	const struct session_key	*e;

	for (e = session_keys; e->name != NULL; e++)
		if (e->where & SESSION_TTY)
			fprintf(f, "console\t%s\t%s\n", e->name, e->help);
}

/* One command after the escape key: 1 to leave. */
static int
run_command(struct run *r, char c)
{
	const struct session_key	*e = session_key_find(c, SESSION_TTY);
	size_t				 i;

	for (i = 0; e != NULL && i < sizeof run_commands /
	    sizeof run_commands[0]; i++)
		if (run_commands[i].cmd == e->cmd)
			return run_commands[i].run(r);
	return run_help(r);
}

/* The answer to q: y quits. */
static void
run_answer(struct run *r, char c)
{
	char	*cause = NULL;

	r->asking = 0;
	if (c != 'y' && c != 'Y') {
		run_say("%s keeps running", r->s.name);
		return;
	}
	if (session_quit(&r->s, &cause) == 0)
		run_say("%s: quitting", r->s.name);
	else
		run_say("%s does not answer (%s); QEMU was killed", r->s.name,
		    cause ? cause : "?");
	free(cause);
}

/* A key of the monitor's line: Enter runs it, Esc or Ctrl-C drops it. */
static void
run_monitor_key(struct run *r, char c)
{
	char	*out = NULL, *cause = NULL, *p;

	if (c == '\r' || c == '\n') {
		r->line[r->linelen] = '\0';
		r->monitor = 0;
		dprintf(STDERR_FILENO, "\r\n");
		if (r->linelen == 0)
			return;
		if (session_monitor(&r->s, r->line, &out, &cause) != 0)
			run_say("%s", cause ? cause : "?");
		for (p = out; p != NULL && *p != '\0'; p++)
			dprintf(STDERR_FILENO, *p == '\n' ? "\r\n" : "%c", *p);
		free(out);
		free(cause);
	} else if (c == 27 || c == 3 || c == r->keys.escape_key) {
		r->monitor = 0;
		dprintf(STDERR_FILENO, "\r\n");
	} else if ((c == 127 || c == 8) && r->linelen > 0) {
		r->linelen--;
		dprintf(STDERR_FILENO, "\b \b");
	} else if ((unsigned char)c >= 32 && c != 127 &&
	    r->linelen + 1 < sizeof r->line) {
		r->line[r->linelen++] = c;
		dprintf(STDERR_FILENO, "%c", c);
	}
}

/*
 * Keys from the terminal: to the guest, but for the escape key and the
 * command after it (and a question's answer, a monitor line). 1: leave.
 */
static int
run_keys(struct run *r, const char *buf, size_t n)
{
	size_t	i, from = 0;
	char	c;

	for (i = 0; i < n; i++) {
		c = buf[i];
		if (r->asking || r->monitor) {
			if (r->asking)
				run_answer(r, c);
			else
				run_monitor_key(r, c);
			from = i + 1;
			continue;
		}
		if (!r->escaped) {
			if ((unsigned char)c == r->keys.escape_key) {
				(void)session_send(&r->s, buf + from, i - from);
				r->escaped = 1;
				from = i + 1;
			}
			continue;
		}
		r->escaped = 0;
		from = i + 1;
		if ((unsigned char)c == r->keys.escape_key)
			(void)session_send(&r->s, &c, 1);
		else if (run_command(r, c))
			return 1;
	}
	if (!r->escaped && from < n)
		(void)session_send(&r->s, buf + from, n - from);
	return 0;
}

/* The console to this terminal, unless a monitor line is being typed. */
static void
run_drain(struct run *r, bool all)
{
	char	buf[65536];
	ssize_t	n;

	while ((all || !r->monitor) &&
	    (n = session_read(&r->s, buf, sizeof buf)) > 0)
		run_out(r, buf, (size_t)n);
}

/*
 * The console of p's running machine on this terminal, until it
 * ends or the person leaves. child: QEMU when this vmtui started it (its
 * status is the result), else 0. *left is set when the person left.
 */
int
run_console(const struct profile *p, pid_t child, int *left, char **cause)
{
	static const char	 restore[] = TTYFILTER_RESTORE;
	static const int	 sigs[4] = { SIGTERM, SIGHUP, SIGINT, SIGCHLD };
	struct run		 r;
	struct termios		 saved, raw;
	struct sigaction	 sa, old[4], oldpipe;
	struct pollfd		 pfd[4];
	char			 buf[4096];
	ssize_t			 n;
	unsigned		 ev;
	int			 tty = isatty(STDIN_FILENO), in_open = 1;
	int			 status = -1, i;

	*left = 0;
	memset(&r, 0, sizeof r);
	r.out_open = 1;
	buf_init(&r.shown);
	if ((r.filter = ttyfilter_new()) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (settings_load(&r.keys, cause) != 0) {
		ttyfilter_free(r.filter);
		return -1;
	}
	if (session_open(&r.s, p, child, cause) != 0) {
		settings_free(&r.keys);
		ttyfilter_free(r.filter);
		return -1;
	}
	if (pipe2(run_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		session_close(&r.s);
		settings_free(&r.keys);
		ttyfilter_free(r.filter);
		*cause = strdup("cannot make a pipe");
		return -1;
	}
	if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	} else
		tty = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = run_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, &old[i]);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &oldpipe);
	run_child = run_term = 0;

	for (;;) {
		session_fds(&r.s, pfd);
		pfd[2].fd = run_pipe[0];
		pfd[2].events = POLLIN;
		pfd[3].fd = in_open ? STDIN_FILENO : -1;
		pfd[3].events = POLLIN;
		if (poll(pfd, 4, session_timeout(&r.s)) == -1 && errno != EINTR)
			break;
		ev = session_step(&r.s);
		if (ev & SESSION_EV_QUIT)
			run_say("%s did not power off within %d s; QEMU was quit",
			    p->name, SESSION_POWERDOWN_S);
		if (ev & SESSION_EV_KILLED)
			run_say("%s did not quit; QEMU was killed", p->name);
		if ((ev & SESSION_EV_LOG) && r.s.log_note[0] != '\0')
			run_say("%s", r.s.log_note);
		else if (ev & SESSION_EV_LOG)
			run_say("the console log's disk has room again");
		run_drain(&r, false);
		if (pfd[2].revents & POLLIN)
			while (read(run_pipe[0], buf, sizeof buf) > 0)
				;
		if (run_term) {
			session_interrupt(&r.s);
			*left = r.s.running;
			break;
		}
		/* the end: QEMU (ours) waited for, or its lock gone */
		if (ev & SESSION_EV_ENDED) {
			run_drain(&r, true);
			status = r.s.status;
			break;
		}
		if (in_open && (pfd[3].revents & (POLLIN | POLLHUP))) {
			n = read(STDIN_FILENO, buf, sizeof buf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				in_open = 0;
			else if (run_keys(&r, buf, (size_t)n)) {
				*left = 1;
				break;
			}
		}
	}

	if (tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	if (r.out_open && isatty(STDOUT_FILENO))
		(void)io_write_all(STDOUT_FILENO, restore, sizeof restore - 1);
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	sigaction(SIGPIPE, &oldpipe, NULL);
	close(run_pipe[0]);
	close(run_pipe[1]);
	session_close(&r.s);
	settings_free(&r.keys);
	ttyfilter_free(r.filter);
	buf_free(&r.shown);
	if (run_term)
		return 128 + run_term;
	if (*left)
		return 0;
	return status >= 0 ? status : 0;
}
