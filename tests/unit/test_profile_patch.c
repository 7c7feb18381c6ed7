/*
 * Unit tests of core/profile_patch.c: a changed value replaced on its line,
 * a key set that the file left out inserted after its siblings (or before
 * the '}' of a section on one line), a key unset removed with its comment
 * lines, a section that cannot be patched written out again with its
 * comments kept, a missing section added, and what refuses (1).
 */
#include "testutil.h"

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
	out = patched(base, nothing, &r);
	assert_int_equal(r, 0);
	assert_string_equal(out, base);
	free(out);

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

	out = patched(base, readonly, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "# mine\nshare \"s\" {\n  source = "
	    "\"/tmp\"\n  target = \"/mnt\"\n  readonly = true\n}\nboot {"));
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
	out = patched("name = \"m\"\nboot { kernel = \"/k\" }\n"
	    "forward { host-port = 1  guest-port = 1 }\n"
	    "# two\nforward { host-port = 2  guest-port = 2 }\n"
	    "forward { host-port = 3  guest-port = 3 }\n# end\n",
	    two_forwards_gone, &r);
	assert_int_equal(r, 0);
	assert_string_equal(out, "name = \"m\"\nboot { kernel = \"/k\" }\n"
	    "# end\n\nforward {\n  host-port = 2\n  guest-port = 2\n}\n");
	free(out);
	out = patched(base, no_first_forward, &r);
	assert_int_equal(r, 0);
	assert_string_equal(out, "name = \"m\"\n"
	    "boot { kernel = \"/k\" }\n"
	    "# web\n"
	    "forward {\n  host-port = 8080\n  guest-port = 80\n}\n"
	    "# the end\n");
	free(out);
}

static void
test_refused(void **state)
{
	char	*out;
	int	 r;

	(void)state;
	/* two keys of the profile on one line: that line, a key each */
	out = patched("name = \"m\" version = 1\nmemory = 1024 cores = 2  # two\n"
	    "boot { kernel = \"/k\" }\n", memory, &r);
	assert_int_equal(r, 0);
	assert_string_equal(out, "name = \"m\" version = 1\n# two\n"
	    "memory = 2048\ncores = 2\nboot { kernel = \"/k\" }\n");
	free(out);
	/* no key of the profile yet: at the top, below its comments */
	out = patched("# boot only\n\nboot { kernel = \"/k\" }\n", memory, &r);
	assert_int_equal(r, 0);
	assert_string_equal(out, "# boot only\n\nname = \"p\"\n"
	    "memory = 2048\nboot { kernel = \"/k\" }\n");
	free(out);
	/* a section on one line takes a key before its '}' */
	out = patched("name = \"m\"\nversion = 1\nboot { kernel = \"/k\" }\n",
	    append, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(out, "boot { kernel = \"/k\" append = \"quiet\" "
	    "}\n"));
	free(out);
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
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_brief),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
