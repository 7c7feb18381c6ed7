/*
 * hotplug: a disk attached to a running machine (blockdev-add, then
 * device_add of a virtio-blk-pci into a free PCIe root port) or taken away
 * (device_del, then blockdev-del once QEMU says DEVICE_DELETED).
 *
 * A launch keeps PLAN_HOTPLUG_PORTS root ports free and names every disk's
 * device (plan.c): a port holds one device, so query-pci says which are
 * free, and a machine started before has none and says so. The image is
 * made as the launch script makes it (missing: qemu-img create, never over
 * a file that exists) with the drive options the profile gives; its node
 * is vmtui-hpN, so that a node added here is told from the ones the launch
 * made (-drive's, which QEMU deletes with their device). Taking a disk
 * away needs the guest to let go of it: PCIe's attention button gives it
 * 5 s, and a guest may refuse. Not gone by the deadline, the disk stays
 * attached and its node with it; hotplug_reap deletes the nodes of
 * devices that have gone since. Images are never removed here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "diag.h"
#include "hotplug.h"
#include "paths.h"
#include "plan.h"
#include "qmp.h"
#include "resolve.h"
#include "spawn.h"
#include "strv.h"

#define HOTPLUG_NODE	"vmtui-hp%d"
#define HOTPLUG_NODES	64

/* The number of a root port of ours from its id, or -1. */
static int
hotplug_port_number(const char *id)
{
	char	*end;
	long	 k;

	if (id == NULL || strncmp(id, "vmtui-port", 10) != 0 ||
	    id[10] < '0' || id[10] > '9')
		return -1;
	k = strtol(id + 10, &end, 10);
	return *end == '\0' && k < PLAN_HOTPLUG_PORTS ? (int)k : -1;
}

/*
 * The first free root port: 0 with its number in *port, HOTPLUG_NO_PORTS
 * when the machine has none, HOTPLUG_PORTS_FULL when each holds a device,
 * -1 with the cause.
 */
int
hotplug_port(struct qmp *q, int *port, char **cause)
{
	json_t		*ret, *bus, *dev;
	size_t		 i, j;
	int		 n = 0, k;

	*port = -1;
	if (qmp_run(q, "query-pci", NULL, &ret, cause) != 0)
		return -1;
	json_array_foreach(ret, i, bus) {
		json_array_foreach(json_object_get(bus, "devices"), j, dev) {
			k = hotplug_port_number(json_string_value(
			    json_object_get(dev, "qdev_id")));
			if (k < 0)
				continue;
			n++;
			if (*port == -1 && json_array_size(json_object_get(
			    json_object_get(dev, "pci_bridge"), "devices")) == 0)
				*port = k;
		}
	}
	json_decref(ret);
	if (n == 0)
		return HOTPLUG_NO_PORTS;
	return *port == -1 ? HOTPLUG_PORTS_FULL : 0;
}

/* The node names QEMU has, into names. */
static int
hotplug_nodes(struct qmp *q, struct strv *names, char **cause)
{
	json_t		*ret, *node;
	const char	*name;
	size_t		 i;
	int		 r = 0;

	if (qmp_run(q, "query-named-block-nodes", json_pack("{s:b}", "flat",
	    1), &ret, cause) != 0)
		return -1;
	json_array_foreach(ret, i, node) {
		if ((name = json_string_value(json_object_get(node,
		    "node-name"))) != NULL && r == 0)
			r = strv_add(names, name);
	}
	json_decref(ret);
	return r == 0 ? 0 : diag_cause(cause, "out of memory");
}

/* The ids of the machine's devices that have one, into ids. */
int
hotplug_devices(struct qmp *q, struct strv *ids, char **cause)
{
	json_t		*ret, *child;
	const char	*name, *type;
	size_t		 i;
	int		 r = 0;

	if (qmp_run(q, "qom-list", json_pack("{s:s}", "path",
	    "/machine/peripheral"), &ret, cause) != 0)
		return -1;
	json_array_foreach(ret, i, child) {
		name = json_string_value(json_object_get(child, "name"));
		type = json_string_value(json_object_get(child, "type"));
		if (name != NULL && type != NULL && strncmp(type, "child<",
		    6) == 0 && r == 0)
			r = strv_add(ids, name);
	}
	json_decref(ret);
	return r == 0 ? 0 : diag_cause(cause, "out of memory");
}

