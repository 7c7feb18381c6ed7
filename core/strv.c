/*
 * strv: a NULL-terminated vector of malloc'd strings. The vector is always
 * terminated so it can be handed to execv() and friends as it is.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strv.h"

static int
strv_take(struct strv *sv, char *s)
{
	char	**v;

	if (s == NULL)
		return -1;
	if ((v = realloc(sv->v, (sv->n + 2) * sizeof *v)) == NULL) {
		free(s);
		return -1;
	}
	sv->v = v;
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

int
strv_add(struct strv *sv, const char *s)
{
	return strv_take(sv, strdup(s));
}

int
strv_addf(struct strv *sv, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return strv_take(sv, s);
}

int
strv_copy(struct strv *dst, const struct strv *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		if (strv_add(dst, src->v[i]) != 0)
			return -1;
	return 0;
}

int
strv_equal(const struct strv *a, const struct strv *b)
{
	size_t	i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

char *
strv_join(const struct strv *sv, const char *sep)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			buf_puts(&b, sep);
		buf_puts(&b, sv->v[i]);
	}
	return buf_finish(&b, NULL);
}

void
strv_free(struct strv *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}
