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
#include "io.h"

DYNLIB_NOTE(checksum_note, "nettle", "checksums of downloaded installers and "
    "images", "recommended", NETTLE_SONAME);

/* nettle, opened on first use: what this file calls. */
#define CHECKSUM_NETTLE(X)						\
	X(nettle_sha256_init) X(nettle_sha256_update) X(nettle_sha256_digest) \
	X(nettle_sha512_init) X(nettle_sha512_update) X(nettle_sha512_digest)

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
checksum_hexify(const uint8_t *digest, size_t len, char hex[CHECKSUM_HEX])
{
	size_t	i;

	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* The kind of hash hex is (enum checksum_kind) by its length, or -1. */
int
checksum_kind(const char *hex)
{
	size_t	len = strlen(hex);

	return len == CHECKSUM_SHA256 ? CHECKSUM_SHA256 :
	    len == CHECKSUM_SHA512 ? CHECKSUM_SHA512 : -1;
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
	checksum_hexify(digest, sizeof digest, hex);
	return 0;
}

/*
 * The hash of the kind asked (enum checksum_kind) of the file open at fd, read from its start (with pread: the
 * file's offset stays), whatever else holds it. tick (NULL: none) is told
 * the bytes read about four times a second; nonzero from it stops here:
 * -2. -1 with why (what names the file) when it cannot be read.
 */
int
checksum_fd(int fd, const char *what, int kind, char hex[CHECKSUM_HEX],
    int (*tick)(void *, long long), void *arg, char **cause)
{
	struct sha256_ctx	 ctx;
	struct sha512_ctx	 ctx512;
	uint8_t			 digest[SHA512_DIGEST_SIZE], buf[65536];
	ssize_t			 n;
	off_t			 off = 0;
	long			 last = io_now_ms();
	bool			 long_ = kind == CHECKSUM_SHA512;

	if (checksum_load(cause) != 0)
		return -1;
	if (long_)
		ln.nettle_sha512_init(&ctx512);
	else
		ln.nettle_sha256_init(&ctx);
	while ((n = pread(fd, buf, sizeof buf, off)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return diag_cause(cause, "%s: %s", what,
			    strerror(errno));
		if (long_)
			ln.nettle_sha512_update(&ctx512, (size_t)n, buf);
		else
			ln.nettle_sha256_update(&ctx, (size_t)n, buf);
		off += n;
		if (tick != NULL && io_now_ms() - last >= 250) {
			last = io_now_ms();
			if (tick(arg, (long long)off) != 0)
				return -2;
		}
	}
	if (long_) {
		ln.nettle_sha512_digest(&ctx512, SHA512_DIGEST_SIZE, digest);
		checksum_hexify(digest, SHA512_DIGEST_SIZE, hex);
	} else {
		ln.nettle_sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
		checksum_hexify(digest, SHA256_DIGEST_SIZE, hex);
	}
	return 0;
}

int
checksum_file(const char *path, char hex[CHECKSUM_HEX], char **cause)
{
	int	fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return diag_cause(cause, "%s: %s", path, strerror(errno));
	r = checksum_fd(fd, path, CHECKSUM_SHA256, hex, NULL, NULL, cause);
	close(fd);
	return r;
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

static bool
checksum_is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * The n hex digits at s (all there: the caller counted; nothing after them
 * is read), lower-cased into hex.
 */
static bool
checksum_hex_n(const char *s, size_t n, char hex[CHECKSUM_HEX])
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!checksum_is_hex(s[i]))
			return false;
		hex[i] = (char)(s[i] | 0x20);
	}
	hex[n] = '\0';
	return true;
}

/* A SHA-256's 64 hex digits at s, as checksum_hex_n. */
bool
checksum_hex(const char *s, char hex[CHECKSUM_HEX])
{
	return checksum_hex_n(s, CHECKSUM_SHA256, hex);
}

