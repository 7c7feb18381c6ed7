/*
 * status: what the launch view says about its machine. Beside the pane, a
 * column: the name, the state, the uptime and the power-down countdown,
 * memory and cores, the display, the forwards (what the machine runs now,
 * with the changes made live), the ports forwarded on their own, what
 * waits for the next start, the MACs of its VLANs, the shares with their
 * mount hint, and the keys. Folded, the same on the title line, what
 * matters most first. Text only: the view draws it (tui/view.c). What it
 * runs now is read again every two seconds while it runs, since another
 * vmtui may change it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "autofwd.h"
#include "buf.h"
#include "current.h"
#include "io.h"
#include "pane.h"
#include "profile.h"
#include "resolve.h"
#include "session.h"
#include "status.h"

/* Text wrapped at spaces to width, a line each, for the status column. */
static void
status_wrap(struct buf *b, const char *text, int width)
{
	const char	*p = text, *space;
	int		 len;

	while (*p != '\0') {
		len = (int)strlen(p);
		if (len > width) {
			for (space = p + width; space > p && *space != ' ';
			    space--)
				;
			len = space > p ? (int)(space - p) : width;
		}
		buf_printf(b, "%.*s\n", len, p);
		p += len;
		while (*p == ' ')
			p++;
	}
}

/* The uptime and the power-down countdown, as the status says them. */
static void
status_clock(struct status *st, struct buf *b, const char *sep)
{
	long	up;

	if (!st->s->running)
		return;
	up = (long)(time(NULL) - st->s->started);
	if (up < 0)
		up = 0;
	buf_printf(b, "%suptime: %ld:%02ld:%02ld", sep, up / 3600,
	    up / 60 % 60, up % 60);
	if (st->s->stop.phase == SESSION_POWERING)
		buf_printf(b, "%spowering down: quit in %ld s", sep,
		    (session_wait(&st->s->stop) + 999) / 1000);
}

/*
 * What the machine runs now (the changes made live), what it forwards on
 * its own and what waits for the next start: read again every two
 * seconds while it runs (another vmtui may have changed it).
 */
static void
status_live(struct status *st)
{
	struct profile	*saved;
	char		*why = NULL;

	if (!st->s->running || (st->live_at != 0 && io_now_ms() - st->live_at <
	    2000))
		return;
	st->live_at = io_now_ms();
	profile_free(st->now);
	st->now = NULL;
	if (current_load(st->p, &st->now, &why) != 0)
		st->now = NULL;
	free(why);
	why = NULL;
	free(st->own);
	st->own = autofwd_text(st->p);
	free(st->next);
	st->next = NULL;
	if (st->p->file != NULL && profile_parse(st->p->file, &saved,
	    &why) == 0) {
		st->next = current_pending(saved);
		profile_free(saved);
	}
	free(why);
}

