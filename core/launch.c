/*
 * launch: starts a plan's launch script in the background. The script is
 * rendered by script_render() -- the same text --print-script prints --
 * and written to the runtime folder (mode 0700, which must be ours), then
 * /bin/sh runs it, from an fd opened on the file just written (no name to
 * swap), with VMTUI_BACKGROUND=1, in a session of its own with no
 * terminal; it execs QEMU, so the child's pid and exit status are QEMU's.
 * QEMU writes the serial console to the console log itself, and what the
 * script and QEMU print goes there too: nothing is lost when the vmtui
 * that started the machine goes away.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic.h"
#include "io.h"
#include "launch.h"
#include "logcap.h"
#include "settings.h"
#include "paths.h"
#include "qmp.h"
#include "script.h"

/* A file in the runtime folder the script was written to. */
static char *
launch_runfile(const struct launch *l, const char *file)
{
	const char	*slash = strrchr(l->script, '/');
	char		*s;

	if (asprintf(&s, "%.*s/%s", (int)(slash - l->script), l->script,
	    file) < 0)
		return NULL;
	return s;
}

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
	int		fd;

	if (paths_mkdirs(pl->state_dir, 0700) != 0)
		return launch_fail(cause, "cannot make", pl->state_dir, errno);
	if (lstat(pl->state_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid()) {
		if (asprintf(cause, "%s is not a folder of yours; remove it",
		    pl->state_dir) < 0)
			*cause = NULL;
		return -1;
	}
	if (asprintf(&l->log_path, "%s/" PATHS_LOG, pl->state_dir) < 0) {
		l->log_path = NULL;
		*cause = strdup("out of memory");
		return -1;
	}
	/* a log a boot: the last one's to console.log.1 (logcap.c) */
	if (logcap_new_boot(l->log_path, cause) != 0)
		return -1;
	fd = open(l->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd == -1 && errno == ELOOP) {
		if (asprintf(cause, "%s is a symlink; vmtui does not write the "
		    "console through it: remove it", l->log_path) < 0)
			*cause = NULL;
		return -1;
	}
	if (fd == -1)
		return launch_fail(cause, "cannot open the console log",
		    l->log_path, errno);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		if (asprintf(cause, "%s is not a file of yours; remove it",
		    l->log_path) < 0)
			*cause = NULL;
		close(fd);
		return -1;
	}
	(void)fcntl(fd, F_SETFL, O_APPEND);	/* blocking again */
	return fd;
}

/*
 * sh reading script (a /dev/fd path) as the machine's own process: a
 * session of its own (no terminal, no SIGHUP when one closes), signals at
 * their defaults and none blocked, stdin from /dev/null, what the script
 * and QEMU say on stdout and stderr into the console log, and
 * VMTUI_BACKGROUND=1 for the script's background form. posix_spawn: no
 * copy of vmtui's memory is made for the moment before the exec. 0 or an
 * errno.
 */
static int
launch_spawn(pid_t *pid, const char *script, int null_fd, int log_fd)
{
	extern char		**environ;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t	 at;
	sigset_t		 dfl, none;
	char			*argv[] = { "sh", (char *)script, NULL };
	char			**env;
	size_t			 n, i, k;
	int			 err;

	for (n = 0; environ[n] != NULL; n++)
		;
	if ((env = calloc(n + 2, sizeof *env)) == NULL)
		return ENOMEM;
	for (i = k = 0; i < n; i++)
		if (strncmp(environ[i], "VMTUI_BACKGROUND=", 17) != 0)
			env[k++] = environ[i];
	env[k++] = "VMTUI_BACKGROUND=1";
	env[k] = NULL;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGCHLD);
	if ((err = posix_spawn_file_actions_init(&fa)) != 0) {
		free(env);
		return err;
	}
	if ((err = posix_spawnattr_init(&at)) == 0) {
		if ((err = posix_spawn_file_actions_adddup2(&fa, null_fd,
		    STDIN_FILENO)) == 0 &&
		    (err = posix_spawn_file_actions_adddup2(&fa, log_fd,
		    STDOUT_FILENO)) == 0 &&
		    (err = posix_spawn_file_actions_adddup2(&fa, log_fd,
		    STDERR_FILENO)) == 0 &&
		    (err = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID |
		    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) == 0 &&
		    (err = posix_spawnattr_setsigdefault(&at, &dfl)) == 0 &&
		    (err = posix_spawnattr_setsigmask(&at, &none)) == 0)
			err = posix_spawn(pid, "/bin/sh", &fa, &at, argv, env);
		posix_spawnattr_destroy(&at);
	}
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	return err;
}

/*
 * Where this boot begins in the console log, for a view that attaches
 * later: it shows the log from there (or its last part).
 */
static void
launch_mark_start(const struct plan *pl, struct launch *l)
{
	static const struct atomic_opts opts = { ATOMIC_MODE | ATOMIC_NOSYNC,
	    0600, NULL, NULL, NULL };
	char	*path, *cause = NULL, text[32];
	int	 n;

	if (asprintf(&path, "%s/" PATHS_LOGSTART, pl->runtime_dir) < 0)
		return;
	n = snprintf(text, sizeof text, "%lld\n", (long long)l->log_start);
	if (atomic_write(path, text, (size_t)n, &opts, &cause) != 0)
		(void)unlink(path);
	free(cause);
	free(path);
}

