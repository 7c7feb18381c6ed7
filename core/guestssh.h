/*
 * guestssh: reaching a cloud-init machine's sshd from the host: the
 * forward to its port 22, whether sshd answers there yet, and the ssh
 * command that logs in as its user with its keys, the host key pinned.
 */
#ifndef VMTUI_GUESTSSH_H
#define VMTUI_GUESTSSH_H

#include "profile.h"
#include "strv.h"

/* Where the host reaches the guest's port 22. */
struct guestssh_target {
	char	address[16];	/* IPv4; 127.0.0.1 for a forward on 0.0.0.0 */
	long	port;
};

int	guestssh_target(const struct profile *, struct guestssh_target *,
	    char **);
int	guestssh_answers(const struct guestssh_target *, int);

/* What guestssh_wait() says while it waits: nonzero stops the wait. */
typedef int (*guestssh_tick)(void *, long);

#define GUESTSSH_LOOK_MS	50	/* between two reads of the console */
#define GUESTSSH_PROBE_MS	1000	/* between two knocks on sshd */

int	guestssh_wait(const struct profile *, const struct guestssh_target *,
	    long, guestssh_tick, void *, int *, char **);
int	guestssh_argv(const struct profile *, const struct guestssh_target *,
	    char *const *, int, struct strv *, char **);

#endif
