/*
 * preflight: what must hold on this host before a machine starts, each
 * problem told with its cause and its fix: the programs, a free port for
 * every forward, the machine not running already, KVM when asked for.
 */
#ifndef VMTUI_PREFLIGHT_H
#define VMTUI_PREFLIGHT_H

#include <stdbool.h>

#include "plan.h"
#include "profile.h"

bool	 preflight_kvm_usable(enum arch, char **);
int	 preflight_check(const struct profile *, const struct plan *, char **,
	     char **);
char	*preflight_which(const char *);
int	 preflight_port_free(const char *, int, long);
int	 preflight_loopback_free(int, long);

#endif
