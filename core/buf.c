/*
 * buf: a growable byte buffer with a sticky allocation failure, so that
 * code building text does not check every append.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof *b);
}

static int
buf_grow(struct buf *b, size_t more)
{
	size_t	 want, size;
	char	*data;

	if (b->failed)
		return -1;
	if (more > (size_t)-1 / 2 - b->len) {
		b->failed = 1;
		return -1;
	}
	want = b->len + more + 1;
	if (want <= b->size)
		return 0;
	size = b->size ? b->size : 256;
	while (size < want)
		size *= 2;
	if ((data = realloc(b->data, size)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = data;
	b->size = size;
	return 0;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) != 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (buf_grow(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Hand the text over to the caller (NUL-terminated); NULL if anything failed. */
char *
buf_finish(struct buf *b, size_t *lenp)
{
	char	*data;

	if (!b->failed && b->data == NULL && buf_grow(b, 0) == 0)
		b->data[0] = '\0';
	if (b->failed) {
		buf_free(b);
		return NULL;
	}
	data = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	buf_init(b);
	return data;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}
