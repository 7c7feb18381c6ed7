/*
 * Unit tests of core/settings.c: vmtui.conf's theme and escape key, the
 * defaults without a file, and a bad escape key refused with its reason.
 */
#include "testutil.h"

#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>

#include "settings.h"

static void
test_keys(void **state)
{
	static const struct {
		const char	*text;
		int		 key;
	} good[] = {
		{ "^]", 0x1d }, { "C-]", 0x1d }, { "^a", 0x01 }, { "C-A", 0x01 },
		{ "^\\", 0x1c }, { "^_", 0x1f },
	};
	static const char *const bad[] = { "^[", "^M", "^I", "^J", "^H", "^@",
	    "]", "^]]", "Ctrl-]", "", "^1" };
	char	*cause = NULL;
	int	 key;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (settings_parse_key(good[i].text, &key, &cause) != 0)
			fail_msg("%s: %s", good[i].text, cause);
		assert_int_equal(key, good[i].key);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(settings_parse_key(bad[i], &key, &cause), -1);
		assert_non_null(strstr(cause, "write a control key as ^]"));
		free(cause);
	}
}

static void
test_file(void **state)
{
	struct settings	 s;
	char		 dir[400], *cause = NULL;

	(void)state;
	snprintf(dir, sizeof dir, "%s/config", test_dir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	/* no file: the defaults */
	assert_int_equal(settings_load(&s, &cause), 0);
	assert_null(s.theme);
	assert_int_equal(s.escape_key, 0x1d);
	assert_string_equal(s.escape_name, "Ctrl-]");
	settings_free(&s);

	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/config/vmtui", test_dir);
	mkdir(dir, 0700);
	test_write_str("config/vmtui/vmtui.conf",
	    "theme = \"mono\"\nescape-key = \"^b\"\nsomething-newer = 1\n");
	assert_int_equal(settings_load(&s, &cause), 0);
	assert_string_equal(s.theme, "mono");
	assert_int_equal(s.escape_key, 0x02);
	assert_string_equal(s.escape_name, "Ctrl-B");
	settings_free(&s);

	/* a mirror's url, a mirror's keyring; the last one given counts */
	test_write_str("config/vmtui/vmtui.conf",
	    "mirror \"debian\" { url = \"http://lan/debian\" }\n"
	    "mirror \"fedora\" { keyring = \"/etc/f.gpg\" }\n"
	    "mirror \"debian\" {\n  url = \"http://lan2/debian\"\n"
	    "  keyring = \"/etc/d.gpg\"\n}\n");
	assert_int_equal(settings_load(&s, &cause), 0);
	assert_int_equal(s.nmirrors, 2);	/* libconfuse merges a title given twice */
	assert_string_equal(settings_mirror(&s, "debian")->url,
	    "http://lan2/debian");
	assert_string_equal(settings_mirror(&s, "debian")->keyring,
	    "/etc/d.gpg");
	assert_string_equal(settings_mirror(&s, "fedora")->url, "");
	assert_string_equal(settings_mirror(&s, "fedora")->keyring,
	    "/etc/f.gpg");
	assert_null(settings_mirror(&s, "alpine"));
	assert_null(settings_mirror(NULL, "debian"));
	settings_free(&s);

	/* console-log-max, MiB: 1 to 1024, else said at its line, and the
	 * defaults used */
	test_write_str("config/vmtui/vmtui.conf", "console-log-max = 2\n");
	assert_int_equal(settings_load(&s, &cause), 0);
	assert_int_equal(s.log_max, 2L * 1024 * 1024);
	settings_free(&s);
	test_write_str("config/vmtui/vmtui.conf",
	    "# logs\nconsole-log-max = 0\n");
	assert_int_equal(settings_load(&s, &cause), -1);
	{
		char	want[600];

		snprintf(want, sizeof want, "%s/config/vmtui/vmtui.conf:2: "
		    "console-log-max 0: give MiB, 1 to 1024", test_dir);
		if (strstr(cause, want) == NULL)
			fail_msg("want %s, got %s", want, cause);
	}
	free(cause);
	cause = NULL;
	assert_int_equal(s.log_max, 4L * 1024 * 1024);
	settings_free(&s);

	/* a bad key: said at its line, the default kept, and the rest */
	test_write_str("config/vmtui/vmtui.conf", "# keys\ntheme = \"mono\"\n"
	    "escape-key = \"^[\"\n");
	assert_int_equal(settings_load(&s, &cause), -1);
	{
		char	want[600];

		snprintf(want, sizeof want, "%s/config/vmtui/vmtui.conf:3: "
		    "escape-key \"^[\": write", test_dir);
		if (strncmp(cause, want, strlen(want)) != 0)
			fail_msg("want %s..., got %s", want, cause);
	}
	free(cause);
	assert_int_equal(s.escape_key, 0x1d);
	assert_string_equal(s.theme, "mono");
	settings_free(&s);

	/* a syntax error: FILE:LINE in the cause, nothing on stderr */
	test_write_str("config/vmtui/vmtui.conf",
	    "# my settings\n# more\ntheme = \"mono\"\nescape-key = {\n");
	{
		char	 path[500], want[600];
		int	 saved = dup(2), fd;
		FILE	*f;
		long	 n;

		snprintf(path, sizeof path, "%s/stderr", test_dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_true(fd >= 0 && saved >= 0);
		dup2(fd, 2);
		close(fd);
		assert_int_equal(settings_load(&s, &cause), -1);
		dup2(saved, 2);
		close(saved);
		f = fopen(path, "r");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fclose(f);
		assert_int_equal(n, 0);
		snprintf(want, sizeof want, "%s/config/vmtui/vmtui.conf:4: ",
		    test_dir);
		assert_non_null(cause);
		if (strncmp(cause, want, strlen(want)) != 0)
			fail_msg("want %s..., got %s", want, cause);
		assert_non_null(strstr(cause, "the defaults are used"));
		free(cause);
		assert_null(s.theme);
		settings_free(&s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
