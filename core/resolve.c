/*
 * resolve: from a valid profile to the machine it means. Paths resolve as
 * profile_path() says (absolute, ~/, else from the profile's folder);
 * images and UEFI variables the profile leaves unnamed live in the
 * machine's data folder; UEFI firmware is found on the host (firmware.c);
 * the kernel consoles default as the seed's. A backend renders the result.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "firmware.h"
#include "paths.h"
#include "resolve.h"
#include "seed.h"

/*
 * A file as the profile names it (raw), or, when it names none, the file
 * of that name in the machine's data folder.
 */
char *
resolve_file(const struct profile *p, const char *raw, const char *file)
{
	struct paths_machine	 m;
	char			*s;
	int			 r;

	if (*raw != '\0')
		return profile_path(p, raw);
	if (paths_machine(p->name, p->dir, p->file, &m) != 0)
		return NULL;
	r = asprintf(&s, "%s/%s", m.data, file);
	paths_machine_free(&m);
	return r < 0 ? NULL : s;
}

/* A disk image's extension in the data folder: qcow2, or img when raw. */
static const char *
resolve_ext(const struct profile_drive *dr)
{
	return dr->format == FORMAT_RAW ? "img" : "qcow2";
}

static char *
resolve_binary(const struct profile *p)
{
	if (*p->qemu_binary == '\0')
		return strdup(p->arch == ARCH_AARCH64 ?
		    "qemu-system-aarch64" : "qemu-system-x86_64");
	if (strchr(p->qemu_binary, '/') == NULL)
		return strdup(p->qemu_binary);
	return profile_path(p, p->qemu_binary);
}

/* A disk's format as QEMU names it, or dflt when the profile says none. */
const char *
resolve_format(const struct profile_drive *dr, const char *dflt)
{
	if (dr->format == FORMAT_UNSET)
		return dflt;
	return schema_formats[dr->format];
}

/*
 * What the image at path is, as its first bytes say: FORMAT_QCOW2 (qcow2's
 * magic), FORMAT_RAW (anything else), or -1 when it cannot be read (not
 * made yet).
 */
int
resolve_image_format(const char *path)
{
	unsigned char	m[4];
	int		fd;
	ssize_t		n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, m, sizeof m);
	close(fd);
	return n == 4 && memcmp(m, "QFI\xfb", 4) == 0 ? FORMAT_QCOW2 :
	    FORMAT_RAW;
}

/*
 * Where a disk's image is: the root disk's (i = -1) as the profile names it
 * or root.qcow2 (root.img when raw) in the data folder; extra disk i's in
 * the data folder as TITLE.qcow2 (TITLE.img). NULL for an ephemeral disk,
 * or out of memory.
 */
char *
resolve_disk_image(const struct profile *p, long i)
{
	char	*file, *s;

	if (i < 0)
		return resolve_file(p, p->root_image, p->root_drive.format ==
		    FORMAT_RAW ? RESOLVE_ROOT_RAW_FILE : RESOLVE_ROOT_FILE);
	if (p->disks[i].ephemeral)
		return NULL;
	if (asprintf(&file, "%s.%s", p->disks[i].title,
	    resolve_ext(&p->disks[i].drive)) < 0)
		return NULL;
	s = resolve_file(p, "", file);
	free(file);
	return s;
}

static int
resolve_disks(struct resolved *r, const struct profile *p)
{
	size_t	i;

	if (p->has_root_disk) {
		r->root_size = p->root_size;
		r->root_drive = &p->root_drive;
		if ((r->root_image = resolve_disk_image(p, -1)) == NULL)
			return -1;
		r->root_backing_format =
		    schema_formats[p->root_backing_format];
		if (*p->root_backing != '\0' && (r->root_backing =
		    profile_path(p, p->root_backing)) == NULL)
			return -1;
	}
	if (p->ndisks > 0 &&
	    (r->disks = calloc(p->ndisks, sizeof *r->disks)) == NULL)
		return -1;
	for (i = 0; i < p->ndisks; i++) {
		struct resolve_disk *d = &r->disks[r->ndisks++];

		d->size = p->disks[i].size;
		d->drive = &p->disks[i].drive;
		d->ext = resolve_ext(d->drive);
		if ((d->title = strdup(p->disks[i].title)) == NULL)
			return -1;
		if (!p->disks[i].ephemeral &&
		    (d->path = resolve_disk_image(p, (long)i)) == NULL)
			return -1;
	}
	return 0;
}

static int
resolve_shares(struct resolved *r, const struct profile *p)
{
	size_t	i;

	if (p->nshares > 0 &&
	    (r->shares = calloc(p->nshares, sizeof *r->shares)) == NULL)
		return -1;
	for (i = 0; i < p->nshares; i++) {
		const struct profile_share	*s = &p->shares[i];
		struct resolve_share		*t = &r->shares[r->nshares++];

		t->readonly = s->readonly;
		if ((t->tag = strdup(s->tag)) == NULL ||
		    (t->target = strdup(s->target)) == NULL ||
		    (t->source = profile_path(p, s->source)) == NULL)
			return -1;
	}
	return 0;
}

