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
/* The XML is another host's: no path in it is one of this host's. */
#define DOMIMPORT_REMOTE	0x2

/* What is imported, from where. */
struct domimport_opts {
	const char	*source;	/* names the XML in messages */
	const char	*dir;		/* the profiles folder */
	int		 flags;		/* DOMIMPORT_* */
	const char	*name;		/* the domain asked for, or NULL */
};

/* What an import found besides the profile: one line each. */
struct domimport_found {
	struct strv	lost;		/* what a profile cannot hold */
	struct strv	raw;		/* raw QEMU arguments, as they are */
	struct strv	files;		/* files of this host the machine
					   would use: "reads PATH (what)" */
	struct strv	notes;		/* what the import changed, and how
					   to put it back */
};

int	 domimport_profile(const char *, const struct domimport_opts *,
	     struct profile **, struct domimport_found *, char **);
void	 domimport_found_free(struct domimport_found *);

#endif
