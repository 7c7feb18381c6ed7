/*
 * keys: what the screens' key tables give: the action of a key typed, the
 * key bar in either state of a screen, the help text, and the lines of
 * vmtui --keys. The tables themselves are the screens' (browser_keys,
 * editor_keys), but for the commands after the escape key, whose table is
 * core/session.c's session_keys: a front end's keys_def table and the
 * hint after the escape key are made from it here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "keys.h"
#include "session.h"

#define KEYS_NAME_W	12	/* the help's first column */
#define KEYS_HELP_W	58	/* its lines, wrapped at spaces */

/* The action of the key typed, or 0 when the screen has none for it. */
int
keys_action(const struct keys_def *t, int code)
{
	int	i;

	for (; t->name != NULL; t++)
		for (i = 0; i < KEYS_CODES && t->codes[i] != 0; i++)
			if (t->codes[i] == code)
				return t->action;
	return 0;
}

/*
 * The key bar: each key with a word (bar, or bar_alt in the screen's other
 * state), named by its label or its first way ("l" of "l or F5"). The
 * names point into static storage of this file, rewritten at each call.
 */
size_t
keys_bar(const struct keys_def *t, bool alt, struct tui_key *out, size_t max)
{
	static char	 names[32][16];
	const char	*word, *or, *label;
	size_t		 n = 0, len;

	for (; t->name != NULL && n + 1 < max && n < 32; t++) {
		if ((word = alt ? t->bar_alt : t->bar) == NULL)
			continue;
		label = t->label != NULL ? t->label : t->name;
		len = strcspn(label, ",");
		if ((or = strstr(label, " or ")) != NULL &&
		    (size_t)(or - label) < len)
			len = (size_t)(or - label);
		if (len >= sizeof names[n])
			len = sizeof names[n] - 1;
		memcpy(names[n], label, len);
		names[n][len] = '\0';
		out[n].key = names[n];
		out[n].what = word;
		n++;
	}
	out[n].key = out[n].what = NULL;
	return n;
}

/* One help line, or more: the name, then the text wrapped beside it. */
static void
keys_help_line(struct buf *b, const char *name, const char *text)
{
	const char	*p = text, *space;
	size_t		 len;
	int		 first = 1;

	while (*p != '\0' || first) {
		len = strlen(p);
		if (len > KEYS_HELP_W - KEYS_NAME_W - 3) {
			len = KEYS_HELP_W - KEYS_NAME_W - 3;
			for (space = p + len; space > p && *space != ' '; space--)
				;
			if (space > p)
				len = (size_t)(space - p);
		}
		buf_printf(b, "  %-*s %.*s\n", KEYS_NAME_W, first ? name : "",
		    (int)len, p);
		p += len;
		while (*p == ' ')
			p++;
		first = 0;
	}
}

/* The help: intro, a line for each key, outro (either may be NULL). */
char *
keys_help(const char *intro, const struct keys_def *t, const char *outro)
{
	struct buf	b;

	buf_init(&b);
	if (intro != NULL)
		buf_puts(&b, intro);
	for (; t->name != NULL; t++)
		keys_help_line(&b, t->name, t->help);
	if (outro != NULL)
		buf_puts(&b, outro);
	return buf_finish(&b, NULL);
}

/* vmtui --keys: "SCREEN<TAB>NAME<TAB>help" for each key of a table. */
void
keys_print(FILE *f, const char *screen, const struct keys_def *t)
{
	for (; t->name != NULL; t++)
		fprintf(f, "%s\t%s\t%s\n", screen, t->name, t->help);
}

/*
 * The commands after the escape key that where (SESSION_VIEW) obeys, from
 * session_keys, as a keys_def table of at most max entries (the last
 * empty); PgUp scrolls too.
 */
void
keys_escape(struct keys_def *t, size_t max, unsigned where)
{
	const struct session_key	*e;
	size_t				 n = 0;

	for (e = session_keys; e->name != NULL && n + 1 < max; e++) {
		if (!(e->where & where))
			continue;
		memset(&t[n], 0, sizeof t[n]);
		t[n].name = e->name;
		t[n].codes[0] = e->key;
		if (e->cmd == SESSION_SCROLL)
			t[n].codes[1] = KEY_PPAGE;
		t[n].action = (int)e->cmd;
		t[n].bar = e->bar ? e->word : NULL;
		t[n].help = e->help;
		n++;
	}
	memset(&t[n], 0, sizeof t[n]);
}

/* What may follow the escape key (named name) in where, help last. */
char *
keys_escape_hint(const char *name, unsigned where)
{
	const struct session_key	*e;
	struct buf			 b;

	buf_init(&b);
	buf_printf(&b, "%s: then", name);
	for (e = session_keys; e->name != NULL; e++)
		if ((e->where & where) && e->cmd != SESSION_HELP)
			buf_printf(&b, " %c %s,", e->key, e->word);
	buf_puts(&b, " ? help");
	return buf_finish(&b, NULL);
}
