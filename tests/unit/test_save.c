/*
 * Unit tests of core/profile_save.c: load(save(p)) == p for hostile
 * strings in every string-valued key, a stable canonical text, and saving
 * through symlinks with the file's mode kept.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"
#include "profile_save.h"

static const char *const hostile[] = {
	"plain",
	"",
	"double \" quote",
	"back\\slash \\n not a newline",
	"single ' quote",
	"dollar $HOME $ ${HOME} ${HOME:-x} $(id) `id`",
	"new\nline\nand\n\nmore",
	"tab\there",
	"\xc3\xa9t\xc3\xa9 \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x92\xbe",
	"comma, equals=, colon: -leading dash",
	"#not a comment // nor this /* nor */",
	"{braces} (parens) +=",
	"\\x41 \\101 \\",
	"trailing backslash \\",
	"\\\"",
};

static void
set_str(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
	assert_non_null(*field);
}

static struct profile *
hostile_profile(const char *v)
{
	struct profile	*p = profile_new("h", test_dir);

	assert_non_null(p);
	set_str(&p->description, v);
	p->has_root_disk = true;
	set_str(&p->root_image, v);
	assert_int_equal(profile_add_disk(p, "d"), 0);
	assert_int_equal(profile_add_share(p, "s", v), 0);
	set_str(&p->shares[0].target, v);
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].host_port = 1;
	p->forwards[0].guest_port = 2;
	set_str(&p->kernel, v);
	set_str(&p->initrd, v);
	set_str(&p->append, v);
	set_str(&p->cdrom, v);
	set_str(&p->firmware, v);
	set_str(&p->efi_vars_template, v);
	set_str(&p->efi_vars, v);
	set_str(&p->bios, v);
	set_str(&p->qemu_binary, v);
	strv_add(&p->consoles, "ttyS0,115200n8$`'\"\\{},");
	strv_add(&p->consoles, "ttyS0");
	strv_add(&p->qemu_options, v);
	strv_add(&p->qemu_options, v);
	p->boot_mode = BOOT_CDROM;
	return p;
}

static void
test_round_trip(void **state)
{
	struct profile	*p, *back;
	char		 path[512], *cause = NULL, *t1, *t2;
	size_t		 i;

	(void)state;
	setenv("HOME", "/home/should-not-appear", 1);
	snprintf(path, sizeof path, "%s/h.conf", test_dir);
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		p = hostile_profile(hostile[i]);
		if (profile_save(p, path, &cause) != 0)
			fail_msg("value %zu: %s", i, cause);
		if (profile_parse(path, &back, &cause) != 0)
			fail_msg("value %zu does not read back: %s", i, cause);
		assert_string_equal(back->description, hostile[i]);
		assert_string_equal(back->qemu_options.v[1], hostile[i]);
		assert_true(profile_equal(p, back));
		/* saving what was read writes the same text */
		t1 = profile_format(p);
		t2 = profile_format(back);
		assert_string_equal(t1, t2);
		free(t1);
		free(t2);
		profile_free(back);
		profile_free(p);
	}
}

/*
 * A control character but a newline and a tab: the save refuses it, as the
 * loader would, and writes nothing (no file, no temp file left).
 */
static void
test_control_refused(void **state)
{
	static const char *const bad[] = {
		"cr\r", "ctrl \x01\x02", "esc \x1b]0;PWNED\x07", "del \x7f",
		"c1 \xc2\x9f",
	};
	struct profile	*p;
	char		 path[512], *cause;
	size_t		 i;
	DIR		*d;
	struct dirent	*e;

	(void)state;
	snprintf(path, sizeof path, "%s/c.conf", test_dir);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unlink(path);
		p = hostile_profile(bad[i]);
		cause = NULL;
		if (profile_save(p, path, &cause) == 0)
			fail_msg("value %zu saved", i);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "control character"));
		free(cause);
		assert_int_equal(access(path, F_OK), -1);
		profile_free(p);
	}
	assert_non_null(d = opendir(test_dir));
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".vmtui-") != NULL)
			fail_msg("a temp file is left: %s", e->d_name);
	closedir(d);
}

static void
test_canonical(void **state)
{
	struct profile	*p;
	char		*text, *want, *cause = NULL;
	FILE		*f;
	long		 len;

	(void)state;
	/* the demo-like fixture saves as the expected canonical text */
	assert_int_equal(profile_parse(TEST_DATA "/unit/canonical-in.conf", &p,
	    &cause), 0);
	text = profile_format(p);
	f = fopen(TEST_DATA "/unit/canonical-out.conf", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	want = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(want, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	assert_string_equal(text, want);
	free(want);
	free(text);
	profile_free(p);
}

static void
test_mode_and_symlink(void **state)
{
	struct profile	*p, *back;
	char		 real[512], link[512], *cause = NULL;
	struct stat	 st;

	(void)state;
	p = profile_new("m", test_dir);
	snprintf(real, sizeof real, "%s/real.conf", test_dir);
	snprintf(link, sizeof link, "%s/link.conf", test_dir);
	assert_int_equal(profile_save(p, real, &cause), 0);
	assert_int_equal(chmod(real, 0640), 0);
	assert_int_equal(symlink("real.conf", link), 0);
	p->memory = 777;
	assert_int_equal(profile_save(p, link, &cause), 0);
	/* the link is still a link, its target has the new text and mode */
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(real, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(profile_parse(real, &back, &cause), 0);
	assert_int_equal(back->memory, 777);
	profile_free(back);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_control_refused),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_mode_and_symlink),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
