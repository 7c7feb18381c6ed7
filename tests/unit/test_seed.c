/*
 * Unit tests of core/seed.c: the NoCloud volume libisofs writes (ISO 9660
 * labelled CIDATA, Joliet's "cidata", the files' bytes and Rock Ridge
 * names in it), put in place whole or not at all; and a machine's seed
 * written when its cloud-init section changed, with a new instance id
 * then, and left alone when nothing did.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "io.h"
#include "preflight.h"
#include "seed.h"
#include "sshkeys.h"

static int
setup(void **state)
{
	char	dir[512];

	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(dir, sizeof dir, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", dir, 1);
	snprintf(dir, sizeof dir, "%s/home", test_dir);
	setenv("HOME", dir, 1);
	return mkdir(dir, 0755);
}

static char *
slurp(const char *path, size_t *len)
{
	char	*text, *cause = NULL;
	FILE	*f = fopen(path, "rb");
	long	 n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	text[n] = '\0';
	*len = (size_t)n;
	free(cause);
	return text;
}

static bool
has(const char *buf, size_t len, const char *what)
{
	return memmem(buf, len, what, strlen(what)) != NULL;
}

static void
test_iso(void **state)
{
	static const char	 ud[] = "#cloud-config\nruncmd: [\"x\"]\n";
	static const char	 md[] = "instance-id: \"i-1\"\n";
	const struct seed_file	 files[] = { { "meta-data", md, sizeof md - 1 },
				     { "user-data", ud, sizeof ud - 1 } };
	char			 path[1024], *iso, *cause = NULL;
	size_t			 len;

	(void)state;
	if (seed_available(&cause) != 0) {
		free(cause);
		skip();
	}
	snprintf(path, sizeof path, "%s/seed.iso", test_dir);
	assert_int_equal(seed_write_iso(path, files, 2, &cause), 0);
	iso = slurp(path, &len);
	assert_true(len >= 18 * 2048 && len % 2048 == 0);
	/* the primary descriptor, its label as ISO 9660 writes one */
	assert_memory_equal(iso + 16 * 2048, "\001CD001", 6);
	assert_memory_equal(iso + 16 * 2048 + 40, "CIDATA  ", 8);
	/* Joliet's, as it was given: what blkid and cloud-init read */
	assert_memory_equal(iso + 17 * 2048, "\002CD001", 6);
	assert_memory_equal(iso + 17 * 2048 + 88, "%/E", 3);
	assert_memory_equal(iso + 17 * 2048 + 40,
	    "\0c\0i\0d\0a\0t\0a\0 ", 14);
	/* the files' bytes, and their names as Rock Ridge keeps them */
	assert_true(has(iso, len, ud));
	assert_true(has(iso, len, md));
	assert_true(has(iso, len, "NM") && has(iso, len, "user-data") &&
	    has(iso, len, "meta-data"));
	free(iso);

	/* a folder that is not there: -1 and why, nothing left behind */
	snprintf(path, sizeof path, "%s/none/seed.iso", test_dir);
	assert_int_equal(seed_write_iso(path, files, 2, &cause), -1);
	assert_non_null(strstr(cause, "/none/seed.iso.new-"));
	free(cause);
	assert_int_not_equal(access(path, F_OK), 0);
}

static bool
have_keygen(void)
{
	char	*s = preflight_which("ssh-keygen");

	free(s);
	return s != NULL;
}

/* The instance id in the machine's meta-data now. */
static char *
instance(const struct profile *p)
{
	char	*dir = sshkeys_dir(p), path[1024], *text, *cause = NULL;
	char	*id, *e;

	snprintf(path, sizeof path, "%s/meta-data", dir);
	free(dir);
	assert_int_equal(io_read_file(path, 4096, &text, &cause), 0);
	assert_true(strncmp(text, "instance-id: \"vmtui-", 20) == 0);
	id = strdup(text + 14);
	e = strchr(id, '"');
	assert_non_null(e);
	*e = '\0';
	free(text);
	return id;
}

static void
test_prepare(void **state)
{
	struct profile	*p = profile_new("c1", test_dir);
	struct stat	 st;
	char		*iso, *cause = NULL, *id1, *id2, *id3, *id4;
	bool		 changed;
	ino_t		 ino;

	(void)state;
	if (!have_keygen() || seed_available(&cause) != 0) {
		free(cause);
		profile_free(p);
		skip();
	}
	/* no section, no seed */
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_false(changed);
	iso = seed_path(p);
	assert_int_not_equal(access(iso, F_OK), 0);

	p->has_cloud_init = true;
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_true(changed);
	assert_int_equal(stat(iso, &st), 0);
	ino = st.st_ino;
	id1 = instance(p);
	assert_non_null(strstr(id1, "vmtui-c1-"));

	/* nothing changed: nothing written, the same instance */
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_false(changed);
	assert_int_equal(stat(iso, &st), 0);
	assert_int_equal(st.st_ino, ino);
	id2 = instance(p);
	assert_string_equal(id1, id2);

	/* a key changed: a new seed, a new instance */
	free(p->cloud_timezone);
	p->cloud_timezone = strdup("Europe/Berlin");
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_true(changed);
	id3 = instance(p);
	assert_string_not_equal(id2, id3);

	/* the volume gone: written again */
	assert_int_equal(unlink(iso), 0);
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_true(changed);
	assert_int_equal(access(iso, F_OK), 0);

	/* a file of one's own changed: a new instance too */
	free(p->cloud_timezone);
	p->cloud_timezone = strdup("");
	free(p->cloud_user_data);
	p->cloud_user_data = strdup("mine.yaml");
	test_write_str("mine.yaml", "#cloud-config\nruncmd: [\"a\"]\n");
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_true(changed);
	id4 = instance(p);
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_false(changed);
	test_write_str("mine.yaml", "#cloud-config\nruncmd: [\"b\"]\n");
	assert_int_equal(seed_prepare(p, &changed, &cause), 0);
	assert_true(changed);
	free(id1);
	id1 = instance(p);
	assert_string_not_equal(id1, id4);

	/* one that is not there: why, and the last seed stays */
	assert_int_equal(unlink(test_write_str("mine.yaml", "")), 0);
	assert_int_equal(seed_prepare(p, &changed, &cause), -1);
	assert_non_null(strstr(cause, "mine.yaml"));
	free(cause);
	assert_int_equal(access(iso, F_OK), 0);
	free(id1);
	free(id2);
	free(id3);
	free(id4);
	free(iso);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_prepare),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
