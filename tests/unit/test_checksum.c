/*
 * Unit tests of core/checksum.c: SHA-256 of files, and a file's entry in
 * the checksum files distributions publish, in their three formats, read
 * a line at a time in linear time.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checksum.h"
#include "io.h"

#define ABC	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* SHA-512 of "abc" */
#define ABC512	"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
		"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"

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

/*
 * SHA-512, as Debian's cloud images and Alpine's publish: a file's hash
 * of the kind its checksum file lists (128 hex digits), GNU and BSD lines.
 */
static void
test_sha512(void **state)
{
	char		 hex[CHECKSUM_HEX], *cause = NULL;
	const char	*path;
	int		 fd;

	(void)state;
	path = test_write_str("abc512", "abc");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(checksum_fd(fd, path, CHECKSUM_SHA512, hex, NULL,
	    NULL, &cause), 0);
	assert_string_equal(hex, ABC512);
	assert_int_equal(checksum_fd(fd, path, CHECKSUM_SHA256, hex, NULL,
	    NULL, &cause), 0);
	assert_string_equal(hex, ABC);
	close(fd);
	assert_int_equal(checksum_find(EMPTY "  y\n" ABC512
	    "  debian-12-genericcloud-amd64.qcow2\n",
	    "debian-12-genericcloud-amd64.qcow2", hex), 0);
	assert_string_equal(hex, ABC512);
	assert_int_equal(checksum_kind(hex), CHECKSUM_SHA512);
	assert_int_equal(checksum_find("SHA512 (a.qcow2) = " ABC512 "\n",
	    "a.qcow2", hex), 0);
	assert_string_equal(hex, ABC512);
	assert_int_equal(checksum_find(EMPTY "  y\n", "y", hex), 0);
	assert_int_equal(checksum_kind(hex), CHECKSUM_SHA256);
	/* a hash of neither length */
	assert_int_equal(checksum_find(ABC512 "0  x\n", "x", hex), -1);
	assert_int_equal(checksum_find("SHA256 (x) = " ABC512 "\n", "x", hex),
	    -1);
	assert_int_equal(checksum_kind("abc"), -1);
}

static void
test_data(void **state)
{
	char	hex[CHECKSUM_HEX], *cause = NULL;

	(void)state;
	assert_int_equal(checksum_data("abc", 3, hex, &cause), 0);
	assert_string_equal(hex, ABC);
	assert_int_equal(checksum_data("", 0, hex, &cause), 0);
	assert_string_equal(hex, EMPTY);
	assert_null(cause);
	/* a Release file's lines are release.c's, not a checksum file's */
	assert_int_equal(checksum_find(" " ABC " 12 y\n", "y", hex), -1);
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

/*
 * An unsigned 4 MiB checksum file of "SHA256 (abc" lines (each an opening
 * without its ") = HASH") is read in linear time: once searched past each
 * line's end for ") = ", it cost 32 s of CPU.
 */
static void
test_linear(void **state)
{
	const size_t	 size = 4 << 20;
	const char	 line[] = "SHA256 (abc\n";
	char		 hex[CHECKSUM_HEX], *text;
	size_t		 i;
	long		 t;

	(void)state;
	text = malloc(size + 1);
	assert_non_null(text);
	for (i = 0; i + sizeof line - 1 <= size; i += sizeof line - 1)
		memcpy(text + i, line, sizeof line - 1);
	text[i] = '\0';
	t = io_now_ms();
	assert_int_equal(checksum_find(text, "abc", hex), -1);
	/* linear: a few ms here; quadratic: tens of seconds */
	assert_true(io_now_ms() - t < 2000);
	/* the same with a hash line at its end: found, as quickly */
	memcpy(text + i - 80, "\nSHA256 (abc) = " ABC "\n", 82);
	t = io_now_ms();
	assert_int_equal(checksum_find(text, "abc", hex), 0);
	assert_string_equal(hex, ABC);
	assert_true(io_now_ms() - t < 2000);
	free(text);
}

/*
 * Each line is read as its own: checksum_line never looks past the length
 * it is given (the copies here have no NUL after them, so ASan would see
 * a read past the end), and finds only what that line says.
 */
static void
test_line(void **state)
{
	static const char *const lines[] = {
	    ABC "  ./x", ABC " *x", "SHA256 (x) = " ABC, "x = sha256:" ABC,
	    "x  =   sha256:" ABC, "SHA256 (x) = " ABC "0", ABC "  ", "SHA256 (",
	    "SHA256 (x) = ", " = sha256:" ABC, "SHA256 () = " ABC, ABC, "",
	    "SHA256 (a) = b) = " ABC, NULL };
	static const int found[] = { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
	    0 };
	char	 hex[CHECKSUM_HEX], *copy;
	size_t	 i, len;

	(void)state;
	for (i = 0; lines[i] != NULL; i++) {
		len = strlen(lines[i]);
		copy = malloc(len > 0 ? len : 1);
		assert_non_null(copy);
		memcpy(copy, lines[i], len);
		if (checksum_line(copy, len, "x", hex) != found[i])
			fail_msg("line %zu \"%s\": found %d", i, lines[i],
			    !found[i]);
		if (found[i])
			assert_string_equal(hex, ABC);
		free(copy);
	}
	/* the path is the whole of what is between "(" and ") = HASH" */
	assert_true(checksum_line("SHA256 (a) = b) = " ABC, 82, "a) = b",
	    hex));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_odd),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_sha512),
		cmocka_unit_test(test_linear),
		cmocka_unit_test(test_line),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
