/*
 * preflight: the checks of the host that validation does not make, run
 * just before a launch so that nothing starts when something would fail:
 * QEMU's binary (and qemu-img, nc where the script needs them; for
 * cloud-init ssh-keygen and libisofs), each host port of a forward free
 * to bind, the machine not running (its pidfile unlocked), /dev/kvm usable
 * when accel = kvm. Stale runtime files of a crashed run are removed on
 * the way.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "paths.h"
#include "chain.h"
#include "preflight.h"
#include "runtime.h"
#include "seed.h"
#include "spawn.h"

/* A program as exec would find it: a path, or a name on $PATH. */
char *
preflight_which(const char *prog)
{
	const char	*path = getenv("PATH");
	char		*copy, *dir, *save = NULL, *s;

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0 ? strdup(prog) : NULL;
	if (path == NULL || (copy = strdup(path)) == NULL)
		return NULL;
	for (dir = strtok_r(copy, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&s, "%s/%s", *dir ? dir : ".", prog) < 0)
			break;
		if (access(s, X_OK) == 0) {
			free(copy);
			return s;
		}
		free(s);
	}
	free(copy);
	return NULL;
}

/*
 * KVM for a guest of arch: the host's own architecture, a /dev/kvm we may
 * open, and (on x86) the CPU's vmx or svm flag; a /dev/kvm without it
 * fails or hangs at the first vCPU. The launch script asks the same.
 */
bool
preflight_kvm_usable(enum arch arch, char **why)
{
	struct utsname	 u;
	FILE		*f;
	char		 line[4096];
	bool		 flag = false;

	*why = NULL;
	if (uname(&u) != 0 || strcmp(u.machine, schema_arches[arch]) != 0) {
		if (asprintf(why, "the host is %s, the guest %s",
		    u.machine, schema_arches[arch]) < 0)
			*why = NULL;
		return false;
	}
	if (access("/dev/kvm", R_OK | W_OK) != 0) {
		if (asprintf(why, "/dev/kvm: %s", strerror(errno)) < 0)
			*why = NULL;
		return false;
	}
	if (arch != ARCH_X86_64)
		return true;
	if ((f = fopen("/proc/cpuinfo", "r")) != NULL) {
		while (!flag && fgets(line, sizeof line, f) != NULL)
			if (strncmp(line, "flags", 5) == 0 &&
			    (strstr(line, " vmx") != NULL ||
			    strstr(line, " svm") != NULL))
				flag = true;
		fclose(f);
	}
	if (!flag)
		*why = strdup("the CPU offers no virtualization (vmx or svm)");
	return flag;
}

/*
 * 0 when proto/port on the host address (IPv4, or IPv6 alone) is free to
 * bind, or the errno that says why not. As QEMU binds: SO_REUSEADDR, so
 * only a live user clashes.
 */
int
preflight_port_free(const char *address, int proto, long port)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		*sa;
	socklen_t		 len;
	int			 fd, one = 1, err = 0;

	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = sin.sin_port;
	if (inet_pton(AF_INET, address, &sin.sin_addr) == 1) {
		sa = (struct sockaddr *)&sin;
		len = sizeof sin;
	} else if (inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1) {
		sa = (struct sockaddr *)&sin6;
		len = sizeof sin6;
	} else
		return 0;	/* validation says what is wrong with it */
	fd = socket(sa->sa_family, (proto == PROTO_UDP ? SOCK_DGRAM :
	    SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sa->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, sa, len) != 0)
		err = errno;
	close(fd);
	return err;
}

/*
 * A port free on the loopback as "localhost" reaches it: 127.0.0.1, and
 * ::1 where the host has IPv6 (a service there alone would be what a
 * client of localhost meets). 0, or the errno.
 */
int
preflight_loopback_free(int proto, long port)
{
	int	err;

	if ((err = preflight_port_free("127.0.0.1", proto, port)) != 0)
		return err;
	err = preflight_port_free("::1", proto, port);
	return err == EADDRNOTAVAIL || err == EAFNOSUPPORT ? 0 : err;
}

static void
preflight_port(struct buf *b, const struct profile_forward *f)
{
	int	err;

	if ((err = preflight_port_free(f->host_address, (int)f->proto,
	    f->host_port)) == 0)
		return;
	buf_printf(b, "%sforward %s %s:%ld -> :%ld (line %d): ",
	    b->len ? "\n" : "", schema_protos[f->proto], f->host_address,
	    f->host_port, f->guest_port, f->lines.line);
	if (err == EADDRINUSE)
		buf_puts(b, "the host port is already in use; choose another "
		    "host-port, or stop what listens there");
	else if (err == EACCES)
		buf_puts(b, "ports below 1024 need root; choose a host-port "
		    "from 1024 up");
	else if (err == EADDRNOTAVAIL)
		buf_printf(b, "%s is not an address of this host",
		    f->host_address);
	else
		buf_puts(b, strerror(err));
}

