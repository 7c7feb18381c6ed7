/*
 * domimport: a libvirt domain's XML back as a profile, the reverse of
 * domxml.c's mapping (vmtui.conf(5) has the table). Every element of the
 * domain is either mapped, known to carry nothing a profile holds (the
 * serial console, controllers, the rng, ...), or listed as lost; the
 * caller refuses the import while that list is not empty, unless told to
 * lose it. The profile goes through validate_check() like a loaded one.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "firmware.h"
#include "domimport.h"
#include "hostfiles.h"
#include "paths.h"
#include "resolve.h"
#include "validate.h"
#include "xmllib.h"

#define DOMIMPORT_QEMU_NS	"http://libvirt.org/schemas/domain/qemu/1.0"
#define DOMIMPORT_VMTUI_NS	"urn:vmtui:domain:1"
/* the user network's device as domxml.c writes it, to the byte */
#define DOMIMPORT_NET_DEVICE	"virtio-net-pci,netdev=vmtui-net0,bus=pcie.0," \
	"addr=0x10"

struct domimport {
	struct profile	*p;
	struct diag	 refused;	/* FILE:LINE: why, for the cause */
	struct strv	*lost;
	struct strv	*raw;		/* qemu:commandline's, as they are */
	struct strv	*notes;		/* what the import changed */
	int		 oom;
	int		 disks;		/* <disk device="disk"> seen */
	const char	*bus;		/* the first disk's */
	char		*cdrom;		/* a cdrom's ISO */
	const xmlNode	*graphics;	/* the first <graphics>, or NULL */
	char		*listen;	/* its address, or NULL */
	bool		 boot_cdrom, boot_hd, pflash;
	bool		 remote;	/* another host's domain */
};

/* What the import changed, and how to put it back, one line each. */
#define domimport_note(d, ...)	((d)->oom |= \
	strv_addf((d)->notes, __VA_ARGS__) != 0)

/* What a profile cannot hold, one line each. */
#define domimport_lost(d, ...)	((d)->oom |= \
	strv_addf((d)->lost, __VA_ARGS__) != 0)

/* Why the import is refused, at node's line: FILE:LINE: why. */
#define domimport_refuse(d, node, ...)	diag_add(&(d)->refused, \
	domimport_line(node), __VA_ARGS__)

/* What libvirt reads once (the first, by XPath), by where it is. */
static const char *const domimport_once_domain[] = { "name", "uuid",
	"genid", "title", "description", "metadata", "maxMemory", "memory",
	"currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu",
	"vcpus", "iothreads", "cputune", "numatune", "resource", "os",
	"features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash",
	"on_lockfailure", "pm", "perf", "devices", "idmap", "keywrap",
	"launchSecurity", NULL };
static const char *const domimport_once_os[] = { "type", "kernel",
	"initrd", "cmdline", "dtb", "loader", "nvram", "bootmenu", "smbios",
	"bios", "acpi", "init", "initdir", "inituser", "initgroup", NULL };
static const char *const domimport_once_disk[] = { "driver", "source",
	"target", "readonly", "serial", "shareable", "transient", "wwn",
	"vendor", "product", "geometry", "blockio", "iotune", "encryption",
	"auth", "boot", "address", "alias", NULL };
static const char *const domimport_once_fs[] = { "driver", "source",
	"target", "readonly", "binary", "address", "alias", NULL };
static const char *const domimport_once_net[] = { "model", "source", "mac",
	"backend", "rom", "driver", "link", "mtu", "address", "alias", NULL };
static const char *const domimport_once_dev[] = { "model", "driver",
	"source", "target", "backend", "rate", "address", "alias", NULL };

static int
domimport_line(const xmlNode *n)
{
	long	line = xl.xmlGetLineNo(n);

	return line > 0 && line < 1 << 30 ? (int)line : 0;
}

/*
 * Children of parent that libvirt reads once (names): one given twice is
 * refused, naming it, since libvirt takes the first where the import
 * would read another (a second <cmdline>, <memory>, <type arch>).
 */
static void
domimport_once(struct domimport *d, const xmlNode *parent,
    const char *const *names)
{
	const xmlNode		*c;
	unsigned long long	 seen = 0, said = 0, bit;
	size_t			 i;

	for (c = parent->children; c != NULL; c = c->next)
		for (i = 0; i < 64 && names[i] != NULL; i++) {
			if (!xmllib_is(c, names[i]))
				continue;
			bit = 1ULL << i;
			if ((seen & bit) != 0 && (said & bit) == 0) {
				domimport_refuse(d, c, "<%s> twice: libvirt "
				    "takes the first", names[i]);
				said |= bit;
			}
			seen |= bit;
			break;
		}
}

/*
 * An element in a namespace, where libvirt reads only its own (in none):
 * listed, and true, so that the caller reads it as nothing else.
 */
static bool
domimport_foreign(struct domimport *d, const xmlNode *c)
{
	if (c->type != XML_ELEMENT_NODE || c->ns == NULL)
		return false;
	domimport_lost(d, "<%s%s%s>: in a namespace of its own, which libvirt "
	    "does not read", c->ns->prefix != NULL ? (const char *)
	    c->ns->prefix : "", c->ns->prefix != NULL ? ":" : "",
	    (const char *)c->name);
	return true;
}

/* The attribute's value, or NULL; a libxml2 string, for xmlFree. */
static char *
domimport_attr(const xmlNode *n, const char *name)
{
	return (char *)xl.xmlGetProp(n, BAD_CAST name);
}

static char *
domimport_text(const xmlNode *n)
{
	return (char *)xl.xmlNodeGetContent(n);
}

/* Replace the string at *field with a copy of value (NULL: ""). */
static void
domimport_set(struct domimport *d, char **field, const char *value)
{
	free(*field);
	*field = strdup(value != NULL ? value : "");
	d->oom |= *field == NULL;
}

/*
 * A whole number as libvirt writes one (digits, blanks around them) in
 * *v; 0, -1 when it is none, -2 when it is too big for 64 bits.
 */
