/*
 * Unit tests of core/profile_patch.c: a changed value replaced on its line,
 * a key set that the file left out inserted after its siblings (or before
 * the '}' of a section on one line), a key unset removed with its comment
 * lines, a key in a section on one line, a missing section added, rows
 * added and removed; and what made a save rewrite the whole file.
 */
#include "testutil.h"

#include <dirent.h>

#include "cfgtext.h"
#include "io.h"
#include "prescan.h"
#include "profile.h"
#include "profile_patch.h"
#include "profile_save.h"

/* The text patched after change() changed its profile; NULL: refused. */
static char *
patched(const char *text, void (*change)(struct profile *, bool *),
    int *ret)
{
	struct profile	*old, *now;
	bool		 drop[SCHEMA_NKEYS];
	const char	*path;
	char		*cause = NULL, *out = NULL;

	memset(drop, 0, sizeof drop);
	path = test_write_str("p.conf", text);
	if (profile_parse(path, &old, &cause) != 0 ||
	    profile_parse(path, &now, &cause) != 0)
		fail_msg("%s", cause);
	change(now, drop);
	*ret = profile_patch(text, old, now, drop, &out);
	profile_free(old);
	profile_free(now);
	return out;
}

/* The text patched after change() is want, byte for byte. */
static void
expect_patched(const char *text, void (*change)(struct profile *, bool *),
    const char *want)
{
	char	*out;
	int	 r;

	out = patched(text, change, &r);
	assert_int_equal(r, 0);
	assert_string_equal(out, want);
	free(out);
}

static void
memory(struct profile *p, bool *drop)
{
	(void)drop;
	p->memory = 2048;
}

static void
append(struct profile *p, bool *drop)
{
	(void)drop;
	free(p->append);
	p->append = strdup("quiet");
}

static void
unset_cores(struct profile *p, bool *drop)
{
	profile_reset_key(p, SCHEMA_K_CORES, 0);
	drop[SCHEMA_K_CORES] = true;
}

static void
readonly(struct profile *p, bool *drop)
{
	(void)drop;
	p->shares[0].readonly = true;
}

static void
msize(struct profile *p, bool *drop)
{
	(void)drop;
	p->msize = 8192;
}

static void
nothing(struct profile *p, bool *drop)
{
	(void)p;
	(void)drop;
}

static void
add_forward(struct profile *p, bool *drop)
{
	(void)drop;
	profile_add_ssh_forward(p, 2222);
}

static void
add_disk(struct profile *p, bool *drop)
{
	(void)drop;
	profile_add_disk(p, "scratch");
}

static void
no_share(struct profile *p, bool *drop)
{
	(void)drop;
	profile_remove_row(p, SCHEMA_SHARE, 0);
}

static void
no_first_forward(struct profile *p, bool *drop)
{
	(void)drop;
	profile_remove_row(p, SCHEMA_FORWARD, 0);
}

static void
test_patch(void **state)
{
	static const char base[] =
	    "# mine\n"
	    "name = \"m\"   # the name\n"
	    "version = 1\n"
	    "memory = 1024  # MiB\n"
	    "# cores, the comment above\n"
	    "cores = 2\n"
	    "\n"
	    "share \"s\" { source = \"/tmp\"  target = \"/mnt\" }  # mine\n"
	    "boot {\n"
	    "  kernel = '/k'   # a kernel\n"
	    "}\n";
	char	*out;
	int	 r;

	(void)state;
	expect_patched(base, nothing,
	    base);

	out = patched(base, memory, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "\nmemory = 2048  # MiB\n"));
	assert_int_equal(strlen(out), strlen(base));
	free(out);

	out = patched(base, append, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "  kernel = '/k'   # a kernel\n"
	    "  append = \"quiet\"\n}\n"));
	free(out);

	out = patched(base, unset_cores, &r);
	assert_int_equal(r, 0);
	assert_null(strstr(out, "cores"));
	assert_non_null(strstr(out, "# MiB\n\nshare"));
	free(out);

	/* a section on one line takes the key on that line */
	out = patched(base, readonly, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "\nshare \"s\" { source = \"/tmp\"  "
	    "target = \"/mnt\" readonly = true }  # mine\nboot {"));
	free(out);

	out = patched(base, msize, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "}\n\nqemu {\n  msize = 8192\n}\n"));
	free(out);

	/* a row added: at the end, as a new profile would write it */
	out = patched(base, add_forward, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, base));
	assert_string_equal(out + strlen(base),
	    "\nforward {\n  host-port = 2222\n  guest-port = 22\n}\n");
	free(out);

	/* a row removed: its lines and the comments right above it */
	out = patched(base, no_share, &r);
	assert_int_equal(r, 0);
	assert_null(strstr(out, "share"));
	assert_non_null(strstr(out, "cores = 2\n\nboot {"));
	free(out);
}

