/*
 * oscatalog: the operating systems vmtui can install, as data: catalog
 * files in libconfuse syntax (the .conf files of catalog/, and a person's own in
 * ~/.config/vmtui/catalog/), each with the mirrors it uses and its
 * entries:
 *
 *     mirror "debian" { url = "https://deb.debian.org/debian" }
 *     os "debian-12" { title = "Debian"  release = "12 (bookworm)"
 *         kind = "netboot"  mirror = "debian"  path = "dists/..."
 *         kernel = "..."  initrd = "..."  sums = "SHA256SUMS"
 *         signed-by = "dists/bookworm/InRelease"  keyring = "..." ... }
 *
 * or, for a checksum file signed on its own (Ubuntu's SHA256SUMS.gpg):
 * sums-signature = "SHA256SUMS.gpg" with its keyring.
 *
 * A mirror's url can be replaced by VMTUI_MIRROR_NAME in the environment or
 * by mirror "NAME" in vmtui.conf, and its entries' keyring by vmtui.conf's.
 * Problems are reported FILE:LINE.
 */
#ifndef VMTUI_OSCATALOG_H
#define VMTUI_OSCATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"
#include "strv.h"

/*
 * netboot: a kernel and initrd that install; iso: an installer's ISO;
 * cloud: a distribution's cloud image, kept once, each machine a qcow2
 * overlay on it, set up by cloud-init.
 */
enum oskind { OSKIND_NETBOOT, OSKIND_ISO, OSKIND_CLOUD };

/* The files an entry downloads, in this order. */
enum osfile { OSFILE_KERNEL, OSFILE_INITRD, OSFILE_ISO, OSFILE_IMAGE,
    OSFILE_N };

struct osentry {
	char	*name;		/* "debian-12": the section's title */
	char	*title;		/* "Debian" */
	char	*release;	/* "12 (bookworm)" */
	int	 arch;		/* enum arch */
	int	 kind;		/* enum oskind */
	char	*mirror;	/* the mirror's name */
	char	*url;		/* the folder: the mirror's url + "/" + path */
	char	*file[OSFILE_N];	/* relative to url, or "" */
	char	*sums;		/* the checksum file, relative to url */
	char	*signed_url;	/* a signed Release listing sums, or "" */
	char	*sig_url;	/* a detached signature of sums, or "" */
	char	*signed_sums;	/* sums as that Release names it */
	char	*keyring;	/* its signers' keys (gpgv), or "" */
	bool	 keyring_given;	/* by vmtui.conf: it must be there */
	char	*keyring_package; /* the Debian package that has it, or "" */
	bool	 checksum_only;	/* vmtui.conf: taken without it, said so */
	char	*codename;	/* NAME of signed-by's dists/NAME/, or "" */
	char	*append;	/* kernel command line, ${path} replaced */
	long	 size;		/* MiB to download, 0: not said */
	long	 memory;	/* MiB */
	long	 cores;
	long	 disk;		/* MiB */
	int	 format;	/* cloud: the image's, enum disk_format */
	bool	 shares_9p;	/* cloud: its kernel mounts 9p shares */
	char	*file_name;	/* the catalog file it came from */
	int	 line;
};

struct oscatalog {
	struct osentry	*v;
	size_t		 n;
};

/* The settings (NULL: none) give vmtui.conf's mirrors. */
int	 oscatalog_load(const struct strv *, const struct settings *,
	     struct oscatalog *, char **);
int	 oscatalog_load_file(const char *, const struct settings *,
	     struct oscatalog *, char **);
int	 oscatalog_load_default(struct oscatalog *, char **);
const struct osentry *oscatalog_find(const struct oscatalog *, const char *);
const char *oscatalog_kind_name(int);
bool	 oscatalog_https(const struct osentry *);
void	 oscatalog_free(struct oscatalog *);

#endif
