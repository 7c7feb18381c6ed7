/*
 * virthost: a machine defined on a libvirt host through libvirt's C
 * library (never by shelling out to virsh), its XML from domxml.c.
 *
 * The images: on a host that sees this one's files (a local URI, no
 * --pool) they stay where vmtui keeps them, and one that is not made yet
 * is made as the launch script would (qemu-img, never over an image).
 * Otherwise (a remote URI, or a pool asked for) each is uploaded into the
 * pool as a new volume NAME-TITLE.EXT with libvirt's streams, or made
 * there empty when there is none yet; a volume of that name is never
 * replaced. A domain of the same name is replaced only when asked
 * (its UUID kept, so libvirt updates the definition). With accel = auto
 * the domain is kvm where the host can run it: a local host as vmtui's
 * own launch decides, a remote one as its domain capabilities say.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "buf.h"
#include "diag.h"
#include "dynlib.h"
#include "domxml.h"
#include "paths.h"
#include "preflight.h"
#include "resolve.h"
#include "spawn.h"
#include "virthost.h"
#include "xmllib.h"

DYNLIB_NOTE(virthost_note, "libvirt", "the libvirt backend: --define, "
    "--import from a host", "suggested", LIBVIRT_SONAME);

/* libvirt, opened on first use (dynlib.h says why): what this file calls. */
#define VIRTHOST_LIBVIRT(X)						\
	X(virConnectClose) X(virConnectGetDomainCapabilities)           \
	X(virConnectGetURI) X(virConnectOpenAuth)                       \
	X(virDomainDefineXML) X(virDomainFree)                          \
	X(virDomainGetUUIDString) X(virDomainGetXMLDesc)                \
	X(virDomainLookupByName) X(virGetLastErrorMessage)              \
	X(virSetErrorFunc) X(virStoragePoolFree)                        \
	X(virStoragePoolLookupByName) X(virStorageVolCreateXML)         \
	X(virStorageVolDelete) X(virStorageVolFree)                     \
	X(virStorageVolGetPath) X(virStorageVolLookupByName)            \
	X(virStorageVolUpload) X(virStreamAbort) X(virStreamFinish)     \
	X(virStreamFree) X(virStreamNew) X(virStreamSendAll)            \
	X(virConnectAuthPtrDefault)

DYNLIB_TABLE(lv, virthost_names, VIRTHOST_LIBVIRT);

/* libvirt prints its errors by default; core never prints. */

static void
virthost_quiet(void *arg, virErrorPtr e)
{
	(void)arg;
	(void)e;
}

static int
virthost_fail(char **cause, const char *what)
{
	const char	*why = lv.virGetLastErrorMessage();

	return diag_cause(cause, "%s: %s", what, why != NULL ? why :
	    "failed");
}

/* Connect to the host at uri (NULL: libvirt's default), libvirt loaded. */
static virConnectPtr
virthost_connect(const char *uri, char **cause)
{
	static bool	 loaded;
	virConnectPtr	 conn;

	if (!loaded && dynlib_load(LIBVIRT_SONAME, "libvirt0", virthost_names,
	    sizeof virthost_names / sizeof virthost_names[0], &lv, cause) != 0)
		return NULL;
	loaded = true;
	lv.virSetErrorFunc(NULL, virthost_quiet);
	if ((conn = lv.virConnectOpenAuth(uri, *lv.virConnectAuthPtrDefault,
	    0)) == NULL)
		virthost_fail(cause, uri != NULL ? uri :
		    "the default libvirt host");
	return conn;
}

/* One image of the machine: where it is, what it is called, made how. */
struct virthost_image {
	char		**path;		/* in the resolved machine */
	char		 *title;	/* root, or the disk's title */
	const char	 *format;
	long		  size;		/* MiB, when it is made */
};

struct virthost_upload {
	int			 fd;
	unsigned long long	 sent, total;
	const char		*name;
	const struct virthost_opts *o;
};

static int
virthost_source(virStreamPtr st, char *data, size_t n, void *arg)
{
	struct virthost_upload	*u = arg;
	ssize_t			 r;

	(void)st;
	while ((r = read(u->fd, data, n)) == -1 && errno == EINTR)
		;
	if (r > 0) {
		u->sent += (unsigned long long)r;
		if (u->o->progress != NULL)
			u->o->progress(u->o->arg, u->name, u->sent, u->total);
	}
	return (int)r;
}

