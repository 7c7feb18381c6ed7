/*
 * wizard: a new machine in six steps: name, what to boot (an operating
 * system from the catalog, downloaded and verified; an installer ISO, an
 * existing disk image, a kernel and initrd, or the demo guest),
 * memory and cores (sized from this host), the root disk, an SSH forward,
 * and a summary. Esc goes back a step. The result is saved like any
 * profile, then launched or edited if the person asks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "demoguest.h"
#include "osinstall.h"
#include "paths.h"
#include "profile.h"
#include "profile_save.h"
#include "resolve.h"
#include "tui.h"
#include "wizard.h"

/* The installer's screen, for an ISO install. */
static const char *const w_screens[] = {
	"Text only: the serial console, in vmtui's pane",
	"Graphical too: a window on this desktop, or VNC when there is none",
	NULL
};

enum { W_NAME, W_BOOT, W_SIZE, W_DISK, W_SSH, W_SUMMARY, W_DONE };

/* The choices of what to boot, in w_boots' order. */
enum { W_OS, W_ISO, W_IMAGE, W_KERNEL, W_DEMO };

static const char *const w_boots[] = {
	"Install an operating system (downloaded and checked for you)",
	"An installer ISO (install an OS onto a new disk)",
	"An existing disk image",
	"A Linux kernel and initrd",
	"The demo guest (tiny busybox; built the first time)",
	NULL
};

/* A quarter of the host's memory, up to 4 GiB, in steps of 256 MiB. */
static long
w_memory(void)
{
	long	pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	long	mib = pages > 0 && size > 0 ? pages / 1024 * size / 1024 / 4 :
		    1024;

	if (mib > 4096)
		mib = 4096;
	mib -= mib % 256;
	return mib < 256 ? 256 : mib;
}

static long
w_cores(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n >= 2 ? 2 : 1;
}

/*
 * A new machine never takes over the disks an earlier machine of its name
 * left behind without being asked: true to go on with this name.
 */
static bool
w_adopt(const char *name)
{
	static const char *const items[] = { "Choose another name",
	    "Use them: the new machine boots from those disks", NULL };
	char	*data, q[1200];
	int	 choice;

	if (!catalog_data_taken(name, &data))
		return true;
	snprintf(q, sizeof q, "There is a data folder of an earlier machine "
	    "named %s, with its disks: %s", name, data);
	free(data);
	choice = tui_menu(q, items, 0);
	return choice == 1;
}

static void
w_set(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
}

/* An existing file, or with optional (arg) nothing. */
static int
w_check_file(const char *path, void *arg, char **cause)
{
	if ((arg != NULL && *path == '\0') || access(path, R_OK) == 0)
		return 0;
	if (asprintf(cause, "%s: no such file; Tab completes", path) < 0)
		*cause = NULL;
	return -1;
}

/*
 * Ask for an existing file, stored whole (a profile reads relative paths
 * from its own folder, not from here); NULL on Esc.
 */
static char *
w_file(const char *question, const char *initial, bool optional)
{
	char	*s, *abs;

	if ((s = tui_ask(question, initial, true, w_check_file, optional ?
	    (void *)"" : NULL)) == NULL)
		return NULL;
	abs = paths_absolute(s);
	free(s);
	return abs;
}

/*
 * A size with or without a unit, in MiB, checked as key path; a root
 * disk's may be 0 (none) when arg is "root-disk|size?".
 */
static int
w_check_size(const char *text, void *arg, char **cause)
{
	const char	*path = arg;
	char		 key[32];
	size_t		 n = strcspn(path, "?");
	long		 mib;

	if (schema_parse_size(text, &mib, cause) != 0)
		return -1;
	/* the key path without its "?" (a table's constant, short) */
	if (n >= sizeof key)
		n = sizeof key - 1;
	memcpy(key, path, n);
	key[n] = '\0';
	if (mib == 0 && strchr(path, '?') != NULL)
		return 0;
	return schema_check_int(schema_find(key), mib, cause);
}

/* A whole number, checked as key path. */
static int
w_check_number(const char *text, void *arg, char **cause)
{
	return schema_check_text(arg, text, cause);
}

/*
 * Ask for a number (a size, in MiB, with size): 1 with *v set, -1 on Esc.
 * A bad answer is asked again, with the reason.
 */
static int
w_number(const char *question, long def, const char *path, bool size,
    long *v)
{
	char	 text[32], *s, *cause = NULL;

	snprintf(text, sizeof text, "%ld", def);
	if ((s = tui_ask(question, text, false, size ? w_check_size :
	    w_check_number, (void *)path)) == NULL)
		return -1;
	if (size)
		schema_parse_size(s, v, &cause);
	else
		*v = strtol(s, NULL, 10);
	free(cause);
	free(s);
	return 1;
}

