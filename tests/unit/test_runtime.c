/*
 * Unit tests of core/runtime.c: running means a locked pidfile (a pid that
 * merely exists does not count), and stale files are removed only when
 * nothing runs.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "runtime.h"

static int
setup(void **state)
{
	char	path[600];

	if (test_setup_dir(state) != 0)
		return -1;
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	snprintf(path, sizeof path, "%s/vmtui", test_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/vmtui/vm", test_dir);
	mkdir(path, 0700);
	return 0;
}

static void
test_lock(void **state)
{
	struct flock	 fl;
	char		*pidfile, *sock;
	pid_t		 pid;
	int		 fd;

	(void)state;
	pidfile = runtime_file("vm", "qemu.pid");
	sock = runtime_file("vm", "qmp.sock");
	assert_int_equal(runtime_running("vm", &pid), 0);

	/* a pidfile naming a live pid, without the lock: not running */
	fd = open(pidfile, O_RDWR | O_CREAT, 0600);
	dprintf(fd, "%ld\n", (long)getpid());
	close(fd);
	assert_int_equal(runtime_running("vm", &pid), 0);

	/* locked as QEMU locks it: running, with its pid */
	fd = open(pidfile, O_RDWR);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	assert_int_equal(runtime_running("vm", &pid), 1);
	assert_int_equal(pid, getpid());
	test_write_str("vmtui/vm/qmp.sock", "");
	runtime_clean_stale("vm");	/* it runs: nothing removed */
	assert_int_equal(access(pidfile, F_OK), 0);
	assert_int_equal(access(sock, F_OK), 0);

	close(fd);			/* QEMU is gone */
	assert_int_equal(runtime_running("vm", &pid), 0);
	runtime_clean_stale("vm");
	assert_int_equal(access(pidfile, F_OK), -1);
	assert_int_equal(access(sock, F_OK), -1);
	free(pidfile);
	free(sock);
}

/* The state as data, and as the list and --list say it. */
static void
test_state(void **state)
{
	struct runtime_state	 st;
	struct flock		 fl;
	char			*pidfile, *s, want[64];
	int			 fd;

	(void)state;
	assert_int_equal(runtime_state("vm", &st), 0);
	assert_false(st.running);
	assert_string_equal(runtime_state_word(&st), "");
	s = runtime_state_text(&st);
	assert_string_equal(s, "stopped");
	free(s);
	runtime_state_free(&st);

	/* locked, and no QMP socket: running, no answer */
	pidfile = runtime_file("vm", "qemu.pid");
	fd = open(pidfile, O_RDWR | O_CREAT, 0600);
	dprintf(fd, "%ld\n", (long)getpid());
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	assert_int_equal(runtime_state("vm", &st), 0);
	assert_true(st.running);
	assert_int_equal(st.pid, getpid());
	assert_null(st.status);
	assert_string_equal(runtime_state_word(&st), "running");
	s = runtime_state_text(&st);
	snprintf(want, sizeof want, "running (pid %ld, no QMP answer)",
	    (long)getpid());
	assert_string_equal(s, want);
	free(s);
	/* what QMP would say: paused */
	st.status = strdup("paused");
	assert_string_equal(runtime_state_word(&st), "paused");
	s = runtime_state_text(&st);
	snprintf(want, sizeof want, "running (pid %ld, paused)",
	    (long)getpid());
	assert_string_equal(s, want);
	free(s);
	runtime_state_free(&st);
	close(fd);
	unlink(pidfile);
	free(pidfile);
}

/* The display's socket, told with how to reach it; a plain file is none. */
static void
test_display(void **state)
{
	struct sockaddr_un	 sun;
	struct flock		 fl;
	const char		*kind;
	char			*path, *pidfile, *s, want[1200];
	int			 fd, pfd;

	(void)state;
	assert_null(runtime_display("vm"));
	path = runtime_file("vm", "vnc.sock");
	test_write_str("vmtui/vm/vnc.sock", "");	/* not a socket */
	assert_null(runtime_display("vm"));
	unlink(path);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(runtime_display_socket("vm", &kind, &s), 0);
	assert_string_equal(kind, "vnc");
	assert_string_equal(s, path);
	free(s);
	/* a socket of a QEMU that is gone is no display */
	assert_null(runtime_display("vm"));
	pidfile = runtime_file("vm", "qemu.pid");
	pfd = open(pidfile, O_RDWR | O_CREAT, 0600);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(pfd, F_OFD_SETLK, &fl), 0);
	s = runtime_display("vm");
	snprintf(want, sizeof want, "vnc: %s (from another machine: ssh -L "
	    "5901:%s HOST, then a VNC viewer on localhost:5901)", path, path);
	assert_string_equal(s, want);
	free(s);
	close(pfd);
	unlink(pidfile);
	free(pidfile);
	close(fd);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_display),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
