/*
 * Unit tests of core/agent.c against a stand-in guest agent (a forked
 * child on a socketpair) that answers as qemu-ga does (a 0xFF gets a
 * parse error, guest-sync-delimited's reply comes after a 0xFF, ids
 * echoed) or as a broken or hostile one: garbage before the delimiter, a
 * reply split into single bytes, a reply that never comes or comes late,
 * stale replies, a file larger than the cap, base64 that is not.
 */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include <jansson.h>
#include <nettle/base64.h>

#include "agent.h"
#include "io.h"

/* How the stand-in answers. */
enum sync_how { SYNC_PLAIN, SYNC_GARBAGE, SYNC_SPLIT, SYNC_UNDELIMITED,
    SYNC_SILENT };
enum ping_how { PING_PLAIN, PING_LATE, PING_STALE, PING_FF, PING_NO_ID,
    PING_CLOSE };
enum read_how { READ_PLAIN, READ_BAD_B64, READ_SHORT_B64, READ_TOO_MANY,
    READ_ENDLESS, READ_LATE };

struct script {
	enum sync_how	 sync;
	enum ping_how	 ping;
	enum read_how	 read;
	const char	*file;		/* the guest file's bytes */
	size_t		 filelen;
};

static char	seen_path[300];
static pid_t	child;

/* bytes to fd, in single bytes with a pause between when split */
static void
put(int fd, const char *s, size_t len, bool split)
{
	size_t	i;

	if (!split) {
		if (write(fd, s, len) != (ssize_t)len)
			_exit(3);
		return;
	}
	for (i = 0; i < len; i++) {
		if (write(fd, s + i, 1) != 1)
			_exit(3);
		usleep(2000);
	}
}

static void
putf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
putf(int fd, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		_exit(3);
	put(fd, s, (size_t)n, false);
	free(s);
}

