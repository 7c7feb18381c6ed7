/*
 * Unit tests of core/plan.c: the argv for hostile values (QEMU's escape
 * inside option lists, raw values elsewhere), the environment overrides,
 * and the limits plan_build() checks itself.
 */
#include "testutil.h"

#include "plan.h"

/*
 * The machine's folders: its profile /prof dir,x/vm.conf is not in the
 * profiles folder, so they are named vm@HASH, HASH being FNV-1a of that
 * path (paths_machine): fixed, or machines lose their disks on upgrade.
 */
#define ID	"vm@b592c03026b8"

static struct profile *
base(void)
{
	struct profile	*p = profile_new("vm", "/prof dir,x");

	assert_non_null(p);
	free(p->kernel);
	p->kernel = strdup("-kern,el $x");
	p->accel = ACCEL_TCG;
	p->guest_agent = false;
	p->virtio_keyboard = false;
	return p;
}

static struct strv
expand(const struct plan *pl, const struct plan_env *env)
{
	struct strv	argv = { NULL, 0 };

	assert_int_equal(plan_expand(pl, env, &argv), 0);
	return argv;
}

/* The element after the n'th occurrence of opt. */
static const char *
after(const struct strv *sv, const char *opt, int n)
{
	size_t	i;

	for (i = 0; i + 1 < sv->n; i++)
		if (strcmp(sv->v[i], opt) == 0 && n-- == 0)
			return sv->v[i + 1];
	fail_msg("no %s", opt);
	return NULL;
}

static void
test_hostile_values(void **state)
{
	struct profile	*p = base();
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 argv;
	char		*cause = NULL;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/u,1", 1);
	setenv("XDG_DATA_HOME", "/data,home", 1);
	profile_add_share(p, "s", "/srv/a,b c'd\"e$f`g\nh");
	p->shares[0].readonly = true;
	profile_add_disk(p, "d");
	free(p->append);
	p->append = strdup("a=1,b \"q\" $X");
	strv_add(&p->qemu_options, "-device");
	strv_add(&p->qemu_options, "x, y");
	assert_int_equal(plan_build(p, &pl, &cause), 0);
	env.tmpdir = "/tmp/t,mp";
	argv = expand(pl, &env);
	assert_string_equal(argv.v[0], "qemu-system-x86_64");
	assert_string_equal(after(&argv, "-virtfs", 0), "local,path=/srv/a,,b "
	    "c'd\"e$f`g\nh,security_model=none,mount_tag=s,readonly=on");
	assert_string_equal(after(&argv, "-drive", 0), "file=/data,,home/vmtui/" ID
	    "/d.qcow2,format=qcow2,if=none,id=disk-d,node-name=vmtui-disk0,"
	    "cache=writeback,werror=report");
	/* -kernel and -append take their value whole: no escape */
	assert_string_equal(after(&argv, "-kernel", 0), "/prof dir,x/-kern,el $x");
	assert_string_equal(after(&argv, "-append", 0),
	    "a=1,b \"q\" $X console=tty0 console=ttyS0,115200n8");
	assert_string_equal(after(&argv, "-chardev", 1), "socket,id=qmp,path="
	    "/run/u,,1/vmtui/" ID "/qmp.sock,server=on,wait=off");
	assert_string_equal(after(&argv, "-pidfile", 0),
	    "/run/u,1/vmtui/" ID "/qemu.pid");
	assert_string_equal(argv.v[argv.n - 1], "x, y");
	assert_string_equal(argv.v[argv.n - 2], "-device");
	/* the terminal form: the console and the monitor on stdio */
	assert_string_equal(after(&argv, "-chardev", 0),
	    "stdio,id=console,mux=on,signal=off");
	assert_string_equal(after(&argv, "-mon", 0),
	    "chardev=console,mode=readline");
	strv_free(&argv);
	/*
	 * The background form: the console on a socket, QEMU logging it,
	 * both paths escaped; no monitor on it (Ctrl-a is the guest's).
	 */
	setenv("XDG_STATE_HOME", "/state,s", 1);
	plan_free(pl);
	assert_int_equal(plan_build(p, &pl, &cause), 0);
	env.background = true;
	argv = expand(pl, &env);
	assert_string_equal(after(&argv, "-chardev", 0), "socket,id=console,"
	    "path=/run/u,,1/vmtui/" ID "/console.sock,server=on,wait=off,"
	    "logfile=/state,,s/vmtui/" ID "/console.log,logappend=on");
	assert_string_equal(after(&argv, "-serial", 0), "chardev:console");
	assert_string_equal(after(&argv, "-mon", 0), "chardev=qmp,mode=control");
	assert_string_equal(argv.v[argv.n - 1], "x, y");
	unsetenv("XDG_STATE_HOME");
	strv_free(&argv);
	plan_free(pl);
	profile_free(p);
}

