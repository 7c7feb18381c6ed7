/*
 * Unit tests of core/io.c: a whole buffer through a pipe that takes it in
 * pieces (short writes), an error when the reader is gone, a clock
 * that goes forward, and a whole file read only when it is a plain file.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "io.h"

static void
test_write_all(void **state)
{
	static char	 out[1 << 20], in[1 << 20];
	size_t		 got = 0, i;
	ssize_t		 n;
	pid_t		 pid;
	int		 p[2], st;

	(void)state;
	for (i = 0; i < sizeof out; i++)
		out[i] = (char)(i * 7);
	assert_int_equal(pipe(p), 0);
	/* a megabyte through a 64 KiB pipe: short writes, all of it */
	if ((pid = fork()) == 0) {
		close(p[0]);
		_exit(io_write_all(p[1], out, sizeof out) == 0 ? 0 : 1);
	}
	close(p[1]);
	while ((n = read(p[0], in + got, sizeof in - got)) > 0)
		got += (size_t)n;
	close(p[0]);
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(got, sizeof out);
	assert_memory_equal(in, out, sizeof out);

	/* nobody reading: an error (EPIPE), not a hang */
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(io_write_all(p[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	close(p[1]);
}

static void
test_clock(void **state)
{
	long	a, b;

	(void)state;
	a = io_now_ms();
	usleep(20000);
	b = io_now_ms();
	assert_true(b - a >= 19);
	assert_true(b - a < 5000);
}

/*
 * A FIFO (or a device, or a folder) given where a file is read is refused
 * at once, saying what it is: opening a FIFO for reading waits for a
 * writer that never comes. The alarm fails the test instead of a hang.
 */
static void
test_read_special(void **state)
{
	char	 path[400], *text = NULL, *cause = NULL;

	(void)state;
	snprintf(path, sizeof path, "%s/fifo", test_dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(5);
	assert_int_equal(io_read_file(path, 1024, &text, &cause), -1);
	alarm(0);
	assert_null(text);
	assert_non_null(cause);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "not a plain file (a FIFO)"));
	free(cause);
	cause = NULL;
	assert_int_equal(io_read_file(test_dir, 1024, &text, &cause), -1);
	assert_non_null(strstr(cause, "not a plain file (a folder)"));
	free(cause);
	cause = NULL;
	assert_int_equal(io_read_file("/dev/zero", 1024, &text, &cause), -1);
	assert_non_null(strstr(cause, "not a plain file (a device)"));
	free(cause);
	cause = NULL;
	/* a plain file still reads */
	snprintf(path, sizeof path, "%s/plain", test_dir);
	assert_string_equal(test_write_str("plain", "abc\n"), path);
	assert_int_equal(io_read_file(path, 1024, &text, &cause), 0);
	assert_string_equal(text, "abc\n");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_all),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_read_special),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
