/*
 * plan: the QEMU backend. It spells the resolved machine (resolve.c: paths,
 * images, firmware, the boot mode) as QEMU's argv and the preparation
 * steps. This is the one place that knows QEMU's options; the launch
 * script and everything that launches come from here.
 *
 * Every value from the profile that lands inside a QEMU option list
 * (file=, path=) goes through quote_qemu(); values that QEMU takes as a
 * whole argument (-kernel, -append) are passed as they are. The shell
 * escape comes later, in script_render().
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "autofwd.h"
#include "paths.h"
#include "plan.h"
#include "quote.h"
#include "resolve.h"

/* The script's variables that words may hold (see script.c). */
#define VAR_ROOT	"$root_q"
#define VAR_TMP		"$tmp_q"
#define VAR_SHARED	"$shared_q"
#define VAR_ACCEL	"$accel"
#define VAR_CPU		"$cpu"
#define VAR_KPARAMS	"${QEMU_KERNEL_PARAMS:+ $QEMU_KERNEL_PARAMS}"
#define VAR_NETOPTS	"${QEMU_NET_OPTS:+,$QEMU_NET_OPTS}"
#define VAR_CONSOLE	"$console"
#define VAR_DISPLAY	"$display"
#define VAR_VLAN_NET	"$vlan_net"
#define VAR_VLAN_PORT	"$vlan_port"
#define VAR_SPICE_PORT	"$spice_port"
/* the runtime folder, worked out by the script as it runs (script.c) */
#define VAR_RUNDIR	"$rundir"
#define VAR_RUNDIR_Q	"$rundir_q"

static struct plan_word *
plan_word(struct plan *pl, enum plan_word_kind kind, bool newline)
{
	struct plan_word	*v;

	if ((v = realloc(pl->words, (pl->nwords + 1) * sizeof *v)) == NULL) {
		pl->failed = true;
		return NULL;
	}
	pl->words = v;
	v = &pl->words[pl->nwords++];
	memset(v, 0, sizeof *v);
	v->kind = kind;
	v->newline = newline;
	return v;
}

static void
plan_part(struct plan *pl, struct plan_word *w, enum plan_part_kind kind,
    const char *text)
{
	struct plan_part	*v;

	if (w == NULL)
		return;
	if ((v = realloc(w->parts, (w->nparts + 1) * sizeof *v)) == NULL) {
		pl->failed = true;
		return;
	}
	w->parts = v;
	v[w->nparts].kind = kind;
	if ((v[w->nparts].text = strdup(text)) == NULL) {
		pl->failed = true;
		return;
	}
	w->nparts++;
}

