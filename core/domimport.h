/*
 * domimport: a libvirt domain's XML back as a profile (the reverse of
 * domxml.c); what a profile cannot hold is listed, never dropped quietly.
 */
#ifndef VMTUI_DOMIMPORT_H
#define VMTUI_DOMIMPORT_H

#include "profile.h"
#include "strv.h"

int	 domimport_profile(const char *, const char *, const char *,
	     struct profile **, struct strv *, char **);

#endif
