/*
 * browser: the profile list, where vmtui starts. Each profile shows its
 * name, memory, cores, boot mode and state; the panel beside it shows the
 * selected one in detail, or the FILE:LINE problems of one that does not
 * load (listed, never fatal). Keys as DESIGN.md names them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic.h"
#include "autofwd.h"
#include "browser.h"
#include "domxml.h"
#include "virthost.h"
#include "buf.h"
#include "catalog.h"
#include "current.h"
#include "fields.h"
#include "guestssh.h"
#include "keys.h"
#include "paths.h"
#include "plan.h"
#include "profile.h"
#include "quote.h"
#include "resolve.h"
#include "runtime.h"
#include "script.h"
#include "tui.h"
#include "utf8.h"
#include "validate.h"

struct entry {
	char		*name;
	char		*file;
	struct profile	*p;		/* NULL: broken */
	struct profile	*stub;		/* broken: its identity, for its state */
	char		*problems;
	struct runtime_state st;
	char		*state;		/* st as text */
	bool		 elsewhere;	/* running, its profile not in dir */
};

static struct entry	*entries;
static size_t		 nentries;
static char		*dir;
static size_t		 nrunning;	/* machines running at the scan */

static void
browser_clear(void)
{
	size_t	i;

	for (i = 0; i < nentries; i++) {
		free(entries[i].name);
		free(entries[i].file);
		profile_free(entries[i].p);
		profile_free(entries[i].stub);
		free(entries[i].problems);
		free(entries[i].state);
		runtime_state_free(&entries[i].st);
	}
	free(entries);
	entries = NULL;
	nentries = 0;
}

/* The profile that says which machine e is (its folders), or NULL. */
static const struct profile *
browser_machine(const struct entry *e)
{
	return e->p != NULL ? e->p : e->stub;
}

/*
 * A machine running whose profile is not in the profiles folder, as an
 * entry: the profile taken over, or, when it does not load or is not
 * known, why.
 */
static void
browser_other(struct entry *e, struct catalog_other *o)
{
	e->elsewhere = true;
	e->name = o->name;
	e->file = o->file != NULL ? o->file : strdup("?");
	e->p = o->p;
	e->problems = o->why;
	o->name = o->file = o->why = NULL;
	o->p = NULL;
	if (e->p != NULL && runtime_state(e->p, &e->st) == 0)
		e->state = runtime_state_text(&e->st);
	else {
		e->st.running = true;
		e->st.pid = o->pid;
		e->state = runtime_state_text(&e->st);
	}
}

/* How many machines run in the runtime folders, whatever their profile. */
static size_t
browser_count_running(void)
{
	struct runtime_found	*found;
	size_t			 n;

	if (runtime_find(&found, &n) != 0)
		return 0;
	runtime_found_free(found, n);
	return n;
}

static void
browser_scan(void)
{
	struct strv		 names = { NULL, 0 };
	struct catalog_other	*others = NULL;
	char			*cause = NULL;
	size_t			 i, nothers = 0;

	browser_clear();
	if (catalog_names(dir, &names, &cause) != 0) {
		tui_message(true, "%s", cause ? cause : "?");
		free(cause);
	}
	if (catalog_others(dir, &others, &nothers) != 0)
		nothers = 0;
	entries = calloc(names.n + nothers + 1, sizeof *entries);
	for (i = 0; entries != NULL && i < names.n; i++) {
		struct entry *e = &entries[nentries++];

		e->name = strdup(names.v[i]);
		if (asprintf(&e->file, "%s/%s.conf", dir, names.v[i]) < 0)
			e->file = NULL;
		if (validate_load(e->file, &e->p, &e->problems) != 0)
			e->p = NULL;
		/* a broken one may run: its identity is its file's */
		if (e->p == NULL)
			e->stub = catalog_machine(dir, e->name);
		if (browser_machine(e) != NULL &&
		    runtime_state(browser_machine(e), &e->st) == 0)
			e->state = runtime_state_text(&e->st);
	}
	/* and every machine running whose profile is elsewhere */
	for (i = 0; entries != NULL && i < nothers; i++)
		browser_other(&entries[nentries++], &others[i]);
	catalog_others_free(others, nothers);
	nrunning = browser_count_running();
	strv_free(&names);
}

/* What the list says of a machine's state: running, paused, ..., or "". */
static const char *
browser_live(const struct entry *e)
{
	return runtime_state_word(&e->st);
}

static bool
browser_running(const struct entry *e)
{
	return *browser_live(e) != '\0';
}

