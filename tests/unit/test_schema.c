/* Unit tests of core/schema.c: the key table and the value checks. */
#include "testutil.h"

#include "schema.h"

static void
test_table_complete(void **state)
{
	cfg_t	*cfg;
	int	 i;

	(void)state;
	assert_non_null(schema_keys[SCHEMA_NKEYS - 1].path);
	assert_null(schema_keys[SCHEMA_NKEYS].path);
	/* Every key of the table is a key of the libconfuse schema. */
	cfg = cfg_init(schema_options(), CFGF_NONE);
	assert_non_null(cfg);
	for (i = 0; i < SCHEMA_NKEYS; i++) {
		char	 path[128], *bar;
		cfg_t	*sec = cfg;

		snprintf(path, sizeof path, "%s", schema_keys[i].path);
		if ((bar = strchr(path, '|')) != NULL) {
			*bar = '\0';
			if (strcmp(path, "boot") == 0 ||
			    strcmp(path, "qemu") == 0) {
				sec = cfg_getsec(cfg, path);
				assert_non_null(sec);
			} else
				sec = NULL;	/* multi sections: no instance */
		}
		if (sec != NULL)
			assert_non_null(cfg_getopt(sec, bar ? bar + 1 : path));
		assert_int_equal(schema_index(schema_keys[i].path), i);
	}
	cfg_free(cfg);
	assert_int_equal(schema_index("no-such-key"), -1);
}

struct text_case {
	const char	*path, *text, *msg;	/* msg NULL: accepted */
};

static const struct text_case text_cases[] = {
	{ "memory", "1024", NULL },
	{ "memory", "16", NULL },
	{ "memory", "15", "memory must be from 16 to 16777216, not 15" },
	{ "memory", "12x", "memory must be a whole number" },
	{ "memory", "", "memory must be a whole number" },
	{ "memory", "99999999999999999999999", "memory is out of range" },
	{ "cores", "0", "cores must be from 1 to 1024, not 0" },
	{ "cores", "1025", "cores must be from 1 to 1024, not 1025" },
	{ "forward|host-port", "65535", NULL },
	{ "forward|host-port", "65536",
	  "host-port must be from 1 to 65535, not 65536" },
	{ "forward|guest-port", "0", "guest-port must be from 1 to 65535, not 0" },
	{ "disk|size", "0", "size must be from 1 to 67108864, not 0" },
	{ "root-disk|size", "-5", "size must be from 1 to 67108864, not -5" },
	{ "qemu|msize", "100", "msize must be from 4096 to 1073741824, not 100" },
	{ "version", "2",
	  "unsupported profile version 2 (this vmtui reads version 1)" },
	{ "arch", "riscv64", "arch must be x86_64 or aarch64, not \"riscv64\"" },
	{ "accel", "hvf", "accel must be auto, kvm or tcg, not \"hvf\"" },
	{ "disk-interface", "sata",
	  "disk-interface must be virtio, scsi, ide or nvme, not \"sata\"" },
	{ "network", "tap", "network must be user or none, not \"tap\"" },
	{ "boot|mode", "pxe",
	  "mode must be kernel, disk, uefi or cdrom, not \"pxe\"" },
	{ "forward|from", "both", "from must be host or guest, not \"both\"" },
	{ "forward|proto", "sctp", "proto must be tcp or udp, not \"sctp\"" },
	{ "graphics", "true", NULL },
	{ "graphics", "yes please", "graphics must be true or false" },
	{ "resolution", "", NULL },
	{ "resolution", "1280x800", NULL },
	{ "resolution", "320x200", NULL },
	{ "resolution", "8192x8192", NULL },
	{ "resolution", "319x200", "resolution 319x200 is outside 320x200 to "
	  "8192x8192" },
	{ "resolution", "1280X800",
	  "resolution \"1280X800\" is not WIDTHxHEIGHT (like 1280x800)" },
	{ "resolution", "1280x800 ",
	  "resolution \"1280x800 \" is not WIDTHxHEIGHT (like 1280x800)" },
	{ "resolution", "0x800",
	  "resolution \"0x800\" is not WIDTHxHEIGHT (like 1280x800)" },
	{ "resolution", "99999999999999999999x1",
	  "resolution 99999999999999999999x1 is outside 320x200 to 8192x8192" },
	{ "disk|serial", "", NULL },
	{ "disk|serial", "ABC-123_x.y", NULL },
	{ "disk|serial", "123456789012345678901",
	  "serial \"123456789012345678901\" must be 1 to 20 characters" },
	{ "name", "my-vm_1.0", NULL },
	{ "name", "", "name must be 1 to 64 characters" },
	{ "name", "a b", "name \"a b\" may only hold letters, digits, '.', '_' "
	  "and '-'" },
	{ "name", "..", "name \"..\" may not start with '.'" },
	{ "name", "vm.conf", "name \"vm.conf\" ends in .conf: vmtui --launch "
	  "vm.conf would read the file vm.conf in the current folder, not "
	  "this machine; pick another name" },
	{ "name", "vm.conf.d", NULL },
	{ "name", "x/y", "name \"x/y\" may only hold letters, digits, '.', '_' "
	  "and '-'" },
	{ "forward|host-address", "127.0.0.1", NULL },
	{ "forward|host-address", "0.0.0.0", NULL },
	{ "forward|host-address", "localhost",
	  "\"localhost\" is not an IPv4 address (like 127.0.0.1)" },
	{ "forward|host-address", "127.0.0.1,hostfwd=tcp::1-:1",
	  "\"127.0.0.1,hostfwd=tcp::1-:1\" is not an IPv4 address (like "
	  "127.0.0.1)" },
	{ "forward|guest-address", "", NULL },
	{ "forward|guest-address", "10.0.2.15", NULL },
	{ "forward|guest-address", "10.0.3.15",
	  "guest-address 10.0.3.15 is outside the guest network 10.0.2.0/24" },
	{ "boot|consoles", "ttyS0,115200n8", NULL },
	{ "boot|consoles", "ttyS0 quiet",
	  "console \"ttyS0 quiet\" must be one word, like ttyS0,115200n8" },
	{ "description", "anything \"at\" all $x", NULL },
	{ "no|such", "1", "unknown key 'no|such'" },
};

