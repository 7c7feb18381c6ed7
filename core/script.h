/*
 * script: the launch script, a standalone POSIX sh program rendered from a
 * plan. --print-script prints it, --write-script saves it, and --launch
 * runs it: there is no other way vmtui starts QEMU.
 */
#ifndef VMTUI_SCRIPT_H
#define VMTUI_SCRIPT_H

#include "plan.h"

char	*script_render(const struct plan *);

#endif
