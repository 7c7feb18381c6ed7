/*
 * Unit tests of core/overlay.c with the real qemu-img (skipped without
 * it): an overlay made on an image, never over a file, never below the
 * image's size, grown and never shrunk, taking almost no space; which
 * machines stand on an image (a broken profile too); and the older
 * images of an entry removed only where no machine stands on them.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "overlay.h"

static char	base[400], pdir[400];

static int
setup(void **state)
{
	char	cmd[4096];

	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(base, sizeof base, "%s/dl/e/0123456789abcdef/img.qcow2",
	    test_dir);
	snprintf(pdir, sizeof pdir, "%s/profiles", test_dir);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/dl/e/0123456789abcdef' "
	    "'%s/dl/e/fedcba9876543210' '%s' && qemu-img create -q -f qcow2 "
	    "'%s' 64M >/dev/null 2>&1 && cp '%s' '%s/dl/e/fedcba9876543210/'",
	    test_dir, test_dir, pdir, base, base, test_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
need_qemu_img(void)
{
	if (system("qemu-img --version >/dev/null 2>&1") != 0)
		skip();
}

static void
test_create(void **state)
{
	char		 path[600], *cause = NULL;
	long long	 size;
	struct stat	 st;

	(void)state;
	need_qemu_img();
	snprintf(path, sizeof path, "%s/a.qcow2", test_dir);
	/* smaller than the image: the image's own size */
	assert_int_equal(overlay_create(path, base, "qcow2", 32, &cause), 0);
	assert_int_equal(overlay_size(path, &size, &cause), 0);
	assert_int_equal(size, 64LL << 20);
	/* thin: a few hundred KiB however large it is */
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_blocks * 512 < 1 << 20);
	/* never over a file that is there */
	assert_int_equal(overlay_create(path, base, "qcow2", 32, &cause), -1);
	assert_non_null(strstr(cause, "exists"));
	free(cause);
	/* grown, never shrunk */
	assert_int_equal(overlay_grow(path, 128, &cause), 0);
	assert_int_equal(overlay_size(path, &size, &cause), 0);
	assert_int_equal(size, 128LL << 20);
	assert_int_equal(overlay_grow(path, 96, &cause), 0);
	assert_int_equal(overlay_size(path, &size, &cause), 0);
	assert_int_equal(size, 128LL << 20);
	/* an image that is not there: nothing made */
	snprintf(path, sizeof path, "%s/b.qcow2", test_dir);
	assert_int_equal(overlay_create(path, "/nonexistent/x.qcow2", "qcow2",
	    32, &cause), -1);
	free(cause);
	assert_int_equal(access(path, F_OK), -1);
	/* a relative backing file would be read from QEMU's folder */
	assert_int_equal(overlay_create(path, "x.qcow2", "qcow2", 32, &cause),
	    -1);
	free(cause);
	assert_int_equal(access(path, F_OK), -1);
}

