/*
 * profile: loading a profile file into the model, and the model's own
 * helpers (defaults, path resolution, equality, lists).
 *
 * Loading is three passes: prescan refuses what libconfuse cannot take,
 * libconfuse parses with the schema's checks registered as validate
 * callbacks (which note each value's line and collect every bad value
 * instead of stopping at the first), then profile_validate() checks what
 * spans several values or looks at the host (files, folders).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "paths.h"
#include "prescan.h"
#include "profile.h"
#include "validate.h"

/* One value's line, keyed by its section and schema key. */
struct profile_seen {
	const cfg_t	*sec;
	int		 key;
	int		 line;
};

/* What the callbacks need; libconfuse gives them no user pointer. */
struct profile_parse {
	struct diag		*diag;
	struct profile_seen	*seen;
	size_t			 nseen, size;	/* open hash, size a power of 2 */
};

static struct profile_parse *profile_parsing;

static size_t
profile_hash(const cfg_t *sec, int key, size_t size)
{
	size_t	h = (size_t)(uintptr_t)sec * 31 + (size_t)key;

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return (h >> 13) & (size - 1);
}

static struct profile_seen *
profile_seen_find(struct profile_parse *pp, const cfg_t *sec, int key)
{
	size_t	h;

	if (pp->size == 0)
		return NULL;
	for (h = profile_hash(sec, key, pp->size);; h = (h + 1) &
	    (pp->size - 1)) {
		if (pp->seen[h].sec == NULL)
			return NULL;
		if (pp->seen[h].sec == sec && pp->seen[h].key == key)
			return &pp->seen[h];
	}
}

static int
profile_seen_add(struct profile_parse *pp, const cfg_t *sec, int key,
    int line)
{
	struct profile_seen	*old = pp->seen, *s;
	size_t			 oldsize = pp->size, i, h;

	if ((pp->nseen + 1) * 2 > pp->size) {
		pp->size = pp->size ? pp->size * 2 : 256;
		if ((pp->seen = calloc(pp->size, sizeof *s)) == NULL) {
			pp->seen = old;
			pp->size = oldsize;
			return -1;
		}
		pp->nseen = 0;
		for (i = 0; i < oldsize; i++)
			if (old[i].sec != NULL)
				profile_seen_add(pp, old[i].sec, old[i].key,
				    old[i].line);
		free(old);
	}
	for (h = profile_hash(sec, key, pp->size); pp->seen[h].sec != NULL;
	    h = (h + 1) & (pp->size - 1))
		;
	pp->seen[h].sec = sec;
	pp->seen[h].key = key;
	pp->seen[h].line = line;
	pp->nseen++;
	return 0;
}

/* "forward|host-port" for option host-port in a forward section. */
static int
profile_key_of(const cfg_t *sec, const cfg_opt_t *opt)
{
	char	path[128];

	if (strcmp(sec->name, "root") == 0)
		return schema_index(opt->name);
	snprintf(path, sizeof path, "%s|%s", sec->name, opt->name);
	return schema_index(path);
}

static void
profile_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	struct diag	*d = profile_parsing->diag;
	char		*msg, *name;

	if (vasprintf(&msg, fmt, ap) < 0) {
		d->failed = 1;
		return;
	}
	/* libconfuse says "option"; profiles have keys. */
	if (sscanf(msg, "no such option '%m[^']'", &name) == 1) {
		free(msg);
		if (asprintf(&msg, "unknown key '%s' (see vmtui.conf(5) for "
		    "the keys)", name) < 0)
			msg = NULL;
		free(name);
	}
	diag_take(d, cfg->line, msg);
}

/*
 * Called by libconfuse after each value is set. It notes the line, reports a
 * bad value, and returns 0 so that parsing goes on and
 * every problem is found.
 */
static int
profile_check_value(cfg_t *cfg, cfg_opt_t *opt)
{
	struct profile_parse		*pp = profile_parsing;
	const struct schema_key		*k;
	cfg_value_t			*v;
	char				*cause = NULL;
	int				 key, r = 0;

	if ((key = profile_key_of(cfg, opt)) < 0 || opt->nvalues == 0)
		return 0;
	k = &schema_keys[key];
	/* a key given twice never gets here: prescan refuses it */
	if (profile_seen_find(pp, cfg, key) == NULL &&
	    profile_seen_add(pp, cfg, key, cfg->line) != 0)
		pp->diag->failed = 1;

	v = opt->values[opt->nvalues - 1];
	switch (k->type) {
	case SCHEMA_INT:
		r = schema_check_int(k, v->number, &cause);
		break;
	case SCHEMA_STR:
	case SCHEMA_ENUM:
	case SCHEMA_LIST:
		r = schema_check_str(k, v->string, &cause);
		break;
	case SCHEMA_BOOL:
		break;
	}
	if (r != 0)
		diag_take(pp->diag, cfg->line, cause);
	return 0;
}

