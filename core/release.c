/*
 * release: the fields of a Debian Release file that an install trusts.
 * A signature only says that Debian signed the text once: a mirror can
 * still serve a correctly signed Release of another suite (a downgrade),
 * or an old one (holding back every fix). So the Codename must be the
 * entry's, the Date not in the future nor older than the newest one
 * accepted before from the same url, and a Valid-Until not passed. Suite
 * is not checked: bookworm's says "oldstable" today, "stable" last year.
 *
 * Every line is read on its own, with its length (no function looks past
 * a line's end), so a hostile file costs time linear in its size. The
 * Date is read by hand (RFC 2822, as Debian writes it) rather than by
 * strptime, whose month and day names follow the locale.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "diag.h"
#include "io.h"
#include "lock.h"
#include "paths.h"
#include "release.h"

static int	release_remember_locked(const char *, const char *, time_t,
		    char **);

/* The largest file of remembered dates read (a line per mirror and suite). */
#define RELEASE_STATE_MAX	(1 << 20)

/*
 * Whether the line (len bytes, no newline) is the field name ("Date:",
 * in any case): its value, spaces around it taken off, in value and vlen.
 * A continuation line (starting with a space) is no field.
 */
bool
release_field(const char *line, size_t len, const char *name,
    const char **value, size_t *vlen)
{
	size_t	n = strlen(name), i;

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
		return false;
	for (i = n + 1; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	while (len > i && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
	    line[len - 1] == '\r'))
		len--;
	*value = line + i;
	*vlen = len - i;
	return true;
}

/* n digits at *s (within end) as a number; false when they are not. */
static bool
release_digits(const char **s, const char *end, int min, int max, int *v)
{
	int	n = 0;

	*v = 0;
	while (*s < end && **s >= '0' && **s <= '9' && n < max) {
		*v = *v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n >= min && (*s == end || **s < '0' || **s > '9');
}

static bool
release_skip(const char **s, const char *end, char c)
{
	if (*s >= end || **s != c)
		return false;
	(*s)++;
	return true;
}

/*
 * A Date as Debian writes it, "Sat, 10 Aug 2024 09:40:13 UTC" (RFC 2822:
 * the day name optional, the zone UTC, GMT, Z or +HHMM/-HHMM), as seconds
 * since the epoch. -1 when it is not one.
 */
int
release_date(const char *s, size_t len, time_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char	*end = s + len, *p;
	struct tm	 tm;
	int		 mon, off = 0, hh, mm, sign;
	time_t		 v;

	memset(&tm, 0, sizeof tm);
	if ((p = memchr(s, ',', len)) != NULL) {
		if (p - s != 3)
			return -1;
		s = p + 1;
	}
	while (s < end && *s == ' ')
		s++;
	if (!release_digits(&s, end, 1, 2, &tm.tm_mday) ||
	    !release_skip(&s, end, ' ') || end - s < 4)
		return -1;
	for (mon = 0; mon < 12; mon++)
		if (strncasecmp(s, months + 3 * mon, 3) == 0)
			break;
	if (mon == 12 || s[3] != ' ')
		return -1;
	s += 4;
	tm.tm_mon = mon;
	if (!release_digits(&s, end, 4, 4, &tm.tm_year) ||
	    !release_skip(&s, end, ' ') ||
	    !release_digits(&s, end, 2, 2, &tm.tm_hour) ||
	    !release_skip(&s, end, ':') ||
	    !release_digits(&s, end, 2, 2, &tm.tm_min) ||
	    !release_skip(&s, end, ':') ||
	    !release_digits(&s, end, 2, 2, &tm.tm_sec) ||
	    !release_skip(&s, end, ' '))
		return -1;
	if ((end - s == 3 && (memcmp(s, "UTC", 3) == 0 ||
	    memcmp(s, "GMT", 3) == 0)) || (end - s == 1 && *s == 'Z'))
		off = 0;
	else if (end - s == 5 && (*s == '+' || *s == '-')) {
		sign = *s++ == '-' ? -1 : 1;
		if (!release_digits(&s, end, 4, 4, &hh) || hh / 100 > 23 ||
		    hh % 100 > 59)
			return -1;
		mm = hh % 100;
		hh /= 100;
		off = sign * (hh * 3600 + mm * 60);
	} else
		return -1;
	if (tm.tm_year < 1970 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	if ((v = timegm(&tm)) == (time_t)-1)
		return -1;
	*t = v - off;
	return 0;
}

/* "2024-08-10 09:40 UTC", for messages. */
static const char *
release_when(time_t t, char buf[32])
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, 32, "%lld", (long long)t);
	return buf;
}

