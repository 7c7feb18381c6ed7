/*
 * hostfiles: the files of this host that a machine would read or write
 * and that vmtui did not pick for it: an imported domain's root disk and
 * the image it stands on, kernel, initrd, ISO, firmware, UEFI variables
 * and their template, shared folders, and every backing or data file of
 * its disks (imgchain: qemu-img, a level at a time). Each is said with
 * what the machine does with it ("reads", "reads and writes"), for the
 * person to consent to; those no import may give a machine, consent or
 * not, are said with why: not a full path, not there (a file of the
 * machine's own data folder excepted: vmtui makes it), not a plain file
 * (a share: not a folder), or vmtui's own (another machine's data folder
 * or disk, a profile, the console logs, vmtui.conf).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "diag.h"
#include "hostfiles.h"
#include "imgchain.h"
#include "paths.h"
#include "resolve.h"

/* A disk of a machine of the profiles folder. */
struct hostfiles_disk {
	dev_t	 dev;
	ino_t	 ino;
	char	*name;
};

struct hostfiles_ctx {
	const struct profile	*p;
	const char		*dir;		/* the profiles folder */
	struct hostfiles	*h;
	char			*own;		/* the machine's data folder */
	char			*own_real;	/* ... its real path, if there */
	char			*data_real;	/* every machine's, vmtui's */
	char			*state_real;	/* the console logs' */
	char			*profiles_real;
	char			*settings_real;
	struct hostfiles_disk	*disks;		/* read on first need */
	size_t			 ndisks;
	bool			 disks_read;
	int			 oom;
};

enum hostfiles_kind { HOSTFILES_FILE, HOSTFILES_FOLDER, HOSTFILES_DISK };

void
hostfiles_free(struct hostfiles *h)
{
	strv_free(&h->uses);
	strv_free(&h->notes);
	strv_free(&h->bad);
	strv_free(&h->bad_paths);
}

/* A refusal: PATH: why, and the path alone (where the caller says it). */
static void
hostfiles_bad(struct hostfiles_ctx *c, const char *path, const char *why)
{
	c->oom |= strv_addf(&c->h->bad, "%s: %s", path, why) != 0 ||
	    strv_add(&c->h->bad_paths, path) != 0;
}

/* Whether path is dir or inside it (both real paths; dir may be NULL). */
static bool
hostfiles_in(const char *path, const char *dir)
{
	size_t	n = dir != NULL ? strlen(dir) : 0;

	return dir != NULL && strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/' || strcmp(dir, "/") == 0);
}

/* A full path, said as it is meant: from /, no . or .. in it, no //. */
static bool
hostfiles_plain(const char *path)
{
	const char	*s;
	size_t		 n;

	if (*path != '/' || strstr(path, "//") != NULL)
		return false;
	for (s = path + 1; *s != '\0'; s += n + (s[n] == '/')) {
		n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' &&
		    s[1] == '.'))
			return false;
	}
	return true;
}

/* The disks of every machine of the profiles folder, once. */
static void
hostfiles_read_disks(struct hostfiles_ctx *c)
{
	struct strv		 names = { NULL, 0 };
	struct hostfiles_disk	*v;
	struct profile		*q;
	struct stat		 st;
	char			*file, *img, *why = NULL;
	size_t			 i;
	long			 k;

	c->disks_read = true;
	if (catalog_names(c->dir, &names, &why) != 0) {
		free(why);
		return;
	}
	for (i = 0; i < names.n; i++) {
		if (asprintf(&file, "%s/%s.conf", c->dir, names.v[i]) < 0)
			continue;
		if (profile_parse(file, &q, &why) != 0) {
			free(why);
			why = NULL;
			free(file);
			continue;
		}
		free(file);
		for (k = q->has_root_disk ? -1 : 0; k < (long)q->ndisks; k++) {
			if ((img = resolve_disk_image(q, k)) == NULL)
				continue;
			if (stat(img, &st) == 0 && (v = realloc(c->disks,
			    (c->ndisks + 1) * sizeof *v)) != NULL) {
				c->disks = v;
				v[c->ndisks].dev = st.st_dev;
				v[c->ndisks].ino = st.st_ino;
				if ((v[c->ndisks].name = strdup(q->name)) != NULL)
					c->ndisks++;
			}
			free(img);
		}
		profile_free(q);
	}
	strv_free(&names);
}

