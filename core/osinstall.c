/*
 * osinstall: a catalog entry made into a machine. The files go into the
 * private downloads/ENTRY/ as FILE.part and become FILE only after their
 * SHA-256 matched the distribution's checksum file, so nothing that looks
 * complete is ever unchecked; a mismatch deletes the part. One vmtui at a
 * time works on a file (its lock, .FILE.lock): it reads the SHA-256
 * through the fd that wrote the part and renames that very file, so no
 * byte is added after the check. Where the distribution signs, its
 * Release is checked first (signature, suite, age) and the checksum file
 * against it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "checksum.h"
#include "diag.h"
#include "io.h"
#include "osinstall.h"
#include "overlay.h"
#include "paths.h"
#include "profile_txn.h"
#include "profile_save.h"
#include "release.h"
#include "resolve.h"
#include "spawn.h"
#include "validate.h"

/* The largest checksum file read (Debian's is about 20 KiB). */
#define OSINSTALL_SUMS_MAX	(4 << 20)
/* The largest Release read (Debian's InRelease is about 150 KiB). */
#define OSINSTALL_RELEASE_MAX	(16 << 20)
/* The most a file can be when its entry says no size: a DVD's image. */
#define OSINSTALL_FILE_MAX	(16LL << 30)
/* The newest Release dates accepted, in the state folder ('.': no name). */
#define OSINSTALL_DATES		".release-dates"

