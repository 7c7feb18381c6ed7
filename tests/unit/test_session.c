/*
 * Unit tests of core/session.c against a stand-in QEMU (it holds the
 * pidfile's lock and serves QMP on both sockets, as QEMU does, one client
 * each at a time): the escape commands' table; a machine's end; the stop
 * policy (the power button, quit at the deadline, SIGKILL after a quit
 * QEMU does not follow, a QEMU spared); an attached session (the log from
 * where the boot began, QMP's state and events, its end).
 */
#include "testutil.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "io.h"
#include "paths.h"
#include "session.h"
#include "fakeqemu.h"

static char		 rundir[600], statedir[600];
static struct profile	*vm;

/* What the stand-in does with the power button and quit. */
#define FAKE_DEAF	0x1	/* ignores the power button */
#define FAKE_STUCK	0x2	/* ignores quit as well */

static int
setup(void **state)
{
	struct paths_machine	pm;

	if (test_setup_dir(state) != 0)
		return -1;
	vm = profile_new("vm", test_dir);
	fake_qemu_dirs(vm, rundir, sizeof rundir);
	assert_int_equal(paths_machine(vm->name, vm->dir, vm->file, &pm), 0);
	snprintf(statedir, sizeof statedir, "%s", pm.state);
	paths_machine_free(&pm);
	paths_mkdirs(statedir, 0700);
	return 0;
}

static int
teardown(void **state)
{
	profile_free(vm);
	return test_remove_dir(state);
}

/* One command of a client: the reply, and what it does. */
static void
fake_command(int c, const char *buf, int how, char *status, int view)
{
	const char	*id = strstr(buf, "\"id\":");
	long		 n = id != NULL ? strtol(id + 5, NULL, 10) : 0;

	if (strstr(buf, "query-status") != NULL) {
		dprintf(c, "{\"return\": {\"status\": \"%s\", \"running\": "
		    "true}, \"id\": %ld}\r\n", status, n);
		return;
	}
	dprintf(c, "{\"return\": {}, \"id\": %ld}\r\n", n);
	if (strstr(buf, "\"stop\"") != NULL) {
		strcpy(status, "paused");
		dprintf(view, "{\"event\": \"STOP\", \"timestamp\": "
		    "{}}\r\n");
	} else if (strstr(buf, "\"cont\"") != NULL) {
		strcpy(status, "running");
		dprintf(view, "{\"timestamp\": {}, \"event\": "
		    "\"RESUME\"}\r\n");
	} else if (strstr(buf, "system_powerdown") != NULL && !(how &
	    FAKE_DEAF)) {
		dprintf(view, "{\"event\": \"SHUTDOWN\"}\r\n");
		usleep(100000);
		_exit(0);
	} else if (strstr(buf, "\"quit\"") != NULL && !(how & FAKE_STUCK))
		_exit(0);
}

/*
 * A stand-in QEMU: holds the pidfile's lock, serves QMP on qmp.sock and
 * qmp-view.sock (a client each; the view's gets the events), and
 * answers as how says.
 */
static pid_t
fake_qemu(int how)
{
	struct pollfd	 pfd[4];
	char		 buf[512], status[32] = "running";
	pid_t		 pid;
	ssize_t		 n;
	int		 ready, i, view;

	if ((pid = fake_qemu_fork(rundir, &ready)) != 0)
		return pid;
	pfd[0].fd = fake_qemu_listen(rundir, "qmp.sock");
	pfd[1].fd = fake_qemu_listen(rundir, "qmp-view.sock");
	pfd[2].fd = pfd[3].fd = -1;
	for (i = 0; i < 4; i++)
		pfd[i].events = POLLIN;
	fake_qemu_ready(ready);
	for (;;) {
		/* a client a socket, as QEMU: the next waits in the queue */
		for (i = 0; i < 2; i++)
			pfd[i].events = pfd[i + 2].fd == -1 ? POLLIN : 0;
		if (poll(pfd, 4, -1) < 0)
			_exit(1);
		for (i = 0; i < 2; i++)
			if ((pfd[i].revents & POLLIN) && pfd[i + 2].fd == -1) {
				pfd[i + 2].fd = accept(pfd[i].fd, NULL, NULL);
				dprintf(pfd[i + 2].fd, "{\"QMP\": {\"version\": "
				    "{}, \"capabilities\": []}}\r\n");
			}
		for (i = 2; i < 4; i++) {
			if (pfd[i].fd == -1 || !(pfd[i].revents &
			    (POLLIN | POLLHUP)))
				continue;
			if ((n = read(pfd[i].fd, buf, sizeof buf - 1)) <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				continue;
			}
			buf[n] = '\0';
			view = pfd[3].fd != -1 ? pfd[3].fd : open("/dev/null",
			    O_WRONLY);
			fake_command(pfd[i].fd, buf, how, status, view);
			if (view != pfd[3].fd)
				close(view);
		}
	}
}

