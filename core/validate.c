/*
 * validate: every rule of a profile that is not about one value alone, and
 * every value again through the schema (a profile built in the editor has
 * not been through the loader). Problems go to a diag with the line of the
 * value they are about.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "firmware.h"
#include "paths.h"
#include "resolve.h"
#include "validate.h"

#define IDE_PORTS	6	/* q35's AHCI controller */

static int
validate_line(const struct profile_lines *l, enum schema_id key)
{
	if (l->key[key] > 0)
		return l->key[key];
	return l->line;
}

/* Whether the j-th number of a list is one of those before it, and why. */
static int
validate_twice(const struct schema_key *k, const struct numv *nv, size_t j,
    char **cause)
{
	const struct numv	before = { nv->v, j };

	if (!numv_has(&before, nv->v[j]))
		return 0;
	if (asprintf(cause, "%s: %ld is listed twice", schema_key_name(k),
	    nv->v[j]) < 0)
		*cause = NULL;
	return 1;
}

/*
 * Every value through the schema, as the loader checks it. A key without
 * a default that is left out is not a value: the rules below say so.
 */
static void
validate_values(const struct profile *p, struct diag *d)
{
	const struct schema_key		*k;
	const struct profile_lines	*l;
	const struct strv		*sv;
	const struct numv		*nv;
	const void			*v;
	enum schema_id			 id;
	size_t				 i, j, n;
	char				*cause;
	int				 s, r;

	for (s = 0; s < SCHEMA_NSECTIONS; s++) {
		n = profile_count(p, (enum schema_section)s);
		for (i = 0; i < n; i++) {
			l = profile_lines_of(p, (enum schema_section)s, i);
			for (k = schema_keys; k->path != NULL; k++) {
				id = (enum schema_id)(k - schema_keys);
				/* the name has a rule of its own */
				if (k->section != (enum schema_section)s ||
				    id == SCHEMA_K_NAME)
					continue;
				v = profile_value(p, id, i);
				r = 0;
				cause = NULL;
				switch (k->type) {
				case SCHEMA_INT:
					if ((k->flags & SCHEMA_NODEFAULT) &&
					    *(const long *)v == 0 &&
					    l->key[id] == 0)
						break;
					r = schema_check_int(k,
					    *(const long *)v, &cause);
					break;
				case SCHEMA_STR:
					r = schema_check_str(k,
					    *(char *const *)v, &cause);
					break;
				case SCHEMA_LIST:
					sv = v;
					for (j = 0; j < sv->n && r == 0; j++)
						r = schema_check_str(k,
						    sv->v[j], &cause);
					break;
				case SCHEMA_NUMS:
					nv = v;
					for (j = 0; j < nv->n && r == 0; j++)
						r = schema_check_int(k,
						    nv->v[j], &cause);
					for (j = 0; j < nv->n && r == 0; j++)
						if (validate_twice(k, nv, j,
						    &cause))
							r = -1;
					break;
				default:
					break;
				}
				if (r != 0)
					diag_take(d, validate_line(l, id),
					    cause);
			}
		}
	}
}

/* A file a boot mode needs: it must be there, a file, and readable. */
static void
validate_file(struct diag *d, const struct profile *p, enum schema_id key,
    const char *raw, const char *what)
{
	struct stat	 st;
	char		*file;
	int		 line = validate_line(&p->lines, key);

	if ((file = profile_path(p, raw)) == NULL) {
		diag_add(d, line, "%s is missing", what);
		return;
	}
	if (stat(file, &st) != 0)
		diag_add(d, line, "%s %s: %s", what, file, strerror(errno));
	else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		diag_add(d, line, "%s %s is not a file", what, file);
	else if (access(file, R_OK) != 0)
		diag_add(d, line, "%s %s is not readable: %s", what, file,
		    strerror(errno));
	free(file);
}

/* A file vmtui creates: its name must be a file name, not a folder's. */
static void
validate_new_file(struct diag *d, const struct profile *p,
    enum schema_id key, const char *raw, const char *what)
{
	const char	*base = strrchr(raw, '/');
	struct stat	 st;
	char		*file;

