/*
 * Unit tests of core/live.c against a stand-in QEMU: a QMP server on the
 * machine's qmp.sock (a forked child) that answers like QEMU 7.2 and
 * writes down every command, and the pidfile locked as QEMU locks it. A
 * forward added, a host port in use refused with nothing sent, a rule
 * QEMU refuses undoing the one made before it, a machine without the user
 * network, disks attached into a free root port or left for the next
 * start, a disk taken away once DEVICE_DELETED comes, memory said to
 * apply at the next start, and the copy of what runs kept up to date.
 */
#include "testutil.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "current.h"
#include "live.h"
#include "profile.h"

static char	 run_dir[512], data_dir[512], seen[512];
static pid_t	 server;
static int	 pid_fd = -1;
static char	 ports_file[512];	/* there: one root port free; else
					   none (a machine started before) */

/* The command's id, as QEMU echoes it. */
static void
reply(int c, const char *cmd, const char *ret)
{
	const char	*p = strstr(cmd, "\"id\":");
	long		 id = p != NULL ? strtol(p + 5, NULL, 10) : 0;

	dprintf(c, "{\"return\": %s, \"id\": %ld}\r\n", ret, id);
}

/* The stand-in's devices with ids (device_add, device_del). */
static char	 devices[8][64];

/* The string id in a command's arguments ("id":"dev-x"), into id. */
static bool
arg_id(const char *line, char *id, size_t len)
{
	const char	*p = strstr(line, "\"id\":\"");

	if (p == NULL)
		return false;
	snprintf(id, len, "%.*s", (int)strcspn(p + 6, "\""), p + 6);
	return true;
}

/* qom-list of /machine/peripheral: the devices there. */
static void
reply_devices(int c, const char *line)
{
	char	list[1024] = "[";
	size_t	i;

	for (i = 0; i < 8; i++)
		if (devices[i][0] != '\0')
			snprintf(list + strlen(list), sizeof list - strlen(list),
			    "%s{\"name\": \"%s\", \"type\": "
			    "\"child<virtio-blk-pci>\"}", list[1] ? ", " : "",
			    devices[i]);
	strcat(list, "]");
	reply(c, line, list);
}