/* A word of literal text, printf-style. */
static struct plan_word *
plan_litf(struct plan *pl, bool newline, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
plan_vpartf(struct plan *pl, struct plan_word *w, const char *fmt,
    va_list ap)
{
	char	*s;

	if (w == NULL)
		return;
	if (vasprintf(&s, fmt, ap) < 0) {
		pl->failed = true;
		return;
	}
	plan_part(pl, w, PLAN_LIT, s);
	free(s);
}

/* A literal part of word w, formatted. */
static void
plan_partf(struct plan *pl, struct plan_word *w, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
plan_partf(struct plan *pl, struct plan_word *w, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	plan_vpartf(pl, w, fmt, ap);
	va_end(ap);
}

static struct plan_word *
plan_litf(struct plan *pl, bool newline, const char *fmt, ...)
{
	struct plan_word	*w;
	va_list			 ap;

	w = plan_word(pl, PLAN_WORD, newline);
	va_start(ap, fmt);
	plan_vpartf(pl, w, fmt, ap);
	va_end(ap);
	return w;
}

/* An option and its literal value on one line: "-m" "1024". */
static void
plan_opt(struct plan *pl, const char *opt, const char *value)
{
	plan_litf(pl, true, "%s", opt);
	if (value != NULL)
		plan_litf(pl, false, "%s", value);
}

/* A value with a QEMU-escaped path inside: "file=" PATH ",if=none". */
static void
plan_opt_path(struct plan *pl, const char *opt, const char *before,
    const char *path, const char *after)
{
	char	*q;

	plan_litf(pl, true, "%s", opt);
	if ((q = quote_qemu(path)) == NULL) {
		pl->failed = true;
		return;
	}
	plan_litf(pl, false, "%s%s%s", before, q, after);
	free(q);
}

/* Like plan_opt_path, with a script variable in place of the path. */
static void
plan_opt_var(struct plan *pl, const char *opt, const char *before,
    const char *var, const char *after)
{
	struct plan_word	*w;

	plan_litf(pl, true, "%s", opt);
	w = plan_word(pl, PLAN_WORD, false);
	if (*before != '\0')
		plan_part(pl, w, PLAN_LIT, before);
	plan_part(pl, w, PLAN_VAR, var);
	if (*after != '\0')
		plan_part(pl, w, PLAN_LIT, after);
}

static void
plan_accel(struct plan *pl, const struct profile *p)
{
	struct plan_word	*w;

	switch (p->accel) {
	case ACCEL_AUTO:
		pl->accel_auto = true;
		plan_litf(pl, true, "-accel");
		w = plan_word(pl, PLAN_WORD, false);
		plan_part(pl, w, PLAN_VAR, VAR_ACCEL);
		plan_litf(pl, false, "-cpu");
		w = plan_word(pl, PLAN_WORD, false);
		plan_part(pl, w, PLAN_VAR, VAR_CPU);
		break;
	case ACCEL_KVM:
		plan_opt(pl, "-accel", "kvm");
		plan_litf(pl, false, "-cpu");
		plan_litf(pl, false, "host");
		break;
	case ACCEL_TCG:
		plan_opt(pl, "-accel", "tcg");
		plan_litf(pl, false, "-cpu");
		plan_litf(pl, false, "max");
		break;
	}
	/* the real-time clock: UTC (QEMU's default), or local as Windows */
	if (p->rtc_localtime)
		plan_opt(pl, "-rtc", "base=localtime");
}

/*
 * One NIC a vlan, after the user network's: QEMU's socket networking on a
 * multicast group on loopback, the group this user's (the script makes it
 * from the uid), the MAC the machine's own.
 */
static void
plan_vlans(struct plan *pl, const struct profile *p)
{
	struct plan_word	*w;
	char			 mac[RESOLVE_MAC_LEN];
	size_t			 i;

	for (i = 0; i < p->vlans.n; i++) {
		long	n = p->vlans.v[i];

		pl->vlans = true;
		plan_litf(pl, true, "-netdev");
		w = plan_litf(pl, false, "socket,id=vlan%ld,mcast=", n);
		plan_part(pl, w, PLAN_VAR, VAR_VLAN_NET);
		plan_partf(pl, w, ".%ld:", n);
		plan_part(pl, w, PLAN_VAR, VAR_VLAN_PORT);
		plan_part(pl, w, PLAN_LIT, ",localaddr=127.0.0.1");
		resolve_vlan_mac(p->name, n, mac);
		plan_litf(pl, false, "-device");
		plan_litf(pl, false, "virtio-net-pci,netdev=vlan%ld,mac=%s", n,
		    mac);
	}
}

static void
plan_network(struct plan *pl, const struct profile *p)
{
	struct plan_word	*w;
	size_t			 i;

	if (p->network == NETWORK_NONE) {
		plan_opt(pl, "-nic", "none");
		plan_vlans(pl, p);
		return;
	}
	plan_litf(pl, true, "-netdev");
	w = plan_word(pl, PLAN_WORD, false);
	plan_part(pl, w, PLAN_LIT, "user,id=" PLAN_NETDEV);
	if (p->restrict_network)
		plan_part(pl, w, PLAN_LIT, ",restrict=on");
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];

		/* Addresses and ports are validated: no escaping needed. */
		if (f->from == FWD_HOST)
			plan_partf(pl, w, ",hostfwd=%s:%s:%ld-%s:%ld",
			    schema_protos[f->proto], f->host_address,
			    f->host_port, f->guest_address, f->guest_port);
		else
			plan_partf(pl, w, ",guestfwd=tcp:%s:%ld-cmd:nc %s %ld",
			    f->guest_address, f->guest_port, f->host_address,
			    f->host_port);
	}
	plan_part(pl, w, PLAN_VAR, VAR_NETOPTS);
	plan_opt(pl, "-device", "virtio-net-pci,netdev=" PLAN_NETDEV);
	plan_vlans(pl, p);
}

