/*
 * ports: which TCP ports a guest listens on, and which of them vmtui
 * forwards to the host on its own (auto-forward).
 *
 * The guest's kernel lists its sockets in /proc/net/tcp and tcp6, a line
 * each: "sl: LOCAL:PORT REMOTE:PORT ST ...", addresses and ports in hex,
 * the state 0A for a listening socket. An address is printed as 32-bit
 * words of the guest's memory, each %08X: the guests vmtui runs (x86_64,
 * aarch64) are little-endian, so 127.0.0.1 reads 0100007F. A port bound
 * only to the guest's loopback (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104)
 * is of no use from the host and is left out; the unspecified address and
 * every other one count. The text is the guest's, so hostile: a line that
 * is not exactly that shape is skipped, and a line cut short (a read with
 * a cap) must still show the state and the start of the field after it
 * (hex), so that a cut never makes a port up.
 *
 * A set is a bitmap of the 65,535 ports: the same 8 KiB for one listener
 * or thousands, in order, the same set whatever order the lines come in.
 * The policy (ports_choose): ports below PORTS_FIRST (22 among them, which
 * the profile forwards already) and those the profile's list ignores are
 * left alone; at most PORTS_FORWARD_MAX at once, the ones forwarded
 * already kept first, so that a new listener never pushes one out.
 */
#include "config.h"

#include <string.h>

#include "numv.h"
#include "ports.h"

void
ports_clear(struct ports *s)
{
	memset(s, 0, sizeof *s);
}

/* port into s: true when it is one (1..65535). */
bool
ports_add(struct ports *s, long port)
{
	uint64_t	bit;

	if (port < 1 || port > 65535)
		return false;
	bit = (uint64_t)1 << (port % 64);
	if ((s->bits[port / 64] & bit) == 0) {
		s->bits[port / 64] |= bit;
		s->n++;
	}
	return true;
}

void
ports_del(struct ports *s, long port)
{
	uint64_t	bit;

	if (port < 1 || port > 65535)
		return;
	bit = (uint64_t)1 << (port % 64);
	if ((s->bits[port / 64] & bit) != 0) {
		s->bits[port / 64] &= ~bit;
		s->n--;
	}
}

bool
ports_has(const struct ports *s, long port)
{
	return port >= 1 && port <= 65535 &&
	    (s->bits[port / 64] & (uint64_t)1 << (port % 64)) != 0;
}

/* The first port of s above after (0 for the first of all), or 0. */
long
ports_next(const struct ports *s, long after)
{
	long		port = after < 0 ? 1 : after + 1;
	uint64_t	word;

	while (port <= 65535) {
		word = s->bits[port / 64] >> (port % 64);
		if (word != 0)
			return port + __builtin_ctzll(word);
		port = (port / 64 + 1) * 64;
	}
	return 0;
}

/* The first max ports of s, in order, into out: how many. */
size_t
ports_list(const struct ports *s, uint16_t *out, size_t max)
{
	size_t	n = 0;
	long	port = 0;

	while (n < max && (port = ports_next(s, port)) != 0)
		out[n++] = (uint16_t)port;
	return n;
}

