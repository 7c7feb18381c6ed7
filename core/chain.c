/*
 * chain: a qcow2 image names in its header the file it stands on (its
 * backing file) and may keep its data in another file (data-file); QEMU
 * opens both for the guest. An image someone handed over can so give the
 * guest any file of the user's (~/.ssh/id_ed25519 as a raw backing file).
 * Before --check says ok and before a launch, every qcow2 image the
 * profile names that is there already is read with qemu-img info (never
 * opening what it stands on: no --backing-chain), and a backing file is
 * taken only where the profile names it (root-disk.backing, for the
 * overlay vmtui makes on a cloud image), that one standing on nothing; a
 * data file never.
 *
 * qemu-img's JSON holds what the image's author wrote (file names): read
 * with jansson as hostile, an object or an array of them (the form of
 * --backing-chain), CHAIN_MAX at most, names without NUL bytes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "chain.h"
#include "diag.h"
#include "profile.h"
#include "resolve.h"
#include "schema.h"
#include "spawn.h"

void
chain_free(struct chain *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].filename);
		free(c->v[i].format);
		free(c->v[i].backing);
		free(c->v[i].backing_format);
		free(c->v[i].data_file);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/*
 * The string at key of o into *out (NULL when absent). 0, or -1 when it is
 * there but not a string, holds a NUL, or memory ran out.
 */
static int
chain_string(json_t *o, const char *key, char **out)
{
	json_t	*v = o != NULL ? json_object_get(o, key) : NULL;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) !=
	    json_string_length(v))
		return -1;
	return (*out = strdup(json_string_value(v))) == NULL ? -1 : 0;
}

static int
chain_link(json_t *o, struct chain_link *l)
{
	json_t	*spec;
	char	*full = NULL;

	memset(l, 0, sizeof *l);
	if (!json_is_object(o) || chain_string(o, "filename", &l->filename) !=
	    0 || l->filename == NULL || chain_string(o, "format", &l->format) !=
	    0 || chain_string(o, "full-backing-filename", &full) != 0 ||
	    chain_string(o, "backing-filename", &l->backing) != 0 ||
	    chain_string(o, "backing-filename-format", &l->backing_format) !=
	    0)
		goto bad;
	/* the full name where qemu-img gives it (a relative one resolved) */
	if (full != NULL) {
		free(l->backing);
		l->backing = full;
		full = NULL;
	}
	spec = json_object_get(o, "format-specific");
	if (spec != NULL && (!json_is_object(spec) || chain_string(
	    json_object_get(spec, "data"), "data-file", &l->data_file) != 0))
		goto bad;
	return 0;
bad:
	free(full);
	free(l->filename);
	free(l->format);
	free(l->backing);
	free(l->backing_format);
	free(l->data_file);
	memset(l, 0, sizeof *l);
	return -1;
}

/*
 * qemu-img info's JSON (len bytes of text): one image, or the chain
 * (an array), each link what it stands on. 0, or -1 and why.
 */
int
chain_parse(const char *text, size_t len, struct chain *c, char **cause)
{
	json_error_t	 err;
	json_t		*root, *o;
	size_t		 i, n;
	int		 r = 0;

	*cause = NULL;
	c->v = NULL;
	c->n = 0;
	if (len > CHAIN_TEXT_MAX)
		return diag_cause(cause, "qemu-img info says more than %d bytes",
		    CHAIN_TEXT_MAX);
	if ((root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err)) ==
	    NULL)
		return diag_cause(cause, "qemu-img info's answer is not JSON: "
		    "%s", err.text);
	n = json_is_array(root) ? json_array_size(root) : 1;
	if (n == 0 || n > CHAIN_MAX || (!json_is_array(root) &&
	    !json_is_object(root)) || (c->v = calloc(n, sizeof *c->v)) ==
	    NULL) {
		json_decref(root);
		return diag_cause(cause, "qemu-img info's answer is not an image "
		    "or a chain of at most %d", CHAIN_MAX);
	}
	for (i = 0; i < n && r == 0; i++) {
		o = json_is_array(root) ? json_array_get(root, i) : root;
		if ((r = chain_link(o, &c->v[i])) == 0)
			c->n++;
	}
	json_decref(root);
	if (r != 0) {
		chain_free(c);
		return diag_cause(cause, "qemu-img info's answer names an "
		    "image without a file name, or not as text");
	}
	return 0;
}

/*
 * qemu-img info of the image at path, read as format, and never opening
 * what it stands on (-U: a running machine's too). 0, or -1 and why.
 */
int
chain_read(const char *path, const char *format, struct chain *c,
    char **cause)
{
	char	*argv[] = { (char *)"qemu-img", (char *)"info", (char *)"-U",
		    (char *)"-f", (char *)format, (char *)"--output=json",
		    (char *)"--", (char *)path, NULL };
	char	*out = NULL, *nl;
	int	 status, r;

	*cause = NULL;
	if (spawn_output(argv, 1, &out, &status) != 0 || status != 0) {
		if (status == 127)
			r = diag_cause(cause, "qemu-img is not installed (it "
			    "reads what %s stands on): apt-get install "
			    "qemu-utils", path);
		else {
			if (out != NULL && (nl = strchr(out, '\n')) != NULL)
				*nl = '\0';
			r = diag_cause(cause, "qemu-img cannot read %s: %s",
			    path, out != NULL ? out : "it failed");
		}
		free(out);
		return r;
	}
	r = chain_parse(out, strlen(out), c, cause);
	free(out);
	return r;
}

