/*
 * attach: a view of a running machine, from its console log and socket.
 *
 * QEMU writes every byte of the serial console to the log (chardev
 * logfile=), whether anyone is attached or not, and to the socket only
 * while someone is. Drawing from the log gives one exact stream: what
 * was written while nobody watched, then the live bytes, none twice. The
 * socket carries the keys in; what QEMU writes to it is read (so QEMU
 * never waits on a full socket) and counted: QEMU writes a chunk to the
 * socket, then the same chunk to the log, so socket bytes mean log bytes
 * due, and the caller looks again within a millisecond until they came.
 * Without the socket (before QEMU listens; what the script and QEMU print
 * on stderr) the log is looked at on a timer. A log cut while it was
 * read (logcap.c: its bytes moved to console.log.1, it truncated) is
 * followed: the rest from console.log.1, at the same offset, then the
 * log from its start. No inotify: closing one
 * costs the kernel milliseconds, which every launch would pay.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "attach.h"
#include "io.h"
#include "logcap.h"
#include "paths.h"
#include "profile.h"
#include "runtime.h"

static int
attach_fail(char **cause, const char *what, const char *path, int err)
{
	if (asprintf(cause, "%s %s: %s", what, path, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

/*
 * One view at a time: QEMU's console socket takes one client. The lock
 * goes with the process that holds it, however that process ends.
 */
static int
attach_lock(struct attach *a, const char *name, const char *dir,
    char **cause)
{
	char	*path, pid[32];
	long long other;
	int	 n;

	if (asprintf(&path, "%s/" PATHS_ATTACHED, dir) < 0)
		return attach_fail(cause, "cannot lock", dir, ENOMEM);
	a->lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (a->lock == -1) {
		attach_fail(cause, "cannot open", path, errno);
		free(path);
		return -1;
	}
	if (flock(a->lock, LOCK_EX | LOCK_NB) != 0) {
		other = io_read_number(path);
		if (other > 0) {
			if (asprintf(cause, "%s is shown in another vmtui (pid "
			    "%lld); leave it there first (Ctrl-] d)", name,
			    other) < 0)
				*cause = NULL;
		} else if (asprintf(cause, "%s is shown in another vmtui; "
		    "leave it there first (Ctrl-] d)", name) < 0)
			*cause = NULL;
		free(path);
		return -1;
	}
	free(path);
	/*
	 * Written over, then cut to its length: a cut to nothing makes ext4
	 * write the file out and free its block before ftruncate() returns,
	 * on a runtime folder on a disk. The lock is what counts.
	 */
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (pwrite(a->lock, pid, (size_t)n, 0) == n &&
	    ftruncate(a->lock, n) != 0)
		errno = 0;
	return 0;
}

/*
 * Where the view begins in the log: this boot's start, or the last
 * ATTACH_REPLAY bytes of it from a line's start when the boot said more.
 */
static off_t
attach_begin(struct attach *a, const char *dir, off_t size)
{
	char		*path, buf[4096], *nl;
	long long	 start = -1;
	off_t		 from;
	ssize_t		 n;

	if (asprintf(&path, "%s/" PATHS_LOGSTART, dir) >= 0) {
		start = io_read_number(path);
		free(path);
	}
	if (start < 0 || start > size)
		start = 0;
	from = size - ATTACH_REPLAY > start ? size - ATTACH_REPLAY : start;
	if (from > start && (n = pread(a->log, buf, sizeof buf, from)) > 0 &&
	    (nl = memchr(buf, '\n', (size_t)n)) != NULL)
		from += nl - buf + 1;
	return from;
}