static int
resolve_boot(struct resolved *r, const struct profile *p)
{
	r->boot = profile_boot_mode(p);
	switch (r->boot) {
	case BOOT_KERNEL:
		/* NULL when unset: validation asked for a kernel */
		r->kernel = profile_path(p, p->kernel);
		r->initrd = profile_path(p, p->initrd);
		if (profile_default_consoles(p, &r->consoles) != 0)
			return -1;
		break;
	case BOOT_UEFI:
		if ((r->firmware = firmware_code(p)) == NULL ||
		    (r->efi_vars_template = firmware_vars_template(p,
		    r->firmware)) == NULL ||
		    (r->efi_vars = resolve_file(p, p->efi_vars,
		    RESOLVE_EFI_VARS_FILE)) == NULL)
			return -1;
		break;
	case BOOT_CDROM:
		if ((r->cdrom = profile_path(p, p->cdrom)) == NULL)
			return -1;
		break;
	default:
		break;
	}
	if (*p->bios != '\0' && r->boot != BOOT_UEFI)
		r->bios = profile_path(p, p->bios);
	return 0;
}

/*
 * The MAC of the machine's NIC on a vlan: the same at every launch and on
 * every host, different between machines (FNV-1a of the name, mixed), locally
 * administered (52:54, as QEMU's own), the vlan in the last byte.
 */
void
resolve_vlan_mac(const char *name, long vlan, char mac[RESOLVE_MAC_LEN])
{
	uint32_t	h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	/* mixed, so that names a letter apart differ in every byte */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	snprintf(mac, RESOLVE_MAC_LEN, "52:54:%02x:%02x:%02x:%02lx",
	    (unsigned)(h >> 24) | 1, (unsigned)(h >> 16) & 0xff,
	    (unsigned)(h >> 8) & 0xff, (unsigned long)vlan & 0xff);
}

/* The machine a profile that validate_check() accepts means. */
int
resolve_machine(const struct profile *p, struct resolved **out, char **cause)
{
	struct paths_machine	 m;
	struct resolved		*r;

	*out = NULL;
	if (paths_machine(p->name, p->dir, p->file, &m) != 0) {
		*cause = strdup("out of memory");
		return -1;
	}
	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->p = p, r->name = strdup(p->name)) == NULL ||
	    (r->binary = resolve_binary(p)) == NULL) {
		paths_machine_free(&m);
		resolve_free(r);
		*cause = strdup("out of memory");
		return -1;
	}
	/* the folders of its identity: a launch makes its new ones */
	r->profile = m.profile;
	r->runtime_dir = m.runtime;
	r->state_dir = m.state;
	r->data_dir = m.data;
	m.profile = m.runtime = m.state = m.data = NULL;
	paths_machine_free(&m);
	r->arch = schema_arches[p->arch];
	if (resolve_disks(r, p) != 0 || resolve_shares(r, p) != 0 ||
	    resolve_boot(r, p) != 0 ||
	    (p->has_cloud_init && (r->seed = seed_path(p)) == NULL)) {
		resolve_free(r);
		*cause = strdup("cannot resolve the machine: out of memory, or "
		    "the profile was not validated");
		return -1;
	}
	*out = r;
	return 0;
}

/*
 * The files in the machine's data folder that are its own: the images and
 * EFI variables vmtui puts there by default, those that exist. Paths the
 * profile names itself are the user's, never listed here.
 */
int
resolve_owned_files(const struct profile *p, struct strv *files)
{
	struct stat	 st;
	char		*f;
	size_t		 i;
	int		 r = 0;

	for (i = 0; r == 0 && i < p->ndisks + 2; i++) {
		if (i == 0 && (!p->has_root_disk || *p->root_image != '\0'))
			continue;
		if (i == 1 && *p->efi_vars != '\0')
			continue;
		if (i >= 2 && p->disks[i - 2].ephemeral)
			continue;
		f = i == 1 ? resolve_file(p, "", RESOLVE_EFI_VARS_FILE) :
		    resolve_disk_image(p, i == 0 ? -1 : (long)i - 2);
		if (f == NULL) {
			r = -1;
			break;
		}
		if (lstat(f, &st) == 0 && S_ISREG(st.st_mode))
			r = strv_add(files, f);
		free(f);
	}
	return r;
}

void
resolve_free(struct resolved *r)
{
	size_t	i;

	if (r == NULL)
		return;
	free(r->name);
	free(r->binary);
	free(r->profile);
	free(r->runtime_dir);
	free(r->state_dir);
	free(r->data_dir);
	free(r->root_image);
	free(r->root_backing);
	for (i = 0; i < r->ndisks; i++) {
		free(r->disks[i].title);
		free(r->disks[i].path);
	}
	free(r->disks);
	for (i = 0; i < r->nshares; i++) {
		free(r->shares[i].tag);
		free(r->shares[i].source);
		free(r->shares[i].target);
	}
	free(r->shares);
	free(r->kernel);
	free(r->initrd);
	strv_free(&r->consoles);
	free(r->cdrom);
	free(r->firmware);
	free(r->efi_vars);
	free(r->efi_vars_template);
	free(r->bios);
	free(r->seed);
	free(r);
}
