/*
 * io: io_write_all() writes every byte or says why not (errno set): a
 * write() may take less than it was given, or be interrupted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* What a file that is not a plain file is, for a message. */
static const char *
io_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a file";
}

/*
 * The file at path as a NUL-terminated string in *text, at most max
 * bytes; 0, or -1 and why. Only a plain file is read: the open does not
 * wait (a FIFO would wait for a writer for ever), and anything else is
 * refused saying what it is. A NUL inside it is refused: text has none.
 */
int
io_read_file(const char *path, size_t max, char **text, char **cause)
{
	struct buf	 b;
	struct stat	 st;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd;

	*text = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	    O_NOCTTY)) == -1)
		return diag_cause(cause, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		n = errno;
		close(fd);
		return diag_cause(cause, "%s: %s", path, strerror((int)n));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return diag_cause(cause, "%s: not a plain file (%s)", path,
		    io_kind(st.st_mode));
	}
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

/*
 * A small file of ours in a folder of ours (never through a symlink,
 * never waiting on a FIFO): its first line as a number, or -1.
 */
long long
io_read_number(const char *path)
{
	char	buf[32];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}