/* Attach to the running machine of profile p. */
int
attach_open(const struct profile *p, struct attach *a, char **cause)
{
	struct paths_machine	 m;
	struct stat		 st;
	const char		*name = p->name;
	char			*dir = NULL, *state = NULL;
	off_t			 from;

	memset(a, 0, sizeof *a);
	a->log = a->sock = a->lock = a->old = -1;
	if (paths_runtime_check(0, cause) != 0)
		return -1;
	if (runtime_machine(p, &m) == 0) {
		dir = m.runtime;
		state = m.state;
		m.runtime = m.state = NULL;
		paths_machine_free(&m);
	}
	if (dir == NULL || state == NULL ||
	    asprintf(&a->sock_path, "%s/" PATHS_CONSOLE, dir) < 0 ||
	    asprintf(&a->log_path, "%s/" PATHS_LOG, state) < 0) {
		a->sock_path = a->log_path = NULL;
		attach_fail(cause, "cannot attach to", name, ENOMEM);
		goto fail;
	}
	if (attach_lock(a, name, dir, cause) != 0)
		goto fail;
	a->log = open(a->log_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (a->log == -1) {
		attach_fail(cause, "cannot read the console log", a->log_path,
		    errno);
		goto fail;
	}
	if (fstat(a->log, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		if (asprintf(cause, "%s is not a file of yours", a->log_path)
		    < 0)
			*cause = NULL;
		goto fail;
	}
	from = attach_begin(a, dir, st.st_size);
	if (lseek(a->log, from, SEEK_SET) == -1) {
		attach_fail(cause, "cannot read", a->log_path, errno);
		goto fail;
	}
	(void)attach_connect(a);
	free(dir);
	free(state);
	return 0;
fail:
	free(dir);
	free(state);
	attach_close(a);
	return -1;
}

/* Connect the console socket: 0 when connected, -1 not (yet). */
int
attach_connect(struct attach *a)
{
	struct sockaddr_un	sun;

	if (a->sock != -1)
		return 0;
	if (a->closed || strlen(a->sock_path) >= sizeof sun.sun_path)
		return -1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, a->sock_path, strlen(a->sock_path) + 1);
	a->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (a->sock == -1)
		return -1;
	if (connect(a->sock, (struct sockaddr *)&sun, sizeof sun) != 0) {
		close(a->sock);
		a->sock = -1;
		return -1;
	}
	return 0;
}

/*
 * The log was cut (logcap.c) when it is shorter than where it is read:
 * console.log.1 holds what was not read yet, at the same offset; then
 * the log goes on from its start.
 */
static void
attach_cut(struct attach *a)
{
	struct stat	 st;
	off_t		 at = lseek(a->log, 0, SEEK_CUR);
	char		*path;

	if (at <= 0 || fstat(a->log, &st) != 0 || st.st_size >= at)
		return;
	if (a->old == -1 && asprintf(&path, "%s" LOGCAP_OLD, a->log_path) >= 0) {
		a->old = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		free(path);
		if (a->old != -1 && lseek(a->old, at, SEEK_SET) != at) {
			close(a->old);
			a->old = -1;
		}
	}
	(void)lseek(a->log, 0, SEEK_SET);
}

/* The log's next bytes: how many, 0 when it has no more yet, -1 error. */
ssize_t
attach_read(struct attach *a, void *buf, size_t n)
{
	ssize_t	r;

	if (a->log == -1)
		return -1;
	if (a->old != -1) {
		while ((r = read(a->old, buf, n)) == -1 && errno == EINTR)
			;
		if (r > 0)
			goto got;
		close(a->old);
		a->old = -1;
	}
	while ((r = read(a->log, buf, n)) == -1 && errno == EINTR)
		;
	if (r == 0) {
		attach_cut(a);
		if (a->old != -1)
			return attach_read(a, buf, n);
	}
got:
	if (r > 0)
		a->due = a->due > (size_t)r ? a->due - (size_t)r : 0;
	return r;
}

/* Keys for the guest; -1 when the console socket is not connected. */
int
attach_send(struct attach *a, const void *p, size_t n)
{
	const char	*s = p;
	struct pollfd	 pfd;
	ssize_t		 w;

	while (n > 0) {
		if (a->sock == -1)
			return -1;
		w = send(a->sock, s, n, MSG_NOSIGNAL);
		if (w > 0) {
			s += w;
			n -= (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && errno == EAGAIN) {
			/* QEMU reads keys as the guest takes them */
			pfd.fd = a->sock;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, 200) > 0)
				continue;
		}
		return -1;
	}
	return 0;
}

/*
 * After poll(): drain the socket, counting what the log is to get; a
 * socket QEMU closed marks the machine as gone.
 */
void
attach_events(struct attach *a)
{
	char	buf[16384];
	ssize_t	n;

	while (a->sock != -1) {
		n = recv(a->sock, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0) {
			if (a->due == 0)
				a->due_since = io_now_ms();
			a->due += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
			close(a->sock);
			a->sock = -1;
			a->closed = true;
		}
		break;
	}
}

/*
 * How long poll() may wait before the log is read again, in ms: at once
 * while bytes are due (but not for ever: a log QEMU could not write is
 * given up on after 100 ms), 50 before the socket answers, else 250 for
 * what comes on stderr; the socket wakes poll() for the console.
 */
int
attach_wait(const struct attach *a)
{
	if (a->due > 0 && io_now_ms() - a->due_since < 100)
		return 1;
	if (a->sock == -1 && !a->closed)
		return 50;
	return 250;
}

/* Leave: the machine runs on. */
void
attach_close(struct attach *a)
{
	if (a->log != -1)
		close(a->log);
	if (a->old != -1)
		close(a->old);
	if (a->sock != -1)
		close(a->sock);
	if (a->lock != -1)
		close(a->lock);
	a->log = a->sock = a->lock = a->old = -1;
	free(a->sock_path);
	free(a->log_path);
	a->sock_path = a->log_path = NULL;
}
