/*
 * fuzz_patch: a libFuzzer target for the round-trip patcher
 * (core/profile_patch.c), the way --set, --unset and the editor save. An
 * input is a profile and a sequence of changes: its first byte picks a
 * profile of the round-trip corpus (tests/data/roundtrip), or, from 128
 * on, takes the text up to the first NUL of the input itself (a profile
 * that does not load is no case); then each three bytes are one change,
 * as --set and --unset make them (a key set to a value from a table of
 * ordinary and hostile ones, checked as the editor checks it; a key
 * unset; a row added or removed; the root disk or cloud-init added or
 * removed; at most FUZZ_OPS), every so often saved. For every save:
 *
 * - the patcher patches (it never gives up on a text the loader read);
 * - the patched text loads, and holds exactly the profile as changed:
 *   the keys named changed to what they were set to, every other key of
 *   every section and row still means what it meant, the rows in their
 *   order (profile_equal of the loaded text and the changed model);
 * - the keys that did not change keep their bytes: a text patched
 *   without a change is the text itself (but for the name, written down
 *   where the file has none: a copy's file has another name).
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_patch
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "io.h"
#include "profile.h"
#include "profile_patch.h"
#include "profile_save.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#ifndef FUZZ_CORPUS
#define FUZZ_CORPUS	"tests/data/roundtrip"
#endif
#define PATH		"/fuzz/p.conf"	/* named "p", never opened */
#define FUZZ_OPS	48		/* changes an input makes at most */

static char	*corpus[32];
static size_t	 ncorpus;

static int
conf_only(const struct dirent *e)
{
	return strstr(e->d_name, ".conf") != NULL;
}

/* The corpus, in the order of its names: an input picks the same file. */
static void
setup(void)
{
	struct dirent	**names;
	char		  path[1024], *why;
	int		  n, i;

	if ((n = scandir(FUZZ_CORPUS, &names, conf_only, alphasort)) <= 0) {
		fprintf(stderr, "fuzz_patch: %s: no corpus\n", FUZZ_CORPUS);
		abort();
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", FUZZ_CORPUS,
		    names[i]->d_name);
		if (ncorpus < 32 && io_read_file(path, 1 << 20,
		    &corpus[ncorpus++], &why) != 0)
			abort();
		free(names[i]);
	}
	free(names);
}

/* Values a change sets, by the key's type: ordinary and hostile. */
static const char *const strs[] = { "", "x", "a b", "vmlinuz", "initrd.gz",
    "with \"quotes\"", "$HOME ${X}", "back\\slash", "new\nline", "tab\tx",
    "\xc3\xa9t\xc3\xa9", "'single'", "# not a comment", "/* nor */",
    "// nor", "}", "{", "=", ",", "ttyS0,115200", "127.0.0.1", "10.0.2.15",
    "1024x768", "-vga std", "\"\"", "a\\", " lead", "trail " };
static const char *const lists[] = { "", "a", "a b", "\"\" x", "-vga std",
    "ttyS0 tty0", "\\x22 #" };
static const long ints[] = { 0, 1, 2, 22, 80, 512, 1024, 2222, 4096, 8192,
    16384, 65535, 65536, -1 };
static const char *const nums[] = { "", "1", "1 2", "4095", "7 3 9" };

/* Key k's value from byte v, as the text a field takes; NULL: none. */
static char *
value_of(const struct schema_key *k, uint8_t v)
{
	const char *const	*choices;
	char			*s;
	size_t			 n;

	switch (k->type) {
	case SCHEMA_INT:
		if (asprintf(&s, "%ld", v & 0x80 ? (k->min + k->max) / 2 +
		    v % 7 : ints[v % (sizeof ints / sizeof ints[0])]) < 0)
			return NULL;
		return s;
	case SCHEMA_BOOL:
		return strdup(v & 1 ? "true" : "false");
	case SCHEMA_ENUM:
		choices = fields_choices(k->path);
		for (n = 0; choices != NULL && choices[n] != NULL; n++)
			;
		return n > 0 ? strdup(choices[v % n]) : NULL;
	case SCHEMA_STR:
		return fields_encode(strs[v % (sizeof strs / sizeof strs[0])],
		    0);
	case SCHEMA_LIST:
		return strdup(lists[v % (sizeof lists / sizeof lists[0])]);
	case SCHEMA_NUMS:
		return strdup(nums[v % (sizeof nums / sizeof nums[0])]);
	}
	return NULL;
}