static void
test_environment(void **state)
{
	struct profile	*p = base();
	struct plan	*pl;
	struct strv	 opts = { NULL, 0 }, args = { NULL, 0 }, argv;
	struct plan_env	 env = { 0 };
	char		*cause = NULL;

	(void)state;
	p->has_root_disk = true;
	p->boot_mode = BOOT_KERNEL;
	p->exchange_dir = true;
	p->accel = ACCEL_AUTO;
	profile_add_forward(p);
	p->forwards[0].host_port = 2222;
	p->forwards[0].guest_port = 22;
	assert_int_equal(plan_build(p, &pl, &cause), 0);
	strv_add(&opts, "-S");
	strv_add(&args, "last");
	env.disk_image = "/img,1.qcow2";
	env.tmpdir = "/t";
	env.shared_dir = "/sh,ared";
	env.kvm = true;
	env.kernel_params = "init=/bin/sh";
	env.net_opts = "hostfwd=tcp::80-:80";
	env.opts = &opts;
	env.args = &args;
	argv = expand(pl, &env);
	assert_string_equal(after(&argv, "-accel", 0), "kvm");
	assert_string_equal(after(&argv, "-cpu", 0), "host");
	assert_string_equal(after(&argv, "-netdev", 0), "user,id=net0,hostfwd="
	    "tcp:127.0.0.1:2222-:22,hostfwd=tcp::80-:80");
	assert_string_equal(after(&argv, "-virtfs", 0), "local,path=/t/xchg,"
	    "security_model=none,mount_tag=xchg");
	assert_string_equal(after(&argv, "-virtfs", 1), "local,path=/sh,,ared,"
	    "security_model=none,mount_tag=shared");
	/* not made yet: qcow2, what the script makes */
	assert_string_equal(after(&argv, "-drive", 0), "file=/img,,1.qcow2,"
	    "format=qcow2,if=none,id=root,node-name=vmtui-root,cache=writeback,"
	    "werror=report");
	assert_string_equal(after(&argv, "-append", 0), "console=tty0 "
	    "console=ttyS0,115200n8 init=/bin/sh");
	assert_string_equal(argv.v[argv.n - 2], "-S");
	assert_string_equal(argv.v[argv.n - 1], "last");
	strv_free(&argv);
	/* unset overrides leave no trace */
	memset(&env, 0, sizeof env);
	env.disk_image = "/i";
	env.tmpdir = "/t";
	argv = expand(pl, &env);
	assert_string_equal(after(&argv, "-accel", 0), "tcg");
	assert_string_equal(after(&argv, "-netdev", 0), "user,id=net0,hostfwd="
	    "tcp:127.0.0.1:2222-:22");
	assert_string_equal(after(&argv, "-virtfs", 1), "local,path=/t/xchg,"
	    "security_model=none,mount_tag=shared");
	assert_string_equal(after(&argv, "-append", 0), "console=tty0 "
	    "console=ttyS0,115200n8");
	strv_free(&argv);
	strv_free(&opts);
	strv_free(&args);
	plan_free(pl);
	profile_free(p);
}

