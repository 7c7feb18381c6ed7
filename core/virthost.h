/*
 * virthost: a libvirt host, local or remote, through libvirt's C library:
 * a machine defined there (or its definition updated), its disk images
 * uploaded into a storage pool when the host cannot see them.
 */
#ifndef VMTUI_VIRTHOST_H
#define VMTUI_VIRTHOST_H

#include <stdbool.h>

#include "profile.h"

/* How far an upload is: the image, bytes sent, of. */
typedef void (*virthost_progress_cb)(void *, const char *,
    unsigned long long, unsigned long long);

struct virthost_opts {
	const char		*uri;	/* NULL: libvirt's default */
	const char		*pool;	/* upload into it; NULL: only remote */
	bool			 force;	/* replace a definition of the name */
	virthost_progress_cb	 progress;
	void			*arg;
};

int	 virthost_define(const struct profile *, const struct virthost_opts *,
	     char **, char **);
int	 virthost_xml(const char *, const char *, char **, bool *, char **);
const char *virthost_unbuilt(void);

#endif