static int
profile_line(struct profile_parse *pp, const cfg_t *sec, const char *path)
{
	struct profile_seen	*s;

	s = profile_seen_find(pp, sec, schema_index(path));
	return s != NULL ? s->line : 0;
}

static void
profile_fill_lines(struct profile_parse *pp, const cfg_t *sec,
    const char *prefix, struct profile_lines *lines, int secline)
{
	const struct schema_key	*k;
	size_t			 plen = strlen(prefix);
	int			 i;

	lines->line = secline;
	for (i = 0, k = schema_keys; k->path != NULL; i++, k++) {
		if (plen == 0 ? strchr(k->path, '|') != NULL :
		    (strncmp(k->path, prefix, plen) != 0 ||
		    k->path[plen] != '|'))
			continue;
		lines->key[i] = profile_line(pp, sec, k->path);
		if (lines->line == 0)
			lines->line = lines->key[i];
	}
}

static char *
profile_strdup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static int
profile_enum(const char *const *choices, const char *s)
{
	int	i = schema_enum_index(choices, s);

	return i < 0 ? 0 : i;
}

static int
profile_list(cfg_t *sec, const char *name, struct strv *sv)
{
	unsigned int	i, n = cfg_size(sec, name);

	for (i = 0; i < n; i++)
		if (strv_add(sv, cfg_getnstr(sec, name, i)) != 0)
			return -1;
	return 0;
}