	if (*raw == '\0')
		return;
	base = base != NULL ? base + 1 : raw;
	if (*base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		diag_add(d, validate_line(&p->lines, key), "%s \"%s\" names "
		    "a folder; give the file's name", what, raw);
		return;
	}
	file = profile_path(p, raw);
	if (file != NULL && stat(file, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISBLK(st.st_mode))
		diag_add(d, validate_line(&p->lines, key), "%s %s is not a "
		    "file", what, file);
	free(file);
}

static void
validate_boot(const struct profile *p, struct diag *d)
{
	enum bootmode	 mode = profile_boot_mode(p);
	char		*code, *vars;
	int		 line = validate_line(&p->lines, SCHEMA_K_BOOT_MODE);

	switch (mode) {
	case BOOT_KERNEL:
		if (*p->kernel == '\0') {
			diag_add(d, line, p->boot_mode == BOOT_UNSET ?
			    "nothing to boot: add a root-disk section, or set "
			    "boot.kernel (boot.mode is kernel when there is "
			    "no root disk)" : "boot.mode kernel needs "
			    "boot.kernel");
			break;
		}
		validate_file(d, p, SCHEMA_K_BOOT_KERNEL, p->kernel, "kernel");
		if (*p->initrd != '\0')
			validate_file(d, p, SCHEMA_K_BOOT_INITRD, p->initrd,
			    "initrd");
		break;
	case BOOT_DISK:
		if (!p->has_root_disk)
			diag_add(d, line, "boot.mode disk needs a root-disk "
			    "section");
		break;
	case BOOT_CDROM:
		if (*p->cdrom == '\0')
			diag_add(d, line, "boot.mode cdrom needs boot.cdrom, "
			    "the installer ISO");
		else
			validate_file(d, p, SCHEMA_K_BOOT_CDROM, p->cdrom,
			    "cdrom");
		break;
	case BOOT_UEFI:
		if (*p->bios != '\0')
			diag_add(d, validate_line(&p->lines, SCHEMA_K_BOOT_BIOS),
			    "boot.bios cannot be used with boot.mode uefi");
		if (*p->firmware != '\0')
			validate_file(d, p, SCHEMA_K_BOOT_FIRMWARE, p->firmware,
			    "firmware");
		code = firmware_code(p);
		if (code != NULL && access(code, R_OK) != 0) {
			free(code);	/* reported just above */
			break;
		}
		if (code == NULL) {
			diag_add(d, line, "no UEFI firmware found: install "
			    "the %s package, or set boot.firmware",
			    p->arch == ARCH_AARCH64 ? "qemu-efi-aarch64" :
			    "ovmf");
			break;
		}
		if (*p->efi_vars_template != '\0')
			validate_file(d, p, SCHEMA_K_BOOT_EFI_VARS_TEMPLATE,
			    p->efi_vars_template, "efi-vars-template");
		else if ((vars = firmware_vars_template(p, code)) == NULL)
			diag_add(d, line, "no UEFI variable store found "
			    "beside %s: set boot.efi-vars-template", code);
		else
			free(vars);
		validate_new_file(d, p, SCHEMA_K_BOOT_EFI_VARS, p->efi_vars,
		    "efi-vars");
		free(code);
		break;
	case BOOT_UNSET:
		break;
	}
	if (*p->bios != '\0' && mode != BOOT_UEFI)
		validate_file(d, p, SCHEMA_K_BOOT_BIOS, p->bios, "bios");
}

/*
 * A read-only disk is never made (QEMU could not write it, and vmtui
 * would make an empty one): its image must be there. i: -1 the root disk.
 */
static void
validate_readonly(const struct profile *p, struct diag *d, long i)
{
	const struct profile_lines	*l = i < 0 ? &p->lines :
					    &p->disks[i].lines;
	struct stat			 st;
	char				*image;
	int				 line;

	line = validate_line(l, i < 0 ? SCHEMA_K_ROOT_DISK_READONLY :
	    SCHEMA_K_DISK_READONLY);
	if (i >= 0 && p->disks[i].ephemeral) {
		diag_add(d, line, "disk \"%s\" is ephemeral and read-only: an "
		    "ephemeral disk is new and empty at each boot",
		    p->disks[i].title);
		return;
	}
	if ((image = resolve_disk_image(p, i)) == NULL)
		return;
	if (stat(image, &st) != 0)
		diag_add(d, line, "%s is read-only, and its image %s is not "
		    "there: a read-only disk is never created", i < 0 ?
		    "root-disk" : p->disks[i].title, image);
	free(image);
}

/*
 * A root disk that stands on an image (a cloud image): a qcow2 overlay of
 * it, which must be there, and never the image itself.
 */
static void
validate_backing(const struct profile *p, struct diag *d)
{
	char	*image, *backing;
	int	 line = validate_line(&p->lines, SCHEMA_K_ROOT_DISK_BACKING);

	if (p->root_drive.format == FORMAT_RAW)
		diag_add(d, validate_line(&p->lines, SCHEMA_K_ROOT_DISK_FORMAT),
		    "root-disk: a disk that stands on a backing image is a "
		    "qcow2 overlay of it, not raw; leave format out");
	validate_file(d, p, SCHEMA_K_ROOT_DISK_BACKING, p->root_backing,
	    "root-disk's backing image");
	image = resolve_disk_image(p, -1);
	backing = profile_path(p, p->root_backing);
	if (image != NULL && backing != NULL && strcmp(image, backing) == 0)
		diag_add(d, line, "root-disk: the image is its own backing "
		    "image %s; the image a disk stands on is never written to",
		    backing);
	free(image);
	free(backing);
}

static void
validate_disks(const struct profile *p, struct diag *d)
{
	size_t		 i, j, ide;
	char		*cause;
	int		 line;

	line = validate_line(&p->lines, SCHEMA_K_DISK_INTERFACE);

	if (p->has_root_disk) {
		validate_new_file(d, p, SCHEMA_K_ROOT_DISK_IMAGE, p->root_image,
		    "root disk image");
		if (p->root_drive.readonly)
			validate_readonly(p, d, -1);
		if (*p->root_backing != '\0')
			validate_backing(p, d);
	}
	for (i = 0; i < p->ndisks; i++) {
		const struct profile_disk *k = &p->disks[i];

		if (schema_check_tag("disk title", k->title, &cause) != 0)
			diag_take(d, k->lines.line, cause);
		if (k->size == 0 && k->lines.key[SCHEMA_K_DISK_SIZE] == 0)
			diag_add(d, k->lines.line, "disk \"%s\": size is "
			    "missing", k->title);
		if (k->drive.readonly)
			validate_readonly(p, d, (long)i);
		for (j = 0; j < i; j++)
			if (strcmp(p->disks[j].title, k->title) == 0)
				diag_add(d, k->lines.line, "disk \"%s\" is "
				    "defined twice", k->title);
	}
	if (p->disk_interface == DISKIF_IDE) {
		if (p->arch != ARCH_X86_64)
			diag_add(d, line, "disk-interface ide needs arch "
			    "x86_64; use virtio, scsi or nvme");
		ide = p->ndisks + (p->has_root_disk ? 1 : 0) +
		    (profile_boot_mode(p) == BOOT_CDROM ? 1 : 0);
		if (ide > IDE_PORTS)
			diag_add(d, line, "disk-interface ide has %d ports, "
			    "and this machine needs %zu (disks and the cdrom)",
			    IDE_PORTS, ide);
	}
}

static void
validate_shares(const struct profile *p, struct diag *d)
{
	struct stat	 st;
	size_t		 i, j;
	char		*cause, *src;

	for (i = 0; i < p->nshares; i++) {
		const struct profile_share *s = &p->shares[i];
		int line = validate_line(&s->lines, SCHEMA_K_SHARE_SOURCE);

		if (schema_check_tag("mount tag", s->tag, &cause) != 0)
			diag_take(d, s->lines.line, cause);
		for (j = 0; j < i; j++)
			if (strcmp(p->shares[j].tag, s->tag) == 0)
				diag_add(d, s->lines.line, "share \"%s\" is "
				    "defined twice", s->tag);
		if (p->exchange_dir && (strcmp(s->tag, "xchg") == 0 ||
		    strcmp(s->tag, "shared") == 0))
			diag_add(d, s->lines.line, "share \"%s\": that tag is "
			    "taken by exchange-dir", s->tag);
		if ((src = profile_path(p, s->source)) == NULL) {
			diag_add(d, s->lines.line, "share \"%s\": source is "
			    "missing", s->tag);
			continue;
		}
		if (stat(src, &st) != 0)
			diag_add(d, line, "share \"%s\": source %s: %s",
			    s->tag, src, strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			diag_add(d, line, "share \"%s\": source %s is not a "
			    "folder", s->tag, src);
		free(src);
	}
}

/* Two host-side listeners clash when proto and port match and addresses overlap. */
static int
validate_clash(const struct profile_forward *a, const struct profile_forward *b)
{
	if (a->from != b->from || a->proto != b->proto)
		return 0;
	if (a->from == FWD_HOST)
		return a->host_port == b->host_port &&
		    (strcmp(a->host_address, b->host_address) == 0 ||
		    strcmp(a->host_address, "0.0.0.0") == 0 ||
		    strcmp(b->host_address, "0.0.0.0") == 0);
	return a->guest_port == b->guest_port &&
	    strcmp(a->guest_address, b->guest_address) == 0;
}

/* The port a forward listens on: the host's, or the guest's for from=guest. */
static long
validate_listen_port(const struct profile_forward *f)
{
	return f->from == FWD_HOST ? f->host_port : f->guest_port;
}

static int
validate_same_port(const struct profile_forward *a,
    const struct profile_forward *b)
{
	return a->from == b->from && a->proto == b->proto &&
	    validate_listen_port(a) == validate_listen_port(b);
}

static const struct profile *validate_sorting;

static int
validate_cmp(const void *a, const void *b)
{
	const struct profile_forward	*x, *y;
	size_t				 i = *(const size_t *)a;
	size_t				 j = *(const size_t *)b;

	x = &validate_sorting->forwards[i];
	y = &validate_sorting->forwards[j];
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (validate_listen_port(x) != validate_listen_port(y))
		return validate_listen_port(x) < validate_listen_port(y) ?
		    -1 : 1;
	return i < j ? -1 : i > j;
}

/*
 * Forwards that listen on one port: sorted by (direction, proto, port) so
 * that only forwards sharing a port are compared, and a profile with
 * thousands of forwards is checked in n log n, not n squared.
 */
static void
validate_duplicates(const struct profile *p, struct diag *d)
{
	size_t	*order, i, j, run;
	char	 at[32];

	if (p->nforwards < 2 ||
	    (order = calloc(p->nforwards, sizeof *order)) == NULL)
		return;
	for (i = 0; i < p->nforwards; i++)
		order[i] = i;
	validate_sorting = p;
	qsort(order, p->nforwards, sizeof *order, validate_cmp);
	for (run = 0; run < p->nforwards; run = i) {
		for (i = run + 1; i < p->nforwards &&
		    validate_same_port(&p->forwards[order[run]],
		    &p->forwards[order[i]]); i++)
			;
		for (j = run + 1; j < i; j++) {
			const struct profile_forward *f = &p->forwards[order[j]];
			size_t k;

			for (k = run; k < j; k++)
				if (validate_clash(&p->forwards[order[k]], f))
					break;
			if (k == j)
				continue;
			/* where the other is, when it was read from a file */
			if (p->forwards[order[k]].lines.line > 0)
				snprintf(at, sizeof at, " (line %d)",
				    p->forwards[order[k]].lines.line);
			else
				snprintf(at, sizeof at, " by another forward");
			if (f->from == FWD_HOST)
				diag_add(d, validate_line(&f->lines,
				    SCHEMA_K_FORWARD_HOST_PORT), "host port %s/%ld is "
				    "already forwarded%s",
				    schema_protos[f->proto], f->host_port, at);
			else
				diag_add(d, validate_line(&f->lines,
				    SCHEMA_K_FORWARD_GUEST_PORT), "guest address "
				    "%s:%ld is already forwarded%s",
				    f->guest_address, f->guest_port, at);
		}
	}
	free(order);
}

static void
validate_forwards(const struct profile *p, struct diag *d)
{
	size_t	i;

	if (p->nforwards > 0 && p->network == NETWORK_NONE)
		diag_add(d, validate_line(&p->lines, SCHEMA_K_NETWORK), "forwards "
		    "need network = \"user\"");
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];
		const struct profile_lines *l = &f->lines;

		if (f->host_port == 0 &&
		    l->key[SCHEMA_K_FORWARD_HOST_PORT] == 0)
			diag_add(d, l->line, "forward: host-port is missing");
		if (f->guest_port == 0 &&
		    l->key[SCHEMA_K_FORWARD_GUEST_PORT] == 0)
			diag_add(d, l->line, "forward: guest-port is missing");
		if (f->from == FWD_GUEST) {
			if (f->proto != PROTO_TCP)
				diag_add(d, validate_line(l, SCHEMA_K_FORWARD_PROTO),
				    "forward from guest: only tcp can be "
				    "forwarded from the guest to the host");
			if (*f->guest_address == '\0')
				diag_add(d, l->line, "forward from guest: "
				    "guest-address is missing (an address in "
				    "10.0.2.0/24 the guest connects to)");
		}
	}
	validate_duplicates(p, d);
}

