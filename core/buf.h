/*
 * buf: a growable byte buffer for building text (scripts, profiles,
 * messages). An allocation failure is sticky: later appends do nothing and
 * buf_finish() returns NULL, so callers check once at the end.
 */
#ifndef VMTUI_BUF_H
#define VMTUI_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
	int	 failed;
};

void	 buf_init(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
char	*buf_finish(struct buf *, size_t *);
void	 buf_free(struct buf *);

#endif
