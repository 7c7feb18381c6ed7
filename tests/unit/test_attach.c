/*
 * Unit tests of core/attach.c: the view's bytes come from the console log,
 * from where the boot began or its last ATTACH_REPLAY bytes at a line's
 * start, then as the log grows; keys go out through the console socket,
 * whose output is counted as log bytes due (look again at once until they
 * came), not shown; QEMU closing the socket is seen; one view at a time;
 * a log cut while it is read (logcap.c) is followed, nothing lost.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "attach.h"
#include "logcap.h"
#include "paths.h"
#include "profile.h"

static char		 rundir[600], logpath[600];
static struct profile	*m;

static int
setup(void **state)
{
	struct paths_machine	pm;
	char			path[600];

	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/run", test_dir);
	mkdir(path, 0700);
	setenv("XDG_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/state", test_dir);
	setenv("XDG_STATE_HOME", path, 1);
	/* the machine m, its profile test_dir/m.conf: its folders */
	m = profile_new("m", test_dir);
	snprintf(path, sizeof path, "%s/m.conf", test_dir);
	m->file = strdup(path);
	if (paths_machine(m->name, m->dir, m->file, &pm) != 0)
		return -1;
	snprintf(rundir, sizeof rundir, "%s", pm.runtime);
	snprintf(logpath, sizeof logpath, "%s/console.log", pm.state);
	paths_mkdirs(rundir, 0700);
	paths_mkdirs(pm.state, 0700);
	paths_machine_free(&pm);
	return 0;
}

static int
teardown(void **state)
{
	profile_free(m);
	return test_remove_dir(state);
}

static void
append(const char *s, size_t n)
{
	int	fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT, 0600);

	assert_true(fd != -1);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	close(fd);
}

static void
put_start(long start)
{
	char	path[700];
	FILE	*f;

	snprintf(path, sizeof path, "%s/console.start", rundir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%ld\n", start);
	fclose(f);
}

/* Everything the log has for the view now. */
static size_t
drain(struct attach *a, char *buf, size_t size)
{
	size_t	got = 0;
	ssize_t	n;

	while (got < size - 1 && (n = attach_read(a, buf + got,
	    size - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	return got;
}

static void
test_from_boot_start(void **state)
{
	struct attach	 a, b;
	char		*cause = NULL, buf[256];

	(void)state;
	unlink(logpath);
	append("an earlier boot\n", 16);
	put_start(16);
	append("this boot\n", 10);
	assert_int_equal(attach_open(m, &a, &cause), 0);
	drain(&a, buf, sizeof buf);
	assert_string_equal(buf, "this boot\n");
	/* no socket yet: the log is looked at on a timer */
	assert_int_equal(attach_wait(&a), 50);
	/* the log grows: the new bytes, once */
	append("more", 4);
	drain(&a, buf, sizeof buf);
	assert_string_equal(buf, "more");
	drain(&a, buf, sizeof buf);
	assert_string_equal(buf, "");
	/* one view at a time, and the message says where the other is */
	assert_int_equal(attach_open(m, &b, &cause), -1);
	assert_non_null(strstr(cause, "m is shown in another vmtui (pid"));
	free(cause);
	cause = NULL;
	attach_close(&a);
	assert_int_equal(attach_open(m, &b, &cause), 0);
	attach_close(&b);
}

/*
 * The log cut (its bytes to console.log.1, it truncated) while the view
 * has read part of it: the rest from console.log.1, then the log anew.
 */
static void
test_cut(void **state)
{
	struct attach	 a;
	char		*cause = NULL, buf[256];

	(void)state;
	unlink(logpath);
	put_start(0);
	append("0123456789", 10);
	assert_int_equal(attach_open(m, &a, &cause), 0);
	drain(&a, buf, sizeof buf);
	assert_string_equal(buf, "0123456789");
	append("abcdef", 6);
	assert_int_equal(logcap_trim(logpath, 8, &cause), 1);
	append("XY", 2);
	drain(&a, buf, sizeof buf);
	assert_string_equal(buf, "abcdefXY");
	append("Z", 1);
	drain(&a, buf, sizeof buf);
	assert_string_equal(buf, "Z");
	attach_close(&a);
}

static void
test_replay_limit(void **state)
{
	struct attach	 a;
	char		*cause = NULL, *big, *buf;
	size_t		 i, got;

	(void)state;
	unlink(logpath);
	put_start(0);
	big = malloc(3 * ATTACH_REPLAY);
	buf = malloc(3 * ATTACH_REPLAY);
	assert_non_null(big);
	assert_non_null(buf);
	for (i = 0; i < 3 * ATTACH_REPLAY; i++)
		big[i] = i % 100 == 99 ? '\n' : (char)('a' + i % 26);
	append(big, 3 * ATTACH_REPLAY);
	assert_int_equal(attach_open(m, &a, &cause), 0);
	got = drain(&a, buf, 3 * ATTACH_REPLAY);
	/* at most the last part, from a line's start */
	assert_true(got <= ATTACH_REPLAY);
	assert_true(got > ATTACH_REPLAY - 100);
	assert_memory_equal(buf, big + 3 * ATTACH_REPLAY - got, got);
	assert_int_equal(big[3 * ATTACH_REPLAY - got - 1], '\n');
	attach_close(&a);
	free(big);
	free(buf);
}

static void
test_socket(void **state)
{
	struct sockaddr_un	 sun;
	struct attach		 a;
	char			*cause = NULL, buf[64];
	int			 srv, c;

	(void)state;
	unlink(logpath);
	append("x", 1);
	assert_int_equal(attach_open(m, &a, &cause), 0);
	/* no QEMU listening yet: not connected, keys refused */
	assert_int_equal(a.sock, -1);
	assert_int_equal(attach_send(&a, "k", 1), -1);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	assert_true(strlen(rundir) + sizeof "/console.sock" <=
	    sizeof sun.sun_path);
	memcpy(sun.sun_path, rundir, strlen(rundir));
	memcpy(sun.sun_path + strlen(rundir), "/console.sock",
	    sizeof "/console.sock");
	unlink(sun.sun_path);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(srv, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(listen(srv, 1), 0);
	assert_int_equal(attach_connect(&a), 0);
	c = accept(srv, NULL, NULL);
	assert_true(c != -1);
	assert_int_equal(attach_send(&a, "keys", 4), 0);
	assert_int_equal(read(c, buf, sizeof buf), 4);
	assert_memory_equal(buf, "keys", 4);
	assert_int_equal(attach_wait(&a), 250);
	/*
	 * What QEMU writes to the socket is not shown but counted: the log
	 * is to get as much; until it has, look again at once.
	 */
	assert_int_equal(write(c, "echo", 4), 4);
	usleep(10000);
	attach_events(&a);
	assert_false(a.closed);
	assert_int_equal(a.due, 4);
	assert_int_equal(attach_wait(&a), 1);
	append("ec", 2);
	assert_int_equal(attach_read(&a, buf, sizeof buf), 3);	/* x, ec */
	assert_int_equal(a.due, 1);
	append("ho", 2);
	assert_int_equal(attach_read(&a, buf, sizeof buf), 2);
	assert_int_equal(a.due, 0);
	assert_int_equal(attach_wait(&a), 250);
	/* its close is seen */
	close(c);
	attach_events(&a);
	assert_true(a.closed);
	assert_int_equal(a.sock, -1);
	assert_int_equal(attach_send(&a, "k", 1), -1);
	attach_close(&a);
	close(srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_boot_start),
		cmocka_unit_test(test_replay_limit),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_socket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
