/*
 * seed: a cloud-init machine's NoCloud seed, the small ISO 9660 volume
 * labelled "cidata" that cloud-init reads at boot (meta-data, user-data),
 * written into the machine's private folder when the profile's cloud-init
 * section (or a file it names) changed, with a new instance id then, so
 * that cloud-init applies it again. The backends attach it read-only.
 */
#ifndef VMTUI_SEED_H
#define VMTUI_SEED_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"

#define SEED_ISO	"seed.iso"	/* in the cloud-init folder */
#define SEED_LABEL	"cidata"	/* what cloud-init looks for */

/* One file of the volume: its name and its bytes. */
struct seed_file {
	const char	*name;
	const char	*data;
	size_t		 len;
};

char	*seed_path(const struct profile *);
int	 seed_available(char **);
int	 seed_write_iso(const char *, const struct seed_file *, size_t,
	     char **);
int	 seed_prepare(const struct profile *, bool *, char **);

#endif
