/*
 * Unit tests of core/ready.c: sshd's start read from a guest's console,
 * as Debian's systemd prints it (colours, a status line written over), a
 * marker only when whole on its line, in bounded memory; and the console
 * log of a machine followed from where its boot began.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "paths.h"
#include "profile.h"
#include "ready.h"

/*
 * Debian 12's systemd on a serial console, colours and all, and the two
 * carriage returns it ends a line with there.
 */
#define OK_SSH	"[\033[0;32m  OK  \033[0m] Started \033[0;1;39mssh.service" \
		"\033[0m - OpenBSD Secure Shell server.\r\r\n"

static bool
feed_all(const char *text)
{
	struct ready_scan	s;

	ready_scan_init(&s);
	return ready_scan_feed(&s, text, strlen(text));
}

static void
test_markers(void **state)
{
	(void)state;
	assert_true(feed_all("[    1.0] random: crng init done\r\n" OK_SSH));
	assert_true(feed_all("[  OK  ] Started sshd.service - OpenSSH server "
	    "daemon.\n"));
	assert_true(feed_all("[  OK  ] Listening on ssh.socket - OpenBSD "
	    "Secure Shell server socket.\n"));
	assert_true(feed_all("[  OK  ] Started OpenBSD Secure Shell server.\n"));
	assert_true(feed_all(" * Starting sshd ... [ ok ]\n"));
	/* a status line written over by the one that counts */
	assert_true(feed_all("[  ***] A start job is running for ssh\r"
	    OK_SSH));
	/* not whole: no newline yet */
	assert_false(feed_all("[  OK  ] Started ssh.service - OpenBSD Secure "
	    "Shell server."));
	/* not at the start of its line: quoted, or a kernel message */
	assert_false(feed_all("echo [  OK  ] Started ssh.service\n"));
	assert_false(feed_all("[   12.3] [  OK  ] Started ssh.service\n"));
	/* another service, a failure, a line written over after it */
	assert_false(feed_all("[  OK  ] Started ssh-keygen.service\n"));
	assert_false(feed_all("[FAILED] Failed to start ssh.service\n"));
	assert_false(feed_all("[  OK  ] Started ssh.service\rlogin: \n"));
	assert_false(feed_all(" * Starting sshd ... [ !! ]\n"));
}

/* A marker cut anywhere across reads is found once its line is whole. */
static void
test_split(void **state)
{
	struct ready_scan	s;
	const char		*text = "boot\n" OK_SSH "more\n";
	size_t			 len = strlen(text), cut, whole;

	(void)state;
	whole = strlen("boot\n" OK_SSH);
	for (cut = 0; cut <= len; cut++) {
		ready_scan_init(&s);
		ready_scan_feed(&s, text, cut);
		assert_int_equal(s.found, cut >= whole);
		ready_scan_feed(&s, text + cut, len - cut);
		assert_true(s.found);
	}
}

/*
 * A line longer than the most is skipped whole: its end is never read
 * as a line of its own, whatever it holds; the next line counts again.
 */
static void
test_overlong(void **state)
{
	struct ready_scan	 s;
	char			*junk;
	size_t			 n = READY_LINE_MAX * 3;

	(void)state;
	junk = malloc(n);
	assert_non_null(junk);
	memset(junk, 'x', n);
	ready_scan_init(&s);
	ready_scan_feed(&s, junk, n - 40);
	ready_scan_feed(&s, "[  OK  ] Started ssh.service\n", 29);
	assert_false(s.found);
	assert_true(s.len <= READY_LINE_MAX);
	ready_scan_feed(&s, OK_SSH, strlen(OK_SSH));
	assert_true(s.found);
	free(junk);
}

/* The log followed from this boot's start: an earlier boot's says nothing. */
static void
test_log(void **state)
{
	struct paths_machine	 pm;
	struct profile		*m = profile_new("m", test_dir);
	struct ready		 r;
	char			 path[512], *cause = NULL, *state_dir, *run;
	const char		*old = "earlier boot\n" OK_SSH;
	int			 fd;

	(void)state;
	setenv("XDG_STATE_HOME", test_dir, 1);
	snprintf(path, sizeof path, "%s/run", test_dir);
	mkdir(path, 0700);
	setenv("XDG_RUNTIME_DIR", path, 1);
	assert_int_equal(ready_open(m, &r, &cause), -1);
	assert_non_null(strstr(cause, "console.log"));
	free(cause);
	assert_int_equal(paths_machine(m->name, m->dir, m->file, &pm), 0);
	state_dir = pm.state;
	run = pm.runtime;
	assert_int_equal(paths_mkdirs(state_dir, 0700), 0);
	assert_int_equal(paths_mkdirs(run, 0700), 0);
	snprintf(path, sizeof path, "%s/console.log", state_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, old, strlen(old)), (ssize_t)strlen(old));
	snprintf(path, sizeof path, "%s/console.start", run);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fprintf(f, "%zu\n", strlen(old));
		fclose(f);
	}
	assert_int_equal(ready_open(m, &r, &cause), 0);
	assert_int_equal(ready_poll(&r), 0);
	assert_int_equal(write(fd, "[  OK  ] Started ssh", 20), 20);
	assert_int_equal(ready_poll(&r), 0);
	assert_int_equal(write(fd, ".service\r\n", 10), 10);
	assert_int_equal(ready_poll(&r), 1);
	assert_int_equal(ready_poll(&r), 1);
	ready_close(&r);
	close(fd);
	paths_machine_free(&pm);
	profile_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_log),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
