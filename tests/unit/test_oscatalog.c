/*
 * Unit tests of core/oscatalog.c: every shipped entry has what an install
 * needs; mirrors are overridden by vmtui.conf and the environment; broken
 * files say FILE:LINE and do not hide the good entries; a person's own
 * entry hides a shipped one of its name.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "oscatalog.h"
#include "profile.h"
#include "schema.h"

static void
load_shipped(struct oscatalog *cat, const struct settings *over)
{
	struct strv	 dirs = { NULL, 0 };
	char		*cause = NULL;

	strv_add(&dirs, TOP_SRCDIR "/catalog");
	if (oscatalog_load(&dirs, over, cat, &cause) != 0)
		fail_msg("the shipped catalog: %s", cause);
	strv_free(&dirs);
}

static void
test_shipped(void **state)
{
	static const char *const want[] = { "debian-12", "debian-13",
	    "debian-12-arm64", "debian-13-arm64", "fedora-41", "alpine-3.20",
	    "debian-12-cloud", "debian-13-cloud", "debian-12-generic",
	    "ubuntu-24.04-cloud", "fedora-41-cloud", "alpine-3.20-cloud" };
	struct oscatalog	 cat = { NULL, 0 };
	const struct osentry	*e;
	size_t			 i;
	int			 f;

	(void)state;
	unsetenv("VMTUI_MIRROR_DEBIAN");
	load_shipped(&cat, NULL);
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (oscatalog_find(&cat, want[i]) == NULL)
			fail_msg("no entry %s", want[i]);
	for (i = 0; i < cat.n; i++) {
		e = &cat.v[i];
		assert_true(*e->title != '\0' && *e->release != '\0');
		assert_true(strncmp(e->url, "https://", 8) == 0);
		assert_true(*e->sums != '\0');
		assert_true(e->size > 0);
		assert_true(e->memory >= 256 && e->cores >= 1 &&
		    e->disk >= 1024);
		for (f = 0; f < OSFILE_N; f++)
			assert_int_equal(*e->file[f] != '\0',
			    e->kind == OSKIND_NETBOOT ? f == OSFILE_KERNEL ||
			    f == OSFILE_INITRD : e->kind == OSKIND_CLOUD ?
			    f == OSFILE_IMAGE : f == OSFILE_ISO);
		assert_non_null(e->append);
		assert_null(strstr(e->append, "@url@"));
		assert_true(e->line > 0);
	}
	e = oscatalog_find(&cat, "debian-12");
	assert_string_equal(e->url, "https://deb.debian.org/debian/dists/"
	    "bookworm/main/installer-amd64/current/images");
	assert_string_equal(e->file[OSFILE_KERNEL],
	    "netboot/debian-installer/amd64/linux");
	assert_string_equal(e->sums, "SHA256SUMS");
	assert_int_equal(e->arch, ARCH_X86_64);
	/* its SHA256SUMS is checked against the suite's signed InRelease */
	assert_string_equal(e->signed_url, "https://deb.debian.org/debian/"
	    "dists/bookworm/InRelease");
	assert_string_equal(e->signed_sums,
	    "main/installer-amd64/current/images/SHA256SUMS");
	assert_string_equal(e->keyring,
	    "/usr/share/keyrings/debian-archive-keyring.gpg");
	assert_false(e->keyring_given);
	/* and that InRelease must be bookworm's */
	assert_string_equal(e->codename, "bookworm");
	/* Debian's cloud images: its layout, SHA-512, no 9p in genericcloud */
	e = oscatalog_find(&cat, "debian-12-cloud");
	assert_int_equal(e->kind, OSKIND_CLOUD);
	assert_string_equal(e->url,
	    "https://cloud.debian.org/images/cloud/bookworm/latest");
	assert_string_equal(e->file[OSFILE_IMAGE],
	    "debian-12-genericcloud-amd64.qcow2");
	assert_string_equal(e->sums, "SHA512SUMS");
	assert_string_equal(e->mirror, "debian-cloud");
	assert_false(e->shares_9p);
	assert_int_equal(e->format, FORMAT_QCOW2);
	e = oscatalog_find(&cat, "debian-12-generic");
	assert_true(e->shares_9p);
	assert_string_equal(e->file[OSFILE_IMAGE],
	    "debian-12-generic-amd64.qcow2");
	e = oscatalog_find(&cat, "debian-13-cloud");
	assert_string_equal(e->url,
	    "https://cloud.debian.org/images/cloud/trixie/latest");
	e = oscatalog_find(&cat, "debian-13-arm64");
	assert_string_equal(e->signed_sums,
	    "main/installer-arm64/current/images/SHA256SUMS");
	assert_string_equal(e->codename, "trixie");
	assert_int_equal(e->arch, ARCH_AARCH64);
	assert_non_null(strstr(e->url, "/installer-arm64/"));
	/* Fedora's installer finds the rest of itself in the same tree */
	e = oscatalog_find(&cat, "fedora-41");
	assert_non_null(strstr(e->append, "inst.text"));
	assert_non_null(strstr(e->append, "inst.repo=https://"));
	assert_non_null(strstr(e->append, "/releases/41/Server/x86_64/os"));
	assert_string_equal(e->signed_url, "");	/* .treeinfo: unsigned */
	oscatalog_free(&cat);
	assert_int_equal(cat.n, 0);
}