/* Whether a (alen bytes) names the file want (NULL: any file). */
static bool
checksum_same(const char *a, size_t alen, const char *want)
{
	size_t	wlen;

	if (want == NULL)
		return alen > 0;
	wlen = strlen(want);
	a = checksum_strip(a, &alen);
	want = checksum_strip(want, &wlen);
	return alen > 0 && alen == wlen && memcmp(a, want, alen) == 0;
}

/*
 * Whether the line (len bytes, no newline; nothing past it is read) lists
 * path (NULL: any file), with its hash into hex: GNU "HASH  path" or
 * "HASH *path" (a SHA-256 or a SHA-512), BSD "SHA256 (path) = HASH" or
 * "SHA512 (path) = HASH", .treeinfo "path = sha256:HASH". The hash is
 * taken from its fixed place (the start, or the end), so a name holding
 * ") = " or " = " is still read whole.
 */
bool
checksum_line(const char *line, size_t len, const char *path,
    char hex[CHECKSUM_HEX])
{
	size_t	end, n;

	/* GNU: HASH, a space, a space or '*', the path */
	for (n = CHECKSUM_SHA256; n <= CHECKSUM_SHA512; n += CHECKSUM_SHA256)
		if (len > n + 2 && line[n] == ' ' && (line[n + 1] == ' ' ||
		    line[n + 1] == '*') && checksum_hex_n(line, n, hex))
			return checksum_same(line + n + 2, len - n - 2, path);
	/* BSD: SHA512 (path) = HASH */
	n = CHECKSUM_SHA512;
	if (len > 8 + 4 + n && memcmp(line, "SHA512 (", 8) == 0 &&
	    memcmp(line + len - n - 4, ") = ", 4) == 0)
		return checksum_hex_n(line + len - n, n, hex) &&
		    checksum_same(line + 8, len - 8 - n - 4, path);
	if (len < 64 + 4 || !checksum_hex(line + len - 64, hex))
		return false;
	/* BSD: SHA256 (path) = HASH */
	if (len > 8 + 4 + 64 && memcmp(line, "SHA256 (", 8) == 0 &&
	    memcmp(line + len - 68, ") = ", 4) == 0)
		return checksum_same(line + 8, len - 8 - 68, path);
	/* .treeinfo: path = sha256:HASH, spaces around the '=' or not */
	if (len < 7 + 64 + 2 || memcmp(line + len - 71, "sha256:", 7) != 0)
		return false;
	end = len - 71;
	while (end > 0 && line[end - 1] == ' ')
		end--;
	if (end == 0 || line[--end] != '=')
		return false;
	while (end > 0 && line[end - 1] == ' ')
		end--;
	return checksum_same(line, end, path);
}

/*
 * Each line of text in turn, from p: its start and length without the
 * newline (nor a \r before it); the next line's start, or NULL at the end.
 */
const char *
checksum_next(const char *p, const char **line, size_t *len)
{
	const char	*end;

	if (*p == '\0')
		return NULL;
	end = strchrnul(p, '\n');
	*line = p;
	*len = (size_t)(end - p);
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return *end == '\n' ? end + 1 : end;
}

/* Whether text lists any file's SHA-256 at all (else it is no such file). */
bool
checksum_any(const char *text)
{
	const char	*p = text, *line;
	char		 h[CHECKSUM_HEX];
	size_t		 len;

	while ((p = checksum_next(p, &line, &len)) != NULL)
		if (checksum_line(line, len, NULL, h))
			return true;
	return false;
}

/*
 * The hash of path in text (a SHA-256 or a SHA-512): 0 with hex set; -1 when it is not listed, or
 * listed twice with different sums. Each line is read on its own
 * (checksum_line), so the time is linear in the text's length.
 */
int
checksum_find(const char *text, const char *path, char hex[CHECKSUM_HEX])
{
	const char	*p = text, *line;
	char		 found[CHECKSUM_HEX], h[CHECKSUM_HEX];
	size_t		 len;
	int		 n = 0;

	while ((p = checksum_next(p, &line, &len)) != NULL) {
		if (!checksum_line(line, len, path, h))
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
