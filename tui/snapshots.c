/*
 * snapshots: the screen of one machine's snapshots, opened from the list
 * with S. It lists them (name, when, what each holds: the disks, or the
 * disks and the memory when taken while the machine ran); t takes one
 * under a name it proposes, r reverts to the selected one and d deletes
 * it, both after asking. What cannot be done (a raw or ephemeral disk, no
 * image yet) is said on the message line, as core/snapshot.c words it for
 * vmtui --snapshot too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keys.h"
#include "profile.h"
#include "runtime.h"
#include "snapshot.h"
#include "snapshots.h"
#include "tui.h"
#include "validate.h"

enum {
	S_UP = 1, S_DOWN, S_TAKE, S_REVERT, S_DELETE, S_HELP, S_BACK
};

const struct keys_def snapshots_keys[] = {
	{ "Up or k", { KEY_UP, 'k' }, S_UP, NULL, NULL,
	  "the snapshot above", NULL },
	{ "Down or j", { KEY_DOWN, 'j' }, S_DOWN, NULL, NULL,
	  "the snapshot below", NULL },
	{ "t", { 't' }, S_TAKE, "take", "take",
	  "take a snapshot of every disk (and of the memory while the machine "
	  "runs) under a name you give", NULL },
	{ "r", { 'r' }, S_REVERT, "revert", "revert",
	  "revert every disk to the selected snapshot (asks: what they hold "
	  "now is lost; a running machine goes on from the snapshot)", NULL },
	{ "d or Del", { 'd', KEY_DC }, S_DELETE, "delete", "delete",
	  "delete the selected snapshot (asks)", NULL },
	{ "F1", { KEY_F(1) }, S_HELP, "help", "help",
	  "help: the keys of this screen", NULL },
	{ "Esc or q", { 27, 'q' }, S_BACK, "back", "back",
	  "back to the list", NULL },
	{ NULL, { 0 }, 0, NULL, NULL, NULL, NULL }
};

static const char snapshots_intro[] =
    "A snapshot keeps what a machine's disks hold at one moment, in its\n"
    "qcow2 images; taken while the machine runs, it keeps the memory too,\n"
    "and reverting to it goes on from there. Raw and ephemeral disks have\n"
    "none. From a shell: vmtui --snapshot NAME [take|revert|delete SNAP].\n"
    "\n"
    "The keys\n";

static void
snapshots_draw(const struct profile *p, const struct snapshots *s,
    size_t sel, const char *problem, bool running)
{
	struct tui_key	 bar[8];
	char		 title[256], date[32];
	size_t		 i;
	int		 y;

	erase();
	snprintf(title, sizeof title, "vmtui - snapshots of %s (%s)", p->name,
	    running ? "running: a snapshot takes its memory too" : "off");
	attrset(tui_attr(THEME_LABEL));
	mvprintw(1, 1, "%-24s %-17s %s", "NAME", "TAKEN", "HOLDS");
	for (i = 0; i < s->n && (int)i < LINES - 5; i++) {
		y = (int)i + 2;
		tui_fill(stdscr, y, 0, COLS, i == sel ? THEME_LIST_SELECTED :
		    THEME_LIST);
		strftime(date, sizeof date, "%Y-%m-%d %H:%M",
		    localtime(&s->v[i].date));
		mvprintw(y, 1, "%-24.24s %-17s %s%s", s->v[i].name, date,
		    s->v[i].memory ? "disks and memory" : "disks",
		    s->v[i].partial ? " (not on every disk)" : "");
	}
	attrset(tui_attr(problem != NULL ? THEME_STATUS_BROKEN :
	    THEME_NORMAL));
	if (problem != NULL)
		mvaddnstr(3, 1, problem, COLS - 2);
	else if (s->n == 0)
		mvaddnstr(3, 1, "No snapshots yet: press t to take one.",
		    COLS - 2);
	keys_bar(snapshots_keys, running, bar, sizeof bar / sizeof bar[0]);
	tui_draw_frame(title, bar);
	refresh();
}

/* A name to propose: the date and time, as people sort them. */
static void
snapshots_propose(char *name, size_t size)
{
	time_t	now = time(NULL);

	strftime(name, size, "snap-%Y%m%d-%H%M%S", localtime(&now));
}