static bool
preflight_exists(const char *path)
{
	struct stat	st;

	return path != NULL && stat(path, &st) == 0;
}

/* Whether the script will call qemu-img: some image is missing. */
static bool
preflight_needs_qemu_img(const struct plan *pl)
{
	const char	*image = getenv("VMTUI_DISK_IMAGE");
	size_t		 i;

	if (pl->root_disk && !preflight_exists(image != NULL && *image != '\0' ?
	    image : pl->root_image))
		return true;
	for (i = 0; i < pl->nimages; i++)
		if (pl->images[i].path == NULL ||
		    !preflight_exists(pl->images[i].path))
			return true;
	return false;
}

/* Whether QEMU (bin) lists the display backend name: its modules are in. */
static bool
preflight_has_display(const char *bin, const char *name)
{
	char	*argv[] = { (char *)bin, (char *)"-display", (char *)"help",
		    NULL };
	char	*out, *line, *save;
	bool	 found = false;
	int	 st;

	if (spawn_output(argv, 0, &out, &st) != 0)
		return false;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		found = found || strcmp(line, name) == 0;
	free(out);
	return found;
}

/* A window needs a desktop here, and QEMU's module for it. */
static void
preflight_display(struct buf *b, const struct profile *p,
    const struct plan *pl)
{
	const char	*name = schema_displays[p->display];
	const char	*x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");

	if (!p->graphics || (p->display != DISPLAY_GTK &&
	    p->display != DISPLAY_SDL))
		return;
	if ((x == NULL || *x == '\0') && (w == NULL || *w == '\0'))
		buf_printf(b, "%sdisplay = \"%s\" opens a window, and there is no "
		    "desktop here (DISPLAY and WAYLAND_DISPLAY are unset); use "
		    "display = \"vnc\" and a VNC viewer", b->len ? "\n" : "",
		    name);
	else if (!preflight_has_display(pl->binary, name))
		buf_printf(b, "%sthis QEMU has no %s display: apt-get install "
		    "qemu-system-gui, or use display = \"vnc\"",
		    b->len ? "\n" : "", name);
}

/* A note after the others (taken). */
static void
preflight_add_note(char **note, char *more)
{
	char	*both;

	if (more == NULL)
		return;
	if (*note == NULL) {
		*note = more;
		return;
	}
	if (asprintf(&both, "%s; %s", *note, more) >= 0) {
		free(*note);
		*note = both;
	}
	free(more);
}

/*
 * What a launch says of its folders: where the runtime files go when
 * /tmp/vmtui-UID is not the user's, and, for a profile elsewhere whose
 * machine had its disks in DATA/NAME under an earlier vmtui, that they
 * are there still and not used (its data folder is NAME@HASH now).
 */
static void
preflight_folders_note(const struct profile *p, char **note)
{
	struct paths_machine	 m;
	struct stat		 st;
	char			*s;

	preflight_add_note(note, paths_runtime_note());
	if (paths_machine(p->name, p->dir, p->file, &m) != 0)
		return;
	if (m.legacy_data != NULL && lstat(m.data, &st) != 0 &&
	    lstat(m.legacy_data, &st) == 0 && S_ISDIR(st.st_mode) &&
	    asprintf(&s, "%s keeps its disks in %s, not in %s as before "
	    "(a profile outside the profiles folder has folders of its "
	    "own): move them there to use them", p->name, m.data,
	    m.legacy_data) >= 0)
		preflight_add_note(note, s);
	paths_machine_free(&m);
}

/*
 * What the launch trusts (the profile, the files it boots, the machine's
 * data and state folders) checked again now, as paths_trust says: a
 * folder on the way that another user can change (a cache that was
 * renamed aside and planted since the install) stops the launch.
 */
static void
preflight_trust(struct buf *b, const struct profile *p)
{
	struct paths_machine	 m;
	const char		*files[] = { p->kernel, p->initrd, p->cdrom,
				    p->root_backing };
	char			*s, *why = NULL;
	size_t			 i;

	if (p->file != NULL && paths_trust(p->file, &why) != 0)
		goto bad;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (files[i] == NULL || *files[i] == '\0' ||
		    (s = profile_path(p, files[i])) == NULL)
			continue;
		if (paths_trust(s, &why) != 0) {
			free(s);
			goto bad;
		}
		free(s);
	}
	if (paths_machine(p->name, p->dir, p->file, &m) != 0)
		return;
	i = paths_trust(m.data, &why) != 0 || paths_trust(m.state, &why) != 0;
	paths_machine_free(&m);
	if (i == 0)
		return;
