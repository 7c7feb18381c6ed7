/*
 * ready: when a guest's sshd is up, read from its serial console. The
 * guest's init says so on the console as it starts the service (systemd's
 * status line "Started ssh.service ...", OpenRC's "Starting sshd ...
 * [ ok ]"); vmtui reads the console log QEMU writes, from where this boot
 * began, and knows the moment the line is whole. A guest whose console
 * says nothing (a "quiet" kernel command line) is found by its sshd's
 * version line instead (guestssh_answers).
 *
 * For a front end (the launch view): ready_open() once the machine is
 * started, ready_poll() on each tick (it reads only what is new, never
 * blocks), ready_close(); 1 from ready_poll() means sshd is up and
 * guestssh_argv() gives the command that logs in.
 */
#ifndef VMTUI_READY_H
#define VMTUI_READY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The longest console line looked at; a longer one is skipped whole. */
#define READY_LINE_MAX	512

/* The scanner: a line at a time, in bounded memory. */
struct ready_scan {
	char	line[READY_LINE_MAX];
	size_t	len;
	bool	overlong;	/* the line went past the most: skipped */
	bool	found;
};

/* The console log of a running machine, followed. */
struct ready {
	int			fd;	/* the log, or -1 */
	off_t			off;	/* read up to here */
	struct ready_scan	scan;
};

void	ready_scan_init(struct ready_scan *);
bool	ready_scan_feed(struct ready_scan *, const char *, size_t);
bool	ready_line(const char *, size_t);
struct profile;

int	ready_open(const struct profile *, struct ready *, char **);
int	ready_poll(struct ready *);
void	ready_close(struct ready *);

#endif
