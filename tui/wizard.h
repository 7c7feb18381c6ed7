/*
 * wizard: a new machine in a few questions; it hands the new machine back
 * to the dispatcher, to be selected, edited or launched.
 */
#ifndef VMTUI_WIZARD_H
#define VMTUI_WIZARD_H

#include "tui.h"

void	wizard_run(struct tui_next *);

#endif
