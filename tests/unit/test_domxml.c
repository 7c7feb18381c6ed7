/*
 * Unit tests of core/domxml.c: hostile values (quotes, '<', '&', "]]>",
 * newlines, commas) come back byte for byte when the XML is parsed; each
 * key libvirt cannot express is refused by name; accel picks the type.
 */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "domxml.h"

#define HOSTILE	" sp,co=eq:co'sq\"dq<lt>gt&amp;]]>$HOME`x`\nnl"

static struct profile *
base(void)
{
	struct profile	*p = profile_new("vm", "/prof");

	assert_non_null(p);
	setenv("XDG_RUNTIME_DIR", "/run/u", 1);
	setenv("XDG_DATA_HOME", "/data", 1);
	setenv("XDG_STATE_HOME", "/state", 1);
	p->boot_mode = BOOT_KERNEL;
	free(p->kernel);
	p->kernel = strdup("/k" HOSTILE);
	return p;
}

static char *
render(const struct profile *p, bool kvm, char **cause)
{
	struct domxml_target	 t = { kvm, NULL, false };
	struct resolved		*r;
	char			*xml = NULL;

	*cause = NULL;
	assert_int_equal(resolve_machine(p, &r, cause), 0);
	if (domxml_render(r, &t, &xml, cause) != 0)
		xml = NULL;
	resolve_free(r);
	return xml;
}

/* The text of the first node at path in doc. */
static char *
xpath(xmlDocPtr doc, const char *path)
{
	xmlXPathContextPtr	 c = xmlXPathNewContext(doc);
	xmlXPathObjectPtr	 o;
	char			*s = NULL;

	assert_non_null(c);
	xmlXPathRegisterNs(c, BAD_CAST "qemu",
	    BAD_CAST "http://libvirt.org/schemas/domain/qemu/1.0");
	o = xmlXPathEvalExpression(BAD_CAST path, c);
	if (o != NULL && o->nodesetval != NULL && o->nodesetval->nodeNr > 0)
		s = (char *)xmlNodeGetContent(o->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(c);
	assert_non_null(s);
	return s;
}

static void
same(xmlDocPtr doc, const char *path, const char *want)
{
	char	*got = xpath(doc, path);

	assert_string_equal(got, want);
	xmlFree(got);
}

static void
test_hostile(void **state)
{
	struct profile	*p = base();
	xmlDocPtr	 doc;
	char		*xml, *cause;

	(void)state;
	free(p->description);
	p->description = strdup(HOSTILE);
	free(p->append);
	p->append = strdup("a" HOSTILE);
	assert_int_equal(strv_add(&p->qemu_options, "-x" HOSTILE), 0);
	assert_int_equal(strv_add(&p->qemu_options, ""), 0);
	assert_int_equal(profile_add_share(p, "s", "/s" HOSTILE), 0);
	xml = render(p, false, &cause);
	assert_non_null(xml);
	doc = xmlReadMemory(xml, (int)strlen(xml), "vm.xml", NULL,
	    XML_PARSE_NONET);
	assert_non_null(doc);
	same(doc, "/domain/description", HOSTILE);
	same(doc, "/domain/os/kernel", "/k" HOSTILE);
	same(doc, "/domain/os/cmdline", "a" HOSTILE
	    " console=tty0 console=ttyS0,115200n8");
	same(doc, "/domain/devices/filesystem/source/@dir", "/s" HOSTILE);
	same(doc, "/domain/qemu:commandline/qemu:arg[1]/@value", "-x" HOSTILE);
	same(doc, "/domain/qemu:commandline/qemu:arg[2]/@value", "");
	same(doc, "/domain/@type", "qemu");
	same(doc, "/domain/cpu/@mode", "maximum");
	xmlFreeDoc(doc);
	free(xml);
	/* accel = auto takes the target's KVM; kvm is kvm */
	xml = render(p, true, &cause);
	assert_non_null(strstr(xml, "<domain type=\"kvm\""));
	assert_non_null(strstr(xml, "host-passthrough"));
	free(xml);
	p->accel = ACCEL_TCG;
	xml = render(p, true, &cause);
	assert_non_null(strstr(xml, "<domain type=\"qemu\""));
	free(xml);
	profile_free(p);
}

/* Forwards and restrict: QEMU's user network through qemu:commandline. */
static void
test_user_network(void **state)
{
	struct profile	*p = base();
	char		*xml, *cause;

	(void)state;
	xml = render(p, false, &cause);
	assert_non_null(strstr(xml, "<interface type=\"user\">"));
	assert_null(strstr(xml, "qemu:commandline"));
	free(xml);
	p->restrict_network = true;
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].host_port = 2222;
	p->forwards[0].guest_port = 22;
	free(p->forwards[0].guest_address);
	p->forwards[0].guest_address = strdup("10.0.2.15");
	xml = render(p, false, &cause);
	assert_null(strstr(xml, "<interface type=\"user\">"));
	assert_non_null(strstr(xml, "<qemu:arg value=\"user,id=vmtui-net0,"
	    "restrict=on,hostfwd=tcp:127.0.0.1:2222-10.0.2.15:22\"/>"));
	assert_non_null(strstr(xml, "virtio-net-pci,netdev=vmtui-net0,"
	    "bus=pcie.0,addr=0x10"));
	assert_non_null(strstr(xml, "xmlns:qemu="));
	free(xml);
	profile_free(p);
}

/* Each key libvirt cannot express: refused, named, all of them at once. */
static void
test_refused(void **state)
{
	struct profile	*p = base();
	char		*xml, *cause;

	(void)state;
	p->exchange_dir = true;
	assert_int_equal(numv_add(&p->vlans, 1), 0);
	assert_int_equal(profile_add_disk(p, "tmp"), 0);
	p->disks[0].ephemeral = true;
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].from = FWD_GUEST;
	p->graphics = true;
	p->display = DISPLAY_GTK;
	p->auto_forward = AUTOFWD_TRUE;
	xml = render(p, false, &cause);
	assert_null(xml);
	assert_non_null(strstr(cause, "exchange-dir"));
	assert_non_null(strstr(cause, "vlans"));
	assert_non_null(strstr(cause, "disk \"tmp\": ephemeral"));
	assert_non_null(strstr(cause, "from = \"guest\""));
	assert_non_null(strstr(cause, "display = \"gtk\""));
	assert_non_null(strstr(cause, "auto-forward = true"));
	free(cause);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_user_network),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
