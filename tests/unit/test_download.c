/*
 * Unit tests of core/download.c without a network: what is refused before
 * any transfer (other protocols), a server that is not there, the limits
 * and the progress text; and against a server of the test's own (a child
 * on 127.0.0.1 that answers as it is told): the person asked from the
 * start, before the server answers, a body longer than it may be, a
 * trickle that is stalled and a small file's deadline. The transfers
 * themselves are tested against the test mirror in tests/download.sh and
 * tests/osinstall.sh.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "download.h"
#include "io.h"

static void
test_protocols(void **state)
{
	char	*text = NULL, *cause = NULL;

	(void)state;
	/* a catalog or mirror cannot make vmtui read local files */
	assert_int_not_equal(download_text("file:///etc/passwd", 1 << 20, "x",
	    NULL, &text, &cause), 0);
	assert_null(text);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "file:///etc/passwd"));
	free(cause);
	cause = NULL;
	assert_int_not_equal(download_text("gopher://127.0.0.1/x", 1 << 20,
	    "x", NULL, &text, &cause), 0);
	free(cause);
}

/* A socket bound to a free port of 127.0.0.1, and the port. */
static int
bound(int *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A port on 127.0.0.1 where nothing listens. */
static int
closed_port(void)
{
	int	port;

	close(bound(&port));
	return port;
}

static void
test_unreachable(void **state)
{
	char	 url[64], part[300], *cause = NULL, *text = NULL;
	int	 fd;

	(void)state;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", closed_port());
	assert_int_equal(download_text(url, 100, "x", NULL, &text, &cause),
	    -1);
	assert_non_null(strstr(cause, "cannot reach the server: "));
	/* the system's word for it */
	assert_non_null(strstr(cause, "(Connection refused)"));
	free(cause);
	cause = NULL;
	snprintf(part, sizeof part, "%s/x.part", test_dir);
	fd = open(part, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(download_file(url, fd, 0, "x", NULL, &cause), -1);
	assert_non_null(strstr(cause, "cannot reach the server"));
	free(cause);
	close(fd);
}

/* The limits VMTUI_DOWNLOAD_LIMITS=env (NULL: unset) gives. */
static void
limits(const char *env, long rate, long window, long deadline)
{
	struct download_limits	lim;

	if (env != NULL)
		setenv("VMTUI_DOWNLOAD_LIMITS", env, 1);
	else
		unsetenv("VMTUI_DOWNLOAD_LIMITS");
	download_limits(&lim);
	assert_int_equal(lim.rate, rate);
	assert_int_equal(lim.window, window);
	assert_int_equal(lim.deadline, deadline);
}

static void
test_limits(void **state)
{
	(void)state;
	limits(NULL, 4096, 30, 120);
	limits("100:2:3", 100, 2, 3);
	/* what is not a positive number keeps its default */
	limits("x:-1", 4096, 30, 120);
	limits(":5", 4096, 5, 120);
	limits(NULL, 4096, 30, 120);
}

/*
 * A server for one request on a free port of 127.0.0.1: it reads the
 * request, then sends head (NULL: nothing, for ever), then body_len bytes
 * of 'x', rate a second (0: at once), then stays (20 s at most). Its pid.
 */
static pid_t
server(int *port, const char *head, long rate, long body_len)
{
	char	buf[4096];
	long	i;
	pid_t	pid;
	int	fd = bound(port), c;

	assert_int_equal(listen(fd, 1), 0);
	if ((pid = fork()) != 0) {
		close(fd);
		return pid;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(20);	/* a test that failed before server_end() */
	c = accept(fd, NULL, NULL);
	if (read(c, buf, sizeof buf) <= 0 || head == NULL)
		pause();
	(void)io_write_all(c, head, strlen(head));
	memset(buf, 'x', sizeof buf);
	for (i = 0; i < body_len; i += rate > 0 ? 1 : (long)sizeof buf) {
		if (io_write_all(c, buf, rate > 0 ? 1 : (size_t)(body_len - i <
		    (long)sizeof buf ? body_len - i : (long)sizeof buf)) != 0)
			_exit(0);
		if (rate > 0)
			usleep((useconds_t)(1000000 / rate));
	}
	pause();
	_exit(0);
}

static void
server_end(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

struct asked {
	int	 n;
	int	 cancel;
};

static int
ask(void *arg, const char *what, long long done, long long total,
    double rate)
{
	struct asked	*a = arg;

	(void)rate;
	assert_string_equal(what, "f");
	assert_true(done >= 0);
	assert_true(total >= -1);
	a->n++;
	return a->cancel;
}

/* A server that never answers: the person is asked at once, and heard. */
static void
test_before_headers(void **state)
{
	struct asked			 a = { 0, 1 };
	struct download_progress	 pr = { ask, &a };
	char				 url[64], *text = NULL, *cause = NULL;
	long				 t = io_now_ms();
	pid_t				 pid;
	int				 port;

	(void)state;
	pid = server(&port, NULL, 0, 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/f", port);
	assert_int_equal(download_text(url, 100, "f", &pr, &text, &cause),
	    DOWNLOAD_CANCELLED);
	assert_true(a.n >= 1);
	assert_true(io_now_ms() - t < 1500);
	assert_non_null(strstr(cause, "cancelled"));
	free(cause);
	server_end(pid);
}

#define HEAD(n)	"HTTP/1.1 200 OK\r\nContent-Length: " #n "\r\n\r\n"

/* A body longer than its file can be: stopped, never written past. */
static void
test_too_long(void **state)
{
	char		 url[64], part[300], *text = NULL, *cause = NULL;
	struct stat	 st;
	pid_t		 pid;
	int		 port, fd;

	(void)state;
	/* said so in the headers */
	pid = server(&port, HEAD(5000), 0, 5000);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/f", port);
	assert_int_equal(download_text(url, 100, "f", NULL, &text, &cause),
	    DOWNLOAD_TOO_LONG);
	assert_non_null(strstr(cause, "longer than it can be (more than 100 "
	    "bytes)"));
	free(cause);
	cause = NULL;
	server_end(pid);
	/* not said: a body that goes on, after a part of 10 bytes */
	pid = server(&port, "HTTP/1.1 206 Partial Content\r\nContent-Range: "
	    "bytes 10-4999/5000\r\nConnection: close\r\n\r\n", 0, 5000);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/f", port);
	snprintf(part, sizeof part, "%s/long.part", test_dir);
	fd = open(part, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	assert_int_equal(download_file(url, fd, 1000, "f", NULL, &cause),
	    DOWNLOAD_TOO_LONG);
	assert_non_null(strstr(cause, "what arrived is not kept"));
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(st.st_size <= 1000);
	close(fd);
	free(cause);
	server_end(pid);
}

/* A trickle is stalled by its average; a small file has a deadline. */
static void
test_slow(void **state)
{
	char	 url[64], part[300], *text = NULL, *cause = NULL;
	long	 t;
	pid_t	 pid;
	int	 port, fd;

	(void)state;
	setenv("VMTUI_DOWNLOAD_LIMITS", "1000:1:30", 1);
	pid = server(&port, HEAD(100000), 100, 100000);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/f", port);
	snprintf(part, sizeof part, "%s/slow.part", test_dir);
	fd = open(part, O_RDWR | O_CREAT | O_TRUNC, 0600);
	t = io_now_ms();
	assert_int_equal(download_file(url, fd, 0, "f", NULL, &cause), -1);
	assert_true(io_now_ms() - t < 3000);
	assert_non_null(strstr(cause, "stalled: slower than 1.0 KiB/s over "
	    "1 s"));
	assert_non_null(strstr(cause, "what arrived is kept"));
	close(fd);
	free(cause);
	cause = NULL;
	server_end(pid);
	/* fast enough, but not all here by the deadline */
	setenv("VMTUI_DOWNLOAD_LIMITS", "1:30:1", 1);
	pid = server(&port, HEAD(1000), 200, 1000);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/f", port);
	t = io_now_ms();
	assert_int_equal(download_text(url, 5000, "f", NULL, &text, &cause),
	    -1);
	assert_true(io_now_ms() - t < 3000);
	assert_non_null(strstr(cause, "not all here after 1 s"));
	free(cause);
	server_end(pid);
	unsetenv("VMTUI_DOWNLOAD_LIMITS");
}

static void
test_describe(void **state)
{
	char	buf[128];

	(void)state;
	assert_int_equal(download_describe(buf, sizeof buf, 1048576 * 3,
	    1048576 * 12, 1048576 * 3), 250);
	assert_string_equal(buf, "3.0 of 12.0 MiB, 3.0 MiB/s, 4 s left");
	assert_int_equal(download_describe(buf, sizeof buf, 1048576,
	    -1, 0), -1);
	assert_string_equal(buf, "1.0 MiB");
	assert_int_equal(download_describe(buf, sizeof buf, 10, 10, 5), 1000);
	assert_string_equal(buf, "0.0 of 0.0 MiB, 0.0 MiB/s");
	download_describe(buf, sizeof buf, 0, 1048576L * 600, 1048576);
	assert_string_equal(buf, "0.0 of 600.0 MiB, 1.0 MiB/s, 11 min left");
	/* a short buffer is cut, never overrun */
	download_describe(buf, 8, 0, 1048576L * 600, 1048576);
	assert_int_equal(strlen(buf), 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_before_headers),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_slow),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