/* The id part of a reply: ", \"id\": N" when the request had one. */
static void
idpart(json_t *req, char *buf, size_t len)
{
	json_t	*id = json_object_get(req, "id");

	buf[0] = '\0';
	if (json_is_integer(id))
		snprintf(buf, len, ", \"id\": %" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
}

/* The reply to guest-file-read. */
static void
answer_read(int fd, const struct script *sc, json_t *req, size_t *off,
    const char *id)
{
	json_t	*args = json_object_get(req, "arguments");
	size_t	 count = (size_t)json_integer_value(json_object_get(args,
		    "count")), n;
	char	*b64;
	char	 x[1000];

	if (sc->read == READ_ENDLESS) {
		memset(x, 'x', sizeof x);
		n = count < sizeof x ? count : sizeof x;
	} else {
		n = sc->filelen - *off < count ? sc->filelen - *off : count;
	}
	b64 = malloc(BASE64_ENCODE_RAW_LENGTH(n) + 1);
	base64_encode_raw(b64, n, (const uint8_t *)(sc->read == READ_ENDLESS ?
	    x : sc->file + *off));
	b64[BASE64_ENCODE_RAW_LENGTH(n)] = '\0';
	switch (sc->read) {
	case READ_BAD_B64:
		putf(fd, "{\"return\": {\"count\": %zu, \"buf-b64\": \"!!%s\", "
		    "\"eof\": false}%s}\n", n, b64, id);
		break;
	case READ_SHORT_B64:
		putf(fd, "{\"return\": {\"count\": %zu, \"buf-b64\": \"%s\", "
		    "\"eof\": false}%s}\n", n + 3, b64, id);
		break;
	case READ_TOO_MANY:
		putf(fd, "{\"return\": {\"count\": %zu, \"buf-b64\": \"%s\", "
		    "\"eof\": true}%s}\n", count + 1, b64, id);
		break;
	default:
		*off += sc->read == READ_ENDLESS ? 0 : n;
		putf(fd, "{\"return\": {\"count\": %zu, \"buf-b64\": \"%s\", "
		    "\"eof\": %s}%s}\n", n, b64, sc->read != READ_ENDLESS &&
		    *off == sc->filelen ? "true" : "false", id);
	}
	free(b64);
}

/* One request (a line, 0xFF taken off) answered as the script says. */
static void
answer(int fd, const struct script *sc, json_t *req, int *nping,
    int *nread, size_t *off)
{
	const char	*cmd = json_string_value(json_object_get(req,
			    "execute"));
	json_t		*args = json_object_get(req, "arguments");
	char		 id[64], reply[200];
	long long	 sid;
	FILE		*seen;

	idpart(req, id, sizeof id);
	if (cmd == NULL)
		return;
	if ((seen = fopen(seen_path, "a")) != NULL) {
		fprintf(seen, "%s", cmd);
		if (json_object_get(args, "handle") != NULL)
			fprintf(seen, " %" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(args,
			    "handle")));
		if (json_object_get(args, "count") != NULL)
			fprintf(seen, " %" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(args,
			    "count")));
		fprintf(seen, "\n");
		fclose(seen);
	}
	if (strcmp(cmd, "guest-sync-delimited") == 0) {
		sid = json_integer_value(json_object_get(args, "id"));
		snprintf(reply, sizeof reply, "{\"return\": %lld}\n", sid);
		switch (sc->sync) {
		case SYNC_SILENT:
			return;
		case SYNC_UNDELIMITED:
			put(fd, reply, strlen(reply), false);
			return;
		case SYNC_GARBAGE:
			/* the right reply and junk, then the real one */
			putf(fd, "%s}}]] {\"return\": %lld} not json {\n"
			    "\x01\x02{\"return\": 1}", reply, sid);
			break;
		default:
			break;
		}
		put(fd, "\xff", 1, sc->sync == SYNC_SPLIT);
		put(fd, reply, strlen(reply), sc->sync == SYNC_SPLIT);
	} else if (strcmp(cmd, "guest-ping") == 0) {
		switch (*nping == 0 ? sc->ping : PING_PLAIN) {
		case PING_LATE:
			usleep(600000);
			break;
		case PING_STALE:
			putf(fd, "{\"return\": {\"stale\": 1}, \"id\": 999}\n");
			break;
		case PING_FF:
			putf(fd, "\xff\xff{\"error\": {\"desc\": \"no\"}, "
			    "\"id\": 998}\n");
			break;
		case PING_NO_ID:
			++*nping;
			putf(fd, "{\"return\": {}}\n");
			return;
		case PING_CLOSE:
			_exit(0);
		default:
			break;
		}
		++*nping;
		putf(fd, "{\"return\": {}%s}\n", id);
	} else if (strcmp(cmd, "guest-file-open") == 0) {
		if (strcmp(json_string_value(json_object_get(args, "mode")),
		    "r") != 0)
			putf(fd, "{\"error\": {\"desc\": \"not read-only\"}%s}"
			    "\n", id);
		else if (strcmp(json_string_value(json_object_get(args,
		    "path")), "/missing") == 0)
			putf(fd, "{\"error\": {\"class\": \"GenericError\", "
			    "\"desc\": \"failed to open file '/missing' (mode: "
			    "'r'): No such file or directory\"}%s}\n", id);
		else
			putf(fd, "{\"return\": 1000%s}\n", id);
		*off = 0;
	} else if (strcmp(cmd, "guest-file-read") == 0) {
		if (++*nread == 1 && sc->read == READ_LATE)
			usleep(600000);
		answer_read(fd, sc, req, off, id);
	} else if (strcmp(cmd, "guest-file-seek") == 0) {
		/* handle 1000 is the one open; another is gone */
		if (json_integer_value(json_object_get(args, "handle")) !=
		    1000 || json_integer_value(json_object_get(args,
		    "offset")) != 0 || json_integer_value(json_object_get(args,
		    "whence")) != 0)
			putf(fd, "{\"error\": {\"class\": \"GenericError\", "
			    "\"desc\": \"handle not found\"}%s}\n", id);
		else {
			*off = 0;
			putf(fd, "{\"return\": {\"position\": 0, \"eof\": "
			    "false}%s}\n", id);
		}
	} else if (strcmp(cmd, "guest-file-close") == 0)
		putf(fd, "{\"return\": {}%s}\n", id);
	else
		putf(fd, "{\"error\": {\"class\": \"CommandNotFound\"}%s}\n",
		    id);
}

