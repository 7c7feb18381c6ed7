/*
 * ssh: vmtui --ssh PROFILE [-- COMMAND...]
 */
#ifndef VMTUI_SSH_H
#define VMTUI_SSH_H

#define SSH_FAIL	255	/* as ssh's own: vmtui or ssh failed */
#define SSH_TIMEOUT	300	/* seconds to wait for a booting machine */

int	ssh_run(const char *, int, char **, long);

#endif
