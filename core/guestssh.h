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
int	guestssh_argv(const struct profile *, const struct guestssh_target *,
	    char *const *, int, struct strv *, char **);

#endif