/* Build the model from what libconfuse parsed. */
static int
profile_from_cfg(struct profile *p, cfg_t *cfg, struct profile_parse *pp,
    const struct prescan *ps)
{
	cfg_t		*sec;
	unsigned int	 i;
	const char	*mode;
	int		 oom = 0;

	p->version = cfg_getint(cfg, "version");
	if (cfg_getstr(cfg, "name") != NULL) {
		free(p->name);
		p->name = profile_strdup(cfg_getstr(cfg, "name"));
	}
	free(p->description);
	p->description = profile_strdup(cfg_getstr(cfg, "description"));
	p->arch = profile_enum(schema_arches, cfg_getstr(cfg, "arch"));
	p->memory = cfg_getint(cfg, "memory");
	p->cores = cfg_getint(cfg, "cores");
	p->accel = profile_enum(schema_accels, cfg_getstr(cfg, "accel"));
	p->graphics = cfg_getbool(cfg, "graphics");
	p->guest_agent = cfg_getbool(cfg, "guest-agent");
	p->virtio_keyboard = cfg_getbool(cfg, "virtio-keyboard");
	p->disk_interface = profile_enum(schema_diskifs,
	    cfg_getstr(cfg, "disk-interface"));
	p->network = profile_enum(schema_networks, cfg_getstr(cfg, "network"));
	p->restrict_network = cfg_getbool(cfg, "restrict-network");
	p->exchange_dir = cfg_getbool(cfg, "exchange-dir");
	profile_fill_lines(pp, cfg, "", &p->lines, 1);

	if (cfg_size(cfg, "root-disk") > 1)
		diag_add(pp->diag, prescan_line(ps, "root-disk", 1),
		    "root-disk is given twice; a machine has one root disk");
	if (cfg_size(cfg, "root-disk") > 0) {
		sec = cfg_getnsec(cfg, "root-disk", 0);
		p->has_root_disk = true;
		free(p->root_image);
		p->root_image = profile_strdup(cfg_getstr(sec, "image"));
		p->root_size = cfg_getint(sec, "size");
		profile_fill_lines(pp, sec, "root-disk", &p->lines,
		    prescan_line(ps, "root-disk", 0));
		p->lines.line = 0;
	}

	/*
	 * libconfuse merges sections of one title; prescan refuses titles
	 * written alike, so a difference here is one title written two ways
	 * ("a" and "\x61").
	 */
	if (cfg_size(cfg, "disk") != prescan_count(ps, "disk") ||
	    cfg_size(cfg, "share") != prescan_count(ps, "share")) {
		diag_add(pp->diag, 0, "two disk or share sections have the same "
		    "title, written two ways; give each its own title");
	}
	for (i = 0; i < cfg_size(cfg, "disk"); i++) {
		struct profile_disk	*d;

		sec = cfg_getnsec(cfg, "disk", i);
		if (profile_add_disk(p, cfg_title(sec)) != 0)
			return -1;
		d = &p->disks[p->ndisks - 1];
		d->size = cfg_size(sec, "size") ? cfg_getint(sec, "size") : 0;
		d->ephemeral = cfg_getbool(sec, "ephemeral");
		profile_fill_lines(pp, sec, "disk", &d->lines,
		    prescan_line(ps, "disk", i));
	}
	for (i = 0; i < cfg_size(cfg, "share"); i++) {
		struct profile_share	*s;

		sec = cfg_getnsec(cfg, "share", i);
		if (profile_add_share(p, cfg_title(sec),
		    cfg_getstr(sec, "source")) != 0)
			return -1;
		s = &p->shares[p->nshares - 1];
		free(s->target);
		s->target = profile_strdup(cfg_getstr(sec, "target"));
		s->readonly = cfg_getbool(sec, "readonly");
		oom |= s->target == NULL;
		profile_fill_lines(pp, sec, "share", &s->lines,
		    prescan_line(ps, "share", i));
	}
	for (i = 0; i < cfg_size(cfg, "forward"); i++) {
		struct profile_forward	*f;

		sec = cfg_getnsec(cfg, "forward", i);
		if (profile_add_forward(p) != 0)
			return -1;
		f = &p->forwards[p->nforwards - 1];
		f->from = profile_enum(schema_forward_froms,
		    cfg_getstr(sec, "from"));
		f->proto = profile_enum(schema_protos, cfg_getstr(sec, "proto"));
		free(f->host_address);
		free(f->guest_address);
		f->host_address = profile_strdup(cfg_getstr(sec,
		    "host-address"));
		f->guest_address = profile_strdup(cfg_getstr(sec,
		    "guest-address"));
		oom |= f->host_address == NULL || f->guest_address == NULL;
		f->host_port = cfg_size(sec, "host-port") ?
		    cfg_getint(sec, "host-port") : 0;
		f->guest_port = cfg_size(sec, "guest-port") ?
		    cfg_getint(sec, "guest-port") : 0;
		profile_fill_lines(pp, sec, "forward", &f->lines,
		    prescan_line(ps, "forward", i));
	}

	sec = cfg_getsec(cfg, "boot");
	mode = cfg_size(sec, "mode") ? cfg_getstr(sec, "mode") : NULL;
	p->boot_mode = mode == NULL ? BOOT_UNSET :
	    (enum bootmode)profile_enum(schema_bootmodes, mode);
#define PROFILE_STR(field, s, key) do {				\
	free(p->field);							\
	p->field = profile_strdup(cfg_getstr(s, key));			\
	oom |= p->field == NULL;					\
} while (0)
	PROFILE_STR(kernel, sec, "kernel");
	PROFILE_STR(initrd, sec, "initrd");
	PROFILE_STR(append, sec, "append");
	PROFILE_STR(cdrom, sec, "cdrom");
	PROFILE_STR(firmware, sec, "firmware");
	PROFILE_STR(efi_vars_template, sec, "efi-vars-template");
	PROFILE_STR(efi_vars, sec, "efi-vars");
	PROFILE_STR(bios, sec, "bios");
	oom |= profile_list(sec, "consoles", &p->consoles);
	profile_fill_lines(pp, sec, "boot", &p->lines, 1);

	sec = cfg_getsec(cfg, "qemu");
	PROFILE_STR(qemu_binary, sec, "binary");
#undef PROFILE_STR
	oom |= profile_list(sec, "options", &p->qemu_options);
	p->msize = cfg_getint(sec, "msize");
	profile_fill_lines(pp, sec, "qemu", &p->lines, 1);
	p->lines.line = 0;	/* no line for the whole file */

	return oom || p->description == NULL ? -1 : 0;
}