static void
plan_shares(struct plan *pl, const struct resolved *r)
{
	size_t	 i;
	char	*after;

	for (i = 0; i < r->nshares; i++) {
		const struct resolve_share *s = &r->shares[i];

		if (asprintf(&after, ",security_model=none,mount_tag=%s%s",
		    s->tag, s->readonly ? ",readonly=on" : "") < 0) {
			pl->failed = true;
			return;
		}
		plan_opt_path(pl, "-virtfs", "local,path=", s->source, after);
		free(after);
	}
	if (r->p->exchange_dir) {
		pl->exchange_dir = true;
		plan_opt_var(pl, "-virtfs", "local,path=", VAR_TMP,
		    "/xchg,security_model=none,mount_tag=xchg");
		plan_opt_var(pl, "-virtfs", "local,path=", VAR_SHARED,
		    ",security_model=none,mount_tag=shared");
	}
}

/*
 * A -drive's options after its file: format (dflt when the profile says
 * none), the id, the node name, the cache mode and the rest of the
 * profile's drive options. Serials are validated words: no escaping.
 */
static char *
plan_drive_opts(const struct profile_drive *dr, const char *id,
    const char *node, const char *dflt)
{
	const char	*format = resolve_format(dr, dflt);
	char		*s;

	if (asprintf(&s, "%s%s,if=none,id=%s,node-name=%s,cache=%s,"
	    "werror=report%s%s", format != NULL ? ",format=" : "",
	    format != NULL ? format : "", id, node,
	    schema_caches[dr->cache], dr->readonly ? ",readonly=on" : "",
	    dr->discard ? ",discard=unmap" : "") < 0)
		return NULL;
	return s;
}

/*
 * The -device that attaches drive id on the profile's interface, named dev
 * (device_del takes a disk away by it).
 */
static void
plan_drive_device(struct plan *pl, const struct profile *p, const char *id,
    const char *dev, const struct profile_drive *dr, int *ide)
{
	const char	*serial = dr->serial, *comma = *serial ? ",serial=" : "";

	plan_litf(pl, true, "-device");
	switch (p->disk_interface) {
	case DISKIF_VIRTIO:
		plan_litf(pl, false, "virtio-blk-pci,drive=%s,id=%s%s%s", id,
		    dev, comma, serial);
		break;
	case DISKIF_SCSI:
		plan_litf(pl, false, "scsi-hd,drive=%s,id=%s,bus=scsi0.0%s%s",
		    id, dev, comma, serial);
		break;
	case DISKIF_IDE:
		plan_litf(pl, false, "ide-hd,drive=%s,id=%s,bus=ide.%d%s%s", id,
		    dev, (*ide)++, comma, serial);
		break;
	case DISKIF_NVME:
		plan_litf(pl, false, "nvme,drive=%s,id=%s,serial=%.20s", id, dev,
		    *serial ? serial : id);
		break;
	}
}