static void
test_interfaces(void **state)
{
	static const char *const want[] = {
		"virtio-blk-pci,drive=disk-b,id=dev-disk-b",
		"scsi-hd,drive=disk-b,id=dev-disk-b,bus=scsi0.0",
		"ide-hd,drive=disk-b,id=dev-disk-b,bus=ide.1",
		"nvme,drive=disk-b,id=dev-disk-b,serial=disk-b",
	};
	struct profile	*p;
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 argv;
	char		*cause = NULL;
	int		 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		p = base();
		p->disk_interface = (enum diskif)i;
		p->has_root_disk = true;
		profile_add_disk(p, "b");
		assert_int_equal(plan_build(p, &pl, &cause), 0);
		env.disk_image = "/r";
		argv = expand(pl, &env);
		assert_string_equal(after(&argv, "-device", i == 1 ? 4 : 3),
		    want[i]);
		strv_free(&argv);
		plan_free(pl);
		profile_free(p);
	}
}

/* Drive options reach -drive and -device on every interface. */
static void
test_drive_options(void **state)
{
	static const char *const want[] = {
		"virtio-blk-pci,drive=disk-b,id=dev-disk-b,serial=SN-1",
		"scsi-hd,drive=disk-b,id=dev-disk-b,bus=scsi0.0,serial=SN-1",
		"ide-hd,drive=disk-b,id=dev-disk-b,bus=ide.1,serial=SN-1",
		"nvme,drive=disk-b,id=dev-disk-b,serial=SN-1",
	};
	struct profile	*p;
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 argv;
	char		*cause = NULL;
	int		 i;

	(void)state;
	setenv("XDG_DATA_HOME", "/data,home", 1);
	for (i = 0; i < 4; i++) {
		p = base();
		p->disk_interface = (enum diskif)i;
		p->has_root_disk = true;
		p->root_drive.format = FORMAT_QCOW2;
		p->root_drive.cache = CACHE_NONE;
		p->root_drive.discard = true;
		profile_add_disk(p, "b");
		p->disks[0].drive.format = FORMAT_RAW;
		p->disks[0].drive.readonly = true;
		p->disks[0].drive.cache = CACHE_DIRECTSYNC;
		free(p->disks[0].drive.serial);
		p->disks[0].drive.serial = strdup("SN-1");
		assert_int_equal(plan_build(p, &pl, &cause), 0);
		env.disk_image = "/r";
		argv = expand(pl, &env);
		assert_string_equal(after(&argv, "-drive", 0), "file=/r,"
		    "format=qcow2,if=none,id=root,node-name=vmtui-root,"
		    "cache=none,werror=report,discard=unmap");
		assert_string_equal(after(&argv, "-drive", 1), "file=/data,,"
		    "home/vmtui/" ID "/b.img,format=raw,if=none,id=disk-b,"
		    "node-name=vmtui-disk0,cache=directsync,werror=report,"
		    "readonly=on");
		assert_string_equal(after(&argv, "-device", i == 1 ? 4 : 3),
		    want[i]);
		/* what the script makes: the raw disk is read-only, never */
		assert_string_equal(pl->root_format, "qcow2");
		assert_true(pl->images[0].readonly);
		assert_string_equal(pl->images[0].format, "raw");
		strv_free(&argv);
		plan_free(pl);
		profile_free(p);
	}
}

/*
 * What a running machine can be changed with: PCIe root ports kept free,
 * at one slot of their own; with auto-forward (and a guest agent, and the
 * user network) a third QMP socket, the watcher's; without, none.
 */
