/*
 * agent: a client of the QEMU guest agent (qemu-ga) in the guest, through
 * the virtio-serial channel whose host end is the machine's qga.sock
 * (plan.c gives every machine with guest-agent = true one).
 *
 * The agent has no greeting, and the channel keeps what an earlier client
 * (or this one, before a timeout) left in it: the bytes of a request the
 * agent has half read, replies nobody read. So no reply is believed until
 * the client is back in step: guest-sync-delimited with a random id, sent
 * after a 0xFF byte (the agent then drops what it had half read: it
 * answers the 0xFF with an error, skipped like the rest); the agent writes
 * 0xFF before its reply, and everything up to a 0xFF, and every reply that
 * is not the one with that id, is skipped. That happens on the first call
 * and again after any timeout. In step, each command's reply is the next
 * reply: one with the command's id (the agent echoes it) or, from an
 * agent that does not, without one; a reply with another id is stale and
 * skipped.
 *
 * Messages are read by jsonsock.c (jansson, at most AGENT_MAX_MESSAGE
 * bytes held). Each call has one deadline (the client's timeout) for all
 * of it, the resynchronisation included; a call that runs out of time
 * leaves the client out of step, and a closed or failed connection leaves
 * it dead: every later call fails at once, and the caller opens a new one.
 * Files are opened read-only; their bytes come as base64, decoded with
 * nettle (opened on first use, as checksum.c does) and checked against
 * the count the agent gives; a file is read whole up to a cap.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <nettle/base64.h>

#include "agent.h"
#include "diag.h"
#include "dynlib.h"
#include "io.h"
#include "jsonsock.h"

/*
 * nettle, opened on first use: what this file calls. Its ELF dlopen note
 * is checksum.c's (one a library: tests/cli.sh counts them).
 */
#define AGENT_NETTLE(X)							\
	X(nettle_base64_decode_init) X(nettle_base64_decode_update)	\
	X(nettle_base64_decode_final)

DYNLIB_TABLE(ln, agent_names, AGENT_NETTLE);

#define AGENT_DELIMITER	0xff	/* before guest-sync-delimited's reply */
#define AGENT_STALE	8	/* handles left open by a timeout, kept */

struct agent {
	int		 fd;
	int		 timeout_ms;
	long long	 next_id;
	long long	 sync_id;	/* the next sync's, or 0: random */
	bool		 synced;
	bool		 dead;
	struct jsonsock	 js;
	long long	 stale[AGENT_STALE];	/* to close once in step */
	size_t		 nstale;
};

static int
agent_fail(char **cause, const char *what, int err)
{
	return diag_cause(cause, "guest agent: %s: %s", what, strerror(err));
}

/* The connection failed (errno says how): no call will use it again. */
static int
agent_lost(struct agent *a, const char *what, char **cause)
{
	int	err = errno;

	a->dead = true;
	a->synced = false;
	return agent_fail(cause, what, err);
}

/* No answer in time: out of step until the next sync. */
static int
agent_late(struct agent *a, const char *what, char **cause)
{
	a->synced = false;
	return diag_cause(cause, "guest agent: %s: no answer (is qemu-ga "
	    "running in the guest?)", what);
}

/* A sync id: random, so that no stale reply can carry it. */
static long long
agent_random_id(void)
{
	uint64_t	v;
	struct timespec	ts;

	if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
		    ((uint64_t)getpid() << 40);
	}
	v &= INT64_MAX;
	return v == 0 ? 1 : (long long)v;
}

static void	agent_release(struct agent *, long, long long);

/*
 * Back in step by the deadline: 0, or -1 with the cause. Then the handles
 * an earlier timeout left open are closed.
 */
