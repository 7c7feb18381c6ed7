/*
 * release: a Debian Release file (the text of a suite's InRelease once
 * gpgv has checked its signature) as vmtui trusts it: its Codename, Date
 * and Valid-Until, the SHA-256 and size it lists for a file, the checks
 * that keep a mirror from serving another release or an old one, and the
 * newest Date accepted per Release url, remembered between runs.
 */
#ifndef VMTUI_RELEASE_H
#define VMTUI_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "checksum.h"

struct release {
	char	*codename;	/* NULL: the file has none */
	time_t	 date;		/* -1: none */
	time_t	 valid_until;	/* -1: none */
};

/* How far ahead of this host's clock a Date may be (clocks differ). */
#define RELEASE_SKEW	(60 * 60)

bool	release_field(const char *, size_t, const char *, const char **,
	    size_t *);
int	release_date(const char *, size_t, time_t *);
int	release_parse(const char *, struct release *, char **);
void	release_free(struct release *);
int	release_find(const char *, const char *, char[CHECKSUM_HEX],
	    long long *);
int	release_check(const struct release *, const char *, const char *,
	    time_t, time_t, char **);
int	release_newest(const char *, const char *, time_t *, char **);
int	release_remember(const char *, const char *, time_t, char **);

#endif
