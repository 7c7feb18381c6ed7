/*
 * hostfwd: a forward from the host as --forward writes it, and as QEMU's
 * hostfwd_add and hostfwd_remove take it on a running machine.
 */
#ifndef VMTUI_HOSTFWD_H
#define VMTUI_HOSTFWD_H

#include <stdbool.h>

#include "profile.h"

struct qmp;

/* Which forwards a removal names: -1 any protocol, "" any address. */
struct hostfwd_spec {
	int	 proto;
	char	 address[16];
	long	 port;
};

int	 hostfwd_parse_add(int, char *const *, struct profile_forward *,
	     char **);
int	 hostfwd_parse_remove(const char *, struct hostfwd_spec *, char **);
long	 hostfwd_find(const struct profile *, const struct hostfwd_spec *,
	     char **);
int	 hostfwd_live(struct qmp *, const struct profile_forward *, bool,
	     char **);

#endif
