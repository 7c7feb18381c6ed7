/*
 * checksum: SHA-256 with nettle (the hash libcurl's TLS already brings),
 * and the lookup of a file in a published checksum file. Paths compare
 * with any leading "./" taken off both sides. nettle is opened when a
 * first checksum is taken: its start asks the CPU what it has (cpuid),
 * which a virtual machine answers slowly, and only downloads need it
 * (dynlib.h).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "checksum.h"
#include "diag.h"
#include "dynlib.h"

DYNLIB_NOTE(checksum_note, "nettle", "checksums of downloaded installers and "
    "images", "recommended", NETTLE_SONAME);

/* nettle, opened on first use: what this file calls. */
#define CHECKSUM_NETTLE(X)						\
	X(nettle_sha256_init) X(nettle_sha256_update) X(nettle_sha256_digest)

DYNLIB_TABLE(ln, checksum_names, CHECKSUM_NETTLE);

/* 0 once nettle is there, else -1 with *cause. */
static int
checksum_load(char **cause)
{
	static bool	loaded;

	if (loaded)
		return 0;
	if (dynlib_load(NETTLE_SONAME, NETTLE_PACKAGE, checksum_names,
	    sizeof checksum_names / sizeof checksum_names[0], &ln, cause) != 0)
		return -1;
	loaded = true;
	return 0;
}

static void
checksum_hexify(const uint8_t digest[SHA256_DIGEST_SIZE],
    char hex[CHECKSUM_HEX])
{
	int	i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

int
checksum_data(const void *data, size_t len, char hex[CHECKSUM_HEX],
    char **cause)
{
	struct sha256_ctx	ctx;
	uint8_t			digest[SHA256_DIGEST_SIZE];

	if (checksum_load(cause) != 0)
		return -1;
	ln.nettle_sha256_init(&ctx);
	ln.nettle_sha256_update(&ctx, len, data);
	ln.nettle_sha256_digest(&ctx, sizeof digest, digest);
	checksum_hexify(digest, hex);
	return 0;
}

int
checksum_file(const char *path, char hex[CHECKSUM_HEX], char **cause)
{
	struct sha256_ctx	 ctx;
	uint8_t			 digest[SHA256_DIGEST_SIZE], buf[65536];
	ssize_t			 n;
	int			 fd;

	if (checksum_load(cause) != 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return diag_cause(cause, "%s: %s", path, strerror(errno));
	ln.nettle_sha256_init(&ctx);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		ln.nettle_sha256_update(&ctx, (size_t)n, buf);
	if (n < 0) {
		n = errno;
		close(fd);
		return diag_cause(cause, "%s: %s", path, strerror((int)n));
	}
	close(fd);
	ln.nettle_sha256_digest(&ctx, sizeof digest, digest);
	checksum_hexify(digest, hex);
	return 0;
}

static const char *
checksum_strip(const char *s, size_t *len)
{
	while (*len >= 2 && s[0] == '.' && s[1] == '/') {
		s += 2;
		*len -= 2;
	}
	return s;
}

/* 64 hex digits at s, copied lower-case into hex. */
static bool
checksum_hex(const char *s, char hex[CHECKSUM_HEX])
{
	int	i;

	for (i = 0; i < 64; i++) {
		if (strchr("0123456789abcdefABCDEF", s[i]) == NULL ||
		    s[i] == '\0')
			return false;
		hex[i] = (char)(s[i] | 0x20);
	}
	hex[64] = '\0';
	return strchr("0123456789abcdefABCDEF", s[64]) == NULL || s[64] == '\0';
}

static bool
checksum_same(const char *a, size_t alen, const char *want)
{
	size_t	wlen = strlen(want);

	a = checksum_strip(a, &alen);
	want = checksum_strip(want, &wlen);
	return alen == wlen && memcmp(a, want, alen) == 0;
}

/*
 * The SHA-256 of path in text: 0 with hex set; -1 when it is not listed, or
 * listed twice with different sums.
 */
int
checksum_find(const char *text, const char *path, char hex[CHECKSUM_HEX])
{
	const char	*line, *end, *p, *q;
	char		 found[CHECKSUM_HEX], h[CHECKSUM_HEX];
	size_t		 len;
	int		 n = 0;

	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		len = (size_t)(end - line);
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len > 66 && checksum_hex(line, h) && line[64] == ' ' &&
		    (line[65] == ' ' || line[65] == '*')) {
			/* GNU: HASH, space, space or '*', path */
			if (!checksum_same(line + 66, len - 66, path))
				continue;
		} else if (len > 68 && line[0] == ' ' &&
		    checksum_hex(line + 1, h) && line[65] == ' ' &&
		    (p = line + 65 + strspn(line + 65, " ")) < line + len &&
		    strspn(p, "0123456789") > 0 &&
		    p[strspn(p, "0123456789")] == ' ') {
			/* Release: " HASH SIZE path" */
			p += strspn(p, "0123456789");
			p += strspn(p, " ");
			if (!checksum_same(p, (size_t)(line + len - p), path))
				continue;
		} else if (len > 10 && strncmp(line, "SHA256 (", 8) == 0 &&
		    (p = strstr(line, ") = ")) != NULL && p < line + len &&
		    (size_t)(line + len - (p + 4)) == 64 &&
		    checksum_hex(p + 4, h)) {
			/* BSD: SHA256 (path) = HASH */
			if (!checksum_same(line + 8, (size_t)(p - line - 8),
			    path))
				continue;
		} else if ((p = memchr(line, '=', len)) != NULL &&
		    (q = p + 1 + strspn(p + 1, " ")) < line + len &&
		    strncmp(q, "sha256:", 7) == 0 &&
		    (size_t)(line + len - (q + 7)) == 64 &&
		    checksum_hex(q + 7, h)) {
			/* .treeinfo: path = sha256:HASH */
			while (p > line && p[-1] == ' ')
				p--;
			if (!checksum_same(line, (size_t)(p - line), path))
				continue;
		} else
			continue;
		if (n++ > 0 && strcmp(found, h) != 0)
			return -1;
		memcpy(found, h, sizeof found);
	}
	if (n == 0)
		return -1;
	memcpy(hex, found, CHECKSUM_HEX);
	return 0;
}