static int
profile_read(const char *path, char **bufp, size_t *lenp, char **cause)
{
	struct stat	 st;
	struct buf	 b;
	char		 chunk[65536];
	ssize_t		 n;
	int		 fd;

	/* non-blocking: a FIFO must not hang the open */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		if (asprintf(cause, "%s: %s", path, strerror(errno)) < 0)
			*cause = NULL;
		return -1;
	}
	memset(&st, 0, sizeof st);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		if (asprintf(cause, "%s: not a regular file (%s); a profile is "
		    "a text file", path, S_ISDIR(st.st_mode) ? "a folder" :
		    S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ?
		    "a socket" : "a device") < 0)
			*cause = NULL;
		return -1;
	}
	(void)fcntl(fd, F_SETFL, 0);
	buf_init(&b);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(&b, chunk, (size_t)n);
		if (b.len > PRESCAN_MAX_BYTES)
			break;	/* prescan reports the size */
	}
	if (n == -1) {
		if (asprintf(cause, "%s: %s", path, strerror(errno)) < 0)
			*cause = NULL;
		close(fd);
		buf_free(&b);
		return -1;
	}
	close(fd);
	if ((*bufp = buf_finish(&b, lenp)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	return 0;
}

/* The name a profile gets from its file: "demo" for ".../demo.conf". */
static char *
profile_basename(const char *path)
{
	const char	*base = strrchr(path, '/');
	size_t		 len;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
		len -= 5;
	return strndup(base, len);
}

/* The profile's folder as an absolute path: launch scripts run anywhere. */
static char *
profile_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, *real;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL || (real = realpath(dir, NULL)) == NULL)
		return dir;
	free(dir);
	return real;
}

/*
 * Read a profile. With check, also every rule of validate_profile(); without,
 * only the syntax and each value on its own.
 */
static int
profile_read_file(const char *path, bool check, struct profile **pp_out,
    char **cause)
{
	struct profile_parse	 pp;
	struct prescan		 ps;
	struct diag		 d;
	struct profile		*p;
	cfg_t			*cfg;
	FILE			*f;
	char			*buf, *dir, *name;
	size_t			 len;
	const struct schema_key	*k;
	int			 r;

	*pp_out = NULL;
	*cause = NULL;
	if (profile_read(path, &buf, &len, cause) != 0)
		return -1;

	diag_init(&d, path);
	if (prescan_run(buf, len, &d, &ps) != 0) {
		prescan_free(&ps);
		free(buf);
		*cause = diag_finish(&d);
		return -1;
	}

	memset(&pp, 0, sizeof pp);
	pp.diag = &d;
	if ((cfg = cfg_init(schema_options(), CFGF_NONE)) == NULL) {
		prescan_free(&ps);
		free(buf);
		diag_free(&d);
		*cause = strdup("out of memory");
		return -1;
	}
	cfg_set_error_function(cfg, profile_error);
	for (k = schema_keys; k->path != NULL; k++)
		cfg_set_validate_func(cfg, k->path, profile_check_value);
	free(cfg->filename);
	cfg->filename = strdup(path);

	profile_parsing = &pp;
	if ((f = fmemopen(buf, len, "r")) == NULL)
		r = CFG_PARSE_ERROR;
	else {
		r = len == 0 ? CFG_SUCCESS : cfg_parse_fp(cfg, f);
		fclose(f);
	}
	profile_parsing = NULL;
	free(buf);

	dir = profile_dirname(path);
	name = profile_basename(path);
	p = profile_new(name != NULL ? name : "", dir != NULL ? dir : ".");
	free(dir);
	free(name);
	if (p == NULL || (p->file = strdup(path)) == NULL) {
		d.failed = 1;
	} else if (r == CFG_SUCCESS) {
		if (profile_from_cfg(p, cfg, &pp, &ps) != 0)
			d.failed = 1;
	} else {
		if (d.n == 0)
			diag_add(&d, cfg->line, "cannot parse the file");
		/* a quote left open swallows lines: say where it began */
		if (ps.open_string > 0 && ps.open_string < cfg->line)
			diag_add(&d, ps.open_string, "this string runs on to "
			    "line %d; is a closing quote missing?",
			    ps.open_string_end);
	}
	cfg_free(cfg);
	free(pp.seen);
	prescan_free(&ps);

	/* Values that could be read are checked as a whole too. */
	if (check && r == CFG_SUCCESS && !d.failed)
		validate_profile(p, &d);
	if ((*cause = diag_finish(&d)) != NULL) {
		profile_free(p);
		return -1;
	}
	*pp_out = p;
	return 0;
}

int
profile_load(const char *path, struct profile **p, char **cause)
{
	return profile_read_file(path, true, p, cause);
}

int
profile_parse(const char *path, struct profile **p, char **cause)
{
	return profile_read_file(path, false, p, cause);
}

