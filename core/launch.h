/*
 * launch: starting a machine in the background. The launch script (the
 * very text that --print-script prints) is written to the runtime folder
 * and run by /bin/sh with VMTUI_BACKGROUND=1, in a session of its own and
 * away from the terminal: QEMU's serial console is then on a socket and
 * QEMU logs it, so the machine outlives whatever started it.
 */
#ifndef VMTUI_LAUNCH_H
#define VMTUI_LAUNCH_H

#include <sys/types.h>

#include "plan.h"

struct launch {
	pid_t	 pid;		/* sh, then QEMU: the script execs it */
	char	*script;	/* where the script was written */
	char	*log_path;	/* the console log */
	off_t	 log_start;	/* where this boot begins in it */
};

int	launch_start(const struct plan *, struct launch *, char **);
int	launch_ready(struct launch *, int, int *, char **);
int	launch_status(int);
void	launch_close(struct launch *);

#endif