/* The value of exactly len hex digits at *p (moved past them), or -1. */
static long long
ports_hex(const char **p, const char *end, size_t len)
{
	long long	v = 0;
	int		d;

	if ((size_t)(end - *p) < len)
		return -1;
	for (; len > 0; len--, (*p)++) {
		if (**p >= '0' && **p <= '9')
			d = **p - '0';
		else if (**p >= 'A' && **p <= 'F')
			d = **p - 'A' + 10;
		else if (**p >= 'a' && **p <= 'f')
			d = **p - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Past at least one blank: false when there is none. */
static bool
ports_blank(const char **p, const char *end)
{
	const char	*start = *p;

	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	return *p > start;
}

/*
 * ADDRESS:PORT at *p, the address nwords words of %08X (1 or 4): its
 * bytes in addr (as in memory, little-endian) and the port, or -1.
 */
static long
ports_endpoint(const char **p, const char *end, size_t nwords,
    unsigned char addr[16])
{
	long long	w;
	size_t		i, b;

	for (i = 0; i < nwords; i++) {
		if ((w = ports_hex(p, end, 8)) == -1)
			return -1;
		for (b = 0; b < 4; b++)
			addr[4 * i + b] = (unsigned char)(w >> (8 * b));
	}
	if (*p == end || **p != ':')
		return -1;
	(*p)++;
	return (long)ports_hex(p, end, 4);
}

/* Whether the address (4 or 16 bytes) is the guest's loopback. */
static bool
ports_loopback(const unsigned char *a, size_t len)
{
	static const unsigned char	one[16] = { [15] = 1 };
	static const unsigned char	mapped[12] = { [10] = 0xff,
					    [11] = 0xff };

	if (len == 4)
		return a[0] == 127;
	return memcmp(a, one, 16) == 0 ||
	    (memcmp(a, mapped, 12) == 0 && a[12] == 127);
}

/*
 * One line of /proc/net/tcp or tcp6 (without its newline): the port when
 * it is a socket listening off loopback, 0 for any other socket, -1 when
 * it is not such a line.
 */
static long
ports_line(const char *p, const char *end)
{
	unsigned char	 local[16], remote[16];
	const char	*mark;
	size_t		 nwords;
	long		 port;
	long long	 state;

	(void)ports_blank(&p, end);
	for (mark = p; p < end && *p >= '0' && *p <= '9'; p++)
		;
	if (p == mark || p - mark > 10 || p == end || *p++ != ':' ||
	    !ports_blank(&p, end))
		return -1;
	/* the local address's length says which file: 8 or 32 digits */
	for (mark = p; p < end && p - mark <= 32 && *p != ':'; p++)
		;
	nwords = (size_t)(p - mark) / 8;
	if ((p - mark != 8 && p - mark != 32))
		return -1;
	p = mark;
	if ((port = ports_endpoint(&p, end, nwords, local)) == -1 ||
	    !ports_blank(&p, end) ||
	    ports_endpoint(&p, end, nwords, remote) == -1 ||
	    !ports_blank(&p, end) ||
	    (state = ports_hex(&p, end, 2)) == -1 ||
	    !ports_blank(&p, end) || ports_hex(&p, end, 1) == -1)
		return -1;
	if (state != 0x0a || port == 0 || ports_loopback(local, 4 * nwords))
		return 0;
	return port;
}

/*
 * The listening ports of a /proc/net/tcp or tcp6 text (len bytes, a NUL
 * not needed) into s, but those bound only to loopback; a port listening
 * on loopback and elsewhere counts. Other lines are skipped. How many
 * lines were sockets.
 */
size_t
ports_parse(struct ports *s, const char *text, size_t len)
{
	const char	*end = text + len, *nl;
	size_t		 sockets = 0;
	long		 port;

	while (text < end) {
		if ((nl = memchr(text, '\n', (size_t)(end - text))) == NULL)
			nl = end;
		if ((port = ports_line(text, nl)) >= 0)
			sockets++;
		if (port > 0)
			(void)ports_add(s, port);
		text = nl < end ? nl + 1 : end;
	}
	return sockets;
}

/* Whether port may be forwarded on its own, ignore being the profile's. */
bool
ports_wanted(long port, const struct numv *ignore)
{
	return port >= PORTS_FIRST && port <= 65535 && port != PORTS_SSH &&
	    (ignore == NULL || !numv_has(ignore, port));
}

/*
 * The ports to forward now (next), from those the guest listens on and
 * those forwarded already (current): each wanted port of both stays, then
 * the lowest other wanted ones, PORTS_FORWARD_MAX in all at most.
 */
void
ports_choose(const struct ports *listening, const struct ports *current,
    const struct numv *ignore, struct ports *next)
{
	long	port = 0;

	ports_clear(next);
	while ((port = ports_next(current, port)) != 0 &&
	    next->n < PORTS_FORWARD_MAX)
		if (ports_has(listening, port) && ports_wanted(port, ignore))
			(void)ports_add(next, port);
	port = 0;
	while ((port = ports_next(listening, port)) != 0 &&
	    next->n < PORTS_FORWARD_MAX)
		if (ports_wanted(port, ignore))
			(void)ports_add(next, port);
}

/* What changed from one set to the other: added (in to only), removed. */
void
ports_diff(const struct ports *from, const struct ports *to,
    struct ports *added, struct ports *removed)
{
	size_t	i;

	ports_clear(added);
	ports_clear(removed);
	for (i = 0; i < sizeof from->bits / sizeof from->bits[0]; i++) {
		added->bits[i] = to->bits[i] & ~from->bits[i];
		removed->bits[i] = from->bits[i] & ~to->bits[i];
		added->n += (size_t)__builtin_popcountll(added->bits[i]);
		removed->n += (size_t)__builtin_popcountll(removed->bits[i]);
	}
}
