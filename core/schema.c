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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "schema.h"
#include "utf8.h"

const char *const schema_arches[] = { "x86_64", "aarch64", NULL };
const char *const schema_accels[] = { "auto", "kvm", "tcg", NULL };
const char *const schema_diskifs[] = { "virtio", "scsi", "ide", "nvme", NULL };
const char *const schema_networks[] = { "user", "none", NULL };
const char *const schema_bootmodes[] = { "kernel", "disk", "uefi", "cdrom", NULL };
const char *const schema_forward_froms[] = { "host", "guest", NULL };
const char *const schema_protos[] = { "tcp", "udp", NULL };
const char *const schema_vgas[] = { "std", "virtio", "qxl", "none", NULL };
const char *const schema_displays[] = { "auto", "none", "vnc", "spice", "gtk",
    "sdl", NULL };
const char *const schema_formats[] = { "qcow2", "raw", NULL };
const char *const schema_switches[] = { "false", "true", NULL };
const char *const schema_caches[] = { "writeback", "none", "writethrough",
    "unsafe", "directsync", NULL };

const struct schema_key schema_keys[SCHEMA_NKEYS + 1] = {
/* a drive option is a key of its disk's section */
#define SCHEMA_ROOT_DISK_DRIVE	SCHEMA_ROOT_DISK
#define SCHEMA_DISK_DRIVE	SCHEMA_DISK
#define SCHEMA_KEY(id, p, sec, member, t, ctype, ...) \
	[SCHEMA_K_##id] = { .path = p, .section = SCHEMA_##sec, \
	    .type = SCHEMA_##t, __VA_ARGS__ },
#include "schema.def"
#undef SCHEMA_KEY
	[SCHEMA_NKEYS] = { .path = NULL }
};

const struct schema_section_def schema_sections[SCHEMA_NSECTIONS] = {
	[SCHEMA_ROOT] = { NULL, 0, NULL },
	[SCHEMA_ROOT_DISK] = { "root-disk", SCHEMA_OPTIONAL,
	    "The root disk; created when the image is missing, never "
	    "overwritten." },
	[SCHEMA_DISK] = { "disk", SCHEMA_ROWS | SCHEMA_TITLED,
	    "Extra disks; ephemeral ones are new each boot." },
	[SCHEMA_SHARE] = { "share", SCHEMA_ROWS | SCHEMA_TITLED,
	    "Host folders shared over 9p; the title is the mount tag." },
	[SCHEMA_FORWARD] = { "forward", SCHEMA_ROWS, "Port forwards." },
	[SCHEMA_BOOT] = { "boot", 0, NULL },
	[SCHEMA_QEMU] = { "qemu", 0, NULL },
	[SCHEMA_CLOUD_INIT] = { "cloud-init", SCHEMA_OPTIONAL,
	    "What cloud-init sets up in a cloud image; vmtui --ssh logs in." },
};

/*
 * libconfuse's option tables, made from the key table once: each section's
 * keys and an end, then the top's keys, the sections and an end.
 */
static cfg_opt_t	schema_opts[SCHEMA_NKEYS + 2 * SCHEMA_NSECTIONS];

/*
 * A whole number of key k as the file writes it: with k's unit a size
 * (schema_parse_size: 8G), else as libconfuse reads one (strtol, base 0).
 * 0, or -1 and why.
 */
int
schema_parse_int(const struct schema_key *k, const char *text, long *v,
    char **cause)
{
	char	*end;

	if (k->unit != NULL && strcmp(k->unit, "MiB") == 0)
		return schema_parse_size(text, v, cause);
	errno = 0;
	*v = strtol(text, &end, 0);
	if (*text == '\0' || *end != '\0')
		return diag_cause(cause, "\"%s\" is not a whole number", text);
	if (errno != 0)
		return diag_cause(cause, "\"%s\" is too large", text);
	return 0;
}

/*
 * libconfuse's way in for a number: schema_parse_int. A value that is not
 * one is said (FILE:LINE, through the error function of the parse) and
 * taken as the key's default, so that the parse goes on and the lines
 * after it are read and checked too; the file is refused all the same.
 */
static int
schema_int_cb(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	const struct schema_key	*k;
	char			 path[128], *cause = NULL;
	long			 v;

	if (strcmp(cfg->name, "root") == 0)
		snprintf(path, sizeof path, "%s", opt->name);
	else
		snprintf(path, sizeof path, "%s|%s", cfg->name, opt->name);
	if ((k = schema_find(path)) == NULL) {
		*(long *)result = 0;
		return -1;
	}
	if (schema_parse_int(k, value, &v, &cause) != 0) {
		cfg_error(cfg, "%s: %s", opt->name, cause != NULL ? cause :
		    "out of memory");
		free(cause);
		v = k->num >= k->min && (k->max == 0 || k->num <= k->max) ?
		    k->num : k->min;
	}
	*(long *)result = v;
	return 0;
}

static cfg_opt_t
schema_option(const struct schema_key *k)
{
	cfg_flag_t	 f = k->flags & SCHEMA_NODEFAULT ? CFGF_NODEFAULT :
			     CFGF_NONE;
	const char	*name = schema_key_name(k);

	switch (k->type) {
	case SCHEMA_INT: {
		cfg_opt_t o = CFG_INT_CB(name, k->num, f, schema_int_cb);
		return o;
	}
	case SCHEMA_BOOL: {
		cfg_opt_t o = CFG_BOOL(name, k->num ? cfg_true : cfg_false, f);
		return o;
	}
	case SCHEMA_LIST: {
		cfg_opt_t o = CFG_STR_LIST(name, "{}", f);
		return o;
	}
	case SCHEMA_NUMS: {
		cfg_opt_t o = CFG_INT_LIST_CB(name, "{}", f, schema_int_cb);
		return o;
	}
	default: {
		cfg_opt_t o = CFG_STR(name, k->str, f);
		return o;
	}
	}
}

cfg_opt_t *
schema_options(void)
{
	static cfg_opt_t	*root;
	cfg_opt_t		*o = schema_opts, *start[SCHEMA_NSECTIONS];
	cfg_opt_t		 end = CFG_END();
	const struct schema_key	*k;
	int			 s;

	if (root != NULL)
		return root;
	for (s = SCHEMA_ROOT + 1; s < SCHEMA_NSECTIONS; s++) {
		start[s] = o;
		for (k = schema_keys; k->path != NULL; k++)
			if (k->section == (enum schema_section)s)
				*o++ = schema_option(k);
		*o++ = end;
	}
	root = o;
	for (k = schema_keys; k->path != NULL; k++)
		if (k->section == SCHEMA_ROOT)
			*o++ = schema_option(k);
	for (s = SCHEMA_ROOT + 1; s < SCHEMA_NSECTIONS; s++) {
		const struct schema_section_def	*sd = &schema_sections[s];
		/*
		 * Rows and the root disk are MULTI; the root disk only so that
		 * a missing section is told from an empty one. Titles given
		 * twice are found by validate.c, sorted: libconfuse's
		 * CFGF_NO_TITLE_DUPES compares each new title with every
		 * earlier one, and 58,000 sections took 16 s.
		 */
		cfg_flag_t f = (sd->flags & (SCHEMA_ROWS | SCHEMA_OPTIONAL) ?
		    CFGF_MULTI : CFGF_NONE) |
		    (sd->flags & SCHEMA_TITLED ? CFGF_TITLE : CFGF_NONE);
		cfg_opt_t sec = CFG_SEC(sd->name, start[s], f);

		*o++ = sec;
	}
	*o = end;
	return root;
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

/* The section named by the len bytes at name ("boot", "share"), or -1. */
int
schema_section_index(const char *name, size_t len)
{
	int	s;

	for (s = 0; s < SCHEMA_NSECTIONS; s++)
		if (schema_sections[s].name != NULL &&
		    strlen(schema_sections[s].name) == len &&
		    memcmp(schema_sections[s].name, name, len) == 0)
			return s;
	return -1;
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

/* How many choices an ENUM key has: its "unset" value. */
size_t
schema_nchoices(const struct schema_key *k)
{
	size_t	n = 0;

	while (k->choices != NULL && k->choices[n] != NULL)
		n++;
	return n;
}

/* The key's name in its section: "host-port" of "forward|host-port". */
const char *
schema_key_name(const struct schema_key *k)
{
	const char	*p = strrchr(k->path, '|');

	return p != NULL ? p + 1 : k->path;
}

int
schema_check_int(const struct schema_key *k, long v, char **cause)
{
	if (k == &schema_keys[SCHEMA_K_VERSION] && v != SCHEMA_VERSION)
		return diag_cause(cause, "unsupported profile version %ld "
		    "(this vmtui reads version %d)", v, SCHEMA_VERSION);
	if (v < k->min || v > k->max)
		return diag_cause(cause, "%s must be from %ld to %ld, not %ld",
		    schema_key_name(k), k->min, k->max, v);
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
	return diag_cause(cause, "%s must be %s, not \"%s\"", schema_key_name(k),
	    list, s);
}

/*
 * The first control character in s: C0, DEL or C1 (U+0080 to U+009F, or
 * such a byte where s is not UTF-8), but for a newline and a tab (a path
 * may hold them, the script quotes them, XML takes them); -1 when there is
 * none. A profile's values reach the launch script, libvirt's XML and the
 * terminal, where any other control character is a title sequence or XML
 * that does not parse.
 */
int
schema_control(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), n;
	unsigned int		 cp;

	while (len > 0) {
		if ((n = utf8_char(p, len, &cp)) == 0) {
			n = 1;
			cp = *p;
		}
		if ((cp < 0x20 && cp != '\n' && cp != '\t') ||
		    (cp >= 0x7f && cp < 0xa0))
			return (int)cp;
		p += n;
		len -= n;
	}
	return -1;
}

int
schema_check_str(const struct schema_key *k, const char *s, char **cause)
{
	int	c;

	if (s == NULL)
		return 0;
	if (strlen(s) > SCHEMA_STRING_MAX)
		return diag_cause(cause, "%s is longer than %d bytes",
		    schema_key_name(k), SCHEMA_STRING_MAX);
	if ((c = schema_control(s)) != -1)
		return diag_cause(cause, "%s holds a control character (0x%02x)"
		    ": values are text (newlines and tabs are kept)",
		    schema_key_name(k), (unsigned)c);
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
		return diag_cause(cause, "unknown key '%s'", path);
	switch (k->type) {
	case SCHEMA_INT:
	case SCHEMA_NUMS:
		errno = 0;
		v = strtol(text, &end, 0);
		if (end == text || *end != '\0')
			return diag_cause(cause, "%s must be a whole number",
			    schema_key_name(k));
		if (errno == ERANGE)
			return diag_cause(cause, "%s is out of range",
			    schema_key_name(k));
		return schema_check_int(k, v, cause);
	case SCHEMA_BOOL:
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
			return 0;
		return diag_cause(cause, "%s must be true or false",
		    schema_key_name(k));
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
			return diag_cause(cause, "%s \"%s\" must be 1 to %d "
			    "characters", what, s, max);
		return diag_cause(cause, "%s must be 1 to %d characters",
		    what, max);
	}
	if (strspn(s, SCHEMA_WORD_CHARS) != len)
		return diag_cause(cause, "%s \"%s\" may only hold letters, "
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
		return diag_cause(cause, "name \"%s\" may not start with "
		    "'.'", s);
	/* a PROFILE argument ending in .conf is a file's path (paths.c) */
	if (strlen(s) > 5 && strcmp(s + strlen(s) - 5, ".conf") == 0)
		return diag_cause(cause, "name \"%s\" ends in .conf: vmtui "
		    "--launch %s would read the file %s in the current "
		    "folder, not this machine; pick another name", s, s, s);
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
	if (*p >= '0' && *p <= '9' && (v = strtoll(p, &end, 10)) ==
	    LLONG_MAX && errno == ERANGE)
		return diag_cause(cause, "\"%s\" is too large", text);
	errno = 0;
	if (*p < '0' || *p > '9' || (v = strtoll(p, &end, 10)) < 0 ||
	    errno != 0)
		return diag_cause(cause, "\"%s\" is not a size: write a "
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
		return diag_cause(cause, "\"%s\": the units are K, M, G and T "
		    "(or KiB, MiB, GiB, TiB)", text);
	if (units[i].shift < 0) {
		if (v % 1024 != 0)
			return diag_cause(cause, "\"%s\" is not a whole number "
			    "of MiB", text);
		v /= 1024;
	} else if (v > (LONG_MAX >> units[i].shift))
		return diag_cause(cause, "\"%s\" is too large", text);
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
		return diag_cause(cause, "\"%s\" is not an IPv4 address "
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
		return diag_cause(cause, "\"%s\" is not an IPv4 address "
		    "(like 10.0.2.15)", s);
	if ((ntohl(in.s_addr) & 0xffffff00U) != 0x0a000200U)
		return diag_cause(cause, "guest-address %s is outside the "
		    "guest network 10.0.2.0/24", s);
	return 0;
}

int
schema_check_console(const char *s, char **cause)
{
	if (*s == '\0' || strpbrk(s, " \t\n\r") != NULL)
		return diag_cause(cause, "console \"%s\" must be one word, "
		    "like ttyS0,115200n8", s);
	return 0;
}

/* A disk's serial number: empty, or 1 to 20 letters, digits, '.', '_', '-'. */
int
schema_check_serial(const char *s, char **cause)
{
	if (*s == '\0')
		return 0;
	return schema_check_word(s, "serial", 1, SCHEMA_SERIAL_MAX, cause);
}

/* "1280x800" as its width and height; 0, or -1 when it is not that. */
int
schema_resolution(const char *s, long *w, long *h)
{
	char	*end;

	if (*s < '1' || *s > '9')
		return -1;
	*w = strtol(s, &end, 10);
	if (*end != 'x' || end[1] < '1' || end[1] > '9')
		return -1;
	*h = strtol(end + 1, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* Empty, or WIDTHxHEIGHT from 320x200 to 8192x8192. */
int
schema_check_resolution(const char *s, char **cause)
{
	long	w, h;

	if (*s == '\0')
		return 0;
	if (schema_resolution(s, &w, &h) != 0)
		return diag_cause(cause, "resolution \"%s\" is not WIDTHxHEIGHT "
		    "(like 1280x800)", s);
	if (w < 320 || h < 200 || w > 8192 || h > 8192)
		return diag_cause(cause, "resolution %s is outside 320x200 to "
		    "8192x8192", s);
	return 0;
}

/* Empty (a socket), or the IPv4 address a VNC display listens on. */
int
schema_check_display_address(const char *s, char **cause)
{
	struct in_addr	in;

	if (*s == '\0' || inet_pton(AF_INET, s, &in) == 1)
		return 0;
	return diag_cause(cause, "display-address \"%s\" is not an IPv4 "
	    "address (like 127.0.0.1, or 0.0.0.0 for every interface)", s);
}

/*
 * The cloud-init section's values go into YAML, a shell script run by
 * root (commands) and cloud-init's own rules: each is checked for what it
 * is, and none may hold a control character (a newline and a tab only in
 * a command) or bytes that are not UTF-8.
 */
static int
schema_printable(const char *s, bool lines)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), n;
	unsigned int		 cp;

	while (len > 0) {
		if ((n = utf8_char(p, len, &cp)) == 0)
			return 0;
		if ((cp < 0x20 && !(lines && (cp == '\n' || cp == '\t'))) ||
		    (cp >= 0x7f && cp < 0xa0))
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

#define SCHEMA_LOWER	"abcdefghijklmnopqrstuvwxyz"
#define SCHEMA_ALNUM	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" SCHEMA_LOWER "0123456789"

/* Whether s is 1 to max bytes, the first one of first, all of all. */
static bool
schema_made_of(const char *s, size_t max, const char *first, const char *all)
{
	size_t	len = strlen(s);

	return len > 0 && len <= max && strchr(first, *s) != NULL &&
	    strspn(s, all) == len;
}

/*
 * A user name in the guest: empty (the default), or what useradd takes
 * everywhere (a lower-case letter or '_', then those, digits and '-', 32
 * at most). Not root: cloud-init refuses root's logins by default.
 */
int
schema_check_login(const char *s, char **cause)
{
	if (*s == '\0')
		return 0;
	if (!schema_made_of(s, 32, SCHEMA_LOWER "_", SCHEMA_LOWER
	    "0123456789_-"))
		return diag_cause(cause, "user \"%s\" is not a user name: a "
		    "lower-case letter, then letters, digits, '_' or '-' "
		    "(32 at most)", s);
	if (strcmp(s, "root") == 0)
		return diag_cause(cause, "user \"root\": cloud-init refuses "
		    "root's logins; name another user (it gets sudo)");
	return 0;
}

/* Whether s is a public key as one line holds it: TYPE BASE64 [COMMENT]. */
int
schema_key_line(const char *s)
{
	static const char *const types[] = { "ssh-ed25519 ", "ssh-rsa ",
	    "ecdsa-sha2-nistp256 ", "ecdsa-sha2-nistp384 ",
	    "ecdsa-sha2-nistp521 ", "sk-ssh-ed25519@openssh.com ",
	    "sk-ecdsa-sha2-nistp256@openssh.com ", "ssh-dss ", NULL };
	size_t	i, n;

	for (i = 0; types[i] != NULL; i++)
		if (strncmp(s, types[i], strlen(types[i])) == 0)
			break;
	if (types[i] == NULL)
		return 0;
	s += strlen(types[i]);
	n = strspn(s, SCHEMA_ALNUM "+/=");
	return n >= 16 && (s[n] == '\0' || s[n] == ' ');
}

/*
 * An element of ssh-keys: a public key file (any path), or a key itself,
 * "ssh-ed25519 AAAA... comment" (a line that starts with a key type).
 */
int
schema_check_ssh_key(const char *s, char **cause)
{
	if (*s == '\0' || !schema_printable(s, false))
		return diag_cause(cause, "ssh-keys: \"%s\" is neither a file "
		    "nor a key (one line: ssh-ed25519 AAAA... comment)", s);
	if (strchr(s, ' ') != NULL && strchr(s, '/') == NULL &&
	    !schema_key_line(s))
		return diag_cause(cause, "ssh-keys: \"%s\" is not a public key "
		    "(TYPE BASE64 [COMMENT], as a .pub file holds it)", s);
	return 0;
}

/* Empty, or a host name: labels of letters, digits and '-', by dots. */
int
schema_check_hostname(const char *s, char **cause)
{
	const char	*label = s;
	size_t		 n;

	if (*s == '\0')
		return 0;
	if (strlen(s) > 253)
		return diag_cause(cause, "hostname is longer than 253 bytes");
	for (;;) {
		n = strspn(label, SCHEMA_ALNUM "-");
		if (n == 0 || n > 63 || *label == '-' || label[n - 1] == '-' ||
		    (label[n] != '.' && label[n] != '\0'))
			return diag_cause(cause, "hostname \"%s\" is not a host "
			    "name: labels of letters, digits and '-' (not "
			    "first or last), 63 at most, between dots", s);
		if (label[n] == '\0')
			return 0;
		label += n + 1;
	}
}

int
schema_check_password(const char *s, char **cause)
{
	if (!schema_printable(s, false))
		return diag_cause(cause, "password: control characters and "
		    "bytes that are not UTF-8 cannot be typed at a login");
	return 0;
}

/* A package as the guest's package manager names it, maybe =VERSION. */
int
schema_check_package(const char *s, char **cause)
{
	if (!schema_made_of(s, 128, SCHEMA_ALNUM, SCHEMA_ALNUM "+._:~=-"))
		return diag_cause(cause, "packages: \"%s\" is not a package "
		    "name (letters, digits and + . _ : ~ = -)", s);
	return 0;
}

int
schema_check_command(const char *s, char **cause)
{
	if (*s == '\0' || !schema_printable(s, true))
		return diag_cause(cause, "commands: a command is text: not "
		    "empty, no control characters but newlines and tabs");
	return 0;
}

/* Empty, or a zone of the tz database: Europe/Berlin, Etc/GMT+5, UTC. */
int
schema_check_timezone(const char *s, char **cause)
{
	if (*s == '\0')
		return 0;
	if (!schema_made_of(s, 64, SCHEMA_ALNUM, SCHEMA_ALNUM "/_+-") ||
	    s[strlen(s) - 1] == '/' || strstr(s, "//") != NULL)
		return diag_cause(cause, "timezone \"%s\" is not a time zone "
		    "(like Europe/Berlin, or UTC)", s);
	return 0;
}
