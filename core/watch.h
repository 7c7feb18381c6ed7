/*
 * watch: the watcher of a machine with auto-forward, a process of its own
 * beside QEMU (vmtui --watch NAME): it looks at the guest's listening
 * ports through the guest agent and forwards them, and ends with QEMU.
 */
#ifndef VMTUI_WATCH_H
#define VMTUI_WATCH_H

#include <sys/types.h>

/*
 * How often the guest is looked at, and the most it backs off to while the
 * agent does not answer (each try waits for it up to 3 s too): a guest
 * whose agent starts late is looked at within seconds of it.
 */
#define WATCH_LOOK_MS		1000
#define WATCH_BACKOFF_MS	5000
/* The guest's /proc/net/tcp and tcp6 are read up to this much. */
#define WATCH_READ_MAX		(1024 * 1024)

void	 watch_enable(void);
struct profile;

int	 watch_spawn(const struct profile *, pid_t, char **);
int	 watch_run(const char *, char **);

#endif
