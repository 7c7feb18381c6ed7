/*
 * attach: a view of a running machine. The screen comes from the console
 * log, which QEMU writes every console byte to: read from where this boot
 * began (or its last part), then followed as it grows. Keys go in through
 * the console socket, whose own output is drained and counted, not shown:
 * QEMU writes each byte to the socket, then to the log, so the socket
 * says when and by how much the log grows. One view at a time: the
 * attached one holds a lock in the runtime folder.
 */
#ifndef VMTUI_ATTACH_H
#define VMTUI_ATTACH_H

#include <stdbool.h>
#include <sys/types.h>

/* How much of the log an attach replays at most. */
#define ATTACH_REPLAY	(256 * 1024)

struct attach {
	int	 log;		/* the console log, read on from here */
	int	 old;		/* console.log.1 after a cut, read first */
	int	 sock;		/* the console socket; -1 until it answers */
	int	 lock;		/* the "attached" lock in the runtime folder */
	bool	 closed;	/* the socket was closed by QEMU */
	size_t	 due;		/* bytes the socket had that the log has not */
	long	 due_since;	/* ms: since when */
	char	*sock_path;
	char	*log_path;
};

struct profile;

int	 attach_open(const struct profile *, struct attach *, char **);
int	 attach_connect(struct attach *);
ssize_t	 attach_read(struct attach *, void *, size_t);
int	 attach_send(struct attach *, const void *, size_t);
void	 attach_events(struct attach *);
int	 attach_wait(const struct attach *);
void	 attach_close(struct attach *);

#endif
