/*
 * seed: the NoCloud seed of a cloud-init machine, in its private folder
 * (sshkeys_dir: the data folder's cloud-init/, 0700).
 *
 * The volume is ISO 9660 with Rock Ridge and Joliet names (cloud-init's
 * files have lower-case names with a '-'), labelled cidata, written by
 * libisofs, the library xorriso writes with. libisofs is opened when a
 * first seed is written (dynlib.h): a start of vmtui that writes none
 * does not load it.
 *
 * What the seed holds is kept beside it (meta-data, user-data: the host
 * key is in there, so they are 0600 like the folder). A start renders the
 * documents again and compares them, with the instance id the last seed
 * had, to those files: the same, and seed.iso is there, nothing is
 * written; else a new instance id (cloud-init then applies the seed
 * again: the user, keys, packages, commands) and a new seed.iso, put in
 * place by rename(), then the documents.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* libisofs's own copy of libburn's struct burn_source; its header
   declares some functions without prototypes */
#define LIBISOFS_WITHOUT_LIBBURN 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <libisofs.h>
#pragma GCC diagnostic pop

#include "atomic.h"
#include "cloudinit.h"
#include "diag.h"
#include "dynlib.h"
#include "io.h"
#include "seed.h"
#include "sshkeys.h"

DYNLIB_NOTE(seed_note, "libisofs", "cloud-init's NoCloud seed of cloud "
    "images", "recommended", ISOFS_SONAME);

/* libisofs, opened on first use: what this file calls. */
#define SEED_ISOFS(X)							\
	X(iso_init) X(iso_set_msgs_severities) X(iso_image_new)		\
	X(iso_image_get_root) X(iso_image_unref) X(iso_memory_stream_new) \
	X(iso_tree_add_new_file) X(iso_write_opts_new)			\
	X(iso_write_opts_set_rockridge) X(iso_write_opts_set_joliet)	\
	X(iso_write_opts_free) X(iso_image_create_burn_source)		\
	X(iso_error_to_msg)

DYNLIB_TABLE(li, seed_names, SEED_ISOFS);

/* 0 once libisofs is there (and set up), else -1 with *cause. */
int
seed_available(char **cause)
{
	static bool	loaded;
	int		r;

	*cause = NULL;
	if (loaded)
		return 0;
	if (dynlib_load(ISOFS_SONAME, ISOFS_PACKAGE, seed_names,
	    sizeof seed_names / sizeof seed_names[0], &li, cause) != 0)
		return -1;
	if ((r = li.iso_init()) < 0)
		return diag_cause(cause, "libisofs does not start: %s",
		    li.iso_error_to_msg(r));
	/* core prints nothing: libisofs neither */
	li.iso_set_msgs_severities((char *)"NEVER", (char *)"NEVER",
	    (char *)"vmtui");
	loaded = true;
	return 0;
}

/* The machine's seed: DATA/vmtui/NAME/cloud-init/seed.iso. */
char *
seed_path(const struct profile *p)
{
	return sshkeys_file(p, SEED_ISO);
}

static int
seed_iso_fail(char **cause, const char *what, int err)
{
	return diag_cause(cause, "cannot write the cloud-init seed: %s: %s",
	    what, li.iso_error_to_msg(err));
}

/* The volume's image in memory, its files added. */
static int
seed_image(const struct seed_file *files, size_t n, IsoImage **image,
    char **cause)
{
	IsoStream	*stream;
	unsigned char	*copy;
	size_t		 i;
	int		 r;

	if ((r = li.iso_image_new(SEED_LABEL, image)) < 0)
		return seed_iso_fail(cause, "a new volume", r);
	for (i = 0; i < n; i++) {
		/* the stream owns (and frees) its buffer */
		if ((copy = malloc(files[i].len > 0 ? files[i].len : 1)) ==
		    NULL)
			return diag_cause(cause, "out of memory");
		memcpy(copy, files[i].data, files[i].len);
		if ((r = li.iso_memory_stream_new(copy, files[i].len,
		    &stream)) < 0) {
			free(copy);
			return seed_iso_fail(cause, files[i].name, r);
		}
		if ((r = li.iso_tree_add_new_file(li.iso_image_get_root(
		    *image), files[i].name, stream, NULL)) < 0)
			return seed_iso_fail(cause, files[i].name, r);
	}
	return 0;
}

