/*
 * run: a machine's console on this terminal, without the screens
 * (--no-tui). The terminal goes raw, so Ctrl-C and Ctrl-a reach the
 * guest, and is restored on every way out, with line wrap and the cursor
 * back on whatever the guest sent. The console comes from the log as the
 * launch view's does (core/attach.c); keys go to the console socket; the
 * escape key (Ctrl-] by default) and d leaves with the machine running,
 * p presses its power button, q quits it. One poll() watches the
 * terminal, the console socket (which says when the log grows) and a
 * self-pipe the signal handlers write to; handlers only set flags. A
 * signal (SIGTERM, SIGHUP, SIGINT when the terminal is not raw) ends vmtui
 * and leaves the machine running. An output that closes (| head) ends nothing: SIGPIPE is
 * ignored, and the machine goes on, logged, until it ends.
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

#include "attach.h"
#include "io.h"
#include "launch.h"
#include "machine.h"
#include "paths.h"
#include "run.h"
#include "runtime.h"
#include "session.h"
#include "settings.h"

static int			run_pipe[2] = { -1, -1 };
static volatile sig_atomic_t	run_term, run_child;

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

/* A line to stderr, framed for a raw terminal ("\r\n" on both sides). */
static void
run_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
run_say(const char *fmt, ...)
{
	va_list	ap;

	dprintf(STDERR_FILENO, "\r\nvmtui: ");
	va_start(ap, fmt);
	vdprintf(STDERR_FILENO, fmt, ap);
	va_end(ap);
	dprintf(STDERR_FILENO, "\r\n");
}

/* The bytes of the console to this terminal, while it takes them. */
static void
run_out(const char *buf, size_t n, int *out_open)
{
	if (*out_open && io_write_all(STDOUT_FILENO, buf, n) != 0) {
		*out_open = 0;
		run_say("the output is closed; the machine goes on, its "
		    "console to the log");
	}
}

/* The escape commands --no-tui obeys, for the hint. */
static void
run_hint(const struct settings *k)
{
	const struct session_key	*e;

	dprintf(STDERR_FILENO, "\r\nvmtui: %s then:\r\n", k->escape_name);
	for (e = session_keys; e->name != NULL; e++)
		if (e->where & SESSION_TTY)
			dprintf(STDERR_FILENO, "  %-3s %s\r\n", e->name, e->help);
	dprintf(STDERR_FILENO, "  %s again sends it to the guest\r\n",
	    k->escape_name);
}

/* One escape command (session_keys, SESSION_TTY); 1: leave. */
static int
run_command(const struct profile *p, struct session_stop *stop,
    const struct settings *k, char c)
{
	const struct session_key	*e = session_key_find(c, SESSION_TTY);
	const char			*name = p->name;
	char				*cause = NULL;

	switch (e != NULL ? e->cmd : 0) {
	case SESSION_LEAVE:
		return 1;
	case SESSION_POWER:
		if (session_power(stop, p, &cause) == 0)
			run_say("%s: the power button is pressed; QEMU is quit "
			    "in %d s if the guest has not powered off", name,
			    SESSION_POWERDOWN_S);
		break;
	case SESSION_QUIT:
		if (session_force(stop, p, &cause) == 0)
			run_say("%s: quitting", name);
		break;
	default:
		run_hint(k);
		break;
	}
	if (cause != NULL)
		run_say("%s: %s", name, cause);
	free(cause);
	return 0;
}

/*
 * Keys from the terminal: to the guest, but for the escape key and the
 * command after it. 1: leave.
 */
static int
run_keys(const struct profile *p, struct attach *a, struct session_stop *stop,
    const struct settings *k, const char *buf, size_t n, int *escaped)
{
	size_t	i, from = 0;
	char	c;

	for (i = 0; i < n; i++) {
		if (!*escaped) {
			if ((unsigned char)buf[i] == k->escape_key) {
				(void)attach_send(a, buf + from, i - from);
				*escaped = 1;
				from = i + 1;
			}
			continue;
		}
		*escaped = 0;
		from = i + 1;
		if ((unsigned char)(c = buf[i]) == k->escape_key)
			(void)attach_send(a, &c, 1);
		else if (run_command(p, stop, k, c))
			return 1;
	}
	if (!*escaped && from < n)
		(void)attach_send(a, buf + from, n - from);
	return 0;
}

