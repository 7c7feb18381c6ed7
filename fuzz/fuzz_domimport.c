/*
 * fuzz_domimport: a libFuzzer target for the libvirt importer (a domain's
 * XML from a file or from a host someone else runs). The input is the
 * XML; one that starts with '!' is the XML after it, imported with raw
 * QEMU arguments taken (--allow-qemu-args); one that starts with '~' (after
 * the '!') as from another host. So any domain XML is a seed as it is.
 * @D@ in it is the folder of the fixtures made here, @H@ the home (of
 * the data folder, where machine base has a disk). Properties:
 *  - it returns within FUZZ_BOUND_MS, whatever the XML (an entity
 *    blow-up once took 23 s and 7.8 GB);
 *  - an accepted import holds no qemu.options, and imported-options only
 *    when raw arguments were taken, then exactly those it listed;
 *  - it never names the program the launch script runs (qemu.binary is
 *    empty: the arch's QEMU from PATH), and the plan runs that QEMU;
 *  - every path in it (kernel, initrd, ISO, firmware, UEFI variables,
 *    BIOS, root image and the image it stands on, shares) is one the
 *    XML holds, as it holds it;
 *  - and one the person is asked about: listed among the files of this
 *    host it uses, unless it is of the machine's own data folder; from
 *    another host, none at all (and no disk);
 *  - it listens on loopback only (the display, every forward);
 *  - no value it takes holds a control character, and a disk's format
 *    is said, never left to probing;
 *  - written out, it loads again with every rule (validate_load) as the
 *    same machine: the rest is what any profile can do, which
 *    fuzz_profile checks down to the argv the script hands QEMU.
 * Relative paths in the seeds name the fixtures made here.
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_domimport
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "domimport.h"
#include "io.h"
#include "plan.h"
#include "profile.h"
#include "profile_save.h"
#include "validate.h"
#include "xmllib.h"

/* Milliseconds an input may take: far above a real domain's few. */
#define FUZZ_BOUND_MS	3000

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	dir[256], profiles[300];

static void
put(const char *name, const char *text)
{
	char	path[600];
	int	fd;

	snprintf(path, sizeof path, "%s/%s", profiles, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || write(fd, text, strlen(text)) < 0)
		abort();
	close(fd);
}

/* The folder goes with the process (libFuzzer exits through exit()). */
static void
cleanup(void)
{
	char	cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return;
}

/*
 * The profiles folder, with the files a seed may name in it (@D@/...):
 * a kernel, images (a qcow2 whose backing file is "secret", where
 * qemu-img is), and another machine's disk in the data folder.
 */
static void
setup(void)
{
	static const char *const xdg[][2] = { { "XDG_DATA_HOME", "data" },
	    { "XDG_RUNTIME_DIR", "run" }, { "XDG_STATE_HOME", "state" },
	    { "XDG_CONFIG_HOME", "config" }, { "HOME", "." } };
	static const char *const files[] = { "vmlinuz", "initrd.gz",
	    "installer.iso", "qboot.rom", "fw/CODE.fd", "fw/VARS.fd",
	    "vars.fd", "root.img", "disk.img", "secret", "bashrc" };
	char	path[2000];
	size_t	i;

	snprintf(dir, sizeof dir, "%s/vmtui-fuzz-dom.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	/* the profiles folder: its machines' folders are their names */
	snprintf(profiles, sizeof profiles, "%s/config/vmtui/profiles", dir);
	snprintf(path, sizeof path, "mkdir -p '%s/fw' '%s/shares/data' "
	    "'%s/data' '%s/run' '%s/state'", profiles, profiles, dir, dir,
	    dir);
	if (system(path) != 0)
		abort();
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		put(files[i], "x\n");
	snprintf(path, sizeof path, "mkdir -p '%s/data/vmtui/base' && cd '%s' "
	    "&& ! command -v qemu-img >/dev/null || { qemu-img create -q -f "
	    "qcow2 root.qcow2 1M && qemu-img create -q -f qcow2 -b '%s/secret' "
	    "-F raw backing.qcow2 1M && qemu-img create -q -f qcow2 -o "
	    "data_file='%s/data.raw',data_file_raw=on data-file.qcow2 1M && "
	    "qemu-img create -q -f qcow2 '%s/data/vmtui/base/root.qcow2' 1M; }",
	    dir, profiles, profiles, profiles, dir);
	if (system(path) != 0)
		abort();
	for (i = 0; i < sizeof xdg / sizeof xdg[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, xdg[i][1]);
		setenv(xdg[i][0], path, 1);
	}
}

/* Every text and attribute value of the document, as the XML holds it. */
static void
strings(const xmlNode *n, struct strv *all)
{
	const xmlAttr	*a;
	char		*v;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((v = (char *)xl.xmlNodeGetContent(n)) != NULL &&
		    strv_add(all, v) != 0)
			abort();
		xmllib_free(v);
		for (a = n->properties; a != NULL; a = a->next) {
			v = (char *)xl.xmlNodeGetContent((const xmlNode *)a);
			if (v != NULL && strv_add(all, v) != 0)
				abort();
			xmllib_free(v);
		}
		strings(n->children, all);
	}
}