/*
 * Whose, of vmtui's, the file or folder at real is (st its stat): NULL
 * when none of vmtui's, else why an import may not give it (static).
 */
static const char *
hostfiles_vmtuis(struct hostfiles_ctx *c, const char *real,
    const struct stat *st)
{
	static char	 why[160];
	const char	*rest;
	size_t		 i, n;

	if (hostfiles_in(real, c->own_real))
		return NULL;
	if (hostfiles_in(real, c->data_real)) {
		rest = real + strlen(c->data_real);
		rest += *rest == '/';
		n = strcspn(rest, "/");
		snprintf(why, sizeof why, n > 0 ? "in the data folder of the "
		    "vmtui machine %.*s: that machine's" : "vmtui's data "
		    "folder: its machines'", (int)(n > 64 ? 64 : n), rest);
		return why;
	}
	if (hostfiles_in(real, c->state_real))
		return "in vmtui's state folder (its machines' console logs)";
	if (c->settings_real != NULL && strcmp(real, c->settings_real) == 0)
		return "vmtui's settings (vmtui.conf)";
	/* the folder of profiles itself, or one of them (not a folder in it) */
	n = strlen(real);
	if (S_ISDIR(st->st_mode) && c->profiles_real != NULL &&
	    strcmp(real, c->profiles_real) == 0)
		return "vmtui's profiles folder";
	if (hostfiles_in(real, c->profiles_real) && !S_ISDIR(st->st_mode) &&
	    n > 5 && strcmp(real + n - 5, ".conf") == 0)
		return "a vmtui profile";
	if (!S_ISREG(st->st_mode))
		return NULL;
	if (!c->disks_read)
		hostfiles_read_disks(c);
	for (i = 0; i < c->ndisks; i++)
		if (c->disks[i].dev == st->st_dev &&
		    c->disks[i].ino == st->st_ino) {
			snprintf(why, sizeof why, "a disk of the vmtui machine "
			    "%.64s", c->disks[i].name);
			return why;
		}
	return NULL;
}

/*
 * Whether the machine may be given path at all (it is what kind says and
 * not vmtui's): 0, with *own when it is of the machine's own data folder
 * (and *there when it exists); or -1 with *why (malloc'd).
 */
static int
hostfiles_allowed(struct hostfiles_ctx *c, const char *path,
    enum hostfiles_kind kind, bool *own, bool *there, char **why)
{
	struct stat	 st;
	const char	*whose;
	char		*real;

	*own = *there = false;
	*why = NULL;
	if (!hostfiles_plain(path))
		return diag_cause(why, "not a full path of this host (from /, "
		    "without . or ..)");
	*own = hostfiles_in(path, c->own);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT && *own)
			return 0;
		return diag_cause(why, "%s", errno == ENOENT ? "not there (an "
		    "import never makes a file, which the machine would)" :
		    strerror(errno));
	}
	*there = true;
	if (kind == HOSTFILES_FOLDER && !S_ISDIR(st.st_mode))
		return diag_cause(why, "not a folder");
	if (kind != HOSTFILES_FOLDER && !S_ISREG(st.st_mode))
		return diag_cause(why, "not a plain file");
	if ((real = realpath(path, NULL)) == NULL)
		return diag_cause(why, "%s", strerror(errno));
	*own = hostfiles_in(real, c->own_real);
	whose = hostfiles_vmtuis(c, real, &st);
	free(real);
	if (whose != NULL)
		return diag_cause(why, "%s", whose);
	return 0;
}

