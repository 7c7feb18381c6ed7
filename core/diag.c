/*
 * diag: collects the problems of one file so that all of them are reported
 * at once, sorted by line, as "FILE:LINE: message" (or "FILE: message" when
 * no line is known), each on one line: a message's control characters
 * (bytes of the file it quotes) are escaped. Past DIAG_MAX problems the
 * rest are only counted.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "utf8.h"

void
diag_init(struct diag *d, const char *file)
{
	memset(d, 0, sizeof *d);
	d->file = file != NULL ? file : "profile";
}

/*
 * msg with its control characters escaped (\n, \t, \r, else \xHH, as
 * utf8_escape does for every text from elsewhere): a message quotes a
 * file's own bytes back, and each problem is one line that sends nothing
 * raw to a terminal. msg is freed; NULL: out of memory.
 */
char *
diag_escape(char *msg)
{
	char	*s = utf8_escape(msg, UTF8_ESC_NEWLINE);

	free(msg);
	return s;
}

/* Add a malloc'd message; the diag owns it from now on. */
void
diag_take(struct diag *d, int line, char *msg)
{
	struct diag_item	*v;

	if (msg != NULL)
		msg = diag_escape(msg);
	if (msg == NULL) {
		d->failed = 1;
		return;
	}
	if (d->n >= DIAG_MAX) {
		d->dropped++;
		free(msg);
		return;
	}
	if ((v = realloc(d->v, (d->n + 1) * sizeof *v)) == NULL) {
		d->failed = 1;
		free(msg);
		return;
	}
	d->v = v;
	d->v[d->n].line = line;
	d->v[d->n].seq = d->n;
	d->v[d->n].msg = msg;
	d->n++;
}

void
diag_add(struct diag *d, int line, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	diag_vadd(d, line, fmt, ap);
	va_end(ap);
}

/* diag_add with a va_list (libconfuse's error callbacks hand one over). */
void
diag_vadd(struct diag *d, int line, const char *fmt, va_list ap)
{
	char	*msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	diag_take(d, line, msg);
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag_item	*x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The report, one problem a line, or NULL when there is none. Frees the
 * items either way.
 */
char *
diag_finish(struct diag *d)
{
	struct buf	b;
	size_t		i, j;

	if (d->n == 0 && !d->failed) {
		diag_free(d);
		return NULL;
	}
	if (d->n > 0)
		qsort(d->v, d->n, sizeof *d->v, diag_cmp);
	buf_init(&b);
	for (i = 0; i < d->n; i++) {
		/* the loader and validation may both find one problem */
		for (j = i; j > 0 && d->v[j - 1].line == d->v[i].line; j--)
			if (strcmp(d->v[j - 1].msg, d->v[i].msg) == 0)
				break;
		if (j > 0 && d->v[j - 1].line == d->v[i].line)
			continue;
		if (b.len > 0)
			buf_putc(&b, '\n');
		if (d->v[i].line > 0)
			buf_printf(&b, "%s:%d: %s", d->file, d->v[i].line,
			    d->v[i].msg);
		else
			buf_printf(&b, "%s: %s", d->file, d->v[i].msg);
	}
	if (d->dropped > 0)
		buf_printf(&b, "\n%s: and %zu more problems", d->file,
		    d->dropped);
	if (d->failed)
		buf_printf(&b, "%s%s: out of memory", d->n > 0 ? "\n" : "",
		    d->file);
	diag_free(d);
	return buf_finish(&b, NULL);
}

void
diag_free(struct diag *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/*
 * A core function's cause, formatted into *cause (NULL when out of
 * memory); -1, so that a failing path reads return diag_cause(...).
 */
int
diag_cause(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) < 0)
		*cause = NULL;
	va_end(ap);
	return -1;
}
