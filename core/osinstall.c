/*
 * osinstall: a catalog entry made into a machine. The files go into
 * downloads/ENTRY/ as FILE.part and become FILE only after their SHA-256
 * matched the distribution's checksum file, so nothing that looks
 * complete is ever unchecked; a mismatch deletes the part.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checksum.h"
#include "diag.h"
#include "io.h"
#include "osinstall.h"
#include "paths.h"
#include "profile_patch.h"
#include "profile_save.h"
#include "release.h"
#include "resolve.h"
#include "spawn.h"
#include "validate.h"

/* The largest checksum file read (Debian's is about 20 KiB). */
#define OSINSTALL_SUMS_MAX	(4 << 20)

/* A folder of ours: made 0700 when missing, never a symlink or foreign. */
static int
osinstall_dir(const char *dir, char **cause)
{
	struct stat	st;

	switch (paths_check_dir(dir, true, false, &st)) {
	case PATHS_DIR_OK:
		return 0;
	case PATHS_DIR_UNMADE:
		return diag_cause(cause, "cannot make %s: %s", dir,
		    strerror(errno));
	case PATHS_DIR_UNSEEN:
		return diag_cause(cause, "%s: %s", dir, strerror(errno));
	default:
		return diag_cause(cause, "%s is not a folder of yours (a "
		    "symlink, a file, or another user's): vmtui keeps no "
		    "downloads there; remove it", dir);
	}
}

static const char *
osinstall_base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/*
 * One file: kept when it is there and matches, else downloaded (going on
 * from a part) and checked. 0 with *out the file.
 */
static int
osinstall_one(const struct osentry *e, const char *dir, const char *rel,
    const char *sums, const char *sums_url,
    const struct download_progress *pr, char **out, char **cause)
{
	char	 want[CHECKSUM_HEX], have[CHECKSUM_HEX];
	char	*final = NULL, *part = NULL, *url = NULL, *why = NULL;
	int	 r = -1;

	if (checksum_find(sums, rel, want) != 0)
		return diag_cause(cause, "%s does not list %s (or lists it "
		    "twice, with different sums): vmtui downloads nothing it "
		    "cannot check; the catalog entry %s (%s:%d) is out of date",
		    sums_url, rel, e->name, e->file_name, e->line);
	if (asprintf(&final, "%s/%s", dir, osinstall_base(rel)) < 0 ||
	    asprintf(&part, "%s.part", final) < 0 ||
	    asprintf(&url, "%s/%s", e->url, rel) < 0) {
		r = diag_cause(cause, "out of memory");
		goto out;
	}
	/* there already, from an earlier install: checked again */
	if (access(final, F_OK) == 0 || errno != ENOENT) {
		if (checksum_file(final, have, &why) == 0 &&
		    strcmp(have, want) == 0) {
			if (pr != NULL && pr->fn != NULL)
				pr->fn(pr->arg, osinstall_base(rel), -2, -2, 0);
			*out = final;
			final = NULL;
			r = 0;
			goto out;
		}
		free(why);
		if (unlink(final) != 0 && errno != ENOENT) {
			r = diag_cause(cause, "%s: %s", final, strerror(errno));
			goto out;
		}
	}
	if ((r = download_file(url, part, osinstall_base(rel), pr,
	    cause)) != 0)
		goto out;
	if (checksum_file(part, have, cause) != 0) {
		r = -1;
		goto out;
	}
	if (strcmp(have, want) != 0) {
		unlink(part);
		r = diag_cause(cause, "%s: its SHA-256 is %s, but %s says %s: "
		    "the download is damaged and was deleted; the next try "
		    "downloads it anew", url, have, sums_url, want);
		goto out;
	}
	if (rename(part, final) != 0) {
		r = diag_cause(cause, "%s: %s", final, strerror(errno));
		goto out;
	}
	*out = final;
	final = NULL;
	r = 0;
out:
	free(final);
	free(part);
	free(url);
	return r;
}

/* Whether the entry's checksum file can be checked for a signature here. */
bool
osinstall_can_verify(const struct osentry *e)
{
	return *e->signed_url != '\0' && access(e->keyring, R_OK) == 0;
}

/*
 * The checksum file sums (of length len) as the distribution signed it:
 * its Release file (Debian's InRelease) checked with gpgv and the keyring,
 * then the checksum file's SHA-256 as that Release lists it. Temporary
 * files in dir, never followed through a symlink, removed.
 */
