/*
 * Unit tests of core/profile.c: loading, defaults, lines, every problem of
 * a file reported at its line, and the model helpers.
 */
#include "config.h"

#include "profile.h"
#include "testutil.h"
#include "validate.h"

static char *
load_cause(const char *name, const char *text, size_t len)
{
	return test_load_problems(name, text, len, "");
}

static void
expect_problems(const char *text, const char *want)
{
	char	*got = load_cause("t.conf", text, strlen(text));

	if (want == NULL) {
		if (got != NULL)
			fail_msg("refused: %s", got);
		return;
	}
	if (got == NULL)
		fail_msg("accepted, wanted: %s", want);
	assert_string_equal(got, want);
	free(got);
}

#define BOOT	"boot {\n  kernel = \"k\"\n}\n"

static int
setup(void **state)
{
	if (test_setup_dir(state) != 0)
		return -1;
	test_write_str("k", "kernel\n");
	return 0;
}

static void
test_defaults(void **state)
{
	struct profile	*p;
	const char	*path;
	char		*cause = NULL;

	(void)state;
	path = test_write_str("little.conf", BOOT);
	assert_int_equal(validate_load(path, &p, &cause), 0);
	assert_null(cause);
	assert_string_equal(p->name, "little");	/* from the file name */
	assert_string_equal(p->dir, test_dir);
	assert_int_equal(p->memory, 1024);
	assert_int_equal(p->cores, 1);
	assert_int_equal(p->accel, ACCEL_AUTO);
	assert_int_equal(p->arch, ARCH_X86_64);
	assert_false(p->graphics);
	assert_true(p->guest_agent);
	assert_true(p->virtio_keyboard);
	assert_int_equal(p->disk_interface, DISKIF_VIRTIO);
	assert_int_equal(p->network, NETWORK_USER);
	assert_false(p->has_root_disk);
	assert_int_equal(p->boot_mode, BOOT_UNSET);
	assert_int_equal(profile_boot_mode(p), BOOT_KERNEL);
	assert_int_equal(p->msize, 16384);
	assert_int_equal(p->consoles.n, 0);
	profile_free(p);
}

static const char full_text[] =
    "version = 1\n"				/* 1 */
    "name = \"big\"\n"
    "description = \"A \\\"big\\\" one\"\n"
    "arch = \"x86_64\"\n"
    "memory = 2048\n"				/* 5 */
    "cores = 3\n"
    "accel = \"tcg\"\n"
    "graphics = true\n"
    "guest-agent = false\n"
    "virtio-keyboard = false\n"			/* 10 */
    "disk-interface = \"nvme\"\n"
    "network = \"user\"\n"
    "restrict-network = true\n"
    "exchange-dir = true\n"
    "root-disk {\n"				/* 15 */
    "  image = \"r.qcow2\"\n"
    "  size = 99\n"
    "}\n"
    "disk \"a\" { size = 5 }\n"
    "disk \"b\" {\n"				/* 20 */
    "  size = 6\n"
    "  ephemeral = true\n"
    "}\n"
    "share \"s\" {\n"
    "  source = \".\"\n"			/* 25 */
    "  target = \"/mnt/s\"\n"
    "  readonly = true\n"
    "}\n"
    "forward {\n"
    "  from = \"guest\"\n"			/* 30 */
    "  guest-address = \"10.0.2.9\"\n"
    "  guest-port = 9\n"
    "  host-port = 99\n"
    "}\n"
    "boot {\n"					/* 35 */
    "  mode = \"kernel\"\n"
    "  kernel = \"k\"\n"
    "  append = \"x=1\"\n"
    "  consoles = {\"ttyS1\", \"tty0\"}\n"
    "}\n"					/* 40 */
    "qemu {\n"
    "  binary = \"/opt/q\"\n"
    "  options = {\"-a\", \"b c\"}\n"
    "  msize = 8192\n"
    "}\n";