static char *
w_summary(const struct profile *p, const struct osentry *os, long port)
{
	struct strv	own = { NULL, 0 };
	struct buf	b;

	buf_init(&b);
	buf_printf(&b, "Name:    %s\n", p->name);
	if (os != NULL)
		buf_printf(&b, "Boots:   the installer of %s %s\n"
		    "Fetches: %ld MiB from %.*s (%s, %s)\n",
		    os->title, os->release, os->size,
		    (int)strcspn(os->url + 8, "/") + 8, os->url, os->sums,
		    osinstall_can_verify(os) ? "signed" : "checksum only");
	else if (profile_boot_mode(p) == BOOT_CDROM)
		buf_printf(&b, "Boots:   cdrom from %s\n", p->cdrom);
	else if (profile_boot_mode(p) == BOOT_KERNEL)
		buf_printf(&b, "Boots:   kernel %s%s%s\n", p->kernel, *p->initrd ?
		    "\n         initrd " : "", p->initrd);
	else
		buf_printf(&b, "Boots:   %s\n",
		    schema_bootmodes[profile_boot_mode(p)]);
	buf_printf(&b, "Screen:  %s\n", p->graphics ? "graphical too (a window "
	    "on a desktop, else VNC)" : "the serial console, in the pane");
	buf_printf(&b, "Memory:  %ld MiB, %ld core%s\n", p->memory, p->cores,
	    p->cores == 1 ? "" : "s");
	if (p->has_root_disk && *p->root_image != '\0')
		buf_printf(&b, "Disk:    %s\n", p->root_image);
	else if (p->has_root_disk && resolve_owned_files(p, &own) == 0 &&
	    own.n > 0 && strstr(own.v[0], "/" RESOLVE_ROOT_FILE) != NULL)
		buf_printf(&b, "Disk:    the existing image %s\n", own.v[0]);
	else if (p->has_root_disk)
		buf_printf(&b, "Disk:    a new image (%ld MiB)\n", p->root_size);
	else
		buf_puts(&b, "Disk:    none\n");
	strv_free(&own);
	if (port > 0)
		buf_printf(&b, "SSH:     127.0.0.1:%ld -> guest port 22\n", port);
	return buf_finish(&b, NULL);
}

/*
 * An entry of the catalog (loaded into cat the first time), picked from a
 * list: name, system, download size. NULL on Esc or an empty catalog.
 */
static const struct osentry *
w_pick_os(struct oscatalog *cat)
{
	const char	**items;
	char		 *cause = NULL, **text;
	size_t		  i;
	int		  choice;

	if (cat->n == 0 && oscatalog_load_default(cat, &cause) != 0 &&
	    cat->n == 0) {
		tui_message(true, "the catalog cannot be read: %s",
		    cause ? cause : "?");
		free(cause);
		return NULL;
	}
	if (cause != NULL) {
		/* a broken file of the person's own: its first problem */
		cause[strcspn(cause, "\n")] = '\0';
		tui_message(true, "left out: %s", cause);
		free(cause);
	}
	if (cat->n == 0) {
		tui_message(true, "the catalog is empty");
		return NULL;
	}
	items = calloc(cat->n + 1, sizeof *items);
	text = calloc(cat->n, sizeof *text);
	for (i = 0; items != NULL && text != NULL && i < cat->n; i++) {
		if (asprintf(&text[i], "%-16s %s %s (%ld MiB)", cat->v[i].name,
		    cat->v[i].title, cat->v[i].release, cat->v[i].size) < 0)
			text[i] = NULL;
		items[i] = text[i] != NULL ? text[i] : cat->v[i].name;
	}
	choice = items != NULL && text != NULL ? tui_menu("Which operating "
	    "system? (downloaded from its distribution, then checked)",
	    items, 0) : -1;
	for (i = 0; text != NULL && i < cat->n; i++)
		free(text[i]);
	free(text);
	free(items);
	return choice >= 0 ? &cat->v[choice] : NULL;
}

/* The progress dialog, as libcurl reports: nonzero cancels. */
static int
w_progress(void *arg, const char *what, long long done, long long total,
    double rate)
{
	const struct osentry	*os = arg;
	char			 title[128], text[160];
	int			 permille;

	if (done == -2)
		return 0;	/* there already, and checked */
	snprintf(title, sizeof title, "Downloading %s %s: %s", os->title,
	    os->release, what);
	permille = download_describe(text, sizeof text, done, total, rate);
	return tui_progress(title, text, permille) ? 1 : 0;
}

