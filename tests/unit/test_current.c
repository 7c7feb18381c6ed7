/*
 * Unit tests of core/current.c: what a running machine runs now kept in
 * its runtime folder and read back, and what its profile says that it
 * does not run yet (keys, disks and shares by title, forwards whole; the
 * description left out), said only while it runs.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "current.h"
#include "profile.h"

static struct profile *
base(void)
{
	struct profile	*p = profile_new("vm", test_dir);
	char		 file[512];

	assert_non_null(p);
	/* the machine's identity comes from its profile's file */
	snprintf(file, sizeof file, "%s/vm.conf", test_dir);
	p->file = strdup(file);
	free(p->kernel);
	p->kernel = strdup("vmlinuz");
	p->boot_mode = BOOT_KERNEL;
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].host_port = 2222;
	p->forwards[0].guest_port = 22;
	assert_int_equal(profile_add_disk(p, "b"), 0);
	p->disks[0].size = 64;
	return p;
}

static char *
differs(const struct profile *cur, const struct profile *now)
{
	struct strv	 what = { NULL, 0 };
	char		*s;

	assert_int_equal(current_differs(cur, now, &what), 0);
	s = strv_join(&what, ", ");
	strv_free(&what);
	return s;
}

static void
test_differs(void **state)
{
	struct profile	*cur = base(), *now = base();
	char		*s;

	(void)state;
	s = differs(cur, now);
	assert_string_equal(s, "");
	free(s);
	/* the description is nothing the machine runs */
	free(now->description);
	now->description = strdup("another");
	now->memory = 2048;
	now->cores = 2;
	free(now->append);
	now->append = strdup("quiet");
	s = differs(cur, now);
	assert_string_equal(s, "memory, cores, boot.append");
	free(s);
	profile_free(now);
	/* rows: a disk changed, one new, a share removed, forwards whole */
	now = base();
	now->disks[0].size = 128;
	assert_int_equal(profile_add_disk(now, "c"), 0);
	assert_int_equal(profile_add_share(cur, "data", "/srv"), 0);
	assert_int_equal(profile_add_forward(now), 0);
	now->forwards[1].host_port = 8080;
	now->forwards[1].guest_port = 80;
	now->forwards[0].proto = PROTO_UDP;
	s = differs(cur, now);
	assert_string_equal(s, "disk \"b\", disk \"c\" (new), share \"data\" "
	    "(removed), forward 127.0.0.1:2222 -> :22 udp (new), forward "
	    "127.0.0.1:8080 -> :80 (new), forward 127.0.0.1:2222 -> :22 "
	    "(removed)");
	free(s);
	/* the same forward twice on one side is not two of the other's */
	profile_free(now);
	now = base();
	assert_int_equal(profile_add_forward(cur), 0);
	cur->forwards[1].host_port = 2222;
	cur->forwards[1].guest_port = 22;
	s = differs(cur, now);
	assert_string_equal(s, "share \"data\" (removed), forward "
	    "127.0.0.1:2222 -> :22 (removed)");
	free(s);
	/* optional sections */
	now->has_root_disk = true;
	now->has_cloud_init = true;
	now->auto_forward = AUTOFWD_FALSE;
	s = differs(cur, now);
	assert_string_equal(s, "auto-forward, root-disk (new), cloud-init "
	    "(new), share \"data\" (removed), forward 127.0.0.1:2222 -> :22 "
	    "(removed)");
	free(s);
	profile_free(cur);
	profile_free(now);
}

/* Kept in the runtime folder, read back; said only while it runs. */
static void
test_record(void **state)
{
	struct profile	*p = base(), *back = NULL;
	struct flock	 fl;
	char		 path[700], run[512], *cause = NULL, *s;
	int		 fd;

	(void)state;
	snprintf(path, sizeof path, "%s/run", test_dir);
	assert_int_equal(mkdir(path, 0700), 0);
	setenv("XDG_RUNTIME_DIR", path, 1);
	test_machine_dirs("vm", run, sizeof run, NULL, 0);
	assert_int_equal(current_load(p, &back, &cause), 1);
	if (current_record(p, &cause) != 0)
		fail_msg("%s", cause);
	if (current_load(p, &back, &cause) != 0)
		fail_msg("%s", cause);
	s = differs(p, back);
	assert_string_equal(s, "");
	free(s);
	profile_free(back);
	p->memory = 4096;
	/* not running: nothing said */
	assert_null(current_pending(p));
	/* QEMU's lock on its pidfile says it runs */
	snprintf(path, sizeof path, "%s/qemu.pid", run);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	assert_true(fd != -1);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
	s = current_pending(p);
	assert_non_null(s);
	assert_string_equal(s, "memory");
	free(s);
	p->memory = 1024;
	assert_null(current_pending(p));
	/* a copy that does not read: nothing said, nothing made up */
	snprintf(path, sizeof path, "%s/current.conf", run);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs("memory = \"lots\"\n", f);
		fclose(f);
	}
	assert_int_equal(current_load(p, &back, &cause), -1);
	free(cause);
	assert_null(current_pending(p));
	close(fd);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differs),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
