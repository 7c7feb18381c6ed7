/*
 * fuzz_domimport: a libFuzzer target for the libvirt importer (a domain's
 * XML from a file or from a host someone else runs). The input is the
 * XML; one that starts with '!' is the XML after it, imported with raw
 * QEMU arguments taken (--allow-qemu-args). So any domain XML is a seed
 * as it is. Properties:
 *  - it returns within FUZZ_BOUND_MS, whatever the XML (an entity
 *    blow-up once took 23 s and 7.8 GB);
 *  - an accepted import holds no qemu.options, and imported-options only
 *    when raw arguments were taken, then exactly those it listed;
 *  - it never names the program the launch script runs (qemu.binary is
 *    empty: the arch's QEMU from PATH), and the plan runs that QEMU;
 *  - every path in it (kernel, initrd, ISO, firmware, UEFI variables,
 *    BIOS, root image, shares) is one the XML holds, as it holds it;
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

/* The profiles folder, with the files a seed may name relative to it. */
static void
setup(void)
{
	static const char *const xdg[][2] = { { "XDG_DATA_HOME", "data" },
	    { "XDG_RUNTIME_DIR", "run" }, { "XDG_STATE_HOME", "state" },
	    { "HOME", "." } };
	static const char *const files[] = { "vmlinuz", "initrd.gz",
	    "installer.iso", "qboot.rom", "fw/CODE.fd", "fw/VARS.fd" };
	char	path[600];
	size_t	i;

	snprintf(dir, sizeof dir, "%s/vmtui-fuzz-dom.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(profiles, sizeof profiles, "%s/profiles", dir);
	snprintf(path, sizeof path, "mkdir -p '%s/fw' '%s/shares/data' "
	    "'%s/data' '%s/run' '%s/state'", profiles, profiles, dir, dir,
	    dir);
	if (system(path) != 0)
		abort();
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		put(files[i], "x\n");
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
	    "boot|efi-vars", "boot|bios", "root-disk|image", "share|source",
	    "qemu|binary" };
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
	int		 allow, r;

	if (dir[0] == '\0')
		setup();
	allow = size > 0 && data[0] == '!';
	if ((xml = malloc(size + 1)) == NULL)
		abort();
	memcpy(xml, data + allow, size - (size_t)allow);
	xml[size - (size_t)allow] = '\0';
	t0 = io_now_ms();
	memset(&found, 0, sizeof found);
	o.flags = allow ? DOMIMPORT_QEMU_ARGS : 0;
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
