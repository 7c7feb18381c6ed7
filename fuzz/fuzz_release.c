/*
 * fuzz_release: a Release file (the text of an InRelease after gpgv), as
 * a mirror serves it. Properties:
 * - no field is read past its line: release_field() and release_date()
 *   get exact-size copies of each line (a read past the end is an ASan
 *   error), and a field's value lies within its line;
 * - a date read is the date written: rendered again as Debian writes
 *   dates, it reads back as the same second;
 * - what release_parse() finds is what a line says: the Codename is the
 *   value of a "Codename:" line; a Date or Valid-Until found has its line;
 * - what release_find() finds for a path is a line of the SHA256 field
 *   that ends with the path and holds the hash (64 lower-case hex digits);
 * - bounded time: every 64th input, the text repeated to 1 MiB takes
 *   about 4 times as long to read as 256 KiB of it (linear), not 16.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fuzzutil.h"
#include "release.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fields[] = { "Codename", "Date", "Valid-Until",
    "SHA256", "Suite" };

/* Each line on its own: fields within it, dates that read back. */
static void
lines(const char *text)
{
	const char	*next = text, *line, *v;
	char		*c, buf[64];
	size_t		 len, vlen, i;
	struct tm	 tm;
	time_t		 t, again;

	while ((next = checksum_next(next, &line, &len)) != NULL) {
		c = fuzz_exact(line, len);
		for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (release_field(c, len, fields[i], &v, &vlen) &&
			    (v < c || v + vlen > c + len ||
			    memchr(v, '\n', vlen) != NULL))
				abort();
		if (release_date(c, len, &t) == 0) {
			if (gmtime_r(&t, &tm) == NULL)
				abort();
			len = strftime(buf, sizeof buf,
			    "%a, %d %b %Y %H:%M:%S UTC", &tm);
			if (tm.tm_year + 1900 >= 1970 &&
			    tm.tm_year + 1900 < 10000 && (release_date(buf,
			    len, &again) != 0 || again != t)) {
				fprintf(stderr, "\"%s\" reads %lld, not %lld\n",
				    buf, (long long)again, (long long)t);
				abort();
			}
		}
		free(c);
	}
}

/* Whether text has a line "name: value" (value NULL: any). */
static bool
has_line(const char *text, const char *name, const char *value)
{
	const char	*next = text, *line, *v;
	size_t		 len, vlen;

	while ((next = checksum_next(next, &line, &len)) != NULL)
		if (release_field(line, len, name, &v, &vlen) &&
		    (value == NULL || (vlen == strlen(value) &&
		    memcmp(v, value, vlen) == 0)))
			return true;
	return false;
}

static void
found(const char *text, const char *path)
{
	const char	*next = text, *line;
	char		 hex[CHECKSUM_HEX];
	long long	 size;
	size_t		 len, plen = strlen(path), i;

	if (release_find(text, path, hex, &size) != 0)
		return;
	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)hex[i]) ||
		    isupper((unsigned char)hex[i]))
			abort();
	if (size < 0 || hex[64] != '\0')
		abort();
	while ((next = checksum_next(next, &line, &len)) != NULL)
		if (len > plen && line[0] == ' ' &&
		    memcmp(line + len - plen, path, plen) == 0 &&
		    strncasecmp(line + strspn(line, " "), hex, 64) == 0)
			return;
	abort();
}

/* What the time is taken of: the fields, and a file's line. */
static void
read_all(const char *text, void *arg)
{
	struct release	 r;
	char		*cause = NULL, hex[CHECKSUM_HEX];
	long long	 size;

	(void)arg;
	if (release_parse(text, &r, &cause) == 0)
		release_free(&r);
	free(cause);
	(void)release_find(text, "main/SHA256SUMS", hex, &size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct release	 r;
	char		*text, *cause = NULL;

	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	lines(text);
	if (release_parse(text, &r, &cause) == 0) {
		if (cause != NULL)
			abort();
		if (r.codename != NULL && (strchr(r.codename, '\n') != NULL ||
		    !has_line(text, "Codename", r.codename)))
			abort();
		if ((r.date != -1 && !has_line(text, "Date", NULL)) ||
		    (r.valid_until != -1 && !has_line(text, "Valid-Until",
		    NULL)))
			abort();
		release_free(&r);
	} else if (cause == NULL)
		abort();
	free(cause);
	found(text, "main/installer-amd64/current/images/SHA256SUMS");
	found(text, "x");
	if (fuzz_sampled())
		fuzz_linear(read_all, text, NULL);
	free(text);
	return 0;
}
