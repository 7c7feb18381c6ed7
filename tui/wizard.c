/*
 * wizard: a new machine in six steps: name, what to boot (an operating
 * system from the catalog, downloaded and verified; an installer ISO, an
 * existing disk image, a kernel and initrd, the demo guest, or a ready
 * Linux machine from a cloud image: its system, then a summary with the
 * memory, cores and disk proposed from the entry and the host, and the
 * machine is downloaded, made and booted to a shell in the pane),
 * memory and cores (sized from this host), the root disk, an SSH forward,
 * and a summary. Each question is a step of w_steps[], asked only where
 * it applies to what boots: Esc goes back to the question before, whichever
 * path it is on, with every answer kept; Esc on the first leaves, and so
 * does the summary's Cancel. The result is saved like any profile, then
 * launched or edited if the person asks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autofwd.h"
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

/* The choices of what to boot, in w_boots' order. */
enum { W_OS, W_ISO, W_IMAGE, W_KERNEL, W_DEMO, W_CLOUD };

static const char *const w_boots[] = {
	"Install an operating system (downloaded and checked for you)",
	"An installer ISO (install an OS onto a new disk)",
	"An existing disk image",
	"A Linux kernel and initrd",
	"The demo guest (tiny busybox; built the first time)",
	"A ready Linux machine (cloud image: a shell in a minute or two)",
	NULL
};

/* The cloud image proposed first. */
#define W_CLOUD_FIRST	"debian-12-cloud"

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
	char		*trust;

	buf_init(&b);
	buf_printf(&b, "Name:    %s\n", p->name);
	if (os != NULL) {
		trust = osinstall_trust_words(os);
		buf_printf(&b, "Boots:   %s %s %s\n"
		    "Fetches: %ld MiB from %.*s (%s)\nChecked: %s\n",
		    os->kind == OSKIND_CLOUD ? "a ready" : "the installer of",
		    os->title, os->release, os->size,
		    (int)strcspn(os->url + 8, "/") + 8, os->url, os->sums,
		    trust != NULL ? trust : "?");
		free(trust);
	}
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
	else if (p->has_root_disk && os != NULL && os->kind == OSKIND_CLOUD)
		buf_printf(&b, "Disk:    %ld MiB, an overlay on the image "
		    "(kept once for every machine of it)\n", p->root_size);
	else if (p->has_root_disk)
		buf_printf(&b, "Disk:    a new image (%ld MiB)\n", p->root_size);
	else
		buf_puts(&b, "Disk:    none\n");
	strv_free(&own);
	if (port > 0)
		buf_printf(&b, "SSH:     127.0.0.1:%ld -> guest port 22\n", port);
	if (os != NULL && os->kind == OSKIND_CLOUD)
		buf_printf(&b, "Login:   vmtui --ssh %s, or the pane's console "
		    "(logged in)\n%s", p->name, os->shares_9p ? "" :
		    "Shares:  its kernel has no 9p: shared folders would not "
		    "be mounted (the \"standard kernel\" images have it)\n");
	if (autofwd_on(p))
		buf_puts(&b, "Ports:   the guest's, forwarded to 127.0.0.1 by "
		    "themselves: every local user\n         can reach them "
		    "(auto-forward = false turns it off)\n");
	return buf_finish(&b, NULL);
}

/*
 * An entry of the catalog, picked from a list (name, system, download
 * size) that starts on the entry named was. The catalog is read into cat
 * each time: a file added meanwhile is there. NULL on Esc or an empty
 * catalog.
 */
