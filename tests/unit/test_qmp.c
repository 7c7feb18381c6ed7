/*
 * Unit tests of core/qmp.c against a scripted QMP server on a unix socket
 * (a forked child): greeting, capabilities, events skipped, errors, the
 * status, and noticing that QEMU has gone.
 */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "qmp.h"

static char sock_path[300], hmp_seen[300];

/* A listening unix socket at sock_path. */
static int
listen_on(void)
{
	struct sockaddr_un	sun;
	int			l;

	unlink(sock_path);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sock_path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(listen(l, 1), 0);
	return l;
}

/*
 * Write answer for the command line cmd: "@ID@" becomes the command's id
 * (as QEMU echoes it); a line that starts {"return" or {"error" without
 * one gets it after its first brace.
 */
static void
reply(int c, const char *cmd, const char *answer)
{
	const char	*p = strstr(cmd, "\"id\":"), *line, *nl, *at;
	char		 id[32] = "null";
	size_t		 n;

	if (p != NULL) {
		p += 5;
		p += strspn(p, " ");
		n = strspn(p, "0123456789");
		snprintf(id, sizeof id, "%.*s", (int)n, p);
	}
	for (line = answer; *line != '\0'; line = nl) {
		nl = strchr(line, '\n');
		nl = nl != NULL ? nl + 1 : line + strlen(line);
		n = (size_t)(nl - line);
		if ((at = strstr(line, "@ID@")) != NULL && at < nl)
			dprintf(c, "%.*s%s%.*s", (int)(at - line), line, id,
			    (int)(nl - at - 4), at + 4);
		else if (strncmp(line, "{\"return\"", 9) == 0 ||
		    strncmp(line, "{\"error\"", 8) == 0)
			dprintf(c, "{\"id\": %s, %.*s", id, (int)n - 1,
			    line + 1);
		else
			dprintf(c, "%.*s", (int)n, line);
	}
}

