/*
 * resolve: from a valid profile to the machine it means. Paths resolve as
 * profile_path() says (absolute, ~/, else from the profile's folder);
 * images and UEFI variables the profile leaves unnamed live in the
 * machine's data folder; UEFI firmware is found on the host (firmware.c);
 * the kernel consoles default as the seed's. A backend renders the result.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "firmware.h"
#include "paths.h"
#include "resolve.h"

/* A file in the machine's data folder. */
static char *
resolve_data_file(const struct resolved *r, const char *file)
{
	char	*s;

	if (asprintf(&s, "%s/%s", r->data_dir, file) < 0)
		return NULL;
	return s;
}

/* The profile's path, or the data folder's file when the profile has none. */
static char *
resolve_path_or(const struct resolved *r, const char *raw, const char *file)
{
	if (*raw != '\0')
		return profile_path(r->p, raw);
	return resolve_data_file(r, file);
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

static int
resolve_disks(struct resolved *r, const struct profile *p)
{
	size_t	i;
	char	*file;

	if (p->has_root_disk) {
		r->root_size = p->root_size;
		if ((r->root_image = resolve_path_or(r, p->root_image,
		    RESOLVE_ROOT_FILE)) == NULL)
			return -1;
	}
	if (p->ndisks > 0 &&
	    (r->disks = calloc(p->ndisks, sizeof *r->disks)) == NULL)
		return -1;
	for (i = 0; i < p->ndisks; i++) {
		struct resolve_disk *d = &r->disks[r->ndisks++];

		d->size = p->disks[i].size;
		if ((d->title = strdup(p->disks[i].title)) == NULL)
			return -1;
		if (p->disks[i].ephemeral)
			continue;
		if (asprintf(&file, "%s.qcow2", d->title) < 0)
			return -1;
		d->path = resolve_data_file(r, file);
		free(file);
		if (d->path == NULL)
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
		    (r->efi_vars = resolve_path_or(r, p->efi_vars,
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

/* The machine a profile that validate_check() accepts means. */
int
resolve_machine(const struct profile *p, struct resolved **out, char **cause)
{
	struct resolved	*r;

	*out = NULL;
	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->p = p, r->name = strdup(p->name)) == NULL ||
	    (r->runtime_dir = paths_runtime_dir(p->name)) == NULL ||
	    (r->state_dir = paths_state_dir(p->name)) == NULL ||
	    (r->data_dir = paths_data_dir(p->name)) == NULL ||
	    (r->binary = resolve_binary(p)) == NULL) {
		resolve_free(r);
		*cause = strdup("out of memory");
		return -1;
	}
	r->arch = schema_arches[p->arch];
	if (resolve_disks(r, p) != 0 || resolve_shares(r, p) != 0 ||
	    resolve_boot(r, p) != 0) {
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
	char		*dir, *f;
	size_t		 i;
	int		 r = 0;

	if ((dir = paths_data_dir(p->name)) == NULL)
		return -1;
	for (i = 0; r == 0 && i < p->ndisks + 2; i++) {
		if (i == 0 && (!p->has_root_disk || *p->root_image != '\0'))
			continue;
		if (i == 1 && *p->efi_vars != '\0')
			continue;
		if (i >= 2 && p->disks[i - 2].ephemeral)
			continue;
		if (i >= 2 ? asprintf(&f, "%s/%s.qcow2", dir,
		    p->disks[i - 2].title) < 0 : asprintf(&f, "%s/%s", dir,
		    i == 0 ? RESOLVE_ROOT_FILE : RESOLVE_EFI_VARS_FILE) < 0) {
			r = -1;
			break;
		}
		if (lstat(f, &st) == 0 && S_ISREG(st.st_mode))
			r = strv_add(files, f);
		free(f);
	}
	free(dir);
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
	free(r->runtime_dir);
	free(r->state_dir);
	free(r->data_dir);
	free(r->root_image);
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
	free(r);
}