static void
test_mirrors(void **state)
{
	struct settings_mirror	 m = { (char *)"debian",
	    (char *)"http://conf.example/debian//", (char *)"", false };
	struct settings		 over;
	struct oscatalog	 cat = { NULL, 0 };
	const struct osentry	*e;

	(void)state;
	memset(&over, 0, sizeof over);
	over.mirrors = &m;
	over.nmirrors = 1;
	unsetenv("VMTUI_MIRROR_DEBIAN");
	load_shipped(&cat, &over);
	assert_string_equal(oscatalog_find(&cat, "debian-13")->url,
	    "http://conf.example/debian/dists/trixie/main/installer-amd64/"
	    "current/images");
	/* the others keep theirs */
	assert_true(strncmp(oscatalog_find(&cat, "fedora-41")->url,
	    "https://", 8) == 0);
	oscatalog_free(&cat);
	/* the environment beats vmtui.conf */
	setenv("VMTUI_MIRROR_DEBIAN", "http://127.0.0.1:8000/debian", 1);
	load_shipped(&cat, &over);
	assert_string_equal(oscatalog_find(&cat, "debian-12")->url,
	    "http://127.0.0.1:8000/debian/dists/bookworm/main/"
	    "installer-amd64/current/images");
	oscatalog_free(&cat);
	/* a hostile override is refused, not used */
	setenv("VMTUI_MIRROR_DEBIAN", "http://x/\"; reboot; \"", 1);
	{
		struct strv	 dirs = { NULL, 0 };
		char		*cause = NULL;

		strv_add(&dirs, TOP_SRCDIR "/catalog");
		assert_int_equal(oscatalog_load(&dirs, NULL, &cat, &cause), -1);
		assert_non_null(strstr(cause, "VMTUI_MIRROR_DEBIAN gives no "
		    "usable url"));
		assert_null(oscatalog_find(&cat, "debian-12"));
		assert_non_null(oscatalog_find(&cat, "fedora-41"));
		free(cause);
		strv_free(&dirs);
	}
	unsetenv("VMTUI_MIRROR_DEBIAN");
	oscatalog_free(&cat);
	/* Debian's cloud mirror: VMTUI_MIRROR_DEBIAN_CLOUD, its own */
	setenv("VMTUI_MIRROR_DEBIAN_CLOUD", "http://127.0.0.1:8000", 1);
	load_shipped(&cat, &over);
	assert_string_equal(oscatalog_find(&cat, "debian-12-cloud")->url,
	    "http://127.0.0.1:8000/bookworm/latest");
	assert_string_equal(oscatalog_find(&cat, "debian-13-generic")->url,
	    "http://127.0.0.1:8000/trixie/latest");
	assert_true(strncmp(oscatalog_find(&cat, "ubuntu-24.04-cloud")->url,
	    "https://cloud-images.ubuntu.com/", 32) == 0);
	unsetenv("VMTUI_MIRROR_DEBIAN_CLOUD");
	oscatalog_free(&cat);
	/* a keyring for the mirror, over the entries', its url kept */
	m.url = (char *)"";
	m.keyring = (char *)"/etc/vmtui/lan.gpg";
	load_shipped(&cat, &over);
	e = oscatalog_find(&cat, "debian-12-arm64");
	assert_string_equal(e->keyring, "/etc/vmtui/lan.gpg");
	assert_true(e->keyring_given);
	assert_true(strncmp(e->url, "https://deb.debian.org/", 23) == 0);
	/* not for an entry without a signed Release, nor another mirror */
	assert_string_equal(oscatalog_find(&cat, "fedora-41")->keyring, "");
	assert_false(oscatalog_find(&cat, "fedora-41")->keyring_given);
	oscatalog_free(&cat);
	/* a keyring that is not an absolute path is refused */
	m.keyring = (char *)"lan.gpg";
	{
		struct strv	 dirs = { NULL, 0 };
		char		*cause = NULL;

		strv_add(&dirs, TOP_SRCDIR "/catalog");
		assert_int_equal(oscatalog_load(&dirs, &over, &cat, &cause),
		    -1);
		assert_non_null(strstr(cause, "(an absolute path, as "
		    "vmtui.conf's must be)"));
		assert_null(oscatalog_find(&cat, "debian-12"));
		free(cause);
		strv_free(&dirs);
	}
	oscatalog_free(&cat);
}