/* "FILE:LINE: what" as "line LINE: what": the file is named once above. */
static void
browser_problems(struct buf *b, const struct entry *e)
{
	const char	*line, *end, *rest;
	size_t		 flen = strlen(e->file);

	buf_printf(b, "%s.conf does not load:\n\n", e->name);
	for (line = e->problems ? e->problems : "?"; *line != '\0';
	    line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		rest = line;
		if (strncmp(line, e->file, flen) == 0 && line[flen] == ':') {
			rest = line + flen + 1;
			if (*rest >= '0' && *rest <= '9')
				buf_puts(b, "line ");
			else
				rest++;
		}
		buf_add(b, rest, (size_t)(end - rest));
		buf_putc(b, '\n');
	}
}

/* Another machine that forwards the host port of f, or NULL. */
static const char *
browser_port_user(const struct entry *self, const struct profile_forward *f)
{
	const struct profile	*q;
	size_t			 i, k;

	for (i = 0; i < nentries; i++) {
		if (&entries[i] == self || (q = entries[i].p) == NULL)
			continue;
		for (k = 0; k < q->nforwards; k++)
			if (q->forwards[k].from == FWD_HOST &&
			    q->forwards[k].proto == f->proto &&
			    q->forwards[k].host_port == f->host_port)
				return entries[i].name;
	}
	return NULL;
}

/* An argument as a shell word, control characters escaped: " WORD". */
static void
browser_word(struct buf *b, const char *arg)
{
	char	*e = fields_encode(arg, 0), *q = NULL;

	if (e != NULL && (*e == '\0' || strpbrk(e, " '\"$\\`") != NULL))
		q = quote_shell_word(e);
	buf_printf(b, " %s", q != NULL ? q : e != NULL ? e : "?");
	free(q);
	free(e);
}

/* what, then a value as one line, its control characters escaped */
static void
browser_text(struct buf *b, const char *what, const char *value)
{
	buf_puts(b, what);
	utf8_escape_into(b, value, UTF8_ESC_NEWLINE);
}

/*
 * The details of a machine: the facts (its files, disks, shares, ...)
 * first, each value on its line escaped, and the description last, on
 * one line that the caller cuts to the width (about): a description
 * never pushes a fact off the pane, nor poses as one.
 */
