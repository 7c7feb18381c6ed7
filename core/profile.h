/*
 * profile: one virtual machine as the user described it. The model keeps
 * values as written (paths unresolved, the boot mode unset when the file
 * leaves it out) so that saving writes back what was read; profile_path()
 * and profile_boot_mode() give what the values mean.
 */
#ifndef VMTUI_PROFILE_H
#define VMTUI_PROFILE_H

#include <stdbool.h>

#include "schema.h"
#include "numv.h"
#include "strv.h"

enum arch { ARCH_X86_64, ARCH_AARCH64 };
enum accel { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };
enum diskif { DISKIF_VIRTIO, DISKIF_SCSI, DISKIF_IDE, DISKIF_NVME };
enum network { NETWORK_USER, NETWORK_NONE };
/* BOOT_UNSET, past the choices: what a required enum is when left out */
enum bootmode { BOOT_KERNEL, BOOT_DISK, BOOT_UEFI, BOOT_CDROM, BOOT_UNSET };
enum fwd_from { FWD_HOST, FWD_GUEST };
enum proto { PROTO_TCP, PROTO_UDP };
enum vga { VGA_STD, VGA_VIRTIO, VGA_QXL, VGA_NONE };
enum display { DISPLAY_AUTO, DISPLAY_NONE, DISPLAY_VNC, DISPLAY_SPICE,
    DISPLAY_GTK, DISPLAY_SDL };
/* FORMAT_UNSET, past the choices: probed (the root disk) or qcow2 */
enum disk_format { FORMAT_QCOW2, FORMAT_RAW, FORMAT_UNSET };
/* AUTOFWD_UNSET, past the choices: on with a cloud-init section */
enum auto_forward { AUTOFWD_FALSE, AUTOFWD_TRUE, AUTOFWD_UNSET };
enum cache { CACHE_WRITEBACK, CACHE_NONE, CACHE_WRITETHROUGH, CACHE_UNSAFE,
    CACHE_DIRECTSYNC };

/*
 * The members that hold keys are declared from schema.def (its ctype and
 * member columns; profile_members.h), the rest here.
 */

/* How a disk is attached: the drive options of the root and extra disks. */
struct profile_drive {
#define PROFILE_KEYS_DISK_DRIVE(decl)	decl
#include "profile_members.h"
};

/* Where each value came from, by key id; 0 when not in the file. */
struct profile_lines {
	int	line;			/* the section's own line */
	int	key[SCHEMA_NKEYS];
};

struct profile_disk {
	char			*title;
#define PROFILE_KEYS_DISK(decl)	decl
#include "profile_members.h"
	struct profile_drive	 drive;
	struct profile_lines	 lines;
};

struct profile_share {
	char			*tag;
#define PROFILE_KEYS_SHARE(decl)	decl
#include "profile_members.h"
	struct profile_lines	 lines;
};

struct profile_forward {
#define PROFILE_KEYS_FORWARD(decl)	decl
#include "profile_members.h"
	struct profile_lines	 lines;
};

struct profile {
	char			*file;		/* where it was read, or NULL */
	char			*dir;		/* relative paths resolve here */
	bool			 has_root_disk;
	bool			 has_cloud_init;	/* a cloud-init section */

	/* the keys of the top, root-disk, boot, qemu, cloud-init sections */
#define PROFILE_KEYS_ROOT(decl)		decl
#define PROFILE_KEYS_ROOT_DISK(decl)	decl
#define PROFILE_KEYS_BOOT(decl)		decl
#define PROFILE_KEYS_QEMU(decl)		decl
#define PROFILE_KEYS_CLOUD_INIT(decl)	decl
#include "profile_members.h"
	struct profile_drive	 root_drive;

	struct profile_disk	*disks;
	size_t			 ndisks;
	struct profile_share	*shares;
	size_t			 nshares;
	struct profile_forward	*forwards;
	size_t			 nforwards;

	struct profile_lines	 lines;
};

struct profile	*profile_new(const char *, const char *);
struct diag;
int		 profile_read_checked(const char *,
		     void (*)(const struct profile *, struct diag *),
		     struct profile **, char **);
int		 profile_parse(const char *, struct profile **, char **);
int		 profile_read_file(const char *, char **, size_t *, char **);
int		 profile_parse_text(const char *, const char *, size_t,
		     void (*)(const struct profile *, struct diag *),
		     struct profile **, char **);
int		 profile_equal(const struct profile *, const struct profile *);
void		 profile_free(struct profile *);

enum bootmode	 profile_boot_mode(const struct profile *);
char		*profile_path(const struct profile *, const char *);
int		 profile_default_consoles(const struct profile *,
		     struct strv *);

size_t		 profile_count(const struct profile *, enum schema_section);
bool		*profile_present(struct profile *, enum schema_section);
void		*profile_value(const struct profile *, enum schema_id, size_t);
int		 profile_reset_key(struct profile *, enum schema_id, size_t);
const struct profile_lines *profile_lines_of(const struct profile *,
		     enum schema_section, size_t);
char		**profile_title(const struct profile *, enum schema_section,
		     size_t);
int		 profile_add_row(struct profile *, enum schema_section,
		     const char *);
void		 profile_remove_row(struct profile *, enum schema_section,
		     size_t);
int		 profile_add_disk(struct profile *, const char *);
int		 profile_add_share(struct profile *, const char *,
		     const char *);
int		 profile_add_forward(struct profile *);
int		 profile_add_ssh_forward(struct profile *, long);
char		*profile_forward_text(const struct profile_forward *);

#endif
