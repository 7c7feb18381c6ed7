/*
 * snapshots: one machine's snapshots on a screen (the list's S): take,
 * revert to, delete; the work is core/snapshot.c's, as --snapshot's.
 */
#ifndef VMTUI_SNAPSHOTS_H
#define VMTUI_SNAPSHOTS_H

#include "keys.h"

extern const struct keys_def snapshots_keys[];

void	snapshots_run(const char *);

#endif
