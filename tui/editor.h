/*
 * editor: a profile's values as forms by topic, saved with F2 through the
 * same checks as the loader.
 */
#ifndef VMTUI_EDITOR_H
#define VMTUI_EDITOR_H

#include "keys.h"

extern const struct keys_def editor_keys[];

int	editor_run(const char *);

#endif
