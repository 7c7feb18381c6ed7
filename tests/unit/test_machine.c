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

static char		 rundir[600];
static struct profile	*mc;		/* as machine() makes it */

static struct profile	*machine(void);

static int
setup(void **state)
{
	struct paths_machine	 pm;
	char			 path[600];
	const char		*qemu;

	if (test_setup_dir(state) != 0)
		return -1;
	qemu = test_write_str("qemu", "#!/bin/sh\necho started\nexit 0\n");
	chmod(qemu, 0755);
	snprintf(path, sizeof path, "%s/run", test_dir);
	mkdir(path, 0700);
	setenv("XDG_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/state", test_dir);
	setenv("XDG_STATE_HOME", path, 1);
	setenv("XDG_DATA_HOME", test_dir, 1);
	/* mc's folders, as its identity has them */
	mc = machine();
	if (paths_machine(mc->name, mc->dir, mc->file, &pm) != 0)
		return -1;
	snprintf(rundir, sizeof rundir, "%s", pm.runtime);
	paths_machine_free(&pm);
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
 * command, and exits (the lock with it) after the power button.
 */
static pid_t
fake_qemu(void)
{
	struct sockaddr_un	 sun;
	struct flock		 fl;
	char			 path[700], buf[512];
	const char		*id;
	pid_t			 pid;
	FILE			*f;
	struct pollfd		 pfd;
	int			 l, c, fd, ready[2];

	paths_mkdirs(rundir, 0700);
	assert_int_equal(pipe(ready), 0);
	if ((pid = fork()) != 0) {
		close(ready[1]);
		assert_int_equal(read(ready[0], buf, 1), 1);
		close(ready[0]);
		return pid;
	}
	snprintf(path, sizeof path, "%s/qemu.pid", rundir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	if (fd == -1 || fcntl(fd, F_OFD_SETLK, &fl) != 0)
		_exit(1);
	dprintf(fd, "%ld\n", (long)getpid());
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(rundir) + sizeof "/qmp.sock" > sizeof sun.sun_path)
		_exit(1);
	memcpy(sun.sun_path, rundir, strlen(rundir));
	memcpy(sun.sun_path + strlen(rundir), "/qmp.sock", sizeof "/qmp.sock");
	unlink(sun.sun_path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(l, 1) != 0)
		_exit(1);
	if (write(ready[1], "r", 1) != 1)
		_exit(1);
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
	qemu = fake_qemu();
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
	qemu = fake_qemu();
	assert_int_equal(machine_stop(mc, 5, false, collect, said, &cause),
	    0);
	assert_null(cause);
	assert_string_equal(said, "mc: powering down (up to 5 s)\n");
	waitpid(qemu, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* The end of a machine: our child reaped with its status, or no lock. */
static void
test_ended(void **state)
{
	struct profile	*nobody = profile_new("nobody", test_dir);
	pid_t		 child;
	int		 status = 99, i;

	(void)state;
	if ((child = fork()) == 0)
		_exit(3);
	assert_true(child > 0);
	for (i = 0; i < 200 && machine_ended(nobody, &child, false,
	    &status) == 0; i++)
		usleep(10000);
	assert_int_equal(status, 3);
	assert_int_equal(child, 0);
	/* someone else's machine: only a look tells, and no lock is an end */
	status = 99;
	assert_int_equal(machine_ended(nobody, &child, false, &status), 0);
	assert_int_equal(status, 99);
	assert_int_equal(machine_ended(nobody, &child, true, &status), 1);
	assert_int_equal(status, -1);
	/* a child killed: 128 + the signal */
	if ((child = fork()) == 0) {
		pause();
		_exit(0);
	}
	assert_int_equal(machine_ended(nobody, &child, true, &status), 0);
	kill(child, SIGKILL);
	for (i = 0; i < 200 && machine_ended(nobody, &child, true,
	    &status) == 0; i++)
		usleep(10000);
	assert_int_equal(status, 128 + SIGKILL);
	profile_free(nobody);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_ended),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