/* Rows added after their kind's last, and one of several removed. */
static void
two_forwards_gone(struct profile *p, bool *drop)
{
	(void)drop;
	profile_remove_row(p, SCHEMA_FORWARD, 2);
	profile_remove_row(p, SCHEMA_FORWARD, 0);
}

static void
test_rows(void **state)
{
	static const char base[] =
	    "name = \"m\"\n"
	    "boot { kernel = \"/k\" }\n"
	    "# ssh\n"
	    "forward {\n  host-port = 2222\n  guest-port = 22\n}\n"
	    "# web\n"
	    "forward {\n  host-port = 8080\n  guest-port = 80\n}\n"
	    "# the end\n";
	char	*out;
	int	 r;

	(void)state;
	out = patched(base, add_forward, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "guest-port = 80\n}\nforward {\n"
	    "  host-port = 2222\n  guest-port = 22\n}\n# the end\n"));
	free(out);
	/* a disk's size has no default: written, as the editor set it */
	out = patched(base, add_disk, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "# the end\n\ndisk \"scratch\" {\n"
	    "  size = 1024\t\t\t# MiB\n}\n"));
	free(out);
	/* two of three gone: the forwards written anew, the rest as it was */
	expect_patched("name = \"m\"\nboot { kernel = \"/k\" }\n"
	    "forward { host-port = 1  guest-port = 1 }\n"
	    "# two\nforward { host-port = 2  guest-port = 2 }\n"
	    "forward { host-port = 3  guest-port = 3 }\n# end\n", two_forwards_gone,
	    "name = \"m\"\nboot { kernel = \"/k\" }\n"
	    "# end\n\nforward {\n  host-port = 2\n  guest-port = 2\n}\n");
	expect_patched(base, no_first_forward,
	    "name = \"m\"\n"
	    "boot { kernel = \"/k\" }\n"
	    "# web\n"
	    "forward {\n  host-port = 8080\n  guest-port = 80\n}\n"
	    "# the end\n");
}

static void
test_shapes(void **state)
{
	char	*out;
	int	 r;

	(void)state;
	/* two keys of the profile on one line: the value where it is */
	expect_patched("name = \"m\" version = 1\nmemory = 1024 cores = 2  # two\n"
	    "boot { kernel = \"/k\" }\n", memory,
	    "name = \"m\" version = 1\n"
	    "memory = 2048 cores = 2  # two\nboot { kernel = \"/k\" }\n");
	/* ... and one of them unset: it goes, the rest of its line stays */
	expect_patched("name = \"m\" version = 1\nmemory = 1024 cores = 2  # two\n"
	    "boot { kernel = \"/k\" }\n", unset_cores,
	    "name = \"m\" version = 1\n"
	    "memory = 1024  # two\nboot { kernel = \"/k\" }\n");
	/* no key of the profile yet: at the top, below its comments */
	expect_patched("# boot only\n\nboot { kernel = \"/k\" }\n", memory,
	    "# boot only\n\nname = \"p\"\n"
	    "memory = 2048\nboot { kernel = \"/k\" }\n");
	/* a section on one line takes a key before its '}' */
	out = patched("name = \"m\"\nversion = 1\nboot { kernel = \"/k\" }\n",
	    append, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "boot { kernel = \"/k\" append = \"quiet\" "
	    "}\n"));
	free(out);
}

static void
memory_cores(struct profile *p, bool *drop)
{
	(void)drop;
	p->memory = 600;
	p->cores = 2;
}

/*
 * What made a save rewrite the whole file (every default written out), or
 * crash: a value changed and a key inserted after it at once, a comment or
 * a string over lines anywhere, a section whose keys share its line; and
 * lines inserted into a CRLF file.
 */
