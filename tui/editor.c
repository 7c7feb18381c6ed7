/*
 * editor: one libform form per topic (General, Disks, Shares, Forwards,
 * Boot, Advanced) over a profile. A field's text is checked when the
 * cursor leaves it, with the validators the loader uses (schema_check_*);
 * a bad value keeps the focus and its reason shows on the message line.
 * List topics show one row per disk, share or forward. F2 saves
 * atomically, asking first when the file changed on disk since it was
 * opened; one vmtui at a time edits a profile (core/lock.c).
 */
#include "config.h"

#include <form.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "buf.h"
#include "catalog.h"
#include "editor.h"
#include "fields.h"
#include "keys.h"
#include "live.h"
#include "lock.h"
#include "paths.h"
#include "plan.h"
#include "profile.h"
#include "profile_save.h"
#include "quote.h"
#include "tui.h"
#include "validate.h"

struct efield {
	const char		 *label;
	const char		 *path;		/* schema path or a pseudo key */
	int			  idx;		/* the row, or -1 */
	enum fields_kind	  kind;
	const char *const	 *choices;
	int			  y, x, w;
	FIELD			 *f;
};

#define NTOPICS	FIELDS_NTOPICS

enum {
	E_SAVE = 1, E_LEAVE, E_TOPIC, E_NEXT, E_PREV, E_CHOOSE, E_HOME, E_END,
	E_BACKSPACE, E_DELCHAR, E_CLEAR, E_ADD, E_DELETE, E_HELP
};

/* The editor's keys: dispatch, key bar and help (F1). */
const struct keys_def editor_keys[] = {
	{ "F2", { KEY_F(2) }, E_SAVE, "save", NULL,
	  "save, atomically; asks first when the file changed on disk since "
	  "it was opened", NULL },
	{ "Esc", { 27 }, E_LEAVE, "leave", NULL,
	  "leave; asks when there are unsaved changes", NULL },
	{ "PgDn or PgUp", { KEY_NPAGE, KEY_PPAGE }, E_TOPIC, "topic", NULL,
	  "the next topic, or the one before", "PgUp/PgDn" },
	{ "Tab, Down or Enter", { '\t', KEY_DOWN, '\r', '\n', KEY_ENTER },
	  E_NEXT, "field", NULL, "the next field; a bad value keeps the "
	  "cursor and the message line says why", "Tab/Up/Down" },
	{ "Shift-Tab or Up", { KEY_BTAB, KEY_UP }, E_PREV, NULL, NULL,
	  "the field before", NULL },
	{ "Left, Right or Space", { KEY_LEFT, KEY_RIGHT, ' ' }, E_CHOOSE,
	  "choose", NULL, "the choice before or after; in a text field Left "
	  "and Right move the cursor", "Left/Right" },
	{ "Home", { KEY_HOME }, E_HOME, NULL, NULL, "the start of the field", NULL },
	{ "End", { KEY_END }, E_END, NULL, NULL, "the end of the field", NULL },
	{ "Backspace", { KEY_BACKSPACE, 127, 8 }, E_BACKSPACE, NULL, NULL,
	  "delete the character before the cursor", NULL },
	{ "Del", { KEY_DC }, E_DELCHAR, NULL, NULL,
	  "delete the character under the cursor", NULL },
	{ "Ctrl-U", { 21 }, E_CLEAR, NULL, NULL, "clear the field", NULL },
	{ "F3", { KEY_F(3) }, E_ADD, "add row", NULL,
	  "add a row in Disks, Shares or Forwards; the cursor goes to its "
	  "first field", NULL },
	{ "F8", { KEY_F(8) }, E_DELETE, "delete row", NULL,
	  "delete the row the cursor is in, naming it (asks)", NULL },
	{ "F1", { KEY_F(1) }, E_HELP, "help", NULL,
	  "help: the keys of this screen", NULL },
	{ NULL, { 0 }, 0, NULL, NULL, NULL, NULL }
};

static const char editor_intro[] =
    "The editor has a form per topic. A value is checked as the cursor\n"
    "leaves its field, with the loader's rules; sizes take units (512M,\n"
    "8G). The line above the keys shows the QEMU command as it stands.\n"
    "\n";

