/*
 * qmp: QEMU Machine Protocol over a unix socket. Every message QEMU writes
 * is read with jansson, whatever its spacing, key order or line breaks:
 * the bytes are parsed one JSON value at a time as they arrive (jsonsock.c,
 * shared with the guest agent's client). Each
 * command carries an id; the reply with that id is its reply, a reply with
 * another id (one a command that timed out left behind) is dropped, and an
 * event is never taken for a reply: events are kept, the last
 * QMP_MAX_EVENTS of them, whole, for qmp_event and qmp_event_wait. A message longer than
 * QMP_MAX_MESSAGE ends the connection: memory stays bounded whatever the
 * peer sends. A command waits until the client's timeout (a deadline for
 * the whole command, which events do not put off); an operation that
 * takes long (a snapshot job) sets a longer one.
 *
 * The human monitor's commands (through human-monitor-command) answer in
 * free text: qmp_hmp is the one place that reads it, and qmp_hostfwd the
 * one that tells what the answers of hostfwd_add and hostfwd_remove mean.
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

#include "diag.h"
#include "io.h"
#include "jsonsock.h"
#include "qmp.h"

struct qmp {
	int		 fd;
	int		 timeout_ms;
	long		 next_id;
	struct jsonsock	 js;	/* bytes read, not parsed yet */
	json_t		*events[QMP_MAX_EVENTS];	/* whole, a ring */
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

/* An event kept (msg taken over); the oldest goes when they are many. */
static void
qmp_keep_event(struct qmp *q, json_t *msg)
{
	if (q->nevents == QMP_MAX_EVENTS) {
		json_decref(q->events[q->evstart]);
		q->evstart = (q->evstart + 1) % QMP_MAX_EVENTS;
		q->nevents--;
	}
	q->events[(q->evstart + q->nevents++) % QMP_MAX_EVENTS] = msg;
}

/* Kept event i (from the oldest) goes; the ones after it move up. */
static void
qmp_drop_event(struct qmp *q, size_t i)
{
	size_t	k;

	json_decref(q->events[(q->evstart + i) % QMP_MAX_EVENTS]);
	for (k = i; k + 1 < q->nevents; k++)
		q->events[(q->evstart + k) % QMP_MAX_EVENTS] =
		    q->events[(q->evstart + k + 1) % QMP_MAX_EVENTS];
	q->nevents--;
}

/*
 * A message read: an event is kept; true when it is the reply to the
 * command id (it has that id, and "return" or "error").
 */
static bool
qmp_sort(struct qmp *q, json_t *msg, long id)
{
	json_t		*jid;

	if (!json_is_object(msg))
		return false;
	if (json_is_string(json_object_get(msg, "event"))) {
		qmp_keep_event(q, json_incref(msg));
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

/* The first line of the monitor's text, its control characters escaped. */
static char *
qmp_hmp_line(const char *text)
{
	char	*s;

	if ((s = strndup(text, strcspn(text, "\r\n"))) == NULL)
		return NULL;
	return diag_escape(s);
}

/*
 * A forward of the user network netdev added (add, rule as hostfwd_add
 * takes it: tcp:127.0.0.1:2222-:22) or removed (rule: tcp:127.0.0.1:2222).
 * The human monitor answers in free text: nothing when a rule was added;
 * "host forwarding rule for RULE removed" or "... not found"; anything
 * else is QEMU's complaint. 0 when done, 1 when the rule to remove was not
 * there, -1 with the cause (QEMU's first line).
 */
int
qmp_hostfwd(struct qmp *q, const char *netdev, bool add, const char *rule,
    char **cause)
{
	const char	*command = add ? "hostfwd_add" : "hostfwd_remove";
	char		*line, *out, *first;
	size_t		 len;
	int		 r;

	if (asprintf(&line, "%s %s %s", command, netdev, rule) < 0)
		return qmp_fail(cause, command, ENOMEM);
	r = qmp_hmp(q, line, &out, cause);
	free(line);
	if (r != 0)
		return -1;
	for (len = strlen(out); len > 0 && strchr("\r\n ", out[len - 1]) !=
	    NULL; len--)
		out[len - 1] = '\0';
	if (add && *out == '\0')
		r = 0;
	else if (!add && strncmp(out, "host forwarding rule for ", 25) == 0 &&
	    len > 8 && strcmp(out + len - 8, " removed") == 0)
		r = 0;
	else if (!add && strncmp(out, "host forwarding rule for ", 25) == 0 &&
	    len > 10 && strcmp(out + len - 10, " not found") == 0)
		r = 1;
	else {
		first = qmp_hmp_line(out);
		r = diag_cause(cause, "QEMU: %s: %s", command,
		    first != NULL ? first : "?");
		free(first);
	}
	free(out);
	return r;
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
	*event = strdup(json_string_value(json_object_get(
	    q->events[q->evstart], "event")));
	qmp_drop_event(q, 0);
	return *event != NULL ? 1 : -1;
}

/* Whether a kept event is name with data's key equal to value. */
static bool
qmp_event_is(json_t *msg, const char *name, const char *key,
    const char *value)
{
	const char	*s;

	if ((s = json_string_value(json_object_get(msg, "event"))) == NULL ||
	    strcmp(s, name) != 0)
		return false;
	s = json_string_value(json_object_get(json_object_get(msg, "data"),
	    key));
	return s != NULL && strcmp(s, value) == 0;
}

/*
 * Wait up to timeout_ms for the event name whose data has key = value
 * (DEVICE_DELETED with device = "dev-x"): 1 when it has come (now, or
 * kept from before; it is taken), 0 when not in time, -1 when QEMU has
 * closed the socket. Other events stay kept for qmp_event.
 */
int
qmp_event_wait(struct qmp *q, const char *name, const char *key,
    const char *value, int timeout_ms)
{
	long	 deadline = io_now_ms() + timeout_ms;
	json_t	*msg;
	char	*cause = NULL;
	size_t	 i, seen = 0;
	int	 r;

	for (;;) {
		for (i = seen; i < q->nevents; i++)
			if (qmp_event_is(q->events[(q->evstart + i) %
			    QMP_MAX_EVENTS], name, key, value)) {
				qmp_drop_event(q, i);
				return 1;
			}
		/* the ring may have dropped its oldest: look at all again */
		seen = 0;
		if ((r = qmp_read(q, deadline, &msg, &cause)) != 1) {
			free(cause);
			return r == 0 ? 0 : -1;
		}
		(void)qmp_sort(q, msg, 0);
		json_decref(msg);
	}
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
	while (q->nevents > 0)
		qmp_drop_event(q, 0);
	jsonsock_free(&q->js);
	free(q);
}
