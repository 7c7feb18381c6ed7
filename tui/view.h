/*
 * view: the launch view, the guest's console in a pane beside the
 * machine's status; it launches the machine or attaches to it running.
 */
#ifndef VMTUI_VIEW_H
#define VMTUI_VIEW_H

#define VIEW_LAUNCH	0
#define VIEW_ATTACH	1
#define VIEW_LEFT	(-3)	/* the person left it running */

#include "keys.h"

#define VIEW_NKEYS	16

extern struct keys_def view_keys[VIEW_NKEYS];
void	view_keys_make(void);
bool	view_obeys(int);

int	view_run(const char *, int);

#endif
