/*
 * domxml: the libvirt backend. It writes the resolved machine (resolve.c)
 * as a libvirt domain's XML with libxml2's writer, so every value is
 * escaped by construction; plan.c is the other backend, for QEMU's argv.
 * vmtui.conf(5) has the mapping as a table, key by key.
 *
 * What libvirt 9 cannot express is refused with a message naming the key
 * (a forward from the guest, vlans, an ephemeral disk, NVMe, the exchange
 * folder, a display window or one off loopback), never dropped. Free-form
 * qemu options, and the user network when it has forwards or is
 * restricted, go through libvirt's qemu:commandline, each argument as it
 * is (no shell is involved).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "domxml.h"
#include "paths.h"
#include "preflight.h"
#include "strv.h"
#include "xmllib.h"

#define DOMXML_QEMU_NS	"http://libvirt.org/schemas/domain/qemu/1.0"
/* vmtui's own part of <metadata> (what a domain has no place for) */
#define DOMXML_VMTUI_NS	"urn:vmtui:domain:1"
/* a PCI slot of pcie.0 that libvirt's own devices leave free */
#define DOMXML_NET_SLOT	"0x10"
/* the end of domxml_elem's attributes: a pointer, as va_arg reads it */
#define DOMXML_END	((const char *)NULL)

struct domxml {
	xmlTextWriterPtr	 w;
	const struct resolved	*r;
	const struct profile	*p;
	const struct domxml_target *t;
	struct strv		 refused;	/* one line a key */
	struct strv		 qemu_args;	/* for qemu:commandline */
	int			 failed;	/* the writer failed */
};

/* What libvirt cannot express: said, one key a line, in place of the XML. */
#define domxml_refuse(x, ...)	((x)->failed |= \
	strv_addf(&(x)->refused, __VA_ARGS__) != 0)

static void
domxml_start(struct domxml *x, const char *name)
{
	x->failed |= xl.xmlTextWriterStartElement(x->w, BAD_CAST name) < 0;
}

static void
domxml_end(struct domxml *x)
{
	x->failed |= xl.xmlTextWriterEndElement(x->w) < 0;
}

static void
domxml_attr(struct domxml *x, const char *name, const char *value)
{
	x->failed |= xl.xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
	    BAD_CAST value) < 0;
}

static void
domxml_attrf(struct domxml *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
domxml_attrf(struct domxml *x, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		va_end(ap);
		x->failed = 1;
		return;
	}
	va_end(ap);
	domxml_attr(x, name, s);
	free(s);
}