static void
test_broken(void **state)
{
	struct oscatalog	 cat = { NULL, 0 };
	const char		*path;
	char			*cause = NULL, want[600];

	(void)state;
	path = test_write_str("mine.conf",
	    "# two good, one not\n"
	    "mirror \"m\" { url = \"https://example.org/m\" }\n"
	    "os \"good\" { title = \"Good\" release = \"1\" kind = \"iso\"\n"
	    "  mirror = \"m\" path = \"isos\" iso = \"good.iso\"\n"
	    "  sums = \"SHA256SUMS\" }\n"
	    "os \"bad\" {\n"
	    "  title = \"Bad\" release = \"1\" kind = \"netboot\"\n"
	    "  mirror = \"m\" path = \"/abs\" kernel = \"linux\"\n"
	    "  sums = \"S\" cores = 0\n"
	    "}\n"
	    "os \"also-good\" { title = \"Also\" release = \"2\" kind = \"netboot\"\n"
	    "  mirror = \"m\" path = \"a\" kernel = \"k/linux\" initrd = \"k/initrd\"\n"
	    "  sums = \"../SUMS\" append = \"x=@url@/y\" }\n");
	assert_int_equal(oscatalog_load_file(path, NULL, &cat, &cause), -1);
	snprintf(want, sizeof want,
	    "%s:6: os \"bad\": kind netboot needs initrd\n"
	    "%s:6: os \"bad\": path is needed: the folder below the mirror's "
	    "url (letters, digits, . _ ~ + - and /)\n"
	    "%s:6: os \"bad\": cores must be from 1 to 1024, not 0\n"
	    "%s:11: os \"also-good\": sums is needed: the path of the "
	    "distribution's checksum file below the mirror", path, path, path,
	    path);
	assert_string_equal(cause, want);
	free(cause);
	assert_int_equal(cat.n, 1);
	assert_string_equal(cat.v[0].name, "good");
	assert_string_equal(cat.v[0].file_name, path);
	assert_int_equal(cat.v[0].line, 3);
	oscatalog_free(&cat);
}

/* A catalog's own syntax errors after comments: at their line. */
static void
test_comment_lines(void **state)
{
	struct oscatalog	 cat = { NULL, 0 };
	const char		*path;
	char			*cause = NULL, want[300];

	(void)state;
	path = test_write_str("c.conf", "# my mirrors\n#\n// and more\n"
	    "mirror \"m\" { url = \"https://example.org/m\" colour = 1 }\n");
	assert_int_equal(oscatalog_load_file(path, NULL, &cat, &cause), -1);
	assert_non_null(cause);
	snprintf(want, sizeof want, "%s:4: ", path);
	if (strncmp(cause, want, strlen(want)) != 0)
		fail_msg("want %s..., got %s", want, cause);
	free(cause);
	oscatalog_free(&cat);
}