bad:
	buf_printf(b, "%s%s", b->len ? "\n" : "", why != NULL ? why :
	    "out of memory");
	free(why);
}

/*
 * All problems, one a line, in *cause (exit 1 material); a note that does
 * not stop the launch in *note.
 */
int
preflight_check(const struct profile *p, const struct plan *pl, char **note,
    char **cause)
{
	struct buf	 b;
	char		*s, *why = NULL;
	pid_t		 pid;
	size_t		 i;
	bool		 guestfwd = false;

	*note = NULL;
	/*
	 * Running: that is all there is to say (its QEMU holds its ports,
	 * which would otherwise read as "in use"), and how to see it.
	 */
	if (runtime_running(p, &pid)) {
		if (asprintf(cause, "%s is already running (pid %ld): \"vmtui "
		    "--attach %s\" shows it, \"vmtui --stop %s\" stops it",
		    p->name, (long)pid, p->name, p->name) < 0)
			*cause = strdup("out of memory");
		return -1;
	}
	runtime_clean_stale(p);
	buf_init(&b);
	if ((s = preflight_which(pl->binary)) == NULL) {
		if (strchr(pl->binary, '/') != NULL)
			buf_printf(&b, "QEMU binary %s is missing or not "
			    "executable; check qemu.binary", pl->binary);
		else
			buf_printf(&b, "%s is not installed: apt-get install "
			    "%s", pl->binary, p->arch == ARCH_AARCH64 ?
			    "qemu-system-arm" : "qemu-system-x86");
	}
	free(s);
	if (preflight_needs_qemu_img(pl)) {
		if ((s = preflight_which("qemu-img")) == NULL)
			buf_printf(&b, "%sqemu-img is not installed (the disk "
			    "images are made with it): apt-get install "
			    "qemu-utils", b.len ? "\n" : "");
		free(s);
	}
	for (i = 0; i < p->nforwards; i++) {
		if (p->forwards[i].from == FWD_GUEST)
			guestfwd = true;
		else
			preflight_port(&b, &p->forwards[i]);
	}
	if (guestfwd) {
		if ((s = preflight_which("nc")) == NULL)
			buf_printf(&b, "%snc is not installed (forwards from "
			    "the guest run it): apt-get install "
			    "netcat-openbsd", b.len ? "\n" : "");
		free(s);
	}
	preflight_display(&b, p, pl);
	preflight_trust(&b, p);
	/* cloud-init's seed: the host key by ssh-keygen, the volume by libisofs */
	if (p->has_cloud_init) {
		if ((s = preflight_which("ssh-keygen")) == NULL)
			buf_printf(&b, "%sssh-keygen is not installed (the "
			    "machine's host key for cloud-init is made with it): "
			    "apt-get install openssh-client", b.len ? "\n" : "");
		free(s);
		if (seed_available(&why) != 0)
			buf_printf(&b, "%scloud-init's seed cannot be written: "
			    "%s", b.len ? "\n" : "", why != NULL ? why : "?");
		free(why);
		why = NULL;
	}
	/* under accel = "tcg", whether KVM is there does not matter */
	if (p->accel != ACCEL_TCG && !preflight_kvm_usable(p->arch, &why)) {
		if (p->accel == ACCEL_KVM)
			buf_printf(&b, "%saccel = \"kvm\", but KVM is not "
			    "usable here (%s); set accel = \"auto\" or \"tcg\"",
			    b.len ? "\n" : "", why != NULL ? why : "?");
		else if (p->accel == ACCEL_AUTO &&
		    asprintf(note, "no KVM here (%s): %s runs under "
		    "emulation, slowly", why != NULL ? why : "?", p->name) < 0)
			*note = NULL;
	}
	free(why);
	why = NULL;
	/* what its images stand on: only what the profile names (chain.c) */
	if (chain_check(p, &why) != 0)
		buf_printf(&b, "%s%s", b.len ? "\n" : "", why != NULL ? why :
		    "out of memory");
	free(why);
	preflight_folders_note(p, note);
	if (b.failed) {
		buf_free(&b);
		*cause = strdup("out of memory");
		return -1;
	}
	if (b.len == 0) {
		buf_free(&b);
		return 0;
	}
	*cause = buf_finish(&b, NULL);
	return -1;
}
