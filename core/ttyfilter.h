/*
 * ttyfilter: a guest's console output made safe for the user's own
 * terminal (--no-tui). The bytes are parsed by libvterm's parser (through
 * the console model's guard against libvterm 0.1.4's faults) and only
 * what leaves no trace on a real terminal is written again: text, the
 * formatting controls, SGR without backgrounds, reverse or concealed
 * text, cursor moves and erasing within the screen. Everything else (OSC
 * titles and clipboard, DCS, APC, PM, SOS, modes, scroll regions,
 * charsets, queries, resets) is dropped.
 */
#ifndef VMTUI_TTYFILTER_H
#define VMTUI_TTYFILTER_H

#include <stddef.h>

struct buf;
struct ttyfilter;

/* What leaves a terminal as vmtui found it, after a filtered guest. */
#define TTYFILTER_RESTORE	"\033[0m\033[?25h\033[?7h"
/* vmtui's own lines: reverse video, which filtered output never has. */
#define TTYFILTER_OWN		"\033[0;7m"
#define TTYFILTER_OWN_END	"\033[0m"

struct ttyfilter *ttyfilter_new(void);
void		  ttyfilter_feed(struct ttyfilter *, const char *, size_t,
		      struct buf *);
void		  ttyfilter_free(struct ttyfilter *);

#endif
