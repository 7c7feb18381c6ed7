/*
 * utf8: where UTF-8 is valid. The profile's bytes, the editor's fields and
 * the saved text all need the same answer: one well-formed character
 * (shortest form, no surrogates, at most U+10FFFF), or not; and one
 * character written as UTF-8. And text that someone else wrote, escaped
 * so that no control character reaches a terminal: the editor's fields
 * and what the command line prints show it the same way (\t, \r, \n,
 * \xHH for other control characters and bytes that are not UTF-8).
 */
#ifndef VMTUI_UTF8_H
#define VMTUI_UTF8_H

#include <stddef.h>

struct buf;

#define UTF8_ESC_BACKSLASH	0x1	/* a backslash as \\ (read back) */
#define UTF8_ESC_NEWLINE	0x2	/* a newline as \n; else kept */
#define UTF8_ESC_TAB_KEPT	0x4	/* a tab kept; else as \t */

size_t	utf8_char(const unsigned char *, size_t, unsigned int *);
size_t	utf8_put(unsigned int, char *);
size_t	utf8_printable(const unsigned char *, size_t);
size_t	utf8_escape_char(struct buf *, const unsigned char *, size_t, int);
void	utf8_escape_into(struct buf *, const char *, int);
char	*utf8_escape(const char *, int);

#endif