static int
domimport_number(const char *text, unsigned long long *v)
{
	char	*end;

	while (text != NULL && (*text == ' ' || *text == '\t' ||
	    *text == '\n'))
		text++;
	if (text == NULL || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	*v = strtoull(text, &end, 10);
	if (errno == ERANGE)
		return -2;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	return *end == '\0' ? 0 : -1;
}

/*
 * A size (memory) in a unit libvirt knows, in whole MiB in *mib: 0, or
 * -1 with why refused at n's line (it overflows, is past what vmtui
 * takes, is not a number, the unit is none).
 */
static int
domimport_mib(struct domimport *d, const xmlNode *n, const char *text,
    const char *unit, long *mib)
{
	static const struct {
		const char		*name;
		unsigned long long	 bytes;
	} units[] = {
		{ "b", 1 }, { "bytes", 1 }, { "KB", 1000ULL },
		{ "k", 1ULL << 10 }, { "KiB", 1ULL << 10 },
		{ "MB", 1000000ULL }, { "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
		{ "GB", 1000000000ULL }, { "G", 1ULL << 30 },
		{ "GiB", 1ULL << 30 }, { "TB", 1000000000000ULL },
		{ "T", 1ULL << 40 }, { "TiB", 1ULL << 40 },
		{ "PB", 1000000000000000ULL }, { "P", 1ULL << 50 },
		{ "PiB", 1ULL << 50 }, { "EB", 1000000000000000000ULL },
		{ "E", 1ULL << 60 }, { "EiB", 1ULL << 60 },
	};
	const struct schema_key	*k = schema_find("memory");
	unsigned long long	 v = 0, bytes;
	size_t			 i;
	int			 r = domimport_number(text, &v);

	/* KiB when none is said */
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(units[i].name, unit != NULL ? unit : "KiB") == 0)
			break;
	if (i == sizeof units / sizeof units[0])
		domimport_refuse(d, n, "<%s unit=\"%s\">%s: not a unit libvirt "
		    "knows", (const char *)n->name, unit, text);
	else if (r == -1)
		domimport_refuse(d, n, "<%s%s%s%s>%s: not a whole number",
		    (const char *)n->name, unit != NULL ? " unit=\"" : "",
		    unit != NULL ? unit : "", unit != NULL ? "\"" : "", text);
	else if (r == -2 || __builtin_mul_overflow(v, units[i].bytes,
	    &bytes) || (bytes >> 20) > (unsigned long long)k->max)
		domimport_refuse(d, n, "<%s%s%s%s>%s: more than vmtui's %ld TiB",
		    (const char *)n->name, unit != NULL ? " unit=\"" : "",
		    unit != NULL ? unit : "", unit != NULL ? "\"" : "", text,
		    k->max >> 20);
	else {
		*mib = (long)(bytes >> 20);
		return 0;
	}
	return -1;
}

/*
 * The vCPUs: the ones the machine starts with (current=), which are
 * vmtui's cores; more than those (to plug in later) are listed.
 */
static void
domimport_vcpu(struct domimport *d, const xmlNode *n, const char *text)
{
	unsigned long long	 most, now;
	char			*cur = domimport_attr(n, "current");

	if (domimport_number(text, &most) != 0 || most > 1 << 20)
		domimport_refuse(d, n, "<vcpu>%s: not a whole number vmtui "
		    "takes", text != NULL ? text : "");
	else if (cur != NULL && (domimport_number(cur, &now) != 0 ||
	    now > most))
		domimport_refuse(d, n, "<vcpu current=\"%s\">: not a whole "
		    "number up to %llu", cur, most);
	else if (cur != NULL && now < most) {
		d->p->cores = (long)now;
		domimport_lost(d, "<vcpu> %llu: the most vCPUs (to plug in "
		    "later) are left out; vmtui's cores are the %llu it starts "
		    "with", most, now);
	} else
		d->p->cores = (long)most;
	xmllib_free(cur);
}

/*
 * The kernel command line: the console= words at its end are the
 * consoles (domxml.c writes them there), the rest is append.
 */
static void
domimport_cmdline(struct domimport *d, const char *cmd)
{
	struct strv	 words = { NULL, 0 };
	const char	*w = cmd;
	char		*append;
	size_t		 n, first;

	while (*w != '\0') {
		while (*w == ' ')
			w++;
		if (*w == '\0')
			break;
		n = strcspn(w, " ");
		if ((append = strndup(w, n)) == NULL ||
		    strv_add(&words, append) != 0)
			d->oom = 1;
		free(append);
		w += n;
	}
	for (first = words.n; first > 0 &&
	    strncmp(words.v[first - 1], "console=", 8) == 0 &&
	    words.v[first - 1][8] != '\0'; first--)
		;
	for (n = first; n < words.n; n++)
		d->oom |= strv_add(&d->p->consoles, words.v[n] + 8) != 0;
	/* append as it was, up to the first of those words */
	for (w = cmd, n = 0; n < first; n++) {
		w = strstr(w, words.v[n]);
		w += strlen(words.v[n]);
	}
	if ((append = strndup(cmd, first > 0 ? (size_t)(w - cmd) : 0)) == NULL)
		d->oom = 1;
	else
		domimport_set(d, &d->p->append, append);
	free(append);
	strv_free(&words);
}

static void
domimport_os(struct domimport *d, const xmlNode *os)
{
	struct profile	*p = d->p;
	xmlNode		*c;
	char		*v, *w;
	int		 e;

	domimport_once(d, os, domimport_once_os);
	for (c = os->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || domimport_foreign(d, c))
			continue;
		v = domimport_text(c);
		if (xmllib_is(c, "type")) {
			w = domimport_attr(c, "arch");
			if ((e = schema_enum_index(schema_arches, w)) < 0)
				domimport_lost(d, "<os><type arch=\"%s\">: "
				    "vmtui runs x86_64 and aarch64", w ? w : "");
			else
				p->arch = (enum arch)e;
			xmllib_free(w);
			w = domimport_attr(c, "machine");
			if (w != NULL && strstr(w, "q35") == NULL &&
			    strcmp(w, "virt") != 0 &&
			    strncmp(w, "virt-", 5) != 0)
				domimport_lost(d, "<os><type machine=\"%s\">: "
				    "vmtui's machine is q35 (virt on aarch64)",
				    w);
			xmllib_free(w);
		} else if (xmllib_is(c, "kernel")) {
			domimport_set(d, &p->kernel, v);
			p->boot_mode = BOOT_KERNEL;
		} else if (xmllib_is(c, "initrd"))
			domimport_set(d, &p->initrd, v);
		else if (xmllib_is(c, "cmdline"))
			domimport_cmdline(d, v != NULL ? v : "");
		else if (xmllib_is(c, "loader")) {
			w = domimport_attr(c, "type");
			if (w != NULL && strcmp(w, "rom") == 0)
				domimport_set(d, &p->bios, v);
			else {
				domimport_set(d, &p->firmware, v);
				d->pflash = true;
			}
			xmllib_free(w);
		} else if (xmllib_is(c, "nvram")) {
			domimport_set(d, &p->efi_vars, v);
			w = domimport_attr(c, "template");
			domimport_set(d, &p->efi_vars_template, w);
			xmllib_free(w);
		} else if (xmllib_is(c, "boot")) {
			w = domimport_attr(c, "dev");
			if (w != NULL && strcmp(w, "cdrom") == 0 && !d->boot_hd)
				d->boot_cdrom = true;
			else if (w != NULL && strcmp(w, "hd") == 0)
				d->boot_hd = true;
			else
				domimport_lost(d, "<os><boot dev=\"%s\">",
				    w ? w : "");
			xmllib_free(w);
		} else if (!xmllib_is(c, "bootmenu") &&
		    !xmllib_is(c, "smbios") && !xmllib_is(c, "bios"))
			domimport_lost(d, "<os><%s>", (const char *)c->name);
		xmllib_free(v);
	}
}

/*
 * The image a root disk stands on, as libvirt states a backing chain: its
 * first link (an image of its own is no part of a profile).
 */