struct editor {
	struct profile		*p;
	const char		*file;
	int			 topic;
	struct efield		 fields[512];
	int			 nfields;
	FIELD			*ff[513];
	FORM			*form;
	WINDOW			*win;
	bool			 dirty;
	bool			 repost;	/* redraw the form whole */
	int			 row0;		/* the first row shown */
	int			 hidden;	/* rows below the last shown */
	int			 nrows;		/* rows of the list topic */
	int			 head_y;	/* its column headings, or -1 */
	int			 mark_y;	/* a marked field's heading, or -1 */
	const char		*mark;
	int			 focus_row;	/* e_build: focus this row */
};

/* Check text as the loader would, then put it in the model. */
static int
e_set(struct editor *ed, const struct efield *ef, const char *text,
    char **cause)
{
	return fields_set(ed->p, ef->path, ef->idx, text, cause);
}

static char *
e_get(struct profile *p, const struct efield *ef)
{
	return fields_get(p, ef->path, ef->idx);
}

static struct efield *
e_add(struct editor *ed, const struct fields_def *d, int idx, int y, int x,
    int w)
{
	struct efield	*ef;

	if (ed->nfields >= (int)(sizeof ed->fields / sizeof ed->fields[0]))
		return NULL;
	ef = &ed->fields[ed->nfields++];
	memset(ef, 0, sizeof *ef);
	ef->label = d->label;
	ef->path = d->path;
	ef->idx = idx;
	ef->kind = d->kind;
	ef->y = y;
	ef->x = x;
	ef->w = w;
	ef->choices = fields_choices(d->path);
	return ef;
}

/*
 * Where a list topic's rows start: under the values at column 20, or at
 * the left edge when the form is too narrow for a forward's row there.
 */
static int
e_row_x(int cols)
{
	return cols >= 75 ? 20 : 0;
}

/*
 * A fixed column's width (0 for one that shares the row's room) and the
 * gap after it: at least its heading, and for a number its largest value
 * with the cursor after it, so that neither shows cut.
 */
