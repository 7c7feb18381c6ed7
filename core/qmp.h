/*
 * qmp: a small client for QEMU's machine protocol on a unix socket, enough
 * to ask a machine's state and to power it down or quit it.
 */
#ifndef VMTUI_QMP_H
#define VMTUI_QMP_H

struct buf;
struct qmp;

int	 qmp_open(const char *, int, struct qmp **, char **);
int	 qmp_execute(struct qmp *, const char *, char **, char **);
int	 qmp_call(struct qmp *, const char *, const char *, char **, char **);
void	 qmp_json_string(struct buf *, const char *);
int	 qmp_hmp(struct qmp *, const char *, char **, char **);
int	 qmp_status(struct qmp *, char **, char **);
int	 qmp_wait_closed(struct qmp *, int);
int	 qmp_event(struct qmp *, char **);
int	 qmp_fd(const struct qmp *);
void	 qmp_close(struct qmp *);
char	*qmp_reply_field(const char *, const char *);
char	*qmp_reply_number(const char *, const char *);

#endif