static int
agent_sync_by(struct agent *a, long deadline, char **cause)
{
	static const char	 ff = (char)AGENT_DELIMITER;
	json_t			*req, *msg, *ret;
	long long		 id = a->sync_id != 0 ? a->sync_id :
				    agent_random_id();
	int			 r;

	a->sync_id = 0;
	a->synced = false;
	if (a->dead)
		return agent_fail(cause, "guest-sync-delimited", ECONNRESET);
	req = json_pack("{s:s, s:{s:I}}", "execute", "guest-sync-delimited",
	    "arguments", "id", (json_int_t)id);
	if (req == NULL)
		return agent_fail(cause, "guest-sync-delimited", ENOMEM);
	r = jsonsock_send(a->fd, &ff, 1, deadline) == 0 ?
	    jsonsock_send_json(a->fd, req, deadline) : -1;
	json_decref(req);
	if (r != 0)
		return errno == ETIMEDOUT ?
		    agent_late(a, "guest-sync-delimited", cause) :
		    agent_lost(a, "guest-sync-delimited", cause);
	for (;;) {
		if ((r = jsonsock_skip(&a->js, deadline)) == 1)
			r = jsonsock_read(&a->js, deadline, &msg);
		if (r == 0)
			return agent_late(a, "guest-sync-delimited", cause);
		if (r == -1)
			return agent_lost(a, "guest-sync-delimited", cause);
		if (r == JSONSOCK_STOP)
			continue;	/* another 0xFF: look past it */
		ret = json_object_get(msg, "return");
		r = json_is_integer(ret) && json_integer_value(ret) == id;
		json_decref(msg);
		if (r)
			break;
	}
	a->synced = true;
	while (a->nstale > 0 && a->synced)
		agent_release(a, deadline, a->stale[--a->nstale]);
	if (a->dead)
		return agent_fail(cause, "guest-file-close", ECONNRESET);
	if (!a->synced)
		return agent_late(a, "guest-file-close", cause);
	return 0;
}

/* Whether msg is the reply to the command id. */
static bool
agent_is_reply(json_t *msg, long long id)
{
	json_t	*jid;

	if (!json_is_object(msg) || (json_object_get(msg, "return") == NULL &&
	    !json_is_object(json_object_get(msg, "error"))))
		return false;
	jid = json_object_get(msg, "id");
	return jid == NULL || (json_is_integer(jid) &&
	    json_integer_value(jid) == id);
}

/*
 * Run command with args (an object, taken over; NULL for none) by the
 * deadline, in step first: 0 and its "return" in *ret (when ret is not
 * NULL; the caller's to json_decref), or -1 with the cause (the agent's
 * error, no answer in time, the connection lost).
 */
static int
agent_run(struct agent *a, long deadline, const char *command, json_t *args,
    json_t **ret, char **cause)
{
	json_t		*msg;
	long long	 id;
	int		 r;

	if (ret != NULL)
		*ret = NULL;
	if (!a->synced && agent_sync_by(a, deadline, cause) != 0) {
		json_decref(args);
		return -1;
	}
	id = ++a->next_id;
	if (jsonsock_command(a->fd, command, id, args, deadline) != 0)
		return errno == ETIMEDOUT ? agent_late(a, command, cause) :
		    errno == ENOMEM ? agent_fail(cause, command, ENOMEM) :
		    agent_lost(a, command, cause);
	for (;;) {
		/* a 0xFF out of place (no sync was asked for) goes */
		if ((r = jsonsock_read(&a->js, deadline, &msg)) ==
		    JSONSOCK_STOP && (r = jsonsock_skip(&a->js, deadline)) == 1)
			continue;
		if (r == 0)
			return agent_late(a, command, cause);
		if (r == -1)
			return agent_lost(a, command, cause);
		if (agent_is_reply(msg, id))
			break;
		json_decref(msg);
	}
	return jsonsock_answer(msg, ret, "guest agent", command, cause);
}

/* A deadline for a call, from now. */
static long
agent_deadline(const struct agent *a)
{
	return io_now_ms() + a->timeout_ms;
}

/*
 * A client on a connected fd, not in step yet, with a timeout per call
 * (ms); the fd is the client's. For agent_open, tests and fuzzers.
 */
struct agent *
agent_new_fd(int fd, int timeout_ms)
{
	struct agent	*a;

	if ((a = calloc(1, sizeof *a)) == NULL)
		return NULL;
	a->fd = fd;
	a->timeout_ms = timeout_ms;
	jsonsock_init(&a->js, fd, AGENT_MAX_MESSAGE, AGENT_DELIMITER);
	return a;
}

/* The deadline of each call from now on, in ms. */
void
agent_set_timeout(struct agent *a, int timeout_ms)
{
	a->timeout_ms = timeout_ms;
}

/* The id of the next sync, instead of a random one (tests, fuzzers). */
void
agent_set_sync_id(struct agent *a, long long id)
{
	a->sync_id = id;
}

