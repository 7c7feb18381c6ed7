/*
 * qmp: QEMU Machine Protocol over a unix socket. Every message QEMU writes
 * is read with jansson, whatever its spacing, key order or line breaks:
 * the bytes are parsed one JSON value at a time as they arrive. Each
 * command carries an id; the reply with that id is its reply, a reply with
 * another id (one a command that timed out left behind) is dropped, and an
 * event is never taken for a reply: events are kept, the last
 * QMP_MAX_EVENTS of them, for qmp_event. A message longer than
 * QMP_MAX_MESSAGE ends the connection: memory stays bounded whatever the
 * peer sends. A command waits until the client's timeout (a deadline for
 * the whole command, which events do not put off); an operation that
 * takes long (a snapshot job) sets a longer one.
 *
 * The human monitor's commands (through human-monitor-command) answer in
 * free text: qmp_hmp is the one place that reads it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "io.h"
#include "qmp.h"

struct qmp {
	int	 fd;
	int	 timeout_ms;
	long	 next_id;
	char	*in;		/* bytes read, not parsed yet */
	size_t	 inlen, inroom;
	bool	 fresh;		/* bytes with a '}' came since a parse */
	bool	 eof;		/* the peer closed */
	char	*events[QMP_MAX_EVENTS];	/* names, a ring */
	size_t	 evstart, nevents;
};

