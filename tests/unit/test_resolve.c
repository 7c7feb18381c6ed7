/*
 * Unit tests of core/resolve.c: a profile as the machine it means, every
 * path absolute, the data folder's defaults, the boot mode decided, and
 * the files a machine owns.
 */
#include "testutil.h"

#include "paths.h"
#include "resolve.h"

/*
 * The machine's folders: its profile /prof/vm.conf is not in the profiles
 * folder, so they are named vm@HASH (paths_machine).
 */
#define ID	"vm@4d8eddeb3cb7"

static struct profile *
base(void)
{
	struct profile	*p = profile_new("vm", "/prof");

	assert_non_null(p);
	setenv("XDG_RUNTIME_DIR", "/run/u", 1);
	setenv("XDG_DATA_HOME", "/data", 1);
	setenv("XDG_STATE_HOME", "/state", 1);
	setenv("HOME", "/home/u", 1);
	return p;
}

static void
set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

static void
test_paths_and_defaults(void **state)
{
	struct profile	*p = base();
	struct resolved	*r;
	char		*cause = NULL;

	(void)state;
	p->has_root_disk = true;
	p->root_size = 2048;
	assert_int_equal(profile_add_disk(p, "kept"), 0);
	assert_int_equal(profile_add_disk(p, "scratch"), 0);
	p->disks[1].ephemeral = true;
	assert_int_equal(profile_add_share(p, "src", "~/src"), 0);
	assert_int_equal(profile_add_share(p, "rel", "data/x"), 0);
	set(&p->kernel, "vmlinuz");
	set(&p->bios, "/b.rom");
	assert_int_equal(resolve_machine(p, &r, &cause), 0);
	assert_string_equal(r->name, "vm");
	assert_string_equal(r->arch, "x86_64");
	assert_string_equal(r->binary, "qemu-system-x86_64");
	assert_string_equal(r->profile, "/prof/vm.conf");
	assert_string_equal(r->runtime_dir, "/run/u/vmtui/" ID);
	assert_string_equal(r->data_dir, "/data/vmtui/" ID);
	/* the root disk in the data folder; an ephemeral one has no path */
	assert_string_equal(r->root_image, "/data/vmtui/" ID "/root.qcow2");
	assert_int_equal(r->root_size, 2048);
	assert_int_equal(r->ndisks, 2);
	assert_string_equal(r->disks[0].path, "/data/vmtui/" ID "/kept.qcow2");
	assert_null(r->disks[1].path);
	assert_string_equal(r->shares[0].source, "/home/u/src");
	assert_string_equal(r->shares[1].source, "/prof/data/x");
	/* a root disk and no mode: the disk boots; the bios stays */
	assert_int_equal(r->boot, BOOT_DISK);
	assert_null(r->kernel);
	assert_string_equal(r->bios, "/b.rom");
	resolve_free(r);

	/* no root disk: the kernel boots, with the seed's consoles */
	p->has_root_disk = false;
	set(&p->qemu_binary, "bin/qemu");
	assert_int_equal(resolve_machine(p, &r, &cause), 0);
	assert_null(r->root_image);
	assert_int_equal(r->boot, BOOT_KERNEL);
	assert_string_equal(r->kernel, "/prof/vmlinuz");
	assert_null(r->initrd);
	assert_int_equal(r->consoles.n, 2);
	assert_string_equal(r->consoles.v[1], "ttyS0,115200n8");
	assert_string_equal(r->binary, "/prof/bin/qemu");
	resolve_free(r);
	profile_free(p);
}

static void
test_uefi(void **state)
{
	struct profile	*p = base();
	struct resolved	*r;
	char		*cause = NULL;

	(void)state;
	p->boot_mode = BOOT_UEFI;
	set(&p->firmware, "/fw/code.fd");
	set(&p->efi_vars_template, "/fw/vars.fd");
	set(&p->bios, "/b.rom");
	assert_int_equal(resolve_machine(p, &r, &cause), 0);
	assert_string_equal(r->firmware, "/fw/code.fd");
	assert_string_equal(r->efi_vars_template, "/fw/vars.fd");
	assert_string_equal(r->efi_vars, "/data/vmtui/" ID "/efi-vars.fd");
	assert_null(r->bios);	/* UEFI is the firmware */
	resolve_free(r);
	set(&p->efi_vars, "mine.fd");
	assert_int_equal(resolve_machine(p, &r, &cause), 0);
	assert_string_equal(r->efi_vars, "/prof/mine.fd");
	resolve_free(r);
	profile_free(p);
}