/* One change from three bytes into now (drop: keys unset). */
static void
change(struct profile *now, bool *drop, const uint8_t *op)
{
	static const int	rows[] = { SCHEMA_DISK, SCHEMA_SHARE,
				    SCHEMA_FORWARD };
	const struct schema_key	*k;
	char			*text, *cause = NULL, title[16];
	size_t			 n, row;
	int			 which = op[0] % (2 * SCHEMA_NKEYS + 10), s;

	if (which < SCHEMA_NKEYS) {
		/* --set KEY=VALUE, checked as the editor checks it */
		k = &schema_keys[which];
		n = profile_count(now, k->section);
		if (n == 0 || (text = value_of(k, op[1])) == NULL)
			return;
		row = op[2] % n;
		if (fields_set(now, k->path, (int)row, text, &cause) != 0)
			free(cause);
		else
			drop[which] = false;
		free(text);
		return;
	}
	if (which < 2 * SCHEMA_NKEYS) {
		/* --unset KEY: of the profile, root-disk, boot or qemu */
		which -= SCHEMA_NKEYS;
		k = &schema_keys[which];
		if (schema_sections[k->section].flags & SCHEMA_ROWS ||
		    which == SCHEMA_K_NAME || which == SCHEMA_K_VERSION ||
		    profile_count(now, k->section) == 0)
			return;
		if (profile_reset_key(now, (enum schema_id)which, 0) != 0)
			abort();
		drop[which] = true;
		return;
	}
	which -= 2 * SCHEMA_NKEYS;
	if (which < 3) {
		/* a row added, as the editor adds one */
		s = rows[which];
		snprintf(title, sizeof title, "t%u", (unsigned)(op[1] % 8));
		for (row = 0; s != SCHEMA_FORWARD && row < profile_count(now,
		    s); row++)
			if (strcmp(*profile_title(now, s, row), title) == 0)
				return;		/* the editor refuses it */
		if (s == SCHEMA_FORWARD)
			(void)profile_add_ssh_forward(now, 2222 + op[1] % 64);
		else if (s == SCHEMA_DISK)
			(void)profile_add_disk(now, title);
		else
			(void)profile_add_share(now, title, "/tmp");
		return;
	}
	if (which < 6) {
		/* a row removed: --unset forward[N], disk.TITLE, share.TAG */
		s = rows[which - 3];
		if ((n = profile_count(now, s)) > 0)
			profile_remove_row(now, s, op[2] % n);
		return;
	}
	if (which < 8) {
		/* the root disk added (the editor's Disks topic) or removed */
		now->has_root_disk = which == 6;
		return;
	}
	/* cloud-init brought (a key of it set) or taken out with its keys */
	if (!(now->has_cloud_init = which == 8))
		for (s = 0; s < SCHEMA_NKEYS; s++)
			if (schema_keys[s].section == SCHEMA_CLOUD_INIT &&
			    profile_reset_key(now, (enum schema_id)s, 0) != 0)
				abort();
}