static int
held(const struct strv *all, const char *s)
{
	size_t	i;

	for (i = 0; i < all->n; i++)
		if (strcmp(all->v[i], s) == 0)
			return 1;
	return 0;
}

/* Each path the profile holds: empty (vmtui's choice) or the XML's. */
static void
paths_from(const struct profile *p, const char *xml)
{
	static const char *const keys[] = { "boot|kernel", "boot|initrd",
	    "boot|cdrom", "boot|firmware", "boot|efi-vars-template",
	    "boot|efi-vars", "boot|bios", "root-disk|image",
	    "root-disk|backing", "share|source", "qemu|binary" };
	const struct schema_key	*k;
	struct strv		 all = { NULL, 0 };
	xmlDocPtr		 doc;
	char			*cause = NULL;
	const char		*v;
	size_t			 i, row, n;

	if (xmllib_parse(xml, strlen(xml), "in.xml", &doc, &cause) != 0) {
		fprintf(stderr, "imported, but does not parse again: %s\n",
		    cause);
		abort();
	}
	strings(xl.xmlDocGetRootElement(doc), &all);
	xl.xmlFreeDoc(doc);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if ((k = schema_find(keys[i])) == NULL)
			abort();
		n = profile_count(p, k->section);
		for (row = 0; row < n; row++) {
			v = *(char **)profile_value(p,
			    (enum schema_id)(k - schema_keys), row);
			if (*v != '\0' && !held(&all, v)) {
				fprintf(stderr, "%s = \"%s\": a path the XML "
				    "does not hold\n", keys[i], v);
				abort();
			}
		}
	}
	strv_free(&all);
}

/* The input's @D@ and @H@ as the fixtures' folder and the home. */
static char *
placed(const uint8_t *data, size_t size)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < size; i++) {
		if (i + 3 <= size && memcmp(data + i, "@D@", 3) == 0) {
			buf_puts(&b, profiles);
			i += 2;
		} else if (i + 3 <= size && memcmp(data + i, "@H@", 3) == 0) {
			buf_puts(&b, dir);
			i += 2;
		} else
			buf_putc(&b, (char)data[i]);
	}
	return buf_finish(&b, NULL);
}

/* Whether a file of this host is listed for consent: "... PATH (...)". */
static int
listed(const struct strv *files, const char *path)
{
	size_t	i, n = strlen(path);
	char	*at;

	for (i = 0; i < files->n; i++)
		for (at = files->v[i]; (at = strstr(at, path)) != NULL; at++)
			if (at > files->v[i] && at[-1] == ' ' &&
			    strncmp(at + n, " (", 2) == 0)
				return 1;
	return 0;
}

/*
 * What the person consents to: each path the profile holds is listed,
 * or in the machine's own data folder; from another host, there is none;
 * it listens on loopback only; no value holds a control character; a
 * disk's format is said.
 */