static const struct osentry *
w_pick_os(struct oscatalog *cat, const char *was, bool cloud)
{
	const char	**items;
	char		 *cause = NULL, **text;
	size_t		  i, n = 0, *at;
	int		  choice, sel = 0;

	oscatalog_free(cat);
	if (oscatalog_load_default(cat, &cause) != 0 && cat->n == 0) {
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
	at = calloc(cat->n, sizeof *at);
	/* the installers, or the cloud images: each in its own list */
	for (i = 0; items != NULL && text != NULL && at != NULL &&
	    i < cat->n; i++) {
		if ((cat->v[i].kind == OSKIND_CLOUD) != cloud)
			continue;
		if (asprintf(&text[n], "%-18s %s %s (%ld MiB)", cat->v[i].name,
		    cat->v[i].title, cat->v[i].release, cat->v[i].size) < 0)
			text[n] = NULL;
		items[n] = text[n] != NULL ? text[n] : cat->v[i].name;
		if (strcmp(cat->v[i].name, was) == 0 || (*was == '\0' &&
		    strcmp(cat->v[i].name, W_CLOUD_FIRST) == 0))
			sel = (int)n;
		at[n++] = i;
	}
	if (n == 0 && items != NULL && text != NULL && at != NULL)
		tui_message(true, "the catalog has no %s", cloud ?
		    "cloud image" : "installer");
	choice = n > 0 && items != NULL && text != NULL && at != NULL ?
	    tui_menu(cloud ? "Which system? (its cloud image, downloaded "
	    "once and checked)" : "Which operating system? (downloaded from "
	    "its distribution, then checked)", items, sel) : -1;
	for (i = 0; text != NULL && i < n; i++)
		free(text[i]);
	free(text);
	free(items);
	i = choice >= 0 ? at[choice] : 0;
	free(at);
	return choice >= 0 ? &cat->v[i] : NULL;
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

/* What a step asks next: the step before, this one again, the next. */
enum { W_BACK = -1, W_AGAIN = 0, W_ON = 1, W_END = 2 };

/* The wizard's answers, kept while the person goes back and forth. */
struct wizard {
	struct profile		*p;
	char			*dir;		/* the profiles folder */
	char			*file;		/* the new profile's */
	struct tui_next		*next;
	int			 boot;		/* a choice of w_boots */
	char			*iso, *image, *kernel, *initrd;
	bool			 graphics;	/* the installer's screen */
	struct oscatalog	 cat;
	const struct osentry	*os;		/* in cat */
	char			 os_name[64];	/* the entry picked last */
	char			 sized[80];	/* what memory was sized for */
	long			 suggest;	/* the memory it suggests */
	long			 disk_mib;	/* -1: not answered */
	int			 ssh;		/* 0: forward, 1: none */
	long			 port;		/* the SSH forward's, or 0 */
};

/*
 * Memory and cores as what boots suggests (tag says what that is), unless
 * they were sized for it already: what the person answered stays.
 */
static void
w_size_for(struct wizard *w, const char *tag, long memory, long cores)
{
	if (strcmp(w->sized, tag) == 0)
		return;
	snprintf(w->sized, sizeof w->sized, "%s", tag);
	w->p->memory = w->suggest = memory;
	w->p->cores = cores;
}

/* The name: valid, and no profile's (arg: the profiles folder). */
static int
w_check_name(const char *name, void *arg, char **cause)
{
	return catalog_name_free(arg, name, cause);
}

static int
w_name(struct wizard *w)
{
	char	*s;

	if ((s = tui_ask("Name of the new machine (letters, digits, . _ -):",
	    w->p->name, false, w_check_name, w->dir)) == NULL)
		return W_BACK;
	w_set(&w->p->name, s);
	free(w->file);
	if (asprintf(&w->file, "%s/%s.conf", w->dir, s) < 0)
		w->file = NULL;
	free(s);
	if (w->file == NULL)
		return W_BACK;
	return w_adopt(w->p->name) ? W_ON : W_AGAIN;
}

/* What to boot; what an earlier choice set is undone. */
static int
w_boot(struct wizard *w)
{
	struct profile	*p = w->p;
	int		 choice;

	if ((choice = tui_menu("What should it boot?", w_boots, w->boot)) < 0)
		return W_BACK;
	w->boot = choice;
	w->os = NULL;
	p->has_root_disk = false;
	p->installer = false;
	p->graphics = false;
	p->arch = ARCH_X86_64;
	p->boot_mode = BOOT_UNSET;
	w_set(&p->cdrom, "");
	w_set(&p->root_image, "");
	w_set(&p->kernel, "");
	w_set(&p->initrd, "");
	w_set(&p->append, "");
	if (choice != W_OS && choice != W_DEMO && choice != W_CLOUD)
		w_size_for(w, "host", w_memory(), w_cores());
	return W_ON;
}

static int
w_os(struct wizard *w)
{
	char	tag[sizeof w->sized];
	long	memory, cores;

	if ((w->os = w_pick_os(&w->cat, w->os_name, w->boot == W_CLOUD)) ==
	    NULL)
		return W_BACK;
	snprintf(w->os_name, sizeof w->os_name, "%s", w->os->name);
	snprintf(tag, sizeof tag, "os %s", w->os->name);
	if (strcmp(w->sized, tag) != 0)
		w->disk_mib = w->os->disk;	/* its disk as well */
	osinstall_size(w->os, &memory, &cores);
	w_size_for(w, tag, memory, cores);
	w->p->arch = (enum arch)w->os->arch;
	w->p->has_root_disk = true;
	if (w->boot == W_CLOUD) {
		/* asked no more: the summary proposes them, and changes */
		w->p->root_size = w->disk_mib;
		while (w->p->nforwards > 0)
			profile_remove_row(w->p, SCHEMA_FORWARD,
			    w->p->nforwards - 1);
		w->port = catalog_ssh_port(w->dir, w->p, (size_t)-1);
		if (profile_add_ssh_forward(w->p, w->port) != 0)
			w->port = 0;
	}
	return W_ON;
}

/* Ask for a file into answer, then set it in the profile as field. */
static int
w_ask_file(const char *question, char **answer, bool optional, char **field)
{
	char	*s;

	if ((s = w_file(question, *answer != NULL ? *answer : "",
	    optional)) == NULL)
		return W_BACK;
	free(*answer);
	*answer = s;
	w_set(field, s);
	return W_ON;
}

static int
w_iso(struct wizard *w)
{
	w->p->boot_mode = BOOT_CDROM;
	w->p->has_root_disk = true;
	return w_ask_file("The installer ISO:", &w->iso, false, &w->p->cdrom);
}

static int
w_screen(struct wizard *w)
{
	int	choice;

	/* most installers run on a serial console too */
	if ((choice = tui_menu("The installer's screen:", w_screens,
	    w->graphics ? 1 : 0)) < 0)
		return W_BACK;
	w->graphics = w->p->graphics = choice == 1;
	return W_ON;
}

static int
w_image(struct wizard *w)
{
	w->p->boot_mode = BOOT_DISK;
	w->p->has_root_disk = true;
	return w_ask_file("The disk image:", &w->image, false,
	    &w->p->root_image);
}

static int
w_kernel(struct wizard *w)
{
	w->p->boot_mode = BOOT_KERNEL;
	return w_ask_file("The kernel:", &w->kernel, false, &w->p->kernel);
}

static int
w_initrd(struct wizard *w)
{
	return w_ask_file("The initrd (empty for none):", &w->initrd, true,
	    &w->p->initrd);
}

/*
 * The demo guest, built the first time (not a question: going back
 * passes it by). Its init powers off on the ACPI power button
 * (vmtui.acpid=1, as examples/demo.conf), so that a stop is quick.
 */
static int
w_demo(struct wizard *w)
{
	char	*demo, *cause = NULL, path[4096];

	if (!demoguest_built(&demo)) {
		tui_progress("Building the demo guest", "a Debian kernel "
		    "(fetched once) and busybox: a minute or so", -2);
		if (demoguest_build(&demo, &cause) != 0) {
			tui_message(true, "%s", cause ? cause : "?");
			free(cause);
			return W_BACK;
		}
	}
	snprintf(path, sizeof path, "%s/vmlinux", demo);
	w_set(&w->p->kernel, path);
	snprintf(path, sizeof path, "%s/initrd.gz", demo);
	w_set(&w->p->initrd, path);
	free(demo);
	w_set(&w->p->append, "quiet vmtui.net=1 vmtui.serve=22 "
	    "vmtui.acpid=1");
	w->p->boot_mode = BOOT_KERNEL;
	w_size_for(w, "demo", 256, w_cores());
	return W_ON;
}

static int
w_memory_step(struct wizard *w)
{
	char	q[160];
	long	v;

	snprintf(q, sizeof q, "Memory (this host suggests %ld MiB; 512M and "
	    "2G are sizes too):", w->suggest);
	if (w_number(q, w->p->memory, "memory", true, &v) < 0)
		return W_BACK;
	w->p->memory = v;
	return W_ON;
}

static int
w_cores_step(struct wizard *w)
{
	long	v;

	if (w_number("Cores:", w->p->cores, "cores", false, &v) < 0)
		return W_BACK;
	w->p->cores = v;
	return W_ON;
}

/* The root disk: an installer needs one; a kernel may do without. */
static int
w_disk(struct wizard *w)
{
	bool	installs = w->boot == W_OS || w->boot == W_ISO;
	long	v;

	if (w_number(installs ? "Size of the disk to install onto (MiB, or "
	    "with a unit: 20G):" : "Size of a root disk (MiB, or with a unit: "
	    "8G; 0 for none):", w->disk_mib >= 0 ? w->disk_mib : installs ?
	    20480 : 0, installs ? "root-disk|size" : "root-disk|size?", true,
	    &v) < 0)
		return W_BACK;
	w->disk_mib = v;
	w->p->has_root_disk = v > 0;
	if (v > 0)
		w->p->root_size = v;
	return W_ON;
}

/*
 * The SSH forward, on a free port: the one proposed before, unless it was
 * taken meanwhile (the machine's own forward does not count).
 */
static int
w_ssh(struct wizard *w)
{
	const char	*items[3];
	char		 q[128];
	int		 choice;

	while (w->p->nforwards > 0)
		profile_remove_row(w->p, SCHEMA_FORWARD, w->p->nforwards - 1);
	w->port = catalog_ssh_port(w->dir, w->p, (size_t)-1);
	snprintf(q, sizeof q, "Yes: forward 127.0.0.1:%ld to the guest's port "
	    "22", w->port);
	items[0] = q;
	items[1] = "No";
	items[2] = NULL;
	if ((choice = tui_menu("Reach the guest's SSH from this host?", items,
	    w->ssh)) < 0)
		return W_BACK;
	w->ssh = choice;
	if (choice != 0 || profile_add_ssh_forward(w->p, w->port) != 0)
		w->port = 0;
	return W_ON;
}

/*
 * A cloud image's machine, asked from its summary: memory, cores and the
 * disk, as proposed; 1 when changed, -1 on Esc.
 */
static int
w_cloud_sizes(struct wizard *w)
{
	long	v;

	if (w_memory_step(w) != W_ON || w_cores_step(w) != W_ON ||
	    w_number("Size of its disk (MiB, or with a unit: 20G; never less "
	    "than the image's own):", w->p->root_size, "root-disk|size", true,
	    &v) < 0)
		return -1;
	w->disk_mib = w->p->root_size = v;
	return 1;
}

/* The summary, then save (launch, edit) or cancel. */
static int
w_finish(struct wizard *w)
{
	static const char *const finish[] = { "Save and launch it",
	    "Save and edit it", "Save", "Cancel: save nothing", NULL };
	static const char *const finish_cloud[] = { "Save and launch it",
	    "Save and edit it", "Save", "Change memory, cores or the disk",
	    "Cancel: save nothing", NULL };
	struct osinstall_files	 f;
	struct strv		 removed = { NULL, 0 };
	bool			 cloud = w->boot == W_CLOUD;
	char			*s, *cause = NULL, *downloads;
	int			 choice, i, r;
	size_t			 len;

	s = w_summary(w->p, w->os, w->port);
	erase();
	tui_draw_frame("vmtui - new machine: summary", NULL);
	for (i = 0; s != NULL && s[0]; i++) {
		len = strcspn(s, "\n");
		mvaddnstr(2 + i, 2, s, (int)len);
		memmove(s, s + len + (s[len] == '\n'),
		    strlen(s + len + (s[len] == '\n')) + 1);
	}
	free(s);
	refresh();
	/* below the summary, where it fits */
	if ((choice = tui_menu_at(3 + i, "Save this machine?", cloud ?
	    finish_cloud : finish, 0)) < 0)
		return W_BACK;
	if (cloud && choice == 3) {
		(void)w_cloud_sizes(w);	/* Esc keeps what there was */
		return W_AGAIN;
	}
	if (choice == (cloud ? 4 : 3))
		return W_END;
	if (w->os != NULL && w_download(w->p, w->os) != 0)
		return W_AGAIN;		/* the summary again, with why */
	memset(&f, 0, sizeof f);
	f.path[OSFILE_IMAGE] = w->p->root_backing;
	downloads = paths_downloads_dir();
	r = profile_create(w->p, w->file, &cause);
	if (r == 0 && w->os != NULL && downloads != NULL)
		r = osinstall_cloud_made(w->os, w->p, w->file, &f, w->dir,
		    downloads, &removed, &cause);
	free(downloads);
	strv_free(&removed);
	if (r != 0) {
		/* shown on the summary, which stays */
		tui_message(true, "%s", cause ? cause : "?");
		free(cause);
		return W_AGAIN;
	}
	tui_next_set(w->next, choice == 1 ? TUI_EDIT : choice == 0 ?
	    TUI_LAUNCH : TUI_BACK, w->file, w->p->name);
	tui_message(false, "saved %s", w->file);
	return W_END;
}

#define W_ALL		0
#define W_ONLY(c)	(1u << (c))
#define W_NOT(c)	(0xffu & ~W_ONLY(c))
#define W_FORWARD	0x100	/* passed by when going back */

/*
 * The steps, in order: the one the person is told (of 6), the choices of
 * what to boot it is asked for (W_ALL: every one), and the question.
 */
static const struct {
	int		 shown;
	unsigned	 when;
	int		(*run)(struct wizard *);
} w_steps[] = {
	{ 1, W_ALL, w_name },
	{ 2, W_ALL, w_boot },
	{ 2, W_ONLY(W_OS) | W_ONLY(W_CLOUD), w_os },
	{ 2, W_ONLY(W_ISO), w_iso },
	{ 2, W_ONLY(W_ISO), w_screen },
	{ 2, W_ONLY(W_IMAGE), w_image },
	{ 2, W_ONLY(W_KERNEL), w_kernel },
	{ 2, W_ONLY(W_KERNEL), w_initrd },
	{ 2, W_ONLY(W_DEMO) | W_FORWARD, w_demo },
	{ 3, W_NOT(W_CLOUD), w_memory_step },
	{ 3, W_NOT(W_CLOUD), w_cores_step },
	{ 4, W_ONLY(W_OS) | W_ONLY(W_ISO) | W_ONLY(W_KERNEL), w_disk },
	{ 5, W_NOT(W_CLOUD), w_ssh },
	{ 6, W_ALL, w_finish },
};
#define W_NSTEPS	((int)(sizeof w_steps / sizeof w_steps[0]))

/* Whether step i is asked on this path, going forward or back. */
static bool
w_applies(const struct wizard *w, int i, bool back)
{
	unsigned	when = w_steps[i].when;

	if (back && (when & W_FORWARD))
		return false;
	when &= ~(unsigned)W_FORWARD;
	return when == W_ALL || (when & W_ONLY(w->boot)) != 0;
}

/*
 * A new machine, saved: next selects it in the list, and sends it to the
 * launch view or the editor when the person asked. Nothing saved: back.
 */
void
wizard_run(struct tui_next *next)
{
	struct wizard	w;
	int		i = 0, r = W_ON, shown = 0;

	/* nothing saved: back to the list, as it was */
	free(next->file);
	next->file = NULL;
	next->go = TUI_BACK;
	memset(&w, 0, sizeof w);
	if ((w.dir = paths_profiles_dir()) == NULL)
		return;
	w.next = next;
	w.p = profile_new("new", w.dir);
	w.disk_mib = -1;
	w_size_for(&w, "host", w_memory(), w_cores());
	while (i >= 0 && i < W_NSTEPS && !tui_quit_requested()) {
		if (!w_applies(&w, i, r == W_BACK)) {
			i += r == W_BACK ? -1 : 1;
			continue;
		}
		/* a step tried again keeps the message that says why */
		if (w_steps[i].shown != shown)
			tui_message(false, "New machine, step %d of 6",
			    w_steps[i].shown);
		shown = w_steps[i].shown;
		erase();
		tui_draw_frame("vmtui - new machine", NULL);
		refresh();
		if ((r = w_steps[i].run(&w)) == W_END)
			break;
		i += r;
	}
	oscatalog_free(&w.cat);
	profile_free(w.p);
	free(w.iso);
	free(w.image);
	free(w.kernel);
	free(w.initrd);
	free(w.file);
	free(w.dir);
}
