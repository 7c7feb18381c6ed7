/*
 * Unit tests of core/preflight.c: each host problem is found and told with
 * its fix, and a ready host passes.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "paths.h"
#include "plan.h"
#include "preflight.h"

/* The machine pf of the profiles folder, test_dir/cfg/vmtui/profiles. */
static struct profile *
ready(void)
{
	struct profile	*p;
	char		 bin[600];

	snprintf(bin, sizeof bin, "%s/cfg/vmtui/profiles", test_dir);
	p = profile_new("pf", bin);
	snprintf(bin, sizeof bin, "%s/qemu", test_dir);
	free(p->qemu_binary);
	p->qemu_binary = strdup(bin);
	p->accel = ACCEL_TCG;
	return p;
}

static int
check(struct profile *p, char **cause)
{
	struct plan	*pl;
	char		*note = NULL, *c = NULL;
	int		 r;

	assert_int_equal(plan_build(p, &pl, &c), 0);
	*cause = NULL;
	r = preflight_check(p, pl, &note, cause);
	free(note);
	plan_free(pl);
	return r;
}

static int
setup(void **state)
{
	const char	*path;
	char		 cfg[600];

	if (test_setup_dir(state) != 0)
		return -1;
	path = test_write_str("qemu", "#!/bin/sh\n");
	chmod(path, 0755);
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	setenv("XDG_DATA_HOME", test_dir, 1);
	snprintf(cfg, sizeof cfg, "%s/cfg", test_dir);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	snprintf(cfg, sizeof cfg, "%s/cfg/vmtui/profiles", test_dir);
	return paths_mkdirs(cfg, 0700);
}

static void
test_ready(void **state)
{
	struct profile	*p = ready();
	char		*cause;

	(void)state;
	if (check(p, &cause) != 0)
		fail_msg("%s", cause);
	profile_free(p);
}

static void
test_binary(void **state)
{
	struct profile	*p = ready();
	char		*cause;

	(void)state;
	free(p->qemu_binary);
	p->qemu_binary = strdup("qemu-system-nonesuch");
	assert_int_equal(check(p, &cause), -1);
	assert_string_equal(cause, "qemu-system-nonesuch is not installed: "
	    "apt-get install qemu-system-x86");
	free(cause);
	free(p->qemu_binary);
	p->qemu_binary = strdup("/no/such/qemu");
	assert_int_equal(check(p, &cause), -1);
	assert_string_equal(cause, "QEMU binary /no/such/qemu is missing or not "
	    "executable; check qemu.binary");
	free(cause);
	profile_free(p);
}

