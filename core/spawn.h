/*
 * spawn: run a helper program (qemu-img, QEMU's own help) to its end and
 * keep what it said.
 */
#ifndef VMTUI_SPAWN_H
#define VMTUI_SPAWN_H

int	spawn_output(char *const [], int, char **, int *);

#endif