static void
plan_disks(struct plan *pl, const struct resolved *r)
{
	const struct profile	*p = r->p;
	char			*path, *id, *opts, node[32], *dev;
	size_t			 i;
	int			 ide = 0;
	bool			 cdrom = r->boot == BOOT_CDROM;
	bool			 scsi = p->disk_interface == DISKIF_SCSI ||
				     (cdrom && p->arch != ARCH_X86_64) ||
				     r->seed != NULL;

	if (scsi)
		plan_opt(pl, "-device", "virtio-scsi-pci,id=scsi0");
	if (r->root_image != NULL) {
		pl->root_disk = true;
		pl->root_size = r->root_size;
		/*
		 * No root-disk.format: what the image's bytes say (qcow2's
		 * magic, else raw), qcow2 when it is not made yet, as
		 * chain.c checks it; never QEMU's guess, which takes a VMDK
		 * descriptor's extents or a QED's backing file.
		 */
		pl->root_format = resolve_format(r->root_drive,
		    resolve_image_format(r->root_image) == FORMAT_RAW ?
		    "raw" : "qcow2");
		pl->root_readonly = r->root_drive->readonly;
		pl->root_backing_format = r->root_backing_format;
		if ((r->root_backing != NULL && (pl->root_backing =
		    strdup(r->root_backing)) == NULL) ||
		    (pl->root_image = strdup(r->root_image)) == NULL ||
		    (path = plan_drive_opts(r->root_drive, "root",
		    PLAN_NODE_ROOT, pl->root_format)) == NULL) {
			pl->failed = true;
			return;
		}
		plan_opt_var(pl, "-drive", "file=", VAR_ROOT, path);
		free(path);
		plan_drive_device(pl, p, "root", PLAN_DEV_ROOT, r->root_drive,
		    &ide);
	}
	if (r->ndisks > 0 &&
	    (pl->images = calloc(r->ndisks, sizeof *pl->images)) == NULL) {
		pl->failed = true;
		return;
	}
	for (i = 0; i < r->ndisks; i++) {
		const struct resolve_disk *d = &r->disks[i];
		struct plan_image *img = &pl->images[pl->nimages++];

		img->size = d->size;
		img->format = resolve_format(d->drive, "qcow2");
		img->ext = d->ext;
		img->readonly = d->drive->readonly;
		if ((img->title = strdup(d->title)) == NULL ||
		    asprintf(&id, "disk-%s", d->title) < 0) {
			pl->failed = true;
			return;
		}
		snprintf(node, sizeof node, PLAN_NODE_DISK, i);
		if ((opts = plan_drive_opts(d->drive, id, node,
		    "qcow2")) == NULL ||
		    (d->path != NULL && (img->path = strdup(d->path)) == NULL)) {
			free(opts);
			free(id);
			pl->failed = true;
			return;
		}
		if (d->path == NULL) {
			/* ephemeral, in the run's temp folder: $tmp_q/TITLE.EXT */
			if (asprintf(&path, "/%s.%s%s", d->title, d->ext,
			    opts) < 0) {
				free(opts);
				free(id);
				pl->failed = true;
				return;
			}
			plan_opt_var(pl, "-drive", "file=", VAR_TMP, path);
			free(path);
		} else
			plan_opt_path(pl, "-drive", "file=", img->path, opts);
		free(opts);
		if (asprintf(&dev, PLAN_DEV_DISK, d->title) < 0) {
			free(id);
			pl->failed = true;
			return;
		}
		plan_drive_device(pl, p, id, dev, d->drive, &ide);
		free(dev);
		free(id);
	}
	if (cdrom) {
		/* raw: an ISO is, and QEMU's guess could follow a qcow2's
		 * backing file to any file of the user's */
		plan_opt_path(pl, "-drive", "file=", r->cdrom,
		    ",format=raw,if=none,id=cdrom,media=cdrom,readonly=on");
		plan_litf(pl, true, "-device");
		if (p->arch == ARCH_X86_64)
			plan_litf(pl, false, "ide-cd,drive=cdrom,bus=ide.%d",
			    ide);
		else
			plan_litf(pl, false, "scsi-cd,drive=cdrom,bus=scsi0.0");
	}
	/*
	 * cloud-init's seed, read-only, on virtio-scsi: cloud kernels have
	 * it (Debian's has no AHCI, where q35's IDE CD-ROM sits)
	 */
	if (r->seed != NULL) {
		if ((pl->seed = strdup(r->seed)) == NULL)
			pl->failed = true;
		plan_opt_path(pl, "-drive", "file=", r->seed,
		    ",if=none,id=cidata,format=raw,media=cdrom,readonly=on");
		plan_opt(pl, "-device", "scsi-cd,drive=cidata,bus=scsi0.0");
	}
}

static void
plan_boot(struct plan *pl, const struct resolved *r)
{
	const struct profile	*p = r->p;
	struct plan_word	*w;
	size_t			 i;
	char			*c;

	switch (r->boot) {
	case BOOT_KERNEL:
		if (r->kernel != NULL)
			plan_opt(pl, "-kernel", r->kernel);
		if (r->initrd != NULL)
			plan_opt(pl, "-initrd", r->initrd);
		plan_litf(pl, true, "-append");
		w = plan_word(pl, PLAN_WORD, false);
		if (*p->append != '\0')
			plan_part(pl, w, PLAN_LIT, p->append);
		for (i = 0; i < r->consoles.n; i++) {
			if (asprintf(&c, "%sconsole=%s", i > 0 ||
			    *p->append != '\0' ? " " : "",
			    r->consoles.v[i]) < 0) {
				pl->failed = true;
				break;
			}
			plan_part(pl, w, PLAN_LIT, c);
			free(c);
		}
		plan_part(pl, w, PLAN_VAR, VAR_KPARAMS);
		break;
	case BOOT_UEFI:
		if ((pl->efi_vars = strdup(r->efi_vars)) == NULL ||
		    (pl->efi_vars_template = strdup(r->efi_vars_template)) ==
		    NULL) {
			pl->failed = true;
			return;
		}
		plan_opt_path(pl, "-drive",
		    "if=pflash,format=raw,unit=0,readonly=on,file=", r->firmware,
		    "");
		plan_opt_path(pl, "-drive", "if=pflash,format=raw,unit=1,file=",
		    pl->efi_vars, "");
		break;
	case BOOT_DISK:
		plan_opt(pl, "-boot", "order=c");
		break;
	case BOOT_CDROM:
		plan_opt(pl, "-boot", "order=c,once=d");
		break;
	case BOOT_UNSET:
		break;
	}
	if (r->bios != NULL)
		plan_opt(pl, "-bios", r->bios);
}

