/*
 * cloudinit: a profile's cloud-init section as the documents of a NoCloud
 * seed: meta-data (the instance id and the host name) and user-data (the
 * cloud-config vmtui writes from the section's keys, or the person's own
 * file with vmtui's host key after it in a MIME part of its own).
 * Nothing here touches a file: the caller reads what the documents hold
 * (keys, the person's file) and writes the seed (seed.c).
 */
#ifndef VMTUI_CLOUDINIT_H
#define VMTUI_CLOUDINIT_H

#include <stddef.h>

#include "buf.h"
#include "profile.h"
#include "strv.h"

/* The largest user-data file of one's own that goes into a seed. */
#define CLOUDINIT_USER_DATA_MAX	(1024 * 1024)

/* What the documents hold beside the profile's values. */
struct cloudinit_input {
	const char		*user;		/* cloudinit_user() */
	const struct strv	*keys;		/* public keys, one a line */
	const char		*host_private;	/* the ed25519 host key */
	const char		*host_public;	/* its public line */
	const char		*user_data;	/* the person's file, or NULL */
	size_t			 user_data_len;
};

char	*cloudinit_user(const struct profile *);
char	*cloudinit_hostname(const struct profile *);
int	 cloudinit_user_data(const struct profile *,
	     const struct cloudinit_input *, char **, char **);
char	*cloudinit_meta_data(const char *, const char *);
void	 cloudinit_yaml_string(struct buf *, const char *);
int	 cloudinit_text(const char *, size_t);

#endif
