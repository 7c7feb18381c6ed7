/*
 * schema: the profile format (version 1) as data, like tmux's
 * options_table[]. cfg_opt_t tables give libconfuse the keys and defaults;
 * schema_keys[] gives every value its type, range or choices and an extra
 * check. The loader registers these checks on the parser; the editor's forms
 * call schema_check_text() with the same key path.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

const char *const schema_arches[] = { "x86_64", "aarch64", NULL };
const char *const schema_accels[] = { "auto", "kvm", "tcg", NULL };
const char *const schema_diskifs[] = { "virtio", "scsi", "ide", "nvme", NULL };
const char *const schema_networks[] = { "user", "none", NULL };
const char *const schema_bootmodes[] = { "kernel", "disk", "uefi", "cdrom", NULL };
const char *const schema_forward_froms[] = { "host", "guest", NULL };
const char *const schema_protos[] = { "tcp", "udp", NULL };

static int	schema_check_console(const char *, char **);

static cfg_opt_t schema_root_disk_opts[] = {
	CFG_STR("image", "", CFGF_NONE),
	CFG_INT("size", 1024, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t schema_disk_opts[] = {
	CFG_INT("size", 0, CFGF_NODEFAULT),
	CFG_BOOL("ephemeral", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t schema_share_opts[] = {
	CFG_STR("source", NULL, CFGF_NODEFAULT),
	CFG_STR("target", "", CFGF_NONE),
	CFG_BOOL("readonly", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t schema_forward_opts[] = {
	CFG_STR("from", "host", CFGF_NONE),
	CFG_STR("proto", "tcp", CFGF_NONE),
	CFG_STR("host-address", "127.0.0.1", CFGF_NONE),
	CFG_INT("host-port", 0, CFGF_NODEFAULT),
	CFG_STR("guest-address", "", CFGF_NONE),
	CFG_INT("guest-port", 0, CFGF_NODEFAULT),
	CFG_END()
};

static cfg_opt_t schema_boot_opts[] = {
	CFG_STR("mode", NULL, CFGF_NODEFAULT),
	CFG_STR("kernel", "", CFGF_NONE),
	CFG_STR("initrd", "", CFGF_NONE),
	CFG_STR("append", "", CFGF_NONE),
	CFG_STR_LIST("consoles", "{}", CFGF_NONE),
	CFG_STR("cdrom", "", CFGF_NONE),
	CFG_STR("firmware", "", CFGF_NONE),
	CFG_STR("efi-vars-template", "", CFGF_NONE),
	CFG_STR("efi-vars", "", CFGF_NONE),
	CFG_STR("bios", "", CFGF_NONE),
	CFG_END()
};

static cfg_opt_t schema_qemu_opts[] = {
	CFG_STR("binary", "", CFGF_NONE),
	CFG_STR_LIST("options", "{}", CFGF_NONE),
	CFG_INT("msize", 16384, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t schema_root_opts[] = {
	CFG_INT("version", SCHEMA_VERSION, CFGF_NONE),
	CFG_STR("name", NULL, CFGF_NODEFAULT),
	CFG_STR("description", "", CFGF_NONE),
	CFG_STR("arch", "x86_64", CFGF_NONE),
	CFG_INT("memory", 1024, CFGF_NONE),
	CFG_INT("cores", 1, CFGF_NONE),
	CFG_STR("accel", "auto", CFGF_NONE),
	CFG_BOOL("graphics", cfg_false, CFGF_NONE),
	CFG_BOOL("guest-agent", cfg_true, CFGF_NONE),
	CFG_BOOL("virtio-keyboard", cfg_true, CFGF_NONE),
	CFG_STR("disk-interface", "virtio", CFGF_NONE),
	CFG_STR("network", "user", CFGF_NONE),
	CFG_BOOL("restrict-network", cfg_false, CFGF_NONE),
	CFG_BOOL("exchange-dir", cfg_false, CFGF_NONE),
	/* MULTI only so that a missing section is told from an empty one */
	CFG_SEC("root-disk", schema_root_disk_opts, CFGF_MULTI),
	/*
	 * Titles given twice are found by validate.c, sorted: libconfuse's
	 * CFGF_NO_TITLE_DUPES compares each new title with every earlier
	 * one, and 58,000 sections took 16 s.
	 */
	CFG_SEC("disk", schema_disk_opts, CFGF_MULTI | CFGF_TITLE),
	CFG_SEC("share", schema_share_opts, CFGF_MULTI | CFGF_TITLE),
	CFG_SEC("forward", schema_forward_opts, CFGF_MULTI),
	CFG_SEC("boot", schema_boot_opts, CFGF_NONE),
	CFG_SEC("qemu", schema_qemu_opts, CFGF_NONE),
	CFG_END()
};

