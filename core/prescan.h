/*
 * prescan: a look at a profile's raw bytes before libconfuse parses it.
 * It refuses what libconfuse would mishandle (NUL bytes, invalid UTF-8,
 * deep nesting that exhausts its recursive parser, ${VAR} expansion that
 * a save could not write back) and notes the line each section starts on.
 */
#ifndef VMTUI_PRESCAN_H
#define VMTUI_PRESCAN_H

#include <stddef.h>

#include "diag.h"

#define PRESCAN_MAX_BYTES	(1024 * 1024)
#define PRESCAN_MAX_DEPTH	8

#define PRESCAN_TITLES		64	/* the cap on disk and share sections */

struct prescan_section {
	const char	*name;
	int		*lines;
	size_t		 n;
	const char	*titles[PRESCAN_TITLES];	/* raw, in the buffer */
	size_t		 tlens[PRESCAN_TITLES];
};

struct prescan {
	struct prescan_section	sections[7];
	int			open_string;	/* first string over lines */
	int			open_string_end;
};

int	prescan_run(char *, size_t, struct diag *, struct prescan *);
int	prescan_line(const struct prescan *, const char *, size_t);
size_t	prescan_count(const struct prescan *, const char *);
void	prescan_free(struct prescan *);

#endif
