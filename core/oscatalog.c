/*
 * oscatalog: the catalog of operating systems to install (see oscatalog.h
 * for the format). Every value is checked as hostile: a catalog file may
 * be a person's own, and its paths become file names in the downloads
 * folder, its command line a part of the launch script.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <confuse.h>

#include "cfgtext.h"
#include "diag.h"
#include "io.h"
#include "oscatalog.h"
#include "paths.h"
#include "schema.h"
#include "settings.h"

/* The largest catalog file read. */
#define OSCATALOG_MAX	(1 << 20)

static const char *const oscatalog_kinds[] = { "netboot", "iso", "cloud",
    NULL };
static const char *const oscatalog_files[OSFILE_N] = { "kernel", "initrd",
    "iso", "image" };

const char *
oscatalog_kind_name(int kind)
{
	return kind >= 0 && kind <= OSKIND_CLOUD ? oscatalog_kinds[kind] :
	    "?";
}

/* Whether the entry's files come over HTTPS (what a checksum only leans on). */
bool
oscatalog_https(const struct osentry *e)
{
	return strncmp(e->url, "https://", 8) == 0;
}

/* Text a person reads: printable, no control characters. */
static bool
oscatalog_text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/*
 * A path below the mirror's url: letters, digits and . _ ~ + - /, no
 * leading '/', no empty, "." or ".." part. A file's last part becomes its
 * name in the downloads folder.
 */
