/*
 * resolve: a valid profile as the machine it means, once, for every
 * backend: every path absolute, every image and UEFI file located (the
 * data folder's defaults, the firmware found on the host), the boot mode
 * decided, the kernel consoles chosen, the QEMU program named. plan.c
 * spells it as QEMU's argv; another backend (libvirt XML) renders the same
 * struct. Nothing here knows a QEMU option.
 */
#ifndef VMTUI_RESOLVE_H
#define VMTUI_RESOLVE_H

#include <stdbool.h>

#include "profile.h"
#include "strv.h"

/* In the data folder, by default: the root image, the EFI variables. */
#define RESOLVE_ROOT_FILE	"root.qcow2"
#define RESOLVE_ROOT_RAW_FILE	"root.img"
#define RESOLVE_EFI_VARS_FILE	"efi-vars.fd"

struct resolve_disk {
	char			*title;
	char			*path;	/* NULL: ephemeral, in the run's temp */
	const char		*ext;	/* its file: TITLE.qcow2, or TITLE.img */
	long			 size;	/* MiB, when it is made */
	const struct profile_drive *drive;
};

struct resolve_share {
	char	*tag;
	char	*source;	/* absolute */
	char	*target;	/* in the guest; may be "" */
	bool	 readonly;
};

struct resolved {
	const struct profile	*p;	/* the values that need no resolving */
	char			*name;
	const char		*arch;	/* as uname -m says it */
	char			*binary; /* QEMU: a name on PATH, or a path */
	char			*profile; /* its real path (paths_machine) */
	char			*runtime_dir;
	char			*state_dir;
	char			*data_dir;

	char			*root_image;	/* NULL: no root disk */
	long			 root_size;
	char			*root_backing;	/* the image it stands on
						   (absolute), or NULL */
	const char		*root_backing_format;
	const struct profile_drive *root_drive;
	struct resolve_disk	*disks;
	size_t			 ndisks;
	struct resolve_share	*shares;
	size_t			 nshares;

	enum bootmode		 boot;		/* never BOOT_UNSET */
	char			*kernel;	/* kernel: the files, or NULL */
	char			*initrd;
	struct strv		 consoles;	/* kernel: the consoles */
	char			*cdrom;		/* cdrom: the ISO */
	char			*firmware;	/* uefi: code, vars, template */
	char			*efi_vars;
	char			*efi_vars_template;
	char			*bios;		/* NULL: the machine's own */
	char			*seed;		/* cloud-init's NoCloud seed,
						   attached read-only; NULL:
						   no cloud-init section */
};

/* A vlan NIC's MAC: 52:54, three bytes of the name's hash, the vlan. */
#define RESOLVE_MAC_LEN		18
void	 resolve_vlan_mac(const char *, long, char [RESOLVE_MAC_LEN]);

int	 resolve_machine(const struct profile *, struct resolved **, char **);
int	 resolve_owned_files(const struct profile *, struct strv *);
char	*resolve_disk_image(const struct profile *, long);
const char *resolve_format(const struct profile_drive *, const char *);
int	 resolve_image_format(const char *);
char	*resolve_file(const struct profile *, const char *, const char *);
void	 resolve_free(struct resolved *);

#endif