/* Whether a and b are one file (by their real paths). */
static int
chain_same(const char *a, const char *b)
{
	char	*x = realpath(a, NULL), *y = realpath(b, NULL);
	int	 same = x != NULL && y != NULL && strcmp(x, y) == 0;

	free(x);
	free(y);
	return same;
}

/*
 * The qcow2 image at path: what it stands on must be allowed (the image
 * the profile names as root-disk.backing; NULL: none), and that one on
 * nothing; no data file anywhere. QEMU reads the backing file as the
 * image's header says, whatever the profile's root-disk.backing-format
 * (allowed_format, used only when vmtui makes the overlay): a header that
 * names no format (QEMU would guess, maybe a format that names other
 * files) or another than raw and qcow2 is refused, and a qcow2 backing
 * file is read in turn. 0; 1 and why (refused); -1 and why (could not be
 * read).
 */
int
chain_check_image(const char *path, const char *allowed,
    const char *allowed_format, char **why)
{
	struct chain	 c, base;
	const char	*bf = NULL;
	int		 r = 0;

	(void)allowed_format;

	*why = NULL;
	if (chain_read(path, "qcow2", &c, why) != 0)
		return -1;
	if (c.v[0].data_file != NULL)
		r = (diag_cause(why, "%s keeps its data in %s (a data-file), "
		    "which the profile does not name: QEMU would give the "
		    "guest that file", path, c.v[0].data_file), 1);
	else if (c.v[0].backing != NULL && (allowed == NULL ||
	    !chain_same(c.v[0].backing, allowed)))
		r = (diag_cause(why, "%s stands on %s (its backing file), which "
		    "the profile does not name: QEMU would give the guest that "
		    "file. Use an image that stands on nothing (qemu-img "
		    "convert -O qcow2 IMAGE NEW makes one), or name the image "
		    "it stands on as root-disk.backing", path,
		    c.v[0].backing), 1);
	else if (c.v[0].backing != NULL && (bf = c.v[0].backing_format) ==
	    NULL)
		r = (diag_cause(why, "%s does not say what format %s (which it "
		    "stands on) is: QEMU would guess it, maybe as a format that "
		    "names other files. Make the overlay again with qemu-img "
		    "create -f qcow2 -b BACKING -F qcow2 (or -F raw)", path,
		    c.v[0].backing), 1);
	else if (c.v[0].backing != NULL && strcmp(bf, "raw") != 0 &&
	    strcmp(bf, "qcow2") != 0)
		r = (diag_cause(why, "%s has QEMU read %s (which it stands on) "
		    "as %s, a format that may name other files: only raw and "
		    "qcow2 are taken", path, c.v[0].backing, bf), 1);
	else if (c.v[0].backing != NULL && strcmp(bf, "qcow2") == 0) {
		/* the image named as root-disk.backing: standing on nothing */
		if (chain_read(allowed, "qcow2", &base, why) != 0)
			r = -1;
		else if (base.v[0].backing != NULL || base.v[0].data_file !=
		    NULL)
			r = (diag_cause(why, "%s (root-disk.backing) stands on "
			    "%s in turn, which the profile does not name: "
			    "QEMU would give the guest that file", allowed,
			    base.v[0].backing != NULL ? base.v[0].backing :
			    base.v[0].data_file), 1);
		if (r != -1)
			chain_free(&base);
	}
	chain_free(&c);
	return r;
}

/*
 * Every qcow2 image of p's that is there already (the root disk's, the
 * extra disks', root-disk.backing), checked as chain_check_image says:
 * 0, or -1 and the problems as FILE:LINE lines.
 */
int
chain_check(const struct profile *p, char **cause)
{
	struct resolved	*r;
	struct diag	 d;
	const char	*fmt;
	char		*why;
	size_t		 i;
	int		 line, k;

	*cause = NULL;
	if (resolve_machine(p, &r, cause) != 0)
		return -1;
	diag_init(&d, p->file != NULL ? p->file : p->name);
	for (i = 0; i <= r->ndisks; i++) {
		const char *path = i == 0 ? r->root_image : r->disks[i - 1].path;
		const struct profile_drive *dr = i == 0 ? r->root_drive :
		    r->disks[i - 1].drive;

		if (path == NULL || access(path, F_OK) != 0)
			continue;
		fmt = resolve_format(dr, "qcow2");
		/* raw: QEMU opens nothing else, whatever the bytes say */
		if (strcmp(fmt, "qcow2") != 0 ||
		    resolve_image_format(path) != FORMAT_QCOW2)
			continue;
		k = chain_check_image(path, i == 0 ? r->root_backing : NULL,
		    r->root_backing_format != NULL ? r->root_backing_format :
		    "qcow2", &why);
		if (k == 0)
			continue;
		if (i == 0)
			line = p->lines.key[SCHEMA_K_ROOT_DISK_IMAGE] > 0 ?
			    p->lines.key[SCHEMA_K_ROOT_DISK_IMAGE] :
			    p->lines.key[SCHEMA_K_ROOT_DISK_BACKING];
		else
			line = p->disks[i - 1].lines.line;
		diag_take(&d, line > 0 ? line : 1, why);
	}
	resolve_free(r);
	if (d.n == 0 && !d.failed) {
		diag_free(&d);
		return 0;
	}
	*cause = diag_finish(&d);
	return -1;
}