static void
write_profile(const char *name, const char *text)
{
	char	path[700];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s.conf", pdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_users_prune(void **state)
{
	struct strv	 users = { NULL, 0 }, removed = { NULL, 0 };
	char		 text[1200], other[600], *cause = NULL;

	(void)state;
	snprintf(other, sizeof other, "%s/dl/e/fedcba9876543210/img.qcow2",
	    test_dir);
	snprintf(text, sizeof text, "root-disk { backing = \"%s\" }\n", base);
	write_profile("on", text);
	write_profile("plain", "memory = 512\n");
	assert_int_equal(overlay_users(pdir, base, &users, &cause), 0);
	assert_int_equal(users.n, 1);
	assert_string_equal(users.v[0], "on");
	strv_free(&users);
	/* a broken profile that names the image stands on it */
	snprintf(text, sizeof text, "memory = oops\nroot-disk { backing = "
	    "\"%s\" }\n", other);
	write_profile("broken", text);
	assert_int_equal(overlay_users(pdir, other, &users, &cause), 0);
	assert_int_equal(users.n, 1);
	assert_string_equal(users.v[0], "broken");
	strv_free(&users);
	/* the newer image is base: the other is stood on, and stays */
	assert_int_equal(overlay_prune(test_dir, base, pdir, &removed,
	    &cause), 0);
	assert_int_equal(removed.n, 0);
	assert_int_equal(access(other, F_OK), 0);
	/* no machine on it: removed, with its folder */
	write_profile("broken", "memory = 512\n");
	snprintf(text, sizeof text, "%s/dl/e", test_dir);
	assert_int_equal(overlay_prune(text, base, pdir, &removed, &cause), 0);
	assert_int_equal(removed.n, 1);
	assert_int_equal(access(other, F_OK), -1);
	assert_int_equal(access(base, F_OK), 0);
	strv_free(&removed);
}

/*
 * A machine whose profile is not in the profiles folder stands on an
 * image: the image's registry (written when its overlay is made or it is
 * launched) keeps the image while the profile stands on it, and forgets
 * the profile once it does not (or is gone).
 */
static void
test_elsewhere(void **state)
{
	struct strv	 removed = { NULL, 0 };
	struct profile	*p;
	char		 other[600], web[600], text[2400], entry[600];
	char		*cause = NULL;
	FILE		*f;

	(void)state;
	snprintf(other, sizeof other, "%s/dl/e/fedcba9876543210/img.qcow2",
	    test_dir);
	snprintf(entry, sizeof entry, "%s/dl/e", test_dir);
	/* the older image, as test_users_prune left none */
	snprintf(text, sizeof text, "mkdir -p '%s/fedcba9876543210' && "
	    "cp '%s' '%s'", entry, base, other);
	assert_int_equal(system(text), 0);
	snprintf(web, sizeof web, "%s/vms", test_dir);
	assert_int_equal(mkdir(web, 0700), 0);
	strncat(web, "/web.conf", sizeof web - strlen(web) - 1);
	snprintf(text, sizeof text, "root-disk { backing = \"%s\" }\n", other);
	assert_non_null(f = fopen(web, "w"));
	fputs(text, f);
	fclose(f);
	assert_int_equal(profile_parse(web, &p, &cause), 0);
	assert_int_equal(overlay_register(p, &cause), 0);
	profile_free(p);
	/* the newer image is base: the other has a machine elsewhere */
	assert_int_equal(overlay_prune(entry, base, pdir, &removed, &cause),
	    0);
	assert_int_equal(removed.n, 0);
	assert_int_equal(access(other, F_OK), 0);
	/* the profile no longer stands on it: the image goes */
	assert_non_null(f = fopen(web, "w"));
	fputs("memory = 512\n", f);
	fclose(f);
	assert_int_equal(overlay_prune(entry, base, pdir, &removed, &cause),
	    0);
	assert_int_equal(removed.n, 1);
	assert_int_equal(access(other, F_OK), -1);
	assert_int_equal(access(base, F_OK), 0);
	strv_free(&removed);
}

/*
 * A profile that moved (its folder renamed, or on a disk not mounted now):
 * in doubt, the image stays while the machine's overlay is there; it goes
 * once the overlay has gone too (attack on the fixes, finding 4).
 */
static void
test_moved(void **state)
{
	struct strv	 removed = { NULL, 0 };
	struct profile	*p;
	char		 other[700], vms[600], web[700], text[3000], entry[600];
	char		 ov[600], moved[600];
	char		*cause = NULL;
	FILE		*f;

	(void)state;
	snprintf(entry, sizeof entry, "%s/dl/m", test_dir);
	snprintf(other, sizeof other, "%s/0123456789abcdef/img.qcow2", entry);
	snprintf(text, sizeof text, "mkdir -p '%s/0123456789abcdef' '%s/data' "
	    "&& cp '%s' '%s'", entry, test_dir, base, other);
	assert_int_equal(system(text), 0);
	snprintf(ov, sizeof ov, "%s/data/web.qcow2", test_dir);
	snprintf(vms, sizeof vms, "%s/vms2", test_dir);
	assert_int_equal(mkdir(vms, 0700), 0);
	snprintf(web, sizeof web, "%s/web.conf", vms);
	snprintf(text, sizeof text, "root-disk {\n  image = \"%s\"\n"
	    "  backing = \"%s\"\n}\n", ov, other);
	assert_non_null(f = fopen(web, "w"));
	fputs(text, f);
	fclose(f);
	assert_int_equal(profile_parse(web, &p, &cause), 0);
	assert_int_equal(overlay_make(p, &cause), 0);
	assert_int_equal(access(ov, F_OK), 0);
	assert_int_equal(overlay_register(p, &cause), 0);
	profile_free(p);
	/* the folder of profiles renamed: the overlay still stands on it */
	snprintf(moved, sizeof moved, "%s/machines2", test_dir);
	assert_int_equal(rename(vms, moved), 0);
	snprintf(text, sizeof text, "%s/dl/m/fedcba9876543210/img.qcow2",
	    test_dir);
	assert_int_equal(overlay_prune(entry, text, pdir, &removed, &cause),
	    0);
	assert_int_equal(removed.n, 0);
	assert_int_equal(access(other, F_OK), 0);
	/* ... a second prune too (the line was kept) */
	assert_int_equal(overlay_prune(entry, text, pdir, &removed, &cause),
	    0);
	assert_int_equal(removed.n, 0);
	/* the machine's overlay gone as well: nothing stands on it */
	assert_int_equal(unlink(ov), 0);
	assert_int_equal(overlay_prune(entry, text, pdir, &removed, &cause),
	    0);
	assert_int_equal(removed.n, 1);
	assert_int_equal(access(other, F_OK), -1);
	strv_free(&removed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_users_prune),
		cmocka_unit_test(test_elsewhere),
		cmocka_unit_test(test_moved),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