static void
consent(const struct profile *p, const struct domimport_found *found,
    int remote)
{
	static const char *const keys[] = { "boot|kernel", "boot|initrd",
	    "boot|cdrom", "boot|firmware", "boot|efi-vars-template",
	    "boot|efi-vars", "boot|bios", "root-disk|image",
	    "root-disk|backing", "share|source" };
	const struct schema_key	*k;
	const unsigned char	*c;
	const char		*v;
	char			 own[700];
	size_t			 i, row;

	snprintf(own, sizeof own, "%s/data/vmtui/%s/", dir, p->name);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		k = schema_find(keys[i]);
		for (row = 0; row < profile_count(p, k->section); row++) {
			v = *(char **)profile_value(p,
			    (enum schema_id)(k - schema_keys), row);
			if (*v == '\0' || (!remote &&
			    (strncmp(v, own, strlen(own)) == 0 ||
			    listed(&found->files, v))))
				continue;
			fprintf(stderr, "%s = \"%s\": a file of this host "
			    "taken without asking\n", keys[i], v);
			abort();
		}
	}
	if (remote && (found->files.n > 0 || p->has_root_disk ||
	    p->ndisks > 0)) {
		fprintf(stderr, "another host's disks or files taken\n");
		abort();
	}
	for (i = 0; i < p->nforwards; i++)
		if (strncmp(p->forwards[i].host_address, "127.", 4) != 0) {
			fprintf(stderr, "a forward on %s\n",
			    p->forwards[i].host_address);
			abort();
		}
	if (*p->display_address != '\0' &&
	    strncmp(p->display_address, "127.", 4) != 0) {
		fprintf(stderr, "a display on %s\n", p->display_address);
		abort();
	}
	if (p->has_root_disk && p->root_drive.format == FORMAT_UNSET) {
		fprintf(stderr, "a root disk's format left to probing\n");
		abort();
	}
	for (k = schema_keys; k->path != NULL; k++) {
		if (k->type != SCHEMA_STR)
			continue;
		for (row = 0; row < profile_count(p, k->section); row++) {
			v = *(char **)profile_value(p,
			    (enum schema_id)(k - schema_keys), row);
			for (c = (const unsigned char *)v; *c != '\0'; c++)
				if (*c < 0x20 || *c == 0x7f || (*c == 0xc2 &&
				    c[1] >= 0x80 && c[1] <= 0x9f)) {
					fprintf(stderr, "%s holds a control "
					    "character\n", k->path);
					abort();
				}
		}
	}
}

/* Written out, the profile loads with every rule as the same machine. */
static void
loads_again(const struct profile *p)
{
	struct profile	*q;
	char		 path[600], *text, *cause = NULL;
	int		 fd;

	snprintf(path, sizeof path, "%s/%s.conf", profiles, p->name);
	if ((text = profile_format(p)) == NULL)
		abort();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || write(fd, text, strlen(text)) < 0)
		abort();
	close(fd);
	if (validate_load(path, &q, &cause) != 0) {
		fprintf(stderr, "imported, but the profile does not load:\n%s\n"
		    "---\n%s", cause, text);
		abort();
	}
	if (!profile_equal(p, q)) {
		fprintf(stderr, "imported, but loads as another machine:\n%s",
		    text);
		abort();
	}
	unlink(path);
	free(text);
	profile_free(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domimport_opts	 o = { "in.xml", profiles, 0, NULL };
	struct domimport_found	 found;
	struct profile	*p;
	struct plan	*pl;
	char		*xml, *cause = NULL, want[64];
	long		 t0;
	int		 allow, remote, r;

	if (dir[0] == '\0')
		setup();
	allow = size > 0 && data[0] == '!';
	remote = size > (size_t)allow && data[allow] == '~';
	if ((xml = placed(data + allow + remote, size - (size_t)allow -
	    (size_t)remote)) == NULL)
		abort();
	t0 = io_now_ms();
	memset(&found, 0, sizeof found);
	o.flags = (allow ? DOMIMPORT_QEMU_ARGS : 0) |
	    (remote ? DOMIMPORT_REMOTE : 0);
	r = domimport_profile(xml, &o, &p, &found, &cause);
	if (io_now_ms() - t0 > FUZZ_BOUND_MS) {
		fprintf(stderr, "the import took %ld ms\n", io_now_ms() - t0);
		abort();
	}
	if (r != 0) {
		if (p != NULL)
			abort();
		goto out;
	}
	if (p->qemu_options.n != 0) {
		fprintf(stderr, "an import set qemu.options\n");
		abort();
	}
	if (!strv_equal(&p->qemu_imported_options, allow ?
	    &found.raw : &p->qemu_options)) {
		fprintf(stderr, "raw arguments %s\n", allow ? "taken are not "
		    "the ones listed" : "taken without --allow-qemu-args");
		abort();
	}
	if (*p->qemu_binary != '\0') {
		fprintf(stderr, "an import named the program: %s\n",
		    p->qemu_binary);
		abort();
	}
	paths_from(p, xml);
	consent(p, &found, remote);
	loads_again(p);
	if (plan_build(p, &pl, &cause) == 0) {
		snprintf(want, sizeof want, "qemu-system-%s", pl->arch);
		if (strcmp(pl->binary, want) != 0) {
			fprintf(stderr, "the script would run %s\n",
			    pl->binary);
			abort();
		}
		plan_free(pl);
	}
	profile_free(p);
out:
	free(cause);
	free(xml);
	domimport_found_free(&found);
	return 0;
}
