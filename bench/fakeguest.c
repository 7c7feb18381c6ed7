/*
 * fakeguest: stands in for QEMU in bench/pane. It writes a file to its
 * console as fast as the console takes it, and meanwhile notes when each
 * byte typed at it arrives (CLOCK_REALTIME, ns), one line each in the
 * file named by FAKEGUEST_KEYS. Then it waits to be killed.
 *
 * The console is what QEMU's would be: with the launch script's
 * background form (-chardev socket,id=console,path=P,...,logfile=L), a
 * unix socket server at P, every byte appended to L and, while a client
 * is connected, written to it first (QEMU waits for a slow client); else
 * its terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* The value of key= in a QEMU option list (",," is a comma), or NULL. */
static char *
option(const char *list, const char *key)
{
	const char	*p = list;
	size_t		 klen = strlen(key);
	char		*v, *o;

	while (*p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			p += klen + 1;
			if ((v = o = malloc(strlen(p) + 1)) == NULL)
				return NULL;
			for (; *p != '\0'; p++) {
				if (*p == ',' && p[1] == ',')
					p++;
				else if (*p == ',')
					break;
				*o++ = *p;
			}
			*o = '\0';
			return v;
		}
		/* the next option */
		for (; *p != '\0'; p++)
			if (*p == ',' && p[1] != ',')
				break;
			else if (*p == ',')
				p++;
		if (*p == ',')
			p++;
	}
	return NULL;
}

static void
note_key(FILE *k)
{
	struct timespec	ts;

	if (k == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(k, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	fflush(k);
}

int
main(int argc, char **argv)
{
	static char		 buf[65536];
	struct sockaddr_un	 sun;
	struct pollfd		 pfd[3];
	const char		*keys = getenv("FAKEGUEST_KEYS");
	FILE			*k = keys != NULL ? fopen(keys, "a") : NULL;
	char			*path = NULL, *logfile = NULL, c;
	size_t			 off = 0, len = 0;
	ssize_t			 n;
	int			 fd, i, done = 0, srv = -1, cl = -1, log = -1;
	int			 out = STDOUT_FILENO, in = STDIN_FILENO;

	if (argc < 2 || (fd = open(argv[1], O_RDONLY)) == -1) {
		fprintf(stderr, "usage: fakeguest FILE [QEMU's arguments]\n");
		return 2;
	}
	for (i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], "-chardev") == 0 &&
		    strncmp(argv[i + 1], "socket,id=console,", 18) == 0) {
			path = option(argv[i + 1] + 7, "path");
			logfile = option(argv[i + 1] + 7, "logfile");
		}
	if (path != NULL && logfile != NULL) {
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
		unlink(path);
		srv = socket(AF_UNIX, SOCK_STREAM, 0);
		if (srv == -1 || bind(srv, (struct sockaddr *)&sun,
		    sizeof sun) != 0 || listen(srv, 1) != 0 ||
		    (log = open(logfile, O_WRONLY | O_APPEND | O_CREAT,
		    0600)) == -1) {
			perror("fakeguest: console");
			return 1;
		}
		out = in = -1;
	} else
		fcntl(STDOUT_FILENO, F_SETFL, O_NONBLOCK);
	for (;;) {
		if (srv != -1) {
			in = out = cl;
			if (cl == -1 && !done) {
				/* nobody attached: the log alone, as QEMU */
				if (off == len) {
					if ((n = read(fd, buf, sizeof buf)) <= 0)
						done = 1;
					else {
						off = 0;
						len = (size_t)n;
					}
				}
				if (off < len && write(log, buf + off,
				    len - off) > 0)
					off = len;
			}
		}
		pfd[0].fd = in;
		pfd[0].events = POLLIN;
		pfd[1].fd = done ? -1 : out;
		pfd[1].events = POLLOUT;
		pfd[2].fd = srv != -1 && cl == -1 ? srv : -1;
		pfd[2].events = POLLIN;
		if (poll(pfd, 3, srv != -1 && cl == -1 && !done ? 0 : -1) ==
		    -1 && errno != EINTR)
			return 1;
		if ((pfd[2].revents & POLLIN) &&
		    (cl = accept(srv, NULL, NULL)) != -1)
			fcntl(cl, F_SETFL, O_NONBLOCK);
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			n = read(in, &c, 1);
			if (n == 1)
				note_key(k);
			else if (srv != -1 && n == 0) {
				close(cl);
				cl = -1;
				continue;
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
			n = write(out, buf + off, len - off);
			if (n > 0) {
				if (log != -1 && write(log, buf + off,
				    (size_t)n) != n)
					return 1;
				off += (size_t)n;
			}
		}
	}
}
