/*
 * logcap: the console log's bound. QEMU appends the serial console to
 * console.log itself (chardev logfile=, logappend=on: every writer has it
 * O_APPEND, QEMU's stderr too), so the log grows as fast as the guest
 * writes, for as long as the machine runs, attached or not; a guest that
 * writes endlessly would fill the user's home.
 *
 * The bound: a new boot moves the last boot's log to console.log.1
 * (logcap_new_boot, the boot before it is gone), and while the machine
 * runs, a log that passes the cap (console-log-max in vmtui.conf) is cut:
 * copied to console.log.1 and truncated to nothing, QEMU's next write
 * landing at its start (O_APPEND). A log is never more than the cap and
 * what the guest writes in LOGCAP_EVERY_MS, plus console.log.1: at most
 * about twice the cap on disk per machine. Bytes written in the instant
 * between the copy and the truncation are lost (QEMU cannot be asked to
 * reopen its log); a reader past the new end finds the rest in
 * console.log.1 at the same offsets (attach.c).
 *
 * The watcher is a process of its own (forked twice, a session of its
 * own, every fd closed), started by the launch, so that the cap holds
 * with nobody attached and after vmtui has gone; it ends when the machine
 * does: it holds a pidfd of QEMU's, opened by the launch while QEMU is its
 * child (so the pid cannot be another process's yet), which polls
 * readable once QEMU has ended, reaped or not (kill 0 answers for a
 * zombie, for root, and for a pid used again). It keeps no folder busy
 * (its working folder is /). A machine started by running its launch
 * script by hand has none.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "logcap.h"

static int
logcap_fail(char **cause, const char *what, const char *path, int err)
{
	if (asprintf(cause, "%s %s: %s", what, path, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

/* A new boot: the last boot's log becomes log.1 (the older one gone). */
int
logcap_new_boot(const char *log, char **cause)
{
	struct stat	 st;
	char		*old;
	int		 r = 0;

	*cause = NULL;
	if (lstat(log, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 0;	/* none, or launch.c refuses it */
	if (asprintf(&old, "%s" LOGCAP_OLD, log) < 0) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (rename(log, old) != 0)
		r = logcap_fail(cause, "cannot move the last boot's log to",
		    old, errno);
	free(old);
	return r;
}

/* from's bytes from offset at to its end appended to to; -1 on error. */
static int
logcap_copy(int from, int to, off_t *at)
{
	char	buf[65536];
	ssize_t	n, w, k;

	for (;;) {
		n = pread(from, buf, sizeof buf, *at);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? 0 : -1;
		for (k = 0; k < n; ) {
			w = write(to, buf + k, (size_t)(n - k));
			if (w > 0)
				k += w;
			else if (w == -1 && errno == EINTR)
				continue;
			else
				return -1;
		}
		*at += n;
	}
}

/*
 * Cut log when it holds more than max bytes: its bytes to log.1, and it
 * truncated to nothing. 1 when cut, 0 when under the cap, -1 with why (a
 * copy that failed, the disk full say, still truncates: the cap holds).
 */
int
logcap_trim(const char *log, off_t max, char **cause)
{
	struct stat	 st;
	char		*old = NULL, *tmp = NULL;
	off_t		 at = 0;
	int		 fd, out = -1, r = 1, copied = -1;

	*cause = NULL;
	if ((fd = open(log, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : logcap_fail(cause,
		    "cannot open", log, errno);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || st.st_size <= max) {
		close(fd);
		return 0;
	}
	if (asprintf(&old, "%s" LOGCAP_OLD, log) < 0 ||
	    asprintf(&tmp, "%s" LOGCAP_OLD ".tmp", log) < 0) {
		free(old);
		close(fd);
		*cause = strdup("out of memory");
		return -1;
	}
	(void)unlink(tmp);
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) != -1) {
		/* twice: what came during the first copy goes too */
		copied = logcap_copy(fd, out, &at);
		if (copied == 0)
			copied = logcap_copy(fd, out, &at);
	}
	if (ftruncate(fd, 0) != 0)
		r = logcap_fail(cause, "cannot cut", log, errno);
	if (out != -1)
		close(out);
	if (copied == 0 && rename(tmp, old) == 0)
		;
	else {
		(void)unlink(tmp);
		if (r == 1)
			r = logcap_fail(cause, "cannot keep the cut part in",
			    old, errno != 0 ? errno : EIO);
	}
	close(fd);
	free(old);
	free(tmp);
	return r;
}

/*
 * The watcher's loop: it never returns. pidfd: the machine's (readable
 * once it has ended), or -1 where the kernel has none (before 5.3): then
 * kill 0, which a zombie or a pid used again still answers.
 */
static void __attribute__((noreturn))
logcap_loop(const char *log, off_t max, pid_t machine, int pidfd)
{
	struct timespec	 ts = { 0, LOGCAP_EVERY_MS * 1000000L };
	struct pollfd	 pfd = { pidfd, POLLIN, 0 };
	char		*cause;

	for (;;) {
		if (pidfd != -1 && poll(&pfd, 1, 0) > 0)
			_exit(0);
		/* ended (or another user's pid, after reuse): done */
		if (pidfd == -1 && kill(machine, 0) == -1 && errno != EINTR)
			_exit(0);
		(void)logcap_trim(log, max, &cause);
		free(cause);
		if (pidfd != -1) {
			if (poll(&pfd, 1, LOGCAP_EVERY_MS) > 0)
				_exit(0);
		} else
			nanosleep(&ts, NULL);
	}
}

/*
 * Start the watcher that keeps log to max bytes while the machine (pid)
 * runs. 0, or -1 with why.
 */
int
logcap_watch(const char *log, off_t max, pid_t machine, char **cause)
{
	pid_t	pid;
	int	status, fd, pidfd;

	*cause = NULL;
	/* now, while the machine is the caller's child: its pid is its own */
	if ((pidfd = pidfd_open(machine, 0)) == -1 && errno != ENOSYS)
		return 0;	/* ended already */
	if ((pid = fork()) == -1) {
		fd = errno;
		if (pidfd != -1)
			close(pidfd);
		return logcap_fail(cause, "cannot start the watcher of", log,
		    fd);
	}
	if (pid == 0) {
		/* a session of its own, no fd of vmtui's, default signals */
		(void)setsid();
		if (fork() != 0)
			_exit(0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (pidfd != -1 && (pidfd = dup2(pidfd, 3)) == -1)
			_exit(0);
		closefrom(pidfd != -1 ? 4 : 3);
		(void)chdir("/");
		logcap_loop(log, max, machine, pidfd);
	}
	if (pidfd != -1)
		close(pidfd);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return 0;
}
