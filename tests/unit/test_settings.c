/*
 * Unit tests of core/settings.c: vmtui.conf's theme and escape key, the
 * defaults without a file, and a bad escape key refused with its reason.
 */
#include "testutil.h"

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

	/* a bad key: said, and the default kept */
	test_write_str("config/vmtui/vmtui.conf", "escape-key = \"^[\"\n");
	assert_int_equal(settings_load(&s, &cause), -1);
	assert_non_null(strstr(cause, "escape-key \"^[\""));
	free(cause);
	assert_int_equal(s.escape_key, 0x1d);
	settings_free(&s);
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
