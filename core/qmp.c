/*
 * qmp: QEMU Machine Protocol over a unix socket. QEMU writes one JSON object
 * a line; a reply starts {"return" or {"error", an event starts
 * {"timestamp". That is all this client relies on: it sends commands
 * without arguments (and one line for the human monitor), skips events,
 * and reads the few fields it needs (the status of query-status, the desc
 * of an error, the monitor's text) with a string scan.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "io.h"
#include "qmp.h"
#include "utf8.h"

struct qmp {
	int	fd;
	int	timeout_ms;
	char	in[8192];
	size_t	inlen;
};

static int
qmp_fail(char **cause, const char *what, int err)
{
	if (asprintf(cause, "QMP: %s: %s", what, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

/* Read one line (without its end) into a malloc'd string. */
/* One line, by the deadline (ms on CLOCK_MONOTONIC) of the whole command. */
static int
qmp_read_line(struct qmp *q, long deadline, char **line, char **cause)
{
	struct pollfd	 pfd = { q->fd, POLLIN, 0 };
	long		 left;
	char		*nl;
	ssize_t		 n;
	size_t		 len;

	for (;;) {
		if ((nl = memchr(q->in, '\n', q->inlen)) != NULL) {
			len = (size_t)(nl - q->in);
			if ((*line = strndup(q->in, len)) == NULL)
				return qmp_fail(cause, "reading", ENOMEM);
			memmove(q->in, nl + 1, q->inlen - len - 1);
			q->inlen -= len + 1;
			return 0;
		}
		if (q->inlen == sizeof q->in)
			return qmp_fail(cause, "reading", EMSGSIZE);
		/* a zero timeout still takes what has already arrived */
		if ((left = deadline - io_now_ms()) < 0)
			left = 0;
		switch (poll(&pfd, 1, (int)left)) {
		case -1:
			if (errno == EINTR)
				continue;
			return qmp_fail(cause, "reading", errno);
		case 0:
			return qmp_fail(cause, "no answer", ETIMEDOUT);
		}
		n = read(q->fd, q->in + q->inlen, sizeof q->in - q->inlen);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n == -1)
			return qmp_fail(cause, "reading", errno);
		if (n == 0)
			return qmp_fail(cause, "reading", ECONNRESET);
		q->inlen += (size_t)n;
	}
}