/*
 * The entry's files, downloaded and checked, into p (which then boots the
 * installer); the reason on the message line when not.
 */
static int
w_download(struct profile *p, const struct osentry *os)
{
	struct download_progress pr = { w_progress, (void *)os };
	struct osinstall_files	 f;
	char			*downloads, *cause = NULL;
	int			 r;

	if ((downloads = paths_downloads_dir()) == NULL)
		return -1;
	tui_progress("Downloading", os->sums, -2);
	r = osinstall_fetch(os, downloads, &pr, &f, &cause);
	free(downloads);
	touchwin(stdscr);
	if (r != 0) {
		tui_message(true, "%s", cause ? cause : "out of memory");
		free(cause);
		return -1;
	}
	r = osinstall_apply(p, os, &f);
	osinstall_files_free(&f);
	return r;
}

/*
 * A new machine, saved: next selects it in the list, and sends it to the
 * launch view or the editor when the person asked. Nothing saved: back.
 */
void
wizard_run(struct tui_next *next)
{
	static const char *const yesno[] = {
		"Yes: forward 127.0.0.1:PORT to the guest's port 22", "No",
		NULL };
	static const char *const finish[] = { "Save and launch it",
	    "Save and edit it", "Save", NULL };
	struct profile	*p;
	char		*dir, *dir2, *file = NULL, *s, *cause = NULL;
	char		 q[512], *demo;
	const char	*items[4];
	long		 port = 0, v, disk_mib = -1, suggest;
	int		 step = W_NAME, boot = 0, choice, i, shown = -1;
	struct oscatalog cat = { NULL, 0 };
	const struct osentry *os = NULL;
	bool		 installs;

	/* nothing saved: back to the list, as it was */
	free(next->file);
	next->file = NULL;
	next->go = TUI_BACK;
	if ((dir = paths_profiles_dir()) == NULL)
		return;
	p = profile_new("new", dir);
	p->memory = suggest = w_memory();
	p->cores = w_cores();
	while (step != W_DONE && step >= 0 && !tui_quit_requested()) {
		/* a step tried again keeps the message that says why */
		if (step != shown)
			tui_message(false, "New machine, step %d of 6",
			    step + 1);
		shown = step;
		erase();
		tui_draw_frame("vmtui - new machine", NULL);
		refresh();
		switch (step) {
		case W_NAME:
			s = tui_prompt("Name of the new machine (letters, digits, "
			    ". _ -):", p->name, false);
			if (s == NULL) {
				step = -1;
				break;
			}
			free(file);
			if (asprintf(&file, "%s/%s.conf", dir, s) < 0)
				file = NULL;
			if (schema_check_name(s, &cause) != 0)
				tui_message(true, "%s", cause ? cause : "?");
			else if (file != NULL && access(file, F_OK) == 0)
				tui_message(true, "there is a machine named %s "
				    "already", s);
			else if (w_adopt(s)) {
				w_set(&p->name, s);
				step++;
			}
			free(cause);
			cause = NULL;
			free(s);
			break;
		case W_BOOT:
			if ((choice = tui_menu("What should it boot?", w_boots,
			    boot)) < 0) {
				step--;
				break;
			}
			boot = choice;
			p->has_root_disk = false;
			p->installer = false;
			p->arch = ARCH_X86_64;
			os = NULL;
			if (boot == W_OS) {
				if ((os = w_pick_os(&cat)) == NULL)
					break;
				osinstall_size(os, &p->memory, &p->cores);
				suggest = p->memory;
				p->arch = (enum arch)os->arch;
				p->graphics = false;
				p->has_root_disk = true;
				disk_mib = p->root_size = os->disk;
			} else if (boot == W_ISO) {
				if ((s = w_file("The installer ISO:", p->cdrom,
				    false)) == NULL)
					break;
				w_set(&p->cdrom, s);
				free(s);
				/* most installers run on a serial console too */
				if ((choice = tui_menu("The installer's screen:",
				    w_screens, p->graphics ? 1 : 0)) < 0)
					break;
				p->graphics = choice == 1;
				p->boot_mode = BOOT_CDROM;
				p->has_root_disk = true;
				p->root_size = 20480;
			} else if (boot == W_IMAGE) {
				if ((s = w_file("The disk image:", p->root_image,
				    false)) == NULL)
					break;
				w_set(&p->root_image, s);
				free(s);
				p->boot_mode = BOOT_DISK;
				p->has_root_disk = true;
			} else if (boot == W_KERNEL) {
				if ((s = w_file("The kernel:", p->kernel,
				    false)) == NULL)
					break;
				w_set(&p->kernel, s);
				free(s);
				if ((s = w_file("The initrd (empty for none):",
				    p->initrd, true)) == NULL)
					break;
				w_set(&p->initrd, s);
				free(s);
				p->boot_mode = BOOT_KERNEL;
			} else {
				if (!demoguest_built(&demo)) {
					tui_progress("Building the demo guest",
					    "a Debian kernel (fetched once) and "
					    "busybox: a minute or so", -2);
					if (demoguest_build(&demo, &cause) != 0) {
						tui_message(true, "%s", cause ?
						    cause : "?");
						free(cause);
						cause = NULL;
						break;
					}
				}
				snprintf(q, sizeof q, "%s/vmlinux", demo);
				w_set(&p->kernel, q);
				snprintf(q, sizeof q, "%s/initrd.gz", demo);
				w_set(&p->initrd, q);
				w_set(&p->append, "quiet vmtui.net=1 "
				    "vmtui.serve=22");
				p->boot_mode = BOOT_KERNEL;
				p->memory = suggest = 256;
				free(demo);
			}
			step++;
			break;
		case W_SIZE:
			snprintf(q, sizeof q, "Memory (this host suggests %ld "
			    "MiB; 512M and 2G are sizes too):", suggest);
			if (w_number(q, p->memory, "memory", true, &v) < 0) {
				step--;
				break;
			}
			p->memory = v;
			if (w_number("Cores:", p->cores, "cores", false,
			    &v) < 0)
				break;	/* Esc: memory again */
			p->cores = v;
			step++;
			break;
		case W_DISK:
			if (boot == W_IMAGE || boot == W_DEMO) {	/* a disk, or none */
				step++;
				break;
			}
			/* an installer needs a disk; a kernel may do without */
			installs = boot == W_OS || boot == W_ISO;
			if (w_number(installs ? "Size of the disk to install "
			    "onto (MiB, or with a unit: 20G):" : "Size of a root "
			    "disk (MiB, or with a unit: 8G; 0 for none):",
			    disk_mib >= 0 ? disk_mib : installs ? 20480 : 0,
			    installs ? "root-disk|size" : "root-disk|size?",
			    true, &v) < 0) {
				step--;
				break;
			}
			disk_mib = v;
			p->has_root_disk = v > 0;
			if (v > 0)
				p->root_size = v;
			step++;
			break;
		case W_SSH:
			dir2 = paths_profiles_dir();
			port = catalog_ssh_port(dir2, p, (size_t)-1);
			free(dir2);
			snprintf(q, sizeof q, "Yes: forward 127.0.0.1:%ld to the "
			    "guest's port 22", port);
			items[0] = q;
			items[1] = yesno[1];
			items[2] = NULL;
			if ((choice = tui_menu("Reach the guest's SSH from this "
			    "host?", items, 0)) < 0) {
				step--;
				break;
			}
			while (p->nforwards > 0)
				profile_remove_row(p, SCHEMA_FORWARD,
				    p->nforwards - 1);
			if (choice != 0 || profile_add_ssh_forward(p, port) != 0)
				port = 0;
			step++;
			break;
		case W_SUMMARY:
			s = w_summary(p, os, port);
			erase();
			tui_draw_frame("vmtui - new machine: summary", NULL);
			for (i = 0; s != NULL && s[0]; i++) {
				size_t len = strcspn(s + 0, "\n");

				mvaddnstr(2 + i, 2, s, (int)len);
				memmove(s, s + len + (s[len] == '\n'),
				    strlen(s + len + (s[len] == '\n')) + 1);
			}
			free(s);
			refresh();
			/* below the summary, where it fits */
			if ((choice = tui_menu_at(3 + i, "Save this machine?",
			    finish, 0)) < 0) {
				step--;
				break;
			}
			if (os != NULL && w_download(p, os) != 0)
				break;	/* the summary again, with why */
			if (profile_create(p, file, &cause) != 0) {
				/* shown on the summary, which stays */
				tui_message(true, "%s", cause ? cause : "?");
				free(cause);
				cause = NULL;
				break;
			}
			tui_next_set(next, choice == 1 ? TUI_EDIT : choice == 0 ?
			    TUI_LAUNCH : TUI_BACK, file, p->name);
			tui_message(false, "saved %s", file);
			step = W_DONE;
			break;
		}
	}
	oscatalog_free(&cat);
	profile_free(p);
	free(file);
	free(dir);
}