static void
domimport_backing(struct domimport *d, const xmlNode *disk)
{
	struct profile	*p = d->p;
	const xmlNode	*b, *c;
	char		*file = NULL, *t;
	int		 e;

	if ((b = xmllib_child(disk, "backingStore")) == NULL ||
	    (c = xmllib_child(b, "source")) == NULL ||
	    (file = domimport_attr(c, "file")) == NULL)
		return;
	domimport_set(d, &p->root_backing, file);
	xmllib_free(file);
	if ((c = xmllib_child(b, "format")) != NULL) {
		t = domimport_attr(c, "type");
		if ((e = schema_enum_index(schema_formats, t)) >= 0)
			p->root_backing_format = (enum disk_format)e;
		xmllib_free(t);
	}
	if ((c = xmllib_child(b, "backingStore")) != NULL &&
	    xmllib_child(c, "source") != NULL)
		domimport_lost(d, "<backingStore> of <backingStore>: vmtui's "
		    "disk stands on one image, not a chain");
}

static void
domimport_disk(struct domimport *d, const xmlNode *n)
{
	static const char *const buses[] = { "virtio", "scsi", "sata", NULL };
	struct profile		*p = d->p;
	struct profile_drive	*dr;
	xmlNode			*c;
	char			*dev = domimport_attr(n, "device"), *file = NULL;
	char			*bus = NULL, *t, *base, *want;
	int			 e;

	domimport_once(d, n, domimport_once_disk);
	/* a file's path only: a network or block source is no image file */
	t = domimport_attr(n, "type");
	if (t != NULL && strcmp(t, "file") != 0) {
		domimport_lost(d, "<disk type=\"%s\">: vmtui's disks are image "
		    "files", t);
		xmllib_free(t);
		xmllib_free(dev);
		return;
	}
	xmllib_free(t);
	if ((c = xmllib_child(n, "source")) != NULL)
		file = domimport_attr(c, "file");
	if ((c = xmllib_child(n, "target")) != NULL)
		bus = domimport_attr(c, "bus");
	if (d->remote && file != NULL) {
		/* its volume is there, the path here someone else's file */
		domimport_refuse(d, n, "<disk> %s: a volume of the libvirt "
		    "host, not a file here: copy it here first (virsh "
		    "vol-download), then import the domain's XML from a file "
		    "with the path changed", file);
		goto out;
	}
	if (dev != NULL && strcmp(dev, "cdrom") == 0) {
		free(d->cdrom);
		d->cdrom = file != NULL ? strdup(file) : NULL;
		goto out;
	}
	if (file == NULL || (dev != NULL && strcmp(dev, "disk") != 0)) {
		domimport_lost(d, "<disk device=\"%s\">: vmtui's disks are "
		    "image files", dev ? dev : "");
		goto out;
	}
	e = schema_enum_index(buses, bus);
	if (d->disks++ == 0 && e >= 0)
		p->disk_interface = e == 2 ? DISKIF_IDE : (enum diskif)e;
	else if (e < 0 || (enum diskif)(e == 2 ? DISKIF_IDE : e) !=
	    p->disk_interface)
		domimport_lost(d, "<disk> %s on bus %s: vmtui puts every disk "
		    "on one bus", file, bus ? bus : "?");
	if (d->disks == 1) {
		/* the first disk is the root disk */
		p->has_root_disk = true;
		domimport_set(d, &p->root_image, file);
		dr = &p->root_drive;
		domimport_backing(d, n);
	} else {
		/* an extra disk: TITLE.EXT in the data folder, by its title */
		base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 :
		    file;
		if ((t = strdup(base)) == NULL) {
			d->oom = 1;
			goto out;
		}
		if (strrchr(t, '.') != NULL)
			*strrchr(t, '.') = '\0';
		if (profile_add_disk(p, t) != 0) {
			d->oom = 1;
			free(t);
			goto out;
		}
		free(t);
		dr = &p->disks[p->ndisks - 1].drive;
	}
	/* the format as said (libvirt never probes one not said: raw) */
	dr->format = FORMAT_RAW;
	if ((c = xmllib_child(n, "driver")) != NULL) {
		t = domimport_attr(c, "type");
		if ((e = schema_enum_index(schema_formats, t)) >= 0)
			dr->format = (enum disk_format)e;
		else if (t != NULL)
			domimport_refuse(d, c, "<disk> %s: format %s: vmtui's "
			    "disks are qcow2 or raw", file, t);
		xmllib_free(t);
		t = domimport_attr(c, "cache");
		if (t != NULL && (e = schema_enum_index(schema_caches, t)) >= 0)
			dr->cache = (enum cache)e;
		xmllib_free(t);
		t = domimport_attr(c, "discard");
		dr->discard = t != NULL && strcmp(t, "unmap") == 0;
		xmllib_free(t);
	}
	dr->readonly = xmllib_child(n, "readonly") != NULL;
	if ((c = xmllib_child(n, "serial")) != NULL) {
		t = domimport_text(c);
		domimport_set(d, &dr->serial, t);
		xmllib_free(t);
	}
	if (d->disks > 1) {
		want = resolve_disk_image(p, (long)p->ndisks - 1);
		if (want == NULL || strcmp(want, file) != 0) {
			domimport_lost(d, "<disk> %s: vmtui keeps an extra disk "
			    "in its data folder (%s)", file, want ? want : "?");
			profile_remove_row(p, SCHEMA_DISK, p->ndisks - 1);
		}
		free(want);
	}
out:
	xmllib_free(dev);
	xmllib_free(file);
	xmllib_free(bus);
}

/*
 * A forward as QEMU's hostfwd= says it, PROTO:[HOST]:PORT-[GUEST]:PORT
 * (an address left out: every one of the host's, the guest's default),
 * the protocol tcp or udp. 0, or -1 when it is not that.
 */
static int
domimport_hostfwd(const char *s, char proto[8], char ha[64], long *hp,
    char ga[64], long *gp)
{
	int	end = -1;

	ha[0] = ga[0] = '\0';
	if (sscanf(s, "%7[a-z]:%63[0-9.]:%ld-%63[0-9.]:%ld%n", proto, ha, hp,
	    ga, gp, &end) != 5 &&
	    sscanf(s, "%7[a-z]:%63[0-9.]:%ld-:%ld%n", proto, ha, hp, gp,
	    &end) != 4 &&
	    sscanf(s, "%7[a-z]::%ld-%63[0-9.]:%ld%n", proto, hp, ga, gp,
	    &end) != 4 &&
	    sscanf(s, "%7[a-z]::%ld-:%ld%n", proto, hp, gp, &end) != 3)
		return -1;
	if (end < 0 || s[end] != '\0')
		return -1;
	return strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0 ? 0 : -1;
}

/*
 * vmtui's user network from qemu:commandline (user,id=vmtui-net0 and what
 * domxml.c writes after it): forwards and restrict. Any other option of
 * it (guestfwd=...-cmd: runs a command, smb= shares a folder) is listed.
 */
