/*
 * stamp: a stand-in for QEMU that notes when it was started (the monotonic
 * clock, in ns, into the file $VMTUI_BENCH_STAMP) and exits at once.
 * bench/execlat reads it: the time from a command's start to QEMU's exec.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(void)
{
	struct timespec	 t;
	const char	*path = getenv("VMTUI_BENCH_STAMP");
	FILE		*f;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return 1;
	fprintf(f, "%lld\n", (long long)t.tv_sec * 1000000000LL + t.tv_nsec);
	return fclose(f) == 0 ? 0 : 1;
}