/*
 * Connected to the agent's socket at path and in step with the agent,
 * both within timeout_ms: 0 with the client in *out, or -1 with the cause.
 */
int
agent_open(const char *path, int timeout_ms, struct agent **out,
    char **cause)
{
	struct agent	*a;
	long		 deadline = io_now_ms() + timeout_ms;
	int		 fd;

	*out = NULL;
	if (jsonsock_connect(path, deadline, &fd) != 0)
		return diag_cause(cause, "guest agent: %s: %s", path,
		    errno == EAGAIN ? "busy (another client is first)" :
		    strerror(errno));
	if ((a = agent_new_fd(fd, timeout_ms)) == NULL) {
		close(fd);
		return agent_fail(cause, path, ENOMEM);
	}
	if (agent_sync_by(a, deadline, cause) != 0) {
		agent_close(a);
		return -1;
	}
	*out = a;
	return 0;
}

/* In step again (guest-sync-delimited), whatever came before. */
int
agent_sync(struct agent *a, char **cause)
{
	return agent_sync_by(a, agent_deadline(a), cause);
}

/* Whether the agent answers (guest-ping). */
int
agent_ping(struct agent *a, char **cause)
{
	return agent_run(a, agent_deadline(a), "guest-ping", NULL, NULL,
	    cause);
}

/* 0 once nettle is there, else -1 with *cause. */
static int
agent_load(char **cause)
{
	static bool	loaded;

	if (loaded)
		return 0;
	if (dynlib_load(NETTLE_SONAME, NETTLE_PACKAGE, agent_names,
	    sizeof agent_names / sizeof agent_names[0], &ln, cause) != 0)
		return -1;
	loaded = true;
	return 0;
}

static int
agent_open_by(struct agent *a, long deadline, const char *path,
    long long *handle, char **cause)
{
	json_t	*args, *ret;
	int	 r;

	*handle = -1;
	if ((args = json_pack("{s:s, s:s}", "path", path, "mode", "r")) ==
	    NULL)
		return diag_cause(cause, "guest agent: a path is text "
		    "(UTF-8)");
	if (agent_run(a, deadline, "guest-file-open", args, &ret, cause) != 0)
		return -1;
	r = json_is_integer(ret) ? 0 : diag_cause(cause, "guest agent: "
	    "guest-file-open: no handle in the reply");
	if (r == 0)
		*handle = json_integer_value(ret);
	json_decref(ret);
	return r;
}

/* A guest file opened read-only: 0 with its handle, or -1. */
int
agent_file_open(struct agent *a, const char *path, long long *handle,
    char **cause)
{
	return agent_open_by(a, agent_deadline(a), path, handle, cause);
}

/*
 * The reply of guest-file-read for count bytes, decoded into *data (len
 * bytes and a NUL, the caller's to free) with *eof: 0, or -1 when it is
 * not one (more than asked, base64 that is not, a count that differs).
 */
static int
agent_decode(json_t *ret, size_t count, char **data, size_t *len,
    bool *eof, char **cause)
{
	struct base64_decode_ctx	 ctx;
	json_t				*jcount, *jeof;
	const char			*b64;
	size_t				 b64len, got = 0;
	uint8_t				*buf;

	jcount = json_object_get(ret, "count");
	jeof = json_object_get(ret, "eof");
	b64 = json_string_value(json_object_get(ret, "buf-b64"));
	if (!json_is_integer(jcount) || b64 == NULL ||
	    (jeof != NULL && !json_is_boolean(jeof)))
		return diag_cause(cause, "guest agent: guest-file-read: not "
		    "a file's bytes");
	if (json_integer_value(jcount) < 0 ||
	    (json_int_t)count < json_integer_value(jcount))
		return diag_cause(cause, "guest agent: guest-file-read: %"
		    JSON_INTEGER_FORMAT " bytes where %zu were asked for",
		    json_integer_value(jcount), count);
	b64len = json_string_length(json_object_get(ret, "buf-b64"));
	if (agent_load(cause) != 0)
		return -1;
	if ((buf = malloc(BASE64_DECODE_LENGTH(b64len) + 1)) == NULL)
		return agent_fail(cause, "guest-file-read", ENOMEM);
	ln.nettle_base64_decode_init(&ctx);
	if (!ln.nettle_base64_decode_update(&ctx, &got, buf, b64len, b64) ||
	    !ln.nettle_base64_decode_final(&ctx) ||
	    got != (size_t)json_integer_value(jcount)) {
		free(buf);
		return diag_cause(cause, "guest agent: guest-file-read: its "
		    "base64 is not %" JSON_INTEGER_FORMAT " bytes",
		    json_integer_value(jcount));
	}
	buf[got] = '\0';
	*data = (char *)buf;
	*len = got;
	/* nothing read and no end said: the end all the same (no spin) */
	*eof = json_is_true(jeof) || got == 0;
	return 0;
}

