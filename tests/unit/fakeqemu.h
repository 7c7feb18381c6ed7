/*
 * fakeqemu: what a stand-in QEMU of the unit tests does first, as QEMU
 * does: fork, lock its pidfile (its pid in it) in the runtime folder, and
 * listen on a unix socket there. The parent returns once the child is
 * ready; in the child a failure is _exit(1).
 */
#ifndef VMTUI_FAKEQEMU_H
#define VMTUI_FAKEQEMU_H

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

/*
 * The XDG folders of a test under test_dir (run, state, the data folder),
 * and the runtime folder of p's machine (its identity's, paths_machine) in
 * rundir (len bytes), made.
 */
static __attribute__((unused)) void
fake_qemu_dirs(const struct profile *p, char *rundir, size_t len)
{
	struct paths_machine	pm;
	char			path[600];

	snprintf(path, sizeof path, "%s/run", test_dir);
	mkdir(path, 0700);
	setenv("XDG_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/state", test_dir);
	setenv("XDG_STATE_HOME", path, 1);
	setenv("XDG_DATA_HOME", test_dir, 1);
	assert_int_equal(paths_machine(p->name, p->dir, p->file, &pm), 0);
	snprintf(rundir, len, "%s", pm.runtime);
	paths_machine_free(&pm);
	paths_mkdirs(rundir, 0700);
}

/* Fork: the child's pid in the parent once it holds the lock; 0 in it. */
static __attribute__((unused)) pid_t
fake_qemu_fork(const char *rundir, int *ready)
{
	struct flock	 fl;
	char		 path[700], c;
	pid_t		 pid;
	int		 fd, p[2];

	paths_mkdirs(rundir, 0700);
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) != 0) {
		close(p[1]);
		assert_int_equal(read(p[0], &c, 1), 1);
		close(p[0]);
		return pid;
	}
	close(p[0]);
	*ready = p[1];
	snprintf(path, sizeof path, "%s/qemu.pid", rundir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	if (fd == -1 || fcntl(fd, F_OFD_SETLK, &fl) != 0)
		_exit(1);
	dprintf(fd, "%ld\n", (long)getpid());
	return 0;
}

/* The child listens on rundir/name. */
static __attribute__((unused)) int
fake_qemu_listen(const char *rundir, const char *name)
{
	struct sockaddr_un	sun;
	int			l;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(rundir) + 1 + strlen(name) >= sizeof sun.sun_path)
		_exit(1);
	memcpy(sun.sun_path, rundir, strlen(rundir));
	sun.sun_path[strlen(rundir)] = '/';
	memcpy(sun.sun_path + strlen(rundir) + 1, name, strlen(name) + 1);
	unlink(sun.sun_path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l == -1 || bind(l, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(l, 4) != 0)
		_exit(1);
	return l;
}

/* The child is ready: the parent goes on. */
static __attribute__((unused)) void
fake_qemu_ready(int ready)
{
	if (write(ready, "r", 1) != 1)
		_exit(1);
	close(ready);
}

#endif