/*
 * The script an earlier launch wrote to the runtime folder, when it is
 * text exactly (ours, mode 0700, no other link, not a symlink): an fd to
 * it for sh, else -1 and it is written anew. Most launches run what the
 * last one wrote, and replacing a file on a runtime folder on a disk (the
 * /tmp one without XDG_RUNTIME_DIR) waits for the disk: ext4 writes the
 * new file out and frees the old one's blocks before rename() returns.
 */
static int
launch_reuse(const char *path, const char *text)
{
	struct stat	 st;
	size_t		 len = strlen(text), off = 0;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 07777) != 0700 ||
	    st.st_nlink != 1 || (size_t)st.st_size != len) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || (size_t)n > len - off ||
		    memcmp(chunk, text + off, (size_t)n) != 0)
			break;
		off += (size_t)n;
	}
	if (n != 0 || off != len || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The watcher that keeps the console log to console-log-max while the
 * machine runs (logcap.c). vmtui.conf's errors are for the screens to
 * show: a launch takes the default then. A watcher that cannot start
 * leaves the machine running, its log unbounded.
 */
static void
launch_watch(const struct launch *l)
{
	struct settings	 st;
	char		*cause = NULL;
	long		 max;

	(void)settings_load(&st, &cause);
	free(cause);
	max = st.log_max;
	settings_free(&st);
	(void)logcap_watch(l->log_path, max, l->pid, &cause);
	free(cause);
}

int
launch_start(const struct plan *pl, struct launch *l, char **cause)
{
	/* the runtime folder's: a reboot loses it, no fsync needed */
	static const struct atomic_opts script_opts = { ATOMIC_MODE |
	    ATOMIC_NOSYNC, 0700, NULL, NULL, NULL };
	struct stat	 st;
	char		*text, fdpath[32];
	int		 err, script_fd = -1, null_fd, log_fd;

	memset(l, 0, sizeof *l);
	l->pid = -1;

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
		l->script = NULL;
		free(text);
		*cause = strdup("out of memory");
		return -1;
	}
	if ((script_fd = launch_reuse(l->script, text)) != -1)
		err = 0;
	else
		err = atomic_write(l->script, text, strlen(text),
		    &script_opts, cause);
	free(text);
	if (err != 0) {
		launch_close(l);
		return -1;
	}
	/* sh reads the very file written: an fd, not a name to swap */
	if (script_fd == -1 &&
	    ((script_fd = open(l->script, O_RDONLY | O_NOFOLLOW)) == -1 ||
	    fstat(script_fd, &st) != 0 || st.st_uid != geteuid())) {
		launch_fail(cause, "cannot open the launch script",
		    l->script, errno);
		if (script_fd != -1)
			close(script_fd);
		launch_close(l);
		return -1;
	}
	if ((log_fd = launch_open_log(pl, l, cause)) == -1) {
		close(script_fd);
		launch_close(l);
		return -1;
	}
	l->log_start = lseek(log_fd, 0, SEEK_END);
	if (l->log_start < 0)
		l->log_start = 0;
	launch_mark_start(pl, l);
	if ((null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		close(script_fd);
		close(log_fd);
		launch_fail(cause, "cannot open", "/dev/null", errno);
		launch_close(l);
		return -1;
	}

	snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", script_fd);
	err = launch_spawn(&l->pid, fdpath, null_fd, log_fd);
	if (err != 0) {
		launch_fail(cause, "cannot start", pl->name, err);
		close(script_fd);
		close(log_fd);
		close(null_fd);
		launch_close(l);
		return -1;
	}
	close(script_fd);
	close(log_fd);
	close(null_fd);
	launch_watch(l);
	return 0;
}

/*
 * Wait until the machine answers on QMP (0), or the script or QEMU has
 * ended (1, its wait status in *status), or timeout_ms have passed (-1).
 */
int
launch_ready(struct launch *l, int timeout_ms, int *status, char **cause)
{
	struct qmp	*q;
	char		*sock, *why = NULL;
	long		 deadline = io_now_ms() + timeout_ms;
	int		 r;

	if ((sock = launch_runfile(l, PATHS_QMP)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	for (;;) {
		if (waitpid(l->pid, status, WNOHANG) == l->pid) {
			free(sock);
			l->pid = -1;
			return 1;
		}
		if (qmp_open(sock, 1000, &q, &why) == 0) {
			qmp_close(q);
			r = 0;
			break;
		}
		free(why);
		why = NULL;
		if (io_now_ms() >= deadline) {
			if (asprintf(cause, "the machine did not answer on %s "
			    "within %d s", sock, timeout_ms / 1000) < 0)
				*cause = NULL;
			r = -1;
			break;
		}
		usleep(50000);
	}
	free(sock);
	return r;
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

/* Forget the launch; the machine runs on. */
void
launch_close(struct launch *l)
{
	free(l->script);
	free(l->log_path);
	l->script = l->log_path = NULL;
}