/* The volume's bytes from libisofs' writer into fd. */
static int
seed_stream(IsoImage *image, int fd, char **cause)
{
	IsoWriteOpts		*opts = NULL;
	struct burn_source	*src = NULL;
	unsigned char		 block[2048];
	int			 r, n;

	/* 2: Rock Ridge and Joliet, plain permissions, the time of writing */
	if ((r = li.iso_write_opts_new(&opts, 2)) < 0)
		return seed_iso_fail(cause, "its options", r);
	li.iso_write_opts_set_rockridge(opts, 1);
	li.iso_write_opts_set_joliet(opts, 1);
	r = li.iso_image_create_burn_source(image, opts, &src);
	li.iso_write_opts_free(opts);
	if (r < 0)
		return seed_iso_fail(cause, "its writer", r);
	for (;;) {
		n = src->read_xt != NULL ? src->read_xt(src, block,
		    sizeof block) : src->read(src, block, sizeof block);
		if (n <= 0)
			break;
		if (io_write_all(fd, block, (size_t)n) != 0) {
			r = diag_cause(cause, "cannot write the cloud-init "
			    "seed: %s", strerror(errno));
			break;
		}
	}
	if (n < 0 && r >= 0)
		r = diag_cause(cause, "cannot write the cloud-init seed: "
		    "libisofs failed");
	src->free_data(src);
	free(src);
	return r < 0 ? -1 : 0;
}

/*
 * An ISO 9660 volume labelled cidata holding files, written at path: in a
 * temp file beside it, then renamed over it. 0, or -1 with why (path is
 * then as it was).
 */
int
seed_write_iso(const char *path, const struct seed_file *files, size_t n,
    char **cause)
{
	IsoImage	*image = NULL;
	char		*tmp;
	int		 fd, r;

	*cause = NULL;
	if (seed_available(cause) != 0)
		return -1;
	if (asprintf(&tmp, "%s.new-XXXXXX", path) < 0)
		return diag_cause(cause, "out of memory");
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		r = diag_cause(cause, "cannot write %s: %s", tmp,
		    strerror(errno));
		free(tmp);
		return r;
	}
	r = seed_image(files, n, &image, cause);
	if (r == 0)
		r = seed_stream(image, fd, cause);
	if (image != NULL)
		li.iso_image_unref(image);
	if (r == 0 && fsync(fd) != 0)
		r = diag_cause(cause, "cannot write %s: %s", tmp,
		    strerror(errno));
	if (close(fd) != 0 && r == 0)
		r = diag_cause(cause, "cannot write %s: %s", tmp,
		    strerror(errno));
	if (r == 0 && rename(tmp, path) != 0)
		r = diag_cause(cause, "cannot put the seed in place as %s: %s",
		    path, strerror(errno));
	if (r != 0)
		(void)unlink(tmp);
	free(tmp);
	return r;
}

/* The instance id of the last seed, from its meta-data; NULL: none. */
static char *
seed_last_id(const char *meta)
{
	const char	*s, *e;

	if (meta == NULL || strncmp(meta, "instance-id: \"", 14) != 0)
		return NULL;
	s = meta + 14;
	if ((e = strchr(s, '"')) == NULL)
		return NULL;
	return strndup(s, (size_t)(e - s));
}

/* A new instance id: the machine's name, the time, and chance. */
static char *
seed_new_id(const char *name)
{
	unsigned int	 rnd = 0;
	char		*s;

	if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
		rnd = (unsigned int)getpid() ^ (unsigned int)clock();
	if (asprintf(&s, "vmtui-%s-%lld-%08x", name, (long long)time(NULL),
	    rnd) < 0)
		return NULL;
	return s;
}

/* dir/file's text, or NULL when it is not there (or not readable). */
static char *
seed_read(const char *dir, const char *file)
{
	char	*path, *text = NULL, *why = NULL;

	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return NULL;
	(void)io_read_file(path, 4 * CLOUDINIT_USER_DATA_MAX, &text, &why);
	free(why);
	free(path);
	return text;
}

