/*
 * fuzz_chain: qemu-img info's JSON as chain_parse reads it (core/chain.c):
 * what a disk image's author wrote in its header comes back in it. The
 * input is the JSON. Properties:
 * - what is parsed is what the JSON says: on success there are 1 to
 *   CHAIN_MAX links, and each link's file, format, backing file (the full
 *   name where given, else backing-filename), the backing file's format
 *   as the header names it and data file are exactly jansson's strings
 *   at those keys, NUL-free; an image that names a
 *   backing file or a data file is never read as standing on nothing (the
 *   check that keeps QEMU from opening a file the profile does not name);
 * - a refusal leaves nothing allocated and says why (LeakSanitizer).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chain.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The string at key of o, or NULL (absent, null). */
static const char *
text_at(json_t *o, const char *key)
{
	json_t	*v = o != NULL ? json_object_get(o, key) : NULL;

	return v != NULL && json_is_string(v) ? json_string_value(v) : NULL;
}

static void
same(const char *want, const char *got)
{
	if ((want == NULL) != (got == NULL) ||
	    (want != NULL && strcmp(want, got) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chain	 c;
	json_error_t	 err;
	json_t		*root, *o, *spec;
	const char	*full;
	char		*cause = NULL;
	size_t		 i;

	if (chain_parse((const char *)data, size, &c, &cause) != 0) {
		if (cause == NULL || c.v != NULL || c.n != 0)
			abort();
		free(cause);
		return 0;
	}
	if (cause != NULL || c.n == 0 || c.n > CHAIN_MAX)
		abort();
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &err);
	if (root == NULL || c.n != (json_is_array(root) ?
	    json_array_size(root) : 1))
		abort();
	for (i = 0; i < c.n; i++) {
		o = json_is_array(root) ? json_array_get(root, i) : root;
		same(text_at(o, "filename"), c.v[i].filename);
		same(text_at(o, "format"), c.v[i].format);
		same(text_at(o, "backing-filename-format"),
		    c.v[i].backing_format);
		full = text_at(o, "full-backing-filename");
		same(full != NULL ? full : text_at(o, "backing-filename"),
		    c.v[i].backing);
		spec = json_object_get(o, "format-specific");
		same(text_at(spec != NULL ? json_object_get(spec, "data") :
		    NULL, "data-file"), c.v[i].data_file);
		if (c.v[i].filename == NULL)
			abort();
	}
	json_decref(root);
	chain_free(&c);
	return 0;
}
