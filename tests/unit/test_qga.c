/*
 * core/agent.c against the real qemu-ga, run on this machine with
 * --method=unix-listen (so the "guest" is this machine, its /proc/net/tcp
 * ours): in step, ping, a file read whole and cut at a cap, an error,
 * the listening ports of listeners this test opens, half a request left
 * by an earlier client, one client at a time. Exits 77 (skipped) when
 * qemu-ga is not installed (tools/setup installs qemu-guest-agent);
 * QEMU_GA names another one.
 */
#include "testutil.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "agent.h"
#include "io.h"
#include "jsonsock.h"
#include "ports.h"

static char	 qga[512], sock[300];
static pid_t	 qga_pid;
static struct agent *held[2];	/* let go after each test, passed or not */

/* qemu-ga: QEMU_GA, or on PATH, or in the sbin folders PATH may lack. */
static bool
find_qga(void)
{
	const char	*env = getenv("QEMU_GA"), *path = getenv("PATH");
	char		 dirs[4096], *dir, *save = NULL;

	if (env != NULL) {
		snprintf(qga, sizeof qga, "%s", env);
		return access(qga, X_OK) == 0;
	}
	snprintf(dirs, sizeof dirs, "%s:/usr/sbin:/sbin:/usr/local/sbin",
	    path != NULL ? path : "/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		snprintf(qga, sizeof qga, "%s/qemu-ga", dir);
		if (access(qga, X_OK) == 0)
			return true;
	}
	return false;
}

