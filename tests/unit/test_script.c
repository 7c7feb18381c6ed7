/*
 * Unit tests of core/script.c: for hostile profiles the rendered script
 * passes sh -n, and running it with a recording fake QEMU hands over
 * exactly the argv of plan_expand(): no element split, joined or expanded.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "plan.h"
#include "script.h"

static const char *const values[] = {
	"/a b/c,d", "/q'uo\"te", "/$HOME/${HOME}/$(id)/`id`", "/new\nline",
	"/-dash/=eq:col;semi|pipe&amp*star?q[br]", "/\xc3\xa9\\back",
	"/trailing newlines\n\n",
};

static void
write_exec(const char *name, const char *text)
{
	const char	*path = test_write_str(name, text);

	assert_int_equal(chmod(path, 0755), 0);
}

static int
setup(void **state)
{
	char	path[600];

	if (test_setup_dir(state) != 0)
		return -1;
	write_exec("qemu-system-x86_64",
	    "#!/bin/sh\nprintf '%s\\0' \"$@\" >\"$LOG\"\n");
	/* qemu-img create -q -f qcow2 -- PATH SIZE: write PATH */
	write_exec("qemu-img", "#!/bin/sh\nshift 5\necho qcow2 >\"$1\"\n");
	snprintf(path, sizeof path, "%s:%s", test_dir, getenv("PATH"));
	setenv("PATH", path, 1);
	snprintf(path, sizeof path, "%s/run", test_dir);
	setenv("XDG_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", path, 1);
	snprintf(path, sizeof path, "%s/log", test_dir);
	setenv("LOG", path, 1);
	snprintf(path, sizeof path, "%s/tmp", test_dir);
	mkdir(path, 0700);
	setenv("TMPDIR", path, 1);
	setenv("USE_TMPDIR", "1", 1);
	unsetenv("QEMU_OPTS");
	unsetenv("QEMU_NET_OPTS");
	unsetenv("QEMU_KERNEL_PARAMS");
	unsetenv("SHARED_DIR");
	unsetenv("VMTUI_DISK_IMAGE");
	return 0;
}

/* The argv the fake QEMU recorded, NUL-separated. */
static struct strv
recorded(void)
{
	struct strv	 sv = { NULL, 0 };
	static char	 buf[65536];
	char		 path[600], *p;
	size_t		 n;
	FILE		*f;

	snprintf(path, sizeof path, "%s/log", test_dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	for (p = buf; p < buf + n; p += strlen(p) + 1)
		strv_add(&sv, p);
	return sv;
}

static void
check_profile(struct profile *p)
{
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 want = { NULL, 0 }, got;
	char		*cause = NULL, *text, cmd[700], img[600];
	const char	*path;
	size_t		 i;

	assert_int_equal(plan_build(p, &pl, &cause), 0);
	text = script_render(pl);
	assert_non_null(text);
	path = test_write_str("run.sh", text);
	snprintf(cmd, sizeof cmd, "sh -n '%s'", path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "sh '%s' 2>/dev/null", path);
	assert_int_equal(system(cmd), 0);

	env.disk_image = pl->root_image;
	env.tmpdir = getenv("TMPDIR");
	env.uid = getuid();
	got = recorded();
	/* the SPICE port is the script's find at run time: take it from there */
	for (i = 0; i + 1 < got.n; i++)
		if (strcmp(got.v[i], "-spice") == 0)
			env.spice_port = strtol(got.v[i + 1] + 5, NULL, 10);
	assert_int_equal(plan_expand(pl, &env, &want), 0);
	assert_int_equal(got.n, want.n - 1);
	for (i = 0; i < got.n; i++)
		assert_string_equal(got.v[i], want.v[i + 1]);
	if (pl->root_image != NULL) {
		snprintf(img, sizeof img, "%s", pl->root_image);
		assert_int_equal(access(img, F_OK), 0);
	}
	strv_free(&got);
	strv_free(&want);
	free(text);
	plan_free(pl);
}

static void
test_hostile(void **state)
{
	struct profile	*p;
	size_t		 i;
	char		 dir[600];

	(void)state;
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		snprintf(dir, sizeof dir, "%s/prof%s", test_dir, values[i]);
		p = profile_new("h", dir);
		p->accel = ACCEL_TCG;
		p->has_root_disk = true;
		free(p->root_image);
		p->root_image = strdup(values[i] + 1);	/* relative */
		p->boot_mode = BOOT_KERNEL;
		free(p->kernel);
		p->kernel = strdup(values[i]);
		free(p->append);
		p->append = strdup(values[i]);
		profile_add_share(p, "s", values[i]);
		strv_add(&p->qemu_options, values[i]);
		strv_add(&p->qemu_options, "");
		p->exchange_dir = true;
		profile_add_disk(p, "e");
		p->disks[0].ephemeral = true;
		check_profile(p);
		profile_free(p);
	}
}

/* A machine called name (in a folder of that name) booting kernel /k. */
static struct profile *
kernel_machine(const char *name)
{
	struct profile	*p;
	char		 dir[600];

	snprintf(dir, sizeof dir, "%s/%s", test_dir, name);
	p = profile_new(name, dir);
	assert_non_null(p);
	p->accel = ACCEL_TCG;
	p->boot_mode = BOOT_KERNEL;
	free(p->kernel);
	p->kernel = strdup("/k");
	return p;
}

/* vlans: the multicast group and port the script makes from the uid */
static void
test_vlans(void **state)
{
	struct profile	*p = kernel_machine("v");

	(void)state;
	numv_add(&p->vlans, 3);
	numv_add(&p->vlans, 250);
	check_profile(p);
	p->network = NETWORK_NONE;
	check_profile(p);
	profile_free(p);
}

/* SPICE on TCP: the port the script found, and its ticket's file */
static void
test_spice(void **state)
{
	struct profile	*p = kernel_machine("s");

	(void)state;
	p->graphics = true;
	p->display = DISPLAY_SPICE;
	free(p->display_address);
	p->display_address = strdup("0.0.0.0");
	check_profile(p);
	free(p->display_address);
	p->display_address = strdup("127.0.0.1");
	check_profile(p);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_vlans),
		cmocka_unit_test(test_spice),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