/* imgchain's question: may qemu-img open this backing or data file? */
static int
hostfiles_chain_check(void *arg, const char *path, enum imgchain_role role,
    char **why)
{
	struct hostfiles_ctx	*c = arg;
	bool			 own, there;
	char			*w;

	(void)role;
	if (hostfiles_allowed(c, path, HOSTFILES_FILE, &own, &there, &w) == 0)
		return 0;
	diag_cause(why, "%s: %s", path, w != NULL ? w : "out of memory");
	free(w);
	return -1;
}

/* A use of a file: what the machine does with path, as what. */
static void
hostfiles_use(struct hostfiles_ctx *c, const char *path, bool writes,
    const char *what, const char *of)
{
	c->oom |= strv_addf(&c->h->uses, "%s %s (%s%s%s)", writes ?
	    "reads and writes" : "reads", path, what, of != NULL ? " " : "",
	    of != NULL ? of : "") != 0;
}

/*
 * A disk image and what QEMU opens for it: the chain, for qcow2 (or a
 * format not said: QEMU finds it); for raw, a saying when its bytes look
 * like another format (the machine gets them as they are).
 */
static void
hostfiles_chain(struct hostfiles_ctx *c, const char *path,
    const char *format, bool writes)
{
	struct imgchain	 chain;
	char		*looks = NULL, *why = NULL;
	size_t		 i;
	bool		 own;

	if (format != NULL && strcmp(format, "raw") == 0) {
		if (imgchain_looks(path, &looks, &why) != 0)
			hostfiles_bad(c, path, why != NULL ? why : "out of memory");
		else if (strcmp(looks, "raw") != 0)
			c->oom |= strv_addf(&c->h->notes, "%s: said to be raw, "
			    "its bytes look like %s: the machine gets them as "
			    "they are, as libvirt gives them", path, looks) != 0;
		free(looks);
		free(why);
		return;
	}
	if (imgchain_read(path, format, hostfiles_chain_check, c, &chain,
	    &why) != 0) {
		c->oom |= strv_add(&c->h->bad, why != NULL ? why :
		    "out of memory") != 0 || strv_add(&c->h->bad_paths,
		    path) != 0;
		free(why);
		return;
	}
	for (i = 1; i < chain.n; i++) {
		own = hostfiles_in(chain.v[i].path, c->own);
		if (!own)
			hostfiles_use(c, chain.v[i].path, writes &&
			    chain.v[i].role == IMGCHAIN_DATA,
			    chain.v[i].role == IMGCHAIN_BACKING ?
			    "a backing file of" : "the data file of", path);
	}
	imgchain_free(&chain);
}

/* One path the machine would use: allowed, said, its chain read. */
static void
hostfiles_one(struct hostfiles_ctx *c, const char *path,
    enum hostfiles_kind kind, const char *format, bool writes,
    const char *what)
{
	bool	 own, there;
	char	*why;

	if (path == NULL) {
		c->oom = 1;
		return;
	}
	if (hostfiles_allowed(c, path, kind, &own, &there, &why) != 0) {
		hostfiles_bad(c, path, why != NULL ? why : "out of memory");
		free(why);
		return;
	}
	if (!own)
		hostfiles_use(c, path, writes, what, NULL);
	if (kind == HOSTFILES_DISK && there)
		hostfiles_chain(c, path, format, writes);
}

/* The real path of path, or NULL when it is not there. */
static char *
hostfiles_real(char *path)
{
	char	*real = path != NULL ? realpath(path, NULL) : NULL;

	free(path);
	return real;
}

/* path's folder (path is malloc'd, and freed). */
static char *
hostfiles_parent(char *path)
{
	char	*slash = path != NULL ? strrchr(path, '/') : NULL;

	if (slash != NULL && slash != path)
		*slash = '\0';
	return path;
}

/*
 * The files of this host that the machine p (of the profiles folder dir)
 * would use and that vmtui did not pick: each path the profile names (the
 * image its root disk stands on too) and every backing or data file of
 * its disks, in h->uses with what the machine does with it; what no
 * machine may be given in h->bad (PATH: why) with the path in
 * h->bad_paths; sayings in h->notes. 0, or -1 when out of memory.
 */