/*
 * cloud-init: a user-data file of one's own is the whole cloud-config, so
 * the keys that would go into vmtui's are refused beside it (the user and
 * the host name still say whom --ssh logs in as and what meta-data
 * names); the files named must be there.
 */
static void
validate_cloud_init(const struct profile *p, struct diag *d)
{
	static const enum schema_id mine[] = { SCHEMA_K_CLOUD_SSH_KEYS,
	    SCHEMA_K_CLOUD_PASSWORD, SCHEMA_K_CLOUD_PACKAGES,
	    SCHEMA_K_CLOUD_COMMANDS, SCHEMA_K_CLOUD_TIMEZONE };
	const struct schema_key	*k;
	const char		*key;
	char			*why = NULL;
	size_t			 i;

	if (!p->has_cloud_init)
		return;
	for (i = 0; *p->cloud_user_data == '\0' &&
	    i < p->cloud_ssh_keys.n; i++) {
		key = p->cloud_ssh_keys.v[i];
		/* a bad value is said already */
		if (schema_check_ssh_key(key, &why) == 0 &&
		    !schema_key_line(key))
			validate_file(d, p, SCHEMA_K_CLOUD_SSH_KEYS, key,
			    "ssh-keys:");
		free(why);
		why = NULL;
	}
	if (*p->cloud_user_data == '\0')
		return;
	validate_file(d, p, SCHEMA_K_CLOUD_USER_DATA, p->cloud_user_data,
	    "user-data");
	for (i = 0; i < sizeof mine / sizeof mine[0]; i++) {
		k = &schema_keys[mine[i]];
		if ((k->type == SCHEMA_LIST && ((const struct strv *)
		    profile_value(p, mine[i], 0))->n == 0) ||
		    (k->type == SCHEMA_STR && **(char *const *)profile_value(p,
		    mine[i], 0) == '\0'))
			continue;
		diag_add(d, validate_line(&p->lines, mine[i]), "cloud-init %s "
		    "is not used with user-data: that file is the whole "
		    "cloud-config; write it there", schema_key_name(k));
	}
}