/*
 * Where the display shows: nowhere, VNC or SPICE on a socket in the
 * runtime folder (never a TCP port on every interface, never a fixed one
 * two machines fight over), a window, or (auto) a window when there is a
 * desktop and VNC when there is none, as the script finds at launch.
 * A display on TCP, loopback too (every local user reaches loopback),
 * asks for a password new at each launch: QEMU reads it from a file in
 * the runtime folder (a secret object), never from its command line,
 * which ps shows to everyone.
 */
static void
plan_display_where(struct plan *pl, const struct profile *p)
{
	struct plan_word	*w;

	switch (p->display) {
	case DISPLAY_AUTO:
		/* VNC on a socket when there is no desktop: as DISPLAY_VNC */
		pl->display_auto = true;
		pl->vnc_password = true;
		plan_opt_var(pl, "-object", "secret,id=vncpass,file=",
		    VAR_RUNDIR_Q, "/" PATHS_VNCPASS);
		plan_litf(pl, true, "-display");
		w = plan_word(pl, PLAN_WORD, false);
		plan_part(pl, w, PLAN_VAR, VAR_DISPLAY);
		break;
	case DISPLAY_NONE:
		plan_opt(pl, "-display", "none");
		break;
	case DISPLAY_VNC:
		/*
		 * A password, new at each launch, the owner's alone, on a
		 * socket too: whoever forwards it (ssh -L) opens it to others.
		 */
		pl->vnc_password = true;
		plan_opt_var(pl, "-object", "secret,id=vncpass,file=",
		    VAR_RUNDIR_Q, "/" PATHS_VNCPASS);
		if (*p->display_address == '\0') {
			plan_opt_var(pl, "-display", "vnc=unix:", VAR_RUNDIR_Q,
			    "/" PATHS_VNC ",password-secret=vncpass");
			break;
		}
		/*
		 * On TCP, at the first free port from 5900 (to=99): two
		 * machines never fight over one.
		 */
		plan_litf(pl, true, "-display");
		plan_litf(pl, false, "vnc=%s:0,to=99,password-secret=vncpass",
		    p->display_address);
		break;
	case DISPLAY_SPICE:
		/* a ticket as VNC's password, on a socket too */
		pl->spice_password = true;
		plan_opt_var(pl, "-object", "secret,id=spicepass,file=",
		    VAR_RUNDIR_Q, "/" PATHS_SPICEPASS);
		if (*p->display_address == '\0')
			plan_opt_var(pl, "-spice", "unix=on,addr=", VAR_RUNDIR_Q,
			    "/" PATHS_SPICE ",password-secret=spicepass");
		else {
			/*
			 * On TCP at a port the script finds free from 5930
			 * (SPICE has no range of its own).
			 */
			pl->spice_port = true;
			plan_litf(pl, true, "-spice");
			w = plan_litf(pl, false, "port=");
			plan_part(pl, w, PLAN_VAR, VAR_SPICE_PORT);
			plan_partf(pl, w, ",addr=%s,password-secret=spicepass",
			    p->display_address);
		}
		plan_opt(pl, "-display", "none");
		break;
	case DISPLAY_GTK:
	case DISPLAY_SDL:
		plan_opt(pl, "-display", schema_displays[p->display]);
		break;
	}
}

/*
 * -nodefaults: a display only when asked for, on the device asked, at the
 * size asked (then as -device with xres/yres, as -vga takes none); on x86
 * an absolute pointer as the seed has it, so the mouse does not drift.
 */
static void
plan_display(struct plan *pl, const struct profile *p)
{
	static const char *const x86[] = { "VGA", "virtio-vga", "qxl-vga" };
	long		 w, h;
	bool		 sized = schema_resolution(p->resolution, &w, &h) == 0;

	if (!p->graphics) {
		plan_opt(pl, "-nographic", NULL);
		return;
	}
	if (p->arch == ARCH_X86_64) {
		if (!sized || p->vga == VGA_NONE)
			plan_opt(pl, "-vga", schema_vgas[p->vga]);
		else {
			plan_litf(pl, true, "-device");
			plan_litf(pl, false, "%s,xres=%ld,yres=%ld", x86[p->vga],
			    w, h);
		}
		plan_opt(pl, "-usb", NULL);
		plan_opt(pl, "-device", "usb-tablet");
	} else if (p->vga == VGA_STD || p->vga == VGA_VIRTIO) {
		/* aarch64's virt machine: the virtio GPU, or none */
		if (!sized)
			plan_opt(pl, "-device", "virtio-gpu-pci");
		else {
			plan_litf(pl, true, "-device");
			plan_litf(pl, false, "virtio-gpu-pci,xres=%ld,yres=%ld",
			    w, h);
		}
	}
	plan_display_where(pl, p);
}

