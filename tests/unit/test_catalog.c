/*
 * Unit tests of core/catalog.c: names, copy and rename through the model
 * (the name inside changes), never over an existing profile, the data
 * folder moving with a rename and copied only when asked, never adopted,
 * and delete removing only the files the profile owns.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "catalog.h"
#include "paths.h"
#include "profile.h"

static char	pdir[600];

static int
setup(void **state)
{
	char	data[600];

	if (test_setup_dir(state) != 0)
		return -1;
	/* the profiles folder, where a machine's data folder is its name */
	snprintf(pdir, sizeof pdir, "%s/vmtui/profiles", test_dir);
	paths_mkdirs(pdir, 0700);
	setenv("XDG_CONFIG_HOME", test_dir, 1);
	snprintf(data, sizeof data, "%s/data", test_dir);
	setenv("XDG_DATA_HOME", data, 1);
	setenv("XDG_RUNTIME_DIR", test_dir, 1);
	test_write_str("vmtui/profiles/a.conf", "name = \"a\"\nmemory = 512\n"
	    "root-disk { size = 64 }\ndisk \"x\" { size = 8 }\n");
	test_write_str("vmtui/profiles/b.conf", "memory = 256\n");
	test_write_str("vmtui/profiles/.hidden.conf", "x\n");
	test_write_str("vmtui/profiles/notes.txt", "x\n");
	return 0;
}

/* test_dir/data/vmtui/NAME[/FILE], in a static buffer of its own. */
static const char *
data_path(const char *name, const char *file)
{
	static char	buf[4][700];
	static int	n;
	char		*s = buf[n++ % 4];

	snprintf(s, 700, "%s/data/vmtui/%s%s%s", test_dir, name,
	    file ? "/" : "", file ? file : "");
	return s;
}

static void
data_file(const char *name, const char *file, const char *text)
{
	char	rel[300];

	snprintf(rel, sizeof rel, "%s/data", test_dir);
	mkdir(rel, 0700);
	snprintf(rel, sizeof rel, "%s/data/vmtui", test_dir);
	mkdir(rel, 0700);
	mkdir(data_path(name, NULL), 0700);
	snprintf(rel, sizeof rel, "data/vmtui/%s/%s", name, file);
	test_write_str(rel, text);
}