static void
test_check_text(void **state)
{
	size_t	 i;
	char	*cause;

	(void)state;
	for (i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
		const struct text_case *c = &text_cases[i];
		int r;

		cause = NULL;
		r = schema_check_text(c->path, c->text, &cause);
		if (c->msg == NULL) {
			if (r != 0)
				fail_msg("%s=\"%s\" refused: %s", c->path,
				    c->text, cause);
		} else {
			assert_int_equal(r, -1);
			assert_non_null(cause);
			assert_string_equal(cause, c->msg);
		}
		free(cause);
	}
}

static void
test_long_string(void **state)
{
	char	*s, *cause = NULL;

	(void)state;
	s = malloc(SCHEMA_STRING_MAX + 2);
	assert_non_null(s);
	memset(s, 'a', SCHEMA_STRING_MAX + 1);
	s[SCHEMA_STRING_MAX + 1] = '\0';
	assert_int_equal(schema_check_text("boot|kernel", s, &cause), -1);
	assert_string_equal(cause, "kernel is longer than 4096 bytes");
	free(cause);
	s[SCHEMA_STRING_MAX] = '\0';
	assert_int_equal(schema_check_text("boot|kernel", s, &cause), 0);
	free(s);
}

static void
test_tag(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(schema_check_tag("mount tag", "data.1_x-y", &cause),
	    0);
	assert_int_equal(schema_check_tag("mount tag",
	    "0123456789012345678901234567890", &cause), 0);
	assert_int_equal(schema_check_tag("mount tag",
	    "01234567890123456789012345678901", &cause), -1);
	assert_string_equal(cause, "mount tag "
	    "\"01234567890123456789012345678901\" must be 1 to 31 characters");
	free(cause);
	assert_int_equal(schema_check_tag("disk title", "a,b", &cause), -1);
	assert_string_equal(cause, "disk title \"a,b\" may only hold letters, "
	    "digits, '.', '_' and '-'");
	free(cause);
}

