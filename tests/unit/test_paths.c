/* Unit tests of core/paths.c: XDG folders and PROFILE arguments. */
#include "testutil.h"

#include <sys/stat.h>

#include "paths.h"

static void
expect(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_xdg(void **state)
{
	char	buf[64];

	(void)state;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("XDG_DATA_HOME", "/dat", 1);
	setenv("XDG_STATE_HOME", "/st", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);
	expect(paths_profiles_dir(), "/cfg/vmtui/profiles");
	expect(paths_settings_file(), "/cfg/vmtui/vmtui.conf");
	expect(paths_data_dir("vm"), "/dat/vmtui/vm");
	expect(paths_state_dir("vm"), "/st/vmtui/vm");
	expect(paths_runtime_dir("vm"), "/run/user/7/vmtui/vm");
	/* unset, empty or relative: the defaults */
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_DATA_HOME", "", 1);
	setenv("XDG_STATE_HOME", "relative", 1);
	unsetenv("XDG_RUNTIME_DIR");
	expect(paths_profiles_dir(), "/home/u/.config/vmtui/profiles");
	expect(paths_data_dir("vm"), "/home/u/.local/share/vmtui/vm");
	expect(paths_state_dir("vm"), "/home/u/.local/state/vmtui/vm");
	snprintf(buf, sizeof buf, "/tmp/vmtui-%lu/vmtui/vm",
	    (unsigned long)getuid());
	expect(paths_runtime_dir("vm"), buf);
}

/* The demo guest: in the cache folder, $XDG_CACHE_HOME or ~/.cache. */
static void
test_demo_guest(void **state)
{
	char	*s;

	(void)state;
	setenv("XDG_CACHE_HOME", "/c", 1);
	s = paths_demo_guest();
	assert_string_equal(s, "/c/vmtui/guest/current");
	free(s);
	setenv("XDG_CACHE_HOME", "relative", 1);	/* not a path: ignored */
	setenv("HOME", "/h", 1);
	s = paths_demo_guest();
	assert_string_equal(s, "/h/.cache/vmtui/guest/current");
	free(s);
	unsetenv("XDG_CACHE_HOME");
}

static void
test_profile_arg(void **state)
{
	char	*cause = NULL;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	expect(paths_profile("demo", &cause), "/cfg/vmtui/profiles/demo.conf");
	expect(paths_profile("./demo", &cause), "./demo");
	expect(paths_profile("x.conf", &cause), "x.conf");
	expect(paths_profile("/abs/y", &cause), "/abs/y");
	assert_null(paths_profile("..", &cause));
	assert_string_equal(cause, "name \"..\" may not start with '.'");
	free(cause);
	assert_null(paths_profile("a b", &cause));
	free(cause);
}

/* A folder of ours: made 0700; another kind refused, saying what. */
static void
test_own_dir(void **state)
{
	struct stat	 st;
	char		 dir[512], *cause = NULL;

	assert_int_equal(test_setup_dir(state), 0);
	snprintf(dir, sizeof dir, "%s/a/b", test_dir);
	assert_int_equal(paths_own_dir(dir, true, "keys", &cause), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* open to others: refused only when it must be closed */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(paths_own_dir(dir, false, "keys", &cause), 0);
	assert_int_equal(paths_own_dir(dir, true, "keys", &cause), -1);
	assert_non_null(strstr(cause, "is not a private folder of yours"));
	assert_non_null(strstr(cause, "vmtui keeps keys there"));
	free(cause);
	/* a symlink to a folder: refused either way */
	snprintf(dir, sizeof dir, "%s/link", test_dir);
	assert_int_equal(symlink("/tmp", dir), 0);
	assert_int_equal(paths_own_dir(dir, false, "keys", &cause), -1);
	assert_non_null(strstr(cause, "is not a folder of yours"));
	free(cause);
	assert_int_equal(test_remove_dir(state), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdg),
		cmocka_unit_test(test_profile_arg),
		cmocka_unit_test(test_demo_guest),
		cmocka_unit_test(test_own_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
