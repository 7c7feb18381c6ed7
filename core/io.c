/*
 * io: io_write_all() writes every byte or says why not (errno set): a
 * write() may take less than it was given, or be interrupted.
 */
#include "config.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "io.h"

int
io_write_all(int fd, const void *p, size_t n)
{
	const char	*s = p;
	ssize_t		 w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Milliseconds on the monotonic clock: for deadlines and timers. */
long
io_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}
