/*
 * ready: sshd's start, read from the guest's console (see ready.h).
 *
 * The console's bytes are the guest's, hostile: they are read a line at a
 * time into a buffer of READY_LINE_MAX (a longer line is skipped whole,
 * never cut into one that matches), and only a line that has ended (a
 * newline came) is looked at. Escape sequences (the colours of systemd's
 * "[  OK  ]", a cursor moved) and control characters are taken out, and a
 * carriage return inside a line (not those that end it: a serial console
 * ends lines with "\r\r\n") starts what it shows anew (the status
 * line "A start job is running..." is written over that way). What is
 * left must start as one of ready_markers[] does: a marker elsewhere in a
 * line (a kernel message, a journal line that quotes one) is not one.
 *
 * A guest can print a marker when its sshd is not up: then ssh is tried
 * early and fails, and its host key is still checked; nothing is trusted
 * from the console but "try now".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "paths.h"
#include "ready.h"
#include "runtime.h"

/*
 * The lines an init prints as sshd has started: the start of the line,
 * and what must end it ("" for anything).
 */
static const struct {
	const char	*start;
	const char	*end;
} ready_markers[] = {
	/* systemd 250 and later: the unit, then its description */
	{ "[  OK  ] Started ssh.service", "" },
	{ "[  OK  ] Started sshd.service", "" },
	/* Ubuntu's ssh.socket: sshd starts on the first connection */
	{ "[  OK  ] Listening on ssh.socket", "" },
	/* systemd before 250: the description only */
	{ "[  OK  ] Started OpenBSD Secure Shell server", "" },
	{ "[  OK  ] Started OpenSSH server daemon", "" },
	/* OpenRC (Alpine) */
	{ " * Starting sshd ...", "[ ok ]" },
};

void
ready_scan_init(struct ready_scan *s)
{
	memset(s, 0, sizeof *s);
}

/*
 * The line (len bytes, its newline left out) as it shows: escape
 * sequences and control characters out, a carriage return starting it
 * anew. Into out (READY_LINE_MAX bytes at least); its length.
 */
static size_t
ready_clean(const char *in, size_t len, char *out)
{
	size_t	i, n = 0;
	unsigned char c;

	/* a serial console ends a line with "\r\r\n": no overwrite */
	while (len > 0 && in[len - 1] == '\r')
		len--;
	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c == 0x1b) {
			/* CSI: ESC [ parameters intermediates final */
			if (i + 1 < len && in[i + 1] == '[') {
				for (i += 2; i < len &&
				    ((unsigned char)in[i] < 0x40 ||
				    (unsigned char)in[i] > 0x7e); i++)
					;
			} else
				i++;	/* ESC and one more */
			continue;
		}
		if (c == '\r') {
			n = 0;		/* what follows is written over it */
			continue;
		}
		if (c == '\t')
			c = ' ';
		if (c < 0x20 || c == 0x7f)
			continue;
		if (n < READY_LINE_MAX)
			out[n++] = (char)c;
	}
	return n;
}

/* Whether a whole console line (len bytes, no newline) says sshd is up. */
bool
ready_line(const char *line, size_t len)
{
	char	text[READY_LINE_MAX];
	size_t	n, i, s, e;

	if (len > READY_LINE_MAX)
		return false;
	n = ready_clean(line, len, text);
	/* a space or so at the end is no part of it */
	while (n > 0 && text[n - 1] == ' ')
		n--;
	for (i = 0; i < sizeof ready_markers / sizeof ready_markers[0]; i++) {
		s = strlen(ready_markers[i].start);
		e = strlen(ready_markers[i].end);
		if (n >= s + e && memcmp(text, ready_markers[i].start, s) == 0 &&
		    memcmp(text + n - e, ready_markers[i].end, e) == 0)
			return true;
	}
	return false;
}

/*
 * Console bytes, as they come: true once a whole line said sshd is up
 * (and from then on).
 */
bool
ready_scan_feed(struct ready_scan *s, const char *buf, size_t n)
{
	const char	*nl, *end = buf + n;
	size_t		 part;

	while (!s->found && buf < end) {
		nl = memchr(buf, '\n', (size_t)(end - buf));
		part = (size_t)((nl != NULL ? nl : end) - buf);
		if (!s->overlong && part <= READY_LINE_MAX - s->len) {
			memcpy(s->line + s->len, buf, part);
			s->len += part;
		} else
			s->overlong = true;
		if (nl == NULL)
			break;
		if (!s->overlong && ready_line(s->line, s->len))
			s->found = true;
		s->len = 0;
		s->overlong = false;
		buf = nl + 1;
	}
	return s->found;
}

/*
 * Follow the console log of p's running machine (its folders as they are
 * now: runtime_machine) from where this boot began. 0, or -1 with why (no
 * log: not started).
 */
int
ready_open(const struct profile *p, struct ready *r, char **cause)
{
	struct paths_machine	 m;
	char			*log = NULL, *start = NULL;
	long long		 from;
	int			 have;

	*cause = NULL;
	ready_scan_init(&r->scan);
	r->fd = -1;
	r->off = 0;
	if ((have = runtime_machine(p, &m) == 0) == 0 ||
	    asprintf(&log, "%s/" PATHS_LOG, m.state) < 0 ||
	    asprintf(&start, "%s/" PATHS_LOGSTART, m.runtime) < 0) {
		log = start = NULL;
		diag_cause(cause, "out of memory");
	} else if ((r->fd = open(log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1)
		diag_cause(cause, "%s: %s", log, strerror(errno));
	else if ((from = io_read_number(start)) > 0)
		r->off = (off_t)from;
	if (have)
		paths_machine_free(&m);
	free(log);
	free(start);
	return r->fd == -1 ? -1 : 0;
}

/*
 * What the log has gained since: 1 once sshd is up, else 0 (never
 * blocks: the log is a file).
 */
int
ready_poll(struct ready *r)
{
	char	buf[8192];
	ssize_t	n;

	while (r->fd != -1 && !r->scan.found &&
	    (n = pread(r->fd, buf, sizeof buf, r->off)) > 0) {
		r->off += n;
		ready_scan_feed(&r->scan, buf, (size_t)n);
	}
	return r->scan.found ? 1 : 0;
}

void
ready_close(struct ready *r)
{
	if (r->fd != -1)
		close(r->fd);
	r->fd = -1;
}