/* The first key whose value differs between a and b, for the report. */
static void
differs(const struct profile *a, const struct profile *b)
{
	char	*x, *y;
	size_t	 row, n;
	int	 i, s;

	for (s = 0; s < SCHEMA_NSECTIONS; s++)
		if (profile_count(a, s) != profile_count(b, s))
			fprintf(stderr, "%s: %zu rows, read back %zu\n",
			    schema_sections[s].name, profile_count(a, s),
			    profile_count(b, s));
	for (i = 0; i < SCHEMA_NKEYS; i++) {
		s = schema_keys[i].section;
		n = profile_count(a, s) < profile_count(b, s) ?
		    profile_count(a, s) : profile_count(b, s);
		for (row = 0; row < n; row++) {
			x = profile_key_text(a, (enum schema_id)i, row);
			y = profile_key_text(b, (enum schema_id)i, row);
			if (x != NULL && y != NULL && strcmp(x, y) != 0)
				fprintf(stderr, "%s (row %zu): %s, read back "
				    "%s\n", schema_keys[i].path, row, x, y);
			free(x);
			free(y);
		}
	}
}

/*
 * text patched to now (from old); the result checked; the new text, and
 * in *backp what it reads as (or NULL: freed).
 */
static char *
save(const char *text, const struct profile *old, const struct profile *now,
    const bool *drop, struct profile **backp)
{
	struct profile	*back;
	char		*out = NULL, *why = NULL;
	int		 r;

	r = profile_patch(text, old, now, drop, &out);
	if (r != 0) {
		fprintf(stderr, "the patcher gave up (%d) on:\n%s\n", r, text);
		abort();
	}
	if (profile_parse_text(PATH, out, strlen(out), NULL, &back,
	    &why) != 0) {
		fprintf(stderr, "the patched text does not load: %s\n"
		    "--- before\n%s\n--- after\n%s\n", why, text, out);
		abort();
	}
	if (!profile_equal(now, back)) {
		fprintf(stderr, "the patched text means something else\n"
		    "--- before\n%s\n--- after\n%s\n", text, out);
		differs(now, back);
		abort();
	}
	if (backp != NULL)
		*backp = back;
	else
		profile_free(back);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile	*old = NULL, *now = NULL, *back;
	bool		 drop[SCHEMA_NKEYS];
	const uint8_t	*ops, *nul;
	char		*text, *out, *why = NULL;
	size_t		 nops, i;

	if (ncorpus == 0)
		setup();
	if (size == 0)
		return 0;
	if (data[0] < 128) {
		text = strdup(corpus[data[0] % ncorpus]);
		ops = data + 1;
	} else {
		if ((nul = memchr(data + 1, '\0', size - 1)) == NULL)
			return 0;
		text = strndup((const char *)data + 1, (size_t)(nul - data - 1));
		ops = nul + 1;
	}
	/* a few saves of a few changes each: many inputs a second */
	nops = (size_t)(data + size - ops) / 3;
	if (nops > FUZZ_OPS)
		nops = FUZZ_OPS;
	if (text == NULL)
		abort();
	if (profile_parse_text(PATH, text, strlen(text), NULL, &old,
	    &why) != 0 || profile_parse_text(PATH, text, strlen(text), NULL,
	    &now, &why) != 0) {
		free(why);
		goto out;
	}
	/* no change: the very text (a name goes in where the file has none) */
	memset(drop, 0, sizeof drop);
	out = save(text, old, now, drop, NULL);
	if (old->lines.key[SCHEMA_K_NAME] > 0 && strcmp(out, text) != 0) {
		fprintf(stderr, "nothing changed, yet the text did\n");
		abort();
	}
	free(out);
	for (i = 0; i < nops; i++) {
		change(now, drop, ops + 3 * i);
		/* a save after the last change, and now and then before */
		if (i + 1 < nops && !(ops[3 * i + 2] & 0x80))
			continue;
		out = save(text, old, now, drop, &back);
		free(text);
		text = out;
		profile_free(old);
		profile_free(now);
		old = back;
		if (profile_parse_text(PATH, text, strlen(text), NULL, &now,
		    &why) != 0)
			abort();	/* save() loaded it */
		memset(drop, 0, sizeof drop);
	}
out:
	profile_free(old);
	profile_free(now);
	free(text);
	return 0;
}
