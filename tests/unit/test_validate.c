/*
 * Unit tests of core/validate.c: every rule that spans values or looks at
 * the host, each with its message and line.
 */
#include "config.h"

#include "profile.h"
#include "testutil.h"
#include "validate.h"

static char *
problems(const char *text)
{
	return test_load_problems("v.conf", text, strlen(text), "@/");
}

struct rule {
	const char	*text, *want;
};

#define K "boot {\n  kernel = \"k\"\n}\n"

static const struct rule rules[] = {
	/* boot modes and the files they need */
	{ "memory = 64\n", "@/v.conf: nothing to boot: add a root-disk "
	  "section, or set boot.kernel (boot.mode is kernel when there is no "
	  "root disk)" },
	{ "boot {\n  mode = \"kernel\"\n}\n",
	  "@/v.conf:2: boot.mode kernel needs boot.kernel" },
	{ "boot {\n  kernel = \"nope\"\n}\n",
	  "@/v.conf:2: kernel @/nope: No such file or directory" },
	{ "boot {\n  kernel = \".\"\n}\n", "@/v.conf:2: kernel @/. is not a file" },
	{ "boot {\n  kernel = \"k\"\n  initrd = \"i\"\n}\n",
	  "@/v.conf:3: initrd @/i: No such file or directory" },
	{ "boot {\n  mode = \"disk\"\n}\n",
	  "@/v.conf:2: boot.mode disk needs a root-disk section" },
	{ "root-disk {}\nboot {\n  mode = \"cdrom\"\n}\n",
	  "@/v.conf:3: boot.mode cdrom needs boot.cdrom, the installer ISO" },
	{ "root-disk {}\nboot {\n  mode = \"cdrom\"\n  cdrom = \"x.iso\"\n}\n",
	  "@/v.conf:4: cdrom @/x.iso: No such file or directory" },
	{ "root-disk {}\nboot {\n  mode = \"uefi\"\n  bios = \"k\"\n"
	  "  firmware = \"fw\"\n}\n",
	  "@/v.conf:4: boot.bios cannot be used with boot.mode uefi\n"
	  "@/v.conf:5: firmware @/fw: No such file or directory" },
	{ "root-disk {}\nboot {\n  mode = \"uefi\"\n  firmware = \"k\"\n}\n",
	  "@/v.conf:3: no UEFI variable store found beside @/k: set "
	  "boot.efi-vars-template" },
	{ "root-disk {}\nboot {\n  mode = \"uefi\"\n  firmware = \"k\"\n"
	  "  efi-vars-template = \"none\"\n}\n",
	  "@/v.conf:5: efi-vars-template @/none: No such file or directory" },
	{ "root-disk {}\nboot {\n  bios = \"bios.bin\"\n}\n",
	  "@/v.conf:3: bios @/bios.bin: No such file or directory" },
	/* disks */
	{ "root-disk {\n  image = \"images/\"\n}\n",
	  "@/v.conf:2: root disk image \"images/\" names a folder; give the "
	  "file's name" },
	{ "root-disk {\n  image = \".\"\n}\n",
	  "@/v.conf:2: root disk image \".\" names a folder; give the file's "
	  "name" },
	{ "disk \"d\" {\n  ephemeral = true\n}\n" K,
	  "@/v.conf:1: disk \"d\": size is missing" },
	{ "arch = \"aarch64\"\ndisk-interface = \"ide\"\n" K,
	  "@/v.conf:2: disk-interface ide needs arch x86_64; use virtio, scsi "
	  "or nvme" },
	{ "disk-interface = \"ide\"\nroot-disk {}\ndisk \"a\" { size = 1 }\n"
	  "disk \"b\" { size = 1 }\ndisk \"c\" { size = 1 }\n"
	  "disk \"d\" { size = 1 }\ndisk \"e\" { size = 1 }\n"
	  "disk \"f\" { size = 1 }\n",
	  "@/v.conf:1: disk-interface ide has 6 ports, and this machine needs "
	  "7 (disks and the cdrom)" },
	/* shares */
	{ "share \"s\" {\n  target = \"/mnt\"\n}\n" K,
	  "@/v.conf:1: share \"s\": source is missing" },
	{ "share \"s\" {\n  source = \"k\"\n}\n" K,
	  "@/v.conf:2: share \"s\": source @/k is not a folder" },
	{ "share \"s\" {\n  source = \"gone\"\n}\n" K,
	  "@/v.conf:2: share \"s\": source @/gone: No such file or directory" },
	{ "exchange-dir = true\nshare \"xchg\" {\n  source = \".\"\n}\n" K,
	  "@/v.conf:2: share \"xchg\": that tag is taken by exchange-dir" },
	/* forwards: the seed's rules and duplicates */
	{ "forward {\n  guest-port = 22\n}\n" K,
	  "@/v.conf:1: forward: host-port is missing" },
	{ "forward {\n  host-port = 22\n}\n" K,
	  "@/v.conf:1: forward: guest-port is missing" },
	{ "forward {\n  from = \"guest\"\n  proto = \"udp\"\n"
	  "  guest-address = \"10.0.2.9\"\n  guest-port = 53\n"
	  "  host-port = 53\n}\n" K,
	  "@/v.conf:3: forward from guest: only tcp can be forwarded from the "
	  "guest to the host" },
	{ "forward {\n  from = \"guest\"\n  guest-port = 80\n"
	  "  host-port = 8080\n}\n" K,
	  "@/v.conf:1: forward from guest: guest-address is missing (an "
	  "address in 10.0.2.0/24 the guest connects to)" },
	{ "forward {\n  from = \"guest\"\n  guest-address = \"192.168.1.2\"\n"
	  "  guest-port = 80\n  host-port = 8080\n}\n" K,
	  "@/v.conf:3: guest-address 192.168.1.2 is outside the guest network "
	  "10.0.2.0/24" },
	{ "forward {\n  host-port = 2222\n  guest-port = 22\n}\n"
	  "forward {\n  host-port = 2222\n  guest-port = 23\n}\n" K,
	  "@/v.conf:6: host port tcp/2222 is already forwarded (line 1)" },
	{ "forward {\n  host-port = 2222\n  guest-port = 22\n}\n"
	  "forward {\n  host-address = \"0.0.0.0\"\n  host-port = 2222\n"
	  "  guest-port = 23\n}\n" K,
	  "@/v.conf:7: host port tcp/2222 is already forwarded (line 1)" },
	{ "forward {\n  from = \"guest\"\n  guest-address = \"10.0.2.9\"\n"
	  "  guest-port = 80\n  host-port = 1\n}\n"
	  "forward {\n  from = \"guest\"\n  guest-address = \"10.0.2.9\"\n"
	  "  guest-port = 80\n  host-port = 2\n}\n" K,
	  "@/v.conf:10: guest address 10.0.2.9:80 is already forwarded "
	  "(line 1)" },
	{ "network = \"none\"\nforward {\n  host-port = 1\n"
	  "  guest-port = 2\n}\n" K,
	  "@/v.conf:1: forwards need network = \"user\"" },
};