static const char *
slurp(const char *path)
{
	static char	 buf[256];
	FILE		*f = fopen(path, "rb");
	size_t		 n;

	if (f == NULL)
		return "(missing)";
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_all(void **state)
{
	struct strv	 names = { NULL, 0 }, owned = { NULL, 0 };
	struct profile	*p;
	struct stat	 st;
	char		*cause = NULL, path[700], *s;

	(void)state;
	assert_int_equal(catalog_names(pdir, &names, &cause), 0);
	s = strv_join(&names, " ");
	assert_string_equal(s, "a b");
	free(s);
	strv_free(&names);
	assert_int_equal(catalog_names("/nonexistent", &names, &cause), 0);
	assert_int_equal(names.n, 0);

	/* copy: a new file with its own name inside, no disks, private
	 * whatever the umask */
	data_file("a", "root.qcow2", "disk of a");
	umask(0);
	assert_int_equal(catalog_copy(pdir, "a", "c", CATALOG_COPY, NULL,
	    &cause), 0);
	umask(022);
	snprintf(path, sizeof path, "%s/c.conf", pdir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(profile_parse(path, &p, &cause), 0);
	assert_string_equal(p->name, "c");
	assert_int_equal(p->memory, 512);
	profile_free(p);
	assert_int_equal(access(data_path("c", NULL), F_OK), -1);
	/* never over another profile, never a bad name */
	assert_int_equal(catalog_copy(pdir, "a", "b", CATALOG_COPY, NULL,
	    &cause), -1);
	assert_string_equal(cause, "there is a profile named b already");
	free(cause);
	assert_int_equal(catalog_copy(pdir, "a", "../x", CATALOG_COPY, NULL,
	    &cause), -1);
	free(cause);
	/* nor one that a PROFILE argument reads as a file's */
	assert_int_equal(catalog_copy(pdir, "a", "x.conf", CATALOG_COPY, NULL,
	    &cause), -1);
	assert_non_null(strstr(cause, "ends in .conf"));
	free(cause);
	assert_int_equal(catalog_copy(pdir, "a", "x.conf", CATALOG_RENAME,
	    NULL, &cause), -1);
	assert_non_null(strstr(cause, "ends in .conf"));
	free(cause);
	/* a copy with disks copies the data folder's files, private */
	assert_int_equal(catalog_copy(pdir, "a", "e", CATALOG_COPY_DISKS, NULL,
	    &cause), 0);
	assert_string_equal(slurp(data_path("e", "root.qcow2")), "disk of a");
	assert_int_equal(stat(data_path("e", "root.qcow2"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* rename: the old file goes, the data folder moves with it */
	assert_int_equal(catalog_copy(pdir, "e", "d", CATALOG_RENAME, NULL,
	    &cause), 0);
	snprintf(path, sizeof path, "%s/e.conf", pdir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/d.conf", pdir);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(access(data_path("e", NULL), F_OK), -1);
	assert_string_equal(slurp(data_path("d", "root.qcow2")), "disk of a");
	/* a data folder left by an earlier machine is never taken over */
	data_file("f", "root.qcow2", "old f");
	assert_int_equal(catalog_copy(pdir, "d", "f", CATALOG_RENAME, NULL,
	    &cause), -1);
	assert_non_null(strstr(cause, "data of an earlier machine named f"));
	free(cause);
	assert_int_equal(catalog_copy(pdir, "a", "f", CATALOG_COPY, NULL,
	    &cause), -1);
	free(cause);
	assert_string_equal(slurp(data_path("f", "root.qcow2")), "old f");
	assert_string_equal(slurp(data_path("d", "root.qcow2")), "disk of a");
	snprintf(path, sizeof path, "%s/f.conf", pdir);
	assert_int_equal(access(path, F_OK), -1);

	/* delete keeps the images unless asked, and then only its own */
	data_file("d", "x.qcow2", "extra disk");
	data_file("d", "notes", "not the machine's");
	assert_int_equal(catalog_owned(pdir, "d", &owned, &cause), 0);
	assert_int_equal(owned.n, 2);
	strv_free(&owned);
	assert_int_equal(catalog_delete(pdir, "d", false, &cause), 0);
	assert_int_equal(access(data_path("d", "root.qcow2"), F_OK), 0);
	assert_int_equal(catalog_copy(pdir, "a", "g", CATALOG_COPY, NULL,
	    &cause), 0);
	data_file("g", "root.qcow2", "disk of g");
	data_file("g", "x.qcow2", "extra");
	data_file("g", "notes", "not the machine's");
	assert_int_equal(catalog_delete(pdir, "g", true, &cause), 0);
	assert_int_equal(access(data_path("g", "root.qcow2"), F_OK), -1);
	assert_int_equal(access(data_path("g", "x.qcow2"), F_OK), -1);
	assert_string_equal(slurp(data_path("g", "notes")),
	    "not the machine's");
	assert_int_equal(catalog_delete(pdir, "nonesuch", false, &cause), -1);
	free(cause);
}

/*
 * A cloud-init machine on an image: a copy with its disks gets no copy of
 * its keys (it makes host keys of its own at its launch) and stands on the
 * same image; a delete takes its keys and seed, with its disks too, and
 * never the image it stands on.
 */
static void
test_cloud(void **state)
{
	char	*cause = NULL, text[800], image[600], path[700];

	(void)state;
	snprintf(image, sizeof image, "%s/image.qcow2", test_dir);
	test_write_str("image.qcow2", "the cloud image");
	snprintf(text, sizeof text, "root-disk { backing = \"%s\" }\n"
	    "cloud-init { }\n", image);
	snprintf(path, sizeof path, "%s/k.conf", pdir);
	test_write_str("vmtui/profiles/k.conf", text);
	data_file("k", "root.qcow2", "overlay of k");
	mkdir(data_path("k", "cloud-init"), 0700);
	test_write_str("data/vmtui/k/cloud-init/ssh_host_ed25519_key", "key");
	test_write_str("data/vmtui/k/cloud-init/known_hosts", "k key");
	test_write_str("data/vmtui/k/cloud-init/seed.iso", "seed");
	assert_int_equal(catalog_copy(pdir, "k", "k2", CATALOG_COPY_DISKS,
	    NULL, &cause), 0);
	assert_string_equal(slurp(data_path("k2", "root.qcow2")),
	    "overlay of k");
	assert_int_equal(access(data_path("k2", "cloud-init"), F_OK), -1);
	snprintf(path, sizeof path, "%s/k2.conf", pdir);
	assert_non_null(strstr(slurp(path), image));
	/* without its disks: its keys go all the same */
	mkdir(data_path("k2", "cloud-init"), 0700);
	test_write_str("data/vmtui/k2/cloud-init/known_hosts", "k2 key");
	assert_int_equal(catalog_delete(pdir, "k2", false, &cause), 0);
	assert_int_equal(access(data_path("k2", "root.qcow2"), F_OK), 0);
	assert_int_equal(access(data_path("k2", "cloud-init"), F_OK), -1);
	/* with them: all of its folder, never the image */
	assert_int_equal(catalog_delete(pdir, "k", true, &cause), 0);
	assert_int_equal(access(data_path("k", NULL), F_OK), -1);
	assert_string_equal(slurp(image), "the cloud image");
}

/* Host ports: a copy gets its own; new forwards avoid other machines'. */
static void
test_ports(void **state)
{
	struct catalog_ports	 ports;
	struct profile		*p;
	char			*cause = NULL, *note = NULL, path[700];

	(void)state;
	test_write_str("vmtui/profiles/h.conf", "forward { host-port = 2222 "
	    "guest-port = 22 }\nforward { host-port = 2223 guest-port = 80 "
	    "}\nforward { proto = \"udp\" host-port = 2222 guest-port = 53 "
	    "}\n");
	assert_int_equal(catalog_copy(pdir, "h", "h2", CATALOG_COPY, &note,
	    &cause), 0);
	assert_string_equal(note, "its forwards got host ports of their own");
	free(note);
	snprintf(path, sizeof path, "%s/h2.conf", pdir);
	assert_int_equal(profile_parse(path, &p, &cause), 0);
	assert_int_equal(p->forwards[0].host_port, 2224);
	assert_int_equal(p->forwards[1].host_port, 2225);
	assert_int_equal(p->forwards[2].host_port, 2223);	/* udp */
	profile_free(p);

	assert_int_equal(catalog_host_ports(pdir, "h2", &ports, &cause), 0);
	assert_string_equal(catalog_port_user(&ports, PROTO_TCP, 2222), "h");
	assert_null(catalog_port_user(&ports, PROTO_TCP, 2224));
	p = profile_new("n", "/");
	assert_int_equal(catalog_free_port(&ports, p, (size_t)-1, PROTO_TCP,
	    2222), 2224);
	profile_free(p);
	catalog_ports_free(&ports);
}

/* The SSH preset's port: past every machine's forwards and any listener. */
static void
test_ssh_port(void **state)
{
	struct sockaddr_in	 sa;
	struct profile		*p;
	long			 port;
	int			 fd, one = 1;

	(void)state;
	/* h forwards 2222 and 2223, h2 2224 and 2225 (test_ports) */
	p = profile_new("n", "/");
	assert_non_null(p);
	port = catalog_ssh_port(pdir, p, (size_t)-1);
	assert_true(port >= 2226);
	/* its own rows count too, but the row being set */
	assert_int_equal(profile_add_ssh_forward(p, port), 0);
	assert_true(catalog_ssh_port(pdir, p, (size_t)-1) > port);
	assert_int_equal(catalog_ssh_port(pdir, p, 0), port);
	/* something listening on this host: the next one */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    listen(fd, 1) == 0)
		assert_true(catalog_ssh_port(pdir, p, 0) > port);
	close(fd);
	profile_free(p);
}

/* A new machine's name: valid, and no profile's yet. */
static void
test_name_free(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(catalog_name_free(pdir, "fresh", &cause), 0);
	assert_null(cause);
	assert_int_equal(catalog_name_free(pdir, "b", &cause), -1);
	assert_non_null(strstr(cause, "there is a profile named b already"));
	free(cause);
	assert_int_equal(catalog_name_free(pdir, "a b", &cause), -1);
	assert_non_null(strstr(cause, "may only hold letters"));
	free(cause);
	assert_int_equal(catalog_name_free(pdir, "vm.conf", &cause), -1);
	assert_non_null(strstr(cause, "ends in .conf"));
	free(cause);
	assert_int_equal(catalog_name_free(pdir, ".hidden", &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_cloud),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_ssh_port),
		cmocka_unit_test(test_name_free),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