static void
test_qemu_img(void **state)
{
	struct profile	*p = ready();
	char		*cause, path[600], *old = strdup(getenv("PATH"));

	(void)state;
	p->has_root_disk = true;
	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(check(p, &cause), -1);
	assert_string_equal(cause, "qemu-img is not installed (the disk images "
	    "are made with it): apt-get install qemu-utils");
	free(cause);
	/* an existing image needs no qemu-img */
	snprintf(path, sizeof path, "%s/vmtui", test_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/vmtui/pf", test_dir);
	mkdir(path, 0700);
	test_write_str("vmtui/pf/root.qcow2", "x");
	assert_int_equal(check(p, &cause), 0);
	setenv("PATH", old, 1);
	free(old);
	profile_free(p);
}

static void
test_port_in_use(void **state)
{
	struct profile		*p = ready();
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	char			*cause, want[256];
	int			 l;

	(void)state;
	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(l, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(l, 1), 0);
	getsockname(l, (struct sockaddr *)&sin, &len);
	profile_add_forward(p);
	p->forwards[0].host_port = ntohs(sin.sin_port);
	p->forwards[0].guest_port = 22;
	p->forwards[0].lines.line = 7;
	assert_int_equal(check(p, &cause), -1);
	snprintf(want, sizeof want, "forward tcp 127.0.0.1:%d -> :22 (line 7): "
	    "the host port is already in use; choose another host-port, or "
	    "stop what listens there", ntohs(sin.sin_port));
	assert_string_equal(cause, want);
	free(cause);
	/* udp on the same number is another port */
	p->forwards[0].proto = PROTO_UDP;
	assert_int_equal(check(p, &cause), 0);
	close(l);
	profile_free(p);
}

/*
 * A port a host service holds on IPv6's loopback only (v6only) is not
 * free for 127.0.0.1 either (attack-agent finding 2: a guest's
 * auto-forward must not take a port that "localhost" reaches a host
 * service on); where the host has no IPv6, nothing is held there.
 */
static void
test_port_v6(void **state)
{
	struct sockaddr_in6	 sin6;
	socklen_t		 len = sizeof sin6;
	int			 l, one = 1;

	(void)state;
	if ((l = socket(AF_INET6, SOCK_STREAM, 0)) == -1)
		skip();
	setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if (bind(l, (struct sockaddr *)&sin6, sizeof sin6) != 0) {
		close(l);
		skip();
	}
	assert_int_equal(listen(l, 1), 0);
	getsockname(l, (struct sockaddr *)&sin6, &len);
	assert_int_equal(preflight_port_free("::1", PROTO_TCP,
	    ntohs(sin6.sin6_port)), EADDRINUSE);
	assert_int_equal(preflight_loopback_free(PROTO_TCP,
	    ntohs(sin6.sin6_port)), EADDRINUSE);
	close(l);
	assert_int_equal(preflight_loopback_free(PROTO_TCP,
	    ntohs(sin6.sin6_port)), 0);
}

static void
test_running(void **state)
{
	struct profile		*p = ready();
	struct paths_machine	 m;
	struct flock		 fl;
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	char			*cause, path[600], want[256];
	int			 fd, l;

	(void)state;
	assert_int_equal(paths_machine(p->name, p->dir, p->file, &m), 0);
	assert_int_equal(paths_mkdirs(m.runtime, 0700), 0);
	snprintf(path, sizeof path, "%s/qemu.pid", m.runtime);
	paths_machine_free(&m);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	dprintf(fd, "4242\n");
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	/*
	 * its QEMU holds the forward's host port: the one thing said is
	 * that it runs, and how to see it
	 */
	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(l, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(l, 1), 0);
	getsockname(l, (struct sockaddr *)&sin, &len);
	profile_add_forward(p);
	p->forwards[0].host_port = ntohs(sin.sin_port);
	p->forwards[0].guest_port = 22;
	assert_int_equal(check(p, &cause), -1);
	snprintf(want, sizeof want, "pf is already running (pid 4242): "
	    "\"vmtui --attach pf\" shows it, \"vmtui --stop pf\" stops it");
	assert_string_equal(cause, want);
	free(cause);
	close(l);
	profile_remove_row(p, SCHEMA_FORWARD, 0);
	close(fd);
	/* the lock gone, the stale pidfile is cleaned up */
	assert_int_equal(check(p, &cause), 0);
	assert_int_equal(access(path, F_OK), -1);
	profile_free(p);
}

static void
test_kvm(void **state)
{
	struct profile	*p = ready();
	char		*cause, *why;

	(void)state;
	p->accel = ACCEL_KVM;
	p->arch = ARCH_AARCH64;	/* never usable from an x86_64 host */
	assert_false(preflight_kvm_usable(ARCH_AARCH64, &why));
	assert_non_null(strstr(why, "the host is"));
	free(why);
	assert_int_equal(check(p, &cause), -1);
	assert_non_null(strstr(cause, "accel = \"kvm\", but KVM is not usable "
	    "here (the host is"));
	assert_non_null(strstr(cause, "set accel = \"auto\" or \"tcg\""));
	free(cause);
	profile_free(p);
}

/* A window needs a desktop, and QEMU's module for it. */
static void
test_display(void **state)
{
	struct profile	*p;
	const char	*path;
	char		*cause;

	(void)state;
	p = ready();
	p->graphics = true;
	p->display = DISPLAY_GTK;
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	assert_int_equal(check(p, &cause), -1);
	assert_string_equal(cause, "display = \"gtk\" opens a window, and "
	    "there is no desktop here (DISPLAY and WAYLAND_DISPLAY are unset); "
	    "use display = \"vnc\" and a VNC viewer");
	free(cause);
	/* a desktop, and a QEMU without the module */
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	path = test_write_str("qemu", "#!/bin/sh\nprintf 'Available display "
	    "backend types:\\nnone\\ncurses\\n'\n");
	chmod(path, 0755);
	p->display = DISPLAY_SDL;
	assert_int_equal(check(p, &cause), -1);
	assert_string_equal(cause, "this QEMU has no sdl display: apt-get "
	    "install qemu-system-gui, or use display = \"vnc\"");
	free(cause);
	/* ... and one with it */
	path = test_write_str("qemu", "#!/bin/sh\nprintf 'Available display "
	    "backend types:\\nnone\\nsdl\\ngtk\\n'\n");
	chmod(path, 0755);
	assert_int_equal(check(p, &cause), 0);
	/* VNC needs neither */
	unsetenv("WAYLAND_DISPLAY");
	p->display = DISPLAY_VNC;
	assert_int_equal(check(p, &cause), 0);
	path = test_write_str("qemu", "#!/bin/sh\n");
	chmod(path, 0755);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_qemu_img),
		cmocka_unit_test(test_port_in_use),
		cmocka_unit_test(test_port_v6),
		cmocka_unit_test(test_running),
		cmocka_unit_test(test_kvm),
		cmocka_unit_test(test_display),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