static void
browser_details(struct buf *b, const struct entry *e, char **about)
{
	const struct profile	*p = e->p;
	const char		*other;
	struct buf		 line;
	char			*text, mac[RESOLVE_MAC_LEN];
	size_t			 i;

	*about = NULL;
	if (p == NULL && e->elsewhere) {
		buf_printf(b, "%s\n\nstate:    %s\nprofile:  %s, not in the "
		    "profiles folder\n\n%s\n", e->name, e->state ? e->state :
		    "?", e->file, e->problems ? e->problems : "?");
		return;
	}
	if (p == NULL) {
		browser_problems(b, e);
		return;
	}
	buf_printf(b, "%s\n", p->name);
	browser_text(b, "file:     ", e->file);
	if (e->elsewhere)
		buf_puts(b, " (not in the profiles folder)");
	buf_putc(b, '\n');
	buf_printf(b, "state:    %s\n", e->state ? e->state : "?");
	if (e->st.running && (text = runtime_display(p)) != NULL) {
		buf_printf(b, "display:  %s\n", text);
		free(text);
	}
	if (e->st.running && (text = current_pending(p)) != NULL) {
		buf_printf(b, "changed:  %s (applies at the next start)\n",
		    text);
		free(text);
	}
	if (e->st.running && (text = autofwd_text(p)) != NULL) {
		buf_printf(b, "ports:    %s (forwarded on their own)\n", text);
		free(text);
	}
	buf_printf(b, "machine:  %s, %ld MiB, %ld core%s, accel %s%s\n",
	    schema_arches[p->arch], p->memory, p->cores, p->cores == 1 ? "" :
	    "s", schema_accels[p->accel], p->graphics ? ", display" : "");
	buf_printf(b, "boot:     %s", schema_bootmodes[profile_boot_mode(p)]);
	if (profile_boot_mode(p) == BOOT_KERNEL)
		browser_text(b, " ", p->kernel);
	else if (profile_boot_mode(p) == BOOT_CDROM)
		browser_text(b, " ", p->cdrom);
	buf_puts(b, "\ndisks:    ");
	if (!p->has_root_disk && p->ndisks == 0)
		buf_puts(b, "none");
	if (p->has_root_disk) {
		browser_text(b, "root ", *p->root_image ? p->root_image :
		    "(default place)");
		buf_printf(b, " (%ld MiB, %s)", p->root_size,
		    schema_diskifs[p->disk_interface]);
	}
	if (p->has_root_disk && *p->root_backing != '\0')
		browser_text(b, "\n          standing on ", p->root_backing);
	for (i = 0; i < p->ndisks; i++)
		buf_printf(b, "%s%s %ld MiB%s", p->has_root_disk || i ? ", " :
		    "", p->disks[i].title, p->disks[i].size,
		    p->disks[i].ephemeral ? " (ephemeral)" : "");
	buf_puts(b, "\nshares:   ");
	if (p->nshares == 0)
		buf_puts(b, "none");
	for (i = 0; i < p->nshares; i++) {
		buf_printf(b, "%s%s", i ? "\n          " : "",
		    p->shares[i].tag);
		browser_text(b, " ", p->shares[i].source);
		browser_text(b, " -> ", *p->shares[i].target ?
		    p->shares[i].target : "(not set)");
		buf_puts(b, p->shares[i].readonly ? " (read-only)" : "");
	}
	buf_puts(b, "\nforwards: ");
	if (p->nforwards == 0)
		buf_puts(b, "none");
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];

		buf_puts(b, i ? "\n          " : "");
		text = profile_forward_text(f);
		buf_puts(b, text != NULL ? text : "?");
		free(text);
		if (f->from == FWD_HOST &&
		    (other = browser_port_user(e, f)) != NULL)
			buf_printf(b, " (warning: %s forwards it too; the two "
			    "cannot run at once)", other);
	}
	buf_printf(b, "\nnetwork:  %s%s\n", schema_networks[p->network],
	    p->restrict_network ? ", restricted" : "");
	if (p->qemu_imported_options.n > 0) {
		buf_puts(b, "raw QEMU arguments from an import (QEMU runs them "
		    "as they are):");
		for (i = 0; i < p->qemu_imported_options.n; i++)
			browser_word(b, p->qemu_imported_options.v[i]);
		buf_putc(b, '\n');
	}
	for (i = 0; i < p->vlans.n; i++) {
		resolve_vlan_mac(p->name, p->vlans.v[i], mac);
		buf_printf(b, "%s%ld (MAC %s)", i ? ", " : "vlans:    ",
		    p->vlans.v[i], mac);
	}
	if (p->vlans.n > 0)
		buf_putc(b, '\n');
	if (*p->description != '\0') {
		buf_init(&line);
		browser_text(&line, "about:    ", p->description);
		*about = buf_finish(&line, NULL);
	}
}

/* Write line from (y, x) in width w, wrapped at spaces; the next y. */
static int
browser_wrap(int y, int x, int w, int last, const char *line)
{
	size_t	len = strlen(line), n;

	if (len == 0)
		return y + 1;
	while (len > 0 && y <= last) {
		n = len;
		if ((int)n > w) {
			/* at a space; else after a '/' of a path; else cut */
			n = (size_t)w;
			while (n > 0 && line[n] != ' ')
				n--;
			if (n == 0)
				for (n = (size_t)w; n > 1 && line[n - 1] != '/';
				    n--)
					;
			if (n <= 1)
				n = (size_t)w;
		}
		mvaddnstr(y++, x, line, (int)n);
		line += n;
		len -= n;
		while (len > 0 && *line == ' ') {
			line++;
			len--;
		}
	}
	return y;
}

/* Write line at (y, x), cut to w bytes at a character's start. */
static void
browser_cut(int y, int x, int w, const char *line)
{
	size_t	n = strlen(line);

	if (w <= 0)
		return;
	if (n > (size_t)w) {
		n = (size_t)w;
		while (n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80)
			n--;
	}
	mvaddnstr(y, x, line, (int)n);
}

/*
 * The list's columns for a width: memory, cores and boot mode while they
 * fit whole beside a name of at least 10 characters, the name 16 at most;
 * the state follows as far as it fits.
 */
static void
browser_columns(int width, int *namew, int *ncols)
{
	static const int	 w[] = { 7, 5, 7 };
	int			 used = 0, longest;
	size_t			 i;
	bool			 live;

	for (*ncols = 0; *ncols < 3 && 10 + used + w[*ncols] + 1 <= width;
	    (*ncols)++)
		used += w[*ncols] + 1;
	*namew = width - used;
	if (*namew > 16)
		*namew = 16;
	/*
	 * With a machine running, no wider than the longest name: its
	 * state keeps its room.
	 */
	for (i = 0, longest = 4, live = false; i < nentries; i++) {
		if ((int)strlen(entries[i].name) > longest)
			longest = (int)strlen(entries[i].name);
		live = live || browser_running(&entries[i]);
	}
	if (live && *namew > longest)
		*namew = longest;
	if (*namew < 4)
		*namew = 4;
}

