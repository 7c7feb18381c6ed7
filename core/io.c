/*
 * io: io_write_all() writes every byte or says why not (errno set): a
 * write() may take less than it was given, or be interrupted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
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

/*
 * The file at path as a NUL-terminated string in *text, at most max
 * bytes; 0, or -1 and why. A NUL inside it is refused: text has none.
 */
int
io_read_file(const char *path, size_t max, char **text, char **cause)
{
	struct buf	 b;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd;

	*text = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return diag_cause(cause, "%s: %s", path, strerror(errno));
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || b.len + (size_t)n > max ||
		    memchr(chunk, '\0', (size_t)n) != NULL) {
			diag_cause(cause, "%s: %s", path, n == -1 ?
			    strerror(errno) : b.len + (size_t)n > max ?
			    "too big" : "not text (a NUL byte)");
			close(fd);
			buf_free(&b);
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	if ((*text = buf_finish(&b, NULL)) == NULL)
		return diag_cause(cause, "out of memory");
	return 0;
}
