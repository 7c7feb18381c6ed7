/*
 * spawn: run a helper program to its end with stdin from /dev/null, its
 * output in memory (stdout, and stderr too when asked: qemu-img says why
 * it failed there). Core may not print, and a helper's words must not
 * reach a terminal that curses owns, so nothing goes through.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "spawn.h"

/*
 * Run argv[0] (looked up on PATH) with argv; its output (with stderr when
 * with_stderr) in *out, NUL-terminated, its exit status (a wait status'
 * exit code; 127 not found, 128+N killed by N) in *status. 0, or -1 when
 * it could not be run at all.
 */
int
spawn_output(char *const argv[], int with_stderr, char **out, int *status)
{
	struct buf	 b;
	char		 chunk[4096];
	ssize_t		 n;
	pid_t		 pid;
	int		 fd[2], st = 0, devnull;

	*out = NULL;
	*status = -1;
	if (pipe2(fd, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) == -1) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		dup2(fd[1], STDOUT_FILENO);
		if (with_stderr)
			dup2(fd[1], STDERR_FILENO);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			if (!with_stderr)
				dup2(devnull, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	buf_init(&b);
	while ((n = read(fd[0], chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if ((*out = buf_finish(&b, NULL)) == NULL)
		return -1;
	return 0;
}