/* The string value of "key": "..." in line, or NULL. */
char *
qmp_reply_field(const char *line, const char *key)
{
	char		 pat[64];
	const char	*p, *e;

	snprintf(pat, sizeof pat, "\"%s\": \"", key);
	if ((p = strstr(line, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	for (e = p; *e != '\0' && *e != '"'; e++)
		if (*e == '\\' && e[1] != '\0')
			e++;
	return strndup(p, (size_t)(e - p));
}

/* The whole number after "key": in a reply line, as text; NULL if none. */
char *
qmp_reply_number(const char *line, const char *key)
{
	char		 pat[64];
	const char	*p;
	size_t		 n;

	snprintf(pat, sizeof pat, "\"%s\": ", key);
	if ((p = strstr(line, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	if ((n = strspn(p, "0123456789")) == 0)
		return NULL;
	return strndup(p, n);
}

/* Send msg (one JSON line) for command; its reply line goes to *reply. */
static int
qmp_command(struct qmp *q, const char *command, const char *msg,
    char **reply, char **cause)
{
	char	*line, *desc;
	long	 deadline = io_now_ms() + q->timeout_ms;
	size_t	 len = strlen(msg);

	/* one deadline for the command: events do not put it off */
	if (reply != NULL)
		*reply = NULL;
	if (send(q->fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len)
		return qmp_fail(cause, command, errno);
	for (;;) {
		if (qmp_read_line(q, deadline, &line, cause) != 0)
			return -1;
		if (strncmp(line, "{\"return\"", 9) == 0) {
			if (reply != NULL)
				*reply = line;
			else
				free(line);
			return 0;
		}
		if (strncmp(line, "{\"error\"", 8) == 0) {
			desc = qmp_reply_field(line, "desc");
			if (asprintf(cause, "QMP: %s: %s", command,
			    desc != NULL ? desc : line) < 0)
				*cause = NULL;
			free(desc);
			free(line);
			return -1;
		}
		free(line);	/* an event */
	}
}

/* Run a command without arguments; its reply line goes to *reply. */
int
qmp_execute(struct qmp *q, const char *command, char **reply, char **cause)
{
	char	msg[128];

	snprintf(msg, sizeof msg, "{\"execute\": \"%s\"}\n", command);
	return qmp_command(q, command, msg, reply, cause);
}

/* s as a JSON string, quotes and all. */
void
qmp_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, *s);
		} else if ((unsigned char)*s < 0x20) {
			buf_puts(b, "\\u00");
			buf_putc(b, hex[(unsigned char)*s >> 4]);
			buf_putc(b, hex[*s & 15]);
		} else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/*
 * A command with arguments, a JSON object the caller made (strings through
 * qmp_json_string); its reply line in *reply when reply is not NULL.
 */
int
qmp_call(struct qmp *q, const char *command, const char *args, char **reply,
    char **cause)
{
	struct buf	 b;
	char		*msg;
	int		 r;

	buf_init(&b);
	buf_printf(&b, "{\"execute\": \"%s\", \"arguments\": %s}\n", command,
	    args);
	if ((msg = buf_finish(&b, NULL)) == NULL)
		return qmp_fail(cause, command, ENOMEM);
	r = qmp_command(q, command, msg, reply, cause);
	free(msg);
	return r;
}

/*
 * A line for QEMU's human monitor, through QMP (the console's Ctrl-a is
 * the guest's): its output, as text, in *out.
 */
int
qmp_hmp(struct qmp *q, const char *line, char **out, char **cause)
{
	struct buf	 b;
	const char	*p;
	char		*args, *reply;
	unsigned int	 u;
	char		 enc[4];
	int		 r, k;

	*out = NULL;
	buf_init(&b);
	buf_puts(&b, "{\"command-line\": ");
	qmp_json_string(&b, line);
	buf_putc(&b, '}');
	if ((args = buf_finish(&b, NULL)) == NULL)
		return qmp_fail(cause, "human-monitor-command", ENOMEM);
	r = qmp_call(q, "human-monitor-command", args, &reply, cause);
	free(args);
	if (r != 0)
		return -1;
	/* {"return": "TEXT"}: TEXT unescaped (\uXXXX as UTF-8) */
	buf_init(&b);
	if ((p = strstr(reply, "\"return\": \"")) != NULL) {
		for (p += 11; *p != '\0' && *p != '"'; p++) {
			if (*p != '\\' || p[1] == '\0') {
				buf_putc(&b, *p);
				continue;
			}
			switch (*++p) {
			case 'n': buf_putc(&b, '\n'); break;
			case 'r': buf_putc(&b, '\r'); break;
			case 't': buf_putc(&b, '\t'); break;
			case 'b': buf_putc(&b, '\b'); break;
			case 'f': buf_putc(&b, '\f'); break;
			case 'u':
				for (u = 0, k = 1; k <= 4 && isxdigit(
				    (unsigned char)p[k]); k++)
					u = u * 16 + (unsigned int)(isdigit(
					    (unsigned char)p[k]) ? p[k] - '0' :
					    (p[k] | 0x20) - 'a' + 10);
				p += k - 1;
				buf_add(&b, enc, utf8_put(u, enc));
				break;
			default: buf_putc(&b, *p); break;
			}
		}
	}
	free(reply);
	if ((*out = buf_finish(&b, NULL)) == NULL)
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

int
qmp_open(const char *path, int timeout_ms, struct qmp **out, char **cause)
{
	struct sockaddr_un	 sun;
	struct qmp		*q;
	char			*line;
	long			 deadline = io_now_ms() + timeout_ms;

	*out = NULL;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path)
		return qmp_fail(cause, path, ENAMETOOLONG);
	strcpy(sun.sun_path, path);
	if ((q = calloc(1, sizeof *q)) == NULL)
		return qmp_fail(cause, "connecting", ENOMEM);
	q->timeout_ms = timeout_ms;
	if (qmp_connect(q, &sun, deadline, cause) != 0) {
		qmp_close(q);
		return -1;
	}
	/* connecting and the greeting within the one timeout */
	if (qmp_read_line(q, deadline, &line, cause) != 0) {
		qmp_close(q);
		return -1;
	}
	if (strncmp(line, "{\"QMP\"", 6) != 0) {
		free(line);
		qmp_close(q);
		*cause = strdup("QMP: not a QMP greeting");
		return -1;
	}
	free(line);
	if (qmp_execute(q, "qmp_capabilities", NULL, cause) != 0) {
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
	char	*reply;

	if (qmp_execute(q, "query-status", &reply, cause) != 0)
		return -1;
	*status = qmp_reply_field(reply, "status");
	free(reply);
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
	struct pollfd	pfd = { q->fd, POLLIN, 0 };
	long		deadline = io_now_ms() + timeout_ms, left;
	char		buf[4096];
	ssize_t		n;

	for (;;) {
		if ((left = deadline - io_now_ms()) <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return -1;
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(q->fd, buf, sizeof buf);	/* events: dropped */
		if (n == 0 || (n == -1 && errno != EINTR && errno != EAGAIN))
			return 0;
	}
}

/*
 * An event that has arrived, without waiting: 1 with its name in *event,
 * 0 when none is complete yet, -1 when QEMU has closed the socket.
 */
int
qmp_event(struct qmp *q, char **event)
{
	char	*line, *cause = NULL;
	int	 r;

	*event = NULL;
	r = qmp_read_line(q, io_now_ms(), &line, &cause);
	if (r != 0) {
		r = cause != NULL && strstr(cause, "timed out") != NULL ? 0 : -1;
		free(cause);
		return r;
	}
	*event = qmp_reply_field(line, "event");
	free(line);
	return *event != NULL ? 1 : 0;
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
	free(q);
}
