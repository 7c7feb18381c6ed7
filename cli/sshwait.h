/*
 * sshwait: waiting on the command line for a cloud-init machine's sshd.
 */
#ifndef VMTUI_SSHWAIT_H
#define VMTUI_SSHWAIT_H

#include "guestssh.h"
#include "profile.h"

int	sshwait_ready(const struct profile *, const struct guestssh_target *,
	    long);

#endif