static void
plan_console(struct plan *pl, const struct profile *p)
{
	struct plan_word	*w;
	char			*sq = NULL;

	plan_display(pl, p);
	/*
	 * The serial console: on the terminal with QEMU's monitor (Ctrl-a c)
	 * as the seed has it, or, in the background form vmtui launches, on
	 * a socket in the runtime folder with QEMU itself logging every byte
	 * (the monitor is reached through QMP then, and Ctrl-a is the guest's).
	 */
	if ((pl->console_stdio = strdup("stdio,id=console,mux=on,signal=off"))
	    == NULL || (sq = quote_qemu(pl->state_dir)) == NULL ||
	    asprintf(&pl->console_background, "/" PATHS_CONSOLE ",server=on,"
	    "wait=off,logfile=%s/" PATHS_LOG ",logappend=on", sq) < 0) {
		pl->console_background = NULL;
		pl->failed = true;
	}
	free(sq);
	plan_opt_var(pl, "-chardev", "", VAR_CONSOLE, "");
	plan_opt(pl, "-serial", "chardev:console");
	w = plan_litf(pl, true, "-mon");
	if (w != NULL)
		w->stdio_only = true;
	w = plan_litf(pl, false, "chardev=console,mode=readline");
	if (w != NULL)
		w->stdio_only = true;
	if (p->virtio_keyboard)
		plan_opt(pl, "-device", "virtio-keyboard-pci");
	if (p->guest_agent) {
		plan_opt(pl, "-device", "virtio-serial-pci");
		plan_opt_var(pl, "-chardev", "socket,id=qga0,path=",
		    VAR_RUNDIR_Q, "/" PATHS_QGA ",server=on,wait=off");
		plan_opt(pl, "-device",
		    "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0");
	}
	/*
	 * QMP: QEMU serves one client of a socket at a time, and a view
	 * holds its connection while it is attached (for the machine's
	 * events); --stop, --list and the rest have a socket of their own.
	 */
	plan_opt_var(pl, "-chardev", "socket,id=qmp,path=", VAR_RUNDIR_Q,
	    "/" PATHS_QMP ",server=on,wait=off");
	plan_opt(pl, "-mon", "chardev=qmp,mode=control");
	plan_opt_var(pl, "-chardev", "socket,id=qmp-view,path=",
	    VAR_RUNDIR_Q, "/" PATHS_QMP_VIEW ",server=on,wait=off");
	plan_opt(pl, "-mon", "chardev=qmp-view,mode=control");
	/* the watcher of auto-forward holds a third, for as long as it runs */
	if (pl->watch) {
		plan_opt_var(pl, "-chardev", "socket,id=qmp-watch,path=",
		    VAR_RUNDIR_Q, "/" PATHS_QMP_WATCH ",server=on,wait=off");
		plan_opt(pl, "-mon", "chardev=qmp-watch,mode=control");
	}
	plan_litf(pl, true, "-pidfile");
	w = plan_word(pl, PLAN_WORD, false);
	plan_part(pl, w, PLAN_VAR, VAR_RUNDIR);
	plan_part(pl, w, PLAN_LIT, "/" PATHS_PIDFILE);
}

/*
 * PCIe root ports kept free: a device attached while the machine runs
 * (a disk) goes into one (q35's and virt's root bus takes none). At a
 * slot of their own, so that every other device keeps its address.
 */
static void
plan_hotplug(struct plan *pl)
{
	int	i;

	for (i = 0; i < PLAN_HOTPLUG_PORTS; i++) {
		plan_litf(pl, true, "-device");
		plan_litf(pl, false, "pcie-root-port,id=" PLAN_HOTPLUG_PORT
		    ",bus=pcie.0,addr=0x%x.%d%s,chassis=%d,slot=%d", i,
		    PLAN_HOTPLUG_SLOT, i, i == 0 ? ",multifunction=on" : "",
		    PLAN_HOTPLUG_SLOT, i);
	}
}