/* One row of the list; a name too long for its column ends in "~". */
static void
browser_row(int y, int namew, int ncols, const char *name, const char *mem,
    const char *cores, const char *boot, const char *state)
{
	char	row[256];
	int	n;

	if ((int)strlen(name) > namew)
		n = snprintf(row, sizeof row, "%.*s~", namew - 1, name);
	else
		n = snprintf(row, sizeof row, "%-*s", namew, name);
	if (ncols > 0)
		n += snprintf(row + n, sizeof row - (size_t)n, " %7s", mem);
	if (ncols > 1)
		n += snprintf(row + n, sizeof row - (size_t)n, " %5s", cores);
	if (ncols > 2)
		n += snprintf(row + n, sizeof row - (size_t)n, " %-7s%s%s",
		    boot, *state ? " " : "", state);
	mvaddnstr(y, 1, row, COLS * 45 / 100 - 2);
}

static void
browser_draw(size_t sel, size_t top)
{
	struct tui_key	 bar[16];
	struct buf	 b;
	char		 title[256], *text, *line, *about = NULL;
	int		 listw = COLS * 45 / 100, rows = LINES - 4, y, namew, ncols;
	size_t		 i;

	erase();
	snprintf(title, sizeof title, "vmtui - %zu machine%s in %s", nentries,
	    nentries == 1 ? "" : "s", dir);
	browser_columns(listw - 2, &namew, &ncols);
	attrset(tui_attr(THEME_LABEL));
	browser_row(1, namew, ncols, "NAME", "MEMORY", "CORES", "BOOT", "");
	for (i = top; i < nentries && (int)(i - top) < rows - 1; i++) {
		const struct entry *e = &entries[i];
		char mem[16], cores[16];

		y = (int)(i - top) + 2;
		tui_fill(stdscr, y, 0, listw, i == sel ? THEME_LIST_SELECTED :
		    e->p == NULL ? THEME_STATUS_BROKEN : THEME_LIST);
		if (e->p != NULL) {
			snprintf(mem, sizeof mem, "%ldM", e->p->memory);
			snprintf(cores, sizeof cores, "%ld", e->p->cores);
			browser_row(y, namew, ncols, e->name, mem, cores,
			    schema_bootmodes[profile_boot_mode(e->p)],
			    browser_live(e));
		} else
			browser_row(y, namew, ncols, e->name, "-", "-",
			    "broken", "");
	}
	if (nentries == 0) {
		/* no details to show: the whole width says what to do */
		attrset(tui_attr(THEME_NORMAL));
		mvaddnstr(3, 1, "No machines yet: press n to make one.",
		    COLS - 2);
	} else {
		attrset(tui_attr(THEME_BORDER));
		mvvline(1, listw, ACS_VLINE, rows + 1);
	}
	if (sel < nentries) {
		buf_init(&b);
		browser_details(&b, &entries[sel], &about);
		if ((text = buf_finish(&b, NULL)) != NULL) {
			attrset(tui_attr(entries[sel].p ? THEME_DETAILS :
			    THEME_STATUS_BROKEN));
			y = 1;
			for (line = strtok(text, "\n"); line && y <= rows;
			    line = strtok(NULL, "\n"))
				y = browser_wrap(y, listw + 2, COLS - listw - 3,
				    rows, line);
			if (about != NULL && y <= rows)
				browser_cut(y, listw + 2, COLS - listw - 3,
				    about);
			free(text);
		}
		free(about);
	}
	keys_bar(browser_keys, sel < nentries &&
	    browser_running(&entries[sel]), bar, sizeof bar / sizeof bar[0]);
	tui_draw_frame(title, bar);
	refresh();
}

static char *
browser_script(const struct entry *e)
{
	struct plan	*pl;
	char		*text, *cause = NULL;

	if (e->p == NULL)
		return strdup(e->problems ? e->problems : "?");
	if (plan_build(e->p, &pl, &cause) != 0)
		return cause;
	text = script_render(pl);
	plan_free(pl);
	return text;
}