/*
 * Codename, Date and Valid-Until of the Release text into r. -1 with why
 * when a Date is not a date, or a field is given twice (which one would
 * count?).
 */
int
release_parse(const char *text, struct release *r, char **cause)
{
	const char	*p = text, *line, *v;
	size_t		 len, vlen;
	time_t		*t;
	const char	*name;

	r->codename = NULL;
	r->date = r->valid_until = -1;
	while ((p = checksum_next(p, &line, &len)) != NULL) {
		if (len == 0)
			break;		/* one paragraph: its end */
		if (release_field(line, len, "Codename", &v, &vlen)) {
			if (r->codename != NULL) {
				name = "Codename";
				goto twice;
			}
			if ((r->codename = strndup(v, vlen)) == NULL)
				return diag_cause(cause, "out of memory");
			continue;
		}
		if (release_field(line, len, "Date", &v, &vlen)) {
			name = "Date";
			t = &r->date;
		} else if (release_field(line, len, "Valid-Until", &v, &vlen)) {
			name = "Valid-Until";
			t = &r->valid_until;
		} else
			continue;
		if (*t != -1)
			goto twice;
		if (release_date(v, vlen, t) != 0) {
			release_free(r);
			return diag_cause(cause, "its %s \"%.*s\" is not a date "
			    "(\"Sat, 10 Aug 2024 09:40:13 UTC\")", name,
			    (int)(vlen > 64 ? 64 : vlen), v);
		}
	}
	return 0;
twice:
	release_free(r);
	return diag_cause(cause, "it gives %s twice", name);
}

void
release_free(struct release *r)
{
	free(r->codename);
	r->codename = NULL;
}

/*
 * The SHA-256 and size the Release's SHA256 field lists for path (lines
 * " HASH SIZE PATH" below "SHA256:"): 0, or -1 when it lists none, or
 * two that differ.
 */
int
release_find(const char *text, const char *path, char hex[CHECKSUM_HEX],
    long long *size)
{
	const char	*p = text, *line, *v, *q, *end;
	char		 h[CHECKSUM_HEX];
	size_t		 len, vlen, plen = strlen(path);
	long long	 sz;
	bool		 in = false;
	int		 n = 0;

	while ((p = checksum_next(p, &line, &len)) != NULL) {
		if (len > 0 && line[0] != ' ' && line[0] != '\t') {
			in = release_field(line, len, "SHA256", &v, &vlen) &&
			    vlen == 0;
			continue;
		}
		if (!in || len == 0)
			continue;
		end = line + len;
		for (q = line; q < end && *q == ' '; q++)
			;
		/* 64 hex digits, spaces, a size, spaces, the path to the end */
		if (end - q < 64 + 1 + 1 + 1 || !checksum_hex(q, h) ||
		    q[64] != ' ')
			continue;
		for (q += 64; q < end && *q == ' '; q++)
			;
		for (sz = 0; q < end && *q >= '0' && *q <= '9' &&
		    sz < (1LL << 50); q++)
			sz = sz * 10 + (*q - '0');
		if (q >= end || *q != ' ')
			continue;
		while (q < end && *q == ' ')
			q++;
		if ((size_t)(end - q) != plen || memcmp(q, path, plen) != 0)
			continue;
		if (n++ > 0 && (strcmp(hex, h) != 0 || *size != sz))
			return -1;
		memcpy(hex, h, CHECKSUM_HEX);
		*size = sz;
	}
	return n > 0 ? 0 : -1;
}

/*
 * The Release from url (what names it in messages) may be used for the
 * suite codename: it is that suite's, not dated in the future (beyond
 * RELEASE_SKEW) nor before newest (-1: nothing accepted before), and not
 * expired. -1 with why.
 */
