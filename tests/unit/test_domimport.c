/*
 * Unit tests of core/domimport.c: a domain's XML back as the profile it
 * came from (hostile values byte for byte, forwards from QEMU's user
 * network, the default consoles left out, vmtui's metadata), and what a
 * profile cannot hold listed.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include "buf.h"
#include "domimport.h"
#include "domxml.h"
#include "io.h"

/* what XML, the shell or QEMU could misread; no control character */
#define HOSTILE	" sp,co'sq\"dq<lt>gt&amp;]]>$HOME`x`\\nnl"

static char	kernel[512], share[512];
/* the profiles folder of an import */
static const char *profiles = "/prof";

static struct profile *
machine(void)
{
	struct profile	*p = profile_new("vm", "/prof");

	assert_non_null(p);
	/* real files and folders: the import is validated as a load is */
	snprintf(kernel, sizeof kernel, "%s/k" HOSTILE, test_dir);
	snprintf(share, sizeof share, "%s/s" HOSTILE, test_dir);
	fclose(fopen(kernel, "w"));
	mkdir(share, 0700);
	setenv("XDG_RUNTIME_DIR", "/run/u", 1);
	setenv("XDG_DATA_HOME", "/data", 1);
	setenv("XDG_STATE_HOME", "/state", 1);
	p->boot_mode = BOOT_KERNEL;
	p->accel = ACCEL_TCG;
	free(p->kernel);
	p->kernel = strdup(kernel);
	return p;
}

/* What an import found, none yet. */
#define FOUND_NONE	{ .lost = { NULL, 0 } }

/* The import of xml (named source) in "/prof", with flags. */
static int
import(const char *xml, const char *source, int flags, struct profile **q,
    struct domimport_found *found, char **cause)
{
	struct domimport_opts	o = { source, profiles, flags, NULL };

	return domimport_profile(xml, &o, q, found, cause);
}

/*
 * The import of xml (named source) is refused, its cause starting with
 * SOURCE:LINE: and holding want, one line with no control character.
 */
static void
refused(const char *xml, int flags, const char *source, int line,
    const char *want)
{
	struct domimport_found	 found = FOUND_NONE;
	struct profile		*q;
	char			*cause = NULL, at[64];

	snprintf(at, sizeof at, "%s:%d: ", source, line);
	assert_int_equal(import(xml, source, flags, &q, &found, &cause), -1);
	assert_null(q);
	if (strncmp(cause, at, strlen(at)) != 0 ||
	    strstr(cause, want) == NULL || strchr(cause, '\n') != NULL ||
	    strstr(cause, "\302") != NULL || strchr(cause, '\033') != NULL)
		fail_msg("wanted %s...%s, got %s", at, want, cause);
	free(cause);
	domimport_found_free(&found);
}

static char *
export(const struct profile *p)
{
	struct domxml_target	 t = { false, NULL, false };
	struct resolved		*r;
	char			*xml, *cause = NULL;

	assert_int_equal(resolve_machine(p, &r, &cause), 0);
	assert_int_equal(domxml_render(r, &t, &xml, &cause), 0);
	resolve_free(r);
	return xml;
}

static void
test_round_trip(void **state)
{
	struct profile	*p = machine(), *q;
	struct domimport_found	 found = FOUND_NONE;
	char		*xml, *again, *cause = NULL;

	(void)state;
	free(p->description);
	p->description = strdup(HOSTILE);
	free(p->append);
	p->append = strdup("a" HOSTILE " x");
	assert_int_equal(strv_add(&p->qemu_options, "-y" HOSTILE), 0);
	assert_int_equal(profile_add_share(p, "s", share), 0);
	p->shares[0].readonly = true;
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].host_port = 2222;
	p->forwards[0].guest_port = 22;
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[1].proto = PROTO_UDP;
	p->forwards[1].host_port = 5353;
	p->forwards[1].guest_port = 53;
	p->restrict_network = true;
	p->has_root_disk = true;
	p->root_size = 4096;
	p->graphics = true;
	p->display = DISPLAY_AUTO;
	p->vga = VGA_VIRTIO;
	free(p->resolution);
	p->resolution = strdup("1024x768");
	p->rtc_localtime = true;
	xml = export(p);
	if (import(xml, "vm.xml", DOMIMPORT_QEMU_ARGS, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(found.lost.n, 0);
	assert_string_equal(q->description, HOSTILE);
	assert_string_equal(q->kernel, kernel);
	assert_string_equal(q->append, "a" HOSTILE " x");
	assert_int_equal(q->consoles.n, 0);	/* the defaults, left out */
	/* the profile's own options come back as raw ones, marked */
	assert_int_equal(found.raw.n, 1);
	assert_string_equal(found.raw.v[0], "-y" HOSTILE);
	assert_int_equal(q->qemu_options.n, 0);
	assert_int_equal(q->qemu_imported_options.n, 1);
	assert_string_equal(q->qemu_imported_options.v[0], "-y" HOSTILE);
	assert_string_equal(q->shares[0].source, share);
	assert_true(q->shares[0].readonly);
	assert_int_equal(q->nforwards, 2);
	assert_int_equal(q->forwards[1].proto, PROTO_UDP);
	assert_int_equal(q->forwards[1].host_port, 5353);
	assert_true(q->restrict_network);
	assert_int_equal(q->root_size, 4096);		/* from the metadata */
	assert_string_equal(q->root_image, "");		/* the default place */
	assert_int_equal(q->root_drive.format, FORMAT_QCOW2);	/* as said */
	assert_int_equal(q->display, DISPLAY_AUTO);	/* the metadata too */
	assert_int_equal(q->vga, VGA_VIRTIO);
	assert_string_equal(q->resolution, "1024x768");
	assert_true(q->rtc_localtime);
	assert_non_null(strstr(xml, "<clock offset=\"localtime\"/>"));
	/* saved, it is /prof/vm.conf, as p: its identity (paths_machine) */
	free(q->file);
	q->file = NULL;
	again = export(q);
	assert_string_equal(again, xml);
	free(again);
	free(xml);
	domimport_found_free(&found);
	profile_free(q);
	profile_free(p);
}

/* A shell command, which must succeed. */
static void
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
	free(cmd);
}