static void
test_in_place(void **state)
{
	(void)state;
	expect_patched("version = 1\nname = \"a\"\nmemory = 512 # mib\n"
	    "boot { kernel = \"/k\" }\n", memory_cores,
	    "version = 1\nname = \"a\"\n"
	    "memory = 600 # mib\ncores = 2\nboot { kernel = \"/k\" }\n");

	expect_patched("name = \"m\"\n/* over\n   lines */\ndescription = "
	    "\"two\nlines\"\nmemory = 1024\nboot { kernel = '/k' }\n", memory,
	    "name = \"m\"\n/* over\n   lines */\n"
	    "description = \"two\nlines\"\nmemory = 2048\n"
	    "boot { kernel = '/k' }\n");

	expect_patched("name = \"m\"\nboot { mode = \"kernel\" kernel = \"/k\" }\n", append,
	    "name = \"m\"\nboot { mode = \"kernel\" "
	    "kernel = \"/k\" append = \"quiet\" }\n");

	expect_patched("name = \"m\"\r\nmemory = 512\r\nboot {\r\n"
	    "  kernel = \"/k\"\r\n}\r\n", memory_cores,
	    "name = \"m\"\r\nmemory = 600\r\ncores = 2\r\n"
	    "boot {\r\n  kernel = \"/k\"\r\n}\r\n");
}

/*
 * The loader's idea of every line is the patcher's: for each value
 * libconfuse reads (its validate callback, at the line it reports; each
 * of a list's), the patcher finds that key of that section at a statement
 * whose lines (its key to the end of its value) hold that line. Over the round-trip corpus and the hostile profiles (those
 * prescan lets through to libconfuse; the others libconfuse never reads).
 */
static struct {
	const cfg_t	*sec;
	int		 id;
	int		 line;
}		 agree_seen[4096];
static size_t	 agree_n;

static int
agree_record(cfg_t *cfg, cfg_opt_t *opt)
{
	char	path[128];
	int	id;

	if (strcmp(cfg->name, "root") == 0)
		snprintf(path, sizeof path, "%s", opt->name);
	else
		snprintf(path, sizeof path, "%s|%s", cfg->name, opt->name);
	if ((id = schema_index(path)) >= 0 && agree_n < 4096) {
		agree_seen[agree_n].sec = cfg;
		agree_seen[agree_n].id = id;
		agree_seen[agree_n++].line = cfg->line;
	}
	return 0;
}

static void
agree_quiet(cfg_t *cfg, const char *fmt, va_list ap)
{
	(void)cfg;
	(void)fmt;
	(void)ap;
}

/* Which of its kind sec is (libconfuse's order, the file's), or -1. */
static long
agree_row(cfg_t *root, const cfg_t *sec)
{
	unsigned int	i;

	if (sec == root)
		return 0;
	for (i = 0; i < cfg_size(root, sec->name); i++)
		if (cfg_getnsec(root, sec->name, i) == sec)
			return (long)i;
	return -1;
}

/* One file: how many values were compared; a mismatch fails. */
static size_t
agree_file(const char *path)
{
	const struct schema_key	*k;
	struct prescan		 ps;
	struct diag		 d;
	cfg_t			*cfg;
	char			*text, *copy, *why = NULL;
	size_t			 i, n;
	long			 row;
	int			 first, last, pre;

	if (io_read_file(path, 1 << 20, &text, &why) != 0) {
		free(why);
		return 0;	/* NUL bytes: prescan's, not libconfuse's */
	}
	n = strlen(text);
	copy = strdup(text);
	diag_init(&d, path);
	pre = prescan_run(copy, n, &d, &ps);
	prescan_free(&ps);
	diag_free(&d);
	free(copy);
	if (pre != 0) {
		free(text);
		return 0;
	}
	cfg = cfg_init(schema_options(), CFGF_NONE);
	cfg_set_error_function(cfg, agree_quiet);
	for (k = schema_keys; k->path != NULL; k++)
		cfg_set_validate_func(cfg, k->path, agree_record);
	agree_n = 0;
	copy = strdup(text);
	(void)cfgtext_parse(cfg, path, copy, n, NULL);
	free(copy);
	for (i = 0; i < agree_n; i++) {
		row = agree_row(cfg, agree_seen[i].sec);
		if (row < 0)
			fail_msg("%s:%d: %s: a section libconfuse does not "
			    "list", path, agree_seen[i].line,
			    schema_keys[agree_seen[i].id].path);
		if (profile_patch_where(text, (enum schema_id)agree_seen[i].id,
		    (size_t)row, &first, &last) != 0)
			fail_msg("%s:%d: the patcher does not find %s (row "
			    "%ld)", path, agree_seen[i].line,
			    schema_keys[agree_seen[i].id].path, row);
		if (agree_seen[i].line < first || agree_seen[i].line > last)
			fail_msg("%s: %s (row %ld): libconfuse read it at line "
			    "%d, the patcher at lines %d-%d", path,
			    schema_keys[agree_seen[i].id].path, row,
			    agree_seen[i].line, first, last);
	}
	cfg_free(cfg);
	free(text);
	return agree_n;
}