/* The stand-in on one end of a socketpair; the client gets the other. */
static struct agent *
stand_in(const struct script *sc, int timeout_ms)
{
	struct agent	*a;
	char		 buf[65536], *line = NULL, *more, *nl;
	size_t		 len = 0, i, off = 0;
	ssize_t		 n;
	int		 sv[2], nping = 0, nread = 0;
	json_t		*req;

	snprintf(seen_path, sizeof seen_path, "%s/seen", test_dir);
	unlink(seen_path);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if ((child = fork()) != 0) {
		close(sv[1]);
		a = agent_new_fd(sv[0], timeout_ms);
		assert_non_null(a);
		return a;
	}
	close(sv[0]);
	while ((n = read(sv[1], buf, sizeof buf)) > 0) {
		for (i = 0; i < (size_t)n; i++)
			if ((unsigned char)buf[i] == 0xff)
				putf(sv[1], "{\"error\": {\"class\": "
				    "\"GenericError\", \"desc\": \"JSON parse "
				    "error, stray '\\ufffd'\"}}\n");
		if ((more = realloc(line, len + (size_t)n + 1)) == NULL)
			_exit(3);
		line = more;
		for (i = 0; i < (size_t)n; i++)
			if ((unsigned char)buf[i] != 0xff)
				line[len++] = buf[i];
		line[len] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if ((req = json_loads(line, 0, NULL)) != NULL)
				answer(sv[1], sc, req, &nping, &nread, &off);
			json_decref(req);
			len -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, len + 1);
		}
	}
	_exit(0);
}

/* The client gone, the stand-in's end: what it saw. */
static char *
done(struct agent *a)
{
	char	*seen = NULL, *cause = NULL;

	agent_close(a);
	waitpid(child, NULL, 0);
	if (io_read_file(seen_path, 65536, &seen, &cause) != 0) {
		free(cause);
		seen = strdup("");
	}
	return seen;
}

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* In step through garbage and a fake reply, then a ping. */
static void
test_sync_garbage(void **state)
{
	struct script	 sc = { .sync = SYNC_GARBAGE };
	struct agent	*a = stand_in(&sc, 5000);
	char		*cause = NULL;

	(void)state;
	assert_false(agent_synced(a));
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(agent_synced(a));
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	free(done(a));
}

/* A reply split into single bytes, the delimiter alone in one read. */
static void
test_sync_split(void **state)
{
	struct script	 sc = { .sync = SYNC_SPLIT };
	struct agent	*a = stand_in(&sc, 5000);
	char		*cause = NULL, *seen;

	(void)state;
	if (agent_sync(a, &cause) != 0)
		fail_msg("%s", cause);
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	seen = done(a);
	/* one sync, not one per call */
	assert_string_equal(seen, "guest-sync-delimited\nguest-ping\n");
	free(seen);
}

/*
 * The sync id's reply without the 0xFF before it is not believed; nor is
 * one that never comes: the call ends at its deadline.
 */