/*
 * A root disk that stands on a cloud image: the export states the backing
 * chain (libvirt's <backingStore>), and the import gives it back.
 */
static void
test_backing(void **state)
{
	struct profile		*p = machine(), *q;
	struct domimport_found	 found = FOUND_NONE;
	char			*xml, *cause = NULL, image[600], *all;

	(void)state;
	snprintf(image, sizeof image, "%s/cloud.qcow2", test_dir);
	sh("qemu-img create -q -f qcow2 %s 1M", image);
	p->has_root_disk = true;
	p->boot_mode = BOOT_DISK;
	free(p->root_backing);
	p->root_backing = strdup(image);
	xml = export(p);
	assert_non_null(strstr(xml, "<backingStore type=\"file\">"));
	assert_non_null(strstr(xml, "<format type=\"qcow2\"/>"));
	if (import(xml, "b.xml", 0, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(q->root_backing, image);
	assert_int_equal(q->root_backing_format, FORMAT_QCOW2);
	assert_int_equal(found.lost.n, 0);
	/* a file of this host the machine reads: the person is asked */
	all = strv_join(&found.files, "\n");
	if (strstr(all, "reads ") == NULL || strstr(all, "/cloud.qcow2 (the "
	    "image the root disk stands on)") == NULL)
		fail_msg("not listed: %s", all);
	free(all);
	free(xml);
	domimport_found_free(&found);
	profile_free(q);
	profile_free(p);
}

static void
test_lost(void **state)
{
	static const char fmt[] = "<domain type='kvm'><name>f</name>"
	    "<memory unit='GiB'>2</memory><vcpu>3</vcpu>"
	    "<os><type arch='ppc64' machine='pseries'>hvm</type>"
	    "<boot dev='network'/></os><devices>"
	    "<disk type='file' device='disk'><source file='%s'/>"
	    "<target dev='vda' bus='virtio'/></disk>"
	    "<interface type='bridge'/><sound model='ich9'/>"
	    "<hostdev mode='subsystem'/></devices><iothreads>2</iothreads>"
	    "</domain>";
	struct profile	*q;
	struct domimport_found	 found = FOUND_NONE;
	char		*all, *cause = NULL, xml[1024];

	(void)state;
	snprintf(xml, sizeof xml, fmt, test_write("f.img", "", 0));
	if (import(xml, "f.xml", 0, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(found.raw.n, 0);
	assert_int_equal(q->memory, 2048);
	assert_int_equal(q->cores, 3);
	assert_int_equal(q->network, NETWORK_NONE);
	all = strv_join(&found.lost, "\n");
	assert_non_null(strstr(all, "arch=\"ppc64\""));
	assert_non_null(strstr(all, "machine=\"pseries\""));
	assert_non_null(strstr(all, "<boot dev=\"network\">"));
	assert_non_null(strstr(all, "<interface type=bridge>"));
	assert_non_null(strstr(all, "<sound>"));
	assert_non_null(strstr(all, "<hostdev>"));
	assert_non_null(strstr(all, "<iothreads>"));
	free(all);
	domimport_found_free(&found);
	profile_free(q);
	/* not a domain at all */
	assert_int_equal(import("<network/>", "n.xml", 0, &q, &found,
	    &cause), -1);
	assert_non_null(strstr(cause, "not a libvirt domain"));
	free(cause);
}

/*
 * Raw QEMU arguments (qemu:commandline) run on the host as they are: they
 * are listed, and the profile holds them only when the caller takes them,
 * then as imported-options, never as the profile's own options. vmtui's
 * own user network there is the profile's network.
 */
static void
test_raw_args(void **state)
{
	static const char *const args[] = { "-incoming",
	    "exec:sh -c \"id > /tmp/x\"", "-netdev" };
	struct profile	*q;
	struct domimport_found	 found = FOUND_NONE;
	char		*cause = NULL, xml[2048];
	size_t		 i;
	int		 allow;

	(void)state;
	snprintf(xml, sizeof xml, "<domain xmlns:qemu='http://libvirt.org/"
	    "schemas/domain/qemu/1.0'><name>e</name><os><kernel>%s</kernel>"
	    "</os><qemu:commandline><qemu:arg value='-incoming'/>"
	    "<qemu:arg value='exec:sh -c \"id &gt; /tmp/x\"'/>"
	    "<qemu:arg value='-netdev'/><qemu:arg value='user,id=vmtui-net0,"
	    "hostfwd=tcp:127.0.0.1:2222-:22'/><qemu:arg value='-device'/>"
	    "<qemu:arg value='virtio-net-pci,netdev=vmtui-net0,bus=pcie.0,"
	    "addr=0x10'/><qemu:arg value='-netdev'/></qemu:commandline>"
	    "</domain>", test_write("k", "k", 1));
	for (allow = 0; allow < 2; allow++) {
		if (import(xml, "e.xml", allow ? DOMIMPORT_QEMU_ARGS : 0,
		    &q, &found, &cause) != 0)
			fail_msg("%s", cause);
		assert_int_equal(found.raw.n, 3);
		for (i = 0; i < found.raw.n; i++)
			assert_string_equal(found.raw.v[i], args[i]);
		assert_int_equal(q->qemu_options.n, 0);
		assert_true(strv_equal(&q->qemu_imported_options, allow ?
		    &found.raw : &q->qemu_options));
		assert_int_equal(q->network, NETWORK_USER);
		assert_int_equal(q->nforwards, 1);
		assert_int_equal(q->forwards[0].host_port, 2222);
		domimport_found_free(&found);
		profile_free(q);
	}
}

/*
 * Other ways a domain could reach the shell or QEMU's option parser: the
 * program (only the arch's QEMU, from PATH), a disk that is not a file,
 * options of vmtui's user network it does not write (guestfwd=...cmd:
 * runs a command), a network device with more than vmtui writes, QEMU's
 * environment, a hypervisor that is not QEMU. Each listed, none kept.
 */
static void
test_routes(void **state)
{
	static const char *const want_lost[] = {
		"<domain type=\"xen\">",
		"<emulator> /bin/sh",
		"<disk type=\"network\">",
		"guestfwd=tcp:10.0.2.9:1-cmd:id",
		"smb=/",
		"<qemu:env name=\"LD_PRELOAD\">",
	};
	struct profile	*q;
	struct domimport_found	 found = FOUND_NONE;
	char		*cause = NULL, xml[4096], *all;
	size_t		 i;

	(void)state;
	snprintf(xml, sizeof xml, "<domain type='xen' xmlns:qemu='http://"
	    "libvirt.org/schemas/domain/qemu/1.0'><name>r</name><os>"
	    "<kernel>%s</kernel></os><devices><emulator>/bin/sh</emulator>"
	    "<disk type='network' device='disk'><source file='/x.img' "
	    "protocol='nbd' name='x'/><target dev='vda' bus='virtio'/></disk>"
	    "</devices><qemu:commandline><qemu:arg value='-netdev'/>"
	    "<qemu:arg value='user,id=vmtui-net0,guestfwd=tcp:10.0.2.9:1-cmd:id"
	    ",smb=/,hostfwd=tcp:127.0.0.1:2222-:22'/><qemu:arg value='-device'/>"
	    "<qemu:arg value='virtio-net-pci,netdev=vmtui-net0,romfile=/x'/>"
	    "<qemu:env name='LD_PRELOAD' value='/tmp/x.so'/>"
	    "</qemu:commandline></domain>", test_write("k", "k", 1));
	if (import(xml, "r.xml", DOMIMPORT_QEMU_ARGS, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	all = strv_join(&found.lost, "\n");
	for (i = 0; i < sizeof want_lost / sizeof want_lost[0]; i++)
		if (strstr(all, want_lost[i]) == NULL)
			fail_msg("not listed: %s\nlisted:\n%s", want_lost[i], all);
	free(all);
	assert_string_equal(q->qemu_binary, "");
	assert_false(q->has_root_disk);
	assert_int_equal(q->nforwards, 1);
	/* the device with more than vmtui writes is a raw argument */
	assert_int_equal(found.raw.n, 2);
	assert_string_equal(found.raw.v[0], "-device");
	assert_string_equal(found.raw.v[1], "virtio-net-pci,netdev=vmtui-net0,"
	    "romfile=/x");
	domimport_found_free(&found);
	profile_free(q);

	/* no <devices>: none of them, not the defaults of a new profile */
	snprintf(xml, sizeof xml, "<domain type='qemu'><name>n</name><os>"
	    "<kernel>%s</kernel></os></domain>", test_write("k", "k", 1));
	if (import(xml, "n.xml", 0, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(q->network, NETWORK_NONE);
	assert_false(q->guest_agent);
	assert_false(q->virtio_keyboard);
	assert_int_equal(found.lost.n, 0);
	domimport_found_free(&found);
	profile_free(q);
}

/*
 * A DTD is refused as soon as it is met: its entities would be expanded
 * by every read of a text (a 260 KB file once took 23 s and 7.8 GB), and
 * libvirt writes none. Entities XML itself knows (&amp;, &#65;) stay.
 */
static void
test_doctype(void **state)
{
	static const char *const xml[] = {
		"<!DOCTYPE domain [<!ENTITY e \"x\">]><domain><name>d</name>"
		"<description>&e;&e;</description></domain>",
		"<?xml version='1.0'?>\n<!DOCTYPE domain SYSTEM "
		"\"file:///etc/passwd\"><domain><name>d</name></domain>",
		"<!DOCTYPE domain><domain><name>d</name></domain>",
	};
	struct profile	*q;
	struct domimport_found	 found = FOUND_NONE;
	char		*cause = NULL, ok[1024];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof xml / sizeof xml[0]; i++) {
		assert_int_equal(import(xml[i], "d.xml", 0, &q, &found,
		    &cause), -1);
		assert_null(q);
		if (strstr(cause, "<!DOCTYPE>") == NULL)
			fail_msg("%zu: %s", i, cause);
		free(cause);
		cause = NULL;
	}
	/* XML's own entities are no DTD's */
	snprintf(ok, sizeof ok, "<domain><name>d</name><description>a&amp;b"
	    "&#65;</description><os><kernel>%s</kernel></os></domain>",
	    test_write("k", "k", 1));
	if (import(ok, "d.xml", 0, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(q->description, "a&bA");
	profile_free(q);
	domimport_found_free(&found);
}

/* A domain named h whose root disk (of format) is file, with more. */
static void
host_domain(char *xml, size_t len, const char *format, const char *file,
    const char *more)
{
	snprintf(xml, len, "<domain type='qemu'><name>h</name><os><kernel>"
	    "%s/k</kernel></os><devices><disk type='file' device='disk'>"
	    "<driver name='qemu' type='%s'/><source file='%s'/><target "
	    "dev='vda' bus='virtio'/></disk>%s</devices></domain>", test_dir,
	    format, file, more);
}

/* The import of xml: what it lists, one a line, or its refusal. */
static char *
host_import(const char *xml, int flags, struct profile **q,
    struct domimport_found *found)
{
	char	*cause = NULL, *all;

	memset(found, 0, sizeof *found);
	if (import(xml, "h.xml", flags, q, found, &cause) != 0) {
		assert_null(*q);
		domimport_found_free(found);
		return cause;
	}
	all = strv_join(&found->files, "\n");
	assert_non_null(all);
	return all;
}

/* The import of the key as root disk with a share of dir (then more). */
static char *
share_import(const char *secret, const char *dir, const char *more,
    struct profile **q, struct domimport_found *found)
{
	char	xml[8192], fs[1500];

	if ((size_t)snprintf(fs, sizeof fs, "<filesystem type='mount' "
	    "accessmode='squash'><source dir='%s'/><target dir='r'/>%s"
	    "</filesystem>", dir, more) >= sizeof fs)
		fail_msg("a share too long");
	host_domain(xml, sizeof xml, "raw", secret, fs);
	return host_import(xml, 0, q, found);
}

/*
 * Every file of this host an imported machine would read or write is
 * listed with what it does with it (the caller asks for consent); those
 * no import may give it are refused: not a full path, not there (but in
 * its own data folder), not a plain file or folder, another machine's.
 * Disk formats are kept as the domain says them, never probed; a backing
 * or data file is read from the image by qemu-img, a level at a time.
 * From another host (DOMIMPORT_REMOTE) no path is this host's.
 */
static void
test_host_files(void **state)
{
	static const char key[] = "SECRET-PRIVATE-KEY-LINE\n";
	static const struct {
		const char	*format;
		bool		 in_dir;	/* path in the test's folder */
		const char	*path, *want;
	} bad[] = {
		{ "raw", false, "../../../.ssh/id_rsa",
		  "../../../.ssh/id_rsa: not a full path" },
		{ "raw", false, "~/.ssh/id_rsa", "~/.ssh/id_rsa: not a full path" },
		{ "raw", true, "/home/../home/.ssh/id_rsa", "not a full path" },
		{ "qcow2", true, "/home/.profile", "/home/.profile: not there" },
		{ "raw", true, "/home/fifo", "/home/fifo: not a plain file" },
		/* another machine's: its data folder, its disk, its profile */
		{ "qcow2", true, "/data/vmtui/base/root.qcow2",
		  "in the data folder of the vmtui machine base" },
		{ "qcow2", true, "/bundle/other.qcow2",
		  "a disk of the vmtui machine other" },
		{ "raw", true, "/config/vmtui/profiles/other.conf",
		  "other.conf: a vmtui profile" },
		/* ... and a backing file of theirs */
		{ "qcow2", true, "/bundle/on-base.qcow2",
		  "in the data folder of the vmtui machine base" },
	};
	struct domimport_found	 found;
	struct profile		*q;
	char			 xml[4096], secret[600], path[700], more[1500];
	char			*got;
	size_t			 i;

	(void)state;
	sh("mkdir -p %s/home/.ssh %s/config/vmtui/profiles %s/data/vmtui/base "
	    "%s/state %s/bundle", test_dir, test_dir, test_dir, test_dir,
	    test_dir);
	snprintf(secret, sizeof secret, "%s/home/.ssh/id_rsa", test_dir);
	test_write("home/.ssh/id_rsa", key, strlen(key));
	test_write("k", "k", 1);
	snprintf(path, sizeof path, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", path, 1);
	snprintf(path, sizeof path, "%s/state", test_dir);
	setenv("XDG_STATE_HOME", path, 1);
	snprintf(path, sizeof path, "%s/config", test_dir);
	setenv("XDG_CONFIG_HOME", path, 1);
	snprintf(path, sizeof path, "%s/config/vmtui/profiles", test_dir);
	profiles = path;

	/* the key as a raw root disk: listed, read and written; raw kept */
	host_domain(xml, sizeof xml, "raw", secret, "");
	got = host_import(xml, 0, &q, &found);
	if (strstr(got, "reads and writes ") == NULL ||
	    strstr(got, "/home/.ssh/id_rsa (the root disk)") == NULL ||
	    strstr(got, "reads ") == NULL || strstr(got, "/k (the kernel)") ==
	    NULL)
		fail_msg("%s", got);
	assert_int_equal(q->root_drive.format, FORMAT_RAW);
	assert_string_equal(q->root_image, secret);
	free(got);
	profile_free(q);
	domimport_found_free(&found);

	/* refused whatever the consent: not a full path, not there, ... */
	sh("mkfifo %s/home/fifo && qemu-img create -q -f qcow2 "
	    "%s/data/vmtui/base/root.qcow2 1M && qemu-img create -q -f qcow2 "
	    "%s/bundle/other.qcow2 1M && printf 'root-disk { image = "
	    "\"%s/bundle/other.qcow2\" }\n' >%s/other.conf", test_dir,
	    test_dir, test_dir, test_dir, profiles);
	sh("qemu-img create -q -f qcow2 -b %s/data/vmtui/base/root.qcow2 -F "
	    "qcow2 %s/bundle/on-base.qcow2 1M", test_dir, test_dir);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(more, sizeof more, "%s%s", bad[i].in_dir ? test_dir :
		    "", bad[i].path);
		host_domain(xml, sizeof xml, bad[i].format, more, "");
		got = host_import(xml, 0, &q, &found);
		if (strstr(got, bad[i].want) == NULL)
			fail_msg("%s: %s", bad[i].path, got);
		free(got);
	}

	/* a backing file, a data file: read from the image, listed */
	sh("qemu-img create -q -f qcow2 -b %s -F raw %s/bundle/disk.qcow2 1M",
	    secret, test_dir);
	snprintf(more, sizeof more, "%s/bundle/disk.qcow2", test_dir);
	host_domain(xml, sizeof xml, "qcow2", more, "");
	got = host_import(xml, 0, &q, &found);
	if (strstr(got, "/home/.ssh/id_rsa (a backing file of ") == NULL ||
	    strncmp(got, "reads and writes ", 17) != 0)
		fail_msg("%s", got);
	assert_int_equal(q->root_drive.format, FORMAT_QCOW2);
	free(got);
	profile_free(q);
	domimport_found_free(&found);
	sh("qemu-img create -q -f qcow2 -o data_file=%s/bundle/data.raw,"
	    "data_file_raw=on %s/bundle/df.qcow2 1M", test_dir, test_dir);
	snprintf(more, sizeof more, "%s/bundle/df.qcow2", test_dir);
	host_domain(xml, sizeof xml, "qcow2", more, "");
	got = host_import(xml, 0, &q, &found);
	if (strstr(got, "reads and writes ") == NULL ||
	    strstr(got, "/bundle/data.raw (the data file of ") == NULL)
		fail_msg("%s", got);
	free(got);
	profile_free(q);
	domimport_found_free(&found);
	/* raw said on a qcow2: kept raw, said */
	host_domain(xml, sizeof xml, "raw", more, "");
	got = host_import(xml, 0, &q, &found);
	assert_int_equal(q->root_drive.format, FORMAT_RAW);
	assert_int_equal(found.notes.n, 1);
	assert_non_null(strstr(found.notes.v[0], "said to be raw, its bytes "
	    "look like qcow2"));
	free(got);
	profile_free(q);
	domimport_found_free(&found);

	/* a share of / read and written; one of a file refused */
	got = share_import(secret, "/", "", &q, &found);
	assert_non_null(strstr(got, "reads and writes / (the shared folder "
	    "r)"));
	free(got);
	profile_free(q);
	domimport_found_free(&found);
	got = share_import(secret, secret, "", &q, &found);
	assert_non_null(strstr(got, "/.ssh/id_rsa: not a folder"));
	free(got);

	/* the profiles folder is vmtui's; a folder in it is not */
	got = share_import(secret, profiles, "", &q, &found);
	assert_non_null(strstr(got, "profiles: vmtui's profiles folder"));
	free(got);
	sh("mkdir -p %s/shared", profiles);
	snprintf(more, sizeof more, "%s/shared", profiles);
	got = share_import(secret, more, "<readonly/>", &q, &found);
	assert_non_null(strstr(got, "reads "));
	assert_non_null(strstr(got, "/shared (the shared folder r)"));
	free(got);
	profile_free(q);
	domimport_found_free(&found);

	/* UEFI: the template read, the variables where they are */
	snprintf(xml, sizeof xml, "<domain type='qemu'><name>h</name><os>"
	    "<loader readonly='yes' type='pflash'>%s/k</loader><nvram "
	    "template='%s'>%s/home/vars.fd</nvram></os></domain>", test_dir,
	    secret, test_dir);
	got = host_import(xml, 0, &q, &found);
	assert_non_null(strstr(got, "/home/vars.fd: not there"));
	free(got);

	/* the machine's own data folder: made by vmtui, nothing to list */
	snprintf(more, sizeof more, "%s/data/vmtui/h/root.qcow2", test_dir);
	host_domain(xml, sizeof xml, "qcow2", more, "");
	got = host_import(xml, 0, &q, &found);
	assert_string_equal(q->root_image, "");
	if (strstr(got, "root.qcow2") != NULL)
		fail_msg("%s", got);
	free(got);
	profile_free(q);
	domimport_found_free(&found);

	/* from another host: its paths are not this host's */
	host_domain(xml, sizeof xml, "raw", secret, "");
	got = host_import(xml, DOMIMPORT_REMOTE, &q, &found);
	if (strstr(got, "a volume of the libvirt host") == NULL ||
	    strstr(got, "virsh vol-download") == NULL ||
	    strstr(got, "/k: a path on the libvirt host") == NULL)
		fail_msg("%s", got);
	free(got);
	profiles = "/prof";
}

/*
 * Every element the import leaves out is listed: consoles that are not a
 * pty (a file, a TCP port), an rng that is not /dev/urandom, the user
 * network's passt backend, MAC and ROM, input passthrough, a balloon, a
 * share that is not vmtui's (passthrough, mapped, virtiofs), the vCPUs
 * past the current ones.
 */
static void
test_dropped(void **state)
{
	static const char *const want[] = {
		"<serial type=\"file\">",
		"<console type=\"tcp\">",
		"<serial> port 1: vmtui has one serial console",
		"<rng> backend egd",
		"<rng> backend random /etc/passwd",
		"<interface type=\"user\"> <backend>",
		"<interface type=\"user\"> <mac>",
		"<interface type=\"user\"> <rom>",
		"<interface type=\"user\"> <model type=\"e1000\">",
		"<input type=\"passthrough\">",
		"<memballoon model=\"virtio\">",
		"<filesystem> p accessmode=\"passthrough\"",
		"<filesystem> m accessmode=\"mapped\"",
		"<filesystem> v <driver type=\"virtiofs\">",
		"<vcpu> 1024: the most vCPUs",
	};
	struct domimport_found	 found = FOUND_NONE;
	struct profile		*q;
	char			*cause = NULL, xml[4096], *all;
	size_t			 i;

	(void)state;
	snprintf(xml, sizeof xml, "<domain type='qemu'><name>d</name>"
	    "<vcpu current='2'>1024</vcpu><os><kernel>%s</kernel></os><devices>"
	    "<serial type='file'><source path='/tmp/x'/><target port='0'/>"
	    "</serial><serial type='pty'><target port='1'/></serial>"
	    "<console type='tcp'><source mode='bind' host='0.0.0.0' "
	    "service='23'/></console>"
	    "<rng model='virtio'><backend model='egd' type='tcp'/></rng>"
	    "<rng model='virtio'><backend model='random'>/etc/passwd</backend>"
	    "</rng><interface type='user'><backend type='passt'/><mac "
	    "address='52:54:00:00:00:01'/><rom file='/x.rom'/><model "
	    "type='e1000'/></interface>"
	    "<input type='passthrough' bus='virtio'><source "
	    "evdev='/dev/input/event0'/></input><memballoon model='virtio'/>"
	    "<filesystem type='mount' accessmode='passthrough'><source "
	    "dir='%s'/><target dir='p'/></filesystem>"
	    "<filesystem type='mount' accessmode='mapped'><source dir='%s'/>"
	    "<target dir='m'/></filesystem><filesystem type='mount' "
	    "accessmode='squash'><driver type='virtiofs'/><source dir='%s'/>"
	    "<target dir='v'/></filesystem></devices></domain>",
	    test_write("k", "k", 1), test_dir, test_dir, test_dir);
	if (import(xml, "d.xml", 0, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	all = strv_join(&found.lost, "\n");
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(all, want[i]) == NULL)
			fail_msg("not listed: %s\nlisted:\n%s", want[i], all);
	free(all);
	assert_int_equal(q->cores, 2);
	assert_int_equal(q->nshares, 3);
	profile_free(q);
	domimport_found_free(&found);
}

/*
 * Sizes in every unit libvirt knows, whole MiB; a size that overflows or
 * a unit that is none is refused, saying so (16 EiB wrapped to 0, KiB -1
 * to 18014398509481983).
 */
static void
test_sizes(void **state)
{
	static const struct {
		const char	*memory;
		long		 mib;
		const char	*want;
	} cases[] = {
		{ "<memory>2097152</memory>", 2048, NULL },
		{ "<memory unit='KiB'>2097152</memory>", 2048, NULL },
		{ "<memory unit='bytes'>1073741824</memory>", 1024, NULL },
		{ "<memory unit='G'>2</memory>", 2048, NULL },
		{ "<memory unit='GB'>1</memory>", 953, NULL },
		{ "<memory unit='TiB'>1</memory>", 1048576, NULL },
		{ "<memory unit='EiB'>16</memory>", 0, "<memory unit=\"EiB\">16: "
		  "more than vmtui's 16 TiB" },
		{ "<memory unit='KiB'>-1</memory>", 0, "<memory unit=\"KiB\">-1: "
		  "not a whole number" },
		{ "<memory unit='KiB'>99999999999999999999999</memory>", 0,
		  "99999999999999999999999: more than vmtui's 16 TiB" },
		{ "<memory unit='furlong'>2</memory>", 0, "<memory unit="
		  "\"furlong\">2: not a unit libvirt knows" },
		{ "<vcpu>-1</vcpu>", 0, "<vcpu>-1: not a whole number" },
		{ "<vcpu current='99999999999999999999'>2</vcpu>", 0,
		  "<vcpu current=\"99999999999999999999\">: not a whole number" },
	};
	struct domimport_found	 found = FOUND_NONE;
	struct profile		*q;
	char			*cause = NULL, xml[2048];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(xml, sizeof xml, "<domain type='qemu'><name>s</name>"
		    "\n%s<os><kernel>%s</kernel></os></domain>",
		    cases[i].memory, test_write("k", "k", 1));
		if (cases[i].want == NULL) {
			if (import(xml, "s.xml", 0, &q, &found, &cause) != 0)
				fail_msg("%zu: %s", i, cause);
			assert_int_equal(q->memory, cases[i].mib);
			profile_free(q);
			continue;
		}
		refused(xml, 0, "s.xml", 2, cases[i].want);
	}
	domimport_found_free(&found);
}

/*
 * A domain asked for by name must be the one the host sends (a tunnel
 * rewrote gift into zzzz); a forward given twice is said without a line
 * the import does not have.
 */
static void
test_asked(void **state)
{
	struct domimport_opts	 o = { "the host", "/prof", 0, "gift" };
	struct domimport_found	 found = FOUND_NONE;
	struct profile		*q;
	char			*cause = NULL, xml[2048];

	(void)state;
	snprintf(xml, sizeof xml, "<domain type='qemu'><name>zzzz</name><os>"
	    "<kernel>%s</kernel></os></domain>", test_write("k", "k", 1));
	assert_int_equal(domimport_profile(xml, &o, &q, &found, &cause), -1);
	assert_string_equal(cause, "the host: asked for the domain gift, it "
	    "sent zzzz: refused");
	free(cause);
	snprintf(xml, sizeof xml, "<domain type='qemu' xmlns:qemu='http://"
	    "libvirt.org/schemas/domain/qemu/1.0'><name>gift</name><os>"
	    "<kernel>%s</kernel></os><qemu:commandline><qemu:arg "
	    "value='-netdev'/><qemu:arg value='user,id=vmtui-net0,hostfwd=tcp:"
	    "127.0.0.1:2222-:22,hostfwd=tcp:127.0.0.1:2222-:23'/><qemu:arg "
	    "value='-device'/><qemu:arg value='virtio-net-pci,netdev=vmtui-net0,"
	    "bus=pcie.0,addr=0x10'/></qemu:commandline></domain>",
	    test_write("k", "k", 1));
	assert_int_equal(domimport_profile(xml, &o, &q, &found, &cause), -1);
	if (strstr(cause, "host port tcp/2222 is already forwarded") == NULL ||
	    strstr(cause, "(line 0)") != NULL)
		fail_msg("%s", cause);
	free(cause);
	domimport_found_free(&found);
}

/*
 * vmtui's own metadata says what a domain has no place for (where the
 * display is shown, the sizes images are made at): it must agree with
 * what the domain shows, or the import is refused (a VNC display on
 * 0.0.0.0 in the metadata behind a <graphics> on 127.0.0.1).
 */
static void
test_metadata(void **state)
{
	static const struct {
		const char	*devices, *meta, *want;
	} cases[] = {
		{ "<graphics type='vnc'><listen type='address' "
		  "address='127.0.0.1'/></graphics>",
		  "<vmtui:display how='vnc' address='0.0.0.0'/>",
		  "<vmtui:display address=\"0.0.0.0\">: the domain's <graphics> "
		  "listens on 127.0.0.1" },
		{ "<graphics type='vnc'><listen type='address' "
		  "address='127.0.0.1'/></graphics>",
		  "<vmtui:display how='spice' address=''/>",
		  "<vmtui:display how=\"spice\">: the domain's <graphics> is "
		  "vnc" },
		{ "", "<vmtui:display how='vnc' address=''/>",
		  "<vmtui:display>: the domain has no <graphics> nor <video>" },
		{ "<video><model type='vga'/></video>",
		  "<vmtui:display how='vnc' address=''/>",
		  "<vmtui:display how=\"vnc\">: the domain has no <graphics>" },
		{ "", "<vmtui:disk name='ghost' size='99'/>",
		  "<vmtui:disk name=\"ghost\">: the domain has no such disk" },
		{ "", "<vmtui:extra foo='bar'/>",
		  "<vmtui:extra>: vmtui writes no such element" },
		{ "<disk type='file' device='disk'><driver type='qcow2'/>"
		  "<source file='/d/root.qcow2'/><target dev='vda' "
		  "bus='virtio'/></disk>", "<vmtui:disk name='root' size='64x'/>",
		  "<vmtui:disk name=\"root\" size=\"64x\">: not a size" },
		{ "<disk type='file' device='disk'><driver type='qcow2'/>"
		  "<source file='/d/root.qcow2'/><target dev='vda' "
		  "bus='virtio'/></disk>", "<vmtui:disk name='root' "
		  "size='99999999999999999999'/>",
		  "size=\"99999999999999999999\">: not a size" },
		{ "<disk type='file' device='disk'><driver type='qcow2'/>"
		  "<source file='/d/root.qcow2'/><target dev='vda' "
		  "bus='virtio'/></disk>", "<vmtui:disk name='root' size='64'/>"
		  "<vmtui:disk name='root' size='65'/>",
		  "<vmtui:disk name=\"root\"> twice" },
	};
	char	xml[2048];
	size_t	i;

	(void)state;
	setenv("XDG_DATA_HOME", "/d", 1);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(xml, sizeof xml, "<domain type='qemu'><name>m</name>"
		    "<os><kernel>%s</kernel></os><devices>%s</devices>\n"
		    "<metadata><vmtui:machine xmlns:vmtui='urn:vmtui:domain:1'>"
		    "\n%s</vmtui:machine></metadata></domain>",
		    test_write("k", "k", 1), cases[i].devices, cases[i].meta);
		refused(xml, 0, "m.xml", 3, cases[i].want);
	}
}

/*
 * An import never makes the machine listen off loopback: a display or a
 * forward on another address is made 127.0.0.1, and said (--set puts it
 * back).
 */
static void
test_loopback(void **state)
{
	struct domimport_found	 found = FOUND_NONE;
	struct profile		*q;
	char			*cause = NULL, xml[2048], *all;

	(void)state;
	snprintf(xml, sizeof xml, "<domain type='qemu' xmlns:qemu='http://"
	    "libvirt.org/schemas/domain/qemu/1.0'><name>l</name><os><kernel>"
	    "%s</kernel></os><devices><graphics type='vnc'><listen "
	    "type='address' address='0.0.0.0'/></graphics></devices>"
	    "<qemu:commandline><qemu:arg value='-netdev'/><qemu:arg "
	    "value='user,id=vmtui-net0,hostfwd=tcp:0.0.0.0:2222-:22,"
	    "hostfwd=udp::5353-:53,hostfwd=tcp:127.0.0.2:80-:80'/>"
	    "<qemu:arg value='-device'/><qemu:arg value='virtio-net-pci,"
	    "netdev=vmtui-net0,bus=pcie.0,addr=0x10'/></qemu:commandline>"
	    "</domain>", test_write("k", "k", 1));
	if (import(xml, "l.xml", 0, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(q->display_address, "127.0.0.1");
	assert_int_equal(q->nforwards, 3);
	assert_string_equal(q->forwards[0].host_address, "127.0.0.1");
	assert_string_equal(q->forwards[1].host_address, "127.0.0.1");
	assert_int_equal(q->forwards[1].proto, PROTO_UDP);
	assert_string_equal(q->forwards[2].host_address, "127.0.0.2");
	assert_int_equal(found.notes.n, 3);
	all = strv_join(&found.notes, "\n");
	if (strstr(all, "<graphics> listens on 0.0.0.0: made loopback "
	    "(127.0.0.1); vmtui --set l display-address=0.0.0.0 puts it back") ==
	    NULL || strstr(all, "forward tcp 0.0.0.0:2222: made loopback "
	    "(127.0.0.1); vmtui --set l forward[0].host-address=0.0.0.0 puts it "
	    "back") == NULL || strstr(all, "forward udp :5353 (every "
	    "address): made loopback") == NULL)
		fail_msg("%s", all);
	free(all);
	assert_int_equal(found.lost.n, 0);
	profile_free(q);
	domimport_found_free(&found);
}

/*
 * A value with a control character (C0, DEL, C1: U+009B is CSI to xterm
 * and VTE) is refused wherever the import would take it, at its line.
 */
static void
test_controls(void **state)
{
	static const char *const values[] = {
		"<description>a\302\2332J</description>",
		"<description>line&#10;line</description>",
		"<description>tab&#9;</description>",
		"<os><cmdline>x\177y</cmdline></os>",
		"<devices><filesystem type='mount' accessmode='squash'><source "
		"dir='/tmp&#10;x'/><target dir='t'/></filesystem></devices>",
	};
	char	xml[2048];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		snprintf(xml, sizeof xml, "<domain type='qemu'><name>c</name>"
		    "<os><kernel>%s</kernel></os>\n%s</domain>",
		    test_write("k", "k", 1), values[i]);
		/* two <os>: the first refusal says the rest */
		if (strncmp(values[i], "<os>", 4) == 0)
			snprintf(xml, sizeof xml, "<domain type='qemu'><name>c"
			    "</name>\n<os><kernel>%s</kernel>%s</domain>",
			    test_write("k", "k", 1), values[i] + 4);
		refused(xml, DOMIMPORT_QEMU_ARGS, "c.xml", 2,
		    "holds a control character: refused");
	}
	/* a raw QEMU argument too, taken or not */
	snprintf(xml, sizeof xml, "<domain type='qemu' xmlns:qemu='http://"
	    "libvirt.org/schemas/domain/qemu/1.0'><name>c</name><os><kernel>"
	    "%s</kernel></os>\n<qemu:commandline>"
	    "<qemu:arg value='-y\302\2330m'/></qemu:commandline></domain>",
	    test_write("k", "k", 1));
	refused(xml, 0, "c.xml", 2, "raw QEMU argument \"-y\\xc2\\x9b0m\" "
	    "holds a control character");
}

/*
 * An element libvirt reads once, given twice: libvirt takes the first, an
 * import would have taken the last (init=/bin/evil, 64 GiB, aarch64).
 * Refused, naming it; and one in a namespace of its own is not libvirt's.
 */
static void
test_twice(void **state)
{
	static const struct {
		const char	*inner, *want;
	} cases[] = {
		{ "<memory unit='MiB'>512</memory><memory unit='GiB'>64</memory>",
		  "<memory> twice" },
		{ "<currentMemory>1</currentMemory><currentMemory>2"
		  "</currentMemory>", "<currentMemory> twice" },
		{ "<vcpu>1</vcpu><vcpu>8</vcpu>", "<vcpu> twice" },
		{ "<name>n</name>", "<name> twice" },
		{ "<uuid>a</uuid><uuid>b</uuid>", "<uuid> twice" },
		{ "<description>a</description><description>b</description>",
		  "<description> twice" },
		{ "<os><type arch='x86_64'>hvm</type><type arch='aarch64'>hvm"
		  "</type></os>", "<type> twice" },
		{ "<os><kernel>K</kernel><kernel>/bin/x</kernel></os>",
		  "<kernel> twice" },
		{ "<os><initrd>K</initrd><initrd>K</initrd></os>",
		  "<initrd> twice" },
		{ "<os><cmdline>benign</cmdline><cmdline>init=/bin/evil"
		  "</cmdline></os>", "<cmdline> twice" },
		{ "<os><loader>K</loader><loader>K</loader></os>",
		  "<loader> twice" },
		{ "<os><nvram>K</nvram><nvram>K</nvram></os>", "<nvram> twice" },
		{ "<os/><os/>", "<os> twice" },
		{ "<devices/><devices/>", "<devices> twice" },
		{ "<devices><disk type='file' device='disk'><source file='/a'/>"
		  "<source file='/b'/><target dev='vda' bus='virtio'/></disk>"
		  "</devices>", "<source> twice" },
		{ "<metadata><vmtui:machine xmlns:vmtui='urn:vmtui:domain:1'/>"
		  "<vmtui:machine xmlns:vmtui='urn:vmtui:domain:1'/></metadata>",
		  "<vmtui:machine> twice" },
	};
	struct domimport_found	 found = FOUND_NONE;
	struct profile		*q;
	char			*cause = NULL, xml[2048], want[128];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(xml, sizeof xml, "<domain type='qemu'><name>n</name>"
		    "\n%s</domain>", cases[i].inner);
		assert_int_equal(import(xml, "t.xml", 0, &q, &found, &cause),
		    -1);
		snprintf(want, sizeof want, "t.xml:2: %s: libvirt takes the "
		    "first", cases[i].want);
		if (strstr(cause, want) == NULL)
			fail_msg("%zu: wanted %s, got %s", i, want, cause);
		free(cause);
		cause = NULL;
	}
	/* an element of another namespace is not libvirt's kernel */
	snprintf(xml, sizeof xml, "<domain type='qemu'><name>n</name><os>"
	    "<kernel>%s</kernel><x:kernel xmlns:x='urn:x'>/bin/x</x:kernel>"
	    "</os></domain>", test_write("k", "k", 1));
	if (import(xml, "t.xml", 0, &q, &found, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(q->kernel, test_write("k", "k", 1));
	assert_int_equal(found.lost.n, 1);
	assert_non_null(strstr(found.lost.v[0], "<x:kernel>"));
	profile_free(q);
	domimport_found_free(&found);
}

/* A domain whose <features> holds n attributes, or xmlns declarations. */
static char *
many(size_t n, const char *fmt)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	buf_puts(&b, "<domain type='qemu'><name>m</name><features");
	for (i = 0; i < n; i++)
		buf_printf(&b, fmt, i);
	buf_puts(&b, "/></domain>");
	return buf_finish(&b, NULL);
}

/*
 * libxml2 2.9.14 takes time quadratic in an element's attributes (40,000
 * took 4.9 s, 160,000 over 3 minutes) and in the namespaces declared: a
 * few hundred on one element, or in a document, are refused before it
 * sees them, at once, and so is a document over 1 MiB (a domain with 100
 * disks and 16 network cards is 72 KB).
 */
static void
test_attributes(void **state)
{
	static const struct {
		size_t		 n;
		const char	*fmt, *want;
	} cases[] = {
		{ 40000, " a%zu=''", "<features> has more than 256 attributes" },
		{ 50000, " xmlns:p%zu='u'", "more than 256 namespace "
		    "declarations" },
		{ 257, " a%zu='>'", "<features> has more than 256 attributes" },
	};
	struct domimport_found	 found = FOUND_NONE;
	struct profile		*q;
	char			*xml, *cause = NULL;
	long			 t0;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xml = many(cases[i].n, cases[i].fmt);
		assert_non_null(xml);
		t0 = io_now_ms();
		assert_int_equal(import(xml, "a.xml", 0, &q, &found, &cause),
		    -1);
		if (io_now_ms() - t0 > 1000)
			fail_msg("%zu: %ld ms", i, io_now_ms() - t0);
		if (strstr(cause, cases[i].want) == NULL ||
		    strncmp(cause, "a.xml:1: ", 9) != 0)
			fail_msg("%zu: %s", i, cause);
		free(cause);
		cause = NULL;
		free(xml);
	}
	/* as many as a domain may have, in text, comments and CDATA too */
	xml = many(256, " a%zu='='");
	assert_non_null(xml);
	if (import(xml, "a.xml", 0, &q, &found, &cause) == -1 &&
	    strstr(cause, "attributes") != NULL)
		fail_msg("%s", cause);
	free(cause);
	cause = NULL;
	profile_free(q);
	domimport_found_free(&found);
	free(xml);
	/* over 1 MiB */
	xml = calloc(1, (1 << 20) + 2);
	assert_non_null(xml);
	memset(xml, ' ', (1 << 20) + 1);
	memcpy(xml, "<domain>", 8);
	assert_int_equal(import(xml, "a.xml", 0, &q, &found, &cause), -1);
	assert_non_null(strstr(cause, "over 1 MiB"));
	free(cause);
	free(xml);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_backing),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_raw_args),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_doctype),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_asked),
		cmocka_unit_test(test_host_files),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
