/*
 * launch: runs a plan's launch script under a pty. The script is rendered
 * by script_render() -- the same text --print-script prints -- and written
 * to the runtime folder (mode 0700, which must be ours), then /bin/sh runs
 * it, from an fd opened on the file just written (no name to swap), as the
 * child of forkpty(); it execs QEMU, so the child's pid and exit
 * status are QEMU's. Every byte the machine writes is meant for the console
 * log too: launch_log() appends it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "atomic.h"
#include "io.h"
#include "launch.h"
#include "paths.h"
#include "script.h"

static int
launch_fail(char **cause, const char *what, const char *path, int err)
{
	if (asprintf(cause, "%s %s: %s", what, path, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

/*
 * The console log: in a state folder of ours, never through a symlink
 * (one planted there would have the guest's console appended to any file
 * this user may write).
 */
static int
launch_open_log(const struct plan *pl, struct launch *l, char **cause)
{
	struct stat	st;

	if (paths_mkdirs(pl->state_dir, 0700) != 0)
		return launch_fail(cause, "cannot make", pl->state_dir, errno);
	if (lstat(pl->state_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid()) {
		if (asprintf(cause, "%s is not a folder of yours; remove it",
		    pl->state_dir) < 0)
			*cause = NULL;
		return -1;
	}
	if (asprintf(&l->log_path, "%s/console.log", pl->state_dir) < 0) {
		*cause = strdup("out of memory");
		return -1;
	}
	l->log = open(l->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NONBLOCK, 0600);
	if (l->log == -1 && errno == ELOOP) {
		if (asprintf(cause, "%s is a symlink; vmtui does not write the "
		    "console through it: remove it", l->log_path) < 0)
			*cause = NULL;
		return -1;
	}
	if (l->log == -1)
		return launch_fail(cause, "cannot open the console log",
		    l->log_path, errno);
	if (fstat(l->log, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		if (asprintf(cause, "%s is not a file of yours; remove it",
		    l->log_path) < 0)
			*cause = NULL;
		return -1;
	}
	(void)fcntl(l->log, F_SETFL, O_APPEND);	/* blocking again */
	return 0;
}

int
launch_start(const struct plan *pl, const struct winsize *ws,
    struct launch *l, char **cause)
{
	static const struct atomic_opts script_opts = { ATOMIC_MODE, 0700,
	    NULL, NULL, NULL };
	struct termios	 tio;
	struct stat	 st;
	char		*text, fdpath[32];
	int		 err, script_fd = -1;

	memset(&tio, 0, sizeof tio);
	memset(l, 0, sizeof *l);
	l->master = l->log = -1;

	if (paths_runtime_check(1, cause) != 0)
		return -1;
	if (paths_mkdirs(pl->runtime_dir, 0700) != 0)
		return launch_fail(cause, "cannot make", pl->runtime_dir,
		    errno);
	if (lstat(pl->runtime_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid()) {
		if (asprintf(cause, "%s is not a folder of yours; remove it, "
		    "or set XDG_RUNTIME_DIR", pl->runtime_dir) < 0)
			*cause = NULL;
		return -1;
	}
	(void)chmod(pl->runtime_dir, 0700);

	if ((text = script_render(pl)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (asprintf(&l->script, "%s/run-%s-vm", pl->runtime_dir,
	    pl->name) < 0) {
		free(text);
		*cause = strdup("out of memory");
		return -1;
	}
	err = atomic_write(l->script, text, strlen(text), &script_opts,
	    cause);
	free(text);
	if (err != 0) {
		launch_close(l);
		return -1;
	}
	/* sh reads the very file written: an fd, not a name to swap */
	if ((script_fd = open(l->script, O_RDONLY | O_NOFOLLOW)) == -1 ||
	    fstat(script_fd, &st) != 0 || st.st_uid != geteuid()) {
		launch_fail(cause, "cannot open the launch script",
		    l->script, errno);
		if (script_fd != -1)
			close(script_fd);
		launch_close(l);
		return -1;
	}

	if (launch_open_log(pl, l, cause) != 0) {
		close(script_fd);
		launch_close(l);
		return -1;
	}

	/* raw: bytes pass as they are (no \r\r\n), QEMU's mux sees Ctrl-a */
	cfmakeraw(&tio);
	l->pid = forkpty(&l->master, NULL, &tio, ws);
	if (l->pid == -1) {
		close(script_fd);
		launch_fail(cause, "cannot make a pty for", pl->name, errno);
		launch_close(l);
		return -1;
	}
	if (l->pid == 0) {
		/* the child: default signals, then the script */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", script_fd);
		execl("/bin/sh", "sh", fdpath, (char *)NULL);
		dprintf(STDERR_FILENO, "vmtui: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	close(script_fd);
	fcntl(l->master, F_SETFD, FD_CLOEXEC);
	return 0;
}

/* Append to the console log. */
int
launch_log(struct launch *l, const void *p, size_t n)
{
	if (l->log == -1)
		return 0;
	return io_write_all(l->log, p, n);
}

/* A wait status as an exit status: the code, or 128 + the signal. */
int
launch_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

void
launch_close(struct launch *l)
{
	if (l->master != -1)
		close(l->master);
	if (l->log != -1)
		close(l->log);
	free(l->script);
	free(l->log_path);
	l->master = l->log = -1;
	l->script = l->log_path = NULL;
}