/*
 * One identity per machine: in the profiles folder a machine is its file's
 * name, so the list, the runtime folder and the data folder all agree and
 * no two profiles share a data folder. A file elsewhere may name itself.
 */
static void
validate_identity(const struct profile *p, struct diag *d)
{
	const char	*base;
	size_t		 len;

	if (p->file == NULL || p->dir == NULL ||
	    p->lines.key[SCHEMA_K_NAME] == 0)
		return;
	base = strrchr(p->file, '/') != NULL ? strrchr(p->file, '/') + 1 :
	    p->file;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
		len -= 5;
	if (strlen(p->name) == len && strncmp(p->name, base, len) == 0)
		return;
	if (paths_is_profiles_dir(p->dir))
		diag_add(d, p->lines.key[SCHEMA_K_NAME], "name \"%s\" "
		    "is not the file's name (%.*s): a machine in the profiles "
		    "folder is named after its file; rename it in vmtui (r in "
		    "the list), or remove this line", p->name, (int)len, base);
}

void
validate_profile(const struct profile *p, struct diag *d)
{
	char	*cause;

	if (schema_check_name(p->name, &cause) != 0) {
		if (p->lines.key[SCHEMA_K_NAME] > 0)
			diag_take(d, p->lines.key[SCHEMA_K_NAME], cause);
		else {
			/* the name came from the file's name */
			diag_add(d, 0, "%s; the machine is named after the "
			    "file: rename it, or add a line name = \"...\"",
			    cause != NULL ? cause : "bad name");
			free(cause);
		}
	} else
		validate_identity(p, d);
	validate_values(p, d);
	if (*p->display_address != '\0' && p->display != DISPLAY_VNC &&
	    p->display != DISPLAY_SPICE)
		diag_add(d, validate_line(&p->lines, SCHEMA_K_DISPLAY_ADDRESS),
		    "display-address needs display = \"vnc\" or \"spice\"");
	if (p->display != DISPLAY_AUTO && !p->graphics)
		diag_add(d, validate_line(&p->lines, SCHEMA_K_DISPLAY), "display "
		    "%s needs graphics = true", schema_displays[p->display]);
	if (*p->resolution != '\0' && (!p->graphics || p->vga == VGA_NONE))
		diag_add(d, validate_line(&p->lines, SCHEMA_K_RESOLUTION),
		    "resolution needs a display: graphics = true and a vga "
		    "other than none");
	if (p->arch == ARCH_AARCH64 && p->vga == VGA_QXL)
		diag_add(d, validate_line(&p->lines, SCHEMA_K_VGA), "vga qxl "
		    "needs arch x86_64; aarch64 has virtio (its std) or none");
	validate_disks(p, d);
	validate_shares(p, d);
	validate_forwards(p, d);
	validate_boot(p, d);
	validate_cloud_init(p, d);
}

