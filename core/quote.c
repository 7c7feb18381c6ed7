/*
 * quote: escaping for QEMU's option parser and for the shell.
 *
 * QEMU's QemuOpts syntax splits "key=value,key=value" at single commas; a
 * comma inside a value is doubled. Values are always given with an explicit
 * key (file=, path=), so a value that looks like "key=..." or starts with
 * '-' is still only a value.
 *
 * The shell escape writes a whole argv element as one single-quoted word;
 * nothing inside single quotes is special to sh but the quote itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quote.h"

char *
quote_qemu(const char *s)
{
	struct buf	b;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s == ',')
			buf_putc(&b, ',');
		buf_putc(&b, *s);
	}
	return buf_finish(&b, NULL);
}

void
quote_shell(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

char *
quote_shell_word(const char *s)
{
	struct buf	b;

	buf_init(&b);
	quote_shell(&b, s);
	return buf_finish(&b, NULL);
}