static int
agent_read_by(struct agent *a, long deadline, long long handle, size_t count,
    char **data, size_t *len, bool *eof, char **cause)
{
	json_t	*args, *ret;
	int	 r;

	*data = NULL;
	*len = 0;
	*eof = false;
	if (count == 0 || count > AGENT_READ_CHUNK)
		count = AGENT_READ_CHUNK;
	if ((args = json_pack("{s:I, s:I}", "handle", (json_int_t)handle,
	    "count", (json_int_t)count)) == NULL)
		return agent_fail(cause, "guest-file-read", ENOMEM);
	if (agent_run(a, deadline, "guest-file-read", args, &ret, cause) != 0)
		return -1;
	r = agent_decode(ret, count, data, len, eof, cause);
	json_decref(ret);
	return r;
}

/*
 * At most count bytes (AGENT_READ_CHUNK at most) of an open guest file:
 * 0 with them in *data (len bytes and a NUL, the caller's to free) and
 * whether the file has ended, or -1.
 */
int
agent_file_read(struct agent *a, long long handle, size_t count,
    char **data, size_t *len, bool *eof, char **cause)
{
	return agent_read_by(a, agent_deadline(a), handle, count, data, len,
	    eof, cause);
}

/*
 * handle closed by the deadline. When the agent did not answer in time,
 * the handle is kept and closed once the client is in step again.
 */
static int
agent_close_by(struct agent *a, long deadline, long long handle,
    char **cause)
{
	json_t	*args;

	if ((args = json_pack("{s:I}", "handle", (json_int_t)handle)) == NULL)
		return agent_fail(cause, "guest-file-close", ENOMEM);
	if (agent_run(a, deadline, "guest-file-close", args, NULL,
	    cause) == 0)
		return 0;
	if (!a->synced && !a->dead && a->nstale < AGENT_STALE)
		a->stale[a->nstale++] = handle;
	return -1;
}

/*
 * handle closed, whatever happened before: now when the client is in
 * step, else once it is again; what the agent says is not a concern.
 */
static void
agent_release(struct agent *a, long deadline, long long handle)
{
	char	*ignored = NULL;

	if (a->synced)
		(void)agent_close_by(a, deadline, handle, &ignored);
	else if (!a->dead && a->nstale < AGENT_STALE)
		a->stale[a->nstale++] = handle;
	free(ignored);
}

int
agent_file_close(struct agent *a, long long handle, char **cause)
{
	return agent_close_by(a, agent_deadline(a), handle, cause);
}

/*
 * From handle, what is left of its file, up to cap + 1 bytes (one past the
 * cap tells a longer file): 0 with it in *buf (a NUL after it) and its
 * length in *total, or -1 with the cause.
 */
static int
agent_read_rest(struct agent *a, long deadline, long long handle,
    const char *path, size_t cap, char **buf, size_t *total, char **cause)
{
	char	*chunk, *more;
	size_t	 n, ask;
	bool	 eof = false;
	int	 r = 0;

	*total = 0;
	if ((*buf = malloc(1)) == NULL)
		return agent_fail(cause, path, ENOMEM);
	while (r == 0 && !eof && *total <= cap) {
		ask = cap + 1 - *total;
		if (ask > AGENT_READ_CHUNK)
			ask = AGENT_READ_CHUNK;
		if ((r = agent_read_by(a, deadline, handle, ask, &chunk, &n,
		    &eof, cause)) != 0)
			break;
		if ((more = realloc(*buf, *total + n + 1)) == NULL) {
			free(chunk);
			r = agent_fail(cause, path, ENOMEM);
			break;
		}
		*buf = more;
		memcpy(*buf + *total, chunk, n);
		*total += n;
		free(chunk);
	}
	if (r != 0) {
		free(*buf);
		*buf = NULL;
	}
	return r;
}

