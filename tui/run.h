/*
 * run: a launched machine on this terminal, without the screens: the
 * serial console and QEMU's monitor relayed between the terminal and the
 * machine's pty, and into the console log.
 */
#ifndef VMTUI_RUN_H
#define VMTUI_RUN_H

#include "launch.h"

int	run_relay(struct launch *);

#endif