/* A node name of ours no node has yet, into buf. */
static int
hotplug_new_node(struct qmp *q, char *buf, size_t len, char **cause)
{
	struct strv	names = { NULL, 0 };
	size_t		j;
	int		i;

	if (hotplug_nodes(q, &names, cause) != 0)
		return -1;
	for (i = 0; i < HOTPLUG_NODES; i++) {
		snprintf(buf, len, HOTPLUG_NODE, i);
		for (j = 0; j < names.n && strcmp(names.v[j], buf) != 0; j++)
			;
		if (j == names.n)
			break;
	}
	strv_free(&names);
	if (i == HOTPLUG_NODES)
		return diag_cause(cause, "%d disks were attached while it runs "
		    "already", HOTPLUG_NODES);
	return 0;
}

/*
 * The image at path made as the launch script makes it: nothing when a
 * file is there; else an empty file made (never over one), then
 * qemu-img create. 0, or -1 with the cause.
 */
static int
hotplug_image(const char *path, const char *format, long size, bool ro,
    char **cause)
{
	struct stat	 st;
	char		*dir, *slash, sz[32], *out = NULL;
	char		*argv[] = { "qemu-img", "create", "-q", "-f", NULL, "--",
			    NULL, sz, NULL };
	int		 fd, status;

	if (stat(path, &st) == 0)
		return 0;
	if (ro)
		return diag_cause(cause, "%s: no such image, and a read-only "
		    "disk is never made", path);
	if ((dir = strdup(path)) == NULL)
		return diag_cause(cause, "out of memory");
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		(void)paths_mkdirs(dir, 0700);
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd == -1)
		return diag_cause(cause, "cannot create %s: %s", path,
		    strerror(errno));
	close(fd);
	snprintf(sz, sizeof sz, "%ldM", size);
	argv[4] = (char *)format;
	argv[6] = (char *)path;
	if (spawn_output(argv, 1, &out, &status) != 0 || status != 0) {
		(void)unlink(path);
		if (out != NULL)
			out[strcspn(out, "\n")] = '\0';
		(void)diag_cause(cause, "qemu-img create %s: %s", path,
		    out != NULL && *out != '\0' ? out : status == 127 ?
		    "qemu-img is not installed" : "failed");
		free(out);
		return -1;
	}
	free(out);
	return 0;
}

/* blockdev-add's arguments for the image at path, as -drive has it. */
static json_t *
hotplug_blockdev(const char *node, const char *path, const char *format,
    const struct profile_drive *dr)
{
	bool	direct = dr->cache == CACHE_NONE || dr->cache ==
		    CACHE_DIRECTSYNC;

	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:b, s:b}, s:b, s:s}",
	    "driver", format, "node-name", node, "file", "driver", "file",
	    "filename", path, "cache", "direct", direct, "no-flush",
	    dr->cache == CACHE_UNSAFE, "read-only", dr->readonly, "discard",
	    dr->discard ? "unmap" : "ignore");
}

/*
 * Disk i of p (a running machine's profile) attached to it in root port
 * port: its image made when missing, its node added, its device in. 0, or
 * -1 with the cause (what was added goes again).
 */
int
hotplug_attach(struct qmp *q, const struct profile *p, size_t i, int port,
    char **cause)
{
	struct resolved		*r;
	const struct resolve_disk *d;
	const struct profile_drive *dr;
	const char		*format;
	json_t			*args;
	char			 node[32], bus[32], id[64], *why = NULL;
	bool			 wc;
	int			 ret = -1;

	if (resolve_machine(p, &r, cause) != 0)
		return -1;
	d = &r->disks[i];
	dr = d->drive;
	format = resolve_format(dr, "qcow2");
	if (d->path == NULL) {
		(void)diag_cause(cause, "disk \"%s\" is ephemeral", d->title);
		goto out;
	}
	if (hotplug_image(d->path, format, d->size, dr->readonly, cause) != 0 ||
	    hotplug_new_node(q, node, sizeof node, cause) != 0)
		goto out;
	if ((args = hotplug_blockdev(node, d->path, format, dr)) == NULL) {
		(void)diag_cause(cause, "out of memory");
		goto out;
	}
	if (qmp_run(q, "blockdev-add", args, NULL, cause) != 0)
		goto out;
	snprintf(bus, sizeof bus, PLAN_HOTPLUG_PORT, port);
	snprintf(id, sizeof id, PLAN_DEV_DISK, d->title);
	wc = dr->cache != CACHE_WRITETHROUGH && dr->cache != CACHE_DIRECTSYNC;
	args = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "driver",
	    "virtio-blk-pci", "drive", node, "id", id, "bus", bus,
	    "write-cache", wc ? "on" : "off", "werror", "report");
	if (args != NULL && *dr->serial != '\0')
		json_object_set_new(args, "serial", json_string(dr->serial));
	if (args == NULL || qmp_run(q, "device_add", args, NULL, cause) != 0) {
		if (args == NULL)
			(void)diag_cause(cause, "out of memory");
		(void)qmp_run(q, "blockdev-del", json_pack("{s:s}",
		    "node-name", node), NULL, &why);
		free(why);
		goto out;
	}
	ret = 0;