struct profile *
profile_new(const char *name, const char *dir)
{
	struct profile	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->version = SCHEMA_VERSION;
	p->name = strdup(name);
	p->dir = strdup(dir);
	p->description = strdup("");
	p->arch = ARCH_X86_64;
	p->memory = 1024;
	p->cores = 1;
	p->accel = ACCEL_AUTO;
	p->guest_agent = true;
	p->virtio_keyboard = true;
	p->root_image = strdup("");
	p->root_size = 1024;
	p->boot_mode = BOOT_UNSET;
	p->kernel = strdup("");
	p->initrd = strdup("");
	p->append = strdup("");
	p->cdrom = strdup("");
	p->firmware = strdup("");
	p->efi_vars_template = strdup("");
	p->efi_vars = strdup("");
	p->bios = strdup("");
	p->qemu_binary = strdup("");
	p->msize = 16384;
	if (p->name == NULL || p->dir == NULL || p->description == NULL ||
	    p->root_image == NULL || p->kernel == NULL || p->initrd == NULL ||
	    p->append == NULL || p->cdrom == NULL || p->firmware == NULL ||
	    p->efi_vars_template == NULL || p->efi_vars == NULL ||
	    p->bios == NULL || p->qemu_binary == NULL) {
		profile_free(p);
		return NULL;
	}
	return p;
}

int
profile_add_disk(struct profile *p, const char *title)
{
	struct profile_disk	*v;

	if ((v = realloc(p->disks, (p->ndisks + 1) * sizeof *v)) == NULL)
		return -1;
	p->disks = v;
	v = &p->disks[p->ndisks];
	memset(v, 0, sizeof *v);
	if ((v->title = strdup(title)) == NULL)
		return -1;
	v->size = 1024;
	p->ndisks++;
	return 0;
}

int
profile_add_share(struct profile *p, const char *tag, const char *source)
{
	struct profile_share	*v;

	if ((v = realloc(p->shares, (p->nshares + 1) * sizeof *v)) == NULL)
		return -1;
	p->shares = v;
	v = &p->shares[p->nshares];
	memset(v, 0, sizeof *v);
	v->tag = strdup(tag);
	v->source = strdup(source != NULL ? source : "");
	v->target = strdup("");
	if (v->tag == NULL || v->source == NULL || v->target == NULL) {
		free(v->tag);
		free(v->source);
		free(v->target);
		return -1;
	}
	p->nshares++;
	return 0;
}

int
profile_add_forward(struct profile *p)
{
	struct profile_forward	*v;

	if ((v = realloc(p->forwards, (p->nforwards + 1) * sizeof *v)) == NULL)
		return -1;
	p->forwards = v;
	v = &p->forwards[p->nforwards];
	memset(v, 0, sizeof *v);
	v->from = FWD_HOST;
	v->proto = PROTO_TCP;
	v->host_address = strdup("127.0.0.1");
	v->guest_address = strdup("");
	if (v->host_address == NULL || v->guest_address == NULL) {
		free(v->host_address);
		free(v->guest_address);
		return -1;
	}
	p->nforwards++;
	return 0;
}

void
profile_free(struct profile *p)
{
	size_t	i;

	if (p == NULL)
		return;
	free(p->file);
	free(p->dir);
	free(p->name);
	free(p->description);
	free(p->root_image);
	for (i = 0; i < p->ndisks; i++)
		free(p->disks[i].title);
	free(p->disks);
	for (i = 0; i < p->nshares; i++) {
		free(p->shares[i].tag);
		free(p->shares[i].source);
		free(p->shares[i].target);
	}
	free(p->shares);
	for (i = 0; i < p->nforwards; i++) {
		free(p->forwards[i].host_address);
		free(p->forwards[i].guest_address);
	}
	free(p->forwards);
	free(p->kernel);
	free(p->initrd);
	free(p->append);
	strv_free(&p->consoles);
	free(p->cdrom);
	free(p->firmware);
	free(p->efi_vars_template);
	free(p->efi_vars);
	free(p->bios);
	free(p->qemu_binary);
	strv_free(&p->qemu_options);
	free(p);
}

#define SAME_STR(a, b)	(strcmp((a), (b)) == 0)