/* qemu-ga listening on test_dir/qga.sock. */
static int
start_qga(void **state)
{
	char		pidfile[300], log[300];
	struct stat	st;
	int		i;

	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(sock, sizeof sock, "%s/qga.sock", test_dir);
	snprintf(pidfile, sizeof pidfile, "%s/qga.pid", test_dir);
	snprintf(log, sizeof log, "%s/qga.log", test_dir);
	if ((qga_pid = fork()) == 0) {
		execl(qga, qga, "--method=unix-listen", "--path", sock,
		    "--pidfile", pidfile, "--statedir", test_dir, "--logfile",
		    log, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && stat(sock, &st) != 0; i++)
		usleep(10000);
	return S_ISSOCK(st.st_mode) ? 0 : -1;
}

static int
stop_qga(void **state)
{
	kill(qga_pid, SIGTERM);
	waitpid(qga_pid, NULL, 0);
	return test_remove_dir(state);
}

static int
let_go(void **state)
{
	(void)state;
	agent_close(held[0]);
	agent_close(held[1]);
	held[0] = held[1] = NULL;
	return 0;
}

/* A client in step, in held[i] (a failed test leaves no client behind). */
static struct agent *
open_agent(int i)
{
	char	*cause = NULL;

	agent_close(held[i]);
	held[i] = NULL;
	if (agent_open(sock, 5000, &held[i], &cause) != 0)
		fail_msg("%s", cause);
	return held[i];
}

static void
test_ping(void **state)
{
	struct agent	*a = open_agent(0);
	char		*cause = NULL;

	(void)state;
	assert_true(agent_synced(a));
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	if (agent_sync(a, &cause) != 0)
		fail_msg("%s", cause);
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
}

/* A file in chunks, whole; cut at a cap; an error as the agent says it. */
static void
test_files(void **state)
{
	struct agent	*a = open_agent(0);
	char		*text, *data = NULL, *cause = NULL, path[300];
	size_t		 n = 3 * AGENT_READ_CHUNK + 1001, len, i;
	bool		 cut;

	(void)state;
	text = malloc(n);
	for (i = 0; i < n; i++)
		text[i] = (char)(i * 13 + i / 256 + 1);
	snprintf(path, sizeof path, "%s/file", test_dir);
	(void)test_write("file", text, n);
	if (agent_read_file(a, path, 1 << 20, &data, &len, &cut, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(len, n);
	assert_false(cut);
	assert_memory_equal(data, text, n);
	free(data);
	if (agent_read_file(a, path, 100000, &data, &len, &cut, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(len, 100000);
	assert_true(cut);
	assert_memory_equal(data, text, 100000);
	free(data);
	assert_int_equal(agent_read_file(a, path, 100000, &data, &len, NULL,
	    &cause), -1);
	assert_non_null(strstr(cause, "more than 100000 bytes"));
	free(cause);
	snprintf(path, sizeof path, "%s/missing", test_dir);
	assert_int_equal(agent_read_file(a, path, 100, &data, &len, NULL,
	    &cause), -1);
	assert_non_null(strstr(cause, "guest-file-open"));
	assert_non_null(strstr(cause, "No such file or directory"));
	free(cause);
	/* still in step after the errors */
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	free(text);
}

/* A listening socket on addr (AF_INET or AF_INET6), its port, or -1. */
static int
listener(int family, const void *addr, int *port)
{
	struct sockaddr_in6	sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in	sin = { .sin_family = AF_INET };
	socklen_t		len;
	int			fd = socket(family, SOCK_STREAM, 0), one = 1;

	if (fd == -1)
		return -1;
	if (family == AF_INET6) {
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof one);
		memcpy(&sin6.sin6_addr, addr, sizeof sin6.sin6_addr);
		len = sizeof sin6;
		if (bind(fd, (struct sockaddr *)&sin6, len) != 0 ||
		    listen(fd, 1) != 0 || getsockname(fd,
		    (struct sockaddr *)&sin6, &len) != 0) {
			close(fd);
			return -1;
		}
		*port = ntohs(sin6.sin6_port);
		return fd;
	}
	memcpy(&sin.sin_addr, addr, sizeof sin.sin_addr);
	len = sizeof sin;
	if (bind(fd, (struct sockaddr *)&sin, len) != 0 ||
	    listen(fd, 1) != 0 || getsockname(fd, (struct sockaddr *)&sin,
	    &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/*
 * The ports this machine listens on, through the agent: a listener on
 * every address is there, one on loopback only (v4, v6) is not.
 */
static void
test_listening(void **state)
{
	struct agent	*a = open_agent(0);
	struct in_addr	 any = { htonl(INADDR_ANY) };
	struct in_addr	 lo = { htonl(INADDR_LOOPBACK) };
	struct ports	 s;
	char		*data = NULL, *cause = NULL;
	size_t		 len;
	bool		 cut;
	int		 fd_any, fd_lo, fd_lo6 = -1, p_any, p_lo, p_lo6 = 0;

	(void)state;
	fd_any = listener(AF_INET, &any, &p_any);
	fd_lo = listener(AF_INET, &lo, &p_lo);
	assert_true(fd_any != -1 && fd_lo != -1);
	fd_lo6 = listener(AF_INET6, &in6addr_loopback, &p_lo6);
	ports_clear(&s);
	if (agent_read_file(a, "/proc/net/tcp", 4 << 20, &data, &len, &cut,
	    &cause) != 0)
		fail_msg("%s", cause);
	assert_true(ports_parse(&s, data, len) >= 2);
	free(data);
	if (agent_read_file(a, "/proc/net/tcp6", 4 << 20, &data, &len, &cut,
	    &cause) == 0) {
		(void)ports_parse(&s, data, len);
		free(data);
	} else
		free(cause);	/* a machine without IPv6 */
	assert_true(ports_has(&s, p_any));
	if (ports_has(&s, p_lo) || (fd_lo6 != -1 && ports_has(&s, p_lo6)))
		fail_msg("a loopback listener (%d, %d) counted", p_lo, p_lo6);
	close(fd_any);
	close(fd_lo);
	if (fd_lo6 != -1)
		close(fd_lo6);
}

/*
 * An earlier client left half a request and went: the next one gets in
 * step all the same (its 0xFF resets the agent's parser).
 */
static void
test_half_request(void **state)
{
	struct agent	*a;
	char		*cause = NULL;
	int		 fd;

	(void)state;
	assert_int_equal(jsonsock_connect(sock, io_now_ms() + 5000, &fd), 0);
	assert_int_equal(jsonsock_send(fd, "{\"execute\":\"guest-pi", 20,
	    io_now_ms() + 5000), 0);
	usleep(100000);
	close(fd);
	a = open_agent(0);
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
}

/*
 * One client at a time: a second one connects (it waits in the queue)
 * but has no answer until the first has gone.
 */
static void
test_one_client(void **state)
{
	struct agent	*a = open_agent(0), *b = NULL;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(agent_open(sock, 700, &held[1], &cause), -1);
	assert_non_null(strstr(cause, "no answer"));
	free(cause);
	if (agent_ping(a, &cause) != 0)
		fail_msg("%s", cause);
	let_go(NULL);
	b = open_agent(1);
	if (agent_ping(b, &cause) != 0)
		fail_msg("%s", cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ping, let_go),
		cmocka_unit_test_teardown(test_files, let_go),
		cmocka_unit_test_teardown(test_listening, let_go),
		cmocka_unit_test_teardown(test_half_request, let_go),
		cmocka_unit_test_teardown(test_one_client, let_go),
	};

	if (!find_qga()) {
		printf("test_qga: qemu-ga is not installed (the "
		    "qemu-guest-agent package): skipped\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, start_qga, stop_qga);
}
