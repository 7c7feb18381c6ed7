/*
 * profile_save: the canonical text of a profile and the atomic save.
 *
 * Keys come in the order of DESIGN.md, every value written out, so that a
 * saved file reads the same way every time. Strings are written so that
 * libconfuse reads back the same bytes: double quotes, with '"', '\' and '$'
 * escaped (libconfuse would expand "${VAR}"), and control characters and
 * bytes that are not UTF-8 as \n, \t, \r or \xHH (never octal, whose
 * digits could run on): a value read from a "\xe9" escape is written back
 * as one, and the file stays UTF-8.
 * A save writes a temp file, reads it back and compares it with the model
 * before it replaces the old file; profile_create() makes a new one and
 * never replaces anything.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "buf.h"
#include "paths.h"
#include "profile_save.h"
#include "utf8.h"

static void
save_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, left = strlen(s);
	unsigned int		 cp;

	buf_putc(b, '"');
	while (left > 0) {
		switch (*p) {
		case '"':
		case '\\':
		case '$':
			buf_putc(b, '\\');
			buf_putc(b, (char)*p);
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			/* a file of ours is UTF-8: other bytes escaped */
			n = utf8_char(p, left, &cp);
			if (n > 1) {
				buf_add(b, p, n);
				p += n;
				left -= n;
				continue;
			}
			if (n == 0 || *p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\x%02x", *p);
			else
				buf_putc(b, (char)*p);
		}
		p++;
		left--;
	}
	buf_putc(b, '"');
}

static void
save_str(struct buf *b, const char *indent, const char *key, const char *s)
{
	buf_printf(b, "%s%s = ", indent, key);
	save_string(b, s);
	buf_putc(b, '\n');
}

static void
save_bool(struct buf *b, const char *indent, const char *key, bool v)
{
	buf_printf(b, "%s%s = %s\n", indent, key, v ? "true" : "false");
}

static void
save_list(struct buf *b, const char *indent, const char *key,
    const struct strv *sv)
{
	size_t	i;

	buf_printf(b, "%s%s = {", indent, key);
	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		save_string(b, sv->v[i]);
	}
	buf_puts(b, "}\n");
}

char *
profile_format(const struct profile *p)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	buf_puts(&b,
	    "# A vmtui machine profile (format version 1): see vmtui.conf(5).\n"
	    "# vmtui writes this file again when you save in its editor.\n"
	    "\n");
	buf_printf(&b, "version = %ld\n", p->version);
	save_str(&b, "", "name", p->name);
	save_str(&b, "", "description", p->description);
	save_str(&b, "", "arch", schema_arches[p->arch]);
	buf_printf(&b, "memory = %ld\t\t\t# MiB\n", p->memory);
	buf_printf(&b, "cores = %ld\n", p->cores);
	save_str(&b, "", "accel", schema_accels[p->accel]);
	save_bool(&b, "", "graphics", p->graphics);
	save_bool(&b, "", "guest-agent", p->guest_agent);
	save_bool(&b, "", "virtio-keyboard", p->virtio_keyboard);
	save_str(&b, "", "disk-interface", schema_diskifs[p->disk_interface]);
	save_str(&b, "", "network", schema_networks[p->network]);
	save_bool(&b, "", "restrict-network", p->restrict_network);
	save_bool(&b, "", "exchange-dir", p->exchange_dir);

	if (p->has_root_disk) {
		buf_puts(&b, "\n# The root disk; created when the image is "
		    "missing, never overwritten.\nroot-disk {\n");
		save_str(&b, "  ", "image", p->root_image);
		buf_printf(&b, "  size = %ld\t\t\t# MiB\n}\n", p->root_size);
	}
	for (i = 0; i < p->ndisks; i++) {
		const struct profile_disk *d = &p->disks[i];

		if (i == 0)
			buf_puts(&b, "\n# Extra disks; ephemeral ones are new "
			    "each boot.\n");
		buf_puts(&b, "disk ");
		save_string(&b, d->title);
		buf_puts(&b, " {\n");
		if (d->size > 0)
			buf_printf(&b, "  size = %ld\t\t\t# MiB\n", d->size);
		save_bool(&b, "  ", "ephemeral", d->ephemeral);
		buf_puts(&b, "}\n");
	}
	for (i = 0; i < p->nshares; i++) {
		const struct profile_share *s = &p->shares[i];

		if (i == 0)
			buf_puts(&b, "\n# Host folders shared over 9p; the "
			    "title is the mount tag.\n");
		buf_puts(&b, "share ");
		save_string(&b, s->tag);
		buf_puts(&b, " {\n");
		save_str(&b, "  ", "source", s->source);
		save_str(&b, "  ", "target", s->target);
		save_bool(&b, "  ", "readonly", s->readonly);
		buf_puts(&b, "}\n");
	}
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];

		if (i == 0)
			buf_puts(&b, "\n# Port forwards.\n");
		buf_puts(&b, "forward {\n");
		save_str(&b, "  ", "from", schema_forward_froms[f->from]);
		save_str(&b, "  ", "proto", schema_protos[f->proto]);
		save_str(&b, "  ", "host-address", f->host_address);
		if (f->host_port > 0)
			buf_printf(&b, "  host-port = %ld\n", f->host_port);
		save_str(&b, "  ", "guest-address", f->guest_address);
		if (f->guest_port > 0)
			buf_printf(&b, "  guest-port = %ld\n", f->guest_port);
		buf_puts(&b, "}\n");
	}

	buf_puts(&b, "\nboot {\n");
	if (p->boot_mode != BOOT_UNSET)
		save_str(&b, "  ", "mode", schema_bootmodes[p->boot_mode]);
	save_str(&b, "  ", "kernel", p->kernel);
	save_str(&b, "  ", "initrd", p->initrd);
	save_str(&b, "  ", "append", p->append);
	save_list(&b, "  ", "consoles", &p->consoles);
	save_str(&b, "  ", "cdrom", p->cdrom);
	save_str(&b, "  ", "firmware", p->firmware);
	save_str(&b, "  ", "efi-vars-template", p->efi_vars_template);
	save_str(&b, "  ", "efi-vars", p->efi_vars);
	save_str(&b, "  ", "bios", p->bios);
	buf_puts(&b, "}\n\nqemu {\n");
	save_str(&b, "  ", "binary", p->qemu_binary);
	save_list(&b, "  ", "options", &p->qemu_options);
	buf_printf(&b, "  msize = %ld\n}\n", p->msize);
	return buf_finish(&b, NULL);
}

