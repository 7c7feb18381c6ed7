/*
 * forward: vmtui --forward PROFILE [tcp|udp] [ADDR:]HOSTPORT:GUESTPORT and
 * --forward PROFILE --remove [tcp:|udp:][ADDR:]HOSTPORT; and what a change
 * did to a running machine, said as --set and --unset say it too.
 */
#ifndef VMTUI_FORWARD_H
#define VMTUI_FORWARD_H

#include <stdbool.h>

struct live_report;

int	forward_run(const char *, int, char **, bool);
void	forward_say(const char *, const struct live_report *);

#endif
