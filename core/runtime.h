/*
 * runtime: a machine's runtime folder (QMP socket, pidfile, the launch
 * script that runs) and whether the machine runs: QEMU holds a lock on its
 * pidfile for as long as it lives.
 */
#ifndef VMTUI_RUNTIME_H
#define VMTUI_RUNTIME_H

#include <sys/types.h>

char	*runtime_file(const char *, const char *);
int	 runtime_running(const char *, pid_t *);
void	 runtime_clean_stale(const char *);
char	*runtime_describe(const char *);

#endif
