/*
 * qmp: a client for QEMU's machine protocol on a unix socket: commands
 * with their arguments, each reply matched to its command by id, events
 * kept for the caller, every message read with a JSON library (jansson).
 */
#ifndef VMTUI_QMP_H
#define VMTUI_QMP_H

#include <stdbool.h>
#include <stddef.h>

struct json_t;
struct qmp;

/* How much of QEMU's output is held at most while a message is read. */
#define QMP_MAX_MESSAGE	(1024 * 1024)
#define QMP_MAX_EVENTS	64	/* events kept unread; older ones go */

int	 qmp_open(const char *, int, struct qmp **, char **);
struct qmp *qmp_new_fd(int, int);
void	 qmp_set_timeout(struct qmp *, int);
int	 qmp_run(struct qmp *, const char *, struct json_t *,
	     struct json_t **, char **);
int	 qmp_execute(struct qmp *, const char *, char **);
int	 qmp_hmp(struct qmp *, const char *, char **, char **);
int	 qmp_hostfwd(struct qmp *, const char *, bool, const char *,
	     char **);
int	 qmp_status(struct qmp *, char **, char **);
int	 qmp_wait_closed(struct qmp *, int);
int	 qmp_event(struct qmp *, char **);
int	 qmp_event_wait(struct qmp *, const char *, const char *,
	     const char *, int);
int	 qmp_fd(const struct qmp *);
void	 qmp_close(struct qmp *);

#endif