static void
domimport_netdev(struct domimport *d, const char *s)
{
	struct profile_forward	*f;
	char			 proto[8], ha[64], ga[64], *w, *save = NULL;
	char			*copy = strdup(s);
	long			 hp, gp;

	if (copy == NULL) {
		d->oom = 1;
		return;
	}
	d->p->network = NETWORK_USER;
	/* after "user,id=vmtui-net0", one option a comma (none holds one) */
	for (w = strtok_r(copy + 18, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "restrict=on") == 0) {
			d->p->restrict_network = true;
			continue;
		}
		if (strncmp(w, "hostfwd=", 8) != 0) {
			domimport_lost(d, "-netdev user,id=vmtui-net0,%s: vmtui's "
			    "user network has forwards and restrict", w);
			continue;
		}
		if (domimport_hostfwd(w + 8, proto, ha, &hp, ga, &gp) != 0 ||
		    profile_add_forward(d->p) != 0) {
			domimport_lost(d, "a forward vmtui cannot read: %s", w);
			continue;
		}
		f = &d->p->forwards[d->p->nforwards - 1];
		f->proto = strcmp(proto, "udp") == 0 ? PROTO_UDP : PROTO_TCP;
		domimport_set(d, &f->host_address, ha);
		domimport_set(d, &f->guest_address, ga);
		f->host_port = hp;
		f->guest_port = gp;
	}
	free(copy);
}

/*
 * qemu:commandline: vmtui's own user network (domxml.c writes it there:
 * the -netdev and -device pair named vmtui-net0) as the profile's
 * network; every other argument is raw, for QEMU as it is. Raw ones are
 * listed, and kept (as qemu.imported-options) only when the caller takes
 * them: QEMU runs them on this host, -incoming exec:... included.
 */
static void
domimport_commandline(struct domimport *d, const xmlNode *n)
{
	struct strv	*raw = d->raw;
	xmlNode		*c;
	char		*v, *prev = NULL, *w;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!xmllib_in(c, DOMIMPORT_QEMU_NS, "arg")) {
			/* <qemu:env> (LD_PRELOAD...) and what else comes */
			w = domimport_attr(c, "name");
			domimport_lost(d, "<qemu:%s%s%s%s>", (const char *)c->name,
			    w != NULL ? " name=\"" : "", w != NULL ? w : "",
			    w != NULL ? "\"" : "");
			xmllib_free(w);
			continue;
		}
		v = domimport_attr(c, "value");
		if (prev != NULL && strcmp(prev, "-netdev") == 0 && v != NULL &&
		    strncmp(v, "user,id=vmtui-net0", 18) == 0 &&
		    (v[18] == '\0' || v[18] == ',')) {
			domimport_netdev(d, v);
			/* the "-netdev" before it was ours too */
			free(raw->v[--raw->n]);
			raw->v[raw->n] = NULL;
		} else if (prev != NULL && strcmp(prev, "-device") == 0 &&
		    v != NULL && strcmp(v, DOMIMPORT_NET_DEVICE) == 0) {
			free(raw->v[--raw->n]);
			raw->v[raw->n] = NULL;
		} else
			d->oom |= strv_add(raw, v != NULL ? v : "") != 0;
		xmllib_free(prev);
		prev = v;
	}
	xmllib_free(prev);
}

/*
 * The display: VNC, SPICE or a window (SDL), listening where its
 * <listen> says (or its listen attribute); 127.0.0.1 is the socket's
 * stand-in there, another address is kept (an import later makes it
 * loopback, domimport_loopback).
 */
static void
domimport_graphics(struct domimport *d, const xmlNode *c, const char *type)
{
	struct profile	*p = d->p;
	const xmlNode	*x;
	char		*b;

	p->graphics = true;
	d->graphics = c;
	if (type != NULL && strcmp(type, "vnc") == 0)
		p->display = DISPLAY_VNC;
	else if (type != NULL && strcmp(type, "spice") == 0)
		p->display = DISPLAY_SPICE;
	else if (type != NULL && strcmp(type, "sdl") == 0)
		p->display = DISPLAY_SDL;
	else
		domimport_lost(d, "<graphics type=\"%s\">", type ? type : "");
	x = xmllib_child(c, "listen");
	b = x != NULL ? domimport_attr(x, "address") : domimport_attr(c,
	    "listen");
	if (b != NULL && (d->listen = strdup(b)) == NULL)
		d->oom = 1;
	if (b != NULL && strcmp(b, "127.0.0.1") != 0)
		domimport_set(d, &p->display_address, b);
	xmllib_free(b);
}

/*
 * A share: a folder of the host as 9p with security_model=none (what
 * libvirt calls squash). Another access mode, or virtiofs, is listed:
 * the share comes as vmtui's.
 */
static void
domimport_share(struct domimport *d, const xmlNode *c)
{
	struct profile	*p = d->p;
	const xmlNode	*x;
	char		*t, *b, *mode = domimport_attr(c, "accessmode");

	x = xmllib_child(c, "target");
	t = x != NULL ? domimport_attr(x, "dir") : NULL;
	x = xmllib_child(c, "source");
	b = x != NULL ? domimport_attr(x, "dir") : NULL;
	if (t == NULL || b == NULL || profile_add_share(p, t, b) != 0)
		domimport_lost(d, "<filesystem> %s", t ? t : "");
	else {
		p->shares[p->nshares - 1].readonly = xmllib_child(c,
		    "readonly") != NULL;
		/* libvirt's default is passthrough */
		if (mode == NULL || strcmp(mode, "squash") != 0)
			domimport_lost(d, "<filesystem> %s accessmode=\"%s\": "
			    "vmtui's shares are squash (QEMU's "
			    "security_model=none)", t, mode != NULL ? mode :
			    "passthrough");
		xmllib_free(mode);
		mode = (x = xmllib_child(c, "driver")) != NULL ?
		    domimport_attr(x, "type") : NULL;
		if (mode != NULL && strcmp(mode, "path") != 0)
			domimport_lost(d, "<filesystem> %s <driver type=\"%s\">: "
			    "vmtui shares over 9p", t, mode);
	}
	xmllib_free(mode);
	xmllib_free(t);
	xmllib_free(b);
}

/*
 * The user network: libvirt's slirp with a virtio card, as domxml.c
 * writes it. What else a card has (a MAC, a ROM, passt, forwards of
 * passt's, another model) is listed; so is a second card.
 */
static void
domimport_net(struct domimport *d, const xmlNode *c)
{
	const xmlNode	*x;
	char		*t;

	if (d->p->network == NETWORK_USER) {
		domimport_lost(d, "<interface type=\"user\">: vmtui has one "
		    "network card");
		return;
	}
	d->p->network = NETWORK_USER;
	for (x = c->children; x != NULL; x = x->next) {
		if (x->type != XML_ELEMENT_NODE || xmllib_is(x, "address") ||
		    xmllib_is(x, "alias"))
			continue;
		t = xmllib_is(x, "model") ? domimport_attr(x, "type") : NULL;
		if (t != NULL && strcmp(t, "virtio") == 0) {
			xmllib_free(t);
			continue;
		}
		if (t != NULL)
			domimport_lost(d, "<interface type=\"user\"> <model "
			    "type=\"%s\">: vmtui's network card is virtio", t);
		else
			domimport_lost(d, "<interface type=\"user\"> <%s>: "
			    "vmtui's user network has none", (const char *)
			    x->name);
		xmllib_free(t);
	}
}