/* The image at *im->path as a new volume of pool; *im->path then the volume's. */
static int
virthost_to_pool(virConnectPtr conn, virStoragePoolPtr pool,
    const char *machine, struct virthost_image *im,
    const struct virthost_opts *o, char **cause)
{
	struct virthost_upload	 u = { -1, 0, 0, NULL, o };
	virStorageVolPtr	 vol;
	virStreamPtr		 st = NULL;
	struct stat		 sb;
	char			*name = NULL, *xml = NULL, *path;
	int			 ret = -1;
	bool			 there = stat(*im->path, &sb) == 0;

	if (asprintf(&name, "%s-%s.%s", machine, im->title,
	    strcmp(im->format, "raw") == 0 ? "img" : "qcow2") < 0)
		return diag_cause(cause, "out of memory");
	if ((vol = lv.virStorageVolLookupByName(pool, name)) != NULL) {
		lv.virStorageVolFree(vol);
		diag_cause(cause, "pool volume %s exists already: vmtui never "
		    "replaces a disk image (virsh vol-delete removes it)", name);
		free(name);
		return -1;
	}
	/* an image here is sent as it is; none yet: an empty one there */
	if (asprintf(&xml, "<volume><name>%s</name><capacity unit='bytes'>"
	    "%llu</capacity><target><format type='%s'/></target></volume>",
	    name, there ? (unsigned long long)sb.st_size :
	    (unsigned long long)im->size << 20, there ? "raw" : im->format) < 0) {
		free(name);
		return diag_cause(cause, "out of memory");
	}
	if ((vol = lv.virStorageVolCreateXML(pool, xml, 0)) == NULL) {
		virthost_fail(cause, name);
		goto out;
	}
	if (there) {
		u.total = (unsigned long long)sb.st_size;
		u.name = name;
		if ((u.fd = open(*im->path, O_RDONLY | O_CLOEXEC)) == -1) {
			diag_cause(cause, "%s: %s", *im->path, strerror(errno));
			goto undo;
		}
		if ((st = lv.virStreamNew(conn, 0)) == NULL ||
		    lv.virStorageVolUpload(vol, st, 0, u.total, 0) != 0 ||
		    lv.virStreamSendAll(st, virthost_source, &u) != 0 ||
		    lv.virStreamFinish(st) != 0) {
			virthost_fail(cause, name);
			if (st != NULL)
				lv.virStreamAbort(st);
			goto undo;
		}
	}
	if ((path = lv.virStorageVolGetPath(vol)) == NULL) {
		virthost_fail(cause, name);
		goto undo;
	}
	free(*im->path);
	*im->path = path;
	ret = 0;
	goto out;
undo:
	/* ours, half made: gone */
	lv.virStorageVolDelete(vol, 0);
out:
	if (u.fd != -1)
		close(u.fd);
	if (st != NULL)
		lv.virStreamFree(st);
	if (vol != NULL)
		lv.virStorageVolFree(vol);
	free(xml);
	free(name);
	return ret;
}

