/*
 * osinstall: installing an operating system from a catalog entry: its
 * files downloaded and verified into the downloads folder, a new profile
 * that boots the installer, and afterwards the switch to the installed
 * system on the disk.
 */
#ifndef VMTUI_OSINSTALL_H
#define VMTUI_OSINSTALL_H

#include <stdbool.h>

#include "download.h"
#include "oscatalog.h"
#include "profile.h"
#include "strv.h"

/* The verified files of an entry, absolute; NULL where it has none. */
struct osinstall_files {
	char	*path[OSFILE_N];
	int	 signed_ok;	/* the checksum file's signature checked */
};

int	 osinstall_fetch(const struct osentry *, const char *,
	     const struct download_progress *, struct osinstall_files *,
	     char **);
void	 osinstall_files_free(struct osinstall_files *);
void	 osinstall_size(const struct osentry *, long *, long *);
int	 osinstall_apply(struct profile *, const struct osentry *,
	     const struct osinstall_files *);
struct profile *osinstall_profile(const struct osentry *, const char *,
	     const char *, const struct osinstall_files *);
int	 osinstall_cloud_made(const struct osentry *, const struct profile *,
	     const char *, const struct osinstall_files *, const char *,
	     const char *, struct strv *, char **);
const struct osentry *osinstall_image_entry(const struct oscatalog *,
	     const struct profile *);
char	*osinstall_share_note(const struct profile *, size_t);
bool	 osinstall_disk_written(const struct profile *);
bool	 osinstall_can_verify(const struct osentry *);

/* How an entry's files are trusted here (osinstall_trust). */
enum ostrust {
	OSTRUST_SIGNED,		/* a signature checked with its keyring */
	OSTRUST_MIRROR,		/* its distribution signs nothing checkable */
	OSTRUST_NO_KEYRING,	/* signed, its keyring missing: refused */
	OSTRUST_ACCEPTED,	/* that, taken by checksum-only = true */
};
enum ostrust osinstall_trust(const struct osentry *);
char	*osinstall_trust_words(const struct osentry *);
int	 osinstall_finish(const char *, char **);

#endif
