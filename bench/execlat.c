/*
 * execlat: how long each command takes until QEMU is started, and in all.
 * QEMU is bench/stamp, which writes the monotonic clock when it starts.
 * The commands run round robin (warm-up rounds first, not counted), each
 * forked and exec'd here with no shell in between; the medians are
 * printed.
 *
 *	execlat RUNS NAME COMMAND [NAME COMMAND]...
 *
 * A COMMAND is split at spaces; its leading VAR=VALUE words are set in the
 * environment of that command only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP	5
#define MAXCMDS	8
#define MAXARGS	64

static long long
now_ns(void)
{
	struct timespec	t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static double
median_ms(long long *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return (n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) /
	    1e6;
}

/* Run one command; its time to the stamp and in all, in ns. */
static int
run(char *const *argv, char *const *env, int nenv, const char *stamp,
    long long *to_exec, long long *total)
{
	long long	 t0, t;
	pid_t		 pid;
	int		 st, i;
	FILE		*f;

	unlink(stamp);
	t0 = now_ns();
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		for (i = 0; i < nenv; i++)
			putenv(env[i]);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	*total = now_ns() - t0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	    (f = fopen(stamp, "r")) == NULL)
		return -1;
	i = fscanf(f, "%lld", &t);
	fclose(f);
	if (i != 1)
		return -1;
	*to_exec = t - t0;
	return 0;
}

int
main(int argc, char **argv)
{
	char		*args[MAXCMDS][MAXARGS], *env[MAXCMDS][MAXARGS];
	const char	*name[MAXCMDS], *stamp = getenv("VMTUI_BENCH_STAMP");
	int		 nenv[MAXCMDS], ncmd = 0, runs, i, k, n;
	long long	*to_exec[MAXCMDS], *total[MAXCMDS];
	char		*w;

	if (argc < 4 || argc % 2 != 0 || (runs = atoi(argv[1])) < 1 ||
	    stamp == NULL) {
		fprintf(stderr, "usage: VMTUI_BENCH_STAMP=FILE execlat RUNS "
		    "NAME COMMAND [NAME COMMAND]...\n");
		return 2;
	}
	for (i = 2; i + 1 < argc && ncmd < MAXCMDS; i += 2, ncmd++) {
		name[ncmd] = argv[i];
		nenv[ncmd] = n = 0;
		for (w = strtok(argv[i + 1], " "); w != NULL && n + 1 <
		    MAXARGS; w = strtok(NULL, " ")) {
			if (n == 0 && strchr(w, '=') != NULL)
				env[ncmd][nenv[ncmd]++] = w;
			else
				args[ncmd][n++] = w;
		}
		args[ncmd][n] = NULL;
		to_exec[ncmd] = calloc((size_t)runs, sizeof **to_exec);
		total[ncmd] = calloc((size_t)runs, sizeof **total);
		if (n == 0 || to_exec[ncmd] == NULL || total[ncmd] == NULL)
			return 2;
	}
	for (i = -WARMUP; i < runs; i++) {
		for (k = 0; k < ncmd; k++) {
			long long a, b;

			if (run(args[k], env[k], nenv[k], stamp, &a, &b) != 0) {
				fprintf(stderr, "execlat: %s failed or never "
				    "started QEMU\n", name[k]);
				return 1;
			}
			if (i >= 0) {
				to_exec[k][i] = a;
				total[k][i] = b;
			}
		}
	}
	for (k = 0; k < ncmd; k++)
		printf("%-34s to QEMU's exec %6.2f ms   in all %6.2f ms\n",
		    name[k], median_ms(to_exec[k], runs),
		    median_ms(total[k], runs));
	return 0;
}