int
release_check(const struct release *r, const char *url, const char *codename,
    time_t now, time_t newest, char **cause)
{
	char	a[32], b[32];

	if (r->codename == NULL)
		return diag_cause(cause, "%s has no Codename: vmtui cannot "
		    "tell which release it is; nothing was downloaded", url);
	if (strcmp(r->codename, codename) != 0)
		return diag_cause(cause, "%s is the Release of %s, not %s "
		    "(its Codename): the mirror serves another release; "
		    "nothing was downloaded", url, r->codename, codename);
	if (r->date == -1)
		return diag_cause(cause, "%s has no Date: vmtui cannot tell "
		    "how old it is; nothing was downloaded", url);
	if (r->date > now + RELEASE_SKEW)
		return diag_cause(cause, "%s is dated %s, in the future (this "
		    "machine's clock says %s: is it right?); nothing was "
		    "downloaded", url, release_when(r->date, a),
		    release_when(now, b));
	if (newest != -1 && r->date < newest)
		return diag_cause(cause, "%s is dated %s, older than the one "
		    "of %s that vmtui took from there before: a mirror out of "
		    "step, or one that serves an old release (holding back its "
		    "fixes); nothing was downloaded: try again later, or "
		    "another mirror", url, release_when(r->date, a),
		    release_when(newest, b));
	if (r->valid_until != -1 && r->valid_until < now)
		return diag_cause(cause, "%s expired on %s (its Valid-Until): "
		    "the mirror is not kept up to date; nothing was downloaded",
		    url, release_when(r->valid_until, a));
	return 0;
}

/*
 * The remembered dates: a line "SECONDS URL" for each Release url. The
 * line of url in text, or NULL.
 */
static const char *
release_line_of(const char *text, const char *url, size_t *len)
{
	const char	*p = text, *line, *sp;
	size_t		 ulen = strlen(url);

	while ((p = checksum_next(p, &line, len)) != NULL)
		if ((sp = memchr(line, ' ', *len)) != NULL &&
		    (size_t)(line + *len - (sp + 1)) == ulen &&
		    memcmp(sp + 1, url, ulen) == 0)
			return line;
	return NULL;
}

/*
 * The newest Date accepted from url, as file (the remembered dates)
 * says: -1 when none. A missing file remembers nothing.
 */
int
release_newest(const char *file, const char *url, time_t *t, char **cause)
{
	const char	*line;
	char		*text, *end;
	size_t		 len;
	long long	 v;

	*t = -1;
	if (access(file, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (io_read_file(file, RELEASE_STATE_MAX, &text, cause) != 0)
		return -1;
	if ((line = release_line_of(text, url, &len)) != NULL) {
		errno = 0;
		v = strtoll(line, &end, 10);
		if (errno == 0 && *end == ' ' && v > 0)
			*t = (time_t)v;
	}
	free(text);
	return 0;
}

/*
 * Remember t as the newest Date accepted from url in file (made 0600 in
 * a folder made 0700), unless a newer one is there already. The read, the
 * change and the write are one transaction under the file's lock (other
 * installs at once keep their lines), the file replaced atomically.
 */
int
release_remember(const char *file, const char *url, time_t t, char **cause)
{
	struct lock	 l;
	char		*dir, *slash;
	int		 r;

	/* the folder first: the lock is named by the file's real path */
	if ((dir = strdup(file)) == NULL)
		return diag_cause(cause, "out of memory");
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdirs(dir, 0700) != 0) {
			r = diag_cause(cause, "cannot make %s: %s", dir,
			    strerror(errno));
			free(dir);
			return r;
		}
	}
	free(dir);
	if (lock_save(file, &l, LOCK_WAIT_MS, cause) != 0)
		return -1;
	r = release_remember_locked(file, url, t, cause);
	lock_release(&l);
	return r;
}

static int
release_remember_locked(const char *file, const char *url, time_t t,
    char **cause)
{
	struct atomic_opts	 opts = { 0, 0600, NULL, NULL, NULL };
	struct buf		 b;
	const char		*line;
	char			*text = NULL;
	size_t			 len;
	time_t			 had;
	int			 r;

	if (release_newest(file, url, &had, cause) != 0)
		return -1;
	if (had >= t)
		return 0;
	if (access(file, F_OK) == 0 &&
	    io_read_file(file, RELEASE_STATE_MAX, &text, cause) != 0)
		return -1;
	buf_init(&b);
	buf_printf(&b, "%lld %s\n", (long long)t, url);
	/* the other urls' lines as they were */
	if (text != NULL && (line = release_line_of(text, url, &len)) != NULL) {
		buf_add(&b, text, (size_t)(line - text));
		line += len;
		if (*line == '\n')
			line++;
		buf_add(&b, line, strlen(line));
	} else if (text != NULL)
		buf_add(&b, text, strlen(text));
	free(text);
	if ((text = buf_finish(&b, &len)) == NULL)
		return diag_cause(cause, "out of memory");
	r = atomic_write(file, text, len, &opts, cause);
	free(text);
	return r;
}