/* QEMU's argv for the resolved machine, and what the script prepares. */
static int
plan_qemu(const struct resolved *r, struct plan **out, char **cause)
{
	const struct profile	*p = r->p;
	struct plan		*pl;
	size_t			 i;

	*out = NULL;
	if ((pl = calloc(1, sizeof *pl)) == NULL ||
	    (pl->name = strdup(r->name)) == NULL ||
	    (pl->profile = strdup(r->profile)) == NULL ||
	    (pl->runtime_dir = strdup(r->runtime_dir)) == NULL ||
	    (pl->state_dir = strdup(r->state_dir)) == NULL ||
	    (pl->binary = strdup(r->binary)) == NULL) {
		plan_free(pl);
		*cause = strdup("out of memory");
		return -1;
	}
	/* sockets live there: sun_path holds 108 bytes, qmp-view.sock longest */
	if (strlen(pl->runtime_dir) + sizeof "/" PATHS_QMP_VIEW > 108) {
		if (asprintf(cause, "the runtime folder %s is too long for "
		    "QEMU's sockets; set XDG_RUNTIME_DIR to a shorter path",
		    pl->runtime_dir) < 0)
			*cause = NULL;
		plan_free(pl);
		return -1;
	}
	pl->arch = r->arch;
	pl->watch = autofwd_on(p);
	plan_litf(pl, false, "%s", pl->binary);
	plan_opt(pl, "-name", NULL);
	plan_litf(pl, false, "guest=%s", r->name);
	plan_opt(pl, "-machine", p->arch == ARCH_AARCH64 ? "virt" : "q35");
	/* every device is named below; none come by default */
	plan_opt(pl, "-nodefaults", NULL);
	plan_litf(pl, true, "-m");
	plan_litf(pl, false, "%ld", p->memory);
	plan_litf(pl, false, "-smp");
	plan_litf(pl, false, "%ld", p->cores);
	plan_accel(pl, p);
	plan_opt(pl, "-device", "virtio-rng-pci");
	plan_network(pl, p);
	plan_shares(pl, r);
	plan_disks(pl, r);
	plan_boot(pl, r);
	/* an installer's reboot ends the machine: vmtui offers the disk */
	if (p->installer)
		plan_opt(pl, "-no-reboot", NULL);
	plan_console(pl, p);
	plan_hotplug(pl);
	for (i = 0; i < p->qemu_options.n; i++)
		plan_litf(pl, i == 0, "%s", p->qemu_options.v[i]);
	/* an import's raw arguments, taken with --allow-qemu-args */
	for (i = 0; i < p->qemu_imported_options.n; i++)
		plan_litf(pl, i == 0, "%s", p->qemu_imported_options.v[i]);
	plan_word(pl, PLAN_SPLIT, true);
	plan_word(pl, PLAN_ARGS, false);

	if (pl->failed) {
		plan_free(pl);
		*cause = strdup("cannot plan the launch: out of memory");
		return -1;
	}
	*out = pl;
	return 0;
}

/* The plan for a profile that validate_check() accepts: resolve, render. */
int
plan_build(const struct profile *p, struct plan **out, char **cause)
{
	struct resolved	*r;
	int		 ret;

	*out = NULL;
	if (resolve_machine(p, &r, cause) != 0)
		return -1;
	ret = plan_qemu(r, out, cause);
	resolve_free(r);
	return ret;
}

static char *
plan_escaped(const char *s)
{
	return quote_qemu(s != NULL ? s : "");
}