static size_t
agree_dir(const char *dir, size_t *files)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[1024];
	size_t		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (strlen(e->d_name) < 6 || strcmp(e->d_name +
		    strlen(e->d_name) - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		n += agree_file(path);
		(*files)++;
	}
	closedir(d);
	return n;
}

static void
test_lines_agree(void **state)
{
	size_t	files = 0, values;

	(void)state;
	values = agree_dir(TEST_DATA "/roundtrip", &files);
	values += agree_dir(TEST_DATA "/invalid", &files);
	values += agree_dir(TEST_DATA "/golden", &files);
	/* a test that compares nothing cannot fail */
	assert_true(files > 100);
	assert_true(values > 400);
}

static void
unset_set_mode(struct profile *p, bool *drop)
{
	drop[SCHEMA_K_BOOT_MODE] = true;	/* unset, then set again */
	p->boot_mode = BOOT_KERNEL;
}

static void
no_kernel(struct profile *p, bool *drop)
{
	profile_reset_key(p, SCHEMA_K_BOOT_KERNEL, 0);
	drop[SCHEMA_K_BOOT_KERNEL] = true;
}

static void
disk_before(struct profile *p, bool *drop)
{
	(void)drop;
	/* t6 removed and made again after a new t1: t1 is now the first */
	profile_remove_row(p, SCHEMA_DISK, 0);
	profile_add_disk(p, "t1");
	p->disks[0].drive.discard = true;
	profile_add_disk(p, "t6");
}

static void
two_forwards_changed(struct profile *p, bool *drop)
{
	(void)drop;
	/* one of two gone, the other changed: they cannot be told apart */
	profile_remove_row(p, SCHEMA_FORWARD, 1);
	p->forwards[0].host_port = 9;
}

/* What fuzz/fuzz_patch found. */
static void
test_found(void **state)
{
	(void)state;
	/* a key unset and set again is set: the model says what it means */
	expect_patched("name = \"m\"\nboot {\n  mode = \"kernel\"\n"
	    "  kernel = \"/k\"\n}\n", unset_set_mode,
	    "name = \"m\"\nboot {\n  mode = \"kernel\"\n"
	    "  kernel = \"/k\"\n}\n");
	/* a section empty as written stays; the name goes in above it */
	expect_patched("\nboot {\n}\n", nothing,
	    "\nname = \"p\"\nboot {\n}\n");
	/* ... one emptied goes (the blank line above it too, at the end of
	 * the file), and what goes in where it was stays */
	expect_patched("\nboot {\n  kernel = \"/k\"\n}\n", no_kernel,
	    "name = \"p\"\n");
	/* two rows on one line both removed: the blank between them once */
	expect_patched("name = \"m\"\nforward { host-port = 1  guest-port = 1 } "
	    "forward { host-port = 2\n  guest-port = 2 }\n",
	    two_forwards_changed, "name = \"m\"\n\n\nforward {\n"
	    "  host-port = 9\n  guest-port = 1\n}\n");
	/* a row added before one that stays goes before it (a disk's place
	 * is its drive's) */
	expect_patched("name = \"m\"\n# six\ndisk \"t6\" { size = 1 }\n",
	    disk_before, "name = \"m\"\ndisk \"t1\" {\n  size = 1024\t\t\t"
	    "# MiB\n  discard = true\n}\n# six\ndisk \"t6\" { size = 1024 }\n");
}

/* A new profile holds what was chosen: version, name, what is not a default. */
static void
test_brief(void **state)
{
	struct profile	*p;
	char		*text;

	(void)state;
	p = profile_new("b", "/");
	p->memory = 2048;
	p->has_root_disk = true;
	assert_int_equal(profile_add_ssh_forward(p, 2222), 0);
	text = profile_format_brief(p);
	assert_non_null(strstr(text, "\nversion = 1\nname = \"b\"\n"
	    "memory = 2048\t\t\t# MiB\n\nroot-disk {\n}\n\nforward {\n"
	    "  host-port = 2222\n  guest-port = 22\n}\n"));
	assert_null(strstr(text, "cores"));
	assert_null(strstr(text, "boot"));
	free(text);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_brief),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_lines_agree),
		cmocka_unit_test(test_found),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