static void
test_values_and_lines(void **state)
{
	struct profile	*p;
	const char	*path;
	char		*cause = NULL;

	(void)state;
	path = test_write_str("full.conf", full_text);
	if (validate_load(path, &p, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(p->name, "big");
	assert_string_equal(p->description, "A \"big\" one");
	assert_int_equal(p->memory, 2048);
	assert_int_equal(p->cores, 3);
	assert_int_equal(p->accel, ACCEL_TCG);
	assert_true(p->graphics);
	assert_false(p->guest_agent);
	assert_false(p->virtio_keyboard);
	assert_int_equal(p->disk_interface, DISKIF_NVME);
	assert_true(p->restrict_network);
	assert_true(p->exchange_dir);
	assert_true(p->has_root_disk);
	assert_string_equal(p->root_image, "r.qcow2");
	assert_int_equal(p->root_size, 99);
	assert_int_equal(p->ndisks, 2);
	assert_string_equal(p->disks[1].title, "b");
	assert_int_equal(p->disks[1].size, 6);
	assert_true(p->disks[1].ephemeral);
	assert_false(p->disks[0].ephemeral);
	assert_int_equal(p->nshares, 1);
	assert_string_equal(p->shares[0].target, "/mnt/s");
	assert_true(p->shares[0].readonly);
	assert_int_equal(p->nforwards, 1);
	assert_int_equal(p->forwards[0].from, FWD_GUEST);
	assert_string_equal(p->forwards[0].host_address, "127.0.0.1");
	assert_int_equal(p->forwards[0].host_port, 99);
	assert_int_equal(p->boot_mode, BOOT_KERNEL);
	assert_int_equal(p->consoles.n, 2);
	assert_string_equal(p->consoles.v[0], "ttyS1");
	assert_string_equal(p->qemu_binary, "/opt/q");
	assert_int_equal(p->qemu_options.n, 2);
	assert_string_equal(p->qemu_options.v[1], "b c");
	assert_int_equal(p->msize, 8192);

	/* lines of values and sections */
	assert_int_equal(p->lines.key[schema_index("memory")], 5);
	assert_int_equal(p->lines.key[schema_index("root-disk|size")], 17);
	assert_int_equal(p->lines.key[schema_index("boot|kernel")], 37);
	assert_int_equal(p->lines.key[schema_index("qemu|msize")], 44);
	assert_int_equal(p->disks[0].lines.line, 19);
	assert_int_equal(p->disks[1].lines.line, 20);
	assert_int_equal(p->disks[1].lines.key[schema_index("disk|size")], 21);
	assert_int_equal(p->shares[0].lines.line, 24);
	assert_int_equal(p->forwards[0].lines.line, 29);
	assert_int_equal(p->forwards[0].lines.key[
	    schema_index("forward|host-port")], 33);
	profile_free(p);
}

static void
test_value_problems(void **state)
{
	(void)state;
	expect_problems("memory = 8\n" BOOT,
	    "t.conf:1: memory must be from 16 to 16777216, not 8");
	/* every problem, in line order, not only the first */
	expect_problems(
	    "cores = 0\n"
	    "arch = \"sparc\"\n"
	    "disk \"bad title!\" { size = 0 }\n"
	    "forward {\n"
	    "  host-address = \"::1\"\n"
	    "  host-port = 70000\n"
	    "  guest-port = 22\n"
	    "}\n" BOOT,
	    "t.conf:1: cores must be from 1 to 1024, not 0\n"
	    "t.conf:2: arch must be x86_64 or aarch64, not \"sparc\"\n"
	    "t.conf:3: size must be from 1 to 67108864, not 0\n"
	    "t.conf:3: disk title \"bad title!\" may only hold letters, digits, "
	    "'.', '_' and '-'\n"
	    "t.conf:5: \"::1\" is not an IPv4 address (like 127.0.0.1)\n"
	    "t.conf:6: host-port must be from 1 to 65535, not 70000");
	expect_problems("memory = 512\nmemory = 1024\n" BOOT,
	    "t.conf:2: 'memory' is set twice (first on line 1)");
	expect_problems("version = 2\n" BOOT, "t.conf:1: unsupported profile "
	    "version 2 (this vmtui reads version 1)");
	expect_problems("name = \"a/b\"\n" BOOT, "t.conf:1: name \"a/b\" may "
	    "only hold letters, digits, '.', '_' and '-'");
}

/*
 * libconfuse 3.3 counts a comment's line twice and refuses a comment in a
 * list: lines after comments are still exact, and a list may hold one.
 */
static void
test_comments(void **state)
{
	struct profile	*p;
	const char	*path;
	char		*cause = NULL;

	(void)state;
	expect_problems("# one\n#\n// two\n/* three\n   four */\n"
	    "memory = 8 # five\n" BOOT,
	    "t.conf:6: memory must be from 16 to 16777216, not 8");
	expect_problems("#\n#\nmemroy = 5\n",
	    "t.conf:3: unknown key 'memroy' (see vmtui.conf(5) for the keys)");
	expect_problems("# a\nboot {\n  # b\n  kernel = \"k\"\n}\n}\n",
	    "t.conf:6: unexpected closing brace");
	expect_problems("# a\n# b\nmemory = lots\n" BOOT,
	    "t.conf:3: memory: \"lots\" is not a size: write a number of MiB, "
	    "or one with a unit (512M, 8G, 1T)");
	/* what looks like a comment inside a string is the string's */
	expect_problems("description = \"# not // a /* comment\"\n#\n"
	    "cores = 0\n" BOOT,
	    "t.conf:3: cores must be from 1 to 1024, not 0");

	path = test_write_str("c.conf",
	    "# a machine\n"				/* 1 */
	    "// with comments\n"
	    "memory = 512  # MiB\n"
	    "disk \"a\" {\n"
	    "  # the first\n"				/* 5 */
	    "  size = 1\n"
	    "}\n"
	    "boot {\n"
	    "  kernel = \"k\" /* beside */\n"
	    "  consoles = {\"ttyS0\",  # the serial line\n"	/* 10 */
	    "              \"tty0\"}\n"
	    "}\n");
	if (profile_parse(path, &p, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(p->memory, 512);
	assert_int_equal(p->consoles.n, 2);
	assert_string_equal(p->consoles.v[1], "tty0");
	assert_string_equal(p->description, "");
	assert_int_equal(p->lines.key[schema_index("memory")], 3);
	assert_int_equal(p->disks[0].lines.line, 4);
	assert_int_equal(p->disks[0].lines.key[schema_index("disk|size")], 6);
	assert_int_equal(p->lines.key[schema_index("boot|kernel")], 9);
	profile_free(p);
}

static void
test_syntax_problems(void **state)
{
	(void)state;
	expect_problems("memroy = 512\n",
	    "t.conf:1: unknown key 'memroy' (see vmtui.conf(5) for the keys)");
	expect_problems("boot {\n  kernal = \"k\"\n}\n",
	    "t.conf:2: unknown key 'kernal' (see vmtui.conf(5) for the keys)");
	/* a number that is not one is said, and the lines after read */
	expect_problems("memory = lots\ncores = 0\n" BOOT,
	    "t.conf:1: memory: \"lots\" is not a size: write a number of MiB, "
	    "or one with a unit (512M, 8G, 1T)\n"
	    "t.conf:2: cores must be from 1 to 1024, not 0");
	expect_problems("memory = 99999999999999999999999\n" BOOT,
	    "t.conf:1: memory: \"99999999999999999999999\" is too large");
	expect_problems("cores = 0x\n" BOOT,
	    "t.conf:1: cores: \"0x\" is not a whole number");
	expect_problems("graphics = maybe\n",
	    "t.conf:1: invalid boolean value for option 'graphics'");
	expect_problems("description = \"never closed\n",
	    "t.conf:1: this string is never closed with \": everything after "
	    "it would be left out");
	/* libconfuse would drop it quietly: after a whole assignment */
	expect_problems(BOOT "memory = 512 \"#\n",
	    "t.conf:4: this string is never closed with \": everything after "
	    "it would be left out");
	expect_problems("disk \"a\" { size = 1 }\ndisk \"a\" { size = 2 }\n",
	    "t.conf:2: disk \"a\" is given twice (first on line 1)");
	/* one title written two ways: libconfuse would merge them */
	expect_problems("share \"a\" { source = \"/\" }\n"
	    "share \"\\x61\" { source = \"/\" }\n" BOOT,
	    "t.conf: two disk or share sections have the same title, written "
	    "two ways; give each its own title");
	expect_problems("root-disk {}\nroot-disk {}\n" BOOT,
	    "t.conf:2: root-disk is given twice; a machine has one root disk");
	expect_problems("memory = 64\nboot {\n kernel = \"k\"\n",
	    "t.conf:2: the section opened here is never closed with '}'");
	expect_problems("}\n", "t.conf:1: unexpected closing brace");
}

static void
test_prescan_problems(void **state)
{
	char	*got;

	(void)state;
	got = load_cause("t.conf", "memory = 1\0" "24\n", 14);
	assert_string_equal(got, "t.conf:1: NUL byte: this is not a text file");
	free(got);
	got = load_cause("t.conf", "# ok\ndescription = \"\xff\xfe\"\n", 24);
	assert_string_equal(got, "t.conf:2: invalid UTF-8; save the file as "
	    "UTF-8 text");
	free(got);
	expect_problems("description = \"${HOME}\"\n",
	    "t.conf:1: \"${\" would be replaced from the environment; write the "
	    "value out, or write \\${ for a literal \"${\"");
	expect_problems("memory = ${MEM}\n",
	    "t.conf:1: \"${\" would be replaced from the environment; write the "
	    "value out in quotes");
	expect_problems("boot {{{{{{{{{{\n", "t.conf:1: braces nested more "
	    "than 8 deep; a profile nests one section deep");
}

static void
test_not_found(void **state)
{
	struct profile	*p;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(validate_load("/nonexistent/x.conf", &p, &cause), -1);
	assert_string_equal(cause, "/nonexistent/x.conf: No such file or "
	    "directory");
	free(cause);
	assert_int_equal(validate_load(test_dir, &p, &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
}

static void
test_tolerated(void **state)
{
	(void)state;
	/* CRLF line ends, comments of every kind, an empty file with a kernel */
	expect_problems("memory = 512\r\n# c\r\n// c\r\n/* c\r\n */\r\n" BOOT,
	    NULL);
	expect_problems("#\n" BOOT, NULL);
	expect_problems("description = \"literal \\${HOME} and $5\"\n" BOOT,
	    NULL);
	expect_problems("description = '${HOME} single'\n" BOOT, NULL);
	expect_problems("description = \"h\\xc3\\xa9 \xc3\xa9\xe6\xbc\xa2\"\n"
	    BOOT, NULL);
}

static void
test_paths(void **state)
{
	struct profile	*p;
	char		*s;

	(void)state;
	p = profile_new("x", "/etc/vm");
	assert_non_null(p);
	assert_null(profile_path(p, ""));
	s = profile_path(p, "/abs/k");
	assert_string_equal(s, "/abs/k");
	free(s);
	s = profile_path(p, "rel/k");
	assert_string_equal(s, "/etc/vm/rel/k");
	free(s);
	setenv("HOME", "/home/me", 1);
	s = profile_path(p, "~/k");
	assert_string_equal(s, "/home/me/k");
	free(s);
	s = profile_path(p, "~x/k");
	assert_string_equal(s, "/etc/vm/~x/k");
	free(s);
	profile_free(p);
}

static void
test_consoles(void **state)
{
	struct profile	*p;
	struct strv	 sv = { NULL, 0 };
	char		*s;

	(void)state;
	p = profile_new("x", "/");
	assert_int_equal(profile_default_consoles(p, &sv), 0);
	s = strv_join(&sv, " ");
	assert_string_equal(s, "tty0 ttyS0,115200n8");	/* serial last */
	free(s);
	strv_free(&sv);
	p->graphics = true;
	profile_default_consoles(p, &sv);
	s = strv_join(&sv, " ");
	assert_string_equal(s, "ttyS0,115200n8 tty0");
	free(s);
	strv_free(&sv);
	p->arch = ARCH_AARCH64;
	p->graphics = false;
	profile_default_consoles(p, &sv);
	s = strv_join(&sv, " ");
	assert_string_equal(s, "tty0 ttyAMA0,115200n8");
	free(s);
	strv_free(&sv);
	strv_add(&p->consoles, "hvc0");
	profile_default_consoles(p, &sv);
	s = strv_join(&sv, " ");
	assert_string_equal(s, "hvc0");
	free(s);
	strv_free(&sv);
	profile_free(p);
}

static void
test_equal(void **state)
{
	struct profile	*a, *b;
	const char	*path;
	char		*cause = NULL;

	(void)state;
	path = test_write_str("eq.conf", full_text);
	assert_int_equal(validate_load(path, &a, &cause), 0);
	assert_int_equal(validate_load(path, &b, &cause), 0);
	assert_true(profile_equal(a, b));
	b->forwards[0].guest_port = 10;
	assert_false(profile_equal(a, b));
	b->forwards[0].guest_port = 9;
	free(b->qemu_options.v[1]);
	b->qemu_options.v[1] = strdup("b  c");
	assert_false(profile_equal(a, b));
	profile_free(a);
	profile_free(b);
}

/* A new model is what an empty file reads as: one default, in one table. */
static void
test_new_is_empty_file(void **state)
{
	struct profile	*a, *b;
	const char	*path;
	char		*cause = NULL;

	(void)state;
	path = test_write_str("blank.conf", "");
	assert_int_equal(profile_parse(path, &a, &cause), 0);
	b = profile_new("blank", test_dir);
	assert_non_null(b);
	assert_true(profile_equal(a, b));
	/* a row added in the editor is a row read with only its title */
	path = test_write_str("rows.conf", "disk \"d\" { size = 1024 }\n"
	    "share \"s\" { source = \"/\" }\n"
	    "forward { host-port = 1  guest-port = 2 }\n"
	    "root-disk { }\n");
	profile_free(a);
	assert_int_equal(profile_parse(path, &a, &cause), 0);
	free(b->name);
	b->name = strdup("rows");
	assert_int_equal(profile_add_disk(b, "d"), 0);
	assert_int_equal(profile_add_share(b, "s", "/"), 0);
	assert_int_equal(profile_add_forward(b), 0);
	b->forwards[0].host_port = 1;
	b->forwards[0].guest_port = 2;
	assert_false(profile_equal(a, b));
	b->has_root_disk = true;
	assert_true(profile_equal(a, b));
	profile_free(a);
	profile_free(b);
}

/* Forwards as people read them; the SSH preset. */
static void
test_forward_text(void **state)
{
	struct profile	*p;
	char		*s;

	(void)state;
	p = profile_new("f", test_dir);
	assert_non_null(p);
	assert_int_equal(profile_add_ssh_forward(p, 2345), 0);
	s = profile_forward_text(&p->forwards[0]);
	assert_string_equal(s, "127.0.0.1:2345 -> :22");
	free(s);
	p->forwards[0].proto = PROTO_UDP;
	s = profile_forward_text(&p->forwards[0]);
	assert_string_equal(s, "127.0.0.1:2345 -> :22 udp");
	free(s);
	p->forwards[0].from = FWD_GUEST;
	free(p->forwards[0].guest_address);
	p->forwards[0].guest_address = strdup("10.0.2.100");
	s = profile_forward_text(&p->forwards[0]);
	assert_string_equal(s, "guest 10.0.2.100:22 -> 127.0.0.1:2345");
	free(s);
	profile_free(p);
}

/* Rows come out from anywhere; the rest move up, nothing leaks. */
static void
test_remove_row(void **state)
{
	struct profile	*p;

	(void)state;
	p = profile_new("r", test_dir);
	assert_non_null(p);
	assert_int_equal(profile_add_disk(p, "a"), 0);
	assert_int_equal(profile_add_disk(p, "b"), 0);
	assert_int_equal(profile_add_disk(p, "c"), 0);
	assert_int_equal(profile_add_share(p, "s", "/tmp"), 0);
	profile_remove_row(p, SCHEMA_DISK, 1);
	assert_int_equal(p->ndisks, 2);
	assert_string_equal(p->disks[0].title, "a");
	assert_string_equal(p->disks[1].title, "c");
	assert_int_equal(p->disks[1].size, 1024);
	profile_remove_row(p, SCHEMA_DISK, 5);	/* none such: nothing */
	assert_int_equal(p->ndisks, 2);
	profile_remove_row(p, SCHEMA_SHARE, 0);
	assert_int_equal(p->nshares, 0);
	assert_int_equal(profile_count(p, SCHEMA_SHARE), 0);
	assert_int_equal(profile_count(p, SCHEMA_ROOT_DISK), 0);
	assert_int_equal(profile_count(p, SCHEMA_BOOT), 1);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_and_lines),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_value_problems),
		cmocka_unit_test(test_syntax_problems),
		cmocka_unit_test(test_prescan_problems),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_tolerated),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_consoles),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_new_is_empty_file),
		cmocka_unit_test(test_remove_row),
		cmocka_unit_test(test_forward_text),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
