/*
 * Unit tests of core/cloudinit.c: the seed's documents from a profile's
 * cloud-init section. Values reach YAML only as double-quoted scalars
 * with everything that could end or bend one escaped; the person's own
 * user-data is a MIME part before vmtui's host key, under a boundary no
 * line of theirs starts with. (tests/cloud.sh reads what vmtui writes
 * with PyYAML, cloud-init's own parser.)
 */
#include "testutil.h"

#include "cloudinit.h"

static char *
yaml(const char *s)
{
	struct buf	b;
	char		*out;

	buf_init(&b);
	cloudinit_yaml_string(&b, s);
	out = buf_finish(&b, NULL);
	assert_non_null(out);
	return out;
}

static void
same(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void
test_yaml_string(void **state)
{
	(void)state;
	same(yaml(""), "\"\"");
	same(yaml("plain words"), "\"plain words\"");
	/* what ends a scalar or starts an escape */
	same(yaml("a\"b\\c"), "\"a\\\"b\\\\c\"");
	/* a YAML reader folds raw line breaks and refuses control bytes */
	same(yaml("l1\nl2\tx\r"), "\"l1\\nl2\\tx\\x0d\"");
	same(yaml("\x01\x1b[0m\x7f"), "\"\\x01\\x1b[0m\\x7f\"");
	/* C1 controls, NEL, the line and paragraph separators, BOM */
	same(yaml("\xc2\x85\xc2\x9f"), "\"\\u0085\\u009f\"");
	same(yaml("\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf"),
	    "\"\\u2028\\u2029\\ufeff\"");
	same(yaml("\xef\xbf\xbe\xef\xbf\xbf"), "\"\\ufffe\\uffff\"");
	/* text stays as it is: a '#' is no comment inside quotes */
	same(yaml("caf\xc3\xa9 # \xf0\x9f\x99\x82: - [x]"),
	    "\"caf\xc3\xa9 # \xf0\x9f\x99\x82: - [x]\"");
}

static struct profile *
base(const char *name)
{
	struct profile	*p = profile_new(name, "/prof");

	assert_non_null(p);
	p->has_cloud_init = true;
	return p;
}

static void
test_defaults(void **state)
{
	struct profile	*p = base("my_vm.test");
	char		*s;

	(void)state;
	/* a host name from the machine's name */
	same(cloudinit_hostname(p), "my-vm-test");
	test_set_str(&p->name, "-._x_.-");
	same(cloudinit_hostname(p), "x");
	test_set_str(&p->name, "___");
	same(cloudinit_hostname(p), "vm");
	test_set_str(&p->cloud_hostname, "box.example.org");
	same(cloudinit_hostname(p), "box.example.org");
	/* the user: the profile's; else this login, or vm for root */
	s = cloudinit_user(p);
	assert_non_null(s);
	if (geteuid() == 0)
		assert_string_equal(s, "vm");
	free(s);
	test_set_str(&p->cloud_user, "alice");
	same(cloudinit_user(p), "alice");
	profile_free(p);
}

static const struct strv test_keys = { (char *[]){
    (char *)"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKEY me@host", NULL }, 1 };

static void
input(struct cloudinit_input *in)
{
	memset(in, 0, sizeof *in);
	in->user = "vm";
	in->keys = &test_keys;
	in->host_private = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n"
	    "-----END OPENSSH PRIVATE KEY-----\n";
	in->host_public = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHOST root@c1";
}

static void
test_user_data(void **state)
{
	struct cloudinit_input	 in;
	struct profile		*p = base("c1");
	char			*ud, *cause = NULL;

	(void)state;
	input(&in);
	assert_int_equal(cloudinit_user_data(p, &in, &ud, &cause), 0);
	assert_non_null(strstr(ud, "#cloud-config\n"));
	assert_ptr_equal(strstr(ud, "#cloud-config\n"), ud);
	assert_non_null(strstr(ud, "user:\n  name: \"vm\"\n"
	    "  lock_passwd: true\n  ssh_authorized_keys:\n"
	    "    - \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKEY me@host\"\n"));
	/* the host key vmtui pins, and no other made in the guest */
	assert_non_null(strstr(ud, "ssh_deletekeys: true\n"
	    "ssh_genkeytypes: [\"ed25519\"]\nssh_keys:\n"
	    "  ed25519_private: \"-----BEGIN OPENSSH PRIVATE KEY-----\\n"
	    "b3Blbg==\\n-----END OPENSSH PRIVATE KEY-----\\n\"\n"
	    "  ed25519_public: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHOST "
	    "root@c1\"\n"));
	/* nothing asked, nothing said */
	assert_null(strstr(ud, "timezone"));
	assert_null(strstr(ud, "packages"));
	assert_null(strstr(ud, "runcmd"));
	free(ud);

	/* every key, hostile values quoted */
	test_set_str(&p->cloud_password, "pa\"ss: #word");
	test_set_str(&p->cloud_timezone, "Europe/Berlin");
	assert_int_equal(strv_add(&p->cloud_packages, "htop"), 0);
	assert_int_equal(strv_add(&p->cloud_commands, "echo \"hi\"\n"
	    "touch /x # done"), 0);
	assert_int_equal(cloudinit_user_data(p, &in, &ud, &cause), 0);
	assert_non_null(strstr(ud, "  lock_passwd: false\n"
	    "  plain_text_passwd: \"pa\\\"ss: #word\"\n"));
	assert_non_null(strstr(ud, "timezone: \"Europe/Berlin\"\n"));
	assert_non_null(strstr(ud, "packages:\n  - \"htop\"\n"));
	assert_non_null(strstr(ud, "runcmd:\n  - \"echo \\\"hi\\\"\\n"
	    "touch /x # done\"\n"));
	free(ud);

	/* a crypt(3) hash goes as one */
	test_set_str(&p->cloud_password, "$6$salt$hAsH./x");
	assert_int_equal(cloudinit_user_data(p, &in, &ud, &cause), 0);
	assert_non_null(strstr(ud, "  hashed_passwd: \"$6$salt$hAsH./x\"\n"));
	free(ud);
	profile_free(p);
}

/*
 * The user logged in on the serial console (the pane) by a getty drop-in
 * bootcmd writes, unless console-login is false; the shares with a mount
 * point mounted by cloud-init over 9p, never stopping a boot.
 */
static void
test_console_and_mounts(void **state)
{
	struct cloudinit_input	 in;
	struct profile		*p = base("c1");
	char			*ud, *cause = NULL;

	(void)state;
	input(&in);
	assert_int_equal(profile_add_share(p, "data", "/src"), 0);
	test_set_str(&p->shares[0].target, "/mnt/da\"ta");
	p->shares[0].readonly = true;
	assert_int_equal(profile_add_share(p, "nomount", "/src2"), 0);
	assert_int_equal(cloudinit_user_data(p, &in, &ud, &cause), 0);
	assert_non_null(strstr(ud, "bootcmd:\n  - \"command -v systemctl"));
	assert_non_null(strstr(ud, "--autologin vm --keep-baud"));
	assert_non_null(strstr(ud, "mounts:\n  - [\"data\", \"/mnt/da\\\"ta\", "
	    "\"9p\", \"trans=virtio,version=9p2000.L,msize=16384,nofail,ro\", "
	    "\"0\", \"0\"]\n"));
	assert_null(strstr(ud, "nomount"));
	free(ud);
	p->cloud_console_login = false;
	assert_int_equal(cloudinit_user_data(p, &in, &ud, &cause), 0);
	assert_null(strstr(ud, "bootcmd"));
	free(ud);
	profile_free(p);
}

static void
test_own_user_data(void **state)
{
	struct cloudinit_input	 in;
	struct profile		*p = base("c1");
	const char		*mine = "#cloud-config\nruncmd: [ls]\n"
				    "--==vmtui-seed-0==\n";
	char			*ud, *cause = NULL, *part;

	(void)state;
	input(&in);
	test_set_str(&p->cloud_user_data, "mine.yaml");
	in.user_data = mine;
	in.user_data_len = strlen(mine);
	assert_int_equal(cloudinit_user_data(p, &in, &ud, &cause), 0);
	/* a line of the file starts as boundary 0 would: the next one */
	assert_ptr_equal(strstr(ud, "Content-Type: multipart/mixed; "
	    "boundary=\"==vmtui-seed-1==\"\nMIME-Version: 1.0\n\n"
	    "--==vmtui-seed-1==\n"), ud);
	/* the file as it is, then the host key, then the end */
	part = strstr(ud, "\n\n#cloud-config\nruncmd: [ls]\n"
	    "--==vmtui-seed-0==\n\n--==vmtui-seed-1==\n");
	assert_non_null(part);
	assert_non_null(strstr(part, "Content-Type: text/cloud-config"));
	assert_non_null(strstr(part, "ssh_keys:\n  ed25519_private: "));
	assert_null(strstr(ud, "user:\n"));
	assert_string_equal(ud + strlen(ud) - 21, "--==vmtui-seed-1==--\n");
	free(ud);

	/* not text: refused, saying which file */
	in.user_data = "\x1f\x8b\x08\x00\xff";
	in.user_data_len = 5;
	assert_int_equal(cloudinit_user_data(p, &in, &ud, &cause), -1);
	assert_null(ud);
	assert_non_null(strstr(cause, "user-data mine.yaml is not text"));
	free(cause);
	assert_int_equal(cloudinit_text("a\0b", 3), 0);
	assert_int_equal(cloudinit_text("caf\xc3\xa9\n", 6), 1);
	profile_free(p);
}

static void
test_meta_data(void **state)
{
	(void)state;
	same(cloudinit_meta_data("vmtui-c1-1-0a", "c1"),
	    "instance-id: \"vmtui-c1-1-0a\"\nlocal-hostname: \"c1\"\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_string),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_user_data),
		cmocka_unit_test(test_console_and_mounts),
		cmocka_unit_test(test_own_user_data),
		cmocka_unit_test(test_meta_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
