/*
 * overlay: a root disk that stands on an image (root-disk.backing: a
 * cloud image kept once in the downloads folder, never written to): the
 * machine's qcow2 overlay made by qemu-img with its backing file and
 * format given, grown to the profile's size (never below the image's own
 * size, never shrunk), and which machines stand on which image, so that
 * no image a machine stands on is ever removed.
 */
#ifndef VMTUI_OVERLAY_H
#define VMTUI_OVERLAY_H

#include <stdbool.h>

#include "profile.h"
#include "strv.h"

int	overlay_create(const char *, const char *, const char *, long,
	    char **);
int	overlay_size(const char *, long long *, char **);
int	overlay_grow(const char *, long, char **);
int	overlay_make(const struct profile *, char **);
int	overlay_users(const char *, const char *, struct strv *, char **);
int	overlay_register(const struct profile *, char **);
int	overlay_prune(const char *, const char *, const char *,
	    struct strv *, char **);

#endif
