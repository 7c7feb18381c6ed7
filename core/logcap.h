/*
 * logcap: a machine's console log kept to a size on disk. A new boot
 * moves the last one's log to console.log.1; a watcher started with the
 * machine cuts the log while it runs, whether anyone looks or not.
 */
#ifndef VMTUI_LOGCAP_H
#define VMTUI_LOGCAP_H

#include <sys/types.h>

#define LOGCAP_OLD	".1"		/* the older part: console.log.1 */
#define LOGCAP_EVERY_MS	250		/* the watcher looks this often */

int	logcap_new_boot(const char *, char **);
int	logcap_trim(const char *, off_t, char **);
int	logcap_watch(const char *, off_t, pid_t, char **);

#endif
