/*
 * imgchain: the files QEMU opens for one disk image, as qemu-img reads
 * them: the image, its backing files down the chain, and a qcow2's
 * external data file. Read a level at a time with qemu-img info
 * --output=json (jansson), each next file shown to the caller before
 * qemu-img opens it: a backing file named nbd://... or json:{...} would
 * have qemu-img connect somewhere, and --backing-chain opens them all.
 * Nothing is guessed from the bytes here.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "imgchain.h"
#include "spawn.h"

/* The deepest chain read: libvirt's snapshots make one a level each. */
#define IMGCHAIN_MAX_DEPTH	64

void
imgchain_free(struct imgchain *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].format);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

static int
imgchain_add(struct imgchain *c, const char *path, const char *format,
    enum imgchain_role role, char **cause)
{
	struct imgchain_file	*v;

	if ((v = realloc(c->v, (c->n + 1) * sizeof *v)) == NULL)
		return diag_cause(cause, "out of memory");
	c->v = v;
	v[c->n].role = role;
	v[c->n].path = strdup(path);
	v[c->n].format = format != NULL ? strdup(format) : NULL;
	if (v[c->n].path == NULL || (format != NULL && v[c->n].format == NULL)) {
		free(v[c->n].path);
		free(v[c->n].format);
		return diag_cause(cause, "out of memory");
	}
	c->n++;
	return 0;
}

/*
 * qemu-img info of path (in format, NULL: as qemu-img finds it), its JSON
 * in *info; -1 with qemu-img's own words in *cause.
 */
static int
imgchain_info(const char *path, const char *format, json_t **info,
    char **cause)
{
	char		*argv[10], *out = NULL, *why;
	json_error_t	 err;
	size_t		 n = 0;
	int		 st, r;

	argv[n++] = (char *)"qemu-img";
	argv[n++] = (char *)"info";
	argv[n++] = (char *)"--output=json";
	argv[n++] = (char *)"-U";	/* a machine running may hold it */
	if (format != NULL) {
		argv[n++] = (char *)"-f";
		argv[n++] = (char *)format;
	}
	argv[n++] = (char *)"--";
	argv[n++] = (char *)path;
	argv[n] = NULL;
	*info = NULL;
	if (spawn_output(argv, 0, &out, &st) != 0)
		return diag_cause(cause, "cannot run qemu-img: out of memory");
	if (st == 0 && (*info = json_loads(out, 0, &err)) != NULL &&
	    json_is_object(*info)) {
		free(out);
		return 0;
	}
	json_decref(*info);
	*info = NULL;
	free(out);
	/* again for its words, which go to stderr */
	if (st == 0 || spawn_output(argv, 1, &out, &r) != 0)
		return diag_cause(cause, "%s: qemu-img info does not read it",
		    path);
	why = strncmp(out, "qemu-img: ", 10) == 0 ? out + 10 : out;
	why[strcspn(why, "\n")] = '\0';
	if (st == 127)
		diag_cause(cause, "qemu-img is not installed (qemu-utils): "
		    "vmtui reads a disk's backing files with it");
	else
		diag_cause(cause, "%s: %s", path, why);
	free(out);
	return -1;
}