static void
test_live_parts(void **state)
{
	static const struct {
		enum auto_forward	 af;
		bool			 cloud, agent, watched;
	} cases[] = {
		{ AUTOFWD_UNSET, false, true, false },
		{ AUTOFWD_UNSET, true, true, true },
		{ AUTOFWD_FALSE, true, true, false },
		{ AUTOFWD_TRUE, false, true, true },
		{ AUTOFWD_TRUE, false, false, false },
	};
	struct profile	*p;
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 argv;
	char		*cause = NULL, want[128], *all;
	size_t		 i;
	int		 k;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/u", 1);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = base();
		p->auto_forward = cases[i].af;
		p->has_cloud_init = cases[i].cloud;
		p->guest_agent = cases[i].agent;
		assert_int_equal(plan_build(p, &pl, &cause), 0);
		assert_int_equal(pl->watch, cases[i].watched);
		argv = expand(pl, &env);
		all = strv_join(&argv, " ");
		for (k = 0; k < PLAN_HOTPLUG_PORTS; k++) {
			snprintf(want, sizeof want, "-device pcie-root-port,"
			    "id=vmtui-port%d,bus=pcie.0,addr=0x1e.%d%s,"
			    "chassis=30,slot=%d", k, k, k == 0 ?
			    ",multifunction=on" : "", k);
			if (strstr(all, want) == NULL)
				fail_msg("case %zu: no %s in %s", i, want, all);
		}
		assert_true((strstr(all, "-chardev socket,id=qmp-watch,path=/run"
		    "/u/vmtui/" ID "/qmp-watch.sock,server=on,wait=off -mon "
		    "chardev=qmp-watch,mode=control") != NULL) ==
		    cases[i].watched);
		free(all);
		strv_free(&argv);
		plan_free(pl);
		profile_free(p);
	}
}

/* The display: the device asked, at the size asked, and the tablet. */
static void
test_display(void **state)
{
	static const struct {
		enum arch	 arch;
		bool		 graphics;
		enum vga	 vga;
		const char	*res, *want;	/* want: the words, joined */
	} cases[] = {
		{ ARCH_X86_64, false, VGA_STD, "", "-nographic -chardev" },
		{ ARCH_X86_64, true, VGA_STD, "", "-vga std -usb -device "
		  "usb-tablet -object secret,id=vncpass,file=/run/u,,2/vmtui/"
		  ID "/vnc.password -display vnc=unix:/run/u,,2/vmtui/" ID
		  "/vnc.sock,password-secret=vncpass" },
		{ ARCH_X86_64, true, VGA_QXL, "800x600", "-device qxl-vga,"
		  "xres=800,yres=600 -usb -device usb-tablet -object" },
		{ ARCH_X86_64, true, VGA_VIRTIO, "1024x768", "-device "
		  "virtio-vga,xres=1024,yres=768 -usb -device usb-tablet" },
		{ ARCH_X86_64, true, VGA_NONE, "", "-vga none -usb -device "
		  "usb-tablet" },
		{ ARCH_AARCH64, true, VGA_STD, "", "-device virtio-gpu-pci "
		  "-object" },
		{ ARCH_AARCH64, true, VGA_VIRTIO, "640x480", "-device "
		  "virtio-gpu-pci,xres=640,yres=480" },
		{ ARCH_AARCH64, true, VGA_NONE, "", "-object secret,id=vncpass," },
	};
	struct profile	*p;
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 argv, rest;
	const char	*want;
	char		*cause = NULL, *all;
	size_t		 i, j;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/u,2", 1);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = base();
		p->arch = cases[i].arch;
		p->graphics = cases[i].graphics;
		p->vga = cases[i].vga;
		free(p->resolution);
		p->resolution = strdup(cases[i].res);
		assert_int_equal(plan_build(p, &pl, &cause), 0);
		argv = expand(pl, &env);
		/* the display's words come right after the -append value */
		for (j = 0; j < argv.n && strcmp(argv.v[j], "-append") != 0;
		    j++)
			;
		assert_true(j + 2 < argv.n);
		rest.v = argv.v + j + 2;
		rest.n = argv.n - j - 2;
		all = strv_join(&rest, " ");
		want = cases[i].want;
		if (strncmp(all, want, strlen(want)) != 0)
			fail_msg("case %zu: %s", i, all);
		free(all);
		strv_free(&argv);
		plan_free(pl);
		profile_free(p);
	}
}