/* An image not made yet, made here as the launch script makes it. */
static int
virthost_make(const struct virthost_image *im, char **cause)
{
	char	 size[32], *dir, *slash, *out;
	char	*argv[] = { (char *)"qemu-img", (char *)"create", (char *)"-q",
		    (char *)"-f", (char *)im->format, (char *)"--",
		    *im->path, size, NULL };
	int	 st;

	if (access(*im->path, F_OK) == 0)
		return 0;
	if ((dir = strdup(*im->path)) == NULL)
		return diag_cause(cause, "out of memory");
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdirs(dir, 0700) != 0) {
			diag_cause(cause, "%s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	snprintf(size, sizeof size, "%ldM", im->size);
	if (spawn_output(argv, 1, &out, &st) != 0)
		return diag_cause(cause, "cannot run qemu-img: %s",
		    strerror(errno));
	if (st != 0) {
		diag_cause(cause, "qemu-img create %s: %s", *im->path, out);
		free(out);
		return -1;
	}
	free(out);
	return 0;
}

/*
 * Whether a connection's URI is this host's own libvirt, whose paths are
 * this host's: qemu:///session or qemu:///system, nothing else. Any other
 * (a host name, even localhost, a transport, a socket or a command of
 * its own, another driver) is another host, whose paths are its own.
 */
static bool
virthost_local(const char *uri)
{
	return uri != NULL && (strcmp(uri, "qemu:///session") == 0 ||
	    strcmp(uri, "qemu:///system") == 0);
}

/*
 * What a host that is not this one would read as its own file of the
 * same path, which --define does not upload: a kernel, an initrd, an
 * ISO, a BIOS, shared folders. A reason, or NULL.
 */
static char *
virthost_not_uploaded(const struct resolved *r)
{
	const char	*what = NULL, *path = NULL;
	char		*why;

	if (r->kernel != NULL) {
		what = "boots a kernel";
		path = r->kernel;
	} else if (r->cdrom != NULL) {
		what = "installs from an ISO";
		path = r->cdrom;
	} else if (r->p->bios[0] != '\0') {
		what = "boots a BIOS";
		path = r->bios;
	} else if (r->nshares > 0) {
		what = "shares a folder";
		path = r->shares[0].source;
	}
	if (what == NULL)
		return NULL;
	if (asprintf(&why, "%s %s of this host (%s), which --define uploads "
	    "to no host: another host would read its own file of that path. "
	    "Define it on this host's libvirt (qemu:///session or "
	    "qemu:///system), or have it boot from its disk", r->name, what,
	    path) < 0)
		return NULL;
	return why;
}

/*
 * The images where the host sees them: made here, or sent into the pool.
 * root holds the root disk's options with its format decided (r points
 * at it after), for as long as r is used.
 */
static int
virthost_images(virConnectPtr conn, struct resolved *r,
    const struct virthost_opts *o, bool upload, struct profile_drive *root,
    char **cause)
{
	struct virthost_image	 im;
	virStoragePoolPtr	 pool = NULL;
	const char		*pname = o->pool != NULL ? o->pool : "default";
	size_t			 i;
	int			 ret = 0;

	/* an overlay sent alone names an image the host has not got */
	if (upload && r->root_backing != NULL)
		return diag_cause(cause, "root-disk.backing: %s's root disk is "
		    "an overlay on %s, which a storage pool upload would not "
		    "carry; define it on this host (qemu:///system without "
		    "--pool), or make the disk whole first (qemu-img convert "
		    "-O qcow2 %s NEW.qcow2, then root-disk.image = NEW.qcow2 "
		    "and no backing)", r->name, r->root_backing, r->root_image);
	if (upload && (pool = lv.virStoragePoolLookupByName(conn, pname)) ==
	    NULL) {
		diag_cause(cause, "no storage pool %s on the host: --pool NAME "
		    "names one (virsh pool-list)", pname);
		return -1;
	}
	for (i = 0; ret == 0 && i <= r->ndisks; i++) {
		if (i == 0) {
			if (r->root_image == NULL)
				continue;
			/* one left to QEMU's probing is read here, once */
			*root = *r->root_drive;
			if (root->format == FORMAT_UNSET)
				root->format = resolve_image_format(
				    r->root_image) == FORMAT_RAW ? FORMAT_RAW :
				    FORMAT_QCOW2;
			r->root_drive = root;
			im.path = &r->root_image;
			im.title = (char *)"root";
			im.format = resolve_format(r->root_drive, "qcow2");
			im.size = r->root_size;
		} else {
			if (r->disks[i - 1].path == NULL)
				continue;	/* domxml refuses it */
			im.path = &r->disks[i - 1].path;
			im.title = r->disks[i - 1].title;
			im.format = resolve_format(r->disks[i - 1].drive,
			    "qcow2");
			im.size = r->disks[i - 1].size;
		}
		ret = upload ? virthost_to_pool(conn, pool, r->name, &im, o,
		    cause) : virthost_make(&im, cause);
	}
	if (pool != NULL)
		lv.virStoragePoolFree(pool);
	return ret;
}

/*
 * Whether libvirt on the host offers a kvm domain for the machine (its
 * QEMU, its arch): the host's domain capabilities, asked for kvm. libvirt
 * refuses the question where KVM is not supported; an answer is read
 * (with xmllib_parse's limits: a remote host is someone else's) for
 * <domain>kvm</domain>.
 */
static bool
virthost_offers_kvm(virConnectPtr conn, const struct resolved *r)
{
	xmlDocPtr	 doc;
	xmlNode		*root, *c;
	char		*caps, *v, *cause = NULL;
	bool		 kvm = false;

	if ((caps = lv.virConnectGetDomainCapabilities(conn,
	    strchr(r->binary, '/') != NULL ? r->binary : NULL,
	    schema_arches[r->p->arch], NULL, "kvm", 0)) == NULL)
		return false;
	if (xmllib_parse(caps, strlen(caps), "the domain capabilities", &doc,
	    &cause) == 0) {
		if ((root = xl.xmlDocGetRootElement(doc)) != NULL &&
		    xmllib_is(root, "domainCapabilities") &&
		    (c = xmllib_child(root, "domain")) != NULL) {
			v = (char *)xl.xmlNodeGetContent(c);
			kvm = v != NULL && strcmp(v, "kvm") == 0;
			xmllib_free(v);
		}
		xl.xmlFreeDoc(doc);
	}
	free(cause);
	free(caps);
	return kvm;
}

/*
 * KVM for accel = auto on the target: a host of this one's (a local URI)
 * where vmtui's own launch would use it (preflight_kvm_usable: /dev/kvm,
 * and the CPU's vmx or svm, which a /dev/kvm does not prove) and libvirt
 * offers it; a remote host where its libvirt offers it.
 */
static bool
virthost_kvm(virConnectPtr conn, const struct resolved *r, bool remote)
{
	char	*why = NULL;
	bool	 local_ok = remote || preflight_kvm_usable(r->p->arch, &why);

	free(why);
	return local_ok && virthost_offers_kvm(conn, r);
}

/*
 * Define the machine on the host o names: its domain, its images where
 * the host sees them. A note for people (where, how to start it) in
 * *note. 1 (and why) when a domain of the name is there and o->force is
 * not set; -1 on any other failure.
 */
int
virthost_define(const struct profile *p, const struct virthost_opts *o,
    char **note, char **cause)
{
	struct domxml_target	 t = { false, NULL, false };
	struct profile_drive	 root;
	struct resolved		*r = NULL;
	virConnectPtr		 conn;
	virDomainPtr		 dom;
	char			 uuid[VIR_UUID_STRING_BUFLEN];
	char			*xml = NULL, *uri = NULL, *why;
	bool			 upload;
	int			 ret = -1;

	*note = NULL;
	if ((conn = virthost_connect(o->uri, cause)) == NULL)
		return -1;
	uri = lv.virConnectGetURI(conn);
	/* another host sees none of this one's files */
	t.nolog = !virthost_local(o->uri != NULL ? o->uri : uri);
	upload = o->pool != NULL || t.nolog;
	if ((dom = lv.virDomainLookupByName(conn, p->name)) != NULL) {
		if (!o->force) {
			diag_cause(cause, "%s has a domain %s already: --force "
			    "replaces its definition", uri != NULL ? uri : "the "
			    "host", p->name);
			lv.virDomainFree(dom);
			ret = 1;
			goto out;
		}
		if (lv.virDomainGetUUIDString(dom, uuid) == 0)
			t.uuid = uuid;
		lv.virDomainFree(dom);
	}
	if (resolve_machine(p, &r, cause) != 0)
		goto out;
	if (t.nolog && (why = virthost_not_uploaded(r)) != NULL) {
		*cause = why;
		goto out;
	}
	if (p->accel == ACCEL_AUTO)
		t.kvm = virthost_kvm(conn, r, t.nolog);
	/* what libvirt cannot express is said before anything is made */
	if (domxml_render(r, &t, &xml, cause) != 0) {
		why = *cause;
		diag_cause(cause, "%s cannot be defined on libvirt:\n%s",
		    p->name, why != NULL ? why : "out of memory");
		free(why);
		goto out;
	}
	free(xml);
	xml = NULL;
	/* virtlogd writes the console log, in a folder it does not make */
	if (!t.nolog && paths_mkdirs(r->state_dir, 0700) != 0) {
		diag_cause(cause, "%s: %s", r->state_dir, strerror(errno));
		goto out;
	}
	if (virthost_images(conn, r, o, upload, &root, cause) != 0 ||
	    domxml_render(r, &t, &xml, cause) != 0)
		goto out;
	if ((dom = lv.virDomainDefineXML(conn, xml)) == NULL) {
		virthost_fail(cause, "cannot define the domain");
		goto out;
	}
	lv.virDomainFree(dom);
	if (asprintf(note, "%s %s on %s%s; virsh -c %s start %s starts it",
	    t.uuid != NULL ? "updated" : "defined", p->name, uri != NULL ?
	    uri : "the host", upload ? ", its images in the pool" : "",
	    uri != NULL ? uri : "URI", p->name) < 0)
		*note = NULL;
	ret = 0;
out:
	free(xml);
	free(uri);
	resolve_free(r);
	lv.virConnectClose(conn);
	return ret;
}

/* Built with libvirt: nothing missing (core/nolibvirt.c says what is). */
const char *
virthost_unbuilt(void)
{
	return NULL;
}

/*
 * The XML of the domain called name on the host at uri (NULL: libvirt's
 * default) in *xml; *remote when the host is not this one's own libvirt
 * (virthost_local), whose paths are then its own, not this host's.
 */
int
virthost_xml(const char *uri, const char *name, char **xml, bool *remote,
    char **cause)
{
	virConnectPtr	 conn;
	virDomainPtr	 dom;
	char		*at;
	int		 ret = -1;

	*xml = NULL;
	*remote = true;
	if ((conn = virthost_connect(uri, cause)) == NULL)
		return -1;
	at = uri == NULL ? lv.virConnectGetURI(conn) : NULL;
	*remote = !virthost_local(uri != NULL ? uri : at);
	free(at);
	if ((dom = lv.virDomainLookupByName(conn, name)) == NULL)
		virthost_fail(cause, name);
	else if ((*xml = lv.virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE)) ==
	    NULL)
		virthost_fail(cause, name);
	else
		ret = 0;
	if (dom != NULL)
		lv.virDomainFree(dom);
	lv.virConnectClose(conn);
	return ret;
}