/*
 * Read a profile and check every rule: the syntax, each value and what
 * spans values, in one report ordered by line.
 */
int
validate_load(const char *path, struct profile **p, char **cause)
{
	return profile_read_checked(path, validate_profile, p, cause);
}

/* All problems of a profile as one message, or 0 when there is none. */
int
validate_check(const struct profile *p, char **cause)
{
	struct diag	d;

	diag_init(&d, p->file);
	validate_profile(p, &d);
	*cause = diag_finish(&d);
	return *cause != NULL ? -1 : 0;
}

/*
 * What a profile may hold but a person should know: more cores than this
 * host has CPUs (QEMU's TCG runs them, each a thread sharing the CPUs; KVM
 * too, slower than fewer would). Each as "FILE:LINE: warning: ...", or
 * NULL when there is nothing to say.
 */
static void	validate_runs(const struct profile *, struct diag *);

char *
validate_warnings(const struct profile *p)
{
	struct diag	 d;
	char		*cores;

	diag_init(&d, p->file != NULL ? p->file : p->name);
	if ((cores = validate_cores(p)) != NULL)
		diag_add(&d, validate_line(&p->lines, SCHEMA_K_CORES),
		    "warning: %s", cores);
	free(cores);
	validate_runs(p, &d);
	return diag_finish(&d);
}

