/*
 * install: vmtui --install --list and vmtui --install ENTRY [NAME].
 */
#ifndef VMTUI_INSTALL_H
#define VMTUI_INSTALL_H

#define INSTALL_VIEW	0	/* launch it in the launch view */
#define INSTALL_CONSOLE	1	/* --no-tui: on this terminal */
#define INSTALL_SAVE	2	/* --no-launch: stop after saving */

int	install_list(void);
int	install_run(const char *, const char *, int, const char *);

#endif