enum {
	B_UP = 1, B_DOWN, B_HOME, B_END, B_OPEN, B_EDIT, B_NEW, B_LAUNCH,
	B_ATTACH, B_COPY, B_RENAME, B_DELETE, B_SCRIPT, B_SNAPSHOTS, B_LIBVIRT, B_HELP, B_QUIT,
	B_SSH
};

/* The list's keys: dispatch, key bar (a running machine: bar_alt), help. */
const struct keys_def browser_keys[] = {
	{ "Up or k", { KEY_UP, 'k' }, B_UP, NULL, NULL,
	  "the machine above", NULL },
	{ "Down or j", { KEY_DOWN, 'j' }, B_DOWN, NULL, NULL,
	  "the machine below", NULL },
	{ "Home", { KEY_HOME }, B_HOME, NULL, NULL, "the first machine", NULL },
	{ "End", { KEY_END }, B_END, NULL, NULL, "the last machine", NULL },
	{ "Enter", { '\r', '\n', KEY_ENTER }, B_OPEN, "edit", "show",
	  "edit it: memory, cores, disks, shared folders, port forwards, how "
	  "it boots; on a running machine: show it", NULL },
	{ "e", { 'e' }, B_EDIT, NULL, "edit",
	  "edit it, running or not (forwards and virtio disks change at once, "
	  "the rest at the next launch)", NULL },
	{ "n", { 'n' }, B_NEW, "new", "new",
	  "make a new machine, step by step", NULL },
	{ "l or F5", { 'l', KEY_F(5) }, B_LAUNCH, "launch", NULL,
	  "launch it: its status and its serial console side by side; every "
	  "key goes to the guest but Ctrl-], and Ctrl-] then ? lists what may "
	  "follow it. Ctrl-] d leaves the view and the machine keeps running", NULL },
	{ "a", { 'a' }, B_ATTACH, NULL, "attach",
	  "show a running machine again (attach)", NULL },
	{ "h", { 'h' }, B_SSH, NULL, "ssh",
	  "a shell in a running cloud-init machine, over ssh on this terminal "
	  "(as vmtui --ssh; it waits for a machine that boots); back to the "
	  "list when it ends", NULL },
	{ "c", { 'c' }, B_COPY, "copy", "copy", "copy it under a new name", NULL },
	{ "r", { 'r' }, B_RENAME, "rename", NULL, "rename it", NULL },
	{ "Del or F8", { KEY_DC, KEY_F(8) }, B_DELETE, "delete", NULL,
	  "delete it (asks; its disk images only if you say so)", NULL },
	{ "s", { 's' }, B_SCRIPT, "script", "script",
	  "show the launch script vmtui runs for it", NULL },
	{ "S", { 'S' }, B_SNAPSHOTS, "snapshots", "snapshots",
	  "its snapshots: take one, revert to one, delete one", NULL },
	{ "x", { 'x' }, B_LIBVIRT, "libvirt", "libvirt",
	  "to libvirt: write its domain XML to a file, or define it on a "
	  "libvirt host (its images uploaded into a pool there)", NULL },
	{ "F1", { KEY_F(1) }, B_HELP, "help", "help",
	  "help: the keys of this screen", NULL },
	{ "q or F10", { 'q', KEY_F(10) }, B_QUIT, "quit", "quit",
	  "quit; machines running keep running", NULL },
	{ NULL, { 0 }, 0, NULL, NULL, NULL, NULL }
};

static const char browser_intro[] =
    "vmtui keeps each virtual machine as a profile, a small text file in\n"
    "~/.config/vmtui/profiles, and starts it with QEMU.\n"
    "\n"
    "The list\n";

static const char browser_outro[] =
    "\n"
    "A machine whose profile has a mistake is listed as broken; the panel\n"
    "on the right says what is wrong and on which line.\n"
    "\n"
    "From a shell: vmtui --help, vmtui --keys, and the man pages vmtui(1)\n"
    "and vmtui.conf(5).\n";

/* Whether there is a machine selected whose profile loads; if not, why. */
static bool
browser_loads(const struct entry *e)
{
	if (e == NULL)
		return false;
	if (e->p == NULL)
		tui_message(true, "%s does not load; fix it first (Enter edits "
		    "it)", e->name);
	return e->p != NULL;
}

/* What browser_ssh says while the guest boots: Ctrl-C stops the wait. */
static int
browser_ssh_tick(void *arg, long waited)
{
	long	*last = arg;

	if (waited - *last >= 30000) {
		*last = waited;
		printf("still waiting (%ld s)\n", waited / 1000);
		fflush(stdout);
	}
	return tui_quit_requested() ? 1 : 0;
}

