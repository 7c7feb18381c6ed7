/*
 * hostfwd: forwards from the host, as a person writes them for --forward
 * and as a running QEMU takes them.
 *
 * --forward NAME [tcp|udp] [ADDR:]HOSTPORT:GUESTPORT adds a row (host
 * address 127.0.0.1 unless given); --forward NAME --remove
 * [tcp:|udp:][ADDR:]HOSTPORT names one to remove (any protocol and any
 * address that makes it one row). On a running machine a row becomes a
 * rule of the user network's netdev through the human monitor
 * (qmp_hostfwd reads its answer): tcp:127.0.0.1:2222-:22 to add,
 * tcp:127.0.0.1:2222 to remove. Addresses and ports are checked here as
 * the profile's loader checks them, so a rule holds nothing else.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hostfwd.h"
#include "plan.h"
#include "qmp.h"

/* A port 1..65535 of len characters at s, or 0. */
static long
hostfwd_port(const char *s, size_t len)
{
	long	v = 0;
	size_t	i;

	if (len == 0 || len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? v : 0;
}

/* An IPv4 address of len characters at s into buf, checked: 0 or -1. */
static int
hostfwd_address(const char *s, size_t len, char buf[16], char **cause)
{
	if (len >= 16)
		return diag_cause(cause, "\"%.*s\" is not an IPv4 address "
		    "(like 127.0.0.1)", (int)(len > 64 ? 64 : len), s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return schema_check_ipv4(buf, cause);
}

/*
 * --forward's arguments, [tcp|udp] [ADDR:]HOSTPORT:GUESTPORT, into the
 * row f (a new one: the rest at its defaults): 0, or -1 with the cause.
 */
int
hostfwd_parse_add(int argc, char *const *argv, struct profile_forward *f,
    char **cause)
{
	const char	*spec, *c1, *c2;
	char		 addr[16];
	int		 proto = PROTO_TCP;

	if (argc == 2) {
		if ((proto = schema_enum_index(schema_protos, argv[0])) < 0)
			return diag_cause(cause, "%s: a forward is tcp or udp",
			    argv[0]);
		argv++;
	} else if (argc != 1)
		return diag_cause(cause, "--forward takes [tcp|udp] "
		    "[ADDR:]HOSTPORT:GUESTPORT");
	spec = argv[0];
	if ((c2 = strrchr(spec, ':')) == NULL)
		return diag_cause(cause, "%s: write HOSTPORT:GUESTPORT, as "
		    "2222:22", spec);
	c1 = c2;
	while (c1 > spec && c1[-1] != ':')
		c1--;
	f->from = FWD_HOST;
	f->proto = (enum proto)proto;
	f->host_port = hostfwd_port(c1, (size_t)(c2 - c1));
	f->guest_port = hostfwd_port(c2 + 1, strlen(c2 + 1));
	if (f->host_port == 0 || f->guest_port == 0)
		return diag_cause(cause, "%s: ports are numbers from 1 to "
		    "65535 (HOSTPORT:GUESTPORT, as 2222:22)", spec);
	if (c1 > spec) {
		if (hostfwd_address(spec, (size_t)(c1 - 1 - spec), addr,
		    cause) != 0)
			return -1;
		free(f->host_address);
		if ((f->host_address = strdup(addr)) == NULL)
			return diag_cause(cause, "out of memory");
	}
	return 0;
}

/*
 * --forward NAME --remove [tcp:|udp:][ADDR:]HOSTPORT into spec: 0, or -1
 * with the cause.
 */
int
hostfwd_parse_remove(const char *s, struct hostfwd_spec *spec, char **cause)
{
	const char	*p = s, *colon;

	memset(spec, 0, sizeof *spec);
	spec->proto = -1;
	if (strncmp(p, "tcp:", 4) == 0 || strncmp(p, "udp:", 4) == 0) {
		spec->proto = *p == 't' ? PROTO_TCP : PROTO_UDP;
		p += 4;
	}
	if ((colon = strrchr(p, ':')) != NULL) {
		if (hostfwd_address(p, (size_t)(colon - p), spec->address,
		    cause) != 0)
			return -1;
		p = colon + 1;
	}
	if ((spec->port = hostfwd_port(p, strlen(p))) == 0)
		return diag_cause(cause, "%s: write [tcp:|udp:][ADDR:]HOSTPORT, "
		    "as 2222 or udp:127.0.0.1:5353", s);
	return 0;
}

/*
 * The one forward from the host of p that spec names: its row, or -1
 * with the cause (none, or more than one: which to say).
 */
long
hostfwd_find(const struct profile *p, const struct hostfwd_spec *spec,
    char **cause)
{
	const struct profile_forward	*f;
	long				 found = -1;
	size_t				 i, n = 0;

	for (i = 0; i < p->nforwards; i++) {
		f = &p->forwards[i];
		if (f->from != FWD_HOST || f->host_port != spec->port ||
		    (spec->proto >= 0 && (int)f->proto != spec->proto) ||
		    (*spec->address != '\0' &&
		    strcmp(f->host_address, spec->address) != 0))
			continue;
		if (n++ == 0)
			found = (long)i;
	}
	if (n == 1)
		return found;
	if (n == 0)
		return diag_cause(cause, "%s forwards no host port %ld%s%s%s",
		    p->name, spec->port, spec->proto >= 0 ? " over " : "",
		    spec->proto >= 0 ? schema_protos[spec->proto] : "",
		    *spec->address != '\0' ? " there" : "");
	return diag_cause(cause, "%s forwards host port %ld more than once; "
	    "say which: tcp:%ld or udp:%ld, with its address (ADDR:%ld)",
	    p->name, spec->port, spec->port, spec->port, spec->port);
}

/*
 * The forward f added to (add) or removed from the running machine on the
 * other end of q: 0, 1 when a rule to remove was not there, -1 with the
 * cause.
 */
int
hostfwd_live(struct qmp *q, const struct profile_forward *f, bool add,
    char **cause)
{
	char	rule[128];

	if (add)
		snprintf(rule, sizeof rule, "%s:%s:%ld-%s:%ld",
		    schema_protos[f->proto], f->host_address, f->host_port,
		    f->guest_address, f->guest_port);
	else
		snprintf(rule, sizeof rule, "%s:%s:%ld",
		    schema_protos[f->proto], f->host_address, f->host_port);
	return qmp_hostfwd(q, PLAN_NETDEV, add, rule, cause);
}