static int
osinstall_signed(const struct osentry *e, const char *dir, const char *sums,
    size_t len, char **cause)
{
	char	*rel = NULL, *in = NULL, *out = NULL, *plain = NULL, *said = NULL;
	char	 want[CHECKSUM_HEX], have[CHECKSUM_HEX], *argv[7], *nl;
	int	 fd = -1, r = -1, status = 0;
	long long size;

	if (download_text(e->signed_url, OSINSTALL_SUMS_MAX * 4, &rel,
	    cause) != 0)
		return -1;
	if (asprintf(&in, "%s/.release", dir) < 0 ||
	    asprintf(&out, "%s/.release.checked", dir) < 0) {
		r = diag_cause(cause, "out of memory");
		goto out;
	}
	(void)unlink(in);
	(void)unlink(out);
	if ((fd = open(in, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1 || write(fd, rel, strlen(rel)) !=
	    (ssize_t)strlen(rel) || close(fd) != 0) {
		r = diag_cause(cause, "%s: %s", in, strerror(errno));
		goto out;
	}
	argv[0] = "gpgv";
	argv[1] = "--keyring";
	argv[2] = e->keyring;
	argv[3] = "--output";
	argv[4] = out;
	argv[5] = in;
	argv[6] = NULL;
	if (spawn_output(argv, 1, &said, &status) != 0 || status != 0) {
		if (status == 127)
			r = diag_cause(cause, "gpgv is not installed (apt-get "
			    "install gpgv): cannot check the signature of %s",
			    e->signed_url);
		else {
			while (said != NULL && (nl = strrchr(said, '\n')) !=
			    NULL && nl[1] == '\0')
				*nl = '\0';
			nl = said != NULL ? strrchr(said, '\n') : NULL;
			r = diag_cause(cause, "%s: its signature does not check "
			    "with %s (%s): nothing was downloaded",
			    e->signed_url, e->keyring, said == NULL ? "?" :
			    nl != NULL ? nl + 1 : said);
		}
		goto out;
	}
	if (io_read_file(out, OSINSTALL_SUMS_MAX * 4, &plain, cause) != 0)
		goto out;
	if (release_find(plain, e->signed_sums, want, &size) != 0) {
		r = diag_cause(cause, "%s does not list %s: the catalog entry "
		    "%s (%s:%d) is out of date", e->signed_url, e->signed_sums,
		    e->name, e->file_name, e->line);
		goto out;
	}
	if (checksum_data(sums, len, have, cause) != 0)
		goto out;
	if (strcmp(want, have) != 0) {
		r = diag_cause(cause, "%s/%s is not the file the signed %s "
		    "lists (SHA-256 %s, not %s): a mirror out of step, or "
		    "tampered with; nothing was downloaded", e->url, e->sums,
		    e->signed_url, have, want);
		goto out;
	}
	r = 0;
out:
	if (in != NULL)
		(void)unlink(in);
	if (out != NULL)
		(void)unlink(out);
	free(rel);
	free(in);
	free(out);
	free(plain);
	free(said);
	return r;
}

/*
 * The entry's files into downloads/ENTRY of downloads (made when missing),
 * each checked against the entry's checksum file.
 */
int
osinstall_fetch(const struct osentry *e, const char *downloads,
    const struct download_progress *pr, struct osinstall_files *f,
    char **cause)
{
	char	*dir = NULL, *sums = NULL, *sums_url = NULL;
	int	 i, r = -1;

	memset(f, 0, sizeof *f);
	if (osinstall_dir(downloads, cause) != 0)
		return -1;
	if (asprintf(&dir, "%s/%s", downloads, e->name) < 0 ||
	    asprintf(&sums_url, "%s/%s", e->url, e->sums) < 0) {
		free(dir);
		return diag_cause(cause, "out of memory");
	}
	if (osinstall_dir(dir, cause) != 0)
		goto out;
	if ((r = download_text(sums_url, OSINSTALL_SUMS_MAX, &sums,
	    cause)) != 0)
		goto out;
	if (osinstall_can_verify(e)) {
		if ((r = osinstall_signed(e, dir, sums, strlen(sums),
		    cause)) != 0)
			goto out;
		f->signed_ok = 1;
	}
	for (i = 0; i < OSFILE_N; i++) {
		if (*e->file[i] == '\0')
			continue;
		if ((r = osinstall_one(e, dir, e->file[i], sums, sums_url, pr,
		    &f->path[i], cause)) != 0)
			break;
	}
out:
	if (r != 0)
		osinstall_files_free(f);
	free(sums);
	free(sums_url);
	free(dir);
	return r;
}

void
osinstall_files_free(struct osinstall_files *f)
{
	int	i;

	for (i = 0; i < OSFILE_N; i++) {
		free(f->path[i]);
		f->path[i] = NULL;
	}
}

static int
osinstall_set(char **field, const char *v)
{
	char	*s;

	if ((s = strdup(v != NULL ? v : "")) == NULL)
		return 1;
	free(*field);
	*field = s;
	return 0;
}

/*
 * The entry's memory and cores for this host: no more than half its
 * memory (in steps of 256 MiB) and no more cores than it has.
 */
void
osinstall_size(const struct osentry *e, long *memory, long *cores)
{
	long	pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	long	cpus = sysconf(_SC_NPROCESSORS_ONLN), half;

	*memory = e->memory;
	half = pages > 0 && page > 0 ? pages / 2 / 1024 * page / 1024 : 0;
	if (half >= 256 && *memory > half)
		*memory = half - half % 256;
	*cores = e->cores;
	if (cpus > 0 && *cores > cpus)
		*cores = cpus;
}

/*
 * What boots the installer, into p: the boot mode, the downloaded files,
 * the command line, installer on, a description. -1: out of memory.
 */
int
osinstall_apply(struct profile *p, const struct osentry *e,
    const struct osinstall_files *f)
{
	int	oom = 0;

	p->arch = (enum arch)e->arch;
	p->installer = true;
	free(p->description);
	if (asprintf(&p->description, "%s %s, installed from vmtui's catalog "
	    "(%s)", e->title, e->release, e->name) < 0)
		p->description = NULL;
	oom |= p->description == NULL;
	if (e->kind == OSKIND_ISO) {
		p->boot_mode = BOOT_CDROM;
		oom |= osinstall_set(&p->cdrom, f->path[OSFILE_ISO]);
	} else {
		p->boot_mode = BOOT_KERNEL;
		oom |= osinstall_set(&p->kernel, f->path[OSFILE_KERNEL]);
		oom |= osinstall_set(&p->initrd, f->path[OSFILE_INITRD]);
		oom |= osinstall_set(&p->append, e->append);
	}
	return oom ? -1 : 0;
}

/*
 * A new machine (not saved) named name in the profiles folder dir that
 * boots the entry's installer from files, sized for this host, with a new
 * root disk of the entry's size.
 */
struct profile *
osinstall_profile(const struct osentry *e, const char *name,
    const char *dir, const struct osinstall_files *f)
{
	struct profile	*p;

	if ((p = profile_new(name, dir)) == NULL)
		return NULL;
	osinstall_size(e, &p->memory, &p->cores);
	p->has_root_disk = true;
	p->root_size = e->disk;
	if (p->name == NULL || osinstall_apply(p, e, f) != 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

/*
 * Whether the installer wrote to the machine's root disk: its image holds
 * more than a fresh qcow2 (qemu-img makes one of 192 KiB; a first write
 * adds a cluster and a table, 128 KiB).
 */
bool
osinstall_disk_written(const struct profile *p)
{
	struct stat	 st;
	char		*image;
	bool		 r;

	if (!p->has_root_disk || (image = resolve_disk_image(p, -1)) == NULL)
		return false;
	r = stat(image, &st) == 0 && (long long)st.st_blocks * 512 > 256 << 10;
	free(image);
	return r;
}

/*
 * The installed system from now on: the profile at path boots its disk,
 * and installer is off (the installer's files stay in the file, unused).
 * Saved atomically, from the file as it is now.
 */
int
osinstall_finish(const char *path, char **cause)
{
	struct profile	*p;
	int		 r;

	if (validate_load(path, &p, cause) != 0)
		return -1;
	if (!p->has_root_disk) {
		profile_free(p);
		return diag_cause(cause, "%s has no root disk to boot", path);
	}
	p->boot_mode = BOOT_DISK;
	p->installer = false;
	r = profile_patch_save(p, path, cause);
	profile_free(p);
	return r;
}
