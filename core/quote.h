/*
 * quote: the two escapes every value goes through on its way to QEMU:
 * QEMU's option syntax (a ',' inside a value is written ",,") and then the
 * POSIX shell (one single-quoted word, "'" written '\'').
 */
#ifndef VMTUI_QUOTE_H
#define VMTUI_QUOTE_H

#include "buf.h"

char	*quote_qemu(const char *);
void	 quote_shell(struct buf *, const char *);
char	*quote_shell_word(const char *);

#endif