/*
 * What was read (buf, total bytes) given as the file: a longer one than
 * cap is an error when cut is NULL, else cut to cap and *cut says so.
 */
static int
agent_give(char *buf, size_t total, size_t cap, const char *path,
    char **data, size_t *len, bool *cut, char **cause)
{
	if (total > cap && cut == NULL) {
		free(buf);
		return diag_cause(cause, "guest agent: %s: more than %zu "
		    "bytes", path, cap);
	}
	if (total > cap) {
		total = cap;
		*cut = true;
	}
	buf[total] = '\0';
	*data = buf;
	*len = total;
	return 0;
}

/*
 * The guest's file at path, read whole in one call (one deadline) up to
 * cap bytes: 0 with it in *data (len bytes and a NUL, the caller's to
 * free), or -1 with the cause. A longer file is an error when cut is
 * NULL; otherwise its first cap bytes are given and *cut says so. At most
 * cap + 1 bytes are ever held.
 */
int
agent_read_file(struct agent *a, const char *path, size_t cap, char **data,
    size_t *len, bool *cut, char **cause)
{
	long	 deadline = agent_deadline(a);
	long long handle;
	char	*buf;
	size_t	 total;
	int	 r;

	*data = NULL;
	*len = 0;
	if (cut != NULL)
		*cut = false;
	if (agent_open_by(a, deadline, path, &handle, cause) != 0)
		return -1;
	r = agent_read_rest(a, deadline, handle, path, cap, &buf, &total,
	    cause);
	agent_release(a, deadline, handle);
	if (r != 0)
		return -1;
	return agent_give(buf, total, cap, path, data, len, cut, cause);
}

/*
 * agent_read_file for a file read again and again (the guest's
 * /proc/net/tcp once a second), in fewer calls: its handle stays open in
 * *handle (-1: none yet, or none now), rewound (guest-file-seek) before
 * each read; one the agent no longer has (it restarted) is opened anew.
 * On -1, *handle is -1 and the one there was is let go.
 */
int
agent_reread_file(struct agent *a, const char *path, long long *handle,
    size_t cap, char **data, size_t *len, bool *cut, char **cause)
{
	long	 deadline = agent_deadline(a);
	json_t	*args, *ret = NULL;
	char	*buf;
	size_t	 total;

	*data = NULL;
	*len = 0;
	if (cut != NULL)
		*cut = false;
	if (*handle != -1) {
		if ((args = json_pack("{s:I, s:i, s:i}", "handle",
		    (json_int_t)*handle, "offset", 0, "whence", 0)) == NULL)
			return agent_fail(cause, "guest-file-seek", ENOMEM);
		if (agent_run(a, deadline, "guest-file-seek", args, &ret,
		    cause) != 0) {
			if (!a->synced || a->dead) {
				/* no answer: closed once in step again */
				agent_release(a, deadline, *handle);
				*handle = -1;
				return -1;
			}
			/* an answer: the agent no longer has it */
			free(*cause);
			*cause = NULL;
			*handle = -1;
		}
		json_decref(ret);
	}
	if (*handle == -1 && agent_open_by(a, deadline, path, handle,
	    cause) != 0) {
		*handle = -1;
		return -1;
	}
	if (agent_read_rest(a, deadline, *handle, path, cap, &buf, &total,
	    cause) != 0) {
		agent_release(a, deadline, *handle);
		*handle = -1;
		return -1;
	}
	return agent_give(buf, total, cap, path, data, len, cut, cause);
}

/* Whether the client is in step with the agent (the last call was). */
bool
agent_synced(const struct agent *a)
{
	return a->synced;
}

/* The bytes held for reading at most (a bound, for tests and fuzzers). */
size_t
agent_held(const struct agent *a)
{
	return a->js.inroom;
}

int
agent_fd(const struct agent *a)
{
	return a->fd;
}

void
agent_close(struct agent *a)
{
	if (a == NULL)
		return;
	if (a->fd != -1)
		close(a->fd);
	jsonsock_free(&a->js);
	free(a);
}