/* Sizes as people write them, in MiB. */
static void
test_size(void **state)
{
	static const struct {
		const char	*text;
		long		 mib;
	} good[] = {
		{ "512", 512 }, { "512M", 512 }, { "512 MiB", 512 },
		{ "8G", 8192 }, { "8g", 8192 }, { "8 GiB", 8192 },
		{ " 2GB ", 2048 }, { "1T", 1048576 }, { "1TiB", 1048576 },
		{ "65536K", 64 }, { "1024KiB", 1 }, { "0", 0 },
	};
	static const struct {
		const char	*text, *why;
	} bad[] = {
		{ "", "\"\" is not a size" },
		{ "eight", "\"eight\" is not a size" },
		{ "-1G", "\"-1G\" is not a size" },
		{ "8X", "\"8X\": the units are K, M, G and T" },
		{ "8 G B", "\"8 G B\": the units are K, M, G and T" },
		{ "1000K", "\"1000K\" is not a whole number of MiB" },
		{ "99999999999999T", "\"99999999999999T\" is too large" },
	};
	char	*cause = NULL;
	long	 mib;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (schema_parse_size(good[i].text, &mib, &cause) != 0)
			fail_msg("%s: %s", good[i].text, cause);
		assert_int_equal(mib, good[i].mib);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(schema_parse_size(bad[i].text, &mib, &cause),
		    -1);
		if (strncmp(cause, bad[i].why, strlen(bad[i].why)) != 0)
			fail_msg("%s: \"%s\"", bad[i].text, cause);
		free(cause);
	}
}

/*
 * The keys vmtui.conf(5) documents: in KEYS, the ".B key" or
 * ".BR key ", " key" lines after a ".TP", in their ".SS section" as
 * "section|key". Escaped minus signs read as '-'.
 */
static size_t
man_keys(char keys[][128], size_t max)
{
	FILE	*f;
	char	 line[512], sec[32] = "", word[64], *p, *w;
	int	 in_keys = 0, after_tp = 0;
	size_t	 n = 0;

	f = fopen(TEST_DATA "/../../man/vmtui.conf.5", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH ", 4) == 0) {
			in_keys = strcmp(line, ".SH KEYS") == 0;
			sec[0] = '\0';
			continue;
		}
		if (!in_keys)
			continue;
		if (strncmp(line, ".SS ", 4) == 0) {
			for (p = line + 4, w = sec; *p != '\0' && *p != ' ' &&
			    w < sec + sizeof sec - 1; p++)
				if (*p != '\\')
					*w++ = *p;
			*w = '\0';
			continue;
		}
		if (strcmp(line, ".TP") == 0) {
			after_tp = 1;
			continue;
		}
		if (!after_tp)
			continue;
		after_tp = 0;
		if (strncmp(line, ".B ", 3) != 0 && strncmp(line, ".BR ", 4) != 0)
			fail_msg("vmtui.conf(5): .TP not followed by a key: %s",
			    line);
		/* the words outside quotes are keys */
		for (p = strchr(line, ' ') + 1; *p != '\0';) {
			if (*p == ' ') {
				p++;
				continue;
			}
			if (*p == '"') {
				p = strchr(p + 1, '"');
				assert_non_null(p);
				p++;
				continue;
			}
			for (w = word; *p != '\0' && *p != ' ' && *p != '"' &&
			    w < word + sizeof word - 1; p++)
				if (*p != '\\')
					*w++ = *p;
			*w = '\0';
			assert_true(n < max);
			snprintf(keys[n++], 128, "%s%s%s", sec, *sec ? "|" : "",
			    word);
		}
	}
	fclose(f);
	return n;
}

/* The man page documents each key of the table, and no other. */
static void
test_man_page(void **state)
{
	char	keys[128][128];
	size_t	n, i;
	int	k, found;

	(void)state;
	n = man_keys(keys, 128);
	for (i = 0; i < n; i++)
		if (schema_find(keys[i]) == NULL)
			fail_msg("vmtui.conf(5) documents \"%s\", which is not "
			    "in schema.def", keys[i]);
	for (k = 0; k < SCHEMA_NKEYS; k++) {
		for (found = 0, i = 0; i < n && !found; i++)
			found = strcmp(keys[i], schema_keys[k].path) == 0;
		if (!found)
			fail_msg("schema.def has \"%s\"; vmtui.conf(5) does not "
			    "document it", schema_keys[k].path);
	}
}