static void
domimport_video(struct domimport *d, const xmlNode *c)
{
	struct profile	*p = d->p;
	const xmlNode	*x;
	char		*t, *b;
	long		 w;

	x = xmllib_child(c, "model");
	t = x != NULL ? domimport_attr(x, "type") : NULL;
	if (t != NULL && strcmp(t, "vga") == 0)
		p->vga = VGA_STD;
	else if (t != NULL && strcmp(t, "virtio") == 0)
		p->vga = VGA_VIRTIO;
	else if (t != NULL && strcmp(t, "qxl") == 0)
		p->vga = VGA_QXL;
	else
		domimport_lost(d, "<video> model %s", t ? t : "");
	xmllib_free(t);
	if (x != NULL && (x = xmllib_child(x, "resolution")) != NULL) {
		t = domimport_attr(x, "x");
		b = domimport_attr(x, "y");
		w = t != NULL ? strtol(t, NULL, 10) : 0;
		free(p->resolution);
		if (asprintf(&p->resolution, "%ldx%ld", w, b != NULL ?
		    strtol(b, NULL, 10) : 0) < 0) {
			p->resolution = NULL;
			d->oom = 1;
		}
		xmllib_free(t);
		xmllib_free(b);
	}
}

/*
 * The serial console: vmtui's own, a pty logged to console.log, on the
 * first port, with the <console> libvirt shows of it. Any other (a file
 * or a TCP port, where QEMU would write or listen) is listed.
 */
static void
domimport_chardev(struct domimport *d, const xmlNode *c, const char *type)
{
	const xmlNode	*x = xmllib_child(c, "target");
	char		*port = x != NULL ? domimport_attr(x, "port") : NULL;
	char		*t = x != NULL ? domimport_attr(x, "type") : NULL;

	if (type == NULL || strcmp(type, "pty") != 0)
		domimport_lost(d, "<%s type=\"%s\">: vmtui's serial console is "
		    "its own (a pty, logged to console.log)", (const char *)
		    c->name, type != NULL ? type : "");
	else if (port != NULL && strcmp(port, "0") != 0)
		domimport_lost(d, "<%s> port %s: vmtui has one serial console",
		    (const char *)c->name, port);
	else if (xmllib_is(c, "console") && t != NULL &&
	    strcmp(t, "serial") != 0)
		domimport_lost(d, "<console> target %s: vmtui's console is the "
		    "serial one", t);
	xmllib_free(port);
	xmllib_free(t);
}

/* The rng: vmtui's reads /dev/urandom; another backend is listed. */
static void
domimport_rng(struct domimport *d, const xmlNode *c)
{
	const xmlNode	*x = xmllib_child(c, "backend");
	char		*m = x != NULL ? domimport_attr(x, "model") : NULL;
	char		*f = x != NULL ? domimport_text(x) : NULL;

	if (m == NULL || strcmp(m, "random") != 0)
		domimport_lost(d, "<rng> backend %s: vmtui's reads /dev/urandom",
		    m != NULL ? m : "");
	else if (f != NULL && *f != '\0' && strcmp(f, "/dev/urandom") != 0 &&
	    strcmp(f, "/dev/random") != 0)
		domimport_lost(d, "<rng> backend random %s: vmtui's reads "
		    "/dev/urandom", f);
	xmllib_free(m);
	xmllib_free(f);
}

static void
domimport_devices(struct domimport *d, const xmlNode *devs)
{
	struct profile	*p = d->p;
	xmlNode		*c, *x;
	char		*a, *b, *t;

	for (c = devs->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || domimport_foreign(d, c))
			continue;
		if (xmllib_is(c, "filesystem"))
			domimport_once(d, c, domimport_once_fs);
		else if (xmllib_is(c, "interface"))
			domimport_once(d, c, domimport_once_net);
		else if (!xmllib_is(c, "disk"))
			domimport_once(d, c, domimport_once_dev);
		a = domimport_attr(c, "type");
		b = domimport_attr(c, "model");
		if (xmllib_is(c, "disk"))
			domimport_disk(d, c);
		else if (xmllib_is(c, "filesystem") && (a == NULL ||
		    strcmp(a, "mount") == 0))
			domimport_share(d, c);
		else if (xmllib_is(c, "interface") && a != NULL &&
		    strcmp(a, "user") == 0)
			domimport_net(d, c);
		else if (xmllib_is(c, "graphics") && d->graphics == NULL)
			domimport_graphics(d, c, a);
		else if (xmllib_is(c, "video"))
			domimport_video(d, c);
		else if (xmllib_is(c, "serial") || xmllib_is(c, "console"))
			domimport_chardev(d, c, a);
		else if (xmllib_is(c, "rng"))
			domimport_rng(d, c);
		else if (xmllib_is(c, "memballoon")) {
			if (b == NULL || strcmp(b, "none") != 0)
				domimport_lost(d, "<memballoon model=\"%s\">: "
				    "vmtui runs without a balloon", b ? b : "");
		} else if (xmllib_is(c, "channel")) {
			x = xmllib_child(c, "target");
			t = x != NULL ? domimport_attr(x, "name") : NULL;
			if (t != NULL && strcmp(t, "org.qemu.guest_agent.0") == 0)
				p->guest_agent = true;
			else
				domimport_lost(d, "<channel> %s", t ? t : "");
			xmllib_free(t);
		} else if (xmllib_is(c, "input") && a != NULL &&
		    (strcmp(a, "passthrough") == 0 || strcmp(a, "evdev") == 0))
			domimport_lost(d, "<input type=\"%s\">: vmtui passes no "
			    "input device of the host", a);
		else if (xmllib_is(c, "input")) {
			t = domimport_attr(c, "bus");
			if (a != NULL && strcmp(a, "keyboard") == 0 && t != NULL &&
			    strcmp(t, "virtio") == 0)
				p->virtio_keyboard = true;
			xmllib_free(t);
		} else if (xmllib_is(c, "emulator")) {
			t = domimport_text(c);
			domimport_set(d, &p->qemu_binary, t);
			xmllib_free(t);
		} else if (xmllib_is(c, "audio") && a != NULL &&
		    strcmp(a, "none") == 0) {
			/* libvirt's own: no sound */
		} else if (!xmllib_is(c, "controller"))
			domimport_lost(d, "<devices><%s%s%s>",
			    (const char *)c->name, a != NULL ? " type=" : "",
			    a != NULL ? a : "");
		xmllib_free(a);
		xmllib_free(b);
	}
	if (p->graphics && !xmllib_child(devs, "video"))
		p->vga = VGA_NONE;
	/* a display device shown nowhere */
	if (!p->graphics && xmllib_child(devs, "video") != NULL) {
		p->graphics = true;
		p->display = DISPLAY_NONE;
	}
}

/*
 * <vmtui:display>: where the display is shown (auto, none, ...) and its
 * address ("": a socket), which the domain has no place for. It must
 * agree with the <graphics> the domain shows, as domxml.c writes them:
 * auto or vnc for VNC, spice for SPICE, none for a <video> alone; the
 * address the listen address, or "" for 127.0.0.1.
 */