out:
	resolve_free(r);
	return ret;
}

/* The node under device id's block backend, into buf; "" when none. */
static int
hotplug_node_of(struct qmp *q, const char *id, char *buf, size_t len,
    char **cause)
{
	json_t		*ret, *blk;
	const char	*qdev, *node;
	char		 path[128];
	size_t		 i, n;

	*buf = '\0';
	n = (size_t)snprintf(path, sizeof path, "/machine/peripheral/%s", id);
	if (qmp_run(q, "query-block", NULL, &ret, cause) != 0)
		return -1;
	json_array_foreach(ret, i, blk) {
		qdev = json_string_value(json_object_get(blk, "qdev"));
		node = json_string_value(json_object_get(json_object_get(blk,
		    "inserted"), "node-name"));
		if (qdev != NULL && node != NULL && strncmp(qdev, path, n) ==
		    0 && (qdev[n] == '\0' || qdev[n] == '/'))
			snprintf(buf, len, "%s", node);
	}
	json_decref(ret);
	return 0;
}

/*
 * The disk title's device taken away from the running machine: 0 when the
 * guest let go of it within timeout_ms (its node deleted when it was ours),
 * 1 when it has not yet (it goes when the guest lets go; hotplug_reap
 * deletes the node then), -1 with the cause.
 */
int
hotplug_detach(struct qmp *q, const char *title, int timeout_ms,
    char **cause)
{
	char	 id[64], node[64], *why = NULL;
	int	 r;

	snprintf(id, sizeof id, PLAN_DEV_DISK, title);
	if (hotplug_node_of(q, id, node, sizeof node, cause) != 0 ||
	    qmp_run(q, "device_del", json_pack("{s:s}", "id", id), NULL,
	    cause) != 0)
		return -1;
	if ((r = qmp_event_wait(q, "DEVICE_DELETED", "device", id,
	    timeout_ms)) != 1)
		return r == 0 ? 1 : diag_cause(cause, "QMP: the machine has "
		    "gone");
	if (strncmp(node, "vmtui-hp", 8) == 0 && qmp_run(q, "blockdev-del",
	    json_pack("{s:s}", "node-name", node), NULL, &why) != 0)
		free(why);
	return 0;
}

/*
 * The nodes added here whose device has gone since (taken away, the guest
 * late to let go) deleted; what fails stays for the next time.
 */
void
hotplug_reap(struct qmp *q)
{
	struct strv	 names = { NULL, 0 };
	json_t		*ret, *blk;
	const char	*node;
	char		*why = NULL;
	size_t		 i, j;

	if (hotplug_nodes(q, &names, &why) != 0 ||
	    qmp_run(q, "query-block", NULL, &ret, &why) != 0) {
		free(why);
		strv_free(&names);
		return;
	}
	for (i = 0; i < names.n; i++) {
		if (strncmp(names.v[i], "vmtui-hp", 8) != 0)
			continue;
		json_array_foreach(ret, j, blk) {
			node = json_string_value(json_object_get(
			    json_object_get(blk, "inserted"), "node-name"));
			if (node != NULL && strcmp(node, names.v[i]) == 0)
				break;
		}
		if (j < json_array_size(ret))
			continue;
		if (qmp_run(q, "blockdev-del", json_pack("{s:s}", "node-name",
		    names.v[i]), NULL, &why) != 0) {
			free(why);
			why = NULL;
		}
	}
	json_decref(ret);
	strv_free(&names);
}
