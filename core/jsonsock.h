/*
 * jsonsock: JSON messages on a unix stream socket, the part the QMP client
 * and the guest agent's share: connecting by a deadline, sending a whole
 * message by a deadline, and reading one JSON value at a time (jansson)
 * as the bytes come, with at most a given number of bytes held.
 */
#ifndef VMTUI_JSONSOCK_H
#define VMTUI_JSONSOCK_H

#include <stdbool.h>
#include <stddef.h>

struct json_t;

/* What the peer sent, not parsed yet. */
struct jsonsock {
	int	 fd;
	size_t	 max;		/* bytes held at most: a longer message ends it */
	int	 stop;		/* a byte that garbage is dropped up to, or -1 */
	char	*in;
	size_t	 inlen, inroom;
	bool	 fresh;		/* the first value may be whole: parse it */
	size_t	 scanned;	/* bytes of the first value looked at */
	int	 depth;		/* its nesting there */
	bool	 instr, esc;	/* in a string there; after a backslash */
	bool	 eof;		/* the peer closed */
};

#define JSONSOCK_STOP	2	/* jsonsock_read: the stop byte is next */

int	 jsonsock_connect(const char *, long, int *);
void	 jsonsock_init(struct jsonsock *, int, size_t, int);
int	 jsonsock_send(int, const void *, size_t, long);
int	 jsonsock_send_json(int, struct json_t *, long);
int	 jsonsock_command(int, const char *, long long, struct json_t *,
	     long);
int	 jsonsock_answer(struct json_t *, struct json_t **, const char *,
	     const char *, char **);
int	 jsonsock_read(struct jsonsock *, long, struct json_t **);
int	 jsonsock_skip(struct jsonsock *, long);
void	 jsonsock_free(struct jsonsock *);

#endif