static void
domimport_meta_display(struct domimport *d, const xmlNode *c)
{
	struct profile	*p = d->p;
	const char	*has = NULL;
	char		*how = domimport_attr(c, "how");
	char		*addr = domimport_attr(c, "address"), *why = NULL;
	int		 e = schema_enum_index(schema_displays, how);
	bool		 vnc = e == DISPLAY_AUTO || e == DISPLAY_VNC;

	if (d->graphics != NULL)
		has = p->display == DISPLAY_SPICE ? "spice" : p->display ==
		    DISPLAY_VNC ? "vnc" : "neither vnc nor spice";
	if (!p->graphics)
		domimport_refuse(d, c, "<vmtui:display>: the domain has no "
		    "<graphics> nor <video>");
	else if (e < 0)
		domimport_refuse(d, c, "<vmtui:display how=\"%s\">: not a "
		    "display vmtui knows", how != NULL ? how : "");
	else if (d->graphics == NULL && e != DISPLAY_NONE)
		domimport_refuse(d, c, "<vmtui:display how=\"%s\">: the domain "
		    "has no <graphics>", how);
	else if (d->graphics != NULL && !(vnc && p->display == DISPLAY_VNC) &&
	    !(e == DISPLAY_SPICE && p->display == DISPLAY_SPICE))
		domimport_refuse(d, c, "<vmtui:display how=\"%s\">: the "
		    "domain's <graphics> is %s", how, has);
	else if (addr != NULL && schema_check_display_address(addr, &why) != 0)
		domimport_refuse(d, c, "<vmtui:display address=\"%s\">: not an "
		    "IPv4 address", addr);
	else if (addr != NULL && *addr != '\0' ? d->listen == NULL ||
	    strcmp(addr, d->listen) != 0 : d->listen != NULL &&
	    strcmp(d->listen, "127.0.0.1") != 0)
		domimport_refuse(d, c, "<vmtui:display address=\"%s\">: the "
		    "domain's <graphics> listens on %s", addr != NULL ? addr :
		    "", d->listen != NULL ? d->listen : "no address");
	else {
		p->display = (enum display)e;
		domimport_set(d, &p->display_address, addr);
	}
	free(why);
	xmllib_free(how);
	xmllib_free(addr);
}

/*
 * <vmtui:disk name= size=>: the size a disk's image is made at, in MiB,
 * for a disk the domain has (root, or an extra disk's title), once.
 */
static void
domimport_meta_disk(struct domimport *d, const xmlNode *c, struct strv *seen)
{
	struct profile		*p = d->p;
	const struct schema_key	*k;
	char			*name = domimport_attr(c, "name");
	char			*size = domimport_attr(c, "size"), *end;
	long			*at = NULL, v;
	size_t			 i;

	if (name != NULL && strcmp(name, "root") == 0 && p->has_root_disk)
		at = &p->root_size;
	for (i = 0; name != NULL && at == NULL && i < p->ndisks; i++)
		if (strcmp(p->disks[i].title, name) == 0)
			at = &p->disks[i].size;
	k = schema_find(at == &p->root_size ? "root-disk|size" : "disk|size");
	errno = 0;
	v = size != NULL && *size >= '0' && *size <= '9' ? strtol(size, &end,
	    10) : -1;
	if (name == NULL || size == NULL)
		domimport_refuse(d, c, "<vmtui:disk>: no name or no size");
	else if (at == NULL)
		domimport_refuse(d, c, "<vmtui:disk name=\"%s\">: the domain "
		    "has no such disk", name);
	else if (v < 0 || *end != '\0' || errno != 0 || k == NULL ||
	    v < k->min || v > k->max)
		domimport_refuse(d, c, "<vmtui:disk name=\"%s\" size=\"%s\">: "
		    "not a size vmtui takes (%ld to %ld MiB)", name, size,
		    k != NULL ? k->min : 0, k != NULL ? k->max : 0);
	else {
		for (i = 0; i < seen->n && strcmp(seen->v[i], name) != 0; i++)
			;
		if (i < seen->n)
			domimport_refuse(d, c, "<vmtui:disk name=\"%s\"> twice: "
			    "libvirt takes the first", name);
		else {
			*at = v;
			d->oom |= strv_add(seen, name) != 0;
		}
	}
	xmllib_free(name);
	xmllib_free(size);
}

/*
 * vmtui's own part of the metadata (domxml.c writes it): the sizes images
 * are made at, where the display is shown. A domain from elsewhere has
 * none: the defaults stand. What is there must agree with the domain, and
 * be what vmtui writes, or the import is refused.
 */
static void
domimport_metadata(struct domimport *d, const xmlNode *meta)
{
	struct strv	 seen = { NULL, 0 };
	const xmlNode	*m, *c;
	bool		 display = false;

	for (m = meta->children; m != NULL; m = m->next)
		if (xmllib_in(m, DOMIMPORT_VMTUI_NS, "machine"))
			break;
	if (m == NULL)
		return;
	for (c = m->next; c != NULL; c = c->next)
		if (xmllib_in(c, DOMIMPORT_VMTUI_NS, "machine")) {
			domimport_refuse(d, c, "<vmtui:machine> twice: libvirt "
			    "takes the first");
			break;
		}
	for (c = m->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmllib_in(c, DOMIMPORT_VMTUI_NS, "display") && display)
			domimport_refuse(d, c, "<vmtui:display> twice: libvirt "
			    "takes the first");
		else if (xmllib_in(c, DOMIMPORT_VMTUI_NS, "display")) {
			display = true;
			domimport_meta_display(d, c);
		} else if (xmllib_in(c, DOMIMPORT_VMTUI_NS, "disk"))
			domimport_meta_disk(d, c, &seen);
		else
			domimport_refuse(d, c, "<%s%s%s>: vmtui writes no such "
			    "element", c->ns != NULL && c->ns->prefix != NULL ?
			    (const char *)c->ns->prefix : "", c->ns != NULL &&
			    c->ns->prefix != NULL ? ":" : "",
			    (const char *)c->name);
	}
	strv_free(&seen);
}

/*
 * An import never makes the machine listen off loopback: a display or a
 * forward on another address is made 127.0.0.1, and said with the --set
 * that puts it back.
 */
static void
domimport_loopback(struct domimport *d)
{
	struct profile		*p = d->p;
	struct profile_forward	*f;
	size_t			 i;

	if (*p->display_address != '\0' &&
	    strncmp(p->display_address, "127.", 4) != 0) {
		domimport_note(d, "<graphics> listens on %s: made loopback "
		    "(127.0.0.1); vmtui --set %s display-address=%s puts it back",
		    p->display_address, p->name, p->display_address);
		domimport_set(d, &p->display_address, "127.0.0.1");
	}
	for (i = 0; i < p->nforwards; i++) {
		f = &p->forwards[i];
		if (strncmp(f->host_address, "127.", 4) == 0)
			continue;
		domimport_note(d, "forward %s %s:%ld%s: made loopback "
		    "(127.0.0.1); vmtui --set %s forward[%zu].host-address=%s puts "
		    "it back", schema_protos[f->proto], f->host_address,
		    f->host_port, *f->host_address == '\0' ? " (every address)" :
		    "", p->name, i, *f->host_address != '\0' ? f->host_address :
		    "0.0.0.0");
		domimport_set(d, &f->host_address, "127.0.0.1");
	}
}

/* Whether s holds a C0 or C1 control character or DEL. */
static bool
domimport_has_control(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return true;
	return false;
}

