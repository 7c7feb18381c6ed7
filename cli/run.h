/*
 * run: a running machine's console on this terminal, without the screens:
 * the console from its log, keys to its console socket, the escape key's
 * commands.
 */
#ifndef VMTUI_RUN_H
#define VMTUI_RUN_H

#include <sys/types.h>

struct profile;

int	run_console(const struct profile *, pid_t, int *, char **);

#endif