/* A folder of ours: made 0700 when missing, never a symlink or foreign. */
static int
osinstall_dir(const char *dir, char **cause)
{
	struct stat	st;

	/* and the folders above it, from HOME or XDG_CACHE_HOME down */
	if (paths_trust(dir, cause) != 0)
		return -1;
	switch (paths_check_dir(dir, true, true, &st)) {
	case PATHS_DIR_OK:
		return 0;
	case PATHS_DIR_UNMADE:
		return diag_cause(cause, "cannot make %s: %s", dir,
		    strerror(errno));
	case PATHS_DIR_UNSEEN:
		return diag_cause(cause, "%s: %s", dir, strerror(errno));
	case PATHS_DIR_FOREIGN:
		if (st.st_uid == geteuid())
			return diag_cause(cause, "%s is open to other users "
			    "(mode %04o): vmtui keeps downloads only where "
			    "nobody else can change them; chmod 700 it", dir,
			    (unsigned)(st.st_mode & 07777));
		/* FALLTHROUGH */
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

/* What a progress report on a file being checked passes along. */
struct osinstall_tick {
	const struct download_progress	*pr;
	const char			*what;
	long long			 total;
};

static int
osinstall_ticked(void *arg, long long done)
{
	struct osinstall_tick	*t = arg;

	return t->pr->fn(t->pr->arg, t->what, done, t->total, 0);
}

/* Whether the person cancels, asked through the progress callback. */
static bool
osinstall_cancelled(const struct download_progress *pr, const char *what)
{
	return pr != NULL && pr->fn != NULL &&
	    pr->fn(pr->arg, what, 0, -1, 0) != 0;
}

/*
 * Open path (a file of ours in a folder of ours) with flags, never through
 * a symlink, never waiting (a FIFO), only a plain file: the fd, or -1 with
 * why (ENOENT's errno kept for the caller).
 */
static int
osinstall_open(const char *path, int flags, struct stat *st, char **cause)
{
	int	fd, e;

	if ((fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
	    0644)) == -1) {
		e = errno;
		diag_cause(cause, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		diag_cause(cause, "%s: not a plain file", path);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/*
 * The lock on one file of the downloads (path, a file in the entry's
 * private folder): held by one vmtui at a time, from before it looks at
 * the file until the file is in place, so no download is ever appended to
 * by two, nor after its check. Another's hold is waited out while its
 * part grows; when it has not grown for twice the stall window, the wait
 * gives up. The person can cancel the wait. The fd, or -1 (or
 * DOWNLOAD_CANCELLED) with why.
 */
static int
osinstall_lock(const char *path, const char *part, const char *name,
    const struct download_progress *pr, int *lockfd, char **cause)
{
	struct download_limits	 lim;
	struct stat		 st;
	long			 since = io_now_ms(), said = 0;
	long long		 size = -2, now;
	char			*what = NULL;
	int			 fd, r = 0;

	if ((fd = osinstall_open(path, O_RDWR | O_CREAT, &st, cause)) == -1)
		return -1;
	download_limits(&lim);
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			r = diag_cause(cause, "%s: %s", path, strerror(errno));
			break;
		}
		now = lstat(part, &st) == 0 ? (long long)st.st_size : -1;
		if (now != size) {
			size = now;
			since = io_now_ms();
		} else if (io_now_ms() - since >= lim.window * 2000) {
			r = diag_cause(cause, "another vmtui is downloading %s, "
			    "and its part has not grown for %ld s: try again "
			    "once it is done (or ended)", name,
			    lim.window * 2);
			break;
		}
		if (what == NULL && asprintf(&what, "%s (another vmtui is "
		    "downloading it; waiting)", name) < 0)
			what = NULL;
		if (pr != NULL && pr->fn != NULL && io_now_ms() - said >= 250) {
			said = io_now_ms();
			if (pr->fn(pr->arg, what != NULL ? what : name,
			    size > 0 ? size : 0, -1, 0) != 0) {
				diag_cause(cause, "cancelled while another "
				    "vmtui downloads %s", name);
				r = DOWNLOAD_CANCELLED;
				break;
			}
		}
		usleep(100 * 1000);
	}
	free(what);
	if (r != 0) {
		close(fd);
		return r;
	}
	*lockfd = fd;
	return 0;
}

/*
 * The SHA-256 of the file open at fd (name in reports) into have: 0, -1
 * or DOWNLOAD_CANCELLED with why.
 */
static int
osinstall_hash(int fd, const char *path, const char *name, int kind,
    long long size, const struct download_progress *pr,
    char have[CHECKSUM_HEX], char **cause)
{
	struct osinstall_tick	 t = { pr, NULL, size };
	char			*what = NULL;
	int			 r;

	if (pr != NULL && pr->fn != NULL && asprintf(&what, "%s (checking)",
	    name) >= 0)
		t.what = what;
	r = checksum_fd(fd, path, kind, have, t.what != NULL ? osinstall_ticked :
	    NULL, &t, cause);
	free(what);
	if (r == -2) {
		diag_cause(cause, "%s: cancelled while checking it", path);
		r = DOWNLOAD_CANCELLED;
	}
	return r;
}

/*
 * One file of the entry (rel below its url, listed with the SHA-256 or
 * SHA-512 want): kept when it is there and matches, else downloaded
 * (going on from a part) and checked, all under its lock. The check reads
 * the part through the fd that wrote it, and that same file is renamed
 * into place (its name checked to be still it). A part longer than the
 * file can be (cap) is removed. 0 with *out the file.
 *
 * kept (a cloud image, which machines stand on): dir is named by the
 * hash, the file is made read-only before it is renamed into place and
 * never written again, so one that is there was checked: it is not read
 * again (a second machine is made in a moment).
 */
static int
osinstall_one(const struct osentry *e, const char *dir, const char *rel,
    const char *want, const char *sums_url, bool kept,
    const struct download_progress *pr, char **out, char **cause)
{
	const char	*name = osinstall_base(rel);
	int		 kind = checksum_kind(want);
	const char	*hash = kind == CHECKSUM_SHA512 ? "SHA-512" : "SHA-256";
	long long	 cap = e->size > 0 ? e->size * 2 * 1048576LL :
	    OSINSTALL_FILE_MAX;
	char		 have[CHECKSUM_HEX];
	char		*final = NULL, *part = NULL, *lock = NULL, *url = NULL;
	struct stat	 st, now;
	int		 r = -1, lockfd = -1, fd = -1;

	if (asprintf(&final, "%s/%s", dir, name) < 0 ||
	    asprintf(&part, "%s.part", final) < 0 ||
	    asprintf(&lock, "%s/.%s.lock", dir, name) < 0 ||
	    asprintf(&url, "%s/%s", e->url, rel) < 0) {
		r = diag_cause(cause, "out of memory");
		goto out;
	}
	if ((r = osinstall_lock(lock, part, name, pr, &lockfd, cause)) != 0)
		goto out;
	/* there already, from an earlier install: checked again */
	if ((fd = osinstall_open(final, O_RDONLY, &st, cause)) != -1) {
		if (kept)
			memcpy(have, want, strlen(want) + 1);
		else if ((r = osinstall_hash(fd, final, name, kind, st.st_size,
		    pr, have, cause)) != 0)
			goto out;
		if (strcmp(have, want) == 0) {
			if (pr != NULL && pr->fn != NULL)
				pr->fn(pr->arg, name, -2, -2, 0);
			*out = final;
			final = NULL;
			goto out;
		}
		close(fd);
		fd = -1;
		if (unlink(final) != 0) {
			r = diag_cause(cause, "%s: %s", final, strerror(errno));
			goto out;
		}
	} else if (errno != ENOENT) {
		r = -1;
		goto out;
	}
	free(*cause);
	*cause = NULL;
	if ((fd = osinstall_open(part, O_RDWR | O_CREAT, &st, cause)) == -1) {
		r = -1;
		goto out;
	}
	/* a part longer than the file can be is junk: start over */
	if (st.st_size > cap && ftruncate(fd, 0) != 0) {
		r = diag_cause(cause, "%s: %s", part, strerror(errno));
		goto out;
	}
	r = download_file(url, fd, cap, name, pr, cause);
	if (r == DOWNLOAD_TOO_LONG) {
		(void)unlink(part);
		r = -1;
	}
	if (r != 0)
		goto out;
	if (fstat(fd, &st) != 0 || (r = osinstall_hash(fd, part, name, kind,
	    st.st_size, pr, have, cause)) != 0) {
		if (r == 0)
			r = diag_cause(cause, "%s: %s", part, strerror(errno));
		goto out;
	}
	if (strcmp(have, want) != 0) {
		(void)unlink(part);
		r = diag_cause(cause, "%s: its %s is %s, but %s says %s: "
		    "the download is damaged and was deleted; the next try "
		    "downloads it anew", url, hash, have, sums_url, want);
		goto out;
	}
	/* what machines stand on is never written to */
	if (kept && fchmod(fd, 0444) != 0) {
		r = diag_cause(cause, "%s: %s", part, strerror(errno));
		goto out;
	}
	/* the part's name must still be this file, checked, to rename it */
	if (lstat(part, &now) != 0 || now.st_dev != st.st_dev ||
	    now.st_ino != st.st_ino) {
		r = diag_cause(cause, "%s was replaced while vmtui checked it: "
		    "try again", part);
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
	if (fd != -1)
		close(fd);
	if (lockfd != -1)
		close(lockfd);
	free(final);
	free(part);
	free(lock);
	free(url);
	return r;
}

/* Whether the entry's checksum file can be checked for a signature here. */
bool
osinstall_can_verify(const struct osentry *e)
{
	return (*e->signed_url != '\0' || *e->sig_url != '\0') &&
	    access(e->keyring, R_OK) == 0;
}

/*
 * How the entry's files are trusted here: by a signature checked with its
 * keyring; by the mirror alone where the distribution signs nothing vmtui
 * can check (Alpine: no Debian package ships its key); an entry its
 * distribution signs without its keyring is refused, unless vmtui.conf's
 * checksum-only = true for its mirror says to take the mirror's word.
 */
enum ostrust
osinstall_trust(const struct osentry *e)
{
	if (osinstall_can_verify(e))
		return OSTRUST_SIGNED;
	if (*e->signed_url == '\0' && *e->sig_url == '\0')
		return OSTRUST_MIRROR;
	return e->checksum_only && !e->keyring_given ? OSTRUST_ACCEPTED :
	    OSTRUST_NO_KEYRING;
}

/*
 * The words for it, as every place says them (install, --install --list,
 * the wizard): "signed by the distribution", "checksum only (from the
 * mirror, over HTTPS)", or what is missing. Allocated; NULL: no memory.
 */
char *
osinstall_trust_words(const struct osentry *e)
{
	const char	*pkg = *e->keyring_package != '\0' ?
			    e->keyring_package : NULL;
	char		*s;
	int		 r;

	switch (osinstall_trust(e)) {
	case OSTRUST_SIGNED:
		return strdup("signed by the distribution");
	case OSTRUST_NO_KEYRING:
		r = pkg != NULL ? asprintf(&s, "needs %s (not installed)", pkg) :
		    asprintf(&s, "needs its keyring %s (not installed)",
		    e->keyring);
		return r < 0 ? NULL : s;
	default:
		return strdup(oscatalog_https(e) ? "checksum only (from the "
		    "mirror, over HTTPS)" : "checksum only (from the mirror, "
		    "over plain HTTP)");
	}
}

/* A file of ours could not be written: why, DOWNLOAD_NO_SPACE on ENOSPC. */
static int
osinstall_write_failed(const char *path, char **cause)
{
	int	e = errno;

	diag_cause(cause, "%s: %s", path, strerror(e));
	return e == ENOSPC ? DOWNLOAD_NO_SPACE : -1;
}

/*
 * The parts (FILE.part) in dir that no vmtui is downloading now (their
 * lock taken at once), removed: their names into names, their bytes
 * added to *bytes. Used where the disk is full: what vmtui left there
 * must not keep it full.
 */
static void
osinstall_drop_parts(const char *dir, struct buf *names, long long *bytes)
{
	struct dirent	*d;
	struct stat	 st;
	DIR		*dp;
	char		*part, *lock;
	size_t		 len;
	int		 fd;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		len = strlen(d->d_name);
		if (len <= 5 || strcmp(d->d_name + len - 5, ".part") != 0)
			continue;
		if (asprintf(&part, "%s/%s", dir, d->d_name) < 0)
			break;
		if (asprintf(&lock, "%s/.%.*s.lock", dir, (int)(len - 5),
		    d->d_name) < 0) {
			free(part);
			break;
		}
		fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK, 0600);
		if (fd != -1 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    lstat(part, &st) == 0 && S_ISREG(st.st_mode) &&
		    unlink(part) == 0) {
			*bytes += (long long)st.st_size;
			buf_printf(names, "%s%s", names->len > 0 ? ", " : "",
			    part);
		}
		if (fd != -1)
			close(fd);
		free(lock);
		free(part);
	}
	closedir(dp);
}

/*
 * The disk under the entry's folder dir is full (why: what failed, and
 * freed): the entry's parts removed (also in its images' folders), and
 * the cause says what was removed, what the download needs and what is
 * free now. DOWNLOAD_NO_SPACE.
 */
static int
osinstall_no_space(const struct osentry *e, const char *dir, char *why,
    char **cause)
{
	struct statvfs	 vfs;
	struct dirent	*d;
	struct buf	 names, msg;
	DIR		*dp;
	char		*sub, *list;
	long long	 bytes = 0;
	long		 need = e->size > 0 ? e->size : 1;
	double		 free_mib = -1;
	size_t		 len;

	buf_init(&names);
	osinstall_drop_parts(dir, &names, &bytes);
	if ((dp = opendir(dir)) != NULL) {
		while ((d = readdir(dp)) != NULL)
			if (d->d_name[0] != '.' && asprintf(&sub, "%s/%s", dir,
			    d->d_name) >= 0) {
				osinstall_drop_parts(sub, &names, &bytes);
				free(sub);
			}
		closedir(dp);
	}
	list = buf_finish(&names, &len);
	buf_init(&msg);
	buf_printf(&msg, "%s: the disk holding %s is full; ", why != NULL ?
	    why : strerror(ENOSPC), dir);
	if (len > 0)
		buf_printf(&msg, "vmtui removed its partial download (%s, "
		    "%.1f MiB)", list, (double)bytes / 1048576.0);
	else
		buf_printf(&msg, "vmtui has no partial download there to "
		    "remove");
	buf_printf(&msg, "; the download of %s needs about %ld MiB there",
	    e->name, need);
	if (statvfs(dir, &vfs) == 0) {
		free_mib = (double)vfs.f_bavail * (double)vfs.f_frsize /
		    1048576.0;
		buf_printf(&msg, ", and %.1f MiB are free now", free_mib);
	}
	buf_printf(&msg, free_mib >= (double)need ? ": try again (a reply "
	    "without an end, or a mirror out of step, fills any disk; "
	    "another mirror may serve it right)" : ": make room and try "
	    "again");
	free(list);
	free(why);
	if ((*cause = buf_finish(&msg, &len)) == NULL)
		*cause = strdup("out of memory");
	return DOWNLOAD_NO_SPACE;
}

/*
 * gpgv with the entry's keyring on texts written into a private temp
 * folder of dir (each vmtui its own), removed after: the Release text
 * (sig NULL: a clearsigned file, its signed text into *plain), or a
 * checksum file and its detached signature sig (*plain NULL). 0, or -1
 * with why (what: the url signed).
 */
static int
osinstall_gpgv(const struct osentry *e, const char *dir, const char *what,
    const char *text, const char *sig, size_t siglen, char **plain,
    char **cause)
{
	char	 tmp[PATH_MAX], in[PATH_MAX + 16], out[PATH_MAX + 16];
	char	 sigf[PATH_MAX + 16];
	char	*said = NULL, *argv[7], *nl;
	int	 fd, r = -1, status = 0, n = 0;

	if (plain != NULL)
		*plain = NULL;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/.gpgv-XXXXXX", dir) >=
	    sizeof tmp || mkdtemp(tmp) == NULL) {
		fd = errno;
		diag_cause(cause, "%s: cannot make a temp folder: %s", dir,
		    strerror(fd));
		return fd == ENOSPC ? DOWNLOAD_NO_SPACE : -1;
	}
	snprintf(in, sizeof in, "%s/signed", tmp);
	snprintf(out, sizeof out, "%s/checked", tmp);
	snprintf(sigf, sizeof sigf, "%s/signature", tmp);
	if ((fd = open(in, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1 || io_write_all(fd, text, strlen(text)) !=
	    0 || close(fd) != 0) {
		r = osinstall_write_failed(in, cause);
		goto out;
	}
	if (sig != NULL && ((fd = open(sigf, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) == -1 || io_write_all(fd, sig,
	    siglen) != 0 || close(fd) != 0)) {
		r = osinstall_write_failed(sigf, cause);
		goto out;
	}
	argv[n++] = "gpgv";
	argv[n++] = "--keyring";
	argv[n++] = e->keyring;
	if (sig == NULL) {
		argv[n++] = "--output";
		argv[n++] = out;
	} else
		argv[n++] = sigf;
	argv[n++] = in;
	argv[n] = NULL;
	if (spawn_output(argv, 1, &said, &status) != 0 || status != 0) {
		if (status == 127)
			r = diag_cause(cause, "gpgv is not installed (apt-get "
			    "install gpgv): cannot check the signature of %s",
			    what);
		else {
			while (said != NULL && (nl = strrchr(said, '\n')) !=
			    NULL && nl[1] == '\0')
				*nl = '\0';
			nl = said != NULL ? strrchr(said, '\n') : NULL;
			r = diag_cause(cause, "%s: its signature does not check "
			    "with %s (%s): nothing was downloaded", what,
			    e->keyring, said == NULL ? "?" : nl != NULL ?
			    nl + 1 : said);
		}
		goto out;
	}
	r = sig != NULL ? 0 : io_read_file(out, OSINSTALL_RELEASE_MAX, plain,
	    cause);
out:
	(void)unlink(in);
	(void)unlink(out);
	(void)unlink(sigf);
	(void)rmdir(tmp);
	free(said);
	return r;
}

/*
 * The entry's signed Release (Debian's InRelease): its signature checked
 * with gpgv and the keyring, its Codename the entry's suite, its Date
 * neither in the future nor older than the newest one accepted from its
 * url before (then remembered), its Valid-Until not passed; and the
 * SHA-256 and size it lists for the checksum file into want and size.
 */
static int
osinstall_release(const struct osentry *e, const char *dir,
    const struct download_progress *pr, char want[CHECKSUM_HEX],
    long long *size, char **cause)
{
	struct release	 rl = { NULL, -1, -1 };
	char		*rel = NULL, *plain = NULL, *dates = NULL, *why = NULL;
	time_t		 newest;
	int		 r;

	if ((r = download_text(e->signed_url, OSINSTALL_RELEASE_MAX,
	    osinstall_base(e->signed_url), pr, &rel, cause)) != 0)
		return r;
	if ((r = osinstall_gpgv(e, dir, e->signed_url, rel, NULL, 0, &plain,
	    cause)) != 0) {
		if (osinstall_cancelled(pr, osinstall_base(e->signed_url))) {
			free(*cause);
			diag_cause(cause, "%s: cancelled", e->signed_url);
			r = DOWNLOAD_CANCELLED;
		}
		goto out;
	}
	if ((dates = paths_state_dir(OSINSTALL_DATES)) == NULL) {
		r = diag_cause(cause, "out of memory");
		goto out;
	}
	if (release_parse(plain, &rl, &why) != 0) {
		r = diag_cause(cause, "%s: %s; nothing was downloaded",
		    e->signed_url, why != NULL ? why : "out of memory");
		goto out;
	}
	if ((r = release_newest(dates, e->signed_url, &newest, cause)) != 0 ||
	    (r = release_check(&rl, e->signed_url, e->codename, time(NULL),
	    newest, cause)) != 0)
		goto out;
	if (release_find(plain, e->signed_sums, want, size) != 0) {
		r = diag_cause(cause, "%s does not list %s: the catalog entry "
		    "%s (%s:%d) is out of date", e->signed_url, e->signed_sums,
		    e->name, e->file_name, e->line);
		goto out;
	}
	r = release_remember(dates, e->signed_url, rl.date, cause);
out:
	release_free(&rl);
	free(rel);
	free(plain);
	free(dates);
	free(why);
	return r;
}

/* The most a detached signature is (Ubuntu's is under 2 KiB). */
#define OSINSTALL_SIG_MAX	(64 << 10)

/*
 * The entry's checksum file into *sums, and its detached signature
 * (Ubuntu's SHA256SUMS.gpg) checked by gpgv with the entry's keyring:
 * f->signed_ok, or -1 with nothing downloaded.
 */
static int
osinstall_sums_signed(const struct osentry *e, const char *dir,
    const char *url, const struct download_progress *pr, char **sums,
    struct osinstall_files *f, char **cause)
{
	char	*sig = NULL;
	int	 r;

	if ((r = download_text(url, OSINSTALL_SUMS_MAX,
	    osinstall_base(e->sums), pr, sums, cause)) != 0)
		return r;
	if ((r = download_text(e->sig_url, OSINSTALL_SIG_MAX,
	    osinstall_base(e->sig_url), pr, &sig, cause)) != 0)
		return r;
	/* read as text: an armored signature (as Ubuntu's); a binary one
	   is cut at its first NUL, and gpgv refuses it */
	r = osinstall_gpgv(e, dir, url, *sums, sig, strlen(sig), NULL, cause);
	free(sig);
	if (r == 0)
		f->signed_ok = 1;
	return r;
}

/*
 * The entry's checksum file into *sums: checked against its signed Release
 * where that can be done here (its size and SHA-256 as the Release lists
 * them; f->signed_ok then), else as the mirror serves it.
 */
static int
osinstall_sums(const struct osentry *e, const char *dir, const char *url,
    const struct download_progress *pr, char **sums,
    struct osinstall_files *f, char **cause)
{
	char		 want[CHECKSUM_HEX], have[CHECKSUM_HEX];
	long long	 size = OSINSTALL_SUMS_MAX;
	bool		 sign = osinstall_can_verify(e);
	int		 r;

	if (!sign && e->keyring_given && (*e->signed_url != '\0' ||
	    *e->sig_url != '\0') && access(e->keyring, R_OK) != 0)
		return diag_cause(cause, "%s (the keyring vmtui.conf gives "
		    "mirror \"%s\"): %s: nothing was downloaded", e->keyring,
		    e->mirror, strerror(errno));
	if (osinstall_trust(e) == OSTRUST_NO_KEYRING)
		return diag_cause(cause, "%s is signed by its distribution, "
		    "and the keyring that checks it (%s) is not installed: "
		    "%s%s%s; or, to take the mirror's checksum file alone "
		    "(checksum only), set checksum-only = true in mirror "
		    "\"%s\" of vmtui.conf. Nothing was downloaded", e->name,
		    e->keyring, *e->keyring_package != '\0' ? "apt-get install "
		    : "install the package that has it", e->keyring_package,
		    "", e->mirror);
	if (sign && *e->sig_url != '\0')
		return osinstall_sums_signed(e, dir, url, pr, sums, f, cause);
	if (sign && (r = osinstall_release(e, dir, pr, want, &size,
	    cause)) != 0)
		return r;
	r = download_text(url, size > 0 ? (size_t)size : 1,
	    osinstall_base(e->sums), pr, sums, cause);
	if (r == DOWNLOAD_TOO_LONG && sign) {
		free(*cause);
		return diag_cause(cause, "%s is longer than the %lld bytes the "
		    "signed %s lists: a mirror out of step, or tampered with; "
		    "nothing was downloaded", url, size, e->signed_url);
	}
	if (r != 0 || !sign)
		return r;
	if (checksum_data(*sums, strlen(*sums), have, cause) != 0)
		return -1;
	if (strcmp(want, have) != 0)
		return diag_cause(cause, "%s is not the file the signed %s "
		    "lists (SHA-256 %s, not %s): a mirror out of step, or "
		    "tampered with; nothing was downloaded", url,
		    e->signed_url, have, want);
	f->signed_ok = 1;
	return 0;
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
	char	*dir = NULL, *sums = NULL, *sums_url = NULL, *sub;
	char	 want[OSFILE_N][CHECKSUM_HEX];
	bool	 kept = e->kind == OSKIND_CLOUD;
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
	if ((r = osinstall_sums(e, dir, sums_url, pr, &sums, f, cause)) != 0)
		goto out;
	if (!checksum_any(sums)) {
		r = diag_cause(cause, "%s is not a checksum file (no line of it "
		    "lists a SHA-256): a proxy's or a captive portal's page, or "
		    "the mirror's url is wrong (VMTUI_MIRROR_NAME, or mirror "
		    "\"%s\" in vmtui.conf)", sums_url, e->mirror);
		goto out;
	}
	/* every file listed, before any is downloaded */
	for (i = 0; i < OSFILE_N; i++)
		if (*e->file[i] != '\0' &&
		    checksum_find(sums, e->file[i], want[i]) != 0) {
			r = diag_cause(cause, "%s does not list %s (or lists "
			    "it twice, with different sums): vmtui downloads "
			    "nothing it cannot check; the catalog entry %s "
			    "(%s:%d) is out of date", sums_url, e->file[i],
			    e->name, e->file_name, e->line);
			goto out;
		}
	for (i = 0; i < OSFILE_N; i++) {
		if (*e->file[i] == '\0')
			continue;
		/* a cloud image: in a folder named by its hash, so that a
		   newer one goes beside it, never over it */
		sub = NULL;
		if (kept && (asprintf(&sub, "%s/%.16s", dir, want[i]) < 0 ||
		    osinstall_dir(sub, cause) != 0)) {
			r = sub == NULL ? diag_cause(cause, "out of memory") :
			    -1;
			free(sub);
			break;
		}
		r = osinstall_one(e, sub != NULL ? sub : dir, e->file[i],
		    want[i], sums_url, kept, pr, &f->path[i], cause);
		free(sub);
		if (r != 0)
			break;
	}
out:
	if (r == DOWNLOAD_NO_SPACE) {
		sub = *cause;
		*cause = NULL;
		r = osinstall_no_space(e, dir, sub, cause);
	}
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
	p->installer = e->kind != OSKIND_CLOUD;
	free(p->description);
	if (asprintf(&p->description, "%s %s, %s vmtui's catalog (%s)",
	    e->title, e->release, e->kind == OSKIND_CLOUD ? "from" :
	    "installed from", e->name) < 0)
		p->description = NULL;
	oom |= p->description == NULL;
	if (e->kind == OSKIND_CLOUD) {
		/* boots its disk: an overlay on the image, set up by
		   cloud-init (the section's defaults) */
		p->has_root_disk = true;
		oom |= osinstall_set(&p->root_backing, f->path[OSFILE_IMAGE]);
		p->root_backing_format = (enum disk_format)e->format;
		p->has_cloud_init = true;
		p->disk_interface = DISKIF_VIRTIO;
	} else if (e->kind == OSKIND_ISO) {
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
 * A cloud image's machine p, just saved as file: its root disk made (an
 * overlay on the image), then the entry's older images that no machine
 * of the profiles folder dir stands on removed (their folders into
 * removed). When the disk cannot be made, the profile goes too: -1 with
 * why.
 */
int
osinstall_cloud_made(const struct osentry *e, const struct profile *p,
    const char *file, const struct osinstall_files *f, const char *dir,
    const char *downloads, struct strv *removed, char **cause)
{
	char	*entry, *why = NULL;

	*cause = NULL;
	if (e->kind != OSKIND_CLOUD)
		return 0;
	if (overlay_make(p, cause) != 0) {
		(void)unlink(file);
		return -1;
	}
	if (asprintf(&entry, "%s/%s", downloads, e->name) < 0)
		return 0;
	/* a clean-up that fails leaves the images: nothing lost */
	(void)overlay_prune(entry, f->path[OSFILE_IMAGE], dir, removed, &why);
	free(why);
	free(entry);
	return 0;
}

/*
 * The entry of cat whose downloaded image p stands on (root-disk.backing
 * in the downloads folder: ENTRY/HASH/FILE); NULL when none.
 */
const struct osentry *
osinstall_image_entry(const struct oscatalog *cat, const struct profile *p)
{
	const struct osentry	*e = NULL;
	char			*dl, *b, *slash;
	size_t			 len;

	if (!p->has_root_disk || *p->root_backing == '\0' ||
	    (dl = paths_downloads_dir()) == NULL)
		return NULL;
	if ((b = profile_path(p, p->root_backing)) != NULL) {
		len = strlen(dl);
		if (strncmp(b, dl, len) == 0 && b[len] == '/' &&
		    (slash = strchr(b + len + 1, '/')) != NULL) {
			*slash = '\0';
			e = oscatalog_find(cat, b + len + 1);
			if (e != NULL && e->kind != OSKIND_CLOUD)
				e = NULL;
		}
		free(b);
	}
	free(dl);
	return e;
}

/*
 * What to say of share i of p when the image p stands on has a kernel
 * without 9p (cloud-init cannot mount it): NULL when nothing. It offers
 * what works: an entry of the same system whose kernel has 9p, or files
 * copied over ssh.
 */
char *
osinstall_share_note(const struct profile *p, size_t i)
{
	struct oscatalog	 cat = { NULL, 0 };
	const struct osentry	*e, *alt = NULL;
	char			*why = NULL, *s = NULL;
	size_t			 k;

	if (i >= p->nshares || *p->root_backing == '\0')
		return NULL;
	(void)oscatalog_load_default(&cat, &why);
	free(why);
	if ((e = osinstall_image_entry(&cat, p)) != NULL && !e->shares_9p) {
		for (k = 0; k < cat.n && alt == NULL; k++)
			if (cat.v[k].kind == OSKIND_CLOUD &&
			    cat.v[k].shares_9p && strcmp(cat.v[k].url,
			    e->url) == 0)
				alt = &cat.v[k];
		if (asprintf(&s, "share \"%s\": %s's image (%s) has a kernel "
		    "without 9p, so the guest cannot mount it; %s%s%scopy "
		    "files over ssh (tar c FILES | vmtui --ssh %s -- tar x)",
		    p->shares[i].tag, p->name, e->name, alt != NULL ?
		    "a machine from " : "", alt != NULL ? alt->name : "",
		    alt != NULL ? " (its standard kernel has 9p) mounts "
		    "shares, or " : "", p->name) < 0)
			s = NULL;
	}
	oscatalog_free(&cat);
	return s;
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
	struct profile_txn	 txn;
	struct profile		*p;
	int			 r;

	if (validate_load(path, &p, cause) != 0)
		return -1;
	r = p->has_root_disk;
	profile_free(p);
	if (!r)
		return diag_cause(cause, "%s has no root disk to boot", path);
	/* one change of the file as it is then (profile_txn) */
	if (profile_txn_begin(path, 0, &txn, cause) != 0)
		return -1;
	if ((r = profile_txn_load(&txn, &p, cause)) == 0) {
		p->boot_mode = BOOT_DISK;
		p->installer = false;
		r = profile_txn_commit(&txn, p, NULL, NULL, cause);
		profile_free(p);
	}
	profile_txn_end(&txn);
	return r;
}
