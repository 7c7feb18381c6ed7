/*
 * rfb: connect to a VNC server (a unix socket path, or HOST:PORT) and print
 * its greeting ("RFB 003.008"); with -t, answer it and print the security
 * types it offers, as numbers (1: none, 2: a VNC password). For the
 * display tests. Exit 1 when it does not answer within five seconds.
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

int
main(int argc, char **argv)
{
	unsigned char	 buf[256], n;
	int		 fd, types = 0, i;

	if (argc == 3 && strcmp(argv[1], "-t") == 0)
		types = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: rfb [-t] SOCKET|HOST:PORT\n");
		return 2;
	}
	if ((fd = rfb_connect(argv[argc - 1])) == -1) {
		perror(argv[argc - 1]);
		return 1;
	}
	if (rfb_read(fd, buf, 12) != 0 || buf[11] != '\n')
		return 1;
	buf[12] = '\0';
	if (!types) {
		fputs((char *)buf, stdout);
		close(fd);
		return 0;
	}
	if (write(fd, "RFB 003.008\n", 12) != 12 || rfb_read(fd, &n, 1) != 0 ||
	    n == 0 || rfb_read(fd, buf, n) != 0)
		return 1;
	for (i = 0; i < n; i++)
		printf("%s%d", i ? " " : "", buf[i]);
	putchar('\n');
	close(fd);
	return 0;
}