/*
 * h: ssh into a running cloud-init machine on the whole terminal, as
 * vmtui --ssh does (its sshd waited for), then the list again.
 */
static void
browser_ssh(const struct entry *e)
{
	struct guestssh_target	 t;
	struct strv		 argv = { NULL, 0 };
	char			*cause = NULL;
	pid_t			 pid;
	long			 last = 0;
	int			 how, st;

	if (!e->p->has_cloud_init) {
		tui_message(true, "%s has no cloud-init section: h logs in to "
		    "machines vmtui sets up with cloud-init", e->name);
		return;
	}
	if (guestssh_target(e->p, &t, &cause) != 0 ||
	    guestssh_argv(e->p, &t, NULL, 0, &argv, &cause) != 0) {
		tui_message(true, "%s", cause != NULL ? cause : "?");
		free(cause);
		strv_free(&argv);
		return;
	}
	def_prog_mode();
	endwin();
	printf("vmtui: ssh into %s (127.0.0.1:%ld); waiting for its sshd if "
	    "it boots (Ctrl-C stops)\n", e->name, t.port);
	fflush(stdout);
	if (guestssh_wait(e->p, &t, 300000, browser_ssh_tick, &last, &how,
	    &cause) != 0) {
		reset_prog_mode();
		refresh();
		tui_message(true, "%s", cause != NULL ? cause : "?");
		free(cause);
		strv_free(&argv);
		return;
	}
	if ((pid = fork()) == 0) {
		execvp(argv.v[0], argv.v);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) == -1)
		;
	strv_free(&argv);
	reset_prog_mode();
	refresh();
	if (pid < 0 || (WIFEXITED(st) && WEXITSTATUS(st) == 127))
		tui_message(true, "cannot run ssh (apt-get install "
		    "openssh-client)");
	else
		tui_message(false, "back from %s's ssh", e->name);
}

/*
 * Whether a machine is one of the profiles folder, which copy, rename and
 * delete work on; if not, why.
 */
static bool
browser_here(const struct entry *e, const char *what)
{
	if (e == NULL)
		return false;
	if (e->elsewhere)
		tui_message(true, "%s runs from a profile that is not in the "
		    "profiles folder (%s): %s it there", e->name, e->file,
		    what);
	return !e->elsewhere;
}

/* Whether a machine's profile is known, for what opens it; if not, why. */
static bool
browser_known(const struct entry *e)
{
	if (e == NULL)
		return false;
	if (e->elsewhere && e->p == NULL)
		tui_message(true, "%s: %s", e->name, e->problems != NULL ?
		    e->problems : "?");
	return !e->elsewhere || e->p != NULL;
}

/*
 * x: the machine to libvirt, as vmtui --export libvirt -o FILE or
 * vmtui --define --connect URI --pool NAME do; the result on the
 * message line.
 */
static void
browser_libvirt(const struct entry *e)
{
	static const char *const how[] = { "write its domain XML to a file",
	    "define it on a libvirt host", NULL };
	struct atomic_opts	 o = { ATOMIC_NEW, 0644, NULL, NULL, NULL };
	struct virthost_opts	 vo = { NULL, NULL, false, NULL, NULL };
	char			 q[256], *file, *uri, *pool, *xml = NULL;
	char			*cause = NULL, *note = NULL;
	int			 r;

	if (virthost_unbuilt() != NULL) {
		tui_message(true, "%s", virthost_unbuilt());
		return;
	}
	snprintf(q, sizeof q, "%s to libvirt:", e->name);
	if ((r = tui_menu(q, how, 0)) < 0)
		return;
	if (r == 0) {
		snprintf(q, sizeof q, "%s.xml", e->name);
		if ((file = tui_ask("Write the domain XML to:", q, true, NULL,
		    NULL)) == NULL)
			return;
		if (domxml_machine(e->p, &xml, &cause) == 0) {
			if (access(file, F_OK) == 0 && tui_confirm("%s is there "
			    "already. Replace it?", file))
				o.flags = ATOMIC_MODE;
			if (atomic_write(file, xml, strlen(xml), &o,
			    &cause) == 0)
				tui_message(false, "wrote %s (virsh define %s "
				    "defines it)", file, file);
		}
		free(file);
		free(xml);
	} else {
		if ((uri = tui_ask("The libvirt host (empty: libvirt's "
		    "default):", "qemu:///session", false, NULL, NULL)) ==
		    NULL)
			return;
		if ((pool = tui_ask("Upload its disk images into the pool "
		    "(empty: none; a remote host: default):", "", false, NULL,
		    NULL)) == NULL) {
			free(uri);
			return;
		}
		vo.uri = *uri != '\0' ? uri : NULL;
		vo.pool = *pool != '\0' ? pool : NULL;
		r = virthost_define(e->p, &vo, &note, &cause);
		if (r == 1 && tui_confirm("%s. Replace its definition?",
		    cause != NULL ? cause : "The name is taken")) {
			free(cause);
			cause = NULL;
			vo.force = true;
			r = virthost_define(e->p, &vo, &note, &cause);
		} else if (r == 1) {
			free(cause);
			cause = strdup("not defined: the name is taken there");
		}
		if (r == 0)
			tui_message(false, "%s", note != NULL ? note : "defined");
		free(note);
		free(uri);
		free(pool);
	}
	if (cause != NULL)
		tui_message(true, "%s", cause);
	free(cause);
}

