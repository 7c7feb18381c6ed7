/*
 * rfb: connect to a unix socket and print the first line the server sends
 * (a VNC server's "RFB 003.008"), for the display tests. Exit 1 when the
 * socket does not answer within five seconds.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	char			 buf[64];
	ssize_t			 n;
	size_t			 len = 0;
	int			 fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "usage: rfb SOCKET\n");
		return 2;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		perror(argv[1]);
		return 1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (len < sizeof buf - 1 && memchr(buf, '\n', len) == NULL) {
		if (poll(&pfd, 1, 5000) != 1 ||
		    (n = read(fd, buf + len, sizeof buf - 1 - len)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (len == 0)
		return 1;
	fputs(buf, stdout);
	return memchr(buf, '\n', len) != NULL ? 0 : 1;
}