/* Equal as machines: every value the file holds, not where it came from. */
int
profile_equal(const struct profile *a, const struct profile *b)
{
	size_t	i;

	if (a->version != b->version || !SAME_STR(a->name, b->name) ||
	    !SAME_STR(a->description, b->description) || a->arch != b->arch ||
	    a->memory != b->memory || a->cores != b->cores ||
	    a->accel != b->accel || a->graphics != b->graphics ||
	    a->guest_agent != b->guest_agent ||
	    a->virtio_keyboard != b->virtio_keyboard ||
	    a->disk_interface != b->disk_interface ||
	    a->network != b->network ||
	    a->restrict_network != b->restrict_network ||
	    a->exchange_dir != b->exchange_dir ||
	    a->has_root_disk != b->has_root_disk ||
	    a->ndisks != b->ndisks || a->nshares != b->nshares ||
	    a->nforwards != b->nforwards || a->boot_mode != b->boot_mode ||
	    !SAME_STR(a->kernel, b->kernel) || !SAME_STR(a->initrd, b->initrd) ||
	    !SAME_STR(a->append, b->append) ||
	    !strv_equal(&a->consoles, &b->consoles) ||
	    !SAME_STR(a->cdrom, b->cdrom) ||
	    !SAME_STR(a->firmware, b->firmware) ||
	    !SAME_STR(a->efi_vars_template, b->efi_vars_template) ||
	    !SAME_STR(a->efi_vars, b->efi_vars) || !SAME_STR(a->bios, b->bios) ||
	    !SAME_STR(a->qemu_binary, b->qemu_binary) ||
	    !strv_equal(&a->qemu_options, &b->qemu_options) ||
	    a->msize != b->msize)
		return 0;
	if (a->has_root_disk && (!SAME_STR(a->root_image, b->root_image) ||
	    a->root_size != b->root_size))
		return 0;
	for (i = 0; i < a->ndisks; i++)
		if (!SAME_STR(a->disks[i].title, b->disks[i].title) ||
		    a->disks[i].size != b->disks[i].size ||
		    a->disks[i].ephemeral != b->disks[i].ephemeral)
			return 0;
	for (i = 0; i < a->nshares; i++)
		if (!SAME_STR(a->shares[i].tag, b->shares[i].tag) ||
		    !SAME_STR(a->shares[i].source, b->shares[i].source) ||
		    !SAME_STR(a->shares[i].target, b->shares[i].target) ||
		    a->shares[i].readonly != b->shares[i].readonly)
			return 0;
	for (i = 0; i < a->nforwards; i++) {
		const struct profile_forward *x = &a->forwards[i];
		const struct profile_forward *y = &b->forwards[i];

		if (x->from != y->from || x->proto != y->proto ||
		    !SAME_STR(x->host_address, y->host_address) ||
		    x->host_port != y->host_port ||
		    !SAME_STR(x->guest_address, y->guest_address) ||
		    x->guest_port != y->guest_port)
			return 0;
	}
	return 1;
}

/* The boot mode in force: the file's, or disk with a root disk, else kernel. */
enum bootmode
profile_boot_mode(const struct profile *p)
{
	if (p->boot_mode != BOOT_UNSET)
		return p->boot_mode;
	return p->has_root_disk ? BOOT_DISK : BOOT_KERNEL;
}

/*
 * A path as the profile means it: absolute as written, "~/" from $HOME,
 * anything else from the profile's folder. NULL for "" (unset).
 */
char *
profile_path(const struct profile *p, const char *raw)
{
	char	*s;

	if (raw == NULL || *raw == '\0')
		return NULL;
	if (*raw == '/')
		return strdup(raw);
	if (raw[0] == '~' && raw[1] == '/') {
		/* $HOME, or the passwd entry's when HOME is unset */
		if (asprintf(&s, "%s/%s", paths_home(), raw + 2) < 0)
			return NULL;
		return s;
	}
	if (asprintf(&s, "%s/%s", p->dir != NULL ? p->dir : ".", raw) < 0)
		return NULL;
	return s;
}

/*
 * The kernel consoles: the profile's, or the seed's pair with the primary
 * (last) one on serial when there is no display.
 */
int
profile_default_consoles(const struct profile *p, struct strv *sv)
{
	const char	*serial;

	if (p->consoles.n > 0)
		return strv_copy(sv, &p->consoles);
	serial = p->arch == ARCH_AARCH64 ? "ttyAMA0,115200n8" : "ttyS0,115200n8";
	if (p->graphics)
		return strv_add(sv, serial) | strv_add(sv, "tty0");
	return strv_add(sv, "tty0") | strv_add(sv, serial);
}