static int
e_column_fixed(const struct fields_def *d, int *gap)
{
	static const struct {
		const char	*path;
		int		 w, gap;
	} widths[] = {
		{ "disk|title", 16, 2 }, { "disk|size", 8, 2 },
		{ "disk|ephemeral", 6, 2 }, { "share|tag", 10, 2 },
		{ "share|readonly", 6, 1 }, { "forward|from", 5, 1 },
		{ "forward|proto", 3, 1 }, { "forward|host-port", 5, 2 },
		{ "forward|guest-port", 5, 1 },
	};
	const struct schema_key	*k;
	char			 max[32];
	size_t			 i;
	int			 w;

	*gap = 1;
	for (i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (strcmp(widths[i].path, d->path) == 0)
			break;
	if (i == sizeof widths / sizeof widths[0])
		return 0;
	*gap = widths[i].gap;
	w = widths[i].w;
	if (d->head != NULL && (int)strlen(d->head) > w)
		w = (int)strlen(d->head);
	if (d->kind == FIELDS_INT && (k = schema_find(d->path)) != NULL &&
	    snprintf(max, sizeof max, "%ld", k->max) + 1 > w)
		w = (int)strlen(max) + 1;
	return w;
}

/*
 * The width of a row's column, and the gap before the next one: fixed
 * for numbers and choices; addresses, folders and mount points share
 * what room the row has, the last of them what is left over.
 */
static int
e_column(const struct fields_def *d, int cols, int *gap)
{
	const struct fields_def	*o;
	int			 room = cols - e_row_x(cols), w, g, nflex = 0;
	int			 before = 0;

	if ((w = e_column_fixed(d, gap)) > 0)
		return w;
	for (o = fields_table; o->path != NULL; o++) {
		if (o->topic != d->topic || !o->row)
			continue;
		room -= (w = e_column_fixed(o, &g)) + g;
		if (w == 0 && o < d)
			before++;
		nflex += w == 0;
	}
	w = room / nflex;
	/* the last one takes what the others leave */
	if (before == nflex - 1)
		w = room - before * w;
	if (strncmp(d->path, "forward|", 8) == 0 && w > 15)
		w = 15;
	return w < 6 ? 6 : w;
}

/*
 * The fields of the current topic, from fields_table: labels at column 0,
 * values at 20; below them the rows of a list topic under their column
 * headings, from row0 on, as many as fit (the list scrolls).
 */
static void
e_layout(struct editor *ed, int rows, int cols)
{
	const struct fields_def	*d;
	struct profile		*p = ed->p;
	struct efield		*ef;
	int			 y = 0, w = cols - 21, x, gap, i, ncols = 0;
	int			 fit;

	ed->nfields = 0;
	ed->hidden = 0;
	ed->head_y = -1;
	ed->mark_y = -1;
	if (w < 10)
		w = 10;
	for (d = fields_table; d->path != NULL; d++) {
		if (d->topic != ed->topic)
			continue;
		if (d->row) {
			ncols++;
			continue;
		}
		if (!fields_shown(p, d))
			continue;
		if (d->head != NULL) {
			/* a marked field: its heading on a line of its own */
			ed->mark_y = y++;
			ed->mark = d->head;
		}
		e_add(ed, d, -1, y++, 20, d->kind == FIELDS_INT ? 10 : w);
	}
	ed->nrows = (int)fields_rows(p, ed->topic);
	if (ncols == 0)
		return;
	if (y > 0)
		y++;
	ed->head_y = y++;
	/* the rows that fit, in the screen and in the form's fields */
	fit = rows - y;
	if (fit > (int)(sizeof ed->fields / sizeof ed->fields[0]) -
	    ed->nfields / ncols - 1)
		fit = ((int)(sizeof ed->fields / sizeof ed->fields[0]) -
		    ed->nfields) / ncols;
	if (fit < 1)
		fit = 1;
	if (ed->row0 > ed->nrows - fit)
		ed->row0 = ed->nrows - fit;
	if (ed->row0 < 0)
		ed->row0 = 0;
	if (ed->focus_row >= 0 && ed->focus_row < ed->row0)
		ed->row0 = ed->focus_row;
	if (ed->focus_row >= ed->row0 + fit)
		ed->row0 = ed->focus_row - fit + 1;
	for (i = ed->row0; i < ed->nrows; i++, y++) {
		if (i >= ed->row0 + fit) {
			ed->hidden = ed->nrows - i;
			break;
		}
		x = e_row_x(cols);
		for (d = fields_table; d->path != NULL; d++) {
			if (d->topic != ed->topic || !d->row)
				continue;
			w = e_column(d, cols, &gap);
			/* a label at the left edge would be under a field */
			if ((ef = e_add(ed, d, i, y, x, w)) != NULL &&
			    (i > ed->row0 || e_row_x(cols) == 0))
				ef->label = NULL;
			x += w + gap;
		}
	}
}

static void
e_free_form(struct editor *ed)
{
	int	i;

	if (ed->form != NULL) {
		unpost_form(ed->form);
		free_form(ed->form);
		ed->form = NULL;
	}
	for (i = 0; i < ed->nfields; i++)
		if (ed->fields[i].f != NULL)
			free_field(ed->fields[i].f);
	ed->nfields = 0;
	if (ed->win != NULL) {
		delwin(ed->win);
		ed->win = NULL;
	}
}

static void
e_build(struct editor *ed, int current)
{
	int	 i, rows = LINES - 6, cols = COLS - 16;
	char	*v;

	e_free_form(ed);
	if (rows < 4 || cols < 40)
		return;
	e_layout(ed, rows, cols);
	ed->win = derwin(stdscr, rows, cols, 2, 15);
	keypad(ed->win, TRUE);
	for (i = 0; i < ed->nfields; i++) {
		struct efield *ef = &ed->fields[i];

		ef->f = new_field(1, ef->w, ef->y, ef->x, 0, 0);
		field_opts_off(ef->f, O_AUTOSKIP | O_BLANK);
		if (ef->kind == FIELDS_ENUM || ef->kind == FIELDS_FIXED)
			field_opts_off(ef->f, O_EDIT);
		else {
			/* room for a whole value written with escapes */
			field_opts_off(ef->f, O_STATIC);
			set_max_field(ef->f, 4 * SCHEMA_STRING_MAX);
		}
		set_field_back(ef->f, tui_attr(THEME_FIELD));
		v = e_get(ed->p, ef);
		set_field_buffer(ef->f, 0, v ? v : "");
		free(v);
		ed->ff[i] = ef->f;
	}
	ed->ff[ed->nfields] = NULL;
	if (ed->nfields == 0)
		return;
	ed->repost = true;
	ed->form = new_form(ed->ff);
	set_form_win(ed->form, stdscr);
	set_form_sub(ed->form, ed->win);
	post_form(ed->form);
	/* focus_row: the first field of that row (a new one, a scroll) */
	for (i = 0; ed->focus_row >= 0 && i < ed->nfields; i++)
		if (ed->fields[i].idx == ed->focus_row) {
			current = i;
			break;
		}
	ed->focus_row = -1;
	if (current < 0 || current >= ed->nfields)
		current = 0;
	if (current > 0)
		/* cppcheck-suppress arrayIndexOutOfBoundsCond */
		set_current_field(ed->form, ed->ff[current]);
	form_driver(ed->form, REQ_END_FIELD);
}

static struct efield *
e_current(struct editor *ed)
{
	FIELD	*f;
	int	 i;

	if (ed->form == NULL || (f = current_field(ed->form)) == NULL)
		return NULL;
	i = field_index(f);
	return i >= 0 && i < ed->nfields ? &ed->fields[i] : NULL;
}

/* Take the current field's text into the model; false keeps the focus. */
static bool
e_commit(struct editor *ed)
{
	struct efield	*ef = e_current(ed);
	char		*text, *old, *cause = NULL;
	size_t		 len;

	if (ef == NULL)
		return true;
	form_driver(ed->form, REQ_VALIDATION);
	if ((text = strdup(field_buffer(ef->f, 0))) == NULL)
		return false;
	len = strlen(text);
	while (len > 0 && text[len - 1] == ' ')
		text[--len] = '\0';
	old = e_get(ed->p, ef);
	if (old == NULL || strcmp(old, text) != 0) {
		if (e_set(ed, ef, text, &cause) != 0) {
			tui_message(true, "%s", cause ? cause :
			    "not a valid value");
			set_field_back(ef->f, tui_attr(THEME_FIELD_ERROR));
			free(cause);
			free(old);
			free(text);
			return false;
		}
		ed->dirty = true;
	}
	free(old);
	free(text);
	set_field_back(ef->f, tui_attr(THEME_FIELD));
	/* the value is taken: an old error goes, a warning may come */
	if ((text = fields_warning(ed->p, ef->path, ef->idx)) != NULL)
		tui_message(true, "%s", text);
	else if (tui_message_is_error())
		tui_message(false, "%s", "");
	free(text);
	return true;
}

/* The QEMU command as the profile stands, for the preview line. */
static char *
e_preview(struct editor *ed)
{
	struct plan	*pl;
	struct plan_env	 env = { 0 };
	struct strv	 argv = { NULL, 0 };
	struct buf	 b;
	char		*cause = NULL, *q;
	size_t		 i;

	if (plan_build(ed->p, &pl, &cause) != 0)
		return cause;
	env.disk_image = pl->root_image;
	env.tmpdir = "$TMPDIR";
	env.uid = (long)getuid();
	buf_init(&b);
	if (plan_expand(pl, &env, &argv) == 0)
		for (i = 0; i < argv.n; i++) {
			if (i > 0)
				buf_putc(&b, ' ');
			if (strpbrk(argv.v[i], " '\"$\\`") != NULL) {
				q = quote_shell_word(argv.v[i]);
				buf_puts(&b, q ? q : "?");
				free(q);
			} else
				buf_puts(&b, argv.v[i]);
		}
	strv_free(&argv);
	plan_free(pl);
	return buf_finish(&b, NULL);
}

/* The column headings of a list topic, over its first row's fields. */
static void
e_draw_headings(struct editor *ed, int cols)
{
	const struct fields_def	*d;
	int			 x = e_row_x(cols), w, gap;

	if (ed->head_y < 0)
		return;
	wattrset(ed->win, tui_attr(THEME_LABEL));
	for (d = fields_table; d->path != NULL; d++) {
		if (d->topic != ed->topic || !d->row)
			continue;
		w = e_column(d, cols, &gap);
		if (x < cols)
			mvwaddnstr(ed->win, ed->head_y, x, d->head, w < cols -
			    x ? w : cols - x);
		x += w + gap;
	}
}

static void
e_draw(struct editor *ed)
{
	struct tui_key	 keys[16];
	char		 title[512], *pv;
	int		 i, cols = COLS - 16;
	struct efield	*cur = e_current(ed);

	/*
	 * The form's text lives in its field windows until it is committed:
	 * the form is erased and posted anew only after a rebuild or a
	 * dialog, never between two keys.
	 */
	if (ed->repost) {
		erase();
		if (ed->form != NULL) {
			unpost_form(ed->form);
			post_form(ed->form);
		}
		ed->repost = false;
	}
	for (i = 0; i < NTOPICS; i++) {
		tui_fill(stdscr, 2 + i, 0, 14, i == ed->topic ?
		    THEME_LIST_SELECTED : THEME_LIST);
		mvaddstr(2 + i, 1, fields_topics[i]);
	}
	attrset(tui_attr(THEME_BORDER));
	mvvline(1, 14, ACS_VLINE, LINES - 4);
	if (ed->hidden > 0 || ed->row0 > 0)
		tui_message(false, "rows %d-%d of %d: Down at the last one and "
		    "Up at the first scroll", ed->row0 + 1, ed->nrows -
		    ed->hidden, ed->nrows);
	if (cur != NULL)
		set_field_back(cur->f, field_back(cur->f) ==
		    tui_attr(THEME_FIELD_ERROR) ? tui_attr(THEME_FIELD_ERROR) :
		    tui_attr(THEME_FIELD_ACTIVE));
	for (i = 0; i < ed->nfields; i++)
		if (&ed->fields[i] != cur && field_back(ed->fields[i].f) ==
		    tui_attr(THEME_FIELD_ACTIVE))
			set_field_back(ed->fields[i].f, tui_attr(THEME_FIELD));
	pv = e_preview(ed);
	tui_fill(stdscr, LINES - 3, 0, COLS, THEME_PREVIEW);
	mvaddnstr(LINES - 3, 1, pv ? pv : "", COLS - 2);
	free(pv);
	snprintf(title, sizeof title, "Editing %s%s - %s", ed->p->name,
	    ed->dirty ? " (changed)" : "", ed->file);
	keys_bar(editor_keys, false, keys, sizeof keys / sizeof keys[0]);
	tui_draw_frame(title, keys);
	if (ed->win != NULL) {
		wattrset(ed->win, tui_attr(THEME_LABEL));
		for (i = 0; i < ed->nfields; i++)
			if (ed->fields[i].label != NULL)
				mvwaddnstr(ed->win, ed->fields[i].y, 0,
				    ed->fields[i].label, 19);
		e_draw_headings(ed, cols);
		if (ed->mark_y >= 0) {
			wattrset(ed->win, tui_attr(THEME_FIELD_ERROR));
			mvwaddnstr(ed->win, ed->mark_y, 0, ed->mark, cols);
		}
		wattrset(ed->win, tui_attr(THEME_NORMAL));
		if (ed->head_y >= 0 && ed->nrows == 0)
			mvwaddnstr(ed->win, ed->head_y + 1, 0,
			    ed->topic == FIELDS_DISKS ? "No extra disks: F3 "
			    "adds one." : ed->topic == FIELDS_SHARES ? "No "
			    "shares: F3 adds one." : "No forwards: F3 adds "
			    "one.", cols);
	}
	if (ed->form != NULL)
		pos_form_cursor(ed->form);
	refresh();
}

/* A new row's disk title or mount tag (arg: the editor). */
static int
e_check_title(const char *title, void *arg, char **cause)
{
	struct editor	*ed = arg;

	return fields_title_free(ed->p, ed->topic == FIELDS_DISKS ?
	    "disk|title" : "share|tag", -1, title, cause);
}

/* A host folder to share: it must be one. */
static int
e_check_folder(const char *path, void *arg, char **cause)
{
	struct stat	st;

	(void)arg;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (asprintf(cause, "%s is not a folder", path) < 0)
		*cause = NULL;
	return -1;
}

/*
 * Add a row to the list topic: disks ask for a title, shares for a mount
 * tag, a host folder and a mount point. The row to focus, or -1.
 */
static int
e_add_row(struct editor *ed)
{
	struct profile_share	*sh;
	char			*title, *src, *folder, *dst, *def;

	if (ed->topic == FIELDS_DISKS || ed->topic == FIELDS_SHARES) {
		title = tui_ask(ed->topic == FIELDS_DISKS ?
		    "Title of the new disk:" : "Mount tag of the new share:",
		    "", false, e_check_title, ed);
		if (title == NULL)
			return -1;
		if (ed->topic == FIELDS_DISKS) {
			if (profile_add_disk(ed->p, title) == 0)
				ed->dirty = true;
			free(title);
			return (int)ed->p->ndisks - 1;
		}
		src = tui_ask("Host folder to share:", "", true, e_check_folder,
		    NULL);
		if (src == NULL) {
			free(title);
			return -1;
		}
		/* stored whole: the profile reads it from its own folder */
		folder = paths_absolute(src);
		free(src);
		if (folder == NULL) {
			free(title);
			return -1;
		}
		if (asprintf(&def, "/mnt/%s", title) < 0)
			def = NULL;
		dst = tui_prompt("Mount point in the guest (for the mount "
		    "command vmtui shows):", def != NULL ? def : "", false);
		free(def);
		if (profile_add_share(ed->p, title, folder) == 0) {
			ed->dirty = true;
			sh = &ed->p->shares[ed->p->nshares - 1];
			if (dst != NULL) {
				free(sh->target);
				sh->target = dst;
				dst = NULL;
			}
		}
		free(dst);
		free(folder);
		free(title);
		return (int)ed->p->nshares - 1;
	} else if (ed->topic == FIELDS_FORWARDS) {
		/* the SSH preset, on a host port nothing else takes */
		char	*dir = paths_profiles_dir();
		long	 port = catalog_ssh_port(dir, ed->p, (size_t)-1);

		free(dir);
		if (profile_add_ssh_forward(ed->p, port) != 0)
			return -1;
		ed->dirty = true;
		return (int)ed->p->nforwards - 1;
	}
	return -1;
}

static void
e_delete_row(struct editor *ed)
{
	struct efield	*ef = e_current(ed);
	struct profile	*p = ed->p;
	char		 what[300];
	size_t		 i;

	if (ef == NULL || ef->idx < 0)
		return;
	i = (size_t)ef->idx;
	if (ed->topic == FIELDS_DISKS)
		snprintf(what, sizeof what, "the disk \"%s\"",
		    p->disks[i].title);
	else if (ed->topic == FIELDS_SHARES)
		snprintf(what, sizeof what, "the share \"%s\" (%s)",
		    p->shares[i].tag, p->shares[i].source);
	else
		snprintf(what, sizeof what, "the forward %s:%ld -> %s:%ld",
		    p->forwards[i].host_address, p->forwards[i].host_port,
		    p->forwards[i].guest_address, p->forwards[i].guest_port);
	if (!tui_confirm("Delete %s?", what))
		return;
	profile_remove_row(p, (enum schema_section)fields_section(ed->topic),
	    i);
	ed->dirty = true;
}

static void
e_cycle(struct editor *ed, int dir)
{
	struct efield	*ef = e_current(ed);
	char		*cur, *cause = NULL;
	int		 i, n;

	if (ef == NULL || ef->kind != FIELDS_ENUM)
		return;
	cur = e_get(ed->p, ef);
	for (n = 0; ef->choices[n] != NULL; n++)
		;
	for (i = 0; i < n && strcmp(ef->choices[i], cur) != 0; i++)
		;
	free(cur);
	i = ((i + dir) % n + n) % n;
	if (e_set(ed, ef, ef->choices[i], &cause) == 0) {
		set_field_buffer(ef->f, 0, ef->choices[i]);
		ed->dirty = true;
		if (strcmp(ef->path, "root-disk") == 0 ||
		    strcmp(ef->path, "cloud-init") == 0)
			e_build(ed, field_index(ef->f));
	}
	free(cause);
}

/* A message without its "FILE:" or "FILE:LINE: " in front. */
static const char *
e_without_place(const struct editor *ed, const char *msg)
{
	size_t	len = strlen(ed->file);

	if (strncmp(msg, ed->file, len) != 0 || msg[len] != ':')
		return msg;
	msg += len + 1;
	msg += strspn(msg, "0123456789");
	if (*msg == ':')
		msg++;
	return msg + strspn(msg, " ");
}

static void
e_save(struct editor *ed, struct lock_stamp *stamp)
{
	struct lock_stamp	 now;
	struct live_report	 rep;
	const char		*what;
	char			*cause = NULL, *nl, *live;

	lock_stamp(ed->file, &now);
	if (!lock_stamp_same(stamp, &now) && !tui_confirm("%s changed on disk "
	    "since it was opened. Overwrite it?", ed->file)) {
		tui_message(true, "not saved");
		return;
	}
	if (validate_check(ed->p, &cause) != 0) {
		if (cause != NULL && (nl = strchr(cause, '\n')) != NULL)
			*nl = '\0';
		/* the form is what the person sees, not the file's lines */
		what = cause != NULL ? e_without_place(ed, cause) : "?";
		if (!tui_confirm("%s. Save anyway?", what)) {
			tui_message(true, "not saved: %s", what);
			free(cause);
			return;
		}
		free(cause);
		cause = NULL;
	}
	/* a running machine takes what it can at once (core/live.c) */
	if (live_save_file(ed->p, ed->file, &rep, &cause) != 0) {
		tui_message(true, "%s", cause ? cause : "?");
		free(cause);
		return;
	}
	lock_stamp(ed->file, stamp);
	ed->dirty = false;
	live = live_report_text(&rep);
	tui_message(false, "saved %s%s%s", ed->file, live ? "; running: " :
	    "", live ? live : "");
	free(live);
	live_report_free(&rep);
}

/*
 * Down past the last row shown, or Up before the first, scrolls a list
 * topic by a row: true when it did.
 */
static bool
e_scroll(struct editor *ed, int req)
{
	struct efield	*ef = e_current(ed);
	int		 i;

	if (ef == NULL || ef->idx < 0)
		return false;
	i = field_index(ef->f);
	if (req == REQ_NEXT_FIELD && i == ed->nfields - 1 && ed->hidden > 0)
		ed->focus_row = ef->idx + 1;
	else if (req == REQ_PREV_FIELD && ed->row0 > 0 && ef->idx ==
	    ed->row0 && (i == 0 || ed->fields[i - 1].idx != ef->idx))
		ed->focus_row = ed->row0 - 1;
	else
		return false;
	e_build(ed, 0);
	return true;
}

/*
 * A new size: the form is laid out anew, and the text typed into the
 * current field but not yet taken stays there, the cursor at its end.
 */
static void
e_resize(struct editor *ed)
{
	struct efield	*ef = e_current(ed);
	char		*typed = NULL;
	int		 idx = ef != NULL ? field_index(ef->f) : 0;

	if (ef != NULL) {
		form_driver(ed->form, REQ_VALIDATION);
		typed = strdup(field_buffer(ef->f, 0));
	}
	e_build(ed, idx);
	if (typed != NULL && (ef = e_current(ed)) != NULL &&
	    field_index(ef->f) == idx) {
		set_field_buffer(ef->f, 0, typed);
		form_driver(ed->form, REQ_END_FIELD);
	}
	free(typed);
}

int
editor_run(const char *file)
{
	struct editor		 ed;
	struct lock		 lk;
	struct lock_stamp	 stamp;
	struct efield		*ef;
	char			*cause = NULL;
	wint_t			 wc;
	char			*text;
	int			 ch, req, r, action;
	bool			 note = false;

	memset(&ed, 0, sizeof ed);
	ed.file = file;
	ed.focus_row = -1;
	if (lock_edit(file, &lk, &cause) != 0) {
		tui_message(true, "%s", cause ? cause : "?");
		free(cause);
		return -1;
	}
	lock_stamp(file, &stamp);
	if (profile_parse(file, &ed.p, &cause) != 0) {
		if (cause != NULL && strchr(cause, '\n') != NULL)
			*strchr(cause, '\n') = '\0';
		tui_message(true, "cannot edit: %s (fix it in a text editor)",
		    cause ? cause : "?");
		free(cause);
		lock_release(&lk);
		return -1;
	}
	tui_message(false, "PgUp/PgDn changes topic; values are checked "
	    "when you leave a field");
	e_build(&ed, 0);
	for (;;) {
		if (tui_too_small()) {
			if ((ch = tui_getkey()) == -2)
				break;
			if (ch == KEY_RESIZE)
				e_resize(&ed);
			continue;
		}
		e_draw(&ed);
		if ((r = tui_getwch(&wc)) == -2)
			break;
		ch = (int)wc;
		/* a note on a key that did nothing goes with the next key */
		if (note)
			tui_message(false, "%s", "");
		note = false;
		/* text, whole characters: UTF-8 names and paths */
		if (r == OK && wc >= 32 && wc != 127) {
			ef = e_current(&ed);
			if (ef != NULL && ef->kind == FIELDS_FIXED) {
				tui_message(true, "the name is the file's name: "
				    "rename the machine with r in the list");
				note = true;
			}
			else if (ed.form != NULL && ef != NULL &&
			    ef->kind != FIELDS_ENUM)
				form_driver_w(ed.form, OK, wc);
			else if (ef != NULL && ef->kind == FIELDS_ENUM &&
			    keys_action(editor_keys, ch) == E_CHOOSE)
				e_cycle(&ed, 1);
			continue;
		}
		if (ch == KEY_RESIZE) {
			e_resize(&ed);
			continue;
		}
		ef = e_current(&ed);
		req = 0;
		action = keys_action(editor_keys, ch);
		/* these may open a dialog */
		ed.repost = action == E_SAVE || action == E_LEAVE ||
		    action == E_ADD || action == E_DELETE || action == E_HELP;
		switch (action) {
		case E_HELP:
			text = keys_help(editor_intro, editor_keys, NULL);
			tui_view("editor: keys", text != NULL ? text :
			    "out of memory");
			free(text);
			continue;
		case E_LEAVE:
			if (!e_commit(&ed) && !tui_confirm("That value is not "
			    "valid and will be lost. Leave anyway?"))
				continue;
			if (!ed.dirty || tui_confirm("Leave without saving your "
			    "changes to %s?", ed.p->name))
				goto out;
			continue;
		case E_SAVE:
			if (e_commit(&ed))
				e_save(&ed, &stamp);
			continue;
		case E_TOPIC:
			if (!e_commit(&ed))
				continue;
			ed.topic = (ed.topic + (ch == KEY_NPAGE ? 1 :
			    NTOPICS - 1)) % NTOPICS;
			e_build(&ed, 0);
			continue;
		case E_ADD:
			if (fields_section(ed.topic) < 0) {
				tui_message(true, "rows are added in Disks, "
				    "Shares and Forwards");
				continue;
			}
			if (e_commit(&ed)) {
				/* the cursor on the new row's first field */
				ed.focus_row = e_add_row(&ed);
				e_build(&ed, 0);
			}
			continue;
		case E_DELETE:
			if (e_commit(&ed)) {
				e_delete_row(&ed);
				e_build(&ed, 0);
			}
			continue;
		case E_NEXT:
			req = REQ_NEXT_FIELD;
			break;
		case E_PREV:
			req = REQ_PREV_FIELD;
			break;
		case E_CHOOSE:
			if (ef != NULL && ef->kind == FIELDS_ENUM)
				e_cycle(&ed, ch == KEY_LEFT ? -1 : 1);
			else if (ed.form != NULL)
				form_driver(ed.form, ch == KEY_LEFT ?
				    REQ_PREV_CHAR : REQ_NEXT_CHAR);
			continue;
		case E_HOME:
			form_driver(ed.form, REQ_BEG_FIELD);
			continue;
		case E_END:
			form_driver(ed.form, REQ_END_FIELD);
			continue;
		case E_BACKSPACE:
			form_driver(ed.form, REQ_DEL_PREV);
			continue;
		case E_DELCHAR:
			form_driver(ed.form, REQ_DEL_CHAR);
			continue;
		case E_CLEAR:
			form_driver(ed.form, REQ_CLR_FIELD);
			continue;
		}
		if (ed.form == NULL)
			continue;
		if (req != 0) {
			/*
			 * into the next field with the cursor at its end; the
			 * one left shows from its start, not where typing
			 * scrolled it
			 */
			if (e_commit(&ed) && !e_scroll(&ed, req)) {
				form_driver(ed.form, REQ_BEG_FIELD);
				form_driver(ed.form, req);
				form_driver(ed.form, REQ_END_FIELD);
			}
			continue;
		}
	}
out:
	e_free_form(&ed);
	profile_free(ed.p);
	lock_release(&lk);
	tui_message(false, "%s", "");
	return 0;
}
