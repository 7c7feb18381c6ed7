/*
 * qmp: QEMU Machine Protocol over a unix socket. Every message QEMU writes
 * is read with jansson, whatever its spacing, key order or line breaks:
 * the bytes are parsed one JSON value at a time as they arrive (jsonsock.c,
 * shared with the guest agent's client). Each
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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "io.h"
#include "jsonsock.h"
#include "qmp.h"

struct qmp {
	int		 fd;
	int		 timeout_ms;
	long		 next_id;
	struct jsonsock	 js;	/* bytes read, not parsed yet */
	char		*events[QMP_MAX_EVENTS];	/* names, a ring */
	size_t		 evstart, nevents;
};

static int
qmp_fail(char **cause, const char *what, int err)
{
	if (asprintf(cause, "QMP: %s: %s", what, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

/*
 * The next message by the deadline (ms on CLOCK_MONOTONIC; one already
 * passed still takes what has arrived): 1 with it in *msg, 0 when none
 * came in time, -1 with the cause when the connection failed or closed.
 */
static int
qmp_read(struct qmp *q, long deadline, json_t **msg, char **cause)
{
	int	r;

	if ((r = jsonsock_read(&q->js, deadline, msg)) == -1)
		return qmp_fail(cause, "reading", errno);
	return r;
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
	json_t		*msg;
	long		 id = ++q->next_id;
	long		 deadline = io_now_ms() + q->timeout_ms;
	int		 r;

	if (ret != NULL)
		*ret = NULL;
	if (jsonsock_command(q->fd, command, id, args, deadline) != 0)
		return qmp_fail(cause, command, errno);
	for (;;) {
		if ((r = qmp_read(q, deadline, &msg, cause)) <= 0)
			return r == 0 ? qmp_fail(cause, "no answer",
			    ETIMEDOUT) : -1;
		if (qmp_sort(q, msg, id))
			break;
		json_decref(msg);
	}
	return jsonsock_answer(msg, ret, "QMP", command, cause);
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
	jsonsock_init(&q->js, fd, QMP_MAX_MESSAGE, -1);
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
	struct qmp	*q;
	json_t		*msg = NULL;
	long		 deadline = io_now_ms() + timeout_ms;
	int		 fd, r;

	*out = NULL;
	if (jsonsock_connect(path, deadline, &fd) != 0) {
		if (errno != EAGAIN)
			return qmp_fail(cause, path, errno);
		if (asprintf(cause, "QMP: %s: busy (QEMU serves another "
		    "client first): %s", path, strerror(ETIMEDOUT)) < 0)
			*cause = NULL;
		return -1;
	}
	/* QEMU's replies are waited for with poll, its fd blocking */
	if ((r = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, r & ~O_NONBLOCK) == -1 ||
	    (q = qmp_new_fd(fd, timeout_ms)) == NULL) {
		r = errno;
		close(fd);
		return qmp_fail(cause, path, r);
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
	jsonsock_free(&q->js);
	free(q);
}
