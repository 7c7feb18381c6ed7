/*
 * jsonsock: JSON messages on a unix stream socket, for the QMP client
 * (qmp.c) and the guest agent's (agent.c). What the peer writes is read
 * with jansson, whatever its spacing, key order or line breaks: the bytes
 * are parsed one JSON value at a time as they arrive, and only once the
 * value at the front has closed (its brackets counted outside strings as
 * the bytes come, each byte looked at once), so that a peer dripping
 * bytes never has what it sent parsed again and again. Bytes that cannot
 * begin a value are dropped to the end of their line, or up to the stop
 * byte when the reader has one (the guest agent's 0xFF, which its reader
 * looks for itself). At most max bytes are held: a longer message ends
 * the connection, so memory stays bounded whatever the peer sends.
 *
 * Every call takes a deadline (ms on CLOCK_MONOTONIC, io_now_ms); one
 * that has passed still takes what had already arrived when it passed,
 * once: a peer that always has another byte waiting does not keep a read
 * going past its deadline. Failures are -1
 * with errno: ECONNRESET when the peer has closed, EMSGSIZE for a message
 * longer than max, ETIMEDOUT when a send could not finish in time.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "diag.h"
#include "io.h"
#include "jsonsock.h"

/* The ms left until deadline, at least 0. */
static int
jsonsock_left(long deadline)
{
	long	left = deadline - io_now_ms();

	return left < 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

/*
 * A socket connected to path by the deadline, non-blocking, in *fd: 0, or
 * -1 with errno (EAGAIN: the listener's queue stayed full). QEMU serves
 * one client of a socket at a time and leaves the others queued; once the
 * queue is full, a blocking connect() waits for a place with no end. A
 * non-blocking one is told EAGAIN, and tried again here until the
 * deadline.
 */
int
jsonsock_connect(const char *path, long deadline, int *fd)
{
	struct sockaddr_un	sun;
	int			err;

	*fd = -1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	for (;;) {
		*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, 0);
		if (*fd == -1)
			return -1;
		if (connect(*fd, (const struct sockaddr *)&sun,
		    sizeof sun) == 0)
			return 0;
		err = errno;
		close(*fd);
		*fd = -1;
		if ((err != EAGAIN && err != EINTR) ||
		    io_now_ms() >= deadline) {
			errno = err;
			return -1;
		}
		usleep(20000);
	}
}

/* Read what comes on fd into s, which holds at most s->max bytes. */
void
jsonsock_init(struct jsonsock *s, int fd, size_t max, int stop)
{
	memset(s, 0, sizeof *s);
	s->fd = fd;
	s->max = max;
	s->stop = stop;
}

/* len bytes, whole, by the deadline: 0, or -1 with errno. */
int
jsonsock_send(int fd, const void *buf, size_t len, long deadline)
{
	struct pollfd	 pfd = { fd, POLLOUT, 0 };
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0)
			errno = EPIPE;
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			return -1;
		if (errno == EINTR)
			continue;
		if (io_now_ms() >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (poll(&pfd, 1, jsonsock_left(deadline)) == -1 &&
		    errno != EINTR)
			return -1;
	}
	return 0;
}