/* The line of the first element whose text or attribute holds v, or 0. */
static int
domimport_line_of(const xmlNode *n, const char *v)
{
	const xmlAttr	*a;
	const xmlNode	*t;
	int		 line;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (a = n->properties; a != NULL; a = a->next)
			for (t = a->children; t != NULL; t = t->next)
				if (t->content != NULL &&
				    strstr((const char *)t->content, v) != NULL)
					return domimport_line(n);
		for (t = n->children; t != NULL; t = t->next)
			if (t->type == XML_TEXT_NODE && t->content != NULL &&
			    strstr((const char *)t->content, v) != NULL)
				return domimport_line(n);
		if ((line = domimport_line_of(n->children, v)) > 0)
			return line;
	}
	return 0;
}

/*
 * A value with a control character (C0, DEL, C1: U+009B is CSI to xterm
 * and VTE) is refused, wherever the import took it: the profile's text
 * and lists, and the raw QEMU arguments. Said once a key.
 */
static void
domimport_controls(struct domimport *d, const xmlNode *root)
{
	const struct schema_key	*k;
	const struct strv	*l;
	const char		*v;
	size_t			 row, n, i;

	for (k = schema_keys; k->path != NULL; k++) {
		if (k->type != SCHEMA_STR && k->type != SCHEMA_LIST)
			continue;
		n = profile_count(d->p, k->section);
		for (row = 0, v = NULL; row < n && v == NULL; row++) {
			if (k->type == SCHEMA_STR) {
				v = *(char **)profile_value(d->p,
				    (enum schema_id)(k - schema_keys), row);
				if (!domimport_has_control(v))
					v = NULL;
				continue;
			}
			l = profile_value(d->p, (enum schema_id)(k -
			    schema_keys), row);
			for (i = 0; i < l->n && v == NULL; i++)
				if (domimport_has_control(l->v[i]))
					v = l->v[i];
		}
		if (v != NULL)
			diag_add(&d->refused, domimport_line_of(root, v),
			    "%s \"%s\" holds a control character: refused",
			    k->path, v);
	}
	for (i = 0; i < d->raw->n; i++)
		if (domimport_has_control(d->raw->v[i])) {
			diag_add(&d->refused, domimport_line_of(root,
			    d->raw->v[i]), "raw QEMU argument \"%s\" holds a "
			    "control character: refused", d->raw->v[i]);
			break;
		}
}

/*
 * The emulator: the arch's QEMU (libvirt fills in its own by path) is the
 * one vmtui takes from PATH by that name, so left out. Any other program
 * is listed and left out too: the launch script would run it, with
 * QEMU's arguments, whatever it is (qemu.binary names another by hand).
 */
static void
domimport_emulator(struct domimport *d)
{
	char		 want[64];
	const char	*bin = d->p->qemu_binary;
	const char	*base = strrchr(bin, '/') != NULL ? strrchr(bin, '/') + 1 :
			     bin;

	if (*bin == '\0')
		return;
	snprintf(want, sizeof want, "qemu-system-%s",
	    schema_arches[d->p->arch]);
	if (strcmp(base, want) != 0)
		domimport_lost(d, "<emulator> %s: vmtui runs %s from PATH (the "
		    "key qemu.binary names another)", bin, want);
	domimport_set(d, &d->p->qemu_binary, "");
}

/* A path the profile may leave out: what vmtui would pick on its own. */
static void
domimport_default(struct domimport *d, char **field, char *(*pick)(
    const struct profile *))
{
	char	*dflt, *mine = *field;

	if (*mine == '\0')
		return;
	*field = strdup("");
	if (*field == NULL) {
		*field = mine;
		d->oom = 1;
		return;
	}
	dflt = pick(d->p);
	if (dflt == NULL || strcmp(dflt, mine) != 0) {
		free(*field);
		*field = mine;
	} else
		free(mine);
	free(dflt);
}

static char *
domimport_root(const struct profile *p)
{
	return resolve_disk_image(p, -1);
}

static char *
domimport_vars(const struct profile *p)
{
	return resolve_file(p, "", RESOLVE_EFI_VARS_FILE);
}

static char *
domimport_template(const struct profile *p)
{
	char	*code = firmware_code(p), *t;

	t = code != NULL ? firmware_vars_template(p, code) : NULL;
	free(code);
	return t;
}

/*
 * The files of this host the machine would use (hostfiles.c): each
 * listed in found->files with what the machine does with it, for the
 * caller to ask consent; those no import may give it refused, at the
 * line that names them. From another host, no path is one of this
 * host's: each the profile would keep is refused.
 */
static void
domimport_files(struct domimport *d, const xmlNode *root, const char *dir,
    struct domimport_found *found)
{
	static const char *const paths[] = { "boot|kernel", "boot|initrd",
	    "boot|cdrom", "boot|firmware", "boot|efi-vars-template",
	    "boot|efi-vars", "boot|bios", "share|source" };
	const struct schema_key	*k;
	struct hostfiles	 h;
	const char		*v;
	char			*why = NULL;
	size_t			 i, row;

	/* the disks are refused where they are read: their volumes */
	for (i = 0; d->remote && i < sizeof paths / sizeof paths[0]; i++) {
		if ((k = schema_find(paths[i])) == NULL)
			continue;
		for (row = 0; row < profile_count(d->p, k->section); row++) {
			v = *(const char *const *)profile_value(d->p,
			    (enum schema_id)(k - schema_keys), row);
			if (*v != '\0')
				diag_add(&d->refused, domimport_line_of(root, v),
				    "%s: a path on the libvirt host, not this "
				    "one's: copy the file here, then import the "
				    "domain's XML from a file with the path "
				    "changed", v);
		}
	}
	if (d->remote)
		return;
	memset(&h, 0, sizeof h);
	if (hostfiles_check(d->p, dir, &h, &why) != 0) {
		d->oom = 1;
		free(why);
	}
	for (i = 0; i < h.bad.n; i++)
		diag_add(&d->refused, domimport_line_of(root, h.bad_paths.v[i]),
		    "%s", h.bad.v[i]);
	d->oom |= strv_copy(&found->files, &h.uses) != 0 ||
	    strv_copy(&found->notes, &h.notes) != 0;
	hostfiles_free(&h);
}

/* Free what an import found (the struct itself is the caller's). */
void
domimport_found_free(struct domimport_found *f)
{
	strv_free(&f->lost);
	strv_free(&f->raw);
	strv_free(&f->files);
	strv_free(&f->notes);
}

/*
 * The profile a domain's XML (o->source names it in messages) means, in
 * o->dir (the profiles folder); every part of it a profile cannot hold
 * goes to found->lost (one line each), every raw QEMU argument to
 * found->raw (one each, as it is). The profile holds raw arguments only
 * when o->flags has DOMIMPORT_QEMU_ARGS, as qemu.imported-options (never
 * qemu.options). found is the caller's, empty or not, to free.
 */
int
domimport_profile(const char *xml, const struct domimport_opts *o,
    struct profile **out, struct domimport_found *found, char **cause)
{
	const char		*source = o->source;
	struct domimport	 d;
	xmlDocPtr		 doc;
	xmlNode			*root, *c, *meta = NULL;
	char			*name = NULL, *v = NULL, *u;
	struct strv		 dflt = { NULL, 0 }, mine;