static void
test_signed(void **state)
{
	struct oscatalog	 cat = { NULL, 0 };
	const char		*path;
	char			*cause = NULL, want[600];

	(void)state;
	path = test_write_str("signed.conf",
	    "mirror \"m\" { url = \"https://example.org/m\" }\n"
	    "os \"outside\" { title = \"T\" release = \"1\" kind = \"iso\"\n"
	    "  mirror = \"m\" path = \"a/b\" iso = \"x.iso\" sums = \"S\"\n"
	    "  signed-by = \"c/InRelease\" keyring = \"/k.gpg\" }\n"
	    "os \"alone\" { title = \"T\" release = \"1\" kind = \"iso\"\n"
	    "  mirror = \"m\" path = \"a/b\" iso = \"x.iso\" sums = \"S\"\n"
	    "  signed-by = \"a/InRelease\" }\n"
	    "os \"nosuite\" { title = \"T\" release = \"1\" kind = \"iso\"\n"
	    "  mirror = \"m\" path = \"a/b\" iso = \"x.iso\" sums = \"S\"\n"
	    "  signed-by = \"a/InRelease\" keyring = \"/k.gpg\" }\n"
	    "os \"fine\" { title = \"T\" release = \"1\" kind = \"iso\"\n"
	    "  mirror = \"m\" path = \"d/dists/x/b\" iso = \"x.iso\"\n"
	    "  sums = \"s/S\" signed-by = \"d/dists/x/InRelease\"\n"
	    "  keyring = \"/k.gpg\" }\n");
	assert_int_equal(oscatalog_load_file(path, NULL, &cat, &cause), -1);
	snprintf(want, sizeof want,
	    "%s:2: os \"outside\": signed-by c/InRelease does not cover "
	    "path a/b (its folder must hold it)\n"
	    "%s:5: os \"alone\": signed-by (a signed Release file below the "
	    "mirror) and keyring (an absolute path) go together\n"
	    "%s:8: os \"nosuite\": signed-by a/InRelease is not below "
	    "dists/NAME/ (the Release's Codename must be NAME)", path, path,
	    path);
	assert_string_equal(cause, want);
	free(cause);
	assert_int_equal(cat.n, 1);
	assert_string_equal(cat.v[0].signed_url,
	    "https://example.org/m/d/dists/x/InRelease");
	assert_string_equal(cat.v[0].signed_sums, "b/s/S");
	assert_string_equal(cat.v[0].codename, "x");
	oscatalog_free(&cat);
}

static void
test_shadow(void **state)
{
	struct oscatalog	 cat = { NULL, 0 };
	struct strv		 dirs = { NULL, 0 };
	char			*cause = NULL, dir[300];

	(void)state;
	snprintf(dir, sizeof dir, "%s/own", test_dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	test_write_str("own/local.conf",
	    "mirror \"lan\" { url = \"http://10.0.0.1/debian\" }\n"
	    "os \"debian-12\" { title = \"Debian (LAN)\" release = \"12\"\n"
	    "  kind = \"netboot\" mirror = \"lan\" path = \"d\"\n"
	    "  kernel = \"linux\" initrd = \"initrd.gz\" sums = \"SUMS\" }\n");
	test_write_str("own/notes.txt", "not a catalog file\n");
	strv_add(&dirs, dir);
	strv_add(&dirs, TOP_SRCDIR "/catalog");
	strv_add(&dirs, "/nonexistent/catalog");
	assert_int_equal(oscatalog_load(&dirs, NULL, &cat, &cause), 0);
	assert_null(cause);
	assert_string_equal(oscatalog_find(&cat, "debian-12")->title,
	    "Debian (LAN)");
	assert_non_null(oscatalog_find(&cat, "debian-13"));
	assert_string_equal(oscatalog_kind_name(OSKIND_ISO), "iso");
	oscatalog_free(&cat);
	strv_free(&dirs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_mirrors),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_comment_lines),
		cmocka_unit_test(test_shadow),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