/* Where the display shows: the words each display key gives. */
static void
test_display_where(void **state)
{
	static const struct {
		enum display	 display;
		bool		 window;
		const char	*address, *want;
	} cases[] = {
		/* on TCP, loopback too: a password from a file */
		{ DISPLAY_VNC, false, "127.0.0.1", "-object secret,id=vncpass,"
		  "file=/run/u,,3/vmtui/" ID "/vnc.password -display "
		  "vnc=127.0.0.1:0,to=99,password-secret=vncpass " },
		{ DISPLAY_VNC, false, "0.0.0.0", "-object secret,id=vncpass,"
		  "file=/run/u,,3/vmtui/" ID "/vnc.password -display "
		  "vnc=0.0.0.0:0,to=99,password-secret=vncpass " },
		/* on a socket too (ssh -L opens it to others) */
		{ DISPLAY_AUTO, false, "", "-object secret,id=vncpass,"
		  "file=/run/u,,3/vmtui/" ID "/vnc.password -display "
		  "vnc=unix:/run/u,,3/vmtui/" ID "/vnc.sock,"
		  "password-secret=vncpass" },
		{ DISPLAY_AUTO, true, "", "-display gtk" },
		{ DISPLAY_NONE, false, "", "-display none" },
		{ DISPLAY_VNC, true, "", "-object secret,id=vncpass,"
		  "file=/run/u,,3/vmtui/" ID "/vnc.password -display "
		  "vnc=unix:/run/u,,3/vmtui/" ID "/vnc.sock,"
		  "password-secret=vncpass" },
		{ DISPLAY_SPICE, false, "", "-object secret,id=spicepass,"
		  "file=/run/u,,3/vmtui/" ID "/spice.password -spice unix=on,"
		  "addr=/run/u,,3/vmtui/" ID "/spice.sock,"
		  "password-secret=spicepass -display none" },
		{ DISPLAY_SPICE, false, "127.0.0.1", "-object secret,"
		  "id=spicepass,file=/run/u,,3/vmtui/" ID "/spice.password -spice "
		  "port=" },
		{ DISPLAY_GTK, false, "", "-display gtk" },
		{ DISPLAY_SDL, false, "", "-display sdl" },
	};
	struct profile	*p;
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 argv;
	char		*cause = NULL, *all;
	size_t		 i;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/u,3", 1);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = base();
		p->graphics = true;
		p->display = cases[i].display;
		free(p->display_address);
		p->display_address = strdup(cases[i].address);
		assert_int_equal(plan_build(p, &pl, &cause), 0);
		/* a password for every VNC and SPICE display */
		assert_int_equal(pl->vnc_password || pl->spice_password,
		    cases[i].display == DISPLAY_VNC ||
		    cases[i].display == DISPLAY_SPICE ||
		    cases[i].display == DISPLAY_AUTO);
		assert_int_equal(pl->display_auto,
		    cases[i].display == DISPLAY_AUTO);
		env.window = cases[i].window;
		argv = expand(pl, &env);
		all = strv_join(&argv, " ");
		if (strstr(all, cases[i].want) == NULL)
			fail_msg("case %zu: %s", i, all);
		free(all);
		strv_free(&argv);
		plan_free(pl);
		profile_free(p);
	}
	unsetenv("XDG_RUNTIME_DIR");
}

static void
test_socket_path_limit(void **state)
{
	struct profile	*p = base();
	struct plan	*pl;
	char		 dir[200], *cause = NULL;

	(void)state;
	memset(dir, 'x', sizeof dir - 1);
	dir[0] = '/';
	dir[sizeof dir - 1] = '\0';
	setenv("XDG_RUNTIME_DIR", dir, 1);
	assert_int_equal(plan_build(p, &pl, &cause), -1);
	assert_non_null(strstr(cause, "is too long for QEMU's sockets"));
	free(cause);
	cause = NULL;
	/*
	 * The longest socket, qmp-view.sock, at 107 bytes (sun_path's 108
	 * with its NUL): a root of 71 and /vmtui/ID/qmp-view.sock fit, 72 not
	 */
	dir[71] = '\0';
	setenv("XDG_RUNTIME_DIR", dir, 1);
	assert_int_equal(plan_build(p, &pl, &cause), 0);
	plan_free(pl);
	dir[71] = 'x';
	dir[72] = '\0';
	setenv("XDG_RUNTIME_DIR", dir, 1);
	assert_int_equal(plan_build(p, &pl, &cause), -1);
	free(cause);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_values),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_drive_options),
		cmocka_unit_test(test_live_parts),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_display_where),
		cmocka_unit_test(test_socket_path_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