static void
test_sync_not_taken(void **state)
{
	struct script	 sc = { .sync = SYNC_UNDELIMITED };
	struct agent	*a = stand_in(&sc, 400);
	char		*cause = NULL, *data = NULL;
	size_t		 len;
	long		 t0 = now_ms(), ms;

	(void)state;
	assert_int_equal(agent_ping(a, &cause), -1);
	ms = now_ms() - t0;
	assert_string_equal(cause, "guest agent: guest-sync-delimited: no "
	    "answer (is qemu-ga running in the guest?)");
	free(cause);
	if (ms < 350 || ms > 3000)
		fail_msg("the call took %ld ms, not its 400", ms);
	assert_false(agent_synced(a));
	free(done(a));

	sc.sync = SYNC_SILENT;
	a = stand_in(&sc, 400);
	t0 = now_ms();
	assert_int_equal(agent_read_file(a, "/etc/hostname", 100, &data,
	    &len, NULL, &cause), -1);
	assert_null(data);
	ms = now_ms() - t0;
	assert_non_null(strstr(cause, "no answer"));
	free(cause);
	if (ms < 350 || ms > 3000)
		fail_msg("the call took %ld ms, not its 400", ms);
	free(done(a));
}

/*
 * A reply that comes after the deadline: the call fails, the next one is
 * in step again and skips the late reply (and the agent's complaint
 * about the 0xFF).
 */
