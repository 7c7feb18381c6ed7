/*
 * Unit tests of core/runtime.c: running means a locked pidfile (a pid that
 * merely exists does not count), and stale files are removed only when
 * nothing runs; a machine is found in its identity's folder, or in the one
 * an earlier vmtui started it in, and every running one is found whatever
 * its profile.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "paths.h"
#include "profile.h"
#include "runtime.h"

/* The machine of the tests: test_dir/vm.conf, named vm. */
static struct profile	*vm;

static int
setup(void **state)
{
	struct paths_machine	m;
	char			path[600];

	if (test_setup_dir(state) != 0)
		return -1;
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	snprintf(path, sizeof path, "%s/cfg", test_dir);
	setenv("XDG_CONFIG_HOME", path, 1);
	vm = profile_new("vm", test_dir);
	snprintf(path, sizeof path, "%s/vm.conf", test_dir);
	vm->file = strdup(path);
	if (paths_machine(vm->name, vm->dir, vm->file, &m) != 0)
		return -1;
	paths_mkdirs(m.runtime, 0700);
	paths_machine_free(&m);
	return 0;
}

static int
teardown(void **state)
{
	profile_free(vm);
	return test_remove_dir(state);
}

/* Lock the pidfile in dir as QEMU does (it says pid); the fd holds it. */
static int
hold(const char *dir, pid_t pid)
{
	struct flock	 fl;
	char		 path[700];
	int		 fd;

	snprintf(path, sizeof path, "%s/qemu.pid", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	dprintf(fd, "%ld\n", (long)pid);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	return fd;
}

static void
test_lock(void **state)
{
	struct flock	 fl;
	char		*pidfile, *sock;
	pid_t		 pid;
	int		 fd;

	(void)state;
	pidfile = runtime_file(vm, "qemu.pid");
	sock = runtime_file(vm, "qmp.sock");
	assert_int_equal(runtime_running(vm, &pid), 0);

	/* a pidfile naming a live pid, without the lock: not running */
	fd = open(pidfile, O_RDWR | O_CREAT, 0600);
	dprintf(fd, "%ld\n", (long)getpid());
	close(fd);
	assert_int_equal(runtime_running(vm, &pid), 0);

	/* locked as QEMU locks it: running, with its pid */
	fd = open(pidfile, O_RDWR);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	assert_int_equal(runtime_running(vm, &pid), 1);
	assert_int_equal(pid, getpid());
	close(open(sock, O_WRONLY | O_CREAT, 0600));
	runtime_clean_stale(vm);	/* it runs: nothing removed */
	assert_int_equal(access(pidfile, F_OK), 0);
	assert_int_equal(access(sock, F_OK), 0);

	close(fd);			/* QEMU is gone */
	assert_int_equal(runtime_running(vm, &pid), 0);
	runtime_clean_stale(vm);
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
	assert_int_equal(runtime_state(vm, &st), 0);
	assert_false(st.running);
	assert_string_equal(runtime_state_word(&st), "");
	s = runtime_state_text(&st);
	assert_string_equal(s, "stopped");
	free(s);
	runtime_state_free(&st);

	/* locked, and no QMP socket: running, no answer */
	pidfile = runtime_file(vm, "qemu.pid");
	fd = open(pidfile, O_RDWR | O_CREAT, 0600);
	dprintf(fd, "%ld\n", (long)getpid());
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	assert_int_equal(runtime_state(vm, &st), 0);
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
	char			*path, *pidfile, *pass, *s, want[1200];
	int			 fd, pfd;

	(void)state;
	assert_null(runtime_display(vm));
	path = runtime_file(vm, "vnc.sock");
	close(open(path, O_WRONLY | O_CREAT, 0600));	/* not a socket */
	assert_null(runtime_display(vm));
	unlink(path);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(runtime_display_socket(vm, &kind, &s), 0);
	assert_string_equal(kind, "vnc");
	assert_string_equal(s, path);
	free(s);
	/* a socket of a QEMU that is gone is no display */
	assert_null(runtime_display(vm));
	pidfile = runtime_file(vm, "qemu.pid");
	pfd = open(pidfile, O_RDWR | O_CREAT, 0600);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(pfd, F_OFD_SETLK, &fl), 0);
	/* without its password (an earlier vmtui's): no forward advised */
	s = runtime_display(vm);
	snprintf(want, sizeof want, "vnc: %s (no password: to be reached on "
	    "this host only)", path);
	assert_string_equal(s, want);
	free(s);
	/* with it: where it is, then the forward */
	pass = runtime_file(vm, "vnc.password");
	close(open(pass, O_WRONLY | O_CREAT, 0600));
	s = runtime_display(vm);
	snprintf(want, sizeof want, "vnc: %s (a VNC viewer asks for a "
	    "password; the password is in %s; from another machine: ssh -L "
	    "5901:%s HOST, then a VNC viewer on localhost:5901)", path, pass,
	    path);
	assert_string_equal(s, want);
	free(s);
	unlink(pass);
	free(pass);
	close(pfd);
	unlink(pidfile);
	free(pidfile);
	close(fd);
	unlink(path);
	free(path);
}

/*
 * A machine an earlier vmtui started runs in ROOT/vmtui/NAME: found there
 * while nothing runs in the new folder, and stale files are cleaned in the
 * new one. runtime_find() sees both, with the profile the new one says.
 */
static void
test_legacy(void **state)
{
	struct runtime_found	*found;
	struct paths_machine	 m;
	char			 old[700], path[800], *s;
	size_t			 n;
	pid_t			 pid;
	int			 ofd, nfd;
	FILE			*f;

	(void)state;
	snprintf(old, sizeof old, "%s/vmtui/vm", test_dir);
	assert_int_equal(paths_mkdirs(old, 0700), 0);
	ofd = hold(old, 4242);
	assert_int_equal(runtime_running(vm, &pid), 1);
	assert_int_equal(pid, 4242);
	s = runtime_file(vm, "qmp.sock");
	snprintf(path, sizeof path, "%s/qmp.sock", old);
	assert_string_equal(s, path);
	free(s);

	/* one started now runs in the new folder, which comes first */
	assert_int_equal(paths_machine(vm->name, vm->dir, vm->file, &m), 0);
	nfd = hold(m.runtime, 4343);
	snprintf(path, sizeof path, "%s/profile", m.runtime);
	assert_non_null(f = fopen(path, "w"));
	fputs(m.profile, f);
	fclose(f);
	assert_int_equal(runtime_running(vm, &pid), 1);
	assert_int_equal(pid, 4343);

	/* both found, in the order of their folders' names */
	assert_int_equal(runtime_find(&found, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(found[0].dir, old);
	assert_string_equal(found[0].name, "vm");
	assert_null(found[0].profile);
	assert_int_equal(found[0].pid, 4242);
	assert_string_equal(found[1].dir, m.runtime);
	assert_string_equal(found[1].name, "vm");
	assert_string_equal(found[1].profile, m.profile);
	assert_int_equal(found[1].pid, 4343);
	runtime_found_free(found, n);

	/* with a vm of the profiles folder, the earlier vmtui's vm is that
	 * one's: never this profile's, from elsewhere */
	close(nfd);
	snprintf(path, sizeof path, "%s/cfg/vmtui/profiles", test_dir);
	assert_int_equal(paths_mkdirs(path, 0700), 0);
	test_write_str("cfg/vmtui/profiles/vm.conf", "");
	assert_int_equal(runtime_running(vm, &pid), 0);
	close(ofd);
	paths_machine_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_legacy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
