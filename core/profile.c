/*
 * profile: loading a profile file into the model, and the model's own
 * helpers (defaults, path resolution, equality, lists).
 *
 * Loading is three passes: prescan refuses what libconfuse cannot take,
 * libconfuse parses with the schema's checks registered as validate
 * callbacks (which note each value's line and collect every bad value
 * instead of stopping at the first), then the caller's check (validate.c's
 * rules, through validate_load()) looks at what spans several values or at
 * the host (files, folders).
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
#include "cfgtext.h"
#include "diag.h"
#include "paths.h"
#include "prescan.h"
#include "profile.h"

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

/* Where each key's value lives: its member in the section's struct. */
#define PROFILE_STRUCT_ROOT		struct profile
#define PROFILE_STRUCT_ROOT_DISK	struct profile
#define PROFILE_STRUCT_ROOT_DISK_DRIVE	struct profile
#define PROFILE_STRUCT_BOOT		struct profile
#define PROFILE_STRUCT_QEMU		struct profile
#define PROFILE_STRUCT_CLOUD_INIT	struct profile
#define PROFILE_STRUCT_DISK		struct profile_disk
#define PROFILE_STRUCT_DISK_DRIVE	struct profile_disk
#define PROFILE_STRUCT_SHARE		struct profile_share
#define PROFILE_STRUCT_FORWARD		struct profile_forward
/* a drive option's member is in the disk's struct profile_drive */
#define PROFILE_IN_ROOT
#define PROFILE_IN_ROOT_DISK
#define PROFILE_IN_ROOT_DISK_DRIVE	root_drive.
#define PROFILE_IN_BOOT
#define PROFILE_IN_QEMU
#define PROFILE_IN_CLOUD_INIT
#define PROFILE_IN_DISK
#define PROFILE_IN_DISK_DRIVE		drive.
#define PROFILE_IN_SHARE
#define PROFILE_IN_FORWARD

static const size_t profile_offsets[SCHEMA_NKEYS] = {
#define SCHEMA_KEY(id, path, sec, member, t, ...) \
	[SCHEMA_K_##id] = offsetof(PROFILE_STRUCT_##sec, \
	    PROFILE_IN_##sec member),
#include "schema.def"
#undef SCHEMA_KEY
};

/* Each entry's ctype fits its TYPE: a wrong entry does not compile. */
#define PROFILE_TYPE_OF(x) _Generic((x), long: SCHEMA_INT, bool: SCHEMA_BOOL, \
	char *: SCHEMA_STR, struct strv: SCHEMA_LIST, struct numv: SCHEMA_NUMS, \
	default: SCHEMA_ENUM)
