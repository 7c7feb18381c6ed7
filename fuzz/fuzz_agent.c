/*
 * fuzz_agent: a libFuzzer target for the guest agent's client
 * (core/agent.c), which reads whatever the guest (or anything on the
 * machine's qga.sock) writes. The input is all the agent sends; the
 * client gets in step (sync id FUZZ_SYNC_ID), pings, reads a file whole
 * with a cap, and then twice through a handle kept open (rewound with
 * guest-file-seek), as the port watcher does. Properties:
 * - the sync is believed only after a 0xFF delimiter and only with the
 *   sync id: when it succeeds, the input has a 0xFF with, somewhere after
 *   it, an object whose "return" is FUZZ_SYNC_ID; an input that begins
 *   with exactly that delimited reply must give a sync;
 * - out of step, no reply is believed: when the sync failed, every later
 *   call fails too (each syncs again with a random id the input cannot
 *   hold);
 * - a file read is never longer than its cap, and ends in a NUL; read
 *   through a kept handle, the same, and a failed read leaves no handle;
 * - the bytes held stay within AGENT_MAX_MESSAGE, and every call returns
 *   within FUZZ_CALL_MS (the peer has closed: nothing is waited for).
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_agent
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "agent.h"
#include "io.h"
#include "ports.h"

#define FUZZ_SYNC_ID	4242
#define FUZZ_CAP	4096
#define FUZZ_CALL_MS	2000

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Whether the object at data (a '{') is the sync id's reply. */
static bool
is_sync_reply(const uint8_t *data, size_t size)
{
	json_error_t	 err;
	json_t		*o, *ret;
	bool		 yes;

	o = json_loadb((const char *)data, size, JSON_DISABLE_EOF_CHECK, &err);
	ret = json_object_get(o, "return");
	yes = json_is_integer(ret) && json_integer_value(ret) == FUZZ_SYNC_ID;
	json_decref(o);
	return yes;
}

/* Whether a 0xFF comes before some sync reply in the input. */
static bool
delimited_reply(const uint8_t *data, size_t size)
{
	const uint8_t	*ff = memchr(data, 0xff, size);
	size_t		 i;

	if (ff == NULL)
		return false;
	for (i = (size_t)(ff - data) + 1; i < size; i++)
		if (data[i] == '{' && is_sync_reply(data + i, size - i))
			return true;
	return false;
}

/* The input begins with the delimiter and the sync id's reply. */
static bool
begins_delimited(const uint8_t *data, size_t size)
{
	size_t	i = 1;

	if (size == 0 || data[0] != 0xff)
		return false;
	while (i < size && strchr(" \t\r\n", data[i]) != NULL && data[i] != 0)
		i++;
	return i < size && data[i] == '{' && is_sync_reply(data + i, size - i);
}

static void
check_call(struct agent *a, long t0, const char *what)
{
	if (io_now_ms() - t0 > FUZZ_CALL_MS) {
		fprintf(stderr, "%s took %ld ms\n", what, io_now_ms() - t0);
		abort();
	}
	if (agent_held(a) > AGENT_MAX_MESSAGE) {
		fprintf(stderr, "%s: %zu bytes held\n", what, agent_held(a));
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent	*a;
	struct ports	 s;
	char		*cause = NULL, *file = NULL;
	size_t		 len = 0;
	bool		 cut, synced;
	long		 t0;
	long long	 handle = -1;
	int		 sv[2], r, i;

	if (size > 65536 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 0;
	if (write(sv[1], data, size) != (ssize_t)size)
		abort();
	shutdown(sv[1], SHUT_WR);	/* the agent's end: what it sent */
	if ((a = agent_new_fd(sv[0], 0)) == NULL)
		abort();
	agent_set_sync_id(a, FUZZ_SYNC_ID);

	t0 = io_now_ms();
	synced = agent_sync(a, &cause) == 0;
	check_call(a, t0, "sync");
	free(cause);
	cause = NULL;
	if (synced && !delimited_reply(data, size)) {
		fprintf(stderr, "in step without a delimited sync reply\n");
		abort();
	}
	if (!synced && begins_delimited(data, size)) {
		fprintf(stderr, "the delimited sync reply not taken\n");
		abort();
	}

	t0 = io_now_ms();
	r = agent_ping(a, &cause);
	check_call(a, t0, "ping");
	free(cause);
	cause = NULL;
	if (!synced && r == 0) {
		fprintf(stderr, "a ping's reply believed out of step\n");
		abort();
	}

	t0 = io_now_ms();
	r = agent_read_file(a, "/proc/net/tcp", FUZZ_CAP, &file, &len, &cut,
	    &cause);
	check_call(a, t0, "read");
	free(cause);
	if (r == 0) {
		if (!synced || len > FUZZ_CAP || file == NULL ||
		    file[len] != '\0' || (cut && len != FUZZ_CAP)) {
			fprintf(stderr, "a file of %zu bytes (cap %d), %s\n",
			    len, FUZZ_CAP, synced ? "in step" : "out of step");
			abort();
		}
		ports_clear(&s);
		(void)ports_parse(&s, file, len);
	}
	free(file);
	for (i = 0; i < 2; i++) {
		file = NULL;
		cause = NULL;
		t0 = io_now_ms();
		r = agent_reread_file(a, "/proc/net/tcp", &handle, FUZZ_CAP,
		    &file, &len, &cut, &cause);
		check_call(a, t0, "reread");
		free(cause);
		if ((r == 0 && (!synced || len > FUZZ_CAP || file == NULL ||
		    file[len] != '\0' || (cut && len != FUZZ_CAP))) ||
		    (r != 0 && (handle != -1 || file != NULL))) {
			fprintf(stderr, "read again: %d, %zu bytes, handle %lld\n",
			    r, len, handle);
			abort();
		}
		free(file);
	}
	agent_close(a);
	close(sv[1]);
	return 0;
}