int
hostfiles_check(const struct profile *p, const char *dir,
    struct hostfiles *h, char **cause)
{
	static const struct {
		size_t		 offset;
		bool		 writes;
		const char	*what;
	} files[] = {
		{ offsetof(struct profile, kernel), false, "the kernel" },
		{ offsetof(struct profile, initrd), false, "the initrd" },
		{ offsetof(struct profile, cdrom), false, "the ISO it installs "
		  "from" },
		{ offsetof(struct profile, firmware), false, "the UEFI "
		  "firmware" },
		{ offsetof(struct profile, efi_vars_template), false, "the "
		  "UEFI variables' template" },
		{ offsetof(struct profile, efi_vars), true, "its UEFI "
		  "variables" },
		{ offsetof(struct profile, bios), false, "the BIOS" },
	};
	struct hostfiles_ctx	 c;
	const char		*v;
	char			*what, *img;
	size_t			 i;

	memset(&c, 0, sizeof c);
	c.p = p;
	c.dir = dir;
	c.h = h;
	c.own = hostfiles_parent(resolve_file(p, "", RESOLVE_ROOT_FILE));
	c.own_real = c.own != NULL ? realpath(c.own, NULL) : NULL;
	c.data_real = hostfiles_real(hostfiles_parent(c.own != NULL ?
	    strdup(c.own) : NULL));
	c.state_real = hostfiles_real(hostfiles_parent(paths_state_dir(
	    p->name)));
	c.profiles_real = realpath(dir, NULL);
	c.settings_real = hostfiles_real(paths_settings_file());
	if (c.own == NULL)
		c.oom = 1;
	if (p->has_root_disk) {
		/* as the profile says it: a ~ or a relative path is no full one */
		img = *p->root_image != '\0' ? strdup(p->root_image) :
		    resolve_disk_image(p, -1);
		hostfiles_one(&c, img, HOSTFILES_DISK,
		    p->root_drive.format == FORMAT_UNSET ? NULL :
		    schema_formats[p->root_drive.format],
		    !p->root_drive.readonly, "the root disk");
		free(img);
	}
	/* the image a root disk stands on (a cloud image): read, its chain */
	if (p->has_root_disk && *p->root_backing != '\0') {
		img = strdup(p->root_backing);
		hostfiles_one(&c, img, HOSTFILES_DISK,
		    schema_formats[p->root_backing_format], false,
		    "the image the root disk stands on");
		free(img);
	}
	for (i = 0; i < p->ndisks; i++) {
		if (p->disks[i].ephemeral)
			continue;
		img = resolve_disk_image(p, (long)i);
		if (asprintf(&what, "disk %s", p->disks[i].title) < 0)
			what = NULL;
		hostfiles_one(&c, img, HOSTFILES_DISK,
		    resolve_format(&p->disks[i].drive, "qcow2"),
		    !p->disks[i].drive.readonly, what != NULL ? what : "a disk");
		free(what);
		free(img);
	}
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		v = *(const char *const *)((const char *)p + files[i].offset);
		if (*v != '\0')
			hostfiles_one(&c, v, HOSTFILES_FILE, NULL,
			    files[i].writes, files[i].what);
	}
	for (i = 0; i < p->nshares; i++) {
		if (asprintf(&what, "the shared folder %s", p->shares[i].tag) < 0)
			what = NULL;
		hostfiles_one(&c, p->shares[i].source, HOSTFILES_FOLDER, NULL,
		    !p->shares[i].readonly, what != NULL ? what : "a share");
		free(what);
	}
	for (i = 0; i < c.ndisks; i++)
		free(c.disks[i].name);
	free(c.disks);
	free(c.own);
	free(c.own_real);
	free(c.data_real);
	free(c.state_real);
	free(c.profiles_real);
	free(c.settings_real);
	return c.oom ? diag_cause(cause, "out of memory") : 0;
}
