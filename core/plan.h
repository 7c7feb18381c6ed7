/*
 * plan: what launching a profile means, before it is written as a script:
 * the QEMU argv (as words made of literal text and the few shell expansions
 * that the environment overrides need) and what must be prepared first
 * (disk images, UEFI variables, folders). script_render() writes it out;
 * plan_expand() says which argv the script gives QEMU.
 */
#ifndef VMTUI_PLAN_H
#define VMTUI_PLAN_H

#include <stdbool.h>

#include "profile.h"
#include "strv.h"

/*
 * QEMU's names for the images of the root disk and of extra disk i (the
 * profile's order), under 32 bytes whatever the titles: QMP's snapshot
 * commands name the disks by them.
 */
#define PLAN_NODE_ROOT		"vmtui-root"
#define PLAN_NODE_DISK		"vmtui-disk%zu"

/*
 * The ids of the disks' devices (device_del names them), of the user
 * network's netdev (hostfwd_add names it), and of the PCIe root ports
 * kept free for disks attached while the machine runs: PLAN_HOTPLUG_PORTS
 * of them, functions of one slot of pcie.0 (an address no device takes by
 * itself, so that no other device moves).
 */
#define PLAN_DEV_ROOT		"dev-root"
#define PLAN_DEV_DISK		"dev-disk-%s"
#define PLAN_NETDEV		"net0"
#define PLAN_HOTPLUG_PORTS	4
#define PLAN_HOTPLUG_PORT	"vmtui-port%d"
#define PLAN_HOTPLUG_SLOT	0x1e

enum plan_part_kind {
	PLAN_LIT,	/* bytes, single-quoted in the script */
	PLAN_VAR,	/* a script variable, double-quoted: "$name" */
};

struct plan_part {
	enum plan_part_kind	 kind;
	char			*text;	/* LIT: the bytes; VAR: the expansion */
};

enum plan_word_kind {
	PLAN_WORD,	/* one argv element made of parts */
	PLAN_SPLIT,	/* $QEMU_OPTS: split into words, as the seed does */
	PLAN_ARGS,	/* "$@": the script's own arguments */
};

struct plan_word {
	enum plan_word_kind	 kind;
	bool			 newline;	/* start a line in the script */
	bool			 stdio_only;	/* not in the background form */
	struct plan_part	*parts;
	size_t			 nparts;
};

struct plan_image {
	char		*path;		/* NULL: $TMPDIR/title.EXT (ephemeral) */
	char		*title;
	long		 size;		/* MiB */
	const char	*format;	/* qcow2, raw: what qemu-img makes */
	const char	*ext;		/* qcow2, img */
	bool		 readonly;	/* never made */
};

/* the background console's -chardev, up to the runtime folder */
#define PLAN_CONSOLE_SOCKET	"socket,id=console,path="

struct plan {
	char			*name;
	const char		*arch;		/* as uname -m says it */
	char			*binary;	/* QEMU: a name or a path */
	char			*profile;	/* its real path, for the record */
	char			*runtime_dir;
	char			*state_dir;

	bool			 root_disk;
	char			*root_image;	/* default of $VMTUI_DISK_IMAGE */
	long			 root_size;
	const char		*root_format;	/* what qemu-img makes */
	bool			 root_readonly;	/* never made */
	char			*root_backing;	/* made as an overlay of it,
						   grown to root_size */
	const char		*root_backing_format;
	struct plan_image	*images;	/* extra disks */
	size_t			 nimages;
	char			*efi_vars;	/* uefi: copied on first boot */
	char			*efi_vars_template;
	char			*seed;		/* cloud-init: must be there */
	bool			 exchange_dir;
	bool			 accel_auto;
	bool			 display_auto;	/* the script picks: gtk or VNC */
	bool			 vnc_password;	/* the script makes one */
	bool			 spice_password; /* the script makes one */
	bool			 spice_port;	/* the script finds a free one */
	bool			 vlans;		/* the script names the groups */
	bool			 watch;		/* auto-forward: a watcher and its
						   QMP socket beside QEMU */
	/*
	 * The console's -chardev on the terminal, and in the background
	 * PLAN_CONSOLE_SOCKET, the runtime folder (QEMU-escaped), then this
	 */
	char			*console_stdio;
	char			*console_background;

	struct plan_word	*words;
	size_t			 nwords;
	bool			 failed;
};

/* Values of the script's variables, for plan_expand(). */
struct plan_env {
	const char	*disk_image;	/* $VMTUI_DISK_IMAGE */
	const char	*tmpdir;	/* $TMPDIR */
	const char	*shared_dir;	/* $SHARED_DIR, or NULL */
	bool		 kvm;		/* /dev/kvm usable */
	const char	*kernel_params;	/* $QEMU_KERNEL_PARAMS */
	const char	*net_opts;	/* $QEMU_NET_OPTS */
	const struct strv *opts;	/* $QEMU_OPTS, split */
	const struct strv *args;	/* "$@" */
	bool		 background;	/* $VMTUI_BACKGROUND set */
	bool		 window;	/* a desktop, and QEMU has gtk */
	long		 uid;		/* $(id -u): the vlans' group and port */
	long		 spice_port;	/* the free port the script found from
					   5930; 0: left as "$spice_port" */
};

int		 plan_build(const struct profile *, struct plan **, char **);
int		 plan_expand(const struct plan *, const struct plan_env *,
		     struct strv *);
void		 plan_free(struct plan *);

#endif