static bool
oscatalog_path_ok(const char *s, bool empty_ok)
{
	const char	*part;
	size_t		 len;

	if (*s == '\0')
		return empty_ok;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._~+-/") != strlen(s))
		return false;
	for (part = s; *part != '\0'; part += len + (part[len] == '/')) {
		len = strcspn(part, "/");
		if (len == 0 || (len == 1 && part[0] == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.'))
			return false;
	}
	return s[strlen(s) - 1] != '/';
}

/* http:// or https:// and no space, quote or control character. */
static bool
oscatalog_url_ok(const char *s)
{
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '"' ||
		    *s == '\'' || *s == '\\' || *s == '`' || *s == '<' ||
		    *s == '>')
			return false;
	return true;
}

static char *
oscatalog_upper_env(const char *name)
{
	char	*var, *c;

	if (asprintf(&var, "VMTUI_MIRROR_%s", name) < 0)
		return NULL;
	for (c = var; *c != '\0'; c++)
		*c = *c == '-' || *c == '.' ? '_' :
		    (char)toupper((unsigned char)*c);
	return var;
}

/*
 * The url of mirror name: VMTUI_MIRROR_NAME, else vmtui.conf's, else the
 * catalog's own; NULL when not a url.
 */
static char *
oscatalog_mirror_url(const char *name, const char *own,
    const struct settings_mirror *over, struct diag *d, int line)
{
	const char	*url = own, *from = "the catalog";
	char		*var, *s;
	size_t		 len;

	if (over != NULL && *over->url != '\0') {
		url = over->url;
		from = "vmtui.conf";
	}
	if ((var = oscatalog_upper_env(name)) != NULL && getenv(var) != NULL &&
	    *getenv(var) != '\0') {
		url = getenv(var);
		from = var;
	}
	if (url == NULL || !oscatalog_url_ok(url)) {
		diag_add(d, line, "mirror \"%s\": %s gives no usable url (it "
		    "takes http:// or https:// and no spaces or quotes)", name,
		    from);
		free(var);
		return NULL;
	}
	free(var);
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	if ((s = strndup(url, len)) == NULL)
		diag_add(d, line, "out of memory");
	return s;
}

/*
 * append with @url@ replaced by the entry's url (libconfuse has already
 * replaced ${VAR} with the environment's); NULL when refused.
 */
static char *
oscatalog_append(const char *append, const char *url, struct diag *d,
    int line, const char *title)
{
	const char	*at, *rest = append;
	char		*s = NULL;
	size_t		 n = 0;
	FILE		*f;

	if (!oscatalog_text_ok(append)) {
		diag_add(d, line, "os \"%s\": append holds a control "
		    "character (a kernel command line is one line)", title);
		return NULL;
	}
	if ((f = open_memstream(&s, &n)) == NULL)
		return NULL;
	while ((at = strstr(rest, "@url@")) != NULL) {
		fwrite(rest, 1, (size_t)(at - rest), f);
		fputs(url, f);
		rest = at + 5;
	}
	fputs(rest, f);
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * The suite's name in signed-by ".../dists/NAME/InRelease": its Release
 * must say Codename: NAME. NULL when signed-by has no such part.
 */
static char *
oscatalog_codename(const char *by)
{
	const char	*p = by, *end;

	for (;;) {
		if (strncmp(p, "dists/", 6) == 0 &&
		    (end = strchr(p + 6, '/')) != NULL && end > p + 6)
			return strndup(p + 6, (size_t)(end - (p + 6)));
		if ((p = strchr(p, '/')) == NULL)
			return NULL;
		p++;
	}
}

/*
 * signed-by, a signed Release file (Debian's InRelease, below
 * dists/CODENAME/) whose folder holds the entry's sums, and the keyring
 * that checks it (vmtui.conf's for the mirror, over the catalog's): both
 * or neither. e->signed_url is set ("" for neither) unless out of memory.
 */
static bool
oscatalog_signed(struct osentry *e, const char *murl, const char *path,
    const char *by, const char *sig, const char *keyring,
    const struct settings_mirror *over, struct diag *d, int line)
{
	const char	*slash = strrchr(by, '/');
	size_t		 dir = slash != NULL ? (size_t)(slash - by) + 1 : 0;
	bool		 ok = true;

	e->signed_sums = NULL;
	if (asprintf(&e->sig_url, "%s/%s/%s", murl, path, sig) < 0)
		e->sig_url = NULL;
	else if (*sig == '\0')
		*e->sig_url = '\0';
	if (*sig != '\0') {
		/* a detached signature of the checksum file, beside it */
		if (over != NULL && *over->keyring != '\0') {
			keyring = over->keyring;
			e->keyring_given = true;
		}
		if (*by != '\0' || !oscatalog_path_ok(sig, false) ||
		    *keyring != '/' || !oscatalog_text_ok(keyring)) {
			diag_add(d, line, "os \"%s\": sums-signature (a "
			    "signature of sums, in its folder) needs a keyring "
			    "(an absolute path) and no signed-by", e->name);
			ok = false;
		}
		e->signed_url = strdup("");
		e->signed_sums = strdup("");
		e->codename = strdup("");
		e->keyring = strdup(keyring);
		return ok;
	}
	if (*by == '\0' && *keyring == '\0') {
		e->signed_url = strdup("");
		e->signed_sums = strdup("");
		e->keyring = strdup("");
		e->codename = strdup("");
		return true;
	}
	if (over != NULL && *over->keyring != '\0') {
		keyring = over->keyring;
		e->keyring_given = true;
	}
	if (!oscatalog_path_ok(by, false) || *keyring != '/' ||
	    !oscatalog_text_ok(keyring)) {
		diag_add(d, line, "os \"%s\": signed-by (a signed Release file "
		    "below the mirror) and keyring (an absolute path%s) go "
		    "together", e->name, e->keyring_given ? ", as vmtui.conf's "
		    "must be" : "");
		ok = false;
	} else if (strncmp(path, by, dir) != 0) {
		diag_add(d, line, "os \"%s\": signed-by %s does not cover path "
		    "%s (its folder must hold it)", e->name, by, path);
		ok = false;
	}
	if ((e->codename = oscatalog_codename(by)) == NULL && ok) {
		diag_add(d, line, "os \"%s\": signed-by %s is not below "
		    "dists/NAME/ (the Release's Codename must be NAME)",
		    e->name, by);
		ok = false;
	}
	if (asprintf(&e->signed_url, "%s/%s", murl, by) < 0)
		e->signed_url = NULL;
	if (asprintf(&e->signed_sums, "%s/%s", path + (ok ? dir : 0),
	    e->sums) < 0)
		e->signed_sums = NULL;
	e->keyring = strdup(keyring);
	return ok;
}

static void
oscatalog_entry_free(struct osentry *e)
{
	int	i;

	free(e->name);
	free(e->title);
	free(e->release);
	free(e->mirror);
	free(e->url);
	for (i = 0; i < OSFILE_N; i++)
		free(e->file[i]);
	free(e->sums);
	free(e->signed_url);
	free(e->sig_url);
	free(e->signed_sums);
	free(e->keyring);
	free(e->keyring_package);
	free(e->codename);
	free(e->append);
	free(e->file_name);
	memset(e, 0, sizeof *e);
}

static bool
oscatalog_number(const char *key, long v, struct diag *d, int line,
    const char *what)
{
	char	*cause = NULL;

	if (schema_check_int(schema_find(key), v, &cause) == 0)
		return true;
	diag_add(d, line, "os \"%s\": %s", what, cause != NULL ? cause : "?");
	free(cause);
	return false;
}

/*
 * The line where section kind "title" opens in the file's text
 * (libconfuse numbers a section by the line where it ends); 0: not found.
 */
static int
oscatalog_line(const char *text, const char *kind, const char *title)
{
	const char	*p, *q;
	size_t		 klen = strlen(kind), tlen = strlen(title);
	int		 line = 1;

	for (p = text; p != NULL && *p != '\0'; line++) {
		q = p + strspn(p, " \t");
		if (strncmp(q, kind, klen) == 0 && strchr(" \t", q[klen]) != NULL) {
			q += klen + strspn(q + klen, " \t");
			if ((*q == '"' || *q == '\'') && strncmp(q + 1, title,
			    tlen) == 0 && q[1 + tlen] == *q)
				return line;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return 0;
}

/* One os section into e; false with the reasons in d. */
static bool
oscatalog_entry(cfg_t *file, cfg_t *sec, const char *text,
    const struct settings *st, struct diag *d, struct osentry *e)
{
	const char	*title = cfg_title(sec), *s, *base;
	cfg_t		*m;
	char		*cause = NULL;
	bool		 ok = true;
	int		 line, i, j, want;

	if ((line = oscatalog_line(text, "os", title)) == 0)
		line = sec->line;
	if (schema_check_name(title, &cause) != 0) {
		diag_add(d, line, "os \"%s\": the name %s", title,
		    cause != NULL ? cause : "is not one");
		free(cause);
		return false;
	}
	e->name = strdup(title);
	e->line = line;
	e->title = strdup(cfg_getstr(sec, "title"));
	e->release = strdup(cfg_getstr(sec, "release"));
	if (e->name == NULL || e->title == NULL || e->release == NULL)
		return false;
	if (*e->title == '\0' || *e->release == '\0' ||
	    !oscatalog_text_ok(e->title) || !oscatalog_text_ok(e->release)) {
		diag_add(d, line, "os \"%s\": title and release are needed, "
		    "as text on one line", title);
		ok = false;
	}
	if ((e->arch = schema_enum_index(schema_arches,
	    cfg_getstr(sec, "arch"))) < 0) {
		diag_add(d, line, "os \"%s\": arch is x86_64 or aarch64",
		    title);
		ok = false;
	}
	if ((e->kind = schema_enum_index(oscatalog_kinds,
	    cfg_getstr(sec, "kind"))) < 0) {
		diag_add(d, line, "os \"%s\": kind is netboot (a kernel and "
		    "initrd), iso (an installer ISO) or cloud (a cloud image)",
		    title);
		ok = false;
	}
	for (i = 0; i < OSFILE_N; i++) {
		s = cfg_getstr(sec, oscatalog_files[i]);
		want = e->kind == OSKIND_NETBOOT ? i == OSFILE_KERNEL ||
		    i == OSFILE_INITRD : e->kind == OSKIND_ISO ?
		    i == OSFILE_ISO : e->kind == OSKIND_CLOUD ?
		    i == OSFILE_IMAGE : -1;
		if ((e->file[i] = strdup(s)) == NULL)
			return false;
		if (!oscatalog_path_ok(s, true)) {
			diag_add(d, line, "os \"%s\": %s \"%s\" is not a path "
			    "below the mirror (letters, digits, . _ ~ + - and "
			    "/, no \"..\")", title, oscatalog_files[i], s);
			ok = false;
		} else if (want == 1 && *s == '\0') {
			diag_add(d, line, "os \"%s\": kind %s needs %s", title,
			    oscatalog_kinds[e->kind], oscatalog_files[i]);
			ok = false;
		} else if (want == 0 && *s != '\0') {
			diag_add(d, line, "os \"%s\": kind %s takes no %s",
			    title, oscatalog_kinds[e->kind],
			    oscatalog_files[i]);
			ok = false;
		}
	}
	/* each file is kept under its last part's name: no two alike */
	for (i = 0; ok && i < OSFILE_N; i++)
		for (j = i + 1; *e->file[i] != '\0' && j < OSFILE_N; j++) {
			base = strrchr(e->file[i], '/');
			base = base != NULL ? base + 1 : e->file[i];
			s = strrchr(e->file[j], '/');
			s = s != NULL ? s + 1 : e->file[j];
			if (strcmp(base, s) == 0) {
				diag_add(d, line, "os \"%s\": %s and %s have "
				    "the same file name", title,
				    oscatalog_files[i], oscatalog_files[j]);
				ok = false;
			}
		}
	if ((e->sums = strdup(cfg_getstr(sec, "sums"))) == NULL)
		return false;
	if (!oscatalog_path_ok(e->sums, false)) {
		diag_add(d, line, "os \"%s\": sums is needed: the path of the "
		    "distribution's checksum file below the mirror", title);
		ok = false;
	}
	s = cfg_getstr(sec, "path");
	if (!oscatalog_path_ok(s, false)) {
		diag_add(d, line, "os \"%s\": path is needed: the folder below "
		    "the mirror's url (letters, digits, . _ ~ + - and /)",
		    title);
		ok = false;
	}
	e->mirror = strdup(cfg_getstr(sec, "mirror"));
	if (e->mirror == NULL)
		return false;
	m = *e->mirror != '\0' ? cfg_gettsec(file, "mirror", e->mirror) : NULL;
	if (m == NULL) {
		diag_add(d, line, "os \"%s\": mirror \"%s\" is not defined in "
		    "this file (mirror \"NAME\" { url = \"...\" })", title,
		    e->mirror);
		ok = false;
	} else if (ok) {
		const struct settings_mirror *over = settings_mirror(st,
		    e->mirror);
		char *murl = oscatalog_mirror_url(e->mirror,
		    cfg_getstr(m, "url"), over, d, oscatalog_line(text,
		    "mirror", e->mirror));

		if (murl == NULL)
			return false;
		if (asprintf(&e->url, "%s/%s", murl, s) < 0)
			e->url = NULL;
		if (e->url != NULL && !oscatalog_signed(e, murl, s,
		    cfg_getstr(sec, "signed-by"),
		    cfg_getstr(sec, "sums-signature"),
		    cfg_getstr(sec, "keyring"), over, d, line))
			ok = false;
		free(murl);
		e->keyring_package = strdup(cfg_getstr(sec,
		    "keyring-package"));
		e->checksum_only = over != NULL && over->checksum_only;
		/* a Debian package's name (policy 5.6.1), said in a message */
		if (e->keyring_package != NULL &&
		    e->keyring_package[strspn(e->keyring_package,
		    "abcdefghijklmnopqrstuvwxyz0123456789.+-")] != '\0') {
			diag_add(d, line, "os \"%s\": keyring-package \"%s\" is "
			    "not a package's name (a-z, 0-9, . + -)", e->name,
			    e->keyring_package);
			ok = false;
		}
		if (e->url == NULL || e->signed_url == NULL ||
		    e->keyring_package == NULL ||
		    e->sig_url == NULL ||
		    e->signed_sums == NULL || e->keyring == NULL ||
		    (e->codename == NULL && ok))
			return false;
		e->append = oscatalog_append(cfg_getstr(sec, "append"),
		    e->url, d, line, title);
		if (e->append == NULL)
			ok = false;
	}
	e->size = cfg_getint(sec, "size");
	e->memory = cfg_getint(sec, "memory");
	e->cores = cfg_getint(sec, "cores");
	e->disk = cfg_getint(sec, "disk");
	e->shares_9p = cfg_getbool(sec, "shares-9p");
	if ((e->format = schema_enum_index(schema_formats,
	    cfg_getstr(sec, "format"))) < 0) {
		diag_add(d, line, "os \"%s\": format is qcow2 or raw (the "
		    "cloud image's)", title);
		ok = false;
	}
	if (e->size < 0 || e->size > 1L << 30) {
		diag_add(d, line, "os \"%s\": size is the download's MiB, "
		    "0 or more", title);
		ok = false;
	}
	ok = oscatalog_number("memory", e->memory, d, line, title) && ok;
	ok = oscatalog_number("cores", e->cores, d, line, title) && ok;
	ok = oscatalog_number("root-disk|size", e->disk, d, line, title) && ok;
	return ok;
}

static int
oscatalog_add(struct oscatalog *cat, struct osentry *e)
{
	struct osentry	*v;

	if (oscatalog_find(cat, e->name) != NULL) {
		oscatalog_entry_free(e);	/* an earlier folder's wins */
		return 0;
	}
	if ((v = reallocarray(cat->v, cat->n + 1, sizeof *v)) == NULL)
		return -1;
	cat->v = v;
	cat->v[cat->n++] = *e;
	return 0;
}

int
oscatalog_load_file(const char *path, const struct settings *st,
    struct oscatalog *cat, char **cause)
{
	static cfg_opt_t mirror_opts[] = {
		CFG_STR("url", "", CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t os_opts[] = {
		CFG_STR("title", "", CFGF_NONE),
		CFG_STR("release", "", CFGF_NONE),
		CFG_STR("arch", "x86_64", CFGF_NONE),
		CFG_STR("kind", "", CFGF_NONE),
		CFG_STR("mirror", "", CFGF_NONE),
		CFG_STR("path", "", CFGF_NONE),
		CFG_STR("kernel", "", CFGF_NONE),
		CFG_STR("initrd", "", CFGF_NONE),
		CFG_STR("iso", "", CFGF_NONE),
		CFG_STR("image", "", CFGF_NONE),
		CFG_STR("format", "qcow2", CFGF_NONE),
		CFG_BOOL("shares-9p", cfg_true, CFGF_NONE),
		CFG_STR("sums", "", CFGF_NONE),
		CFG_STR("signed-by", "", CFGF_NONE),
		CFG_STR("sums-signature", "", CFGF_NONE),
		CFG_STR("keyring", "", CFGF_NONE),
		CFG_STR("keyring-package", "", CFGF_NONE),
		CFG_STR("append", "", CFGF_NONE),
		CFG_INT("size", 0, CFGF_NONE),
		CFG_INT("memory", 1024, CFGF_NONE),
		CFG_INT("cores", 1, CFGF_NONE),
		CFG_INT("disk", 20480, CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t opts[] = {
		CFG_SEC("mirror", mirror_opts, CFGF_MULTI | CFGF_TITLE |
		    CFGF_NO_TITLE_DUPES),
		CFG_SEC("os", os_opts, CFGF_MULTI | CFGF_TITLE |
		    CFGF_NO_TITLE_DUPES),
		CFG_END()
	};
	struct osentry	 e;
	struct diag	 d;
	cfg_t		*cfg;
	char		*text = NULL, *why = NULL, *copy;
	unsigned int	 i;
	int		 r;

	*cause = NULL;
	diag_init(&d, path);
	if ((cfg = cfg_init(opts, CFGF_NONE)) == NULL)
		return diag_cause(cause, "out of memory");
	if (io_read_file(path, OSCATALOG_MAX, &text, &why) != 0) {
		diag_add(&d, 0, "%s", why != NULL ? why : "cannot be read");
		free(why);
		r = CFG_FILE_ERROR;
	} else if ((copy = strdup(text)) == NULL)
		r = CFG_PARSE_ERROR;
	else {
		/* text keeps its comments for oscatalog_entry's line scan */
		r = cfgtext_parse(cfg, path, copy, strlen(copy), &d);
		free(copy);
	}
	for (i = 0; r == CFG_SUCCESS && i < cfg_size(cfg, "os"); i++) {
		memset(&e, 0, sizeof e);
		if (oscatalog_entry(cfg, cfg_getnsec(cfg, "os", i), text, st,
		    &d, &e) && (e.file_name = strdup(path)) != NULL) {
			if (oscatalog_add(cat, &e) != 0) {
				oscatalog_entry_free(&e);
				diag_add(&d, 0, "out of memory");
			}
		} else
			oscatalog_entry_free(&e);
	}
	cfg_free(cfg);
	free(text);
	if (r != CFG_SUCCESS && d.n == 0)
		diag_add(&d, 0, "cannot be read");
	return (*cause = diag_finish(&d)) != NULL ? -1 : 0;
}

static int
oscatalog_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The *.conf of each folder, first folder first, in name order. An entry
 * of an earlier folder hides one of the same name later (a person's own
 * over the shipped ones). Problems of broken files are gathered in cause
 * (the other files' entries are loaded all the same): -1.
 */
int
oscatalog_load(const struct strv *dirs, const struct settings *st,
    struct oscatalog *cat, char **cause)
{
	struct strv	 names = { NULL, 0 }, problems = { NULL, 0 };
	struct dirent	*de;
	DIR		*dir;
	char		*path, *why;
	size_t		 i, j, len;
	int		 r = 0;

	*cause = NULL;
	for (i = 0; i < dirs->n; i++) {
		if ((dir = opendir(dirs->v[i])) == NULL)
			continue;
		while ((de = readdir(dir)) != NULL) {
			len = strlen(de->d_name);
			if (len > 5 && de->d_name[0] != '.' &&
			    strcmp(de->d_name + len - 5, ".conf") == 0)
				strv_add(&names, de->d_name);
		}
		closedir(dir);
		if (names.n > 1)
			qsort(names.v, names.n, sizeof names.v[0],
			    oscatalog_cmp);
		for (j = 0; j < names.n; j++) {
			if (asprintf(&path, "%s/%s", dirs->v[i],
			    names.v[j]) < 0)
				continue;
			/* a catalog another user can change is not read */
			if (paths_trust(path, &why) != 0 ||
			    oscatalog_load_file(path, st, cat, &why) != 0) {
				strv_add(&problems, why != NULL ? why :
				    "out of memory");
				free(why);
				r = -1;
			}
			free(path);
		}
		strv_free(&names);
	}
	if (r != 0)
		*cause = strv_join(&problems, "\n");
	strv_free(&problems);
	return r;
}

/*
 * The catalog from its usual folders ($VMTUI_CATALOG_DIR, the person's own,
 * the installed one, the build tree's) with vmtui.conf's mirrors.
 */
int
oscatalog_load_default(struct oscatalog *cat, char **cause)
{
	struct strv	 dirs = { NULL, 0 };
	struct settings	 st;
	char		*why = NULL, *s;
	int		 r;

	*cause = NULL;
	if (paths_data_dirs("catalog", "VMTUI_CATALOG_DIR", &dirs) != 0) {
		strv_free(&dirs);
		return diag_cause(cause, "out of memory");
	}
	(void)settings_load(&st, &why);
	r = oscatalog_load(&dirs, &st, cat, cause);
	/* vmtui.conf's problem too: its mirrors may be why an entry fails */
	if (why != NULL) {
		if (*cause == NULL)
			*cause = why;
		else {
			if (asprintf(&s, "%s\n%s", why, *cause) >= 0) {
				free(*cause);
				*cause = s;
			}
			free(why);
		}
		r = -1;
	}
	settings_free(&st);
	strv_free(&dirs);
	return r;
}

const struct osentry *
oscatalog_find(const struct oscatalog *cat, const char *name)
{
	size_t	i;

	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->v[i].name, name) == 0)
			return &cat->v[i];
	return NULL;
}

void
oscatalog_free(struct oscatalog *cat)
{
	size_t	i;

	for (i = 0; i < cat->n; i++)
		oscatalog_entry_free(&cat->v[i]);
	free(cat->v);
	cat->v = NULL;
	cat->n = 0;
}