	*out = NULL;
	if (xmllib_load(cause) != 0)
		return -1;
	memset(&d, 0, sizeof d);
	diag_init(&d.refused, source);
	d.remote = (o->flags & DOMIMPORT_REMOTE) != 0;
	d.lost = &found->lost;
	d.raw = &found->raw;
	d.notes = &found->notes;
	if (xmllib_parse(xml, strlen(xml), source, &doc, cause) != 0)
		return -1;
	if ((root = xl.xmlDocGetRootElement(doc)) == NULL ||
	    !xmllib_is(root, "domain")) {
		xl.xmlFreeDoc(doc);
		return diag_cause(cause, "%s: not a libvirt domain's XML "
		    "(<domain>)", source);
	}
	if ((c = xmllib_child(root, "name")) == NULL ||
	    (name = domimport_text(c)) == NULL ||
	    schema_check_name(name, &v) != 0) {
		diag_cause(cause, "%s: %s", source, name == NULL ? "the domain "
		    "has no <name>" : v != NULL ? v : "out of memory");
		free(v);
		xmllib_free(name);
		xl.xmlFreeDoc(doc);
		return -1;
	}
	/* a host, or what is between, may send another than asked for */
	if (o->name != NULL && strcmp(o->name, name) != 0) {
		diag_cause(cause, "%s: asked for the domain %s, it sent %s: "
		    "refused", source, o->name, name);
		xmllib_free(name);
		xl.xmlFreeDoc(doc);
		return -1;
	}
	if ((d.p = profile_new(name, o->dir)) == NULL) {
		xmllib_free(name);
		xl.xmlFreeDoc(doc);
		return diag_cause(cause, "out of memory");
	}
	xmllib_free(name);
	d.p->boot_mode = BOOT_UNSET;
	/* what only a device says: none without <devices> */
	d.p->guest_agent = false;
	d.p->virtio_keyboard = false;
	d.p->network = NETWORK_NONE;
	v = domimport_attr(root, "type");
	d.p->accel = v != NULL && strcmp(v, "kvm") == 0 ? ACCEL_KVM : ACCEL_TCG;
	if (v == NULL || (strcmp(v, "kvm") != 0 && strcmp(v, "qemu") != 0))
		domimport_lost(&d, "<domain type=\"%s\">: vmtui runs QEMU (qemu "
		    "or kvm)", v != NULL ? v : "");
	xmllib_free(v);
	domimport_once(&d, root, domimport_once_domain);
	for (c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmllib_in(c, DOMIMPORT_QEMU_NS, "commandline")) {
			domimport_commandline(&d, c);
			continue;
		}
		if (domimport_foreign(&d, c))
			continue;
		v = domimport_text(c);
		if (xmllib_is(c, "description"))
			domimport_set(&d, &d.p->description, v);
		else if (xmllib_is(c, "memory")) {
			u = domimport_attr(c, "unit");
			(void)domimport_mib(&d, c, v, u, &d.p->memory);
			xmllib_free(u);
		} else if (xmllib_is(c, "vcpu"))
			domimport_vcpu(&d, c, v);
		else if (xmllib_is(c, "os"))
			domimport_os(&d, c);
		else if (xmllib_is(c, "devices"))
			domimport_devices(&d, c);
		else if (xmllib_is(c, "metadata"))
			meta = c;
		else if (xmllib_is(c, "on_reboot"))
			d.p->installer = v != NULL && strcmp(v, "destroy") == 0;
		else if (xmllib_is(c, "clock")) {
			u = domimport_attr(c, "offset");
			d.p->rtc_localtime = u != NULL &&
			    strcmp(u, "localtime") == 0;
			if (u != NULL && !d.p->rtc_localtime &&
			    strcmp(u, "utc") != 0)
				domimport_lost(&d, "<clock offset='%s'>", u);
			xmllib_free(u);
		}
		else if (!xmllib_is(c, "uuid") && !xmllib_is(c, "name") &&
		    !xmllib_is(c, "currentMemory") &&
		    !xmllib_is(c, "features") && !xmllib_is(c, "cpu") &&
		    !xmllib_is(c, "on_poweroff") &&
		    !xmllib_is(c, "on_crash") &&
		    !xmllib_is(c, "pm") && !xmllib_is(c, "resource") &&
		    !xmllib_is(c, "seclabel"))
			domimport_lost(&d, "<%s>", (const char *)c->name);
		xmllib_free(v);
	}
	if (meta != NULL)
		domimport_metadata(&d, meta);
	domimport_controls(&d, root);
	free(d.listen);
	domimport_loopback(&d);
	/* the boot mode: a kernel, UEFI, the ISO first, or the disk */
	if (d.p->boot_mode == BOOT_UNSET) {
		if (d.pflash)
			d.p->boot_mode = BOOT_UEFI;
		else if (d.boot_cdrom && d.cdrom != NULL) {
			d.p->boot_mode = BOOT_CDROM;
			domimport_set(&d, &d.p->cdrom, d.cdrom);
		} else
			d.p->boot_mode = BOOT_DISK;
	}
	if (d.cdrom != NULL && d.p->boot_mode != BOOT_CDROM)
		domimport_lost(&d, "<disk device=\"cdrom\"> %s: vmtui attaches "
		    "an ISO only to install from it", d.cdrom);
	free(d.cdrom);
	/* what vmtui would pick anyway is left out, as a profile has it */
	domimport_emulator(&d);
	domimport_default(&d, &d.p->root_image, domimport_root);
	if (d.p->boot_mode == BOOT_UEFI) {
		domimport_default(&d, &d.p->efi_vars, domimport_vars);
		/* the template first: it is found from the firmware */
		domimport_default(&d, &d.p->efi_vars_template,
		    domimport_template);
		domimport_default(&d, &d.p->firmware, firmware_code);
	}
	if (d.p->consoles.n > 0) {
		mine = d.p->consoles;
		memset(&d.p->consoles, 0, sizeof d.p->consoles);
		if (profile_default_consoles(d.p, &dflt) != 0 ||
		    !strv_equal(&dflt, &mine))
			d.p->consoles = mine;
		else
			strv_free(&mine);
	}
	strv_free(&dflt);
	/* the files of this host it would use, once the rest is known */
	if (!d.oom && (d.remote || d.refused.n == 0))
		domimport_files(&d, root, o->dir, found);
	xl.xmlFreeDoc(doc);
	if (d.refused.n > 0 || d.refused.failed) {
		profile_free(d.p);
		*cause = diag_finish(&d.refused);
		return -1;
	}
	diag_free(&d.refused);
	if ((o->flags & DOMIMPORT_QEMU_ARGS) != 0)
		d.oom |= strv_copy(&d.p->qemu_imported_options, d.raw) != 0;
	free(d.p->file);
	d.p->file = strdup(source);
	d.oom |= d.p->file == NULL;
	if (d.oom) {
		profile_free(d.p);
		return diag_cause(cause, "out of memory");
	}
	if (validate_check(d.p, cause) != 0) {
		profile_free(d.p);
		return -1;
	}
	*out = d.p;
	return 0;
}