/* <name attr=value ...>text</name>; attributes as pairs, NULL ended. */
static void
domxml_elem(struct domxml *x, const char *name, const char *text, ...)
{
	va_list		 ap;
	const char	*a, *v;

	domxml_start(x, name);
	va_start(ap, text);
	while ((a = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		domxml_attr(x, a, v);
	}
	va_end(ap);
	if (text != NULL)
		x->failed |= xl.xmlTextWriterWriteString(x->w, BAD_CAST text) < 0;
	domxml_end(x);
}

static const char *
domxml_format(const struct profile_drive *dr, const char *path)
{
	if (dr->format != FORMAT_UNSET)
		return schema_formats[dr->format];
	/* libvirt never probes (a guest could claim a backing file) */
	/* made at the first boot, when missing: qcow2 */
	return resolve_image_format(path) == FORMAT_RAW ? "raw" : "qcow2";
}

/* The target device name of the n-th disk on the bus: vda, sdb, ... */
static void
domxml_target(struct domxml *x, const char *prefix, int n, const char *bus)
{
	char	dev[16];

	if (n < 26)
		snprintf(dev, sizeof dev, "%s%c", prefix, 'a' + n);
	else
		snprintf(dev, sizeof dev, "%s%c%c", prefix, 'a' + n / 26 - 1,
		    'a' + n % 26);
	domxml_elem(x, "target", NULL, "dev", dev, "bus", bus, DOMXML_END);
}

/*
 * The image a root disk stands on, as libvirt states a backing chain
 * (the overlay's header names it too; libvirt reads the chain from here).
 */
static void
domxml_backing(struct domxml *x)
{
	domxml_start(x, "backingStore");
	domxml_attr(x, "type", "file");
	domxml_elem(x, "format", NULL, "type", x->r->root_backing_format,
	    DOMXML_END);
	domxml_elem(x, "source", NULL, "file", x->r->root_backing, DOMXML_END);
	domxml_elem(x, "backingStore", NULL, DOMXML_END);
	domxml_end(x);
}

static void
domxml_disk(struct domxml *x, const char *path, const struct profile_drive *dr,
    int *n)
{
	static const char *const buses[] = { "virtio", "scsi", "sata", "" };
	enum diskif	 ifc = x->p->disk_interface;

	domxml_start(x, "disk");
	domxml_attr(x, "type", "file");
	domxml_attr(x, "device", "disk");
	domxml_start(x, "driver");
	domxml_attr(x, "name", "qemu");
	domxml_attr(x, "type", domxml_format(dr, path));
	domxml_attr(x, "cache", schema_caches[dr->cache]);
	if (dr->discard)
		domxml_attr(x, "discard", "unmap");
	domxml_end(x);
	domxml_elem(x, "source", NULL, "file", path, DOMXML_END);
	if (dr == x->r->root_drive && x->r->root_backing != NULL)
		domxml_backing(x);
	domxml_target(x, ifc == DISKIF_VIRTIO ? "vd" : "sd", (*n)++,
	    buses[ifc]);
	if (dr->readonly)
		domxml_elem(x, "readonly", NULL, DOMXML_END);
	if (*dr->serial != '\0')
		domxml_elem(x, "serial", dr->serial, DOMXML_END);
	domxml_end(x);
}

static void
domxml_disks(struct domxml *x)
{
	const struct resolved	*r = x->r;
	size_t			 i;
	int			 n = 0, sd;

	if (x->p->disk_interface == DISKIF_NVME &&
	    (r->root_image != NULL || r->ndisks > 0))
		domxml_refuse(x, "disk-interface = \"nvme\": libvirt 9 has no "
		    "NVMe disk bus; use virtio, scsi or ide to export");
	if (r->root_image != NULL)
		domxml_disk(x, r->root_image, r->root_drive, &n);
	for (i = 0; i < r->ndisks; i++) {
		if (r->disks[i].path == NULL) {
			domxml_refuse(x, "disk \"%s\": ephemeral = true (a new "
			    "image each boot) has no libvirt equivalent; make "
			    "it a kept disk to export", r->disks[i].title);
			continue;
		}
		domxml_disk(x, r->disks[i].path, r->disks[i].drive, &n);
	}
	if (r->boot == BOOT_CDROM) {
		/* on SATA after the disks there, as QEMU's ide-cd */
		sd = x->p->disk_interface == DISKIF_VIRTIO ? 0 : n;
		domxml_start(x, "disk");
		domxml_attr(x, "type", "file");
		domxml_attr(x, "device", "cdrom");
		domxml_elem(x, "driver", NULL, "name", "qemu", "type", "raw",
		    DOMXML_END);
		domxml_elem(x, "source", NULL, "file", r->cdrom, DOMXML_END);
		domxml_target(x, "sd", sd, x->p->arch == ARCH_X86_64 ?
		    "sata" : "scsi");
		domxml_elem(x, "readonly", NULL, DOMXML_END);
		domxml_end(x);
	}
	/*
	 * cloud-init's seed could be a read-only CD-ROM here, but --import
	 * would not know it from an installer's, nor the section's keys
	 */
	if (r->seed != NULL)
		domxml_refuse(x, "cloud-init: the NoCloud seed (its user, keys "
		    "and pinned host key) is not carried to libvirt yet; "
		    "export the machine without its cloud-init section");
	if (x->p->disk_interface == DISKIF_SCSI ||
	    (r->boot == BOOT_CDROM && x->p->arch != ARCH_X86_64))
		domxml_elem(x, "controller", NULL, "type", "scsi", "model",
		    "virtio-scsi", DOMXML_END);
}

static void
domxml_os(struct domxml *x)
{
	const struct resolved	*r = x->r;
	const struct profile	*p = x->p;
	struct buf		 cmd;
	char			*s;
	size_t			 i;

	domxml_start(x, "os");
	domxml_elem(x, "type", "hvm", "arch", r->arch, "machine",
	    p->arch == ARCH_X86_64 ? "q35" : "virt", DOMXML_END);
	switch (r->boot) {
	case BOOT_KERNEL:
		if (r->kernel != NULL)
			domxml_elem(x, "kernel", r->kernel, DOMXML_END);
		if (r->initrd != NULL)
			domxml_elem(x, "initrd", r->initrd, DOMXML_END);
		buf_init(&cmd);
		buf_puts(&cmd, p->append);
		for (i = 0; i < r->consoles.n; i++)
			buf_printf(&cmd, "%sconsole=%s", i > 0 ||
			    *p->append != '\0' ? " " : "", r->consoles.v[i]);
		if ((s = buf_finish(&cmd, NULL)) == NULL)
			x->failed = 1;
		else if (*s != '\0')
			domxml_elem(x, "cmdline", s, DOMXML_END);
		free(s);
		break;
	case BOOT_UEFI:
		domxml_elem(x, "loader", r->firmware, "readonly", "yes",
		    "type", "pflash", DOMXML_END);
		domxml_elem(x, "nvram", r->efi_vars, "template",
		    r->efi_vars_template, DOMXML_END);
		domxml_elem(x, "boot", NULL, "dev", "hd", DOMXML_END);
		break;
	case BOOT_CDROM:
		domxml_elem(x, "boot", NULL, "dev", "cdrom", DOMXML_END);
		domxml_elem(x, "boot", NULL, "dev", "hd", DOMXML_END);
		break;
	default:
		domxml_elem(x, "boot", NULL, "dev", "hd", DOMXML_END);
		break;
	}
	if (r->bios != NULL)
		domxml_elem(x, "loader", r->bios, "type", "rom", DOMXML_END);
	domxml_end(x);
}

/* The line of forward i in its file (0 when it was not read from one). */
static int
domxml_line(const struct profile *p, size_t i)
{
	const struct profile_lines	*l = profile_lines_of(p, SCHEMA_FORWARD,
					    i);

	return l != NULL ? l->line : 0;
}

static void
domxml_network(struct domxml *x)
{
	const struct profile	*p = x->p;
	struct buf		 net;
	char			*s;
	size_t			 i;

	if (p->network == NETWORK_USER && p->nforwards == 0 &&
	    !p->restrict_network) {
		/* libvirt's own user network (slirp) */
		domxml_start(x, "interface");
		domxml_attr(x, "type", "user");
		domxml_elem(x, "model", NULL, "type", "virtio", DOMXML_END);
		domxml_end(x);
	} else if (p->network == NETWORK_USER) {
		/*
		 * Forwards, or restrict: the user network as QEMU's own,
		 * through qemu:commandline (Debian 12's libvirt 9.0 is built
		 * without passt, the one user network with port forwards),
		 * its NIC at a PCI slot libvirt leaves free. Addresses and
		 * ports are validated words.
		 */
		buf_init(&net);
		buf_puts(&net, "user,id=vmtui-net0");
		if (p->restrict_network)
			buf_puts(&net, ",restrict=on");
		for (i = 0; i < p->nforwards; i++) {
			const struct profile_forward *f = &p->forwards[i];

			if (f->from == FWD_GUEST) {
				domxml_refuse(x, "forward (line %d): from = "
				    "\"guest\" (QEMU's guestfwd runs a command, "
				    "which libvirt's sandbox forbids)",
				    domxml_line(p, i));
				continue;
			}
			buf_printf(&net, ",hostfwd=%s:%s:%ld-%s:%ld",
			    schema_protos[f->proto], f->host_address,
			    f->host_port, f->guest_address, f->guest_port);
		}
		if ((s = buf_finish(&net, NULL)) == NULL)
			x->failed = 1;
		x->failed |= strv_add(&x->qemu_args, "-netdev") != 0 ||
		    (s != NULL && strv_add(&x->qemu_args, s) != 0) ||
		    strv_add(&x->qemu_args, "-device") != 0 ||
		    strv_add(&x->qemu_args, "virtio-net-pci,netdev=vmtui-net0,"
		    "bus=pcie.0,addr=" DOMXML_NET_SLOT) != 0;
		free(s);
	}
	/*
	 * libvirt's multicast interface joins its group on the host's
	 * default interface, not on loopback as the launch script's do:
	 * the guest's LAN would reach the host's. Refused, not exposed.
	 */
	if (p->vlans.n > 0)
		domxml_refuse(x, "vlans: libvirt's multicast network cannot be "
		    "held to loopback (the virtual LAN would reach the host's "
		    "network); leave vlans out to export, and join the "
		    "machines with a libvirt network");
	/* the guest's ports forwarded on their own: vmtui's watcher */
	if (p->auto_forward == AUTOFWD_TRUE)
		domxml_refuse(x, "auto-forward = true: vmtui's watcher forwards "
		    "the guest's ports, and a libvirt domain has none; leave "
		    "it out to export");
}

static void
domxml_display(struct domxml *x)
{
	static const char *const models[] = { "vga", "virtio", "qxl" };
	const struct profile	*p = x->p;
	long			 w, h;
	bool			 sized = schema_resolution(p->resolution, &w,
				     &h) == 0;

	if (!p->graphics)
		return;
	switch (p->display) {
	case DISPLAY_GTK:
	case DISPLAY_SDL:
		domxml_refuse(x, "display = \"%s\": a libvirt domain has no "
		    "window of its own; use vnc or spice (virt-viewer shows "
		    "them)", schema_displays[p->display]);
		break;
	case DISPLAY_AUTO:
	case DISPLAY_VNC:
	case DISPLAY_SPICE:
		if (*p->display_address != '\0' &&
		    strncmp(p->display_address, "127.", 4) != 0) {
			domxml_refuse(x, "display-address = \"%s\": off "
			    "loopback vmtui makes a password at each launch; "
			    "in libvirt set one yourself (virsh edit), or "
			    "export with a loopback address",
			    p->display_address);
			break;
		}
		domxml_start(x, "graphics");
		domxml_attr(x, "type", p->display == DISPLAY_SPICE ? "spice" :
		    "vnc");
		domxml_attr(x, "autoport", "yes");
		domxml_elem(x, "listen", NULL, "type", "address", "address",
		    *p->display_address != '\0' ? p->display_address :
		    "127.0.0.1", DOMXML_END);
		domxml_end(x);
		break;
	case DISPLAY_NONE:
		break;
	}
	if (p->vga != VGA_NONE) {
		domxml_start(x, "video");
		domxml_start(x, "model");
		domxml_attr(x, "type", p->arch == ARCH_X86_64 ?
		    models[p->vga] : "virtio");
		if (sized) {
			domxml_start(x, "resolution");
			domxml_attrf(x, "x", "%ld", w);
			domxml_attrf(x, "y", "%ld", h);
			domxml_end(x);
		}
		domxml_end(x);
		domxml_end(x);
	}
	if (p->arch == ARCH_X86_64)
		domxml_elem(x, "input", NULL, "type", "tablet", "bus", "usb",
		    DOMXML_END);
}

static void
domxml_devices(struct domxml *x)
{
	const struct resolved	*r = x->r;
	const struct profile	*p = x->p;
	char			*log;
	size_t			 i;

	domxml_start(x, "devices");
	/* a QEMU named by path; one on PATH is the target's own */
	if (strchr(r->binary, '/') != NULL)
		domxml_elem(x, "emulator", r->binary, DOMXML_END);
	domxml_disks(x);
	for (i = 0; i < r->nshares; i++) {
		domxml_start(x, "filesystem");
		domxml_attr(x, "type", "mount");
		/* QEMU's security_model=none: failures of chown ignored */
		domxml_attr(x, "accessmode", "squash");
		domxml_elem(x, "source", NULL, "dir", r->shares[i].source,
		    DOMXML_END);
		domxml_elem(x, "target", NULL, "dir", r->shares[i].tag, DOMXML_END);
		if (r->shares[i].readonly)
			domxml_elem(x, "readonly", NULL, DOMXML_END);
		domxml_end(x);
	}
	if (p->exchange_dir)
		domxml_refuse(x, "exchange-dir = true: the exchange folder is "
		    "a run's temp folder, which libvirt does not make; share "
		    "a folder (share { }) instead");
	domxml_network(x);
	/* the serial console, logged where vmtui logs it */
	domxml_start(x, "serial");
	domxml_attr(x, "type", "pty");
	if (x->t->nolog)
		;
	else if (asprintf(&log, "%s/" PATHS_LOG, r->state_dir) < 0)
		x->failed = 1;
	else {
		domxml_elem(x, "log", NULL, "file", log, "append", "on", DOMXML_END);
		free(log);
	}
	domxml_elem(x, "target", NULL, "port", "0", DOMXML_END);
	domxml_end(x);
	domxml_start(x, "console");
	domxml_attr(x, "type", "pty");
	domxml_elem(x, "target", NULL, "type", "serial", "port", "0", DOMXML_END);
	domxml_end(x);
	if (p->guest_agent) {
		domxml_start(x, "channel");
		domxml_attr(x, "type", "unix");
		domxml_elem(x, "target", NULL, "type", "virtio", "name",
		    "org.qemu.guest_agent.0", DOMXML_END);
		domxml_end(x);
	}
	if (p->virtio_keyboard)
		domxml_elem(x, "input", NULL, "type", "keyboard", "bus",
		    "virtio", DOMXML_END);
	domxml_display(x);
	domxml_start(x, "rng");
	domxml_attr(x, "model", "virtio");
	domxml_elem(x, "backend", "/dev/urandom", "model", "random", DOMXML_END);
	domxml_end(x);
	/* -nodefaults: no balloon */
	domxml_elem(x, "memballoon", NULL, "model", "none", DOMXML_END);
	domxml_end(x);
}

/*
 * What a domain has no place for but an import needs to give the profile
 * back as it was: the sizes images are made at, where the display is
 * shown (auto, and a socket, which the domain has as loopback).
 */
static void
domxml_metadata(struct domxml *x)
{
	const struct resolved	*r = x->r;
	const struct profile	*p = x->p;
	size_t			 i;

	domxml_start(x, "metadata");
	domxml_start(x, "vmtui:machine");
	domxml_attr(x, "xmlns:vmtui", DOMXML_VMTUI_NS);
	if (p->graphics)
		domxml_elem(x, "vmtui:display", NULL, "how",
		    schema_displays[p->display], "address", p->display_address,
		    DOMXML_END);
	if (r->root_image != NULL) {
		domxml_start(x, "vmtui:disk");
		domxml_attr(x, "name", "root");
		domxml_attrf(x, "size", "%ld", r->root_size);
		domxml_end(x);
	}
	for (i = 0; i < r->ndisks; i++) {
		domxml_start(x, "vmtui:disk");
		domxml_attr(x, "name", r->disks[i].title);
		domxml_attrf(x, "size", "%ld", r->disks[i].size);
		domxml_end(x);
	}
	domxml_end(x);
	domxml_end(x);
}

/*
 * The domain XML of the resolved machine for a target, in *xml; or -1 and
 * every key libvirt cannot express (one a line) in *cause.
 */
int
domxml_render(const struct resolved *r, const struct domxml_target *t,
    char **xml, char **cause)
{
	struct domxml		 x;
	const struct profile	*p = r->p;
	xmlBufferPtr		 b;
	bool			 kvm = p->accel == ACCEL_KVM ||
				     (p->accel == ACCEL_AUTO && t->kvm);
	size_t			 i;

	*xml = NULL;
	if (xmllib_load(cause) != 0)
		return -1;
	memset(&x, 0, sizeof x);
	x.r = r;
	x.p = p;
	x.t = t;
	if ((b = xl.xmlBufferCreate()) == NULL ||
	    (x.w = xl.xmlNewTextWriterMemory(b, 0)) == NULL) {
		xl.xmlBufferFree(b);
		return diag_cause(cause, "out of memory");
	}
	x.failed |= xl.xmlTextWriterSetIndent(x.w, 1) < 0;
	x.failed |= xl.xmlTextWriterSetIndentString(x.w, BAD_CAST "  ") < 0;
	domxml_start(&x, "domain");
	domxml_attr(&x, "type", kvm ? "kvm" : "qemu");
	if (p->qemu_options.n > 0 || p->qemu_imported_options.n > 0 ||
	    (p->network == NETWORK_USER &&
	    (p->nforwards > 0 || p->restrict_network)))
		domxml_attr(&x, "xmlns:qemu", DOMXML_QEMU_NS);
	domxml_elem(&x, "name", p->name, DOMXML_END);
	if (t->uuid != NULL)
		domxml_elem(&x, "uuid", t->uuid, DOMXML_END);
	if (*p->description != '\0')
		domxml_elem(&x, "description", p->description, DOMXML_END);
	domxml_metadata(&x);
	domxml_start(&x, "memory");
	domxml_attr(&x, "unit", "MiB");
	x.failed |= xl.xmlTextWriterWriteFormatString(x.w, "%ld", p->memory) < 0;
	domxml_end(&x);
	domxml_start(&x, "vcpu");
	x.failed |= xl.xmlTextWriterWriteFormatString(x.w, "%ld", p->cores) < 0;
	domxml_end(&x);
	domxml_os(&x);
	if (p->arch == ARCH_X86_64) {
		domxml_start(&x, "features");
		domxml_elem(&x, "acpi", NULL, DOMXML_END);
		domxml_elem(&x, "apic", NULL, DOMXML_END);
		domxml_end(&x);
	}
	domxml_elem(&x, "cpu", NULL, "mode", kvm ? "host-passthrough" :
	    "maximum", DOMXML_END);
	if (p->rtc_localtime)
		domxml_elem(&x, "clock", NULL, "offset", "localtime",
		    DOMXML_END);
	/* an installer's reboot ends it, as -no-reboot does */
	domxml_elem(&x, "on_reboot", p->installer ? "destroy" : "restart",
	    DOMXML_END);
	domxml_devices(&x);
	x.failed |= strv_copy(&x.qemu_args, &p->qemu_options) != 0 ||
	    strv_copy(&x.qemu_args, &p->qemu_imported_options) != 0;
	if (x.qemu_args.n > 0) {
		domxml_start(&x, "qemu:commandline");
		for (i = 0; i < x.qemu_args.n; i++)
			domxml_elem(&x, "qemu:arg", NULL, "value",
			    x.qemu_args.v[i], DOMXML_END);
		domxml_end(&x);
	}
	strv_free(&x.qemu_args);
	domxml_end(&x);
	x.failed |= xl.xmlTextWriterEndDocument(x.w) < 0;
	xl.xmlBufferCCat(b, "\n");
	xl.xmlFreeTextWriter(x.w);
	if (x.refused.n > 0) {
		xl.xmlBufferFree(b);
		*cause = strv_join(&x.refused, "\n");
		strv_free(&x.refused);
		return -1;
	}
	if (x.failed || (*xml = strdup((const char *)xl.xmlBufferContent(b))) ==
	    NULL) {
		xl.xmlBufferFree(b);
		return diag_cause(cause, "cannot write the domain XML: out of "
		    "memory");
	}
	xl.xmlBufferFree(b);
	return 0;
}

/*
 * The domain XML of the machine a valid profile means, for this host
 * (kvm where vmtui would use KVM): what --export prints.
 */
int
domxml_machine(const struct profile *p, char **xml, char **cause)
{
	struct domxml_target	 t = { false, NULL, false };
	struct resolved		*r;
	char			*why = NULL;
	int			 ret;

	*xml = NULL;
	t.kvm = preflight_kvm_usable(p->arch, &why);
	free(why);
	if (resolve_machine(p, &r, cause) != 0)
		return -1;
	if ((ret = domxml_render(r, &t, xml, cause)) != 0 && *cause != NULL) {
		why = *cause;
		diag_cause(cause, "%s cannot be exported to libvirt:\n%s",
		    p->name, why);
		free(why);
	}
	resolve_free(r);
	return ret;
}