static int
seed_keep(const char *dir, const char *file, const char *text, char **cause)
{
	struct atomic_opts	 o = { ATOMIC_MODE, 0600, NULL, NULL, NULL };
	char			*path;
	int			 r;

	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return diag_cause(cause, "out of memory");
	r = atomic_write(path, text, strlen(text), &o, cause);
	free(path);
	return r;
}

/* The documents' inputs: keys, the person's file. */
struct seed_inputs {
	struct cloudinit_input	 in;
	struct strv		 keys;
	char			*user, *priv, *pub, *file;
};

static void
seed_inputs_free(struct seed_inputs *si)
{
	strv_free(&si->keys);
	free(si->user);
	free(si->priv);
	free(si->pub);
	free(si->file);
}

static int
seed_gather(const struct profile *p, const char *dir, struct seed_inputs *si,
    char **cause)
{
	char	*path;
	int	 r;

	memset(si, 0, sizeof *si);
	if (sshkeys_host(dir, p->name, &si->priv, &si->pub, cause) != 0)
		return -1;
	if ((si->user = cloudinit_user(p)) == NULL)
		return diag_cause(cause, "out of memory");
	if (*p->cloud_user_data != '\0') {
		if ((path = profile_path(p, p->cloud_user_data)) == NULL)
			return diag_cause(cause, "out of memory");
		r = io_read_file(path, CLOUDINIT_USER_DATA_MAX, &si->file,
		    cause);
		free(path);
		if (r != 0)
			return -1;
		si->in.user_data = si->file;
		si->in.user_data_len = strlen(si->file);
	} else if (sshkeys_authorized(p, dir, &si->keys, cause) != 0)
		return -1;
	si->in.user = si->user;
	si->in.keys = &si->keys;
	si->in.host_private = si->priv;
	si->in.host_public = si->pub;
	return 0;
}

/*
 * The seed of p's machine as its cloud-init section says now: written
 * when something changed (*changed then), else left as it is. 0, or -1
 * with why. A profile without the section has no seed: 0.
 */
int
seed_prepare(const struct profile *p, bool *changed, char **cause)
{
	struct seed_inputs	 si;
	struct seed_file	 files[2];
	char			*dir, *host = NULL, *user = NULL, *meta = NULL;
	char			*old_user = NULL, *old_meta = NULL, *id = NULL;
	char			*iso = NULL;
	int			 r = -1;

	*changed = false;
	*cause = NULL;
	if (!p->has_cloud_init)
		return 0;
	memset(&si, 0, sizeof si);
	if ((dir = sshkeys_dir(p)) == NULL)
		return diag_cause(cause, "out of memory");
	if (sshkeys_dir_make(dir, cause) != 0 ||
	    seed_gather(p, dir, &si, cause) != 0 ||
	    cloudinit_user_data(p, &si.in, &user, cause) != 0)
		goto out;
	if ((host = cloudinit_hostname(p)) == NULL ||
	    asprintf(&iso, "%s/" SEED_ISO, dir) < 0) {
		iso = NULL;
		goto out;
	}
	old_user = seed_read(dir, "user-data");
	old_meta = seed_read(dir, "meta-data");
	if ((id = seed_last_id(old_meta)) != NULL) {
		if ((meta = cloudinit_meta_data(id, host)) == NULL)
			goto out;
		if (old_user != NULL && strcmp(old_user, user) == 0 &&
		    strcmp(old_meta, meta) == 0 && access(iso, F_OK) == 0) {
			r = 0;
			goto out;
		}
		free(meta);
		free(id);
	}
	if ((id = seed_new_id(p->name)) == NULL ||
	    (meta = cloudinit_meta_data(id, host)) == NULL)
		goto out;
	files[0] = (struct seed_file){ "meta-data", meta, strlen(meta) };
	files[1] = (struct seed_file){ "user-data", user, strlen(user) };
	if (seed_write_iso(iso, files, 2, cause) != 0 ||
	    seed_keep(dir, "user-data", user, cause) != 0 ||
	    seed_keep(dir, "meta-data", meta, cause) != 0)
		goto out;
	*changed = true;
	r = 0;
out:
	if (r != 0 && *cause == NULL)
		*cause = strdup("out of memory");
	seed_inputs_free(&si);
	free(dir);
	free(host);
	free(user);
	free(meta);
	free(old_user);
	free(old_meta);
	free(id);
	free(iso);
	return r;
}