/* Whether name, looked up on PATH, is the program at real (a real path). */
static bool
validate_on_path(const char *name, const char *real)
{
	const char	*path = getenv("PATH"), *end;
	char		*s, *r;
	bool		 same = false;

	for (; path != NULL && !same; path = *end ? end + 1 : NULL) {
		end = path + strcspn(path, ":");
		if (asprintf(&s, "%.*s/%s", (int)(end - path), path, name) < 0)
			return false;
		if (access(s, X_OK) == 0) {
			r = realpath(s, NULL);
			same = r != NULL && strcmp(r, real) == 0;
			free(r);
			free(s);
			break;
		}
		free(s);
	}
	return same;
}

/*
 * What a profile runs besides QEMU's own options, said plainly (a profile
 * from someone else is a program): qemu.options as they are, and a
 * qemu.binary that is not a QEMU found on PATH.
 */
static void
validate_runs(const struct profile *p, struct diag *d)
{
	const char	*b = p->qemu_binary, *base;
	char		*list, *path, *real;
	bool		 qemu = false;

	if (p->qemu_options.n > 0 && (list = strv_join(&p->qemu_options,
	    " ")) != NULL) {
		diag_add(d, validate_line(&p->lines, SCHEMA_K_QEMU_OPTIONS),
		    "warning: qemu.options gives QEMU these arguments as they "
		    "are, and they can run any program: %s", list);
		free(list);
	}
	if (*b == '\0')
		return;
	base = strrchr(b, '/') != NULL ? strrchr(b, '/') + 1 : b;
	if (strncmp(base, "qemu-system-", 12) == 0) {
		if (strchr(b, '/') == NULL)
			qemu = true;
		else if ((path = profile_path(p, b)) != NULL) {
			real = realpath(path, NULL);
			qemu = real != NULL && validate_on_path(base, real);
			free(real);
			free(path);
		}
	}
	if (!qemu) {
		path = strchr(b, '/') != NULL ? profile_path(p, b) : NULL;
		diag_add(d, validate_line(&p->lines, SCHEMA_K_QEMU_BINARY),
		    "warning: qemu.binary runs %s, not a QEMU found on PATH",
		    path != NULL ? path : b);
		free(path);
	}
}

/* The word about more cores than CPUs (validate_warnings), or NULL. */
char *
validate_cores(const struct profile *p)
{
	long	 cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char	*s;

	if (cpus <= 0 || p->cores <= cpus)
		return NULL;
	if (asprintf(&s, "%ld cores, but this host has %ld CPU%s: they share "
	    "them, and the machine runs slower than with %ld", p->cores, cpus,
	    cpus == 1 ? "" : "s", cpus) < 0)
		return NULL;
	return s;
}