/* Delete a machine; its own disk images too if the person says so. */
static void
browser_delete(const struct entry *e)
{
	struct strv	 files = { NULL, 0 };
	char		*cause = NULL, *list;
	bool		 images = false;

	if (e->p != NULL && catalog_owned(dir, e->name, &files, &cause) == 0 &&
	    files.n > 0) {
		list = strv_join(&files, ", ");
		images = tui_confirm("Delete its disk images as well? %s",
		    list != NULL ? list : "");
		free(list);
	}
	free(cause);
	strv_free(&files);
	cause = NULL;
	if (catalog_delete(dir, e->name, images, &cause) != 0)
		tui_message(true, "%s", cause ? cause : "?");
	else
		tui_message(false, "deleted %s%s", e->name, images ?
		    " and its disk images" : "");
	free(cause);
}

/* A new name for a machine (arg: the profiles folder). */
static int
browser_check_name(const char *name, void *arg, char **cause)
{
	return catalog_name_free(arg, name, cause);
}

/*
 * Whether e runs now (asked now, whatever the list showed): then it says
 * so, and how to stop it, before anything is asked about what.
 */
static bool
browser_busy(const struct entry *e, const char *what)
{
	pid_t	pid;

	if (browser_machine(e) == NULL ||
	    !runtime_running(browser_machine(e), &pid))
		return false;
	tui_message(true, "%s is running (pid %ld); stop it before %s it: "
	    "Ctrl-] p in its view (Enter shows it), or vmtui --stop %s",
	    e->name, (long)pid, what, e->name);
	return true;
}

/*
 * Whether a machine started or ended since the list was made (in another
 * terminal, by --launch --detach or --stop): a look at each one's pidfile
 * lock, and at how many run (one whose profile is elsewhere, too), cheap
 * enough for every second.
 */
static bool
browser_stale(void)
{
	size_t	i;
	pid_t	pid;

	if (browser_count_running() != nrunning)
		return true;
	for (i = 0; i < nentries; i++)
		if (browser_machine(&entries[i]) != NULL &&
		    (runtime_running(browser_machine(&entries[i]), &pid) !=
		    (int)entries[i].st.running || pid != entries[i].st.pid))
			return true;
	return false;
}

static size_t
browser_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nentries; i++)
		if (strcmp(entries[i].name, name) == 0)
			return i;
	return 0;
}

/*
 * The list until the person picks what to do next: next says what (and on
 * which machine), for the dispatcher. select: the machine to show selected.
 */
