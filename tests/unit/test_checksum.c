/*
 * Unit tests of core/checksum.c: SHA-256 of files, and a file's entry in
 * the checksum files distributions publish, in their three formats.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "checksum.h"

#define ABC	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
test_file(void **state)
{
	char	 hex[CHECKSUM_HEX], link[300], *cause = NULL;
	const char *path;

	(void)state;
	path = test_write_str("abc", "abc");
	assert_int_equal(checksum_file(path, hex, &cause), 0);
	assert_string_equal(hex, ABC);
	path = test_write_str("empty", "");
	assert_int_equal(checksum_file(path, hex, &cause), 0);
	assert_string_equal(hex, EMPTY);
	/* never through a symlink */
	snprintf(link, sizeof link, "%s/link", test_dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(checksum_file(link, hex, &cause), -1);
	assert_non_null(strstr(cause, "link"));
	free(cause);
	assert_int_equal(checksum_file("/nonexistent", hex, &cause), -1);
	free(cause);
}

static void
test_find(void **state)
{
	/* Debian's SHA256SUMS */
	static const char gnu[] =
	    EMPTY "  ./netboot/debian-installer/amd64/initrd.gz\n"
	    ABC "  ./netboot/debian-installer/amd64/linux\n"
	    EMPTY " *./binary.iso\r\n";
	/* Fedora's CHECKSUM */
	static const char bsd[] =
	    "# Fedora-Server-41-1.4-x86_64-CHECKSUM\n"
	    "SHA256 (Fedora-Server-netinst-x86_64-41-1.4.iso) = " ABC "\n";
	/* Fedora's .treeinfo */
	static const char treeinfo[] =
	    "[checksums]\n"
	    "images/pxeboot/initrd.img = sha256:" EMPTY "\n"
	    "images/pxeboot/vmlinuz = sha256:" ABC "\n";
	char	hex[CHECKSUM_HEX];

	(void)state;
	assert_int_equal(checksum_find(gnu,
	    "netboot/debian-installer/amd64/linux", hex), 0);
	assert_string_equal(hex, ABC);
	assert_int_equal(checksum_find(gnu,
	    "./netboot/debian-installer/amd64/initrd.gz", hex), 0);
	assert_string_equal(hex, EMPTY);
	assert_int_equal(checksum_find(gnu, "binary.iso", hex), 0);
	assert_string_equal(hex, EMPTY);
	/* a part of a name is not the name */
	assert_int_equal(checksum_find(gnu, "amd64/linux", hex), -1);
	assert_int_equal(checksum_find(gnu, "netboot/debian-installer/amd64/"
	    "linu", hex), -1);
	assert_int_equal(checksum_find(bsd,
	    "Fedora-Server-netinst-x86_64-41-1.4.iso", hex), 0);
	assert_string_equal(hex, ABC);
	assert_int_equal(checksum_find(treeinfo, "images/pxeboot/vmlinuz",
	    hex), 0);
	assert_string_equal(hex, ABC);
	assert_int_equal(checksum_find(treeinfo, "images/pxeboot/initrd.img",
	    hex), 0);
	assert_string_equal(hex, EMPTY);
	assert_int_equal(checksum_find("", "x", hex), -1);
}

/* Debian's InRelease: the SHA256 section, not the MD5Sum one. */
static void
test_release(void **state)
{
	static const char release[] =
	    "Origin: Debian\n"
	    "MD5Sum:\n"
	    " 8bda4ce4f0530ae601d1d7a7c47eb927    78509 main/installer-amd64/"
	    "current/images/SHA256SUMS\n"
	    "SHA256:\n"
	    " " EMPTY "    78509 main/installer-amd64/current/images/SHA256SUMS\n"
	    " " ABC "  1234 main/binary-amd64/Packages\n";
	char	hex[CHECKSUM_HEX], *cause = NULL;

	(void)state;
	assert_int_equal(checksum_find(release,
	    "main/installer-amd64/current/images/SHA256SUMS", hex), 0);
	assert_string_equal(hex, EMPTY);
	assert_int_equal(checksum_find(release, "main/binary-amd64/Packages",
	    hex), 0);
	assert_string_equal(hex, ABC);
	/* a size that is not a number is not a Release line */
	assert_int_equal(checksum_find(" " ABC " x1 y\n", "y", hex), -1);
	assert_int_equal(checksum_data("abc", 3, hex, &cause), 0);
	assert_string_equal(hex, ABC);
	assert_int_equal(checksum_data("", 0, hex, &cause), 0);
	assert_string_equal(hex, EMPTY);
	assert_null(cause);
}

static void
test_odd(void **state)
{
	char	hex[CHECKSUM_HEX];

	(void)state;
	/* upper case is read as lower case */
	assert_int_equal(checksum_find("BA7816BF8F01CFEA414140DE5DAE2223B00361"
	    "A396177A9CB410FF61F20015AD  x\n", "x", hex), 0);
	assert_string_equal(hex, ABC);
	/* listed twice alike: fine; differently: not to be trusted */
	assert_int_equal(checksum_find(ABC "  x\n" ABC "  ./x\n", "x", hex), 0);
	assert_int_equal(checksum_find(ABC "  x\n" EMPTY "  x\n", "x", hex), -1);
	/* a hash of the wrong length, or not hex */
	assert_int_equal(checksum_find("abc  x\n", "x", hex), -1);
	assert_int_equal(checksum_find(ABC "0  x\n", "x", hex), -1);
	assert_int_equal(checksum_find("zz7816bf8f01cfea414140de5dae2223b00361"
	    "a396177a9cb410ff61f20015ad  x\n", "x", hex), -1);
	/* no newline at the end */
	assert_int_equal(checksum_find(ABC "  x", "x", hex), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_odd),
		cmocka_unit_test(test_release),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
