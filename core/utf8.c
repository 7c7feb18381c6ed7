/*
 * utf8: the length of one well-formed UTF-8 character, by the rules of
 * RFC 3629 (no overlong forms, no surrogates, nothing past U+10FFFF).
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "utf8.h"

/* The bytes of the character at s (at most n), or 0; its code in *cp. */
size_t
utf8_char(const unsigned char *s, size_t n, unsigned int *cp)
{
	unsigned int	c;
	size_t		len, k;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* cp (at most U+10FFFF) as UTF-8 at out, which has room for 4: how many. */
size_t
utf8_put(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18 & 0x07));
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The bytes of the printable character at s (at most n), or 0: not a C0
 * or C1 control nor DEL (U+009B is CSI to xterm and VTE), nor a bidi
 * embedding, override or isolate (U+202A..U+202E, U+2066..U+2069), which
 * would show the text after it in another order than it is.
 */
size_t
utf8_printable(const unsigned char *s, size_t n)
{
	unsigned int	cp;
	size_t		len = utf8_char(s, n, &cp);

	if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return len;
}

/*
 * The character at s (n bytes left, n > 0) to b, escaped as flags say:
 * how many bytes it took.
 */
size_t
utf8_escape_char(struct buf *b, const unsigned char *s, size_t n, int flags)
{
	size_t	len;

	if (*s == '\\' && (flags & UTF8_ESC_BACKSLASH))
		buf_puts(b, "\\\\");
	else if (*s == '\n' && !(flags & UTF8_ESC_NEWLINE))
		buf_putc(b, '\n');
	else if (*s == '\n')
		buf_puts(b, "\\n");
	else if (*s == '\t' && (flags & UTF8_ESC_TAB_KEPT))
		buf_putc(b, '\t');
	else if (*s == '\t')
		buf_puts(b, "\\t");
	else if (*s == '\r')
		buf_puts(b, "\\r");
	else if ((len = utf8_printable(s, n)) > 0) {
		buf_add(b, s, len);
		return len;
	} else
		buf_printf(b, "\\x%02x", *s);
	return 1;
}

/* Text (a C string) escaped as flags say, to b. */
void
utf8_escape_into(struct buf *b, const char *text, int flags)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 n = strlen(text);

	while (n > 0) {
		size_t	k = utf8_escape_char(b, s, n, flags);

		s += k;
		n -= k;
	}
}

/* Text (a C string) escaped as flags say; NULL when out of memory. */
char *
utf8_escape(const char *text, int flags)
{
	struct buf	b;

	buf_init(&b);
	utf8_escape_into(&b, text, flags);
	return buf_finish(&b, NULL);
}
