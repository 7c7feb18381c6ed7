/*
 * machine: a machine's life as the command line and the launch view both
 * need it: start (the pre-flight, then the launch script in the
 * background) and stop (the session's policy: the power button, a
 * timeout, QMP's quit, SIGKILL for a QEMU that answers nothing). What
 * happens on the way is told through a callback: core prints nothing.
 */
#ifndef VMTUI_MACHINE_H
#define VMTUI_MACHINE_H

#include <stdbool.h>
#include <sys/types.h>

#include "launch.h"
#include "plan.h"
#include "profile.h"

/* Progress of a stop, for the caller to show: one line, no newline. */
typedef void (*machine_say_cb)(void *, const char *);

int	machine_start(const struct profile *, const struct plan *,
	    struct launch *, char **, char **);
int	machine_stop(const struct profile *, int, bool, machine_say_cb,
	    void *, char **);

#endif