/* A vlan NIC's MAC: stable, the machine's own, the vlan in the last byte. */
static void
test_vlan_mac(void **state)
{
	char	a[RESOLVE_MAC_LEN], b[RESOLVE_MAC_LEN], c[RESOLVE_MAC_LEN];

	(void)state;
	resolve_vlan_mac("web", 1, a);
	resolve_vlan_mac("web", 1, b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 17);
	assert_memory_equal(a, "52:54:", 6);
	assert_string_equal(a + 15, "01");
	resolve_vlan_mac("web", 255, b);
	assert_memory_equal(a, b, 15);
	assert_string_equal(b + 15, "ff");
	/* names a letter apart: every byte of the hash differs */
	resolve_vlan_mac("wec", 1, c);
	assert_true(a[6] != c[6] || a[7] != c[7]);
	assert_true(a[9] != c[9] || a[10] != c[10]);
	assert_true(a[12] != c[12] || a[13] != c[13]);
	/* never QEMU's default NIC's 52:54:00 */
	resolve_vlan_mac("", 1, c);
	assert_false(c[6] == '0' && c[7] == '0');
}

/* An image's format, from its first bytes; -1 when there is none. */
static void
test_image_format(void **state)
{
	char	path[600];

	(void)state;
	snprintf(path, sizeof path, "%s/none.img", test_dir);
	assert_int_equal(resolve_image_format(path), -1);
	assert_int_equal(resolve_image_format(test_write("q.qcow2",
	    "QFI\xfb\0\0\0\3", 8)), FORMAT_QCOW2);
	assert_int_equal(resolve_image_format(test_write_str("r.img",
	    "\xeb\x63\x90 boot sector")), FORMAT_RAW);
	assert_int_equal(resolve_image_format(test_write_str("s.img", "QF")),
	    FORMAT_RAW);
}

/* Only the files vmtui put in the data folder, and only those there. */
static void
test_owned_files(void **state)
{
	struct profile	*p;
	struct strv	 files = { NULL, 0 };
	char		 dir[512], path[600];

	(void)state;
	p = base();
	snprintf(dir, sizeof dir, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", dir, 1);
	snprintf(path, sizeof path, "%s/vmtui/" ID, dir);
	assert_int_equal(paths_mkdirs(path, 0700), 0);
	p->has_root_disk = true;
	assert_int_equal(profile_add_disk(p, "a"), 0);
	assert_int_equal(profile_add_disk(p, "gone"), 0);
	assert_int_equal(profile_add_disk(p, "tmp"), 0);
	p->disks[2].ephemeral = true;
	test_write_str("data/vmtui/" ID "/root.qcow2", "x");
	test_write_str("data/vmtui/" ID "/a.qcow2", "x");
	test_write_str("data/vmtui/" ID "/tmp.qcow2", "x");
	test_write_str("data/vmtui/" ID "/efi-vars.fd", "x");
	assert_int_equal(resolve_owned_files(p, &files), 0);
	assert_int_equal(files.n, 3);
	assert_non_null(strstr(files.v[0], "/" ID "/root.qcow2"));
	assert_non_null(strstr(files.v[1], "/" ID "/efi-vars.fd"));
	assert_non_null(strstr(files.v[2], "/" ID "/a.qcow2"));
	strv_free(&files);
	/* an image the profile names itself is the user's */
	set(&p->root_image, "/elsewhere/root.qcow2");
	set(&p->efi_vars, "/elsewhere/vars.fd");
	assert_int_equal(resolve_owned_files(p, &files), 0);
	assert_int_equal(files.n, 1);
	strv_free(&files);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_and_defaults),
		cmocka_unit_test(test_uefi),
		cmocka_unit_test(test_owned_files),
		cmocka_unit_test(test_vlan_mac),
		cmocka_unit_test(test_image_format),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
