/*
 * launch: starting a machine. The launch script (the very text that
 * --print-script prints) is written to the runtime folder and run by
 * /bin/sh under a new pty, whose master the caller relays or shows.
 */
#ifndef VMTUI_LAUNCH_H
#define VMTUI_LAUNCH_H

#include <sys/ioctl.h>
#include <sys/types.h>

#include "plan.h"

struct launch {
	pid_t	 pid;		/* sh, then QEMU: the script execs it */
	int	 master;	/* the pty */
	int	 log;		/* the console log, append only */
	char	*script;	/* where the script was written */
	char	*log_path;
};

int	launch_start(const struct plan *, const struct winsize *,
	    struct launch *, char **);
int	launch_log(struct launch *, const void *, size_t);
int	launch_status(int);
void	launch_close(struct launch *);

#endif