void
browser_run(const char *select, struct tui_next *next)
{
	struct entry	*e;
	char		*cause, *note, *name, *text, q[256];
	size_t		 sel = 0, top = 0;
	int		 ch, rows, how, action;

	tui_next_set(next, TUI_QUIT, NULL, NULL);
	next->running = 0;
	if ((dir = paths_profiles_dir()) == NULL)
		return;
	browser_scan();
	if (select != NULL)
		sel = browser_find(select);
	for (;;) {
		rows = LINES - 5;
		if (sel >= nentries)
			sel = nentries ? nentries - 1 : 0;
		if (sel < top)
			top = sel;
		if (rows > 0 && sel >= top + (size_t)rows)
			top = sel - (size_t)rows + 1;
		if (!tui_too_small())
			browser_draw(sel, top);
		/* the list follows machines started and stopped elsewhere */
		while ((ch = tui_getkey_within(1000)) == TUI_IDLE) {
			tui_reap();
			if (browser_stale())
				break;
		}
		tui_reap();
		if (ch == TUI_IDLE) {
			name = sel < nentries ? strdup(entries[sel].name) : NULL;
			browser_scan();
			if (name != NULL)
				sel = browser_find(name);
			free(name);
			continue;
		}
		action = ch == -2 ? B_QUIT : keys_action(browser_keys, ch);
		if (action == B_QUIT)
			break;
		e = sel < nentries ? &entries[sel] : NULL;
		tui_message(false, "%s", "");
		switch (action) {
		case B_UP:
			if (sel > 0)
				sel--;
			break;
		case B_DOWN:
			if (sel + 1 < nentries)
				sel++;
			break;
		case B_HOME:
			sel = 0;
			break;
		case B_END:
			sel = nentries ? nentries - 1 : 0;
			break;
		case B_HELP:
			text = keys_help(browser_intro, browser_keys,
			    browser_outro);
			tui_view("vmtui help", text ? text : "out of memory");
			free(text);
			break;
		case B_NEW:
			tui_next_set(next, TUI_NEW, NULL, e != NULL ? e->name :
			    NULL);
			goto done;
		case B_OPEN:
		case B_EDIT:
			if (!browser_known(e))
				break;
			tui_next_set(next, action == B_OPEN && browser_running(e) ?
			    TUI_ATTACH : TUI_EDIT, e->file, e->name);
			goto done;
		case B_ATTACH:
			if (!browser_known(e))
				break;
			if (!browser_running(e)) {
				tui_message(true, "%s is not running; l launches "
				    "it", e->name);
				break;
			}
			tui_next_set(next, TUI_ATTACH, e->file, e->name);
			goto done;
		case B_LAUNCH:
			if (!browser_loads(e))
				break;
			tui_next_set(next, browser_running(e) ? TUI_ATTACH :
			    TUI_LAUNCH, e->file, e->name);
			goto done;
		case B_LIBVIRT:
			if (browser_loads(e))
				browser_libvirt(e);
			break;
		case B_SSH:
			if (!browser_loads(e))
				break;
			if (!browser_running(e)) {
				tui_message(true, "%s is not running; l launches "
				    "it", e->name);
				break;
			}
			browser_ssh(e);
			break;
		case B_SNAPSHOTS:
			if (!browser_loads(e))
				break;
			tui_next_set(next, TUI_SNAPSHOTS, e->file, e->name);
			goto done;
		case B_SCRIPT:
			if (e == NULL)
				break;
			text = browser_script(e);
			snprintf(q, sizeof q, "launch script of %s", e->name);
			tui_view(q, text ? text : "out of memory");
			free(text);
			break;
		case B_COPY:
		case B_RENAME:
			if (!browser_here(e, action == B_COPY ? "copy" :
			    "rename"))
				break;
			ch = action == B_COPY ? 'c' : 'r';
			if (ch == 'r' && browser_busy(e, "renaming"))
				break;
			snprintf(q, sizeof q, "%s %s to the name:", ch == 'c' ?
			    "Copy" : "Rename", e->name);
			/* a name that cannot be is asked again, with why */
			if ((name = tui_ask(q, ch == 'c' ? "" : e->name, false,
			    browser_check_name, dir)) == NULL)
				break;
			how = CATALOG_RENAME;
			if (ch == 'c')
				how = tui_confirm("Copy the disk images of %s "
				    "too? (n: the copy starts with no disks)",
				    e->name) ? CATALOG_COPY_DISKS : CATALOG_COPY;
			cause = note = NULL;
			if (catalog_copy(dir, e->name, name, how, &note,
			    &cause) != 0)
				tui_message(true, "%s", cause ? cause : "?");
			else {
				tui_message(false, "%s %s as %s%s%s", ch == 'c' ?
				    "copied" : "renamed", e->name, name,
				    note != NULL ? "; " : "", note != NULL ?
				    note : "");
				free(note);
				browser_scan();
				sel = browser_find(name);
			}
			free(cause);
			free(name);
			break;
		case B_DELETE:
			if (!browser_here(e, "delete") ||
			    browser_busy(e, "deleting") ||
			    !tui_confirm("Delete the machine %s?", e->name))
				break;
			browser_delete(e);
			browser_scan();
			break;
		}
	}
	/* what runs on after vmtui: told once the screens are gone */
	for (sel = 0; sel < nentries; sel++)
		if (browser_running(&entries[sel]))
			next->running++;
done:
	browser_clear();
	free(dir);
	dir = NULL;
}
