/*
 * Unit tests of core/sshkeys.c: a cloud-init machine's private folder,
 * its host key made once by ssh-keygen and pinned in its known_hosts, the
 * keys its user logs in with (the profile's, ~/.ssh's, or one of the
 * machine's own) and what ssh is given.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "io.h"
#include "paths.h"
#include "preflight.h"
#include "sshkeys.h"

#define KEY_A	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAA a@x"
#define KEY_B	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQBBBBBBBBBB b@y"

static char	data[512], home[512];

static const char *profiles(void);

static int
setup(void **state)
{
	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(data, sizeof data, "%s/data", test_dir);
	snprintf(home, sizeof home, "%s/home", test_dir);
	setenv("XDG_DATA_HOME", data, 1);
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	return mkdir(home, 0755) == 0 ? paths_mkdirs(profiles(), 0700) : -1;
}

/* The profiles folder, where a machine's data folder is its name. */
static const char *
profiles(void)
{
	static char	dir[600];

	snprintf(dir, sizeof dir, "%s/.config/vmtui/profiles", home);
	return dir;
}

/* The keys' folder of the machine NAME of the profiles folder, made. */
static char *
dir_of(const char *name)
{
	struct profile	*p = profile_new(name, profiles());
	char		*dir = sshkeys_dir(p), *cause = NULL;

	profile_free(p);
	assert_non_null(dir);
	assert_int_equal(sshkeys_dir_make(dir, &cause), 0);
	return dir;
}

static mode_t
mode_of(const char *dir, const char *file)
{
	struct stat	st;
	char		path[1024];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (stat(path, &st) != 0)
		return 0;
	return st.st_mode & 07777;
}

static bool
have_keygen(void)
{
	char	*s = preflight_which("ssh-keygen");

	free(s);
	return s != NULL;
}

