/*
 * fuzz_checksum: a published checksum file (GNU, BSD, .treeinfo), as a
 * mirror serves it, looked up for a file. The input's first line is the
 * file's path, the rest the checksum file. Properties:
 * - each line is read on its own: checksum_line() gets an exact-size copy
 *   (no NUL after it), so a read past the line's end is an ASan error;
 * - a hash checksum_find() returns is 64 (SHA-256) or 128 (SHA-512)
 *   lower-case hex digits, and it is
 *   what a line of the file says for that path, a line that names it and
 *   holds the hash (in any case); every line that lists the path says the
 *   same hash, else the file is refused; nothing found means no line
 *   lists it; checksum_any() agrees with the lines;
 * - linear time: every 64th input, the text repeated to 1 MiB takes about
 *   4 times as long to search as 256 KiB of it, not 16 (the quadratic
 *   search of old: 2 s for 1 MiB of "SHA256 (abc" lines, 32 s for 4).
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "fuzzutil.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* checksum_line on a copy of exactly len bytes. */
static bool
line_of(const char *line, size_t len, const char *path, char hex[CHECKSUM_HEX])
{
	char	*copy = fuzz_exact(line, len);
	bool	 r;

	r = checksum_line(copy, len, path, hex);
	free(copy);
	return r;
}

static bool
is_hash(const char *hex)
{
	size_t	i, n = strlen(hex);

	if (n != 64 && n != 128)
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)hex[i]) || isupper((unsigned char)hex[i]))
			return false;
	return true;
}

/* Whether line (len bytes) holds s, case aside. */
static bool
holds(const char *line, size_t len, const char *s)
{
	size_t	n = strlen(s), i;

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(line + i, s, n) == 0)
			return true;
	return false;
}

/* What the time is taken of: a lookup of the path, and of any file. */
static void
search(const char *text, void *path)
{
	char	hex[CHECKSUM_HEX];

	(void)checksum_find(text, path, hex);
	(void)checksum_any(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*in, *text, *path, *p, hex[CHECKSUM_HEX], h[CHECKSUM_HEX];
	const char	*next, *line;
	size_t		 len, plen;
	bool		 any = false, listed = false, differ = false, named;
	char		 first[CHECKSUM_HEX] = "";

	if ((in = malloc(size + 1)) == NULL)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	path = in;
	if ((p = strchr(in, '\n')) == NULL) {
		free(in);
		return 0;
	}
	*p = '\0';
	text = p + 1;
	for (next = text; (next = checksum_next(next, &line, &len)) != NULL;) {
		if (line_of(line, len, NULL, h)) {
			any = true;
			if (!is_hash(h) || !holds(line, len, h))
				abort();
		}
		if (!line_of(line, len, path, h))
			continue;
		/* the line names the path (less a leading "./") */
		plen = strlen(path);
		for (p = path; plen >= 2 && p[0] == '.' && p[1] == '/'; p += 2)
			plen -= 2;
		named = holds(line, len, p);
		if (!is_hash(h) || !holds(line, len, h) || !named)
			abort();
		if (listed && strcmp(first, h) != 0)
			differ = true;
		if (!listed)
			memcpy(first, h, sizeof first);
		listed = true;
	}
	if (checksum_any(text) != any)
		abort();
	if (checksum_find(text, path, hex) == 0) {
		if (!listed || differ || strcmp(hex, first) != 0)
			abort();
	} else if (listed && !differ)
		abort();
	if (fuzz_sampled())
		fuzz_linear(search, text, path);
	free(in);
	return 0;
}
