/*
 * Unit tests of core/catalog.c: names, copy and rename through the model
 * (the name inside changes), never over an existing profile, and delete
 * with or without the disk images.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "catalog.h"
#include "profile.h"

static char	pdir[600];

static int
setup(void **state)
{
	char	data[600];

	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(pdir, sizeof pdir, "%s/profiles", test_dir);
	mkdir(pdir, 0700);
	snprintf(data, sizeof data, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", data, 1);
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	test_write_str("profiles/a.conf", "name = \"a\"\nmemory = 512\n");
	test_write_str("profiles/b.conf", "memory = 256\n");
	test_write_str("profiles/.hidden.conf", "x\n");
	test_write_str("profiles/notes.txt", "x\n");
	return 0;
}

static void
test_all(void **state)
{
	struct strv	 names = { NULL, 0 };
	struct profile	*p;
	char		*cause = NULL, path[700], *s;

	(void)state;
	assert_int_equal(catalog_names(pdir, &names, &cause), 0);
	s = strv_join(&names, " ");
	assert_string_equal(s, "a b");
	free(s);
	strv_free(&names);
	assert_int_equal(catalog_names("/nonexistent", &names, &cause), 0);
	assert_int_equal(names.n, 0);

	/* copy: a new file with its own name inside */
	assert_int_equal(catalog_copy(pdir, "a", "c", false, &cause), 0);
	snprintf(path, sizeof path, "%s/c.conf", pdir);
	assert_int_equal(profile_parse(path, &p, &cause), 0);
	assert_string_equal(p->name, "c");
	assert_int_equal(p->memory, 512);
	profile_free(p);
	/* never over another profile, never a bad name */
	assert_int_equal(catalog_copy(pdir, "a", "b", false, &cause), -1);
	assert_string_equal(cause, "there is a profile named b already");
	free(cause);
	assert_int_equal(catalog_copy(pdir, "a", "../x", false, &cause), -1);
	free(cause);
	/* rename: the old file goes */
	assert_int_equal(catalog_copy(pdir, "c", "d", true, &cause), 0);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/d.conf", pdir);
	assert_int_equal(access(path, F_OK), 0);

	/* delete keeps the images unless asked */
	snprintf(path, sizeof path, "%s/data", test_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/data/vmtui", test_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/data/vmtui/d", test_dir);
	mkdir(path, 0700);
	test_write_str("data/vmtui/d/root.qcow2", "disk");
	assert_int_equal(catalog_delete(pdir, "d", false, &cause), 0);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(catalog_copy(pdir, "a", "d", false, &cause), 0);
	assert_int_equal(catalog_delete(pdir, "d", true, &cause), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(catalog_delete(pdir, "nonesuch", false, &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