/* The value a script variable has under env. */
static char *
plan_var_value(const struct plan *pl, const char *var,
    const struct plan_env *env)
{
	char	*s, *t;
	int	 r;

	if (strcmp(var, VAR_ROOT) == 0)
		return plan_escaped(env->disk_image);
	if (strcmp(var, VAR_TMP) == 0)
		return plan_escaped(env->tmpdir);
	if (strcmp(var, VAR_SHARED) == 0) {
		if (env->shared_dir != NULL && *env->shared_dir != '\0')
			return plan_escaped(env->shared_dir);
		if (asprintf(&t, "%s/xchg", env->tmpdir) < 0)
			return NULL;
		s = plan_escaped(t);
		free(t);
		return s;
	}
	if (strcmp(var, VAR_DISPLAY) == 0) {
		if (env->window)
			return strdup("gtk");
		if ((t = quote_qemu(pl->runtime_dir)) == NULL)
			return NULL;
		r = asprintf(&s, "vnc=unix:%s/" PATHS_VNC
		    ",password-secret=vncpass", t);
		free(t);
		return r < 0 ? NULL : s;
	}
	if (strcmp(var, VAR_RUNDIR) == 0)
		return strdup(pl->runtime_dir);
	if (strcmp(var, VAR_RUNDIR_Q) == 0)
		return quote_qemu(pl->runtime_dir);
	if (strcmp(var, VAR_CONSOLE) == 0) {
		if (!env->background)
			return strdup(pl->console_stdio);
		if ((t = quote_qemu(pl->runtime_dir)) == NULL)
			return NULL;
		r = asprintf(&s, PLAN_CONSOLE_SOCKET "%s%s", t,
		    pl->console_background);
		free(t);
		return r < 0 ? NULL : s;
	}
	if (strcmp(var, VAR_ACCEL) == 0)
		return strdup(env->kvm ? "kvm" : "tcg");
	if (strcmp(var, VAR_CPU) == 0)
		return strdup(env->kvm ? "host" : "max");
	if (strcmp(var, VAR_KPARAMS) == 0) {
		if (env->kernel_params == NULL || *env->kernel_params == '\0')
			return strdup("");
		return asprintf(&s, " %s", env->kernel_params) < 0 ? NULL : s;
	}
	/* as the script makes them from the uid (script.c) */
	if (strcmp(var, VAR_VLAN_NET) == 0)
		return asprintf(&s, "239.%ld.%ld", env->uid >> 8 & 255,
		    env->uid & 255) < 0 ? NULL : s;
	if (strcmp(var, VAR_VLAN_PORT) == 0)
		return asprintf(&s, "%ld", 41720 + (env->uid >> 16) % 20000) <
		    0 ? NULL : s;
	if (strcmp(var, VAR_SPICE_PORT) == 0)
		return env->spice_port > 0 ? asprintf(&s, "%ld",
		    env->spice_port) < 0 ? NULL : s : strdup(VAR_SPICE_PORT);
	if (strcmp(var, VAR_NETOPTS) == 0) {
		if (env->net_opts == NULL || *env->net_opts == '\0')
			return strdup("");
		return asprintf(&s, ",%s", env->net_opts) < 0 ? NULL : s;
	}
	return NULL;
}

/* The argv that the rendered script hands QEMU under env. */
int
plan_expand(const struct plan *pl, const struct plan_env *env,
    struct strv *argv)
{
	struct buf	 b;
	size_t		 i, j;
	char		*s;

	for (i = 0; i < pl->nwords; i++) {
		const struct plan_word *w = &pl->words[i];

		if (w->kind == PLAN_SPLIT) {
			if (env->opts != NULL && strv_copy(argv, env->opts))
				return -1;
			continue;
		}
		if (w->kind == PLAN_ARGS) {
			if (env->args != NULL && strv_copy(argv, env->args))
				return -1;
			continue;
		}
		if (w->stdio_only && env->background)
			continue;
		buf_init(&b);
		for (j = 0; j < w->nparts; j++) {
			if (w->parts[j].kind == PLAN_LIT) {
				buf_puts(&b, w->parts[j].text);
				continue;
			}
			if ((s = plan_var_value(pl, w->parts[j].text, env)) == NULL)
				b.failed = 1;
			else
				buf_puts(&b, s);
			free(s);
		}
		if ((s = buf_finish(&b, NULL)) == NULL)
			return -1;
		if (strv_add(argv, s) != 0) {
			free(s);
			return -1;
		}
		free(s);
	}
	return 0;
}

void
plan_free(struct plan *pl)
{
	size_t	i, j;

	if (pl == NULL)
		return;
	for (i = 0; i < pl->nwords; i++) {
		for (j = 0; j < pl->words[i].nparts; j++)
			free(pl->words[i].parts[j].text);
		free(pl->words[i].parts);
	}
	free(pl->words);
	for (i = 0; i < pl->nimages; i++) {
		free(pl->images[i].path);
		free(pl->images[i].title);
	}
	free(pl->images);
	free(pl->name);
	free(pl->binary);
	free(pl->profile);
	free(pl->runtime_dir);
	free(pl->state_dir);
	free(pl->root_image);
	free(pl->root_backing);
	free(pl->efi_vars);
	free(pl->efi_vars_template);
	free(pl->seed);
	free(pl->console_stdio);
	free(pl->console_background);
	free(pl);
}