/* The temp file must read back as the very profile being saved. */
static int
save_verify(const char *tmp, void *arg, char **cause)
{
	const struct profile	*p = arg;
	struct profile		*back;
	char			*why = NULL;
	int			 same;

	if (profile_parse(tmp, &back, &why) != 0) {
		if (asprintf(cause, "the written file does not read back: %s",
		    why != NULL ? why : "?") < 0)
			*cause = NULL;
		free(why);
		return -1;
	}
	same = profile_equal(p, back);
	profile_free(back);
	if (!same) {
		*cause = strdup("the written file reads back differently; "
		    "nothing was saved");
		return -1;
	}
	return 0;
}

static int
profile_write(const struct profile *p, const char *path, int flags,
    char **cause)
{
	struct atomic_opts	 o = { flags, 0600, save_verify, NULL, NULL };
	char			*text;
	int			 r;

	o.arg = (void *)p;
	if ((text = profile_format(p)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	r = atomic_write(path, text, strlen(text), &o, cause);
	free(text);
	return r;
}

/* Replace the profile at path (or make it); its mode and owner are kept. */
int
profile_save(const struct profile *p, const char *path, char **cause)
{
	return profile_write(p, path, 0, cause);
}

/*
 * A new profile: never over one that exists (one made in another window
 * since the name was chosen stays), mode 0600, in a folder made private
 * (0700) when it is missing, as on a new user's first save.
 */
int
profile_create(const struct profile *p, const char *path, char **cause)
{
	const char	*base;
	char		*dir, *slash;
	int		 r = 0;

	*cause = NULL;
	if ((dir = strdup(path)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdirs(dir, 0700) != 0) {
			if (asprintf(cause, "cannot make the folder %s: %s",
			    dir, strerror(errno)) < 0)
				*cause = NULL;
			r = -1;
		}
	}
	free(dir);
	if (r == 0 && (r = profile_write(p, path, ATOMIC_NEW, cause)) != 0 &&
	    errno == EEXIST) {
		free(*cause);
		base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 :
		    path;
		if (asprintf(cause, "there is a profile %s already (made since "
		    "the name was chosen?); it was left as it is", base) < 0)
			*cause = NULL;
	}
	return r;
}