/* Serve one client: greet, then answer each command from the script. */
static pid_t
serve(const char *const *answers)
{
	int	 l, c;
	pid_t	 pid;
	char	 buf[512];
	FILE	*f;

	snprintf(sock_path, sizeof sock_path, "%s/qmp.sock", test_dir);
	snprintf(hmp_seen, sizeof hmp_seen, "%s/hmp.seen", test_dir);
	l = listen_on();
	if ((pid = fork()) != 0) {
		close(l);
		return pid;
	}
	c = accept(l, NULL, NULL);
	f = fdopen(c, "r");
	dprintf(c, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n");
	for (; *answers != NULL; answers++) {
		if (fgets(buf, sizeof buf, f) == NULL)
			_exit(1);
		if (strstr(buf, "human-monitor-command") != NULL) {
			FILE *seen = fopen(hmp_seen, "w");

			if (seen != NULL) {
				fputs(buf, seen);
				fclose(seen);
			}
		}
		reply(c, buf, *answers);
	}
	fclose(f);	/* QEMU exits */
	_exit(0);
}

static void
test_session(void **state)
{
	static const char *const answers[] = {
		"{\"return\": {}}\r\n",
		"{\"timestamp\": {\"seconds\": 1}, \"event\": \"RESUME\"}\r\n"
		"{\"return\": {\"status\": \"paused\", \"running\": false}}\r\n",
		"{\"error\": {\"class\": \"GenericError\", \"desc\": "
		"\"no \\\"such\\\" thing\"}}\r\n",
		"{\"return\": {}}\r\n",
		NULL
	};
	struct qmp	*q;
	char		*cause = NULL, *status = NULL;
	pid_t		 pid = serve(answers);
	int		 st;

	(void)state;
	if (qmp_open(sock_path, 2000, &q, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(qmp_status(q, &status, &cause), 0);
	assert_string_equal(status, "paused");
	free(status);
	assert_int_equal(qmp_execute(q, "frob", &cause), -1);
	assert_string_equal(cause, "QMP: frob: no \"such\" thing");
	free(cause);
	assert_int_equal(qmp_execute(q, "system_powerdown", &cause), 0);
	assert_int_equal(qmp_wait_closed(q, 2000), 0);
	qmp_close(q);
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * Replies in other spacing and key order, over several lines or several to
 * a line, events between and inside them, a stale reply to an earlier
 * command: each command gets its own reply, matched by its id, and the
 * events are kept for qmp_event.
 */
static void
test_any_spacing(void **state)
{
	static const char *const answers[] = {
		"{\"return\":{}}\n",
		"{\"event\":\"RESUME\",\"data\":{\"return\":{\"status\":"
		"\"x\"}},\"timestamp\":{\"seconds\":1}}"
		"{\"return\": {\"status\": \"stale\"}, \"id\": 999}\n"
		"{ \"id\" : @ID@ ,\n  \"return\" :\n {\"running\":false,"
		"\"status\":\"paused\",\"singlestep\":false}\n}\r\n",
		"{\"event\": \"STOP\", \"timestamp\": {}}\r\n"
		"{\"error\":{\"desc\":\"bad \\u0022x\\u0022\",\"class\":"
		"\"GenericError\"},\"id\":@ID@}\r\n",
		"{\"id\":@ID@,\"return\":\"VM status: running\\r\\n\"}",
		NULL
	};
	struct qmp	*q;
	char		*cause = NULL, *status = NULL, *ev = NULL, *out;
	pid_t		 pid = serve(answers);
	int		 st;

	(void)state;
	if (qmp_open(sock_path, 2000, &q, &cause) != 0)
		fail_msg("%s", cause);
	if (qmp_status(q, &status, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(status, "paused");
	free(status);
	assert_int_equal(qmp_execute(q, "frob", &cause), -1);
	assert_string_equal(cause, "QMP: frob: bad \"x\"");
	free(cause);
	assert_int_equal(qmp_hmp(q, "info status", &out, &cause), 0);
	assert_string_equal(out, "VM status: running\r\n");
	free(out);
	/* the events that came between, in order */
	assert_int_equal(qmp_event(q, &ev), 1);
	assert_string_equal(ev, "RESUME");
	free(ev);
	assert_int_equal(qmp_event(q, &ev), 1);
	assert_string_equal(ev, "STOP");
	free(ev);
	qmp_close(q);
	waitpid(pid, &st, 0);
}

/* A line for the human monitor goes out as JSON; its text comes back. */
static void
test_hmp(void **state)
{
	static const char *const answers[] = {
		"{\"return\": {}}\r\n",
		"{\"return\": \"VM status: running\\r\\n\\\"q\\\" \\u00e9\\t\"}"
		"\r\n",
		NULL
	};
	struct qmp	*q;
	char		*cause = NULL, *out = NULL;
	pid_t		 pid = serve(answers);
	int		 st;

	(void)state;
	if (qmp_open(sock_path, 2000, &q, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(qmp_hmp(q, "info \"status\"\\\n", &out, &cause), 0);
	assert_string_equal(out, "VM status: running\r\n\"q\" \xc3\xa9\t");
	free(out);
	qmp_close(q);
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	/* what the server read: the line, escaped */
	{
		FILE	*f = fopen(hmp_seen, "r");
		char	 line[512] = "";

		assert_non_null(f);
		assert_non_null(fgets(line, sizeof line, f));
		fclose(f);
		assert_non_null(strstr(line, "\"execute\":\"human-monitor-"
		    "command\""));
		assert_non_null(strstr(line, "\"arguments\":{\"command-line\":"
		    "\"info \\\"status\\\"\\\\\\n\"}"));
	}
}

/*
 * hostfwd_add and hostfwd_remove answer in the human monitor's free text:
 * nothing when a rule was added; "... removed" or "... not found" for a
 * removal; any other text is QEMU's complaint, said as the cause.
 */
static void
test_hostfwd(void **state)
{
	static const char *const answers[] = {
		"{\"return\": {}}\r\n",
		"{\"return\": \"\"}\r\n",
		"{\"return\": \"Could not set up host forwarding rule "
		"'tcp:127.0.0.1:2222-:22'\\r\\n\"}\r\n",
		"{\"return\": \"host forwarding rule for tcp:127.0.0.1:2222 "
		"removed\\r\\n\"}\r\n",
		"{\"return\": \"host forwarding rule for tcp:127.0.0.1:2222 "
		"not found\\r\\n\"}\r\n",
		"{\"return\": \"unrecognized netdev id 'net0'\\r\\n\"}\r\n",
		"{\"return\": \"invalid format\\r\\n\"}\r\n",
		"{\"return\": \"a\\u001b[2Jb\\nsecond line\\n\"}\r\n",
		"{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
		"\"no monitor\"}}\r\n",
		NULL
	};
	struct qmp	*q;
	char		*cause = NULL;
	pid_t		 pid = serve(answers);

	(void)state;
	if (qmp_open(sock_path, 2000, &q, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(qmp_hostfwd(q, "net0", true, "tcp:127.0.0.1:2222-:22",
	    &cause), 0);
	assert_int_equal(qmp_hostfwd(q, "net0", true, "tcp:127.0.0.1:2222-:22",
	    &cause), -1);
	assert_string_equal(cause, "QEMU: hostfwd_add: Could not set up host "
	    "forwarding rule 'tcp:127.0.0.1:2222-:22'");
	free(cause);
	assert_int_equal(qmp_hostfwd(q, "net0", false, "tcp:127.0.0.1:2222",
	    &cause), 0);
	assert_int_equal(qmp_hostfwd(q, "net0", false, "tcp:127.0.0.1:2222",
	    &cause), 1);
	assert_int_equal(qmp_hostfwd(q, "net0", false, "tcp:127.0.0.1:2222",
	    &cause), -1);
	assert_string_equal(cause, "QEMU: hostfwd_remove: unrecognized netdev "
	    "id 'net0'");
	free(cause);
	assert_int_equal(qmp_hostfwd(q, "net0", false, "tcp:127.0.0.1:2222",
	    &cause), -1);
	assert_string_equal(cause, "QEMU: hostfwd_remove: invalid format");
	free(cause);
	/* QEMU's text is said on one line, its control characters escaped */
	assert_int_equal(qmp_hostfwd(q, "net0", true, "tcp:127.0.0.1:1-:1",
	    &cause), -1);
	assert_string_equal(cause, "QEMU: hostfwd_add: a\\x1b[2Jb");
	free(cause);
	assert_int_equal(qmp_hostfwd(q, "net0", true, "tcp:127.0.0.1:1-:1",
	    &cause), -1);
	assert_string_equal(cause, "QMP: human-monitor-command: no monitor");
	free(cause);
	qmp_close(q);
	waitpid(pid, NULL, 0);
	/* the line the monitor was given */
	{
		FILE	*f = fopen(hmp_seen, "r");
		char	 line[512] = "";

		assert_non_null(f);
		assert_non_null(fgets(line, sizeof line, f));
		fclose(f);
		assert_non_null(strstr(line, "\"command-line\":\"hostfwd_add "
		    "net0 tcp:127.0.0.1:1-:1\""));
	}
}

/*
 * An event waited for by its name and one of its data's values: one that
 * came before the wait counts, another one with the same name does not,
 * and the wait ends at its deadline without it.
 */
static void
test_event_wait(void **state)
{
	static const char *const answers[] = {
		"{\"return\": {}}\r\n",
		"{\"event\": \"DEVICE_DELETED\", \"data\": {\"path\": "
		"\"/machine/peripheral/dev-a/virtio-backend\"}}\r\n"
		"{\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": "
		"\"dev-a\", \"path\": \"/machine/peripheral/dev-a\"}}\r\n"
		"{\"return\": {}}\r\n",
		"{\"return\": {}}\r\n"
		"{\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": "
		"\"dev-c\"}}\r\n"
		"{\"timestamp\": {}, \"data\": {\"device\": \"dev-b\"}, "
		"\"event\": \"DEVICE_DELETED\"}\r\n",
		"{\"return\": {}}\r\n",
		NULL
	};
	struct qmp	*q;
	char		*cause = NULL, *ev = NULL;
	pid_t		 pid = serve(answers);
	long		 t0;

	(void)state;
	if (qmp_open(sock_path, 2000, &q, &cause) != 0)
		fail_msg("%s", cause);
	/* the events came with the reply: kept, and found */
	assert_int_equal(qmp_execute(q, "device_del", &cause), 0);
	assert_int_equal(qmp_event_wait(q, "DEVICE_DELETED", "device",
	    "dev-a", 1000), 1);
	/* after the reply, dev-c's first: dev-b is still found */
	assert_int_equal(qmp_execute(q, "device_del", &cause), 0);
	assert_int_equal(qmp_event_wait(q, "DEVICE_DELETED", "device",
	    "dev-b", 1000), 1);
	/* the events not waited for are still there for qmp_event */
	assert_int_equal(qmp_event(q, &ev), 1);
	assert_string_equal(ev, "DEVICE_DELETED");
	free(ev);
	/* none for dev-z: the deadline */
	t0 = (long)time(NULL);
	assert_int_equal(qmp_event_wait(q, "DEVICE_DELETED", "device",
	    "dev-z", 300), 0);
	assert_true((long)time(NULL) - t0 <= 2);
	assert_int_equal(qmp_execute(q, "x", &cause), 0);
	qmp_close(q);
	waitpid(pid, NULL, 0);
}

/* Clients that connect to sock_path and wait, until its queue is full. */
static int	queued[64], nqueued;

static void
fill_queue(void)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sock_path);
	for (nqueued = 0; nqueued < 64; nqueued++) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fd != -1);
		if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
			assert_int_equal(errno, EAGAIN);
			close(fd);
			return;
		}
		queued[nqueued] = fd;
	}
	fail_msg("the queue never filled");
}

static void
close_queue(void)
{
	while (nqueued > 0)
		close(queued[--nqueued]);
}

static void
test_silent_server(void **state)
{
	static const char *const answers[] = { NULL };
	struct qmp	*q;
	char		*cause = NULL;
	pid_t		 pid;
	time_t		 t0;
	int		 l;

	(void)state;
	/* nobody listening */
	snprintf(sock_path, sizeof sock_path, "%s/none.sock", test_dir);
	assert_int_equal(qmp_open(sock_path, 500, &q, &cause), -1);
	assert_non_null(strstr(cause, "none.sock"));
	free(cause);
	/* a listener that never greets: a timeout, not a hang */
	snprintf(sock_path, sizeof sock_path, "%s/mute.sock", test_dir);
	l = listen_on();
	assert_int_equal(qmp_open(sock_path, 300, &q, &cause), -1);
	assert_string_equal(cause, "QMP: no answer: Connection timed out");
	free(cause);
	close(l);
	/*
	 * a listener with its queue full (QEMU serving another client and
	 * more waiting): connect() would wait for a place; a timeout, not a
	 * hang (the alarm fails the test if qmp_open hangs)
	 */
	snprintf(sock_path, sizeof sock_path, "%s/full.sock", test_dir);
	l = listen_on();
	fill_queue();
	alarm(10);
	t0 = time(NULL);
	assert_int_equal(qmp_open(sock_path, 300, &q, &cause), -1);
	alarm(0);
	assert_true(time(NULL) - t0 <= 2);
	assert_non_null(strstr(cause, "full.sock"));
	assert_non_null(strstr(cause, "busy"));
	free(cause);
	close_queue();
	close(l);
	/* the server greets, then goes away: an error, not a hang */
	pid = serve(answers);
	assert_int_equal(qmp_open(sock_path, 2000, &q, &cause), -1);
	/* it went before or after our command: both are errors */
	if (strcmp(cause, "QMP: reading: Connection reset by peer") != 0 &&
	    strcmp(cause, "QMP: qmp_capabilities: Broken pipe") != 0)
		fail_msg("%s", cause);
	free(cause);
	waitpid(pid, NULL, 0);
}

/*
 * A peer that answers nothing but sends an event every 200 ms: each
 * command still ends at its one deadline, not a deadline per line.
 */
static void
test_chatty_server(void **state)
{
	struct qmp	*q;
	struct timespec	 t0, t1;
	char		*cause = NULL, buf[512];
	pid_t		 pid;
	long		 ms;
	int		 l, c, i;
	FILE		*f;

	(void)state;
	snprintf(sock_path, sizeof sock_path, "%s/chatty.sock", test_dir);
	l = listen_on();
	if ((pid = fork()) == 0) {
		c = accept(l, NULL, NULL);
		f = fdopen(c, "r");
		dprintf(c, "{\"QMP\": {\"version\": {}}}\r\n");
		if (fgets(buf, sizeof buf, f) == NULL)
			_exit(1);
		reply(c, buf, "{\"return\": {}}\r\n");
		for (i = 0; i < 100; i++) {
			dprintf(c, "{\"event\": \"RTC_CHANGE\"}\r\n");
			usleep(200000);
		}
		_exit(0);
	}
	close(l);
	if (qmp_open(sock_path, 1000, &q, &cause) != 0)
		fail_msg("%s", cause);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(qmp_execute(q, "system_powerdown", &cause), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000000;
	assert_string_equal(cause, "QMP: no answer: Connection timed out");
	free(cause);
	if (ms < 900 || ms > 1600)
		fail_msg("the command took %ld ms, not its 1000", ms);
	qmp_close(q);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_hmp),
		cmocka_unit_test(test_any_spacing),
		cmocka_unit_test(test_hostfwd),
		cmocka_unit_test(test_event_wait),
		cmocka_unit_test(test_silent_server),
		cmocka_unit_test(test_chatty_server),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
