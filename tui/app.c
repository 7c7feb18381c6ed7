/*
 * app: vmtui's two ways into the screens. app_run() is the list and the
 * screens it leads to: each screen returns to this dispatcher with what it
 * asks for next (struct tui_next), so screens never call each other.
 * app_launch() is the launch view alone (--launch, --attach). The terminal
 * is checked, and an invalid profile told, before curses takes it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "attach.h"
#include "browser.h"
#include "editor.h"
#include "keys.h"
#include "paths.h"
#include "profile.h"
#include "runtime.h"
#include "snapshots.h"
#include "tui.h"
#include "validate.h"
#include "view.h"
#include "wizard.h"

/*
 * Open what a screen asked for, and what that one asks for in turn (the
 * wizard hands its new machine to the editor or the launch view), until a
 * screen sends the person back to the list.
 */
static void
app_open(struct tui_next *next)
{
	while (next->go != TUI_BACK && next->go != TUI_QUIT &&
	    !tui_quit_requested()) {
		switch (next->go) {
		case TUI_NEW:
			wizard_run(next);
			continue;
		case TUI_EDIT:
			editor_run(next->file);
			break;
		case TUI_LAUNCH:
		case TUI_ATTACH:
			view_run(next->file, next->go == TUI_ATTACH ?
			    VIEW_ATTACH : VIEW_LAUNCH);
			break;
		case TUI_SNAPSHOTS:
			snapshots_run(next->file);
			break;
		default:
			break;
		}
		next->go = TUI_BACK;
	}
}

/* vmtui with no action: the list, and the screens it opens, until quit. */
int
app_run(const char *theme)
{
	struct tui_next	 next = { TUI_BACK, NULL, NULL, 0 };
	char		*cause = NULL, *select = NULL;
	int		 r;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmtui: the screens need a terminal; \"vmtui "
		    "--help\" shows the command line\n");
		return 2;	/* a usage error: no action, no terminal */
	}
	if (tui_start(theme, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "?");
		free(cause);
		return 1;
	}
	if (tui_theme_note() != NULL)
		tui_message(true, "%s", tui_theme_note());
	for (;;) {
		browser_run(select, &next);
		free(select);
		select = NULL;
		if (next.go == TUI_QUIT || tui_quit_requested())
			break;
		app_open(&next);
		if (next.select != NULL)
			select = strdup(next.select);
	}
	r = next.running;
	tui_next_clear(&next);
	tui_stop();
	if (r > 0)
		fprintf(stderr, "vmtui: %d machine%s keep%s running (vmtui "
		    "--list shows them, vmtui --stop NAME stops one)\n", r,
		    r == 1 ? "" : "s", r == 1 ? "s" : "");
	if (tui_quit_signal() != 0)
		return 128 + tui_quit_signal();
	return 0;
}

/*
 * vmtui --launch P, --attach P: the launch view alone. Leaving it with the
 * machine running says how to come back.
 */
int
app_launch(const char *arg, const char *theme, int how)
{
	struct profile	*p;
	struct attach	 a;
	char		*path, *cause = NULL, *name;
	pid_t		 pid;
	int		 r;

	if ((path = paths_profile(arg, &cause)) == NULL) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "?");
		free(cause);
		return 2;
	}
	/* an invalid profile is told before the screen changes */
	if (validate_load(path, &p, &cause) != 0) {
		fprintf(stderr, "%s\n", cause ? cause : "?");
		free(cause);
		free(path);
		return 2;
	}
	name = strdup(p->name);
	r = 0;
	if (how == VIEW_ATTACH && !runtime_running(p, &pid)) {
		fprintf(stderr, "vmtui: %s is not running; vmtui --launch %s "
		    "starts it\n", name, arg);
		r = 2;
	} else if (how == VIEW_ATTACH) {
		/* another view holds it: say so before the screen changes */
		if (attach_open(p, &a, &cause) != 0) {
			fprintf(stderr, "vmtui: %s\n", cause ? cause : "?");
			free(cause);
			r = 1;
		} else
			attach_close(&a);
	}
	profile_free(p);
	if (r == 0 && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "vmtui: the split pane needs a terminal; "
		    "--no-tui runs the console here\n");
		r = 2;
	}
	if (r == 0 && tui_start(theme, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "?");
		free(cause);
		r = 1;
	}
	if (r != 0) {
		free(name);
		free(path);
		return r;
	}
	r = view_run(path, how);
	tui_stop();
	free(path);
	if (r == VIEW_LEFT)
		fprintf(stderr, "vmtui: %s keeps running; \"vmtui --attach "
		    "%s\" shows it again, \"vmtui --stop %s\" stops it\n",
		    name, name, name);
	free(name);
	if (tui_quit_signal() != 0)
		return 128 + tui_quit_signal();
	if (r == VIEW_LEFT)
		return 0;
	return r < 0 ? 1 : r;	/* QEMU's status, or 1: it never started */
}

/* vmtui --keys: every screen's keys, from the tables the screens use. */
void
app_keys(FILE *f)
{
	keys_print(f, "list", browser_keys);
	keys_print(f, "editor", editor_keys);
	keys_print(f, "snapshots", snapshots_keys);
	view_keys_make();
	keys_print(f, "launch view", view_keys);
}
