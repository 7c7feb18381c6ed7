/*
 * keys: a screen's keys as one table (the codes a key answers to, the
 * screen's action, its word in the key bar, its help line), so that the
 * dispatch, the key bar, the help and vmtui --keys all come from it, and a
 * test holds the man page's key lists against it.
 */
#ifndef VMTUI_KEYS_H
#define VMTUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tui.h"

#define KEYS_CODES	6

struct keys_def {
	const char	*name;		/* "l or F5", as help and man page say */
	int		 codes[KEYS_CODES];	/* curses codes, chars; 0 ends */
	int		 action;	/* the screen's own, never 0 */
	const char	*bar;		/* its word in the key bar, or NULL */
	const char	*bar_alt;	/* in the screen's other state */
	const char	*help;		/* what it does, one sentence */
	const char	*label;		/* the bar's name, if not the first way */
};

int	 keys_action(const struct keys_def *, int);
size_t	 keys_bar(const struct keys_def *, bool, struct tui_key *, size_t);
char	*keys_help(const char *, const struct keys_def *, const char *);
void	 keys_print(FILE *, const char *, const struct keys_def *);
void	 keys_escape(struct keys_def *, size_t, unsigned);
char	*keys_escape_hint(const char *, unsigned);

#endif
