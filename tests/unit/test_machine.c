/*
 * Unit tests of core/machine.c: a start checks the host first (a machine
 * that runs is not started twice) and runs the script in the background;
 * a stop of a machine that is not running says so; a stop presses the
 * power button and ends when QEMU has gone, telling what it did.
 */
#include "testutil.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "machine.h"
#include "paths.h"
#include "fakeqemu.h"

static char		 rundir[600];
static struct profile	*mc;		/* as machine() makes it */

static struct profile	*machine(void);

static int
setup(void **state)
{
	const char	*qemu;

	if (test_setup_dir(state) != 0)
		return -1;
	qemu = test_write_str("qemu", "#!/bin/sh\necho started\nexit 0\n");
	chmod(qemu, 0755);
	mc = machine();
	fake_qemu_dirs(mc, rundir, sizeof rundir);
	return 0;
}

static int
teardown(void **state)
{
	profile_free(mc);
	return test_remove_dir(state);
}

static struct profile *
machine(void)
{
	struct profile	*p = profile_new("mc", test_dir);
	char		 bin[600];

	snprintf(bin, sizeof bin, "%s/qemu", test_dir);
	free(p->qemu_binary);
	p->qemu_binary = strdup(bin);
	p->accel = ACCEL_TCG;
	return p;
}

/*
 * A stand-in QEMU: holds the pidfile's lock, greets on QMP, answers each
 * command, and exits (the lock with it) after the power button; a deaf
 * one only at quit.
 */
static pid_t
fake_qemu(bool deaf)
{
	char		 buf[512];
	const char	*id;
	pid_t		 pid;
	FILE		*f;
	struct pollfd	 pfd;
	int		 l, c, ready;

	if ((pid = fake_qemu_fork(rundir, &ready)) != 0)
		return pid;
	l = fake_qemu_listen(rundir, "qmp.sock");
	fake_qemu_ready(ready);
	/* deaf: the guest ignores the button; QEMU quits at quit, at once */
	while (deaf) {
		c = accept(l, NULL, NULL);
		f = fdopen(c, "r");
		dprintf(c, "{\"QMP\": {\"version\": {}}}\r\n");
		while (fgets(buf, sizeof buf, f) != NULL) {
			id = strstr(buf, "\"id\":");
			dprintf(c, "{\"return\": {}, \"id\": %ld}\r\n", id !=
			    NULL ? strtol(id + 5, NULL, 10) : 0L);
			if (strstr(buf, "\"quit\"") != NULL)
				_exit(0);
		}
		fclose(f);
	}
	c = accept(l, NULL, NULL);
	f = fdopen(c, "r");
	dprintf(c, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n");
	while (fgets(buf, sizeof buf, f) != NULL) {
		/* QEMU echoes each command's id */
		id = strstr(buf, "\"id\":");
		dprintf(c, "{\"return\": {}, \"id\": %ld}\r\n", id != NULL ?
		    strtol(id + 5, NULL, 10) : 0L);
		if (strstr(buf, "system_powerdown") != NULL)
			break;
	}
	/*
	 * the guest takes a moment, and QMP is left to others meanwhile:
	 * the client closes its connection (else 3, the test fails)
	 */
	pfd.fd = c;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) != 1 || fgets(buf, sizeof buf, f) != NULL)
		_exit(3);
	usleep(200000);
	_exit(0);
}

static void
collect(void *arg, const char *line)
{
	char	*said = arg;

	strncat(said, line, 1000 - strlen(said) - 2);
	strcat(said, "\n");
}

static void
test_start(void **state)
{
	struct profile	*p = machine();
	struct plan	*pl;
	struct launch	 l;
	char		*cause = NULL, *note = NULL;
	pid_t		 qemu;
	int		 st;

	(void)state;
	assert_int_equal(plan_build(p, &pl, &cause), 0);
	/* the host is checked first: a machine that runs is not started */
	qemu = fake_qemu(false);
	assert_int_equal(machine_start(p, pl, &l, &note, &cause), -1);
	assert_non_null(strstr(cause, "mc is already running"));
	assert_null(note);
	free(cause);
	cause = NULL;
	assert_int_equal(machine_stop(mc, 5, false, NULL, NULL, &cause), 0);
	waitpid(qemu, &st, 0);
	/* then it starts, in the background */
	assert_int_equal(machine_start(p, pl, &l, &note, &cause), 0);
	assert_true(l.pid > 0);
	waitpid(l.pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	launch_close(&l);
	free(note);
	plan_free(pl);
	profile_free(p);
}

static void
test_stop(void **state)
{
	char	*cause = NULL, said[1000] = "";
	pid_t	 qemu;
	int	 st;

	(void)state;
	assert_int_equal(machine_stop(mc, 5, false, collect, said, &cause),
	    -1);
	assert_string_equal(cause, "mc is not running");
	free(cause);
	cause = NULL;
	qemu = fake_qemu(false);
	assert_int_equal(machine_stop(mc, 5, false, collect, said, &cause),
	    0);
	assert_null(cause);
	assert_string_equal(said, "mc: powering down (up to 5 s)\n");
	waitpid(qemu, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	/* a guest that ignores the button: quit after the timeout, said */
	said[0] = '\0';
	qemu = fake_qemu(true);
	assert_int_equal(machine_stop(mc, 1, false, collect, said, &cause),
	    0);
	assert_string_equal(said, "mc: powering down (up to 1 s)\n"
	    "mc: still running after 1 s; quitting it\n");
	waitpid(qemu, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