/* msg as one compact line, by the deadline: 0, or -1 with errno. */
int
jsonsock_send_json(int fd, json_t *msg, long deadline)
{
	char	*text;
	size_t	 len;
	int	 r, err;

	if ((text = json_dumps(msg, JSON_COMPACT)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	len = strlen(text);
	text[len] = '\n';	/* json_dumps' NUL: the line's end, sent */
	r = jsonsock_send(fd, text, len + 1, deadline);
	err = errno;
	free(text);
	errno = err;
	return r;
}

/*
 * The command {"execute": command, "id": id, "arguments": args} sent by
 * the deadline (args is taken over; NULL for none): 0, or -1 with errno.
 */
int
jsonsock_command(int fd, const char *command, long long id, json_t *args,
    long deadline)
{
	json_t	*req;
	int	 r, err;

	req = json_pack("{s:s, s:I}", "execute", command, "id", (json_int_t)id);
	/* args is taken over, by json_object_set_new too when it fails */
	if (req == NULL)
		json_decref(args);
	else if (args != NULL && json_object_set_new(req, "arguments",
	    args) != 0) {
		json_decref(req);
		req = NULL;
	}
	if (req == NULL) {
		errno = ENOMEM;
		return -1;
	}
	r = jsonsock_send_json(fd, req, deadline);
	err = errno;
	json_decref(req);
	errno = err;
	return r;
}

/*
 * A command's reply, taken over: 0 with its "return" in *ret (when ret is
 * not NULL; the caller's to json_decref), or -1 with the error it says as
 * the cause, "WHO: COMMAND: DESC".
 */
int
jsonsock_answer(json_t *msg, json_t **ret, const char *who,
    const char *command, char **cause)
{
	json_t		*err;
	const char	*desc;
	int		 r = 0;

	if ((err = json_object_get(msg, "error")) != NULL) {
		desc = json_string_value(json_object_get(err, "desc"));
		r = diag_cause(cause, "%s: %s: %s", who, command, desc != NULL ?
		    desc : "failed");
	} else if (ret != NULL)
		*ret = json_incref(json_object_get(msg, "return"));
	json_decref(msg);
	return r;
}

/* The first n bytes held go; what is left is a new value to look at. */
static void
jsonsock_drop(struct jsonsock *s, size_t n)
{
	if (n == 0)
		return;
	memmove(s->in, s->in + n, s->inlen - n);
	s->inlen -= n;
	s->scanned = 0;
	s->depth = 0;
	s->instr = s->esc = false;
	s->fresh = true;
}

/*
 * Whether the value at the front may be whole: the bytes not yet looked
 * at are, brackets counted outside strings. Anything but an object or an
 * array at the front, the stop byte or a bracket closing nothing is for
 * jansson to judge (and drop) at once.
 */
static bool
jsonsock_closed(struct jsonsock *s)
{
	unsigned char	c;

	if (s->scanned == 0 && s->inlen > 0 && s->in[0] != '{' &&
	    s->in[0] != '[')
		return true;
	for (; s->scanned < s->inlen; s->scanned++) {
		c = (unsigned char)s->in[s->scanned];
		if (s->stop != -1 && c == s->stop)
			return true;
		if (s->instr) {
			if (s->esc)
				s->esc = false;
			else if (c == '\\')
				s->esc = true;
			else if (c == '"')
				s->instr = false;
			continue;
		}
		if (c == '"')
			s->instr = true;
		else if (c == '{' || c == '[')
			s->depth++;
		else if ((c == '}' || c == ']') && --s->depth <= 0) {
			s->scanned++;
			return true;
		}
	}
	return false;
}

/*
 * One JSON value off the front of the bytes held: 1 with it in *msg,
 * JSONSOCK_STOP when the stop byte is next, 0 when none is whole yet.
 */
static int
jsonsock_take(struct jsonsock *s, json_t **msg)
{
	json_error_t	 err;
	size_t		 skip, used;
	char		*nl, *stop;

	if (s->in == NULL)
		return 0;
	for (;;) {
		skip = 0;
		while (skip < s->inlen && strchr(" \t\r\n", s->in[skip]) !=
		    NULL && s->in[skip] != '\0')
			skip++;
		jsonsock_drop(s, skip);
		if (s->inlen == 0)
			return 0;
		if (s->stop != -1 && (unsigned char)s->in[0] == s->stop)
			return JSONSOCK_STOP;
		if (!s->fresh && !jsonsock_closed(s))
			return 0;
		s->fresh = false;
		*msg = json_loadb(s->in, s->inlen, JSON_DISABLE_EOF_CHECK,
		    &err);
		if (*msg != NULL) {
			used = (size_t)err.position;
			if (used == 0 || used > s->inlen)
				used = s->inlen;
			jsonsock_drop(s, used);
			return 1;
		}
		/* it ran into the end of what has come: wait for more */
		if ((size_t)err.position >= s->inlen)
			return 0;
		/* not JSON: its line goes, up to the stop byte at most */
		nl = memchr(s->in, '\n', s->inlen);
		used = nl != NULL ? (size_t)(nl - s->in) + 1 :
		    (size_t)err.position > 0 ? (size_t)err.position : 1;
		if (s->stop != -1 && (stop = memchr(s->in, s->stop,
		    s->inlen)) != NULL && (size_t)(stop - s->in) < used)
			used = (size_t)(stop - s->in);
		jsonsock_drop(s, used);
	}
}

/*
 * More bytes by the deadline: 1 when some came (or the peer closed), 0
 * when none did, -1 with errno.
 */
static int
jsonsock_fill(struct jsonsock *s, long deadline)
{
	struct pollfd	 pfd = { s->fd, POLLIN, 0 };
	ssize_t		 n;
	size_t		 room;
	char		*more;

	for (;;) {
		switch (poll(&pfd, 1, jsonsock_left(deadline))) {
		case -1:
			if (errno == EINTR)
				continue;
			return -1;
		case 0:
			return 0;
		}
		if (s->inroom - s->inlen < 4096 && s->inroom < s->max) {
			room = s->inroom == 0 ? 8192 : s->inroom * 2;
			if (room > s->max)
				room = s->max;
			if ((more = realloc(s->in, room)) == NULL)
				return -1;
			s->in = more;
			s->inroom = room;
		}
		if (s->inroom == s->inlen) {
			errno = EMSGSIZE;
			return -1;
		}
		n = read(s->fd, s->in + s->inlen, s->inroom - s->inlen);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			s->eof = true;
		s->inlen += (size_t)n;
		if (s->eof)
			s->fresh = true;	/* a last try at what is left */
		return 1;
	}
}

/*
 * The next message by the deadline: 1 with it in *msg (the caller's to
 * json_decref), JSONSOCK_STOP when the stop byte is next (jsonsock_skip
 * takes it), 0 when none came in time, -1 with errno when the connection
 * failed or closed.
 */
int
jsonsock_read(struct jsonsock *s, long deadline, json_t **msg)
{
	bool	late = false;
	int	r;

	for (;;) {
		if ((r = jsonsock_take(s, msg)) != 0)
			return r;
		if (s->eof) {
			errno = ECONNRESET;
			return -1;
		}
		if (s->inlen >= s->max) {
			errno = EMSGSIZE;
			return -1;
		}
		/* past the deadline: what is there now, once */
		if (io_now_ms() >= deadline) {
			if (late)
				return 0;
			late = true;
		}
		if ((r = jsonsock_fill(s, deadline)) <= 0)
			return r;
	}
}

/*
 * Everything up to and with the next stop byte goes, by the deadline: 1
 * when it has, 0 when none came in time, -1 with errno. Nothing before a
 * stop byte is kept, whatever its length.
 */
int
jsonsock_skip(struct jsonsock *s, long deadline)
{
	char	*p;
	int	 r;

	for (;;) {
		if (s->inlen > 0 && (p = memchr(s->in, s->stop,
		    s->inlen)) != NULL) {
			jsonsock_drop(s, (size_t)(p - s->in) + 1);
			return 1;
		}
		jsonsock_drop(s, s->inlen);
		if (s->eof) {
			errno = ECONNRESET;
			return -1;
		}
		if ((r = jsonsock_fill(s, deadline)) <= 0)
			return r;
	}
}

/* The bytes held go (the fd is the caller's). */
void
jsonsock_free(struct jsonsock *s)
{
	free(s->in);
	s->in = NULL;
	s->inlen = s->inroom = 0;
}
