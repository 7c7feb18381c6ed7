/*
 * hotplug: disks attached to a running machine and taken away from it.
 */
#ifndef VMTUI_HOTPLUG_H
#define VMTUI_HOTPLUG_H

#include "profile.h"

struct qmp;
struct strv;

/* How long the guest has to let go of a disk taken away (PCIe waits 5 s). */
#define HOTPLUG_DETACH_MS	20000

/* What hotplug_port found. */
#define HOTPLUG_NO_PORTS	1	/* the machine has none (started before) */
#define HOTPLUG_PORTS_FULL	2	/* every one holds a device */

int	 hotplug_port(struct qmp *, int *, char **);
int	 hotplug_attach(struct qmp *, const struct profile *, size_t, int,
	     char **);
int	 hotplug_detach(struct qmp *, const char *, int, char **);
int	 hotplug_devices(struct qmp *, struct strv *, char **);
void	 hotplug_reap(struct qmp *);

#endif
