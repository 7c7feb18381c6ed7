/*
 * Unit tests of core/osinstall.c: the machine an entry makes, what counts
 * as an installer having written its disk, the switch to the disk, and a
 * downloads folder that is not ours.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "osinstall.h"
#include "profile_save.h"
#include "validate.h"

static struct osentry
entry(int kind)
{
	static char *files[OSFILE_N];
	struct osentry	e;

	memset(&e, 0, sizeof e);
	e.name = "deb";
	e.title = "Debian";
	e.release = "12";
	e.kind = kind;
	e.arch = ARCH_X86_64;
	e.url = "http://127.0.0.1:1/d";
	e.sums = "SHA256SUMS";
	e.signed_url = "";
	e.sig_url = "";
	e.signed_sums = "";
	e.keyring = "";
	e.codename = "";
	e.append = "priority=low";
	e.memory = 1024;
	e.cores = 2;
	e.disk = 8192;
	files[0] = files[1] = files[2] = "";
	memcpy(e.file, files, sizeof files);
	e.file_name = "test.conf";
	e.line = 1;
	return e;
}

static void
test_profile(void **state)
{
	struct osinstall_files	 f = { { "/c/linux", "/c/initrd.gz", NULL }, 0 };
	struct osentry		 e = entry(OSKIND_NETBOOT);
	struct profile		*p;
	char			*cause = NULL;
	const char		*path;

	(void)state;
	p = osinstall_profile(&e, "inst", test_dir, &f);
	assert_non_null(p);
	assert_string_equal(p->name, "inst");
	assert_int_equal(p->boot_mode, BOOT_KERNEL);
	assert_string_equal(p->kernel, "/c/linux");
	assert_string_equal(p->initrd, "/c/initrd.gz");
	assert_string_equal(p->append, "priority=low");
	assert_true(p->installer);
	assert_true(p->has_root_disk);
	assert_int_equal(p->root_size, 8192);
	assert_true(p->memory <= 1024 && p->memory >= 256);
	assert_true(p->cores >= 1 && p->cores <= 2);
	assert_non_null(strstr(p->description, "Debian 12"));
	profile_free(p);

	e = entry(OSKIND_ISO);
	f.path[OSFILE_ISO] = "/c/x.iso";
	p = osinstall_profile(&e, "iso", test_dir, &f);
	assert_int_equal(p->boot_mode, BOOT_CDROM);
	assert_string_equal(p->cdrom, "/c/x.iso");
	assert_string_equal(p->kernel, "");
	profile_free(p);
	(void)cause;
	(void)path;
}

static void
test_written(void **state)
{
	struct osinstall_files	 f = { { "/c/linux", "/c/initrd.gz", NULL }, 0 };
	struct osentry		 e = entry(OSKIND_NETBOOT);
	struct profile		*p;
	char			 image[300], *buf;
	const char		*path;

	(void)state;
	p = osinstall_profile(&e, "w", test_dir, &f);
	snprintf(image, sizeof image, "%s/w.qcow2", test_dir);
	free(p->root_image);
	p->root_image = strdup(image);
	assert_false(osinstall_disk_written(p));	/* missing */
	buf = calloc(1, 1 << 20);
	memset(buf, 'x', 1 << 20);
	path = test_write("w.qcow2", buf, 192 << 10);	/* fresh */
	assert_false(osinstall_disk_written(p));
	path = test_write("w.qcow2", buf, 1 << 20);	/* written */
	assert_true(osinstall_disk_written(p));
	p->has_root_disk = false;
	assert_false(osinstall_disk_written(p));
	free(buf);
	profile_free(p);
	(void)path;
}

static void
test_finish(void **state)
{
	struct profile	*p;
	char		*cause = NULL, file[300], kernel[300];
	struct osentry	 e = entry(OSKIND_NETBOOT);
	struct osinstall_files f;

	(void)state;
	test_write_str("linux", "k");
	snprintf(kernel, sizeof kernel, "%s/linux", test_dir);
	f.path[OSFILE_KERNEL] = kernel;
	f.path[OSFILE_INITRD] = "";
	f.path[OSFILE_ISO] = NULL;
	p = osinstall_profile(&e, "fin", test_dir, &f);
	snprintf(file, sizeof file, "%s/fin.conf", test_dir);
	if (profile_create(p, file, &cause) != 0)
		fail_msg("%s", cause);
	profile_free(p);
	assert_int_equal(osinstall_finish(file, &cause), 0);
	assert_int_equal(validate_load(file, &p, &cause), 0);
	assert_int_equal(p->boot_mode, BOOT_DISK);
	assert_false(p->installer);
	assert_string_equal(p->kernel, kernel);	/* kept, unused */
	profile_free(p);
	/* a profile that is not there */
	snprintf(file, sizeof file, "%s/none.conf", test_dir);
	assert_int_equal(osinstall_finish(file, &cause), -1);
	free(cause);
}

static void
test_can_verify(void **state)
{
	struct osentry	e = entry(OSKIND_NETBOOT);
	const char	*key;

	(void)state;
	assert_false(osinstall_can_verify(&e));		/* not signed */
	e.signed_url = "http://127.0.0.1:1/InRelease";
	e.keyring = "/nonexistent/keyring.gpg";
	assert_false(osinstall_can_verify(&e));		/* not installed */
	key = test_write_str("k.gpg", "");
	e.keyring = (char *)key;
	assert_true(osinstall_can_verify(&e));
}

static void
test_foreign_dir(void **state)
{
	struct osentry		 e = entry(OSKIND_NETBOOT);
	struct osinstall_files	 f;
	char			 dl[300], other[300], link[300], *cause = NULL;

	(void)state;
	snprintf(dl, sizeof dl, "%s/dl", test_dir);
	snprintf(other, sizeof other, "%s/other", test_dir);
	snprintf(link, sizeof link, "%s/dl/deb", test_dir);
	assert_int_equal(mkdir(other, 0700), 0);
	/* the folder is made, private */
	assert_int_not_equal(osinstall_fetch(&e, dl, NULL, &f, &cause), 0);
	free(cause);
	cause = NULL;
	/* a planted symlink for the entry's folder */
	assert_int_equal(rmdir(link), 0);
	assert_int_equal(symlink(other, link), 0);
	assert_int_equal(osinstall_fetch(&e, dl, NULL, &f, &cause), -1);
	assert_non_null(strstr(cause, "is not a folder of yours"));
	free(cause);
	cause = NULL;
	assert_null(f.path[OSFILE_KERNEL]);
	/* a folder of ours open to others: refused, saying what to do */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(chmod(dl, 0755), 0);
	assert_int_equal(osinstall_fetch(&e, dl, NULL, &f, &cause), -1);
	assert_non_null(strstr(cause, "is open to other users (mode 0755)"));
	assert_non_null(strstr(cause, "chmod 700 it"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_written),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_can_verify),
		cmocka_unit_test(test_foreign_dir),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