#define MIB_PER_TIB	(1024L * 1024L)

const struct schema_key schema_keys[SCHEMA_NKEYS + 1] = {
	{ "version", SCHEMA_INT, 1, 1, NULL, NULL, "profile format version" },
	{ "name", SCHEMA_STR, 0, 0, NULL, schema_check_name,
	  "machine name: letters, digits, '.', '_' and '-'" },
	{ "description", SCHEMA_STR, 0, 0, NULL, NULL, "free text" },
	{ "arch", SCHEMA_ENUM, 0, 0, schema_arches, NULL, "guest architecture" },
	{ "memory", SCHEMA_INT, 16, 16 * MIB_PER_TIB, NULL, NULL,
	  "memory in MiB" },
	{ "cores", SCHEMA_INT, 1, 1024, NULL, NULL, "virtual CPUs" },
	{ "accel", SCHEMA_ENUM, 0, 0, schema_accels, NULL, "accelerator" },
	{ "graphics", SCHEMA_BOOL, 0, 0, NULL, NULL, "show a display window" },
	{ "guest-agent", SCHEMA_BOOL, 0, 0, NULL, NULL,
	  "virtio-serial channel for qemu-guest-agent" },
	{ "virtio-keyboard", SCHEMA_BOOL, 0, 0, NULL, NULL, "virtio keyboard" },
	{ "disk-interface", SCHEMA_ENUM, 0, 0, schema_diskifs, NULL,
	  "how disks are attached" },
	{ "network", SCHEMA_ENUM, 0, 0, schema_networks, NULL, "networking" },
	{ "restrict-network", SCHEMA_BOOL, 0, 0, NULL, NULL,
	  "no network access but the forwards" },
	{ "exchange-dir", SCHEMA_BOOL, 0, 0, NULL, NULL,
	  "the xchg and shared 9p folders" },
	{ "root-disk|image", SCHEMA_STR, 0, 0, NULL, NULL, "root disk image" },
	{ "root-disk|size", SCHEMA_INT, 1, 64 * MIB_PER_TIB, NULL, NULL,
	  "root disk size in MiB" },
	{ "disk|size", SCHEMA_INT, 1, 64 * MIB_PER_TIB, NULL, NULL,
	  "disk size in MiB" },
	{ "disk|ephemeral", SCHEMA_BOOL, 0, 0, NULL, NULL,
	  "a fresh image each boot" },
	{ "share|source", SCHEMA_STR, 0, 0, NULL, NULL, "host folder" },
	{ "share|target", SCHEMA_STR, 0, 0, NULL, NULL,
	  "mount point in the guest" },
	{ "share|readonly", SCHEMA_BOOL, 0, 0, NULL, NULL, "read-only share" },
	{ "forward|from", SCHEMA_ENUM, 0, 0, schema_forward_froms, NULL,
	  "direction" },
	{ "forward|proto", SCHEMA_ENUM, 0, 0, schema_protos, NULL, "protocol" },
	{ "forward|host-address", SCHEMA_STR, 0, 0, NULL, schema_check_ipv4,
	  "host IPv4 address" },
	{ "forward|host-port", SCHEMA_INT, 1, 65535, NULL, NULL, "host port" },
	{ "forward|guest-address", SCHEMA_STR, 0, 0, NULL,
	  schema_check_guest_address, "guest IPv4 address" },
	{ "forward|guest-port", SCHEMA_INT, 1, 65535, NULL, NULL, "guest port" },
	{ "boot|mode", SCHEMA_ENUM, 0, 0, schema_bootmodes, NULL,
	  "how the machine boots" },
	{ "boot|kernel", SCHEMA_STR, 0, 0, NULL, NULL, "kernel image" },
	{ "boot|initrd", SCHEMA_STR, 0, 0, NULL, NULL, "initial ramdisk" },
	{ "boot|append", SCHEMA_STR, 0, 0, NULL, NULL, "kernel command line" },
	{ "boot|consoles", SCHEMA_LIST, 0, 0, NULL, schema_check_console,
	  "kernel consoles, the last is primary" },
	{ "boot|cdrom", SCHEMA_STR, 0, 0, NULL, NULL, "installer ISO" },
	{ "boot|firmware", SCHEMA_STR, 0, 0, NULL, NULL, "UEFI firmware code" },
	{ "boot|efi-vars-template", SCHEMA_STR, 0, 0, NULL, NULL,
	  "pristine UEFI variables" },
	{ "boot|efi-vars", SCHEMA_STR, 0, 0, NULL, NULL,
	  "this machine's UEFI variables" },
	{ "boot|bios", SCHEMA_STR, 0, 0, NULL, NULL, "custom BIOS" },
	{ "qemu|binary", SCHEMA_STR, 0, 0, NULL, NULL, "QEMU program" },
	{ "qemu|options", SCHEMA_LIST, 0, 0, NULL, NULL,
	  "extra QEMU arguments" },
	{ "qemu|msize", SCHEMA_INT, 4096, 1L << 30, NULL, NULL,
	  "9p msize in bytes" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

cfg_opt_t *
schema_options(void)
{
	return schema_root_opts;
}

const struct schema_key *
schema_find(const char *path)
{
	const struct schema_key	*k;

	for (k = schema_keys; k->path != NULL; k++)
		if (strcmp(k->path, path) == 0)
			return k;
	return NULL;
}

/* The key's position in schema_keys[], or -1: profiles keep lines by it. */
int
schema_index(const char *path)
{
	const struct schema_key	*k = schema_find(path);

	return k != NULL ? (int)(k - schema_keys) : -1;
}

int
schema_enum_index(const char *const *choices, const char *s)
{
	int	i;

	if (s == NULL)
		return -1;
	for (i = 0; choices[i] != NULL; i++)
		if (strcmp(choices[i], s) == 0)
			return i;
	return -1;
}

/* The key's last component, for messages: "host-port" of "forward|host-port". */
static const char *
schema_leaf(const struct schema_key *k)
{
	const char	*p = strrchr(k->path, '|');

	return p != NULL ? p + 1 : k->path;
}

static int
schema_fail(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
schema_fail(char **cause, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) < 0)
		*cause = NULL;
	va_end(ap);
	return -1;
}

int
schema_check_int(const struct schema_key *k, long v, char **cause)
{
	if (strcmp(k->path, "version") == 0 && v != SCHEMA_VERSION)
		return schema_fail(cause, "unsupported profile version %ld "
		    "(this vmtui reads version %d)", v, SCHEMA_VERSION);
	if (v < k->min || v > k->max)
		return schema_fail(cause, "%s must be from %ld to %ld, not %ld",
		    schema_leaf(k), k->min, k->max, v);
	return 0;
}

static int
schema_choices(const struct schema_key *k, const char *s, char **cause)
{
	char	 list[256] = "";
	size_t	 i;

	if (schema_enum_index(k->choices, s) >= 0)
		return 0;
	for (i = 0; k->choices[i] != NULL; i++) {
		if (i > 0)
			strncat(list, k->choices[i + 1] != NULL ? ", " :
			    " or ", sizeof list - strlen(list) - 1);
		strncat(list, k->choices[i], sizeof list - strlen(list) - 1);
	}
	return schema_fail(cause, "%s must be %s, not \"%s\"", schema_leaf(k),
	    list, s);
}

int
schema_check_str(const struct schema_key *k, const char *s, char **cause)
{
	if (s == NULL)
		return 0;
	if (strlen(s) > SCHEMA_STRING_MAX)
		return schema_fail(cause, "%s is longer than %d bytes",
		    schema_leaf(k), SCHEMA_STRING_MAX);
	if (k->type == SCHEMA_ENUM)
		return schema_choices(k, s, cause);
	if (k->check != NULL)
		return k->check(s, cause);
	return 0;
}

/* Check a value typed as text, as a form field holds it. */
int
schema_check_text(const char *path, const char *text, char **cause)
{
	const struct schema_key	*k;
	char			*end;
	long			 v;

	if ((k = schema_find(path)) == NULL)
		return schema_fail(cause, "unknown key '%s'", path);
	switch (k->type) {
	case SCHEMA_INT:
		errno = 0;
		v = strtol(text, &end, 0);
		if (end == text || *end != '\0')
			return schema_fail(cause, "%s must be a whole number",
			    schema_leaf(k));
		if (errno == ERANGE)
			return schema_fail(cause, "%s is out of range",
			    schema_leaf(k));
		return schema_check_int(k, v, cause);
	case SCHEMA_BOOL:
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
			return 0;
		return schema_fail(cause, "%s must be true or false",
		    schema_leaf(k));
	default:
		return schema_check_str(k, text, cause);
	}
}

#define SCHEMA_WORD_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* Machine names and titles: 1..max of letters, digits, '.', '_', '-'. */
static int
schema_check_word(const char *s, const char *what, int quote, int max,
    char **cause)
{
	size_t	len = strlen(s);

	if (len == 0 || len > (size_t)max) {
		if (quote)
			return schema_fail(cause, "%s \"%s\" must be 1 to %d "
			    "characters", what, s, max);
		return schema_fail(cause, "%s must be 1 to %d characters",
		    what, max);
	}
	if (strspn(s, SCHEMA_WORD_CHARS) != len)
		return schema_fail(cause, "%s \"%s\" may only hold letters, "
		    "digits, '.', '_' and '-'", what, s);
	return 0;
}

int
schema_check_name(const char *s, char **cause)
{
	if (schema_check_word(s, "name", 0, SCHEMA_NAME_MAX, cause) != 0)
		return -1;
	/* a file called .NAME.conf would be hidden, and never listed */
	if (*s == '.')
		return schema_fail(cause, "name \"%s\" may not start with "
		    "'.'", s);
	return 0;
}

/* A 9p mount tag: what disk and share titles are. */
/* A disk's title or a share's mount tag: what says which, for messages. */
int
schema_check_tag(const char *what, const char *s, char **cause)
{
	return schema_check_word(s, what, 1, SCHEMA_TAG_MAX, cause);
}

/*
 * A size as a person writes it, in MiB: "512", "512M", "8G", "8 GiB",
 * "1T", "65536K" (whole MiB only). Units are powers of 1024.
 */
int
schema_parse_size(const char *text, long *mib, char **cause)
{
	static const struct {
		const char	*unit;
		int		 shift;		/* against MiB: K -10, G 10 */
	} units[] = {
		{ "", 0 }, { "m", 0 }, { "mib", 0 }, { "mb", 0 },
		{ "g", 10 }, { "gib", 10 }, { "gb", 10 },
		{ "t", 20 }, { "tib", 20 }, { "tb", 20 },
		{ "k", -10 }, { "kib", -10 }, { "kb", -10 },
	};
	const char	*p = text;
	char		*end, unit[8];
	long long	 v;
	size_t		 i, n;

	while (*p == ' ')
		p++;
	errno = 0;
	if (*p < '0' || *p > '9' || (v = strtoll(p, &end, 10)) < 0 ||
	    errno != 0)
		return schema_fail(cause, "\"%s\" is not a size: write a "
		    "number of MiB, or one with a unit (512M, 8G, 1T)", text);
	while (*end == ' ')
		end++;
	for (n = 0; end[n] != '\0' && end[n] != ' ' && n < sizeof unit - 1;
	    n++)
		unit[n] = (char)(end[n] >= 'A' && end[n] <= 'Z' ?
		    end[n] - 'A' + 'a' : end[n]);
	unit[n] = '\0';
	for (end += n; *end == ' '; end++)
		;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(unit, units[i].unit) == 0)
			break;
	if (i == sizeof units / sizeof units[0] || *end != '\0')
		return schema_fail(cause, "\"%s\": the units are K, M, G and T "
		    "(or KiB, MiB, GiB, TiB)", text);
	if (units[i].shift < 0) {
		if (v % 1024 != 0)
			return schema_fail(cause, "\"%s\" is not a whole number "
			    "of MiB", text);
		v /= 1024;
	} else if (v > (LONG_MAX >> units[i].shift))
		return schema_fail(cause, "\"%s\" is too large", text);
	else
		v <<= units[i].shift;
	*mib = (long)v;
	return 0;
}

int
schema_check_ipv4(const char *s, char **cause)
{
	struct in_addr	in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return schema_fail(cause, "\"%s\" is not an IPv4 address "
		    "(like 127.0.0.1)", s);
	return 0;
}

/* Empty, or an address in QEMU's user network, 10.0.2.0/24. */
int
schema_check_guest_address(const char *s, char **cause)
{
	struct in_addr	in;

	if (*s == '\0')
		return 0;
	if (inet_pton(AF_INET, s, &in) != 1)
		return schema_fail(cause, "\"%s\" is not an IPv4 address "
		    "(like 10.0.2.15)", s);
	if ((ntohl(in.s_addr) & 0xffffff00U) != 0x0a000200U)
		return schema_fail(cause, "guest-address %s is outside the "
		    "guest network 10.0.2.0/24", s);
	return 0;
}

static int
schema_check_console(const char *s, char **cause)
{
	if (*s == '\0' || strpbrk(s, " \t\n\r") != NULL)
		return schema_fail(cause, "console \"%s\" must be one word, "
		    "like ttyS0,115200n8", s);
	return 0;
}
