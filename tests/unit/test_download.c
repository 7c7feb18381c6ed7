/*
 * Unit tests of core/download.c without a network: what is refused before
 * any transfer (other protocols, a symlinked part), a server that is not
 * there, and the progress text. The transfers themselves are tested
 * against a real HTTP server in tests/osinstall.sh.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "download.h"

static void
test_protocols(void **state)
{
	char	*text = NULL, *cause = NULL;

	(void)state;
	/* a catalog or mirror cannot make vmtui read local files */
	assert_int_not_equal(download_text("file:///etc/passwd", 1 << 20, &text,
	    &cause), 0);
	assert_null(text);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "file:///etc/passwd"));
	free(cause);
	cause = NULL;
	assert_int_not_equal(download_text("gopher://127.0.0.1/x", 1 << 20,
	    &text, &cause), 0);
	free(cause);
}

/* A port on 127.0.0.1 where nothing listens. */
static int
closed_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static void
test_unreachable(void **state)
{
	char	 url[64], part[300], *cause = NULL, *text = NULL;

	(void)state;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", closed_port());
	assert_int_equal(download_text(url, 100, &text, &cause), -1);
	assert_non_null(strstr(cause, "cannot reach the server"));
	free(cause);
	cause = NULL;
	snprintf(part, sizeof part, "%s/x.part", test_dir);
	assert_int_equal(download_file(url, part, "x", NULL, &cause), -1);
	assert_non_null(strstr(cause, "cannot reach the server"));
	free(cause);
	/* the part is there, empty: nothing that looks complete */
	assert_int_equal(access(part, F_OK), 0);
}

static void
test_symlink(void **state)
{
	char	 part[300], target[300], *cause = NULL;

	(void)state;
	snprintf(part, sizeof part, "%s/l.part", test_dir);
	snprintf(target, sizeof target, "%s/elsewhere", test_dir);
	assert_int_equal(symlink(target, part), 0);
	assert_int_equal(download_file("http://127.0.0.1:1/x", part, "x", NULL,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(access(target, F_OK), -1);
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
		cmocka_unit_test(test_symlink),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
