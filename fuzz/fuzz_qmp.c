/*
 * fuzz_qmp: a libFuzzer target for the QMP reader (core/qmp.c), which
 * reads whatever a QEMU (or anything listening on its socket) writes. The
 * input is what the peer sends after the greeting; the client runs one
 * command (id 1) and then takes the events. Properties: a reply is the
 * "return" of an object in the input with id 1 and no "event" (never an
 * event's, never another command's); every event given is the name of an
 * object in the input that has "event"; at most QMP_MAX_EVENTS are kept.
 * And the other way: an input that begins with id 1's reply (an object
 * with "return", no "event") must give that reply. The oracle parses the
 * input independently: a JSON object at every '{'.
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_qmp
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "qmp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Whether some object in the input passes match (with ret for it). */
static int
in_input(const uint8_t *data, size_t size, int (*match)(json_t *,
    const void *), const void *arg)
{
	json_error_t	 err;
	json_t		*o;
	size_t		 i;
	int		 found = 0;

	for (i = 0; i < size && !found; i++) {
		if (data[i] != '{')
			continue;
		o = json_loadb((const char *)data + i, size - i,
		    JSON_DISABLE_EOF_CHECK, &err);
		if (o != NULL)
			found = match(o, arg);
		json_decref(o);
	}
	return found;
}

static int
is_reply(json_t *o, const void *arg)
{
	json_t	*id = json_object_get(o, "id");

	return json_object_get(o, "event") == NULL && json_is_integer(id) &&
	    json_integer_value(id) == 1 &&
	    json_equal(json_object_get(o, "return"), (json_t *)arg);
}

static int
is_event(json_t *o, const void *arg)
{
	const char	*name = json_string_value(json_object_get(o, "event"));

	return name != NULL && strcmp(name, arg) == 0;
}

/* Whether the input begins with id 1's reply: the one qmp_run must take. */
static int
begins_with_reply(const uint8_t *data, size_t size)
{
	json_error_t	 err;
	json_t		*o, *id;
	int		 yes;

	o = json_loadb((const char *)data, size, JSON_DISABLE_EOF_CHECK, &err);
	id = json_object_get(o, "id");
	yes = json_object_get(o, "event") == NULL && json_is_integer(id) &&
	    json_integer_value(id) == 1 && json_object_get(o, "return") != NULL;
	json_decref(o);
	return yes;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qmp	*q;
	json_t		*ret = NULL;
	char		*cause = NULL, *ev;
	int		 sv[2], n = 0;

	if (size > 16384 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 0;
	if (write(sv[1], data, size) != (ssize_t)size)
		abort();
	/* the end of QEMU's output; the command still goes somewhere */
	shutdown(sv[1], SHUT_WR);
	if ((q = qmp_new_fd(sv[0], 0)) == NULL)
		abort();
	if (qmp_run(q, "query-status", NULL, &ret, &cause) == 0) {
		if (ret == NULL || !in_input(data, size, is_reply, ret)) {
			fprintf(stderr, "a reply not in the input as id 1's\n");
			abort();
		}
	} else if (begins_with_reply(data, size)) {
		fprintf(stderr, "id 1's reply not taken: %s\n", cause);
		abort();
	}
	json_decref(ret);
	free(cause);
	while (qmp_event(q, &ev) == 1) {
		if (!in_input(data, size, is_event, ev)) {
			fprintf(stderr, "event %s is not in the input\n", ev);
			abort();
		}
		free(ev);
		if (++n > QMP_MAX_EVENTS)
			abort();
	}
	qmp_close(q);
	close(sv[1]);
	return 0;
}