static void
test_dir_private(void **state)
{
	char	*dir, *cause = NULL, path[1024];

	(void)state;
	dir = dir_of("p1");
	snprintf(path, sizeof path, "%s/vmtui/p1/" SSHKEYS_DIR, data);
	assert_string_equal(dir, path);
	assert_int_equal(mode_of(dir, "."), 0700);
	/* open to others: refused, never written into */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(sshkeys_dir_make(dir, &cause), -1);
	assert_non_null(strstr(cause, "not a private folder of yours"));
	free(cause);
	cause = NULL;
	assert_int_equal(rmdir(dir), 0);
	/* a symlink where the folder goes: refused */
	assert_int_equal(symlink("/tmp", dir), 0);
	assert_int_equal(sshkeys_dir_make(dir, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(dir);
}

static void
test_host_key(void **state)
{
	char	*dir, *priv, *pub, *priv2, *pub2, *cause = NULL, *kh, *want;
	char	 path[1024];

	(void)state;
	if (!have_keygen())
		skip();
	dir = dir_of("c1");
	assert_int_equal(sshkeys_host(dir, "c1", &priv, &pub, &cause), 0);
	assert_true(strncmp(priv, "-----BEGIN OPENSSH PRIVATE KEY-----\n",
	    36) == 0);
	assert_true(strncmp(pub, "ssh-ed25519 ", 12) == 0);
	assert_non_null(strstr(pub, " root@c1"));
	assert_null(strchr(pub, '\n'));
	assert_int_equal(mode_of(dir, SSHKEYS_HOST_KEY), 0600);
	/* pinned under the machine's name, without the comment */
	snprintf(path, sizeof path, "%s/" SSHKEYS_KNOWN_HOSTS, dir);
	assert_int_equal(io_read_file(path, 4096, &kh, &cause), 0);
	assert_int_equal(asprintf(&want, "c1 %.*s\n", (int)(strstr(pub,
	    " root@") - pub), pub) > 0, 1);
	assert_string_equal(kh, want);
	free(kh);
	free(want);
	assert_int_equal(mode_of(dir, SSHKEYS_KNOWN_HOSTS), 0600);
	/* made once: the same key the next time */
	assert_int_equal(sshkeys_host(dir, "c1", &priv2, &pub2, &cause), 0);
	assert_string_equal(priv, priv2);
	assert_string_equal(pub, pub2);
	/* no temp folder of ssh-keygen's left */
	snprintf(path, sizeof path, "ls -A '%s' | grep -q keygen", dir);
	assert_int_not_equal(system(path), 0);
	free(priv);
	free(pub);
	free(priv2);
	free(pub2);
	free(dir);
}

static void
test_authorized_own_key(void **state)
{
	struct profile	*p = profile_new("c2", test_dir);
	struct strv	 keys = { NULL, 0 }, ids = { NULL, 0 };
	char		*dir, *cause = NULL, path[1024];

	(void)state;
	if (!have_keygen())
		skip();
	dir = dir_of("c2");
	/* an empty HOME: a key of the machine's own, 0600 */
	assert_int_equal(sshkeys_authorized(p, dir, &keys, &cause), 0);
	assert_int_equal(keys.n, 1);
	assert_non_null(strstr(keys.v[0], " vmtui@c2"));
	assert_int_equal(mode_of(dir, SSHKEYS_ID_KEY), 0600);
	assert_int_equal(sshkeys_identities(p, dir, &ids), 0);
	assert_int_equal(ids.n, 1);
	snprintf(path, sizeof path, "%s/" SSHKEYS_ID_KEY, dir);
	assert_string_equal(ids.v[0], path);
	strv_free(&keys);
	strv_free(&ids);
	free(dir);
	profile_free(p);
}

static void
test_authorized_home(void **state)
{
	struct profile	*p = profile_new("c3", test_dir);
	struct strv	 keys = { NULL, 0 };
	char		*dir, *cause = NULL, path[1024];

	(void)state;
	snprintf(path, sizeof path, "%s/.ssh", home);
	assert_int_equal(mkdir(path, 0700), 0);
	test_write_str("home/.ssh/a.pub", KEY_A "\n");
	/* in ~/.ssh only lines that are keys are taken */
	test_write_str("home/.ssh/b.pub", "junk\n" KEY_B "\r\n");
	test_write_str("home/.ssh/id_x", "private, not .pub\n");
	dir = dir_of("c3");
	assert_int_equal(sshkeys_authorized(p, dir, &keys, &cause), 0);
	assert_int_equal(keys.n, 2);
	assert_string_equal(keys.v[0], KEY_A);
	assert_string_equal(keys.v[1], KEY_B);
	/* no key of the machine's own then */
	assert_int_equal(mode_of(dir, SSHKEYS_ID_KEY), 0);
	strv_free(&keys);
	free(dir);
	profile_free(p);
}

static void
test_authorized_profile(void **state)
{
	struct profile	*p = profile_new("c4", test_dir);
	struct strv	 keys = { NULL, 0 }, ids = { NULL, 0 };
	char		*dir, *cause = NULL, path[1024];

	(void)state;
	dir = dir_of("c4");
	test_write_str("k.pub", "# mine\n\n" KEY_A "\n");
	test_write_str("k", "the private half\n");
	assert_int_equal(strv_add(&p->cloud_ssh_keys, KEY_B), 0);
	assert_int_equal(strv_add(&p->cloud_ssh_keys, "k.pub"), 0);
	assert_int_equal(sshkeys_authorized(p, dir, &keys, &cause), 0);
	assert_int_equal(keys.n, 2);
	assert_string_equal(keys.v[0], KEY_B);
	assert_string_equal(keys.v[1], KEY_A);
	/* ssh gets the private half beside the .pub named */
	assert_int_equal(sshkeys_identities(p, dir, &ids), 0);
	assert_int_equal(ids.n, 1);
	snprintf(path, sizeof path, "%s/k", test_dir);
	assert_string_equal(ids.v[0], path);
	strv_free(&keys);
	strv_free(&ids);

	/* a file the profile names holds keys and nothing else */
	test_write_str("bad.pub", KEY_A "\nAAAA not a key\n");
	strv_free(&p->cloud_ssh_keys);
	assert_int_equal(strv_add(&p->cloud_ssh_keys, "bad.pub"), 0);
	assert_int_equal(sshkeys_authorized(p, dir, &keys, &cause), -1);
	snprintf(path, sizeof path, "%s/bad.pub:2: not a public key",
	    test_dir);
	assert_non_null(strstr(cause, path));
	free(cause);
	strv_free(&keys);
	test_write_str("empty.pub", "# nothing\n");
	strv_free(&p->cloud_ssh_keys);
	assert_int_equal(strv_add(&p->cloud_ssh_keys, "empty.pub"), 0);
	assert_int_equal(sshkeys_authorized(p, dir, &keys, &cause), -1);
	assert_non_null(strstr(cause, "empty.pub holds no public key"));
	free(cause);
	strv_free(&keys);
	free(dir);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_private),
		cmocka_unit_test(test_host_key),
		cmocka_unit_test(test_authorized_own_key),
		cmocka_unit_test(test_authorized_home),
		cmocka_unit_test(test_authorized_profile),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