/* The stand-in's end: its status, once it has gone. */
static int
reaped(pid_t pid)
{
	int	st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

/*
 * The table: every command has its words; one that --no-tui does not
 * obey says why; a key means one command in each front end.
 */
static void
test_keys(void **state)
{
	const struct session_key	*k, *j;

	(void)state;
	for (k = session_keys; k->name != NULL; k++) {
		assert_true(k->key > 32 && k->key < 127);
		assert_non_null(k->word);
		assert_non_null(k->help);
		assert_true(k->where & SESSION_VIEW);
		if (!(k->where & SESSION_TTY))
			assert_non_null(k->view_only);
		for (j = k + 1; j->name != NULL; j++)
			assert_true(j->key != k->key && j->cmd != k->cmd);
	}
	assert_int_equal(session_key_find('p', SESSION_TTY)->cmd,
	    SESSION_POWER);
	assert_null(session_key_find('[', SESSION_TTY));
	assert_int_equal(session_key_find('[', SESSION_VIEW)->cmd,
	    SESSION_SCROLL);
	assert_null(session_key_find('x', SESSION_VIEW));
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
	for (i = 0; i < 200 && session_ended(nobody, &child, false,
	    &status) == 0; i++)
		usleep(10000);
	assert_int_equal(status, 3);
	assert_int_equal(child, 0);
	/* someone else's machine: only a look tells, and no lock is an end */
	status = 99;
	assert_int_equal(session_ended(nobody, &child, false, &status), 0);
	assert_int_equal(status, 99);
	assert_int_equal(session_ended(nobody, &child, true, &status), 1);
	assert_int_equal(status, -1);
	/* a child killed: 128 + the signal */
	if ((child = fork()) == 0) {
		pause();
		_exit(0);
	}
	assert_int_equal(session_ended(nobody, &child, true, &status), 0);
	kill(child, SIGKILL);
	for (i = 0; i < 200 && session_ended(nobody, &child, true,
	    &status) == 0; i++)
		usleep(10000);
	assert_int_equal(status, 128 + SIGKILL);
	profile_free(nobody);
}

/* Run the policy until it has nothing left to do (or 10 s). */
static void
drive(struct session_stop *st)
{
	long	until = io_now_ms() + 10000;

	while (session_wait(st) >= 0 && io_now_ms() < until) {
		usleep(20000);
		(void)session_tick(st, vm);
	}
}

/*
 * The policy: a guest that powers off ends at the button; one that
 * ignores it is quit at the deadline; a QEMU that ignores quit too is
 * killed after SESSION_KILL_MS, unless spared; one that cannot be asked
 * (stopped) is killed at once when forced.
 */
static void
test_policy(void **state)
{
	struct session_stop	 st;
	char			*cause = NULL;
	pid_t			 qemu;
	long			 t;

	(void)state;
	/* nothing runs: the power button cannot be pressed */
	memset(&st, 0, sizeof st);
	assert_int_equal(session_power(&st, vm, &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(st.phase, SESSION_UP);
	assert_int_equal(session_wait(&st), -1);

	qemu = fake_qemu(0);
	assert_int_equal(session_power(&st, vm, &cause), 0);
	assert_int_equal(st.phase, SESSION_POWERING);
	assert_true(session_wait(&st) > (SESSION_POWERDOWN_S - 1) * 1000L);
	assert_int_equal(reaped(qemu), 0);

	/* the guest ignores the button: quit at the (short) deadline */
	memset(&st, 0, sizeof st);
	st.powerdown_ms = 300;
	qemu = fake_qemu(FAKE_DEAF);
	t = io_now_ms();
	assert_int_equal(session_power(&st, vm, &cause), 0);
	assert_int_equal(session_tick(&st, vm), 0);	/* not yet */
	while (session_tick(&st, vm) == 0)
		usleep(10000);
	assert_true(io_now_ms() - t >= 300);
	assert_true(st.timed_out);
	assert_false(st.forced);
	assert_int_equal(st.phase, SESSION_QUITTING);
	assert_int_equal(reaped(qemu), 0);

	/* ... and quit too: killed SESSION_KILL_MS later */
	memset(&st, 0, sizeof st);
	st.powerdown_ms = 100;
	qemu = fake_qemu(FAKE_DEAF | FAKE_STUCK);
	assert_int_equal(session_power(&st, vm, &cause), 0);
	t = io_now_ms();
	drive(&st);
	assert_int_equal(st.phase, SESSION_KILLED);
	assert_true(io_now_ms() - t >= SESSION_KILL_MS);
	assert_int_equal(reaped(qemu), 128 + SIGKILL);

	/* spared (--stop without --force): left running, said as stuck */
	memset(&st, 0, sizeof st);
	st.powerdown_ms = 100;
	st.spare = true;
	qemu = fake_qemu(FAKE_DEAF | FAKE_STUCK);
	assert_int_equal(session_power(&st, vm, &cause), 0);
	drive(&st);
	assert_int_equal(st.phase, SESSION_STUCK);
	assert_int_equal(kill(qemu, 0), 0);
	kill(qemu, SIGKILL);
	assert_int_equal(reaped(qemu), 128 + SIGKILL);

	/* forced, QEMU stopped: it cannot answer, it is killed at once */
	memset(&st, 0, sizeof st);
	qemu = fake_qemu(0);
	kill(qemu, SIGSTOP);
	assert_int_equal(session_force(&st, vm, &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(st.phase, SESSION_KILLED);
	assert_true(st.forced);
	assert_int_equal(reaped(qemu), 128 + SIGKILL);
}

/* Steps of the session until one says what wanted does (or 5 s). */
static unsigned
step_until(struct session *s, unsigned wanted)
{
	struct pollfd	pfd[2];
	unsigned	ev = 0;
	long		until = io_now_ms() + 5000;

	while (!(ev & wanted) && io_now_ms() < until) {
		session_fds(s, pfd);
		(void)poll(pfd, 2, session_timeout(s));
		ev |= session_step(s);
	}
	return ev;
}

/*
 * An attached session: the log from where this boot began, QMP's state
 * and events, a pause and a resume, the power button, the end.
 */
static void
test_attached(void **state)
{
	struct session	 s;
	char		 path[700], buf[256], *cause = NULL, *out = NULL;
	pid_t		 qemu;
	ssize_t		 n;
	size_t		 got = 0;

	(void)state;
	assert_int_equal(session_open(&s, vm, 0, &cause), -1);
	assert_string_equal(cause, "vm is not running");
	free(cause);
	cause = NULL;
	snprintf(path, sizeof path, "%s/console.log", statedir);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs("an old boot\nqemu-system-x86_64: -device x: no such "
		    "device\nthis boot\r\n", f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/console.start", rundir);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs("12\n", f);
		fclose(f);
	}
	qemu = fake_qemu(0);
	assert_int_equal(session_open(&s, vm, 0, &cause), 0);
	assert_true(s.running);
	assert_string_equal(s.state, "starting");
	while ((n = session_read(&s, buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	assert_string_equal(buf, "qemu-system-x86_64: -device x: no such "
	    "device\nthis boot\r\n");
	assert_string_equal(s.lastline, "qemu-system-x86_64: -device x: no "
	    "such device");
	/* QMP answers: the state is QEMU's */
	assert_true(step_until(&s, SESSION_EV_STATE) & SESSION_EV_STATE);
	assert_string_equal(s.state, "running");
	assert_int_equal(s.ready, SESSION_ANSWERS);
	assert_int_equal(session_pause(&s, &cause), 0);
	assert_string_equal(s.state, "paused");
	assert_int_equal(session_pause(&s, &cause), 0);
	assert_string_equal(s.state, "running");
	assert_int_equal(session_monitor(&s, "info status", &out, &cause), 0);
	free(out);
	/* the power button: QEMU's SHUTDOWN, then it has gone */
	assert_int_equal(session_power_button(&s, &cause), 0);
	assert_string_equal(s.state, "shutting down");
	assert_true(step_until(&s, SESSION_EV_ENDED) & SESSION_EV_ENDED);
	assert_false(s.running);
	assert_true(s.shutdown_seen);
	assert_int_equal(s.status, -1);
	out = session_how(&s, NULL);
	assert_string_equal(out, "the guest powered off");
	free(out);
	session_close(&s);
	assert_int_equal(reaped(qemu), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_ended),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_attached),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
