/*
 * runtime: QEMU locks its -pidfile (an open file description lock) while it
 * runs and writes its pid there. A lock, unlike a pid that "kill -0"
 * answers for, cannot outlive the process or be mistaken for another one.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "qmp.h"
#include "runtime.h"

char *
runtime_file(const char *name, const char *file)
{
	char	*dir, *s;

	if ((dir = paths_runtime_dir(name)) == NULL)
		return NULL;
	if (asprintf(&s, "%s/%s", dir, file) < 0)
		s = NULL;
	free(dir);
	return s;
}

/* 1 when the machine runs (its pid in *pid), 0 when not. */
int
runtime_running(const char *name, pid_t *pid)
{
	struct flock	 fl;
	char		*path, buf[32];
	ssize_t		 n;
	int		 fd, running = 0;

	*pid = 0;
	if ((path = runtime_file(name, "qemu.pid")) == NULL)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd == -1)
		return 0;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
		running = 1;
		n = read(fd, buf, sizeof buf - 1);
		if (n > 0) {
			buf[n] = '\0';
			*pid = (pid_t)strtol(buf, NULL, 10);
		}
	}
	close(fd);
	return running;
}

/* What a crashed run left behind: only when nothing runs. */
void
runtime_clean_stale(const char *name)
{
	static const char *const files[] = { "qemu.pid", "qmp.sock",
	    "qga.sock" };
	pid_t	pid;
	size_t	i;
	char	*path;

	if (runtime_running(name, &pid))
		return;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if ((path = runtime_file(name, files[i])) == NULL)
			continue;
		(void)unlink(path);
		free(path);
	}
}

/*
 * "stopped", or "running" with what QMP says ("running (paused)"); a
 * machine whose pidfile is locked but whose QMP does not answer is
 * "running (no QMP answer)".
 */
char *
runtime_describe(const char *name)
{
	struct qmp	*q;
	char		*sock, *status = NULL, *cause = NULL, *s;
	pid_t		 pid;
	int		 r;

	if (!runtime_running(name, &pid))
		return strdup("stopped");
	sock = runtime_file(name, "qmp.sock");
	if (sock != NULL && qmp_open(sock, 1000, &q, &cause) == 0) {
		if (qmp_status(q, &status, &cause) != 0)
			status = NULL;
		qmp_close(q);
	}
	free(cause);
	free(sock);
	if (status == NULL)
		r = asprintf(&s, "running (pid %ld, no QMP answer)", (long)pid);
	else if (strcmp(status, "running") == 0)
		r = asprintf(&s, "running (pid %ld)", (long)pid);
	else
		r = asprintf(&s, "running (pid %ld, %s)", (long)pid, status);
	free(status);
	return r < 0 ? NULL : s;
}
