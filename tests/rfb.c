/*
 * rfb: connect to a VNC server (a unix socket path, or HOST:PORT) and print
 * its greeting ("RFB 003.008"); with -t, answer it and print the security
 * types it offers, as numbers (1: none, 2: a VNC password); with -n, ask
 * for security type None whatever it offers (as anyone on the host could)
 * and print "none accepted" (exit 0) or "none refused" and the server's
 * reason (exit 3). For the display tests. Exit 1 when it does not answer
 * within five seconds.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Read exactly n bytes, or fail after five seconds. */
static int
rfb_read(int fd, unsigned char *buf, size_t n)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	ssize_t		r;
	size_t		len = 0;

	while (len < n) {
		if (poll(&pfd, 1, 5000) != 1 ||
		    (r = read(fd, buf + len, n - len)) <= 0)
			return -1;
		len += (size_t)r;
	}
	return 0;
}

static int
rfb_connect(const char *where)
{
	struct sockaddr_un	 sun;
	struct sockaddr_in	 sin;
	const char		*colon = strrchr(where, ':');
	char			 host[64];
	int			 fd;

	if (*where == '/') {
		if (strlen(where) >= sizeof sun.sun_path)
			return -1;
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		strcpy(sun.sun_path, where);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1)
			return -1;
		return fd;
	}
	if (colon == NULL || (size_t)(colon - where) >= sizeof host)
		return -1;
	snprintf(host, sizeof host, "%.*s", (int)(colon - where), where);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1)
		return -1;
	return fd;
}

/*
 * Ask for security type None (RFB 3.8): the server answers with its
 * SecurityResult, 0 when it lets the client in, else a failure and why.
 */
static int
rfb_none(int fd)
{
	unsigned char	result[4], len[4], reason[256];
	unsigned long	n;

	if (write(fd, "\1", 1) != 1 || rfb_read(fd, result, 4) != 0)
		return 1;
	if (memcmp(result, "\0\0\0\0", 4) == 0) {
		printf("none accepted\n");
		return 0;
	}
	printf("none refused");
	if (rfb_read(fd, len, 4) == 0) {
		n = (unsigned long)len[0] << 24 | (unsigned long)len[1] << 16 |
		    (unsigned long)len[2] << 8 | len[3];
		if (n >= sizeof reason)
			n = sizeof reason - 1;
		if (rfb_read(fd, reason, n) == 0) {
			reason[n] = '\0';
			printf(": %s", reason);
		}
	}
	putchar('\n');
	return 3;
}

int
main(int argc, char **argv)
{
	unsigned char	 buf[256], n;
	int		 fd, types = 0, none = 0, i;

	if (argc == 3 && strcmp(argv[1], "-t") == 0)
		types = 1;
	else if (argc == 3 && strcmp(argv[1], "-n") == 0)
		none = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: rfb [-t | -n] SOCKET|HOST:PORT\n");
		return 2;
	}
	if ((fd = rfb_connect(argv[argc - 1])) == -1) {
		perror(argv[argc - 1]);
		return 1;
	}
	if (rfb_read(fd, buf, 12) != 0 || buf[11] != '\n')
		return 1;
	buf[12] = '\0';
	if (!types && !none) {
		fputs((char *)buf, stdout);
		close(fd);
		return 0;
	}
	if (write(fd, "RFB 003.008\n", 12) != 12 || rfb_read(fd, &n, 1) != 0 ||
	    n == 0 || rfb_read(fd, buf, n) != 0)
		return 1;
	if (none) {
		i = rfb_none(fd);
		close(fd);
		return i;
	}
	for (i = 0; i < n; i++)
		printf("%s%d", i ? " " : "", buf[i]);
	putchar('\n');
	close(fd);
	return 0;
}
