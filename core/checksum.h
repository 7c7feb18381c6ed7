/*
 * checksum: SHA-256 or SHA-512 of a file, SHA-256 of a text (nettle,
 * opened on first use),
 * and a file's entry in a checksum file as distributions publish them:
 * GNU's "HASH  ./path" (Debian's SHA256SUMS, Alpine's .sha256), BSD's
 * "SHA256 (path) = HASH" (Fedora's CHECKSUM), Fedora's .treeinfo
 * "path = sha256:HASH"; a hash of 64 hex digits is a SHA-256, of 128 a
 * SHA-512 (Debian's cloud images, Alpine's). (A Debian Release file's SHA256 field is
 * release.c's.)
 */
#ifndef VMTUI_CHECKSUM_H
#define VMTUI_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>

#define CHECKSUM_HEX	129	/* up to 128 hex digits and a NUL */

/* The hashes, by the number of hex digits they are written with. */
enum checksum_kind { CHECKSUM_SHA256 = 64, CHECKSUM_SHA512 = 128 };

int	checksum_file(const char *, char[CHECKSUM_HEX], char **);
int	checksum_fd(int, const char *, int, char[CHECKSUM_HEX],
	    int (*)(void *, long long), void *, char **);
int	checksum_kind(const char *);
int	checksum_data(const void *, size_t, char[CHECKSUM_HEX], char **);
int	checksum_find(const char *, const char *, char[CHECKSUM_HEX]);
bool	checksum_hex(const char *, char[CHECKSUM_HEX]);
bool	checksum_any(const char *);
const char *checksum_next(const char *, const char **, size_t *);
bool	checksum_line(const char *, size_t, const char *, char[CHECKSUM_HEX]);

#endif