#define SCHEMA_KEY(id, path, sec, member, t, ...)			\
	_Static_assert(PROFILE_TYPE_OF(((PROFILE_STRUCT_##sec *)0)->	\
	    PROFILE_IN_##sec member) == SCHEMA_##t,			\
	    "schema.def: " #member " is not " #t);
#include "schema.def"
#undef SCHEMA_KEY
_Static_assert(sizeof(enum bootmode) == sizeof(int) &&
    sizeof(enum arch) == sizeof(int), "enumerations are stored as int");

/* The rows of a section that has any number: their arrays in the model. */
#define PROFILE_NO_TITLE	((size_t)-1)
static const struct profile_rows {
	size_t	array, count, size, title, lines;
} profile_rows[SCHEMA_NSECTIONS] = {
	[SCHEMA_DISK] = { offsetof(struct profile, disks),
	    offsetof(struct profile, ndisks), sizeof(struct profile_disk),
	    offsetof(struct profile_disk, title),
	    offsetof(struct profile_disk, lines) },
	[SCHEMA_SHARE] = { offsetof(struct profile, shares),
	    offsetof(struct profile, nshares), sizeof(struct profile_share),
	    offsetof(struct profile_share, tag),
	    offsetof(struct profile_share, lines) },
	[SCHEMA_FORWARD] = { offsetof(struct profile, forwards),
	    offsetof(struct profile, nforwards), sizeof(struct profile_forward),
	    PROFILE_NO_TITLE, offsetof(struct profile_forward, lines) },
};

#define PROFILE_IS_ROWS(s)	(schema_sections[s].flags & SCHEMA_ROWS)

/*
 * Whether an optional section (a root disk, cloud-init) is there: its flag
 * in the model, NULL for a section that is not optional.
 */
bool *
profile_present(struct profile *p, enum schema_section s)
{
	if (!(schema_sections[s].flags & SCHEMA_OPTIONAL))
		return NULL;
	return s == SCHEMA_ROOT_DISK ? &p->has_root_disk : &p->has_cloud_init;
}

/* How many of a section the profile has: rows, 0 or 1 optional, else 1. */
size_t
profile_count(const struct profile *p, enum schema_section s)
{
	const bool	*there;

	if (PROFILE_IS_ROWS(s))
		return *(const size_t *)((const char *)p + profile_rows[s].count);
	if ((there = profile_present((struct profile *)p, s)) != NULL)
		return *there ? 1 : 0;
	return 1;
}

/* The struct that holds a section's values: row i, or the profile. */
static char *
profile_base(const struct profile *p, enum schema_section s, size_t i)
{
	char	*array;

	if (!PROFILE_IS_ROWS(s))
		return (char *)p;
	array = *(char **)((const char *)p + profile_rows[s].array);
	return array + i * profile_rows[s].size;
}

/* The value of a key (in row i of its section) as a pointer to its type. */
void *
profile_value(const struct profile *p, enum schema_id key, size_t i)
{
	return profile_base(p, schema_keys[key].section, i) +
	    profile_offsets[key];
}

/* Where a section's values were read: row i's lines, or the profile's. */
const struct profile_lines *
profile_lines_of(const struct profile *p, enum schema_section s, size_t i)
{
	if (!PROFILE_IS_ROWS(s))
		return &p->lines;
	return (const struct profile_lines *)(profile_base(p, s, i) +
	    profile_rows[s].lines);
}

/* A row's title (a disk's, a share's mount tag), or NULL. */
char **
profile_title(const struct profile *p, enum schema_section s, size_t i)
{
	if (!PROFILE_IS_ROWS(s) || profile_rows[s].title == PROFILE_NO_TITLE)
		return NULL;
	return (char **)(profile_base(p, s, i) + profile_rows[s].title);
}

/* An ENUM key's value when a file leaves it out: past its choices. */
static int
profile_unset(const struct schema_key *k)
{
	return (int)schema_nchoices(k);
}

/* Key k's default into v (whatever v held is not freed). -1: no memory. */
static int
profile_default_value(const struct schema_key *k, void *v)
{
	int	i;

	switch (k->type) {
	case SCHEMA_INT:
		*(long *)v = k->num;
		break;
	case SCHEMA_BOOL:
		*(bool *)v = k->num != 0;
		break;
	case SCHEMA_STR:
		*(char **)v = strdup(k->str != NULL ? k->str : "");
		return *(char **)v == NULL ? -1 : 0;
	case SCHEMA_ENUM:
		i = schema_enum_index(k->choices, k->str);
		*(int *)v = i >= 0 ? i : profile_unset(k);
		break;
	case SCHEMA_LIST:
		memset(v, 0, sizeof(struct strv));
		break;
	case SCHEMA_NUMS:
		memset(v, 0, sizeof(struct numv));
		break;
	}
	return 0;
}

/* Every key of a section at its default, in the struct at base. */
static int
profile_defaults(char *base, enum schema_section s)
{
	const struct schema_key	*k;
	int			 oom = 0;

	for (k = schema_keys; k->path != NULL; k++)
		if (k->section == s)
			oom |= profile_default_value(k,
			    base + profile_offsets[k - schema_keys]) != 0;
	return oom ? -1 : 0;
}

/*
 * One key of row i (or of the profile) back to its default, as if the file
 * left it out. -1: out of memory (the old value is kept).
 */
int
profile_reset_key(struct profile *p, enum schema_id id, size_t i)
{
	const struct schema_key	*k = &schema_keys[id];
	void			*v = profile_value(p, id, i);
	char			*old;

	switch (k->type) {
	case SCHEMA_STR:
		old = *(char **)v;
		if (profile_default_value(k, v) != 0) {
			*(char **)v = old;
			return -1;
		}
		free(old);
		return 0;
	case SCHEMA_LIST:
		strv_free(v);
		break;
	case SCHEMA_NUMS:
		numv_free(v);
		break;
	default:
		break;
	}
	return profile_default_value(k, v);
}

/* Free what a section's keys hold in the struct at base. */
static void
profile_clear(char *base, enum schema_section s)
{
	const struct schema_key	*k;

	for (k = schema_keys; k->path != NULL; k++) {
		void	*v = base + profile_offsets[k - schema_keys];

		if (k->section != s)
			continue;
		if (k->type == SCHEMA_STR) {
			free(*(char **)v);
			*(char **)v = NULL;
		} else if (k->type == SCHEMA_LIST)
			strv_free(v);
		else if (k->type == SCHEMA_NUMS)
			numv_free(v);
	}
}

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
	case SCHEMA_NUMS:
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
    enum schema_section section, struct profile_lines *lines, int secline)
{
	const struct schema_key	*k;
	int			 i;

	lines->line = secline;
	for (i = 0, k = schema_keys; k->path != NULL; i++, k++) {
		if (k->section != section)
			continue;
		lines->key[i] = profile_line(pp, sec, k->path);
		if (lines->line == 0)
			lines->line = lines->key[i];
	}
}

/*
 * A section's values from what libconfuse parsed into the struct at base.
 * A key without a default that the file leaves out: an INT is 0, an ENUM unset, a STR
 * keeps what the model holds (the file's name for name, else "").
 */
static int
profile_from_sec(char *base, cfg_t *sec, enum schema_section s)
{
	const struct schema_key	*k;
	const char		*name, *str;
	unsigned int		 i, n;
	int			 oom = 0, e;

	for (k = schema_keys; k->path != NULL; k++) {
		void	*v = base + profile_offsets[k - schema_keys];

		if (k->section != s)
			continue;
		name = schema_key_name(k);
		n = cfg_size(sec, name);
		if (n == 0 && (k->flags & SCHEMA_NODEFAULT)) {
			if (k->type == SCHEMA_INT)
				*(long *)v = 0;
			else if (k->type == SCHEMA_ENUM)
				*(int *)v = profile_unset(k);
			continue;
		}
		switch (k->type) {
		case SCHEMA_INT:
			*(long *)v = cfg_getint(sec, name);
			break;
		case SCHEMA_BOOL:
			*(bool *)v = cfg_getbool(sec, name);
			break;
		case SCHEMA_STR:
			str = cfg_getstr(sec, name);
			free(*(char **)v);
			*(char **)v = strdup(str != NULL ? str : "");
			oom |= *(char **)v == NULL;
			break;
		case SCHEMA_ENUM:
			/* a bad value is reported already; it reads as the first */
			e = schema_enum_index(k->choices, cfg_getstr(sec, name));
			*(int *)v = e < 0 ? 0 : e;
			break;
		case SCHEMA_LIST:
			strv_free(v);
			for (i = 0; i < n; i++)
				oom |= strv_add(v, cfg_getnstr(sec, name, i));
			break;
		case SCHEMA_NUMS:
			numv_free(v);
			for (i = 0; i < n; i++)
				oom |= numv_add(v, cfg_getnint(sec, name, i));
			break;
		}
	}
	return oom ? -1 : 0;
}

/* Build the model from what libconfuse parsed. */
static int
profile_from_cfg(struct profile *p, cfg_t *cfg, struct profile_parse *pp,
    const struct prescan *ps)
{
	const struct schema_section_def	*sd;
	struct profile_lines		*lines;
	cfg_t				*sec;
	unsigned int			 i, n;
	int				 s;
	char				*base;

	if (profile_from_sec((char *)p, cfg, SCHEMA_ROOT) != 0)
		return -1;
	profile_fill_lines(pp, cfg, SCHEMA_ROOT, &p->lines, 1);

	if (cfg_size(cfg, "root-disk") > 1)
		diag_add(pp->diag, prescan_line(ps, "root-disk", 1),
		    "root-disk is given twice; a machine has one root disk");
	if (cfg_size(cfg, "cloud-init") > 1)
		diag_add(pp->diag, prescan_line(ps, "cloud-init", 1),
		    "cloud-init is given twice; write its keys in one section");
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
	for (s = SCHEMA_ROOT + 1; s < SCHEMA_NSECTIONS; s++) {
		sd = &schema_sections[s];
		n = cfg_size(cfg, sd->name);
		if (sd->flags & SCHEMA_OPTIONAL)
			n = n > 0 ? 1 : 0;
		for (i = 0; i < n; i++) {
			sec = cfg_getnsec(cfg, sd->name, i);
			if (PROFILE_IS_ROWS(s)) {
				if (profile_add_row(p, (enum schema_section)s,
				    cfg_title(sec)) != 0)
					return -1;
				base = profile_base(p, (enum schema_section)s,
				    profile_count(p, (enum schema_section)s) - 1);
				lines = (struct profile_lines *)(base +
				    profile_rows[s].lines);
			} else {
				if (sd->flags & SCHEMA_OPTIONAL)
					*profile_present(p,
					    (enum schema_section)s) = true;
				base = (char *)p;
				lines = &p->lines;
			}
			if (profile_from_sec(base, sec,
			    (enum schema_section)s) != 0)
				return -1;
			profile_fill_lines(pp, sec, (enum schema_section)s,
			    lines, sd->flags & (SCHEMA_ROWS | SCHEMA_OPTIONAL) ?
			    prescan_line(ps, sd->name, i) : 1);
		}
	}
	p->lines.line = 0;	/* no line for the whole file */
	return 0;
}

/*
 * The bytes of the profile at path (a regular file: a FIFO or a device is
 * refused, never waited on), at most a little over PRESCAN_MAX_BYTES (the
 * parse says when it is too long); NUL-terminated. 0, or -1 and why.
 */
int
profile_read_file(const char *path, char **bufp, size_t *lenp, char **cause)
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

static int	profile_parse_buf(const char *, char *, size_t,
		    void (*)(const struct profile *, struct diag *),
		    struct profile **, char **);

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
 * Read a profile: its syntax and each value on its own, and, when the file
 * could be read, what check finds (validate_load() gives every rule), all in
 * one report.
 */
int
profile_read_checked(const char *path,
    void (*check)(const struct profile *, struct diag *),
    struct profile **pp_out, char **cause)
{
	char	*buf;
	size_t	 len;

	*pp_out = NULL;
	*cause = NULL;
	if (profile_read_file(path, &buf, &len, cause) != 0)
		return -1;
	return profile_parse_buf(path, buf, len, check, pp_out, cause);
}

/*
 * The profile in text (len bytes), read as the file at path would be: its
 * syntax and values, and what check finds. The text stays as it is.
 */
int
profile_parse_text(const char *path, const char *text, size_t len,
    void (*check)(const struct profile *, struct diag *),
    struct profile **pp_out, char **cause)
{
	char	*buf;

	*pp_out = NULL;
	*cause = NULL;
	if ((buf = malloc(len + 1)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	return profile_parse_buf(path, buf, len, check, pp_out, cause);
}

/* profile_parse_text() of buf, which it blanks in place and frees. */
static int
profile_parse_buf(const char *path, char *buf, size_t len,
    void (*check)(const struct profile *, struct diag *),
    struct profile **pp_out, char **cause)
{
	struct profile_parse	 pp;
	struct prescan		 ps;
	struct diag		 d;
	struct profile		*p;
	cfg_t			*cfg;
	char			*dir, *name;
	const struct schema_key	*k;
	int			 r;

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

	profile_parsing = &pp;
	r = cfgtext_parse(cfg, path, buf, len, NULL);
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
	if (check != NULL && r == CFG_SUCCESS && !d.failed)
		check(p, &d);
	if ((*cause = diag_finish(&d)) != NULL) {
		profile_free(p);
		return -1;
	}
	*pp_out = p;
	return 0;
}

int
profile_parse(const char *path, struct profile **p, char **cause)
{
	return profile_read_checked(path, NULL, p, cause);
}

/* A profile with every value at its default; no root disk, no rows. */
struct profile *
profile_new(const char *name, const char *dir)
{
	struct profile	*p;
	int		 s, oom = 0;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	for (s = 0; s < SCHEMA_NSECTIONS; s++)
		if (!PROFILE_IS_ROWS(s))
			oom |= profile_defaults((char *)p,
			    (enum schema_section)s);
	free(p->name);
	p->name = strdup(name);
	p->dir = strdup(dir);
	if (oom || p->name == NULL || p->dir == NULL) {
		profile_free(p);
		return NULL;
	}
	return p;
}

/* A new row at the end of a section's rows, at its defaults. */
int
profile_add_row(struct profile *p, enum schema_section s, const char *title)
{
	const struct profile_rows	*r = &profile_rows[s];
	char				**array = (char **)((char *)p + r->array);
	size_t				 *count = (size_t *)((char *)p + r->count);
	char				 *v, **t;

	if (!PROFILE_IS_ROWS(s))
		return -1;
	if ((v = realloc(*array, (*count + 1) * r->size)) == NULL)
		return -1;
	*array = v;
	v += *count * r->size;
	memset(v, 0, r->size);
	if (profile_defaults(v, s) != 0 ||
	    ((t = profile_title(p, s, *count)) != NULL &&
	    (*t = strdup(title != NULL ? title : "")) == NULL)) {
		profile_clear(v, s);
		return -1;
	}
	(*count)++;
	return 0;
}

/* Row i of a section out, the rows after it moved up. */
void
profile_remove_row(struct profile *p, enum schema_section s, size_t i)
{
	const struct profile_rows	*r = &profile_rows[s];
	char				*array;
	size_t				*count = (size_t *)((char *)p + r->count);
	char				**t;

	if (!PROFILE_IS_ROWS(s) || i >= *count)
		return;
	array = *(char **)((char *)p + r->array);
	profile_clear(array + i * r->size, s);
	if ((t = profile_title(p, s, i)) != NULL)
		free(*t);
	memmove(array + i * r->size, array + (i + 1) * r->size,
	    (*count - i - 1) * r->size);
	(*count)--;
}

int
profile_add_disk(struct profile *p, const char *title)
{
	return profile_add_row(p, SCHEMA_DISK, title);
}

int
profile_add_share(struct profile *p, const char *tag, const char *source)
{
	char	**src;

	if (profile_add_row(p, SCHEMA_SHARE, tag) != 0)
		return -1;
	src = profile_value(p, SCHEMA_K_SHARE_SOURCE, p->nshares - 1);
	free(*src);
	if ((*src = strdup(source != NULL ? source : "")) == NULL) {
		profile_remove_row(p, SCHEMA_SHARE, p->nshares - 1);
		return -1;
	}
	return 0;
}

int
profile_add_forward(struct profile *p)
{
	return profile_add_row(p, SCHEMA_FORWARD, NULL);
}

/* The SSH preset: 127.0.0.1:port on the host to the guest's port 22. */
int
profile_add_ssh_forward(struct profile *p, long port)
{
	if (profile_add_forward(p) != 0)
		return -1;
	p->forwards[p->nforwards - 1].host_port = port;
	p->forwards[p->nforwards - 1].guest_port = 22;
	return 0;
}

/*
 * A forward as people read it: "127.0.0.1:2222 -> :22", with " udp" for
 * UDP, or "guest 10.0.2.100:80 -> 127.0.0.1:8080" for one from the guest.
 */
char *
profile_forward_text(const struct profile_forward *f)
{
	char	*s;
	int	 r;

	if (f->from == FWD_HOST)
		r = asprintf(&s, "%s:%ld -> %s:%ld%s", f->host_address,
		    f->host_port, f->guest_address, f->guest_port,
		    f->proto == PROTO_UDP ? " udp" : "");
	else
		r = asprintf(&s, "guest %s:%ld -> %s:%ld", f->guest_address,
		    f->guest_port, f->host_address, f->host_port);
	return r < 0 ? NULL : s;
}

void
profile_free(struct profile *p)
{
	size_t	i;
	int	s;

	if (p == NULL)
		return;
	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		if (!PROFILE_IS_ROWS(s)) {
			profile_clear((char *)p, (enum schema_section)s);
			continue;
		}
		for (i = profile_count(p, (enum schema_section)s); i > 0; i--)
			profile_remove_row(p, (enum schema_section)s, i - 1);
		free(*(char **)((char *)p + profile_rows[s].array));
	}
	free(p->file);
	free(p->dir);
	free(p);
}

/* One key's values in two structs alike. */
static int
profile_same(const struct schema_key *k, const char *a, const char *b)
{
	size_t	off = profile_offsets[k - schema_keys];

	a += off;
	b += off;
	switch (k->type) {
	case SCHEMA_INT:
		return *(const long *)a == *(const long *)b;
	case SCHEMA_BOOL:
		return *(const bool *)a == *(const bool *)b;
	case SCHEMA_STR:
		return strcmp(*(char *const *)a, *(char *const *)b) == 0;
	case SCHEMA_ENUM:
		return *(const int *)a == *(const int *)b;
	case SCHEMA_LIST:
		return strv_equal((const struct strv *)a,
		    (const struct strv *)b);
	case SCHEMA_NUMS:
		return numv_equal((const struct numv *)a,
		    (const struct numv *)b);
	}
	return 0;
}

/* Equal as machines: every value the file holds, not where it came from. */
int
profile_equal(const struct profile *a, const struct profile *b)
{
	const struct schema_key	*k;
	size_t			 i, n;
	char			**ta, **tb;
	int			 s;

	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		if ((n = profile_count(a, (enum schema_section)s)) !=
		    profile_count(b, (enum schema_section)s))
			return 0;
		for (i = 0; i < n; i++) {
			ta = profile_title(a, (enum schema_section)s, i);
			tb = profile_title(b, (enum schema_section)s, i);
			if (ta != NULL && strcmp(*ta, *tb) != 0)
				return 0;
			for (k = schema_keys; k->path != NULL; k++)
				if (k->section == (enum schema_section)s &&
				    !profile_same(k, profile_base(a,
				    (enum schema_section)s, i), profile_base(b,
				    (enum schema_section)s, i)))
					return 0;
		}
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