static int
snapshots_name_ok(const char *text, void *arg, char **cause)
{
	(void)arg;
	return snapshot_check_name(text, cause);
}

void
snapshots_run(const char *file)
{
	struct profile		*p;
	struct snapshots	 s = { NULL, 0 };
	char			*cause = NULL, *problem = NULL, *name, *text;
	char			 proposed[64], q[256];
	size_t			 sel = 0;
	pid_t			 pid;
	bool			 running, fresh = true;
	int			 action, r;

	if (validate_load(file, &p, &cause) != 0) {
		tui_message(true, "%s", cause != NULL ? cause : "?");
		free(cause);
		return;
	}
	for (;;) {
		running = runtime_running(p, &pid) != 0;
		if (fresh) {
			snapshot_free(&s);
			free(problem);
			problem = NULL;
			if (snapshot_list(p, &s, &problem) != 0 &&
			    problem == NULL)
				problem = strdup("out of memory");
			fresh = false;
		}
		if (sel >= s.n)
			sel = s.n > 0 ? s.n - 1 : 0;
		if (!tui_too_small())
			snapshots_draw(p, &s, sel, problem, running);
		action = keys_action(snapshots_keys, tui_getkey());
		tui_reap();
		if (action == S_BACK || tui_quit_requested())
			break;
		if (action != 0)
			tui_message(false, "%s", "");
		cause = NULL;
		r = 1;
		switch (action) {
		case S_UP:
			if (sel > 0)
				sel--;
			break;
		case S_DOWN:
			if (sel + 1 < s.n)
				sel++;
			break;
		case S_HELP:
			text = keys_help(snapshots_intro, snapshots_keys, NULL);
			tui_view("vmtui help", text ? text : "out of memory");
			free(text);
			break;
		case S_TAKE:
			snapshots_propose(proposed, sizeof proposed);
			snprintf(q, sizeof q, "Name of the snapshot of %s%s:",
			    p->name, running ? " (the memory too)" : "");
			if ((name = tui_ask(q, proposed, false,
			    snapshots_name_ok, NULL)) == NULL)
				break;
			tui_message(false, "taking \"%s\"...", name);
			snapshots_draw(p, &s, sel, problem, running);
			if ((r = snapshot_take(p, name, &cause)) == 0)
				tui_message(false, "took \"%s\" (%s)", name,
				    running ? "disks and memory" : "disks");
			free(name);
			fresh = true;
			break;
		case S_REVERT:
			if (s.n == 0)
				break;
			if (!tui_confirm("Revert %s to \"%s\"? What its disks "
			    "hold now%s is lost.", p->name, s.v[sel].name,
			    running ? ", and where the running guest is," : ""))
				break;
			if ((r = snapshot_revert(p, s.v[sel].name, &cause)) == 0)
				tui_message(false, "reverted %s to \"%s\"",
				    p->name, s.v[sel].name);
			fresh = true;
			break;
		case S_DELETE:
			if (s.n == 0 || !tui_confirm("Delete snapshot \"%s\" of "
			    "%s?", s.v[sel].name, p->name))
				break;
			if ((r = snapshot_delete(p, s.v[sel].name, &cause)) == 0)
				tui_message(false, "deleted \"%s\"",
				    s.v[sel].name);
			fresh = true;
			break;
		}
		if (r < 0)
			tui_message(true, "%s", cause != NULL ? cause :
			    "out of memory");
		free(cause);
	}
	snapshot_free(&s);
	free(problem);
	profile_free(p);
}
