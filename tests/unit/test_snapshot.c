/*
 * Unit tests of core/snapshot.c: names, and the operations on a machine
 * that is off, with the real qemu-img (skipped without it): what refuses,
 * take, list, revert, delete, a read-only disk left out. The running
 * machine's (QMP) are in tests/e2e.sh, the screen and the command line in
 * tests/snapshot.sh.
 */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "machine.h"
#include "paths.h"
#include "snapshot.h"
#include "fakeqemu.h"

/* The machine vm of the profiles folder: its disks in data/vmtui/vm. */
static struct profile *
machine(void)
{
	struct profile	*p;
	char		 dir[512];

	snprintf(dir, sizeof dir, "%s/cfg", test_dir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(dir, sizeof dir, "%s/cfg/vmtui/profiles", test_dir);
	assert_int_equal(paths_mkdirs(dir, 0700), 0);
	p = profile_new("vm", dir);
	assert_non_null(p);
	snprintf(dir, sizeof dir, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", dir, 1);
	snprintf(dir, sizeof dir, "%s/run", test_dir);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	return p;
}

static void
img(const char *name, const char *format)
{
	char	cmd[1024];

	snprintf(cmd, sizeof cmd, "mkdir -p '%s/data/vmtui/vm' && qemu-img "
	    "create -q -f %s '%s/data/vmtui/vm/%s' 1M", test_dir, format,
	    test_dir, name);
	assert_int_equal(system(cmd), 0);
}

static void
test_names(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(snapshot_check_name("before-upgrade.2_a", &cause), 0);
	assert_int_equal(snapshot_check_name("1a", &cause), 0);
	assert_int_equal(snapshot_check_name("", &cause), -1);
	free(cause);
	assert_int_equal(snapshot_check_name("-c", &cause), -1);
	free(cause);
	assert_int_equal(snapshot_check_name("a b", &cause), -1);
	free(cause);
	assert_int_equal(snapshot_check_name("a/b", &cause), -1);
	free(cause);
	assert_int_equal(snapshot_check_name("42", &cause), -1);
	assert_non_null(strstr(cause, "needs a letter"));
	free(cause);
	assert_int_equal(snapshot_check_name(
	    "12345678901234567890123456789012345678901234567890123456789012345",
	    &cause), -1);
	free(cause);
}

static void
test_offline(void **state)
{
	struct profile		*p;
	struct snapshots	 s;
	char			*cause = NULL;

	(void)state;
	if (system("qemu-img --version >/dev/null 2>&1") != 0)
		skip();
	p = machine();
	/* nothing to hold a snapshot */
	assert_int_equal(snapshot_list(p, &s, &cause), -1);
	assert_non_null(strstr(cause, "has no disk that a snapshot"));
	free(cause);
	p->has_root_disk = true;
	assert_int_equal(snapshot_take(p, "a", &cause), -1);
	assert_non_null(strstr(cause, "has no image yet"));
	free(cause);
	img("root.qcow2", "qcow2");
	assert_int_equal(profile_add_disk(p, "ro"), 0);
	p->disks[0].drive.readonly = true;
	img("ro.qcow2", "qcow2");

	assert_int_equal(snapshot_list(p, &s, &cause), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(snapshot_take(p, "one", &cause), 0);
	assert_int_equal(snapshot_take(p, "two", &cause), 0);
	assert_int_equal(snapshot_take(p, "two", &cause), -1);
	assert_non_null(strstr(cause, "already"));
	free(cause);
	assert_int_equal(snapshot_list(p, &s, &cause), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0].name, "one");
	assert_string_equal(s.v[1].name, "two");
	assert_false(s.v[0].memory);
	assert_false(s.v[0].partial);
	assert_true(s.v[0].date > time(NULL) - 3600);
	snapshot_free(&s);
	assert_int_equal(snapshot_revert(p, "one", &cause), 0);
	assert_int_equal(snapshot_revert(p, "three", &cause), -1);
	assert_non_null(strstr(cause, "no snapshot \"three\""));
	free(cause);
	assert_int_equal(snapshot_delete(p, "one", &cause), 0);
	assert_int_equal(snapshot_list(p, &s, &cause), 0);
	assert_int_equal(s.n, 1);
	snapshot_free(&s);
	/* the read-only disk was never written */
	assert_int_equal(system("cd \"$XDG_DATA_HOME/vmtui/vm\" && "
	    "test -z \"$(qemu-img snapshot -l ro.qcow2)\""), 0);

	/* a raw disk or an ephemeral one: refused, and nothing taken */
	assert_int_equal(profile_add_disk(p, "raw"), 0);
	p->disks[1].drive.format = FORMAT_RAW;
	img("raw.img", "raw");
	assert_int_equal(snapshot_take(p, "three", &cause), -1);
	assert_non_null(strstr(cause, "disk \"raw\" is raw"));
	free(cause);
	p->disks[1].drive.format = FORMAT_QCOW2;
	p->disks[1].ephemeral = true;
	assert_int_equal(snapshot_take(p, "three", &cause), -1);
	assert_non_null(strstr(cause, "disk \"raw\" is ephemeral"));
	free(cause);
	profile_free(p);
}

/*
 * A running machine whose QEMU answers nothing for 9 s while it saves the
 * memory (its main loop blocked): the take waits, as long as the job may
 * take, and succeeds; a --stop --force meanwhile waits for it to end
 * rather than kill QEMU in the middle of the save. A stand-in QEMU: the pidfile locked, QMP on its
 * socket, each reply with the command's id.
 */
static void
test_slow_save(void **state)
{
	struct paths_machine	 m;
	struct profile		*p;
	char			 path[300], buf[2048], id[32];
	const char		*at;
	char			*cause = NULL;
	pid_t			 pid, stopper;
	int			 l, c, fd, st;
	FILE			*f;

	(void)state;
	if (system("qemu-img --version >/dev/null 2>&1") != 0)
		skip();
	p = machine();
	p->has_root_disk = true;
	img("root.qcow2", "qcow2");
	/* the machine's runtime folder, as its identity has it */
	assert_int_equal(paths_machine(p->name, p->dir, p->file, &m), 0);
	snprintf(path, sizeof path, "%s", m.runtime);
	paths_machine_free(&m);
	if ((pid = fake_qemu_fork(path, &fd)) == 0) {
		l = fake_qemu_listen(path, "qmp.sock");
		fake_qemu_ready(fd);
		c = accept(l, NULL, NULL);
		f = fdopen(c, "r");
		dprintf(c, "{\"QMP\": {\"version\": {}}}\r\n");
		while (fgets(buf, sizeof buf, f) != NULL) {
			at = strstr(buf, "\"id\":");
			snprintf(id, sizeof id, "%ld", at != NULL ?
			    strtol(at + 5, NULL, 10) : 0L);
			if (strstr(buf, "job-dismiss") != NULL)
				dprintf(c, "{\"error\": {\"desc\": \"no job\"}, "
				    "\"id\": %s}\r\n", id);
			else if (strstr(buf, "query-jobs") != NULL) {
				sleep(9);
				dprintf(c, "{\"return\": [{\"status\": "
				    "\"concluded\", \"id\": \"vmtui-snapshot\", "
				    "\"type\": \"snapshot-save\"}], \"id\": %s}"
				    "\r\n", id);
			} else
				dprintf(c, "{\"return\": {}, \"id\": %s}\r\n",
				    id);
		}
		_exit(0);
	}
	if ((stopper = fork()) == 0) {
		sleep(2);
		(void)machine_stop(p, 1, true, NULL, NULL, &cause);
		_exit(0);
	}
	if (snapshot_take(p, "big", &cause) != 0)
		fail_msg("%s", cause);
	waitpid(stopper, &st, 0);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_offline),
		cmocka_unit_test(test_slow_save),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