static const char *
imgchain_string(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * What the image at path looks like to qemu-img, which finds its format
 * from its bytes as QEMU would (qcow2, raw, vmdk, ...), in *format: for a
 * saying, never to open it so. 0, or -1 with *cause.
 */
int
imgchain_looks(const char *path, char **format, char **cause)
{
	json_t		*info;
	const char	*fmt;

	*format = NULL;
	if (imgchain_info(path, NULL, &info, cause) != 0)
		return -1;
	fmt = imgchain_string(info, "format");
	*format = strdup(fmt != NULL ? fmt : "?");
	json_decref(info);
	return *format != NULL ? 0 : diag_cause(cause, "out of memory");
}

/*
 * The chain of the image at path (in format: "qcow2", "raw", or NULL to
 * have qemu-img find it, as QEMU does) in *out, the image first. Before
 * qemu-img opens a backing or data file, check(arg, path, role, &why)
 * says whether it may (0), or why not (-1 and *why, which becomes the
 * cause). A format other than raw or qcow2, a loop, or a chain deeper
 * than IMGCHAIN_MAX_DEPTH is refused. 0, or -1 with *cause.
 */
int
imgchain_read(const char *path, const char *format, imgchain_check check,
    void *arg, struct imgchain *out, char **cause)
{
	json_t		*info = NULL, *data;
	const char	*fmt, *next, *nextfmt, *df;
	char		*why = NULL, *at = NULL, *want = NULL;
	size_t		 i, level;
	int		 ret = -1;

	memset(out, 0, sizeof *out);
	if (imgchain_add(out, path, format, IMGCHAIN_IMAGE, cause) != 0)
		return -1;
	if ((at = strdup(path)) == NULL ||
	    (format != NULL && (want = strdup(format)) == NULL)) {
		diag_cause(cause, "out of memory");
		goto out;
	}
	for (level = 0; ; level++) {
		if (imgchain_info(at, want, &info, cause) != 0)
			goto out;
		fmt = imgchain_string(info, "format");
		if (fmt == NULL || (strcmp(fmt, "raw") != 0 &&
		    strcmp(fmt, "qcow2") != 0)) {
			diag_cause(cause, "%s: a disk image in format %s: vmtui's "
			    "are qcow2 or raw", at, fmt != NULL ? fmt : "?");
			goto out;
		}
		/* what qemu-img found, for the caller (the first's "looks") */
		free(out->v[out->n - 1].format);
		if ((out->v[out->n - 1].format = strdup(fmt)) == NULL) {
			diag_cause(cause, "out of memory");
			goto out;
		}
		data = json_object_get(json_object_get(info,
		    "format-specific"), "data");
		if ((df = imgchain_string(data, "data-file")) != NULL) {
			if (check(arg, df, level == 0 ? IMGCHAIN_DATA :
			    IMGCHAIN_BACKING_DATA, &why) != 0 ||
			    imgchain_add(out, df, "raw", level == 0 ?
			    IMGCHAIN_DATA : IMGCHAIN_BACKING_DATA, cause) != 0)
				goto refused;
		}
		if (imgchain_string(info, "backing-filename") == NULL)
			break;
		next = imgchain_string(info, "full-backing-filename");
		if (next == NULL)
			next = imgchain_string(info, "backing-filename");
		nextfmt = imgchain_string(info, "backing-filename-format");
		if (level + 1 >= IMGCHAIN_MAX_DEPTH) {
			diag_cause(cause, "%s: a chain of more than %d backing "
			    "files", path, IMGCHAIN_MAX_DEPTH);
			goto out;
		}
		for (i = 0; i < out->n; i++)
			if (strcmp(out->v[i].path, next) == 0) {
				diag_cause(cause, "%s: its backing files loop at "
				    "%s", path, next);
				goto out;
			}
		if (check(arg, next, IMGCHAIN_BACKING, &why) != 0 ||
		    imgchain_add(out, next, nextfmt, IMGCHAIN_BACKING,
		    cause) != 0)
			goto refused;
		free(at);
		free(want);
		at = strdup(next);
		want = nextfmt != NULL ? strdup(nextfmt) : NULL;
		json_decref(info);
		info = NULL;
		if (at == NULL || (nextfmt != NULL && want == NULL)) {
			diag_cause(cause, "out of memory");
			goto out;
		}
	}
	ret = 0;
	goto out;
refused:
	if (why != NULL) {
		*cause = why;
		why = NULL;
	}
out:
	json_decref(info);
	free(why);
	free(at);
	free(want);
	if (ret != 0)
		imgchain_free(out);
	return ret;
}