/* Accepted: a tcp and a udp forward on one port; different addresses. */
static const char *const fine[] = {
	"forward {\n  host-port = 53\n  guest-port = 53\n}\n"
	"forward {\n  proto = \"udp\"\n  host-port = 53\n  guest-port = 53\n}\n"
	K,
	"forward {\n  host-port = 80\n  guest-port = 80\n}\n"
	"forward {\n  host-address = \"127.0.0.2\"\n  host-port = 80\n"
	"  guest-port = 80\n}\n" K,
	"root-disk {}\nboot {\n  mode = \"cdrom\"\n  cdrom = \"k\"\n}\n",
	"share \"s\" {\n  source = \".\"\n}\n" K,
	"root-disk {\n  image = \"not-yet.qcow2\"\n}\n",
};

static void
test_rules(void **state)
{
	size_t	 i;
	char	*got;

	(void)state;
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		got = problems(rules[i].text);
		if (got == NULL)
			fail_msg("rule %zu accepted, wanted: %s", i,
			    rules[i].want);
		if (strcmp(got, rules[i].want) != 0)
			fail_msg("rule %zu:\n got: %s\nwant: %s", i, got,
			    rules[i].want);
		free(got);
	}
	for (i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		got = problems(fine[i]);
		if (got != NULL)
			fail_msg("fine %zu refused: %s", i, got);
	}
}

static void
test_name_from_file(void **state)
{
	struct profile	*p;
	const char	*path;
	char		*cause = NULL;

	(void)state;
	path = test_write_str("bad name.conf", K);
	assert_int_equal(validate_load(path, &p, &cause), -1);
	assert_non_null(strstr(cause, "bad name.conf: name \"bad name\" may "
	    "only hold letters"));
	free(cause);
	/* a name in the file wins over the file's name */
	path = test_write_str("bad name.conf", "name = \"good\"\n" K);
	assert_int_equal(validate_load(path, &p, &cause), 0);
	assert_string_equal(p->name, "good");
	profile_free(p);
}

static void
test_built_in_memory(void **state)
{
	struct profile	*p;
	char		*cause = NULL;

	(void)state;
	/* A profile made by the editor, never loaded, is checked as well. */
	p = profile_new("x", test_dir);
	free(p->kernel);
	p->kernel = strdup("k");
	assert_int_equal(validate_check(p, &cause), 0);
	p->memory = 1;
	profile_add_disk(p, "bad,tag");
	assert_int_equal(validate_check(p, &cause), -1);
	assert_string_equal(cause, "profile: memory must be from 16 to "
	    "16777216, not 1\nprofile: disk title \"bad,tag\" may only hold "
	    "letters, digits, '.', '_' and '-'");
	free(cause);
	profile_free(p);
}

static int
setup(void **state)
{
	if (test_setup_dir(state) != 0)
		return -1;
	test_write_str("k", "kernel\n");
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_name_from_file),
		cmocka_unit_test(test_built_in_memory),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
