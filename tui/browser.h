/*
 * browser: the list of machines, the screen vmtui opens on. It returns to
 * the dispatcher with what the person chose (a machine to edit, launch or
 * attach to, the wizard, or quitting).
 */
#ifndef VMTUI_BROWSER_H
#define VMTUI_BROWSER_H

#include "keys.h"
#include "tui.h"

extern const struct keys_def browser_keys[];

void	browser_run(const char *, struct tui_next *);

#endif
