/*
 * run: the --no-tui console. The terminal goes raw (so Ctrl-C and Ctrl-a
 * reach the guest and QEMU's mux) and is restored on every way out. One
 * poll() watches the terminal, the pty and a self-pipe the signal handlers
 * write to; handlers only set flags. Every byte from the pty goes to the
 * terminal and to the console log. SIGTERM, SIGHUP and SIGINT (when the
 * terminal is not raw) are passed to QEMU, which shuts down on them. An
 * output that closes (| head) ends nothing: SIGPIPE is ignored, and the
 * console goes on to the log alone until QEMU exits.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "io.h"
#include "run.h"

static int			run_pipe[2] = { -1, -1 };
static volatile sig_atomic_t	run_winch, run_term, run_child;

static void
run_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	if (sig == SIGWINCH)
		run_winch = 1;
	else if (sig == SIGCHLD)
		run_child = 1;
	else
		run_term = sig;
	/* a full pipe is fine: a wake-up is pending anyway */
	if (write(run_pipe[1], &c, 1) == -1)
		errno = saved;
	errno = saved;
}

/* The console's bytes: the log always, the output while it is open. */
static void
run_out(struct launch *l, const char *buf, size_t n, int *out_open)
{
	static const char note[] = "\r\nvmtui: the output is closed; the "
	    "console goes on to the log (Ctrl-a x quits)\r\n";

	launch_log(l, buf, n);
	if (*out_open && io_write_all(STDOUT_FILENO, buf, n) != 0) {
		*out_open = 0;
		if (write(STDERR_FILENO, note, sizeof note - 1) < 0)
			errno = 0;
	}
}

int
run_relay(struct launch *l)
{
	struct termios		 saved, raw;
	struct sigaction	 sa, old[5], oldpipe;
	struct pollfd		 pfd[3];
	struct winsize		 ws;
	static const int	 sigs[5] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT,
				     SIGCHLD };
	char			 buf[65536];
	ssize_t			 n;
	int			 tty = isatty(STDIN_FILENO), in_open = 1;
	int			 status = 0, i, done = 0, reaped = 0;
	int			 out_open = 1;

	if (pipe2(run_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return 1;
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
	for (i = 0; i < 5; i++)
		sigaction(sigs[i], &sa, &old[i]);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &oldpipe);
	run_child = 0;

	while (!done) {
		pfd[0].fd = l->master;
		pfd[0].events = POLLIN;
		pfd[1].fd = run_pipe[0];
		pfd[1].events = POLLIN;
		pfd[2].fd = in_open ? STDIN_FILENO : -1;
		pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents & POLLIN) {
			while (read(run_pipe[0], buf, sizeof buf) > 0)
				;
			if (run_winch) {
				run_winch = 0;
				if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
					ioctl(l->master, TIOCSWINSZ, &ws);
			}
			if (run_term) {
				kill(l->pid, SIGTERM);
				run_term = 0;
			}
			/*
			 * QEMU has exited: what it wrote last is in the pty;
			 * take it, then stop even if a helper it started
			 * still holds the pty open.
			 */
			if (run_child && waitpid(l->pid, &status, WNOHANG) ==
			    l->pid) {
				reaped = 1;
				fcntl(l->master, F_SETFL, O_NONBLOCK);
				while ((n = read(l->master, buf,
				    sizeof buf)) > 0)
					run_out(l, buf, (size_t)n, &out_open);
				done = 1;
				continue;
			}
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(l->master, buf, sizeof buf);
			if (n == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				done = 1;	/* EIO: QEMU has gone */
				continue;
			}
			run_out(l, buf, (size_t)n, &out_open);
		}
		if (in_open && (pfd[2].revents & (POLLIN | POLLHUP))) {
			n = read(STDIN_FILENO, buf, sizeof buf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				in_open = 0;
			else
				io_write_all(l->master, buf, (size_t)n);
		}
	}

	while (!reaped && waitpid(l->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	for (i = 0; i < 5; i++)
		sigaction(sigs[i], &old[i], NULL);
	sigaction(SIGPIPE, &oldpipe, NULL);
	close(run_pipe[0]);
	close(run_pipe[1]);
	return launch_status(status);
}
