/*
 * set: vmtui --set PROFILE KEY=VALUE... and --unset PROFILE KEY...
 */
#ifndef VMTUI_SET_H
#define VMTUI_SET_H

int	set_run(const char *, int, char **, int);

#endif
