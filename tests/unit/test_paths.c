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
	(void)state;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("XDG_DATA_HOME", "/dat", 1);
	setenv("XDG_STATE_HOME", "/st", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);
	expect(paths_profiles_dir(), "/cfg/vmtui/profiles");
	expect(paths_settings_file(), "/cfg/vmtui/vmtui.conf");
	expect(paths_runtime_base(), "/run/user/7/vmtui");
	/* unset, empty or relative: the defaults */
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_RUNTIME_DIR");
	expect(paths_profiles_dir(), "/home/u/.config/vmtui/profiles");
}

/* What FNV-1a makes of s: the hash part of a folder's name. */
static void
hash_of(const char *s, char out[PATHS_HASH_LEN + 1])
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	snprintf(out, PATHS_HASH_LEN + 1, "%012llx",
	    (unsigned long long)(h & 0xffffffffffffULL));
}

/*
 * A machine's identity: in the profiles folder its name (its data and
 * state folders as they always were), elsewhere NAME@HASH of the profile's
 * real path; its runtime folder NAME@HASH always, the name cut short.
 */
static void
test_machine(void **state)
{
	struct paths_machine	 m;
	char			 cfg[300], prof[300], other[300], file[400];
	char			 want[800], hash[PATHS_HASH_LEN + 1];
	const char		*longname = "a-name-that-is-longer-than-twenty";

	(void)state;
	snprintf(cfg, sizeof cfg, "%s/cfg", test_dir);
	snprintf(prof, sizeof prof, "%s/cfg/vmtui/profiles", test_dir);
	snprintf(other, sizeof other, "%s/elsewhere", test_dir);
	assert_int_equal(paths_mkdirs(prof, 0700), 0);
	assert_int_equal(paths_mkdirs(other, 0700), 0);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	setenv("XDG_DATA_HOME", "/dat", 1);
	setenv("XDG_STATE_HOME", "/st", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);

	/* in the profiles folder: by name, as given or by path */
	snprintf(file, sizeof file, "%s/vm.conf", prof);
	test_write_str("cfg/vmtui/profiles/vm.conf", "");
	assert_int_equal(paths_machine("vm", prof, file, &m), 0);
	hash_of(file, hash);
	assert_string_equal(m.profile, file);
	assert_string_equal(m.id, "vm");
	assert_string_equal(m.data, "/dat/vmtui/vm");
	assert_string_equal(m.state, "/st/vmtui/vm");
	snprintf(want, sizeof want, "/run/user/7/vmtui/vm@%s", hash);
	assert_string_equal(m.runtime, want);
	assert_string_equal(m.legacy, "/run/user/7/vmtui/vm");
	assert_string_equal(m.legacy_state, "/st/vmtui/vm");
	paths_machine_free(&m);
	/* not saved yet: DIR/NAME.conf, the same machine */
	assert_int_equal(paths_machine("vm", prof, NULL, &m), 0);
	assert_string_equal(m.profile, file);
	assert_string_equal(m.runtime, want);
	paths_machine_free(&m);

	/* elsewhere, with the name of one in the profiles folder: its own
	 * folders, and never the earlier vmtui's folder of that name */
	snprintf(file, sizeof file, "%s/vm.conf", other);
	hash_of(file, hash);
	assert_int_equal(paths_machine("vm", other, "elsewhere/vm.conf", &m),
	    0);
	assert_string_equal(m.profile, file);
	snprintf(want, sizeof want, "vm@%s", hash);
	assert_string_equal(m.id, want);
	snprintf(want, sizeof want, "/dat/vmtui/vm@%s", hash);
	assert_string_equal(m.data, want);
	snprintf(want, sizeof want, "/st/vmtui/vm@%s", hash);
	assert_string_equal(m.state, want);
	snprintf(want, sizeof want, "/run/user/7/vmtui/vm@%s", hash);
	assert_string_equal(m.runtime, want);
	assert_null(m.legacy);
	paths_machine_free(&m);
	/* with no machine of its name in the profiles folder, it may */
	assert_int_equal(paths_machine("solo", other, "solo.conf", &m), 0);
	assert_string_equal(m.legacy, "/run/user/7/vmtui/solo");
	assert_string_equal(m.legacy_state, "/st/vmtui/solo");
	paths_machine_free(&m);

	/* a long name is cut in the runtime folder's name, never elsewhere */
	snprintf(file, sizeof file, "%s/%s.conf", other, longname);
	hash_of(file, hash);
	assert_int_equal(paths_machine(longname, other, file, &m), 0);
	snprintf(want, sizeof want, "/run/user/7/vmtui/%.20s@%s", longname,
	    hash);
	assert_string_equal(m.runtime, want);
	snprintf(want, sizeof want, "/dat/vmtui/%s@%s", longname, hash);
	assert_string_equal(m.data, want);
	paths_machine_free(&m);

	/* another HOME (profiles folder) of the same user: another machine */
	setenv("XDG_CONFIG_HOME", other, 1);
	snprintf(file, sizeof file, "%s/vmtui/profiles", other);
	assert_int_equal(paths_mkdirs(file, 0700), 0);
	assert_int_equal(paths_machine("vm", file, NULL, &m), 0);
	assert_string_equal(m.id, "vm");
	snprintf(want, sizeof want, "/run/user/7/vmtui/vm@");
	assert_int_equal(strncmp(m.runtime, want, strlen(want)), 0);
	hash_of(m.profile, hash);
	assert_string_equal(m.runtime + strlen(want), hash);
	paths_machine_free(&m);

	/* a profiles folder not made yet (an import checks the machine's
	 * files before its first save): the machine is its name there too */
	snprintf(cfg, sizeof cfg, "%s/fresh", test_dir);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	snprintf(file, sizeof file, "%s/fresh/vmtui/profiles", test_dir);
	assert_true(paths_is_profiles_dir(file));
	assert_int_equal(paths_machine("vm", file, NULL, &m), 0);
	assert_string_equal(m.id, "vm");
	assert_string_equal(m.data, "/dat/vmtui/vm");
	paths_machine_free(&m);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_RUNTIME_DIR");
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
		cmocka_unit_test_setup_teardown(test_machine, test_setup_dir,
		    test_remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
