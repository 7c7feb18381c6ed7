/*
 * Unit tests of core/jsonsock.c on a socketpair: values one at a time in
 * any spacing, garbage dropped to its line's end or to the stop byte, the
 * stop byte found across reads, the cap on what is held, a send that the
 * peer never reads ending at its deadline, connecting to what is not
 * there.
 */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <jansson.h>

#include "io.h"
#include "jsonsock.h"

static int	sv[2];

static void
pair(struct jsonsock *s, size_t max, int stop)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	jsonsock_init(s, sv[0], max, stop);
}

static void
unpair(struct jsonsock *s)
{
	jsonsock_free(s);
	close(sv[0]);
	if (sv[1] != -1)
		close(sv[1]);
}

static void
peer(const char *text, size_t len)
{
	assert_int_equal(write(sv[1], text, len), (ssize_t)len);
}

/* The next value as compact text (static), or what came instead. */
static const char *
next(struct jsonsock *s, int ms)
{
	static char	 buf[1000];
	json_t		*msg;
	char		*text;
	int		 r;

	r = jsonsock_read(s, io_now_ms() + ms, &msg);
	if (r != 1) {
		snprintf(buf, sizeof buf, r == JSONSOCK_STOP ? "STOP" :
		    r == 0 ? "TIMEOUT" : "ERROR %s", strerror(errno));
		return buf;
	}
	text = json_dumps(msg, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(buf, sizeof buf, "%s", text);
	free(text);
	json_decref(msg);
	return buf;
}

static void
test_values(void **state)
{
	static const char in[] =
	    "{\"b\": 1,\n \"a\"\n:2}{\"c\":3}  \r\n"
	    "not json {\"lost\": 1}\n"
	    "[1,2]\n"
	    "{\"d\":\n";
	struct jsonsock	s;

	(void)state;
	pair(&s, 4096, -1);
	peer(in, sizeof in - 1);
	assert_string_equal(next(&s, 1000), "{\"a\":2,\"b\":1}");
	assert_string_equal(next(&s, 1000), "{\"c\":3}");
	assert_string_equal(next(&s, 1000), "[1,2]");
	/* half a value waits, then ends in time */
	assert_string_equal(next(&s, 200), "TIMEOUT");
	peer("4}", 2);
	assert_string_equal(next(&s, 1000), "{\"d\":4}");
	close(sv[1]);
	sv[1] = -1;
	assert_string_equal(next(&s, 1000), "ERROR Connection reset by peer");
	unpair(&s);
}

/* Garbage goes up to the stop byte, which is kept for jsonsock_skip. */
static void
test_stop(void **state)
{
	static const char in[] = "junk \xff{\"a\":1}\n\xff \xff{\"b\":2}"
	    "{\"c\"\xff{\"d\":4}";
	struct jsonsock	s;

	(void)state;
	pair(&s, 4096, 0xff);
	peer(in, sizeof in - 1);
	assert_string_equal(next(&s, 1000), "STOP");
	assert_string_equal(next(&s, 1000), "STOP");
	assert_int_equal(jsonsock_skip(&s, io_now_ms() + 1000), 1);
	assert_string_equal(next(&s, 1000), "{\"a\":1}");
	assert_string_equal(next(&s, 1000), "STOP");
	assert_int_equal(jsonsock_skip(&s, io_now_ms() + 1000), 1);
	assert_string_equal(next(&s, 1000), "STOP");
	assert_int_equal(jsonsock_skip(&s, io_now_ms() + 1000), 1);
	assert_string_equal(next(&s, 1000), "{\"b\":2}");
	/* half a value cut by the stop byte: dropped up to it */
	assert_string_equal(next(&s, 1000), "STOP");
	assert_int_equal(jsonsock_skip(&s, io_now_ms() + 1000), 1);
	assert_string_equal(next(&s, 1000), "{\"d\":4}");
	/* skip waits for a stop byte in a later read, dropping all else */
	peer("{\"e\":5} lots", 12);
	assert_int_equal(jsonsock_skip(&s, io_now_ms() + 200), 0);
	assert_int_equal(s.inlen, 0);
	peer("more\xff{\"f\":6}", 12);
	assert_int_equal(jsonsock_skip(&s, io_now_ms() + 1000), 1);
	assert_string_equal(next(&s, 1000), "{\"f\":6}");
	unpair(&s);
}

/* No more than max bytes held, whatever comes. */
static void
test_cap(void **state)
{
	struct jsonsock	 s;
	char		 big[20000];

	(void)state;
	pair(&s, 10000, 0xff);
	memset(big, ' ', sizeof big);
	big[0] = '{';
	big[1] = '"';
	peer(big, sizeof big);
	assert_string_equal(next(&s, 1000), "ERROR Message too long");
	assert_true(s.inroom <= 10000);
	unpair(&s);

	/* garbage without a stop byte: skip keeps none of it */
	pair(&s, 10000, 0xff);
	memset(big, 'x', sizeof big);
	peer(big, sizeof big);
	peer(big, sizeof big);
	assert_int_equal(jsonsock_skip(&s, io_now_ms() + 300), 0);
	assert_true(s.inroom <= 10000);
	unpair(&s);
}

/*
 * A peer that keeps a long string open and drips '}' one byte at a time
 * (attack-agent finding 1): the read ends at its deadline, and the bytes
 * are not parsed again and again (each '}' used to parse all that was
 * held).
 */
static void
test_drip(void **state)
{
	struct jsonsock	 s;
	struct rusage	 ru0, ru1;
	static char	 big[200000];
	pid_t		 pid;
	long		 start, cpu;
	int		 i;

	(void)state;
	pair(&s, 256 * 1024, 0xff);
	memcpy(big, "{\"return\": \"", 12);
	memset(big + 12, 'a', sizeof big - 12);
	if ((pid = fork()) == 0) {
		close(sv[0]);
		if (write(sv[1], big, sizeof big) != (ssize_t)sizeof big)
			_exit(1);
		for (i = 0; i < 100000; i++) {
			if (write(sv[1], "}", 1) != 1)
				_exit(0);
			usleep(20);
		}
		_exit(0);
	}
	close(sv[1]);
	sv[1] = -1;
	getrusage(RUSAGE_SELF, &ru0);
	start = io_now_ms();
	assert_string_equal(next(&s, 500), "TIMEOUT");
	getrusage(RUSAGE_SELF, &ru1);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_true(io_now_ms() - start < 1000);
	cpu = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) * 1000L +
	    (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1000;
	assert_true(cpu < 250);
	unpair(&s);
}

/* A peer that never reads: the send ends at its deadline. */
static void
test_send_deadline(void **state)
{
	struct jsonsock	 s;
	char		*big = calloc(1, 8 << 20);
	long		 t0 = io_now_ms();
	json_t		*msg = json_pack("{s:s}", "execute", "guest-ping");
	char		 line[100];

	(void)state;
	pair(&s, 4096, -1);
	assert_int_equal(jsonsock_send_json(sv[0], msg, io_now_ms() + 1000),
	    0);
	assert_int_equal(read(sv[1], line, sizeof line), 25);
	assert_memory_equal(line, "{\"execute\":\"guest-ping\"}\n", 25);
	assert_int_equal(jsonsock_send(sv[0], big, 8 << 20, io_now_ms() +
	    300), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_true(io_now_ms() - t0 < 3000);
	close(sv[1]);
	sv[1] = -1;
	assert_int_equal(jsonsock_send(sv[0], "x", 1, io_now_ms() + 300), -1);
	assert_int_equal(errno, EPIPE);
	json_decref(msg);
	free(big);
	unpair(&s);
}

static void
test_connect(void **state)
{
	char	path[300];
	int	fd;

	(void)state;
	snprintf(path, sizeof path, "%s/none.sock", test_dir);
	assert_int_equal(jsonsock_connect(path, io_now_ms() + 100, &fd), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(fd, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_drip),
		cmocka_unit_test(test_send_deadline),
		cmocka_unit_test(test_connect),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
