/*
 * demoguest: the tiny demo guest (a Debian kernel and busybox) in the
 * cache, built on demand by the build script vmtui installs, so that an
 * installed vmtui offers it too, not only a source tree.
 */
#ifndef VMTUI_DEMOGUEST_H
#define VMTUI_DEMOGUEST_H

#include <stdbool.h>

bool	 demoguest_built(char **);
char	*demoguest_script(void);
int	 demoguest_build(char **, char **);

#endif