static int
qmp_fail(char **cause, const char *what, int err)
{
	if (asprintf(cause, "QMP: %s: %s", what, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

/*
 * One JSON value off the front of the bytes read: 1 with it in *msg, 0
 * when none is whole yet. Bytes that cannot begin one are dropped to the
 * end of their line.
 */
static int
qmp_take(struct qmp *q, json_t **msg)
{
	json_error_t	 err;
	size_t		 skip, used;
	char		*nl;

	if (q->in == NULL)
		return 0;
	for (;;) {
		skip = 0;
		while (skip < q->inlen && strchr(" \t\r\n", q->in[skip]) !=
		    NULL && q->in[skip] != '\0')
			skip++;
		memmove(q->in, q->in + skip, q->inlen - skip);
		q->inlen -= skip;
		if (q->inlen == 0 || !q->fresh)
			return 0;
		*msg = json_loadb(q->in, q->inlen, JSON_DISABLE_EOF_CHECK,
		    &err);
		if (*msg != NULL) {
			used = (size_t)err.position;
			if (used == 0 || used > q->inlen)
				used = q->inlen;
			memmove(q->in, q->in + used, q->inlen - used);
			q->inlen -= used;
			return 1;
		}
		/* it ran into the end of what has come: wait for more */
		if ((size_t)err.position >= q->inlen) {
			q->fresh = false;
			return 0;
		}
		/* not JSON: its line goes */
		nl = memchr(q->in, '\n', q->inlen);
		used = nl != NULL ? (size_t)(nl - q->in) + 1 :
		    (size_t)err.position > 0 ? (size_t)err.position : 1;
		memmove(q->in, q->in + used, q->inlen - used);
		q->inlen -= used;
	}
}

/*
 * The next message by the deadline (ms on CLOCK_MONOTONIC; one already
 * passed still takes what has arrived): 1 with it in *msg, 0 when none
 * came in time, -1 with the cause when the connection failed or closed.
 */
static int
qmp_read(struct qmp *q, long deadline, json_t **msg, char **cause)
{
	struct pollfd	 pfd = { q->fd, POLLIN, 0 };
	long		 left;
	ssize_t		 n;
	size_t		 room;
	char		*more;

	for (;;) {
		if (qmp_take(q, msg) == 1)
			return 1;
		if (q->eof)
			return qmp_fail(cause, "reading", ECONNRESET);
		if (q->inlen >= QMP_MAX_MESSAGE)
			return qmp_fail(cause, "reading", EMSGSIZE);
		if ((left = deadline - io_now_ms()) < 0)
			left = 0;
		switch (poll(&pfd, 1, (int)left)) {
		case -1:
			if (errno == EINTR)
				continue;
			return qmp_fail(cause, "reading", errno);
		case 0:
			return 0;
		}
		if (q->inroom - q->inlen < 4096) {
			room = q->inroom == 0 ? 8192 : q->inroom * 2;
			if (room > QMP_MAX_MESSAGE)
				room = QMP_MAX_MESSAGE;
			if ((more = realloc(q->in, room)) == NULL)
				return qmp_fail(cause, "reading", ENOMEM);
			q->in = more;
			q->inroom = room;
		}
		n = read(q->fd, q->in + q->inlen, q->inroom - q->inlen);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n == -1)
			return qmp_fail(cause, "reading", errno);
		if (n == 0)
			q->eof = true;
		else if (memchr(q->in + q->inlen, '}', (size_t)n) != NULL)
			q->fresh = true;
		q->inlen += (size_t)n;
		if (q->eof)
			q->fresh = true;	/* a last try at what is left */
	}
}

/* An event kept for qmp_event; the oldest goes when they are many. */
static void
qmp_keep_event(struct qmp *q, const char *name)
{
	char	*s;

	if ((s = strdup(name)) == NULL)
		return;
	if (q->nevents == QMP_MAX_EVENTS) {
		free(q->events[q->evstart]);
		q->evstart = (q->evstart + 1) % QMP_MAX_EVENTS;
		q->nevents--;
	}
	q->events[(q->evstart + q->nevents++) % QMP_MAX_EVENTS] = s;
}

/*
 * A message read: an event is kept; true when it is the reply to the
 * command id (it has that id, and "return" or "error").
 */
static bool
qmp_sort(struct qmp *q, json_t *msg, long id)
{
	const char	*event;
	json_t		*jid;

	if (!json_is_object(msg))
		return false;
	if ((event = json_string_value(json_object_get(msg, "event"))) !=
	    NULL) {
		qmp_keep_event(q, event);
		return false;
	}
	jid = json_object_get(msg, "id");
	return json_is_integer(jid) && json_integer_value(jid) == id &&
	    (json_object_get(msg, "return") != NULL ||
	    json_is_object(json_object_get(msg, "error")));
}

/*
 * Run command with args (an object, taken over; NULL for none) by the
 * client's deadline. 0 and its "return" value in *ret (when ret is not
 * NULL; the caller's to json_decref), or -1 with the cause (QEMU's error,
 * no answer in time, the socket closed).
 */
int
qmp_run(struct qmp *q, const char *command, json_t *args, json_t **ret,
    char **cause)
{
	json_t		*req, *msg, *err;
	const char	*desc;
	char		*text;
	long		 id = ++q->next_id, deadline;
	size_t		 len, off;
	ssize_t		 n;
	int		 r;

	if (ret != NULL)
		*ret = NULL;
	req = json_pack("{s:s, s:I}", "execute", command, "id", (json_int_t)id);
	/* args is taken over, by json_object_set_new too when it fails */
	if (req == NULL)
		json_decref(args);
	else if (args != NULL && json_object_set_new(req, "arguments",
	    args) != 0) {
		json_decref(req);
		req = NULL;
	}
	text = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (text == NULL)
		return qmp_fail(cause, command, ENOMEM);
	len = strlen(text);
	text[len] = '\n';	/* json_dumps' NUL: the line's end, sent */
	for (off = 0; off <= len; off += (size_t)n)
		if ((n = send(q->fd, text + off, len + 1 - off,
		    MSG_NOSIGNAL)) <= 0 && errno != EINTR) {
			free(text);
			return qmp_fail(cause, command, n == 0 ? EPIPE : errno);
		} else if (n < 0)
			n = 0;
	free(text);
	deadline = io_now_ms() + q->timeout_ms;
	for (;;) {
		if ((r = qmp_read(q, deadline, &msg, cause)) <= 0)
			return r == 0 ? qmp_fail(cause, "no answer",
			    ETIMEDOUT) : -1;
		if (qmp_sort(q, msg, id))
			break;
		json_decref(msg);
	}
	if ((err = json_object_get(msg, "error")) != NULL) {
		desc = json_string_value(json_object_get(err, "desc"));
		if (asprintf(cause, "QMP: %s: %s", command, desc != NULL ?
		    desc : "failed") < 0)
			*cause = NULL;
		json_decref(msg);
		return -1;
	}
	if (ret != NULL)
		*ret = json_incref(json_object_get(msg, "return"));
	json_decref(msg);
	return 0;
}

/* Run a command without arguments whose reply says nothing more. */
int
qmp_execute(struct qmp *q, const char *command, char **cause)
{
	return qmp_run(q, command, NULL, NULL, cause);
}

/*
 * A line for QEMU's human monitor, through QMP (the console's Ctrl-a is
 * the guest's): its output, as text, in *out. The one reader of the
 * monitor's free text (commands that exist only there, hostfwd_add say,
 * answer nothing when they succeed).
 */
int
qmp_hmp(struct qmp *q, const char *line, char **out, char **cause)
{
	json_t		*ret, *args;
	const char	*text;

	*out = NULL;
	if ((args = json_pack("{s:s}", "command-line", line)) == NULL) {
		*cause = strdup("QMP: a monitor command is text (UTF-8)");
		return -1;
	}
	if (qmp_run(q, "human-monitor-command", args, &ret, cause) != 0)
		return -1;
	text = json_string_value(ret);
	*out = strdup(text != NULL ? text : "");
	json_decref(ret);
	if (*out == NULL)
		return qmp_fail(cause, "human-monitor-command", ENOMEM);
	return 0;
}

/*
 * Connect q to sun by the deadline. QEMU serves one client of a QMP socket
 * at a time and leaves the others queued; once the queue is full, a
 * blocking connect() waits for a place with no end. A non-blocking one is
 * told EAGAIN, and tried again here until the deadline.
 */
static int
qmp_connect(struct qmp *q, const struct sockaddr_un *sun, long deadline,
    char **cause)
{
	int	flags;

	for (;;) {
		q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, 0);
		if (q->fd == -1)
			return qmp_fail(cause, sun->sun_path, errno);
		if (connect(q->fd, (const struct sockaddr *)sun,
		    sizeof *sun) == 0)
			break;
		if (errno != EAGAIN && errno != EINTR)
			return qmp_fail(cause, sun->sun_path, errno);
		close(q->fd);
		q->fd = -1;
		if (io_now_ms() >= deadline) {
			if (asprintf(cause, "QMP: %s: busy (QEMU serves another "
			    "client first): %s", sun->sun_path,
			    strerror(ETIMEDOUT)) < 0)
				*cause = NULL;
			return -1;
		}
		usleep(20000);
	}
	if ((flags = fcntl(q->fd, F_GETFL)) == -1 ||
	    fcntl(q->fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
		return qmp_fail(cause, sun->sun_path, errno);
	return 0;
}

/*
 * A client on a connected fd, past the greeting, with a timeout per
 * command (ms); the fd is the client's. For qmp_open, tests and fuzzers.
 */
struct qmp *
qmp_new_fd(int fd, int timeout_ms)
{
	struct qmp	*q;

	if ((q = calloc(1, sizeof *q)) == NULL)
		return NULL;
	q->fd = fd;
	q->timeout_ms = timeout_ms;
	return q;
}

/* The deadline of each command from now on, in ms. */
void
qmp_set_timeout(struct qmp *q, int timeout_ms)
{
	q->timeout_ms = timeout_ms;
}

int
qmp_open(const char *path, int timeout_ms, struct qmp **out, char **cause)
{
	struct sockaddr_un	 sun;
	struct qmp		*q;
	json_t			*msg = NULL;
	long			 deadline = io_now_ms() + timeout_ms;
	int			 r;

	*out = NULL;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path)
		return qmp_fail(cause, path, ENAMETOOLONG);
	strcpy(sun.sun_path, path);
	if ((q = qmp_new_fd(-1, timeout_ms)) == NULL)
		return qmp_fail(cause, "connecting", ENOMEM);
	if (qmp_connect(q, &sun, deadline, cause) != 0) {
		qmp_close(q);
		return -1;
	}
	/* connecting and the greeting within the one timeout */
	if ((r = qmp_read(q, deadline, &msg, cause)) <= 0) {
		if (r == 0)
			qmp_fail(cause, "no answer", ETIMEDOUT);
		qmp_close(q);
		return -1;
	}
	r = json_is_object(json_object_get(msg, "QMP"));
	json_decref(msg);
	if (!r) {
		qmp_close(q);
		*cause = strdup("QMP: not a QMP greeting");
		return -1;
	}
	if (qmp_execute(q, "qmp_capabilities", cause) != 0) {
		qmp_close(q);
		return -1;
	}
	*out = q;
	return 0;
}

/* The machine's run state ("running", "paused", "shutdown", ...). */
int
qmp_status(struct qmp *q, char **status, char **cause)
{
	json_t		*ret;
	const char	*s;

	*status = NULL;
	if (qmp_run(q, "query-status", NULL, &ret, cause) != 0)
		return -1;
	if ((s = json_string_value(json_object_get(ret, "status"))) != NULL)
		*status = strdup(s);
	json_decref(ret);
	if (*status == NULL) {
		*cause = strdup("QMP: query-status: no status");
		return -1;
	}
	return 0;
}

/* Wait until QEMU closes the socket (it has exited): 0, or -1 on timeout. */
int
qmp_wait_closed(struct qmp *q, int timeout_ms)
{
	long	 deadline = io_now_ms() + timeout_ms;
	json_t	*msg;
	char	*cause = NULL;
	int	 r;

	for (;;) {
		if ((r = qmp_read(q, deadline, &msg, &cause)) == 1) {
			(void)qmp_sort(q, msg, 0);	/* events kept */
			json_decref(msg);
			continue;
		}
		free(cause);
		return r < 0 ? 0 : -1;
	}
}

/*
 * An event that has arrived, without waiting: 1 with its name in *event,
 * 0 when none has, -1 when QEMU has closed the socket (the events before
 * that are given first).
 */
int
qmp_event(struct qmp *q, char **event)
{
	json_t	*msg;
	char	*cause = NULL;
	int	 r = 1;

	*event = NULL;
	while (q->nevents == 0 && r == 1)
		if ((r = qmp_read(q, io_now_ms(), &msg, &cause)) == 1) {
			(void)qmp_sort(q, msg, 0);
			json_decref(msg);
		}
	free(cause);
	if (q->nevents == 0)
		return r;
	*event = q->events[q->evstart];
	q->evstart = (q->evstart + 1) % QMP_MAX_EVENTS;
	q->nevents--;
	return 1;
}

int
qmp_fd(const struct qmp *q)
{
	return q->fd;
}

void
qmp_close(struct qmp *q)
{
	if (q == NULL)
		return;
	if (q->fd != -1)
		close(q->fd);
	while (q->nevents > 0) {
		free(q->events[q->evstart]);
		q->evstart = (q->evstart + 1) % QMP_MAX_EVENTS;
		q->nevents--;
	}
	free(q->in);
	free(q);
}
