/*
 * fuzz_cloudinit: a libFuzzer target for what goes into cloud-init's seed
 * from text someone else wrote: a profile's cloud-init values (as YAML
 * scalars) and a user-data file of one's own (as a MIME part). The first
 * byte says which; the rest is the text.
 *
 * Properties: a UTF-8 value comes back byte for byte from the YAML
 * scalar vmtui writes (decoded here by YAML's double-quoted rules; the
 * schema lets no other value through), and the scalar
 * holds nothing raw that a YAML reader folds or refuses (a line break, a
 * control character, C1, U+2028/9, U+FEFF, U+FFFE/F). A user-data file
 * that is text is in the MIME message once, whole, and no line of it is
 * taken for the message's boundary: exactly three lines start with
 * "--BOUNDARY", the two part openers and the end.
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_cloudinit
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cloudinit.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The value a YAML double-quoted scalar holds, as UTF-8 (escapes read). */
static char *
unquote(const char *q, size_t len)
{
	struct buf	 b;
	size_t		 i, n, k;
	unsigned int	 cp;
	char		 u[4];
	int		 h;

	if (len < 2 || q[0] != '"' || q[len - 1] != '"')
		abort();
	buf_init(&b);
	for (i = 1; i < len - 1; i++) {
		if (q[i] == '"')
			abort();	/* a quote left raw ends the scalar */
		if (q[i] != '\\') {
			buf_putc(&b, q[i]);
			continue;
		}
		i++;
		switch (q[i]) {
		case '"':
		case '\\':
			buf_putc(&b, q[i]);
			continue;
		case 'n':
			buf_putc(&b, '\n');
			continue;
		case 't':
			buf_putc(&b, '\t');
			continue;
		case 'x':
			n = 2;
			break;
		case 'u':
			n = 4;
			break;
		default:
			abort();	/* an escape vmtui does not write */
		}
		for (cp = 0, k = 1; k <= n; k++) {
			if ((h = hex(q[i + k])) < 0)
				abort();
			cp = cp << 4 | (unsigned int)h;
		}
		i += n;
		buf_add(&b, u, utf8_put(cp, u));
	}
	return buf_finish(&b, NULL);
}

/* Nothing raw in the scalar that a YAML reader folds or refuses. */
static void
printable(const char *q)
{
	const unsigned char	*p = (const unsigned char *)q;
	size_t			 len = strlen(q), n;
	unsigned int		 cp;

	while (len > 0) {
		if ((n = utf8_char(p, len, &cp)) == 0)
			abort();
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xfeff || cp == 0xfffe ||
		    cp == 0xffff)
			abort();
		p += n;
		len -= n;
	}
}

static void
scalar(const char *s)
{
	struct buf	 b;
	char		*q, *back;

	buf_init(&b);
	cloudinit_yaml_string(&b, s);
	if ((q = buf_finish(&b, NULL)) == NULL)
		abort();
	printable(q);
	/* the schema lets only UTF-8 through: other bytes need not return */
	if (!cloudinit_text(s, strlen(s))) {
		free(q);
		return;
	}
	back = unquote(q, strlen(q));
	if (back == NULL || strcmp(back, s) != 0)
		abort();
	free(back);
	free(q);
}

static void
mime(const char *data, size_t len)
{
	struct cloudinit_input	 in;
	struct profile		*p;
	char			*out, *cause = NULL, *b, boundary[80], *line;
	size_t			 blen, lines = 0;

	if ((p = profile_new("f", "/")) == NULL)
		abort();
	free(p->cloud_user_data);
	p->cloud_user_data = strdup("mine");
	memset(&in, 0, sizeof in);
	in.user = "vm";
	in.host_private = "K";
	in.host_public = "P";
	in.user_data = data;
	in.user_data_len = len;
	if (cloudinit_user_data(p, &in, &out, &cause) != 0) {
		if (cloudinit_text(data, len))
			abort();	/* text is always taken */
		free(cause);
		profile_free(p);
		return;
	}
	if ((b = strstr(out, "boundary=\"")) == NULL)
		abort();
	b += 10;
	blen = (size_t)(strchr(b, '"') - b);
	snprintf(boundary, sizeof boundary, "--%.*s", (int)blen, b);
	for (line = out; line != NULL; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, boundary, strlen(boundary)) == 0)
			lines++;
	}
	if (lines != 3)
		abort();
	/* the file, whole, after the first part's header */
	b = strstr(out, "filename=\"user-data\"\n\n");
	if (b == NULL || memcmp(b + 22, data, len) != 0 ||
	    strncmp(b + 22 + len, "\n--", 3) != 0)
		abort();
	free(out);
	profile_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if (size == 0)
		return 0;
	if ((s = strndup((const char *)data + 1, size - 1)) == NULL)
		abort();
	if (data[0] & 1)
		mime(s, strlen(s));
	else
		scalar(s);
	free(s);
	return 0;
}