/* One client of the stand-in QEMU, to its end. */
static void
serve_client(int c)
{
	FILE	*f = fdopen(c, "r"), *log;
	char	 line[4096], id[64];
	size_t	 i;

	dprintf(c, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n");
	while (fgets(line, sizeof line, f) != NULL) {
		if ((log = fopen(seen, "a")) != NULL) {
			fputs(line, log);
			fclose(log);
		}
		if (strstr(line, "human-monitor-command") != NULL) {
			if (strstr(line, ":1666-") != NULL)
				reply(c, line, "\"Could not set up host "
				    "forwarding rule 'x'\\r\\n\"");
			else if (strstr(line, "hostfwd_remove") != NULL)
				reply(c, line, "\"host forwarding rule for x "
				    "removed\\r\\n\"");
			else
				reply(c, line, "\"\"");
		} else if (strstr(line, "query-pci") != NULL)
			reply(c, line, access(ports_file, F_OK) != 0 ? "[{\"bus\": 0, "
			    "\"devices\": []}]" : "[{\"bus\": 0, \"devices\": "
			    "[{\"qdev_id\": \"vmtui-port0\", \"pci_bridge\": "
			    "{\"devices\": [{\"qdev_id\": \"x\"}]}}, "
			    "{\"qdev_id\": \"vmtui-port1\", \"pci_bridge\": "
			    "{\"devices\": []}}]}]");
		else if (strstr(line, "qom-list") != NULL)
			reply_devices(c, line);
		else if (strstr(line, "query-") != NULL)
			reply(c, line, "[]");
		else if (strstr(line, "device_add") != NULL &&
		    arg_id(line, id, sizeof id)) {
			for (i = 0; i < 8 && devices[i][0] != '\0'; i++)
				;
			if (i < 8)
				snprintf(devices[i], sizeof devices[i], "%s", id);
			reply(c, line, "{}");
		} else if (strstr(line, "device_del") != NULL &&
		    arg_id(line, id, sizeof id)) {
			for (i = 0; i < 8; i++)
				if (strcmp(devices[i], id) == 0)
					devices[i][0] = '\0';
			reply(c, line, "{}");
			dprintf(c, "{\"event\": \"DEVICE_DELETED\", \"data\": "
			    "{\"device\": \"%s\"}}\r\n", id);
		} else
			reply(c, line, "{}");
	}
	fclose(f);
}

/* The stand-in QEMU: its QMP socket and its locked pidfile. */
static void
qemu_up(void)
{
	struct sockaddr_un	sun;
	struct flock		fl;
	char			path[600];
	int			l, c;

	snprintf(path, sizeof path, "%s/qemu.pid", run_dir);
	pid_fd = open(path, O_RDWR | O_CREAT, 0600);
	assert_true(pid_fd != -1);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	assert_int_equal(fcntl(pid_fd, F_OFD_SETLK, &fl), 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(path, sizeof path, "%s/qmp.sock", run_dir);
	assert_true(strlen(path) < sizeof sun.sun_path);
	strcpy(sun.sun_path, path);
	unlink(sun.sun_path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(listen(l, 4), 0);
	if ((server = fork()) == 0) {
		while ((c = accept(l, NULL, NULL)) != -1)
			serve_client(c);
		_exit(0);
	}
	close(l);
}

static void
qemu_down(void)
{
	if (server > 0) {
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
		server = 0;
	}
	if (pid_fd != -1)
		close(pid_fd);
	pid_fd = -1;
}

/* What the stand-in was asked, one command a line ("" when nothing). */
static char *
asked(void)
{
	FILE	*f = fopen(seen, "r");
	char	*text = calloc(1, 65536);
	size_t	 n;

	assert_non_null(text);
	if (f != NULL) {
		n = fread(text, 1, 65535, f);
		text[n] = '\0';
		fclose(f);
	}
	unlink(seen);
	return text;
}

static int
setup(void **state)
{
	char	path[600];

	if (test_setup_dir(state) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/run", test_dir);
	mkdir(path, 0700);
	setenv("XDG_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", path, 1);
	/* the folders of base()'s machine: its profile is test_dir/vm.conf */
	test_machine_dirs("vm", run_dir, sizeof run_dir, data_dir,
	    sizeof data_dir);
	snprintf(seen, sizeof seen, "%s/seen", test_dir);
	snprintf(ports_file, sizeof ports_file, "%s/ports", test_dir);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int
teardown(void **state)
{
	qemu_down();
	return test_remove_dir(state);
}

/* The machine's profile, kept in a file (live_update may read it). */
static struct profile *
base(void)
{
	static const char text[] =
	    "name = \"vm\"\n"
	    "memory = 256\n"
	    "forward { host-port = 2222  guest-port = 22 }\n"
	    "boot {\n  mode = \"kernel\"\n  kernel = \"/etc/hostname\"\n}\n";
	struct profile	*p;
	char		*cause = NULL;

	if (profile_parse(test_write_str("vm.conf", text), &p, &cause) != 0)
		fail_msg("%s", cause);
	return p;
}

/* A TCP port on 127.0.0.1 that this process listens on: in use. */
static int
listen_tcp(long *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
add_forward(struct profile *p, long host, long guest)
{
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[p->nforwards - 1].host_port = host;
	p->forwards[p->nforwards - 1].guest_port = guest;
}

/* A machine that does not run: nothing live; ports checked when asked. */
static void
test_not_running(void **state)
{
	struct profile		*old = base(), *now = base();
	struct live_report	 rep;
	char			*cause = NULL;
	long			 port;
	int			 fd = listen_tcp(&port);

	(void)state;
	add_forward(now, port, 80);
	assert_int_equal(live_update(old, now, 0, &rep, &cause), 0);
	assert_false(rep.running);
	assert_int_equal(rep.done.n, 0);
	assert_int_equal(live_update(old, now, LIVE_CHECK_PORTS, &rep,
	    &cause), -1);
	assert_non_null(strstr(cause, "in use on this host"));
	free(cause);
	close(fd);
	profile_free(old);
	profile_free(now);
}

static void
test_forwards(void **state)
{
	struct profile		*old = base(), *now = base(), *cur;
	struct live_report	 rep;
	char			*cause = NULL, *text;
	long			 busy;
	int			 fd = listen_tcp(&busy);

	(void)state;
	qemu_up();
	if (current_record(old, &cause) != 0)
		fail_msg("%s", cause);
	/* a forward added, one removed: removed first, then added */
	profile_remove_row(now, SCHEMA_FORWARD, 0);
	add_forward(now, 45678, 80);
	if (live_update(old, now, 0, &rep, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(rep.running);
	assert_int_equal(rep.done.n, 2);
	assert_string_equal(rep.done.v[0], "forward 127.0.0.1:2222 -> :22 "
	    "removed");
	assert_string_equal(rep.done.v[1], "forward 127.0.0.1:45678 -> :80 "
	    "added");
	assert_null(rep.next);
	live_report_free(&rep);
	text = asked();
	assert_non_null(strstr(text, "hostfwd_remove net0 "
	    "tcp:127.0.0.1:2222\""));
	assert_true(strstr(text, "hostfwd_remove") < strstr(text,
	    "hostfwd_add net0 tcp:127.0.0.1:45678-:80\""));
	free(text);
	/* the copy of what runs has the change */
	assert_int_equal(current_load(old, &cur, &cause), 0);
	assert_int_equal(cur->nforwards, 1);
	assert_int_equal(cur->forwards[0].host_port, 45678);
	profile_free(cur);

	/* a host port in use: refused, nothing asked of QEMU */
	profile_free(old);
	old = now;
	now = base();
	profile_remove_row(now, SCHEMA_FORWARD, 0);
	add_forward(now, 45678, 80);
	add_forward(now, busy, 81);
	assert_int_equal(live_update(old, now, 0, &rep, &cause), -1);
	assert_non_null(strstr(cause, "in use on this host; nothing was "
	    "changed"));
	free(cause);
	cause = NULL;
	text = asked();
	assert_null(strstr(text, "hostfwd"));
	free(text);

	/* QEMU refuses the second rule: the first one is undone */
	profile_remove_row(now, SCHEMA_FORWARD, 1);
	add_forward(now, 45679, 81);
	add_forward(now, 1666, 82);
	assert_int_equal(live_update(old, now, 0, &rep, &cause), -1);
	assert_string_equal(cause, "QEMU: hostfwd_add: Could not set up host "
	    "forwarding rule 'x'");
	free(cause);
	cause = NULL;
	text = asked();
	assert_non_null(strstr(text, "hostfwd_add net0 tcp:127.0.0.1:45679-"));
	assert_non_null(strstr(text, "hostfwd_remove net0 "
	    "tcp:127.0.0.1:45679\""));
	free(text);
	assert_int_equal(current_load(old, &cur, &cause), 0);
	assert_int_equal(cur->nforwards, 1);
	profile_free(cur);

	/* memory: applies at the next start; a guest's forward too */
	profile_free(now);
	now = base();
	profile_remove_row(now, SCHEMA_FORWARD, 0);
	add_forward(now, 45678, 80);
	now->memory = 512;
	assert_int_equal(profile_add_forward(now), 0);
	now->forwards[1].from = FWD_GUEST;
	free(now->forwards[1].guest_address);
	now->forwards[1].guest_address = strdup("10.0.2.100");
	now->forwards[1].host_port = 80;
	now->forwards[1].guest_port = 80;
	if (live_update(old, now, 0, &rep, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(rep.done.n, 0);
	assert_string_equal(rep.next, "memory, forward guest 10.0.2.100:80 "
	    "-> 127.0.0.1:80 (new)");
	live_report_free(&rep);
	text = asked();
	assert_null(strstr(text, "hostfwd"));
	free(text);
	close(fd);
	qemu_down();
	profile_free(old);
	profile_free(now);
}

/* A machine that runs without the user network: forwards wait. */
static void
test_no_user_network(void **state)
{
	struct profile		*old = base(), *now = base();
	struct live_report	 rep;
	char			*cause = NULL, *text;

	(void)state;
	qemu_up();
	profile_remove_row(old, SCHEMA_FORWARD, 0);
	old->network = NETWORK_NONE;
	if (current_record(old, &cause) != 0)
		fail_msg("%s", cause);
	if (live_update(old, now, 0, &rep, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(rep.done.n, 0);
	assert_int_equal(rep.notes.n, 1);
	assert_string_equal(rep.notes.v[0], "vm runs without the user "
	    "network: its forwards change at the next start");
	assert_string_equal(rep.next, "network, forward 127.0.0.1:2222 -> :22 "
	    "(new)");
	live_report_free(&rep);
	text = asked();
	assert_null(strstr(text, "hostfwd"));
	free(text);
	qemu_down();
	profile_free(old);
	profile_free(now);
}

static void
test_disks(void **state)
{
	struct profile		*old = base(), *now = base(), *cur;
	struct live_report	 rep;
	char			*cause = NULL, *text, path[600];

	(void)state;
	qemu_up();
	if (current_record(old, &cause) != 0)
		fail_msg("%s", cause);
	/* the image is there already: nothing to make */
	assert_int_equal(paths_mkdirs(data_dir, 0700), 0);
	snprintf(path, sizeof path, "%s/b.qcow2", data_dir);
	close(open(path, O_WRONLY | O_CREAT, 0600));
	assert_int_equal(profile_add_disk(now, "b"), 0);
	now->disks[0].size = 64;
	/* started before vmtui kept ports: the next start */
	unlink(ports_file);
	if (live_update(old, now, 0, &rep, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(rep.done.n, 0);
	assert_string_equal(rep.notes.v[0], "disk \"b\" is added at the next "
	    "start: the machine was started before vmtui kept PCIe ports free "
	    "for disks");
	assert_string_equal(rep.next, "disk \"b\" (new)");
	live_report_free(&rep);
	free(asked());
	/* on another interface: the next start, nothing asked */
	now->disk_interface = DISKIF_SCSI;
	if (live_update(old, now, 0, &rep, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(rep.notes.v[0], "disk \"b\" is added at the next "
	    "start: only virtio disks change while the machine runs");
	live_report_free(&rep);
	text = asked();
	assert_null(strstr(text, "query-pci"));
	free(text);
	now->disk_interface = DISKIF_VIRTIO;
	/* a free port: attached there */
	close(open(ports_file, O_WRONLY | O_CREAT, 0600));
	if (live_update(old, now, 0, &rep, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(rep.done.n, 1);
	assert_string_equal(rep.done.v[0], "disk \"b\" attached");
	assert_null(rep.next);
	live_report_free(&rep);
	text = asked();
	assert_non_null(strstr(text, "\"execute\":\"blockdev-add\""));
	assert_non_null(strstr(text, "\"node-name\":\"vmtui-hp0\""));
	assert_non_null(strstr(text, "b.qcow2\""));
	assert_non_null(strstr(text, "\"execute\":\"device_add\""));
	assert_non_null(strstr(text, "\"bus\":\"vmtui-port1\""));
	assert_non_null(strstr(text, "\"id\":\"dev-disk-b\""));
	assert_non_null(strstr(text, "\"driver\":\"virtio-blk-pci\""));
	free(text);
	assert_int_equal(current_load(old, &cur, &cause), 0);
	assert_int_equal(cur->ndisks, 1);
	assert_int_equal(cur->disks[0].size, 64);
	profile_free(cur);
	/* taken away: device_del, DEVICE_DELETED, out of the copy */
	profile_free(old);
	old = now;
	now = base();
	if (live_update(old, now, 0, &rep, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(rep.done.n, 1);
	assert_string_equal(rep.done.v[0], "disk \"b\" taken away (its image "
	    "is kept)");
	live_report_free(&rep);
	text = asked();
	assert_non_null(strstr(text, "\"execute\":\"device_del\""));
	free(text);
	assert_int_equal(current_load(old, &cur, &cause), 0);
	assert_int_equal(cur->ndisks, 0);
	profile_free(cur);
	assert_int_equal(access(path, F_OK), 0);
	qemu_down();
	profile_free(old);
	profile_free(now);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_running),
		cmocka_unit_test(test_forwards),
		cmocka_unit_test(test_no_user_network),
		cmocka_unit_test(test_disks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
