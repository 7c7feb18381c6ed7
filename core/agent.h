/*
 * agent: a client of the QEMU guest agent (qemu-ga) on a machine's
 * qga.sock: in step with it (guest-sync-delimited) before any reply is
 * believed, each call by one deadline, a guest's small file read whole
 * with a cap.
 */
#ifndef VMTUI_AGENT_H
#define VMTUI_AGENT_H

#include <stdbool.h>
#include <stddef.h>

struct agent;

/* The longest message held while it is read: a guest sends no more. */
#define AGENT_MAX_MESSAGE	(256 * 1024)
/* The bytes one guest-file-read asks for (as base64, a third more). */
#define AGENT_READ_CHUNK	(48 * 1024)

int	 agent_open(const char *, int, struct agent **, char **);
struct agent *agent_new_fd(int, int);
void	 agent_set_timeout(struct agent *, int);
void	 agent_set_sync_id(struct agent *, long long);
int	 agent_sync(struct agent *, char **);
int	 agent_ping(struct agent *, char **);
int	 agent_file_open(struct agent *, const char *, long long *, char **);
int	 agent_file_read(struct agent *, long long, size_t, char **,
	     size_t *, bool *, char **);
int	 agent_file_close(struct agent *, long long, char **);
int	 agent_read_file(struct agent *, const char *, size_t, char **,
	     size_t *, bool *, char **);
int	 agent_reread_file(struct agent *, const char *, long long *, size_t,
	     char **, size_t *, bool *, char **);
bool	 agent_synced(const struct agent *);
size_t	 agent_held(const struct agent *);
int	 agent_fd(const struct agent *);
void	 agent_close(struct agent *);

#endif