/* The status column's text, a line each. */
void
status_column(struct status *st, struct buf *b)
{
	const struct profile	*p = st->p;
	size_t			 i;
	const char		*own, *end;
	char			*text, mac[RESOLVE_MAC_LEN], note[96];

	buf_printf(b, "%s\n\n", p->name);
	buf_printf(b, "state:  %s", st->state);
	status_clock(st, b, "\n");
	buf_printf(b, "\nmemory: %ld MiB, %ld core%s\n\n", p->memory, p->cores,
	    p->cores == 1 ? "" : "s");
	if (st->s->running && st->s->display != NULL) {
		status_wrap(b, st->s->display, STATUS_W - 3);
		buf_putc(b, '\n');
	}
	status_live(st);
	if (st->s->running && st->now != NULL)
		p = st->now;
	if (p->nforwards > 0)
		buf_puts(b, "forwards:\n");
	for (i = 0; i < p->nforwards; i++) {
		text = profile_forward_text(&p->forwards[i]);
		buf_printf(b, " %s\n", text != NULL ? text : "?");
		free(text);
	}
	if (st->s->running && st->own != NULL) {
		/* "A -> :G, B -> :H (H is taken here)": one a line */
		buf_puts(b, "forwarded on their own:\n");
		for (own = st->own; *own != '\0'; own = end + (*end != '\0' ?
		    2 : 0)) {
			if ((end = strstr(own, ", ")) == NULL)
				end = own + strlen(own);
			buf_printf(b, " %.*s\n", (int)(end - own), own);
		}
	}
	if (st->s->running && st->next != NULL) {
		buf_puts(b, "applies at the next start:\n");
		status_wrap(b, st->next, STATUS_W - 3);
	}
	p = st->p;
	if (p->vlans.n > 0)
		buf_puts(b, "vlans (MAC):\n");
	for (i = 0; i < p->vlans.n; i++) {
		resolve_vlan_mac(p->name, p->vlans.v[i], mac);
		buf_printf(b, " %-3ld %s\n", p->vlans.v[i], mac);
	}
	if (p->nshares > 0)
		buf_puts(b, "\nshares (mount in the guest):\n");
	/* the hint on three lines: the column is narrow */
	for (i = 0; i < p->nshares; i++)
		buf_printf(b, " mount -t 9p -o trans=virtio,\\\n"
		    "   version=9p2000.L,msize=%ld \\\n   %s %s\n", p->msize,
		    p->shares[i].tag, *p->shares[i].target ?
		    p->shares[i].target : "/mnt");
	if (pane_clipped(st->pane, note, sizeof note)) {
		buf_puts(b, "\nthe guest's screen, ");
		status_wrap(b, note, STATUS_W - 3);
	}
	if (st->pane->offset > 0 || st->pane->scrolling)
		buf_printf(b, "\nscrolled back %zu lines\n(q or Esc: back)\n",
		    st->pane->offset);
	if (st->s->running)
		buf_printf(b, "\nkeys go to the guest;\n%s then ? for help\n",
		    st->escape);
	else if (st->installed)
		buf_puts(b, "\nthe installer wrote\nto the disk:\nb   boot the installed\n    system from its disk\nr   run the installer\n    again\nEsc back\n");
	else
		buf_puts(b, "\nr   launch again\nEsc back\n");
}

/*
 * The status folded into the title line: what matters most first (the
 * terminal cuts the rest), the part of the guest's screen shown among it.
 */
char *
status_line(struct status *st)
{
	const struct profile	*p;
	struct buf		 b;
	char			*text, note[96];
	size_t			 i;

	buf_init(&b);
	buf_printf(&b, "%s: %s", st->p->name, st->state);
	if (pane_clipped(st->pane, note, sizeof note))
		buf_printf(&b, " - %s", note);
	if (st->pane->offset > 0 || st->pane->scrolling)
		buf_printf(&b, " - scrolled back %zu lines", st->pane->offset);
	status_clock(st, &b, " - ");
	/* what waits for the next start first: the line may be cut */
	status_live(st);
	if (st->s->running && st->next != NULL)
		buf_printf(&b, " - next start: %s", st->next);
	p = st->s->running && st->now != NULL ? st->now : st->p;
	for (i = 0; i < p->nforwards; i++) {
		text = profile_forward_text(&p->forwards[i]);
		buf_printf(&b, " - %s", text != NULL ? text : "?");
		free(text);
	}
	if (st->s->running && st->own != NULL)
		buf_printf(&b, " - on their own: %s", st->own);
	if (st->s->running)
		buf_printf(&b, " - %s s: status", st->escape);
	return buf_finish(&b, NULL);
}

/* What it runs now is read again at the next look (a change was made). */
void
status_stale(struct status *st)
{
	st->live_at = 0;
}

void
status_free(struct status *st)
{
	profile_free(st->now);
	free(st->own);
	free(st->next);
	st->now = NULL;
	st->own = st->next = NULL;
}
