/*
 * utf8: where UTF-8 is valid. The profile's bytes, the editor's fields and
 * the saved text all need the same answer: one well-formed character
 * (shortest form, no surrogates, at most U+10FFFF), or not; and one
 * character written as UTF-8.
 */
#ifndef VMTUI_UTF8_H
#define VMTUI_UTF8_H

#include <stddef.h>

size_t	utf8_char(const unsigned char *, size_t, unsigned int *);
size_t	utf8_put(unsigned int, char *);

#endif
