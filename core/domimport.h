/*
 * domimport: a libvirt domain's XML back as a profile (the reverse of
 * domxml.c); what a profile cannot hold is listed, never dropped quietly,
 * and raw QEMU arguments are listed, never taken unless asked for.
 */
#ifndef VMTUI_DOMIMPORT_H
#define VMTUI_DOMIMPORT_H

#include "profile.h"
#include "strv.h"

/* Take the domain's raw QEMU arguments (qemu:commandline) as they are. */
#define DOMIMPORT_QEMU_ARGS	0x1

int	 domimport_profile(const char *, const char *, const char *, int,
	     struct profile **, struct strv *, struct strv *, char **);

#endif
