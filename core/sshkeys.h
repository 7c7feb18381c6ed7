/*
 * sshkeys: the keys of a machine that cloud-init sets up, kept in its
 * private folder (the data folder's cloud-init/, mode 0700): its ed25519
 * host key, which vmtui makes and hands to the guest so that it is pinned
 * from the first connection (known_hosts beside it), the public keys its
 * user logs in with, and a key of the machine's own for a user who has
 * none.
 */
#ifndef VMTUI_SSHKEYS_H
#define VMTUI_SSHKEYS_H

#include "profile.h"
#include "strv.h"

#define SSHKEYS_DIR		"cloud-init"	/* in the data folder */
#define SSHKEYS_HOST_KEY	"ssh_host_ed25519_key"
#define SSHKEYS_ID_KEY		"id_ed25519"	/* when the user has none */
#define SSHKEYS_KNOWN_HOSTS	"known_hosts"
#define SSHKEYS_FILE_MAX	(64 * 1024)	/* a public key file */

char	*sshkeys_file(const struct profile *, const char *);
char	*sshkeys_dir(const struct profile *);
int	 sshkeys_dir_make(const char *, char **);
int	 sshkeys_host(const char *, const char *, char **, char **, char **);
int	 sshkeys_authorized(const struct profile *, const char *,
	     struct strv *, char **);
int	 sshkeys_identities(const struct profile *, const char *,
	     struct strv *);

#endif
