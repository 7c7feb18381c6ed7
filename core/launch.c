/*
 * launch: runs a plan's launch script under a pty. The script is rendered
 * by script_render() -- the same text --print-script prints -- and written
 * to the runtime folder (mode 0700, which must be ours), then /bin/sh runs
 * it as the child of forkpty(); it execs QEMU, so the child's pid and exit
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
#include "script.h"

/* mkdir -p with mode for the folders it makes. */
static int
launch_mkdirs(const char *path, mode_t mode)
{
	char	*copy, *p;
	int	 r = 0;

	if ((copy = strdup(path)) == NULL)
		return -1;
	for (p = copy + 1; r == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, mode) != 0 && errno != EEXIST)
			r = -1;
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return r;
}

static int
launch_fail(char **cause, const char *what, const char *path, int err)
{
	if (asprintf(cause, "%s %s: %s", what, path, strerror(err)) < 0)
		*cause = NULL;
	return -1;
}

int
launch_start(const struct plan *pl, const struct winsize *ws,
    struct launch *l, char **cause)
{
	struct termios	 tio;
	struct stat	 st;
	char		*text;
	int		 err;

	memset(&tio, 0, sizeof tio);
	memset(l, 0, sizeof *l);
	l->master = l->log = -1;

	if (launch_mkdirs(pl->runtime_dir, 0700) != 0)
		return launch_fail(cause, "cannot make", pl->runtime_dir,
		    errno);
	if (lstat(pl->runtime_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid()) {
		if (asprintf(cause, "%s is not a folder of yours; remove it, "
		    "or set XDG_RUNTIME_DIR", pl->runtime_dir) < 0)
			*cause = NULL;
		return -1;
	}
	chmod(pl->runtime_dir, 0700);

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
	err = atomic_write(l->script, text, strlen(text), NULL, NULL, cause);
	free(text);
	if (err != 0) {
		launch_close(l);
		return -1;
	}
	chmod(l->script, 0700);

	if (launch_mkdirs(pl->state_dir, 0700) != 0 ||
	    asprintf(&l->log_path, "%s/console.log", pl->state_dir) < 0 ||
	    (l->log = open(l->log_path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) == -1) {
		launch_fail(cause, "cannot open the console log in",
		    pl->state_dir, errno);
		launch_close(l);
		return -1;
	}

	/* raw: bytes pass as they are (no \r\r\n), QEMU's mux sees Ctrl-a */
	cfmakeraw(&tio);
	l->pid = forkpty(&l->master, NULL, &tio, ws);
	if (l->pid == -1) {
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
		execl("/bin/sh", "sh", l->script, (char *)NULL);
		dprintf(STDERR_FILENO, "vmtui: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
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
