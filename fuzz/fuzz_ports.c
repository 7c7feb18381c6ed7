/*
 * fuzz_ports: a libFuzzer target for the reader of a guest's
 * /proc/net/tcp and tcp6 (core/ports.c), text the guest writes, and for
 * the policy over what it finds. Properties:
 * - every port found is in 1..65535, the set's count is what it holds;
 * - every port found has a line in the input that an independent reading
 *   (tokens split on blanks, the address compared as text) takes for a
 *   socket listening off loopback: a port bound only to loopback is never
 *   found, nor one a line does not give;
 * - the same input twice gives the same set, and so does the input read
 *   a line at a time;
 * - what is chosen to forward is at most PORTS_FORWARD_MAX ports, each
 *   listening and wanted (not below 1024, not 22, not ignored), and keeps
 *   those forwarded already (the second half's set) while they fit; the
 *   diff between the two is exact.
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_ports
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "numv.h"
#include "ports.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FAIL(...)	do { fprintf(stderr, __VA_ARGS__); abort(); } while (0)

/* Whether s (n chars) is all hex digits. */
static bool
all_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * The oracle: the ports the input's lines list as listening on an address
 * other than loopback, by its own reading of the text, into justified.
 */
static void
oracle(const char *text, size_t len, bool justified[65536])
{
	const char	*line = text, *end = text + len, *nl, *colon;
	char		*buf, *tok[5], *t, *save, *rest;
	size_t		 ntok, alen;
	unsigned long	 port;
	bool		 yes;

	memset(justified, 0, 65536);
	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		/* as a C string: a NUL ends the line */
		if ((buf = strndup(line, (size_t)(nl - line))) == NULL)
			abort();
		ntok = 0;
		for (t = strtok_r(buf, " \t", &save); t != NULL && ntok < 5;
		    t = strtok_r(NULL, " \t", &save))
			tok[ntok++] = t;
		/* "N:", "ADDR:PORT", "ADDR:PORT", "ST", a hex field */
		if (ntok < 5 || (colon = strchr(tok[1], ':')) == NULL ||
		    !isxdigit((unsigned char)tok[4][0])) {
			free(buf);
			continue;
		}
		alen = (size_t)(colon - tok[1]);
		port = strlen(colon + 1) == 4 && all_hex(colon + 1, 4) ?
		    strtoul(colon + 1, &rest, 16) : 0;
		yes = (alen == 8 || alen == 32) && all_hex(tok[1], alen) &&
		    port > 0 && strcasecmp(tok[3], "0A") == 0;
		if (alen == 8 && strncasecmp(tok[1] + 6, "7F", 2) == 0)
			yes = false;
		if (alen == 32 && (strncmp(tok[1],
		    "00000000000000000000000001000000", 32) == 0 ||
		    (strncasecmp(tok[1], "0000000000000000FFFF0000", 24) ==
		    0 && strncasecmp(tok[1] + 30, "7F", 2) == 0)))
			yes = false;
		if (yes)
			justified[port] = true;
		free(buf);
	}
}

static void
check_set(const struct ports *s)
{
	long	port = 0, prev = 0;
	size_t	n = 0;

	while ((port = ports_next(s, port)) != 0) {
		if (port < 1 || port > 65535 || port <= prev)
			FAIL("port %ld after %ld\n", port, prev);
		prev = port;
		n++;
	}
	if (n != s->n)
		FAIL("the set holds %zu ports and says %zu\n", n, s->n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ports	 a, b, lines, half, next, added, removed;
	static bool		 justified[65536];
	const char		*text = (const char *)data, *p, *nl;
	const char		*end = text + size;
	struct numv		 ignore = { 0 };
	long			 port = 0;
	size_t			 kept = 0;

	ports_clear(&a);
	ports_clear(&b);
	ports_clear(&lines);
	ports_clear(&half);
	(void)ports_parse(&a, text, size);
	(void)ports_parse(&b, text, size);
	check_set(&a);
	if (memcmp(&a, &b, sizeof a) != 0)
		FAIL("the same input, another set\n");
	for (p = text; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		(void)ports_parse(&lines, p, (size_t)(nl - p));
	}
	if (memcmp(&a, &lines, sizeof a) != 0)
		FAIL("read a line at a time, another set\n");
	oracle(text, size, justified);
	while ((port = ports_next(&a, port)) != 0)
		if (!justified[port])
			FAIL("port %ld: no line listens on it off loopback\n",
			    port);

	/* the policy: the second half's ports forwarded already */
	(void)ports_parse(&half, text + size / 2, size - size / 2);
	if (size > 0)
		(void)numv_add(&ignore, 1024 + data[0] * 64);
	ports_choose(&a, &half, &ignore, &next);
	check_set(&next);
	if (next.n > PORTS_FORWARD_MAX)
		FAIL("%zu ports to forward\n", next.n);
	for (port = 0; (port = ports_next(&next, port)) != 0; )
		if (!ports_has(&a, port) || !ports_wanted(port, &ignore) ||
		    port < 1024 || port == 22 || numv_has(&ignore, port))
			FAIL("port %ld forwarded\n", port);
	for (port = 0; (port = ports_next(&half, port)) != 0; )
		if (ports_has(&a, port) && ports_wanted(port, &ignore) &&
		    ++kept <= PORTS_FORWARD_MAX && !ports_has(&next, port))
			FAIL("port %ld forwarded already, dropped\n", port);
	ports_diff(&half, &next, &added, &removed);
	check_set(&added);
	check_set(&removed);
	for (port = 0; (port = ports_next(&added, port)) != 0; )
		if (!ports_has(&next, port) || ports_has(&half, port))
			FAIL("added %ld\n", port);
	for (port = 0; (port = ports_next(&removed, port)) != 0; )
		if (ports_has(&next, port) || !ports_has(&half, port))
			FAIL("removed %ld\n", port);
	for (port = 0; (port = ports_next(&next, port)) != 0; )
		if (!ports_has(&half, port) && !ports_has(&added, port))
			FAIL("%ld not added\n", port);
	for (port = 0; (port = ports_next(&half, port)) != 0; )
		if (!ports_has(&next, port) && !ports_has(&removed, port))
			FAIL("%ld not removed\n", port);
	numv_free(&ignore);
	return 0;
}
