/*
 * fakeguest: stands in for QEMU in bench/pane. It writes a file to its
 * terminal as fast as the terminal takes it, and meanwhile notes when each
 * byte typed at it arrives (CLOCK_REALTIME, ns), one line each in the
 * file named by FAKEGUEST_KEYS. Then it waits to be killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static char	 buf[65536];
	struct pollfd	 pfd[2];
	struct timespec	 ts;
	const char	*keys = getenv("FAKEGUEST_KEYS");
	FILE		*k = keys != NULL ? fopen(keys, "a") : NULL;
	size_t		 off = 0, len = 0;
	ssize_t		 n;
	int		 fd, done = 0;
	char		 c;

	/* QEMU's arguments follow the file: ignored */
	if (argc < 2 || (fd = open(argv[1], O_RDONLY)) == -1) {
		fprintf(stderr, "usage: fakeguest FILE\n");
		return 2;
	}
	fcntl(STDOUT_FILENO, F_SETFL, O_NONBLOCK);
	for (;;) {
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = done ? -1 : STDOUT_FILENO;
		pfd[1].events = POLLOUT;
		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			return 1;
		if (pfd[0].revents & POLLIN) {
			if (read(STDIN_FILENO, &c, 1) == 1 && k != NULL) {
				clock_gettime(CLOCK_REALTIME, &ts);
				fprintf(k, "%lld\n", (long long)ts.tv_sec *
				    1000000000LL + ts.tv_nsec);
				fflush(k);
			}
		}
		if (!done && (pfd[1].revents & POLLOUT)) {
			if (off == len) {
				n = read(fd, buf, sizeof buf);
				if (n <= 0) {
					done = 1;
					continue;
				}
				off = 0;
				len = (size_t)n;
			}
			n = write(STDOUT_FILENO, buf + off, len - off);
			if (n > 0)
				off += (size_t)n;
		}
	}
}
