/*
 * fuzzutil: what the fuzz targets share: an exact-size copy of some bytes
 * (no NUL after them, so ASan sees a read past their end), a text repeated
 * to a size and a check that a reader's time grows linearly with it,
 * every 64th run (where that costs), and the check that a cause says
 * FILE: on each of its lines.
 */
#ifndef VMTUI_FUZZUTIL_H
#define VMTUI_FUZZUTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* len bytes of s in a block of exactly len bytes (1 when len is 0). */
static __attribute__((unused)) char *
fuzz_exact(const char *s, size_t len)
{
	char	*c = malloc(len > 0 ? len : 1);

	if (c == NULL)
		abort();
	memcpy(c, s, len);
	return c;
}

/* text repeated to at least size bytes, NUL-terminated; NULL when empty. */
static __attribute__((unused)) char *
fuzz_repeat(const char *text, size_t size)
{
	size_t	len = strlen(text), n = 0;
	char	*big;

	if (len == 0)
		return NULL;
	if ((big = malloc(size + len + 1)) == NULL)
		abort();
	while (n < size) {
		memcpy(big + n, text, len);
		n += len;
	}
	big[n] = '\0';
	return big;
}

/* Whether this run is one of every 64th (for the costly checks). */
static __attribute__((unused)) bool
fuzz_sampled(void)
{
	static unsigned	runs;

	return runs++ % 64 == 0;
}

/*
 * Microseconds of CPU that run(text, arg) takes (CPU time: a loaded
 * machine preempts, but does not make the work longer), the least of
 * three tries.
 */
static __attribute__((unused)) long long
fuzz_time(void (*run)(const char *, void *), const char *text, void *arg)
{
	struct timespec	a, b;
	long long	us, best = -1;
	int		i;

	for (i = 0; i < 3; i++) {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		run(text, arg);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		us = (b.tv_sec - a.tv_sec) * 1000000LL +
		    (b.tv_nsec - a.tv_nsec) / 1000;
		if (best == -1 || us < best)
			best = us;
	}
	return best;
}

/*
 * run's time grows linearly with its input: text repeated to 1 MiB may
 * take about 4 times what 256 KiB of it takes, not 16 (quadratic). CPU
 * time, timed against each other; judged only where the larger takes
 * 50 ms or more (below that, the noise of caches and page faults).
 */
static __attribute__((unused)) void
fuzz_linear(void (*run)(const char *, void *), const char *text, void *arg)
{
	char		*small, *big;
	long long	 ts, tb;

	if ((small = fuzz_repeat(text, 256 << 10)) == NULL)
		return;
	big = fuzz_repeat(text, 1 << 20);
	ts = fuzz_time(run, small, arg);
	tb = fuzz_time(run, big, arg);
	if (tb >= 50000 && tb > 10 * ts) {
		fprintf(stderr, "not linear: 256 KiB in %lld us, 1 MiB in "
		    "%lld us\n", ts, tb);
		abort();
	}
	free(small);
	free(big);
}

/* Every line of cause starts with file and a colon: "FILE:LINE: ...". */
static __attribute__((unused)) void
fuzz_said(const char *cause, const char *file)
{
	const char	*line;
	size_t		 n = strlen(file);

	if (cause == NULL)
		abort();
	for (line = cause; line != NULL; line = strchr(line, '\n') != NULL ?
	    strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, file, n) != 0 || line[n] != ':') {
			fprintf(stderr, "not FILE:LINE: %s\n", line);
			abort();
		}
}

#endif