/*
 * The console of p's running machine on this terminal, until it
 * ends or the person leaves. child: QEMU when this vmtui started it (its
 * status is the result), else 0. *left is set when the person left.
 */
int
run_console(const struct profile *p, pid_t child, int *left, char **cause)
{
	static const char	 restore[] = "\033[?7h\033[?25h";
	static const int	 sigs[4] = { SIGTERM, SIGHUP, SIGINT, SIGCHLD };
	struct settings		 keys;
	struct session_stop	 stop = { SESSION_UP, 0, false, false };
	struct attach		 a;
	struct termios		 saved, raw;
	struct sigaction	 sa, old[4], oldpipe;
	struct pollfd		 pfd[3];
	char			 buf[65536];
	ssize_t			 n;
	int			 tty = isatty(STDIN_FILENO), in_open = 1;
	int			 status = 0, i, done = 0, out_open = 1;
	int			 escaped = 0, looks = 0, wait, killed_said = 0;

	*left = 0;
	if (settings_load(&keys, cause) != 0)
		return -1;
	if (attach_open(p, &a, cause) != 0) {
		settings_free(&keys);
		return -1;
	}
	if (pipe2(run_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		attach_close(&a);
		settings_free(&keys);
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

	while (!done) {
		(void)attach_connect(&a);
		pfd[0].fd = a.sock;
		pfd[0].events = POLLIN;
		pfd[1].fd = run_pipe[0];
		pfd[1].events = POLLIN;
		pfd[2].fd = in_open ? STDIN_FILENO : -1;
		pfd[2].events = POLLIN;
		wait = attach_wait(&a);
		if (session_wait(&stop) >= 0 && (wait < 0 ||
		    session_wait(&stop) < wait))
			wait = (int)session_wait(&stop);
		if (poll(pfd, 3, wait) == -1 && errno != EINTR)
			break;
		if (session_tick(&stop, p) && stop.timed_out &&
		    stop.phase == SESSION_QUITTING)
			run_say("%s did not power off within %d s; QEMU was quit",
			    p->name, SESSION_POWERDOWN_S);
		else if (stop.phase == SESSION_KILLED && !killed_said) {
			killed_said = 1;
			run_say("%s did not quit; QEMU was killed", p->name);
		}
		attach_events(&a);
		while ((n = attach_read(&a, buf, sizeof buf)) > 0)
			run_out(buf, (size_t)n, &out_open);
		if (pfd[1].revents & POLLIN)
			while (read(run_pipe[0], buf, sizeof buf) > 0)
				;
		if (run_term) {
			*left = 1;
			break;
		}
		/* the end: QEMU (ours) waited for, or its lock gone */
		done = machine_ended(p, &child, child <= 0 && (a.closed ||
		    ++looks % 8 == 0), &status);
		if (done) {
			while ((n = attach_read(&a, buf, sizeof buf)) > 0)
				run_out(buf, (size_t)n, &out_open);
			break;
		}
		if (in_open && (pfd[2].revents & (POLLIN | POLLHUP))) {
			n = read(STDIN_FILENO, buf, sizeof buf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				in_open = 0;
			else if (run_keys(p, &a, &stop, &keys, buf,
			    (size_t)n, &escaped)) {
				*left = 1;
				break;
			}
		}
	}

	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		(void)io_write_all(STDOUT_FILENO, restore, sizeof restore - 1);
	}
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	sigaction(SIGPIPE, &oldpipe, NULL);
	close(run_pipe[0]);
	close(run_pipe[1]);
	attach_close(&a);
	settings_free(&keys);
	if (run_term)
		return 128 + run_term;
	if (*left)
		return 0;
	return done && status >= 0 ? status : 0;
}
