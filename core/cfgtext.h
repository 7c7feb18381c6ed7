/*
 * cfgtext: a libconfuse file handed to libconfuse without its comments.
 * libconfuse 3.3 (Debian 12's) counts every comment line twice, so each
 * line number it reports after a comment is wrong, and it refuses a
 * comment inside a list. Comments carry nothing any model here needs (the
 * round-trip save keeps them from the file's own text), so they become
 * spaces, newlines kept, before libconfuse reads the text. libconfuse's
 * own messages go to a diag (FILE:LINE), never to stderr.
 */
#ifndef VMTUI_CFGTEXT_H
#define VMTUI_CFGTEXT_H

#include <stddef.h>

#include <confuse.h>

struct diag;

/* libconfuse takes an unclosed comment to the end of the file, quietly */
#define CFGTEXT_OPEN_COMMENT	"this comment is never closed with */: " \
	"everything after it would be left out"

int	cfgtext_parse(cfg_t *, const char *, char *, size_t, struct diag *);
int	cfgtext_load(cfg_t *, const char *, size_t, struct diag *, char **);

#endif