/* Each key's default is one of its values. */
static void
test_defaults(void **state)
{
	const struct schema_key	*k;
	char			*cause = NULL;

	(void)state;
	for (k = schema_keys; k->path != NULL; k++) {
		if (k->flags & SCHEMA_NODEFAULT)
			continue;
		if (k->type == SCHEMA_INT &&
		    schema_check_int(k, k->num, &cause) != 0)
			fail_msg("%s: default %ld: %s", k->path, k->num, cause);
		if (k->type == SCHEMA_ENUM)
			assert_true(schema_enum_index(k->choices, k->str) >= 0);
		if (k->type == SCHEMA_STR)
			assert_non_null(k->str);
		assert_non_null(k->doc);
	}
	/* an enum left out reads as its number of choices: BOOT_UNSET */
	assert_int_equal(schema_nchoices(&schema_keys[SCHEMA_K_BOOT_MODE]), 4);
}

/* key path, value, accepted: the cloud-init section's own checks */
static void
test_cloud_init_values(void **state)
{
	static const struct {
		const char	*path, *value;
		int		 ok;
	} v[] = {
		{ "cloud-init|user", "", 1 },
		{ "cloud-init|user", "alice_2-x", 1 },
		{ "cloud-init|user", "_svc", 1 },
		{ "cloud-init|user", "root", 0 },
		{ "cloud-init|user", "Alice", 0 },
		{ "cloud-init|user", "2x", 0 },
		{ "cloud-init|user", "a b", 0 },
		{ "cloud-init|user", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
		{ "cloud-init|hostname", "", 1 },
		{ "cloud-init|hostname", "c1", 1 },
		{ "cloud-init|hostname", "box.example.org", 1 },
		{ "cloud-init|hostname", "a..b", 0 },
		{ "cloud-init|hostname", "a-", 0 },
		{ "cloud-init|hostname", "my_vm", 0 },
		{ "cloud-init|hostname", ".", 0 },
		{ "cloud-init|timezone", "Etc/GMT+5", 1 },
		{ "cloud-init|timezone", "America/Port-au-Prince", 1 },
		{ "cloud-init|timezone", "UTC", 1 },
		{ "cloud-init|timezone", "/etc/localtime", 0 },
		{ "cloud-init|timezone", "Europe/", 0 },
		{ "cloud-init|timezone", "a//b", 0 },
		{ "cloud-init|timezone", "../x", 0 },
		{ "cloud-init|packages", "g++", 1 },
		{ "cloud-init|packages", "curl=7.88.1-10+deb12u5", 1 },
		{ "cloud-init|packages", "-o", 0 },
		{ "cloud-init|packages", "a b", 0 },
		{ "cloud-init|packages", "$(id)", 0 },
		{ "cloud-init|commands", "echo 'a: b' # c\n\tls", 1 },
		{ "cloud-init|commands", "", 0 },
		{ "cloud-init|commands", "a\x1b[2J", 0 },
		{ "cloud-init|password", "p\xc3\xa4ss w\"rd", 1 },
		{ "cloud-init|password", "a\nb", 0 },
		{ "cloud-init|password", "\xff", 0 },
		{ "cloud-init|ssh-keys", "~/.ssh/id_ed25519.pub", 1 },
		{ "cloud-init|ssh-keys", "./my keys/a.pub", 1 },
		{ "cloud-init|ssh-keys", "ssh-ed25519 "
		    "AAAAC3NzaC1lZDI1NTE5AAAAIAAAA me@host", 1 },
		{ "cloud-init|ssh-keys", "ssh-ed25519 AAAA", 0 },
		{ "cloud-init|ssh-keys", "not a key", 0 },
		{ "cloud-init|ssh-keys", "", 0 },
	};
	char	*cause;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		cause = NULL;
		if (schema_check_text(v[i].path, v[i].value, &cause) !=
		    (v[i].ok ? 0 : -1))
			fail_msg("%s = \"%s\": %s", v[i].path, v[i].value,
			    cause != NULL ? cause : "accepted");
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cloud_init_values),
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_check_text),
		cmocka_unit_test(test_long_string),
		cmocka_unit_test(test_tag),
		cmocka_unit_test(test_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