static void
test_late_reply(void **state)
{
	struct script	 sc = { .ping = PING_LATE };
	struct agent	*a = stand_in(&sc, 300);
	char		*cause = NULL;

	(void)state;
	if (agent_sync(a, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(agent_ping(a, &cause), -1);
	assert_string_equal(cause, "guest agent: guest-ping: no answer (is "
	    "qemu-ga running in the guest?)");
	free(cause);
	assert_false(agent_synced(a));
	agent_set_timeout(a, 5000);
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(agent_synced(a));
	free(done(a));
}

/* Stale replies (another id), a stray 0xFF, a reply without an id. */
static void
test_replies_sorted(void **state)
{
	static const enum ping_how hows[] = { PING_STALE, PING_FF,
	    PING_NO_ID };
	struct script	 sc = { 0 };
	struct agent	*a;
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof hows / sizeof hows[0]; i++) {
		sc.ping = hows[i];
		a = stand_in(&sc, 5000);
		if (agent_ping(a, &cause) != 0)
			fail_msg("%zu: %s", i, cause);
		if (agent_ping(a, &cause) != 0)
			fail_msg("%zu: %s", i, cause);
		assert_true(agent_synced(a));
		free(done(a));
	}
}

/* The agent gone: the call fails, and every later one at once. */
static void
test_closed(void **state)
{
	struct script	 sc = { .ping = PING_CLOSE };
	struct agent	*a = stand_in(&sc, 5000);
	char		*cause = NULL;
	long		 t0;

	(void)state;
	assert_int_equal(agent_ping(a, &cause), -1);
	assert_string_equal(cause, "guest agent: guest-ping: Connection "
	    "reset by peer");
	free(cause);
	t0 = now_ms();
	assert_int_equal(agent_ping(a, &cause), -1);
	assert_true(now_ms() - t0 < 1000);
	free(cause);
	free(done(a));
}

/* A file read whole in chunks, its handle closed; errors said. */
static void
test_read_file(void **state)
{
	struct script	 sc = { 0 };
	struct agent	*a;
	char		*big, *data = NULL, *cause = NULL, *seen;
	size_t		 len, i, n = 3 * AGENT_READ_CHUNK + 123;
	bool		 cut = true;

	(void)state;
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7 + i / 251);
	sc.file = big;
	sc.filelen = n;
	a = stand_in(&sc, 5000);
	if (agent_read_file(a, "/proc/net/tcp", n, &data, &len, &cut,
	    &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(len, n);
	assert_false(cut);
	assert_memory_equal(data, big, n);
	assert_int_equal(data[n], '\0');
	free(data);
	/* an error of the agent's, said as it says it */
	assert_int_equal(agent_read_file(a, "/missing", n, &data, &len, NULL,
	    &cause), -1);
	assert_string_equal(cause, "guest agent: guest-file-open: failed to "
	    "open file '/missing' (mode: 'r'): No such file or directory");
	free(cause);
	seen = done(a);
	assert_string_equal(seen, "guest-sync-delimited\nguest-file-open\n"
	    "guest-file-read 1000 49152\nguest-file-read 1000 49152\n"
	    "guest-file-read 1000 49152\nguest-file-read 1000 124\n"
	    "guest-file-close 1000\nguest-file-open\n");
	free(seen);
	free(big);
}

/*
 * A file read again and again through one handle kept open (the watcher's
 * /proc/net/tcp once a second): opened the first time, then rewound and
 * read, never closed; a handle the agent no longer has is opened anew.
 */
static void
test_reread_file(void **state)
{
	struct script	 sc = { 0 };
	struct agent	*a;
	char		*data = NULL, *cause = NULL, *seen;
	long long	 h = -1;
	size_t		 len;
	bool		 cut = true;
	int		 i;

	(void)state;
	sc.file = "  sl  local_address\n   0: 00000000:1F90\n";
	sc.filelen = strlen(sc.file);
	a = stand_in(&sc, 5000);
	for (i = 0; i < 2; i++) {
		if (agent_reread_file(a, "/proc/net/tcp", &h, 4096, &data,
		    &len, &cut, &cause) != 0)
			fail_msg("%s", cause);
		assert_int_equal(h, 1000);
		assert_false(cut);
		assert_int_equal(len, sc.filelen);
		assert_memory_equal(data, sc.file, len);
		free(data);
	}
	/* the agent restarted meanwhile: its handles are gone */
	h = 77;
	if (agent_reread_file(a, "/proc/net/tcp", &h, 4096, &data, &len,
	    &cut, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(h, 1000);
	assert_memory_equal(data, sc.file, len);
	free(data);
	/* a file that cannot be opened: no handle */
	h = -1;
	assert_int_equal(agent_reread_file(a, "/missing", &h, 4096, &data,
	    &len, &cut, &cause), -1);
	assert_int_equal(h, -1);
	free(cause);
	seen = done(a);
	assert_string_equal(seen, "guest-sync-delimited\nguest-file-open\n"
	    "guest-file-read 1000 4097\nguest-file-seek 1000\n"
	    "guest-file-read 1000 4097\nguest-file-seek 77\n"
	    "guest-file-open\nguest-file-read 1000 4097\nguest-file-open\n");
	free(seen);
}

/* Larger than the cap: an error, or its first cap bytes and cut. */
static void
test_read_cap(void **state)
{
	struct script	 sc = { 0 };
	struct agent	*a;
	char		 file[5000], *data = NULL, *cause = NULL, *seen;
	size_t		 len;
	bool		 cut = false;

	(void)state;
	memset(file, 'a', sizeof file);
	sc.file = file;
	sc.filelen = sizeof file;
	a = stand_in(&sc, 5000);
	assert_int_equal(agent_read_file(a, "/big", 4999, &data, &len, NULL,
	    &cause), -1);
	assert_string_equal(cause, "guest agent: /big: more than 4999 bytes");
	free(cause);
	assert_null(data);
	assert_int_equal(agent_read_file(a, "/big", 100, &data, &len, &cut,
	    &cause), 0);
	assert_true(cut);
	assert_int_equal(len, 100);
	assert_int_equal(strlen(data), 100);
	free(data);
	/* exactly the cap is whole */
	assert_int_equal(agent_read_file(a, "/big", 5000, &data, &len, &cut,
	    &cause), 0);
	assert_false(cut);
	assert_int_equal(len, 5000);
	free(data);
	seen = done(a);
	/* one byte more than the cap asked for, never more; each closed */
	assert_string_equal(seen, "guest-sync-delimited\n"
	    "guest-file-open\nguest-file-read 1000 5000\n"
	    "guest-file-close 1000\n"
	    "guest-file-open\nguest-file-read 1000 101\n"
	    "guest-file-close 1000\n"
	    "guest-file-open\nguest-file-read 1000 5001\n"
	    "guest-file-close 1000\n");
	free(seen);

	/* an agent that never says the end: the cap still holds */
	sc.read = READ_ENDLESS;
	a = stand_in(&sc, 5000);
	assert_int_equal(agent_read_file(a, "/dev/zero", 3000, &data, &len,
	    &cut, &cause), 0);
	assert_true(cut);
	assert_int_equal(len, 3000);
	free(data);
	free(done(a));
}

/* base64 that is not, a count that is not the data's, more than asked. */
static void
test_read_hostile(void **state)
{
	static const enum read_how hows[] = { READ_BAD_B64, READ_SHORT_B64,
	    READ_TOO_MANY };
	static const char *const causes[] = {
		"guest agent: guest-file-read: its base64 is not 10 bytes",
		"guest agent: guest-file-read: its base64 is not 13 bytes",
		"guest agent: guest-file-read: 1025 bytes where 1024 were "
		    "asked for",
	};
	struct script	 sc = { .file = "0123456789", .filelen = 10 };
	struct agent	*a;
	char		*data = NULL, *cause = NULL, *seen;
	size_t		 i, len = 99;
	bool		 eof;
	long long	 h;

	(void)state;
	for (i = 0; i < sizeof hows / sizeof hows[0]; i++) {
		sc.read = hows[i];
		a = stand_in(&sc, 5000);
		if (i < 2)
			assert_int_equal(agent_read_file(a, "/f", 100, &data,
			    &len, NULL, &cause), -1);
		else {
			assert_int_equal(agent_file_open(a, "/f", &h, &cause),
			    0);
			assert_int_equal(agent_file_read(a, h, 1024, &data,
			    &len, &eof, &cause), -1);
			assert_int_equal(agent_file_close(a, h, &cause), 0);
		}
		assert_string_equal(cause, causes[i]);
		free(cause);
		assert_null(data);
		/* still in step: the reply was whole, only wrong */
		assert_true(agent_synced(a));
		seen = done(a);
		assert_non_null(strstr(seen, "guest-file-close 1000\n"));
		free(seen);
	}
}

/*
 * A read that times out leaves its handle open in the guest: it is
 * closed once the client is in step again.
 */
static void
test_stale_handle(void **state)
{
	struct script	 sc = { .read = READ_LATE, .file = "x",
			    .filelen = 1 };
	struct agent	*a = stand_in(&sc, 300);
	char		*data = NULL, *cause = NULL, *seen;
	size_t		 len;

	(void)state;
	assert_int_equal(agent_read_file(a, "/f", 100, &data, &len, NULL,
	    &cause), -1);
	assert_non_null(strstr(cause, "guest-file-read: no answer"));
	free(cause);
	agent_set_timeout(a, 5000);
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	seen = done(a);
	assert_string_equal(seen, "guest-sync-delimited\nguest-file-open\n"
	    "guest-file-read 1000 101\nguest-sync-delimited\n"
	    "guest-file-close 1000\nguest-ping\n");
	free(seen);
}

/* A socket that is not there, a path too long. */
static void
test_open_fails(void **state)
{
	struct agent	*a = NULL;
	char		*cause = NULL, path[400];

	(void)state;
	snprintf(path, sizeof path, "%s/none.sock", test_dir);
	assert_int_equal(agent_open(path, 500, &a, &cause), -1);
	assert_null(a);
	assert_non_null(strstr(cause, "No such file or directory"));
	free(cause);
	memset(path, 'x', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	assert_int_equal(agent_open(path, 500, &a, &cause), -1);
	assert_non_null(strstr(cause, "File name too long"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_garbage),
		cmocka_unit_test(test_sync_split),
		cmocka_unit_test(test_sync_not_taken),
		cmocka_unit_test(test_late_reply),
		cmocka_unit_test(test_replies_sorted),
		cmocka_unit_test(test_closed),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_cap),
		cmocka_unit_test(test_reread_file),
		cmocka_unit_test(test_read_hostile),
		cmocka_unit_test(test_stale_handle),
		cmocka_unit_test(test_open_fails),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
