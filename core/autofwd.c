/*
 * autofwd: auto-forward, the guest's listening TCP ports forwarded to the
 * host on their own while the machine runs (watch.c looks at the guest and
 * acts; this file decides).
 *
 * A machine has it with auto-forward = true, or left out with a cloud-init
 * section, and in both cases only with a guest agent and the user network.
 * Each look at the guest gives the ports it listens on (ports.c: loopback
 * left out); ports_choose keeps the policy (1024 and up, not 22, not
 * ignored, 64 at most, those forwarded kept first). Left alone too: the
 * ports the profile's own forwards reach, and those no host port could be
 * found for (until the guest stops listening there). A port goes to the
 * same one on 127.0.0.1 when that is free, else the next free one: a host
 * port is never one another forward of the machine has, and never an
 * address but AUTOFWD_ADDRESS, whatever the guest says.
 *
 * The ports forwarded are kept in the runtime folder (PATHS_AUTOFWD, a
 * line "GUEST HOST" each) for --list, the browser and the launch view; it
 * is read as hostile all the same (64 lines at most, ports in range).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "atomic.h"
#include "autofwd.h"
#include "buf.h"
#include "diag.h"
#include "io.h"
#include "numv.h"
#include "paths.h"
#include "profile.h"
#include "runtime.h"

/* Whether the machine forwards its guest's ports on its own. */
bool
autofwd_on(const struct profile *p)
{
	bool	on = p->auto_forward == AUTOFWD_TRUE ||
		    (p->auto_forward == AUTOFWD_UNSET && p->has_cloud_init);

	return on && p->guest_agent && p->network == NETWORK_USER;
}

/*
 * The guest ports auto-forward leaves alone beyond the policy's: those the
 * profile ignores and those its forwards from the host reach already.
 */
int
autofwd_left_alone(const struct profile *p, struct numv *alone)
{
	size_t	i;

	memset(alone, 0, sizeof *alone);
	for (i = 0; i < p->auto_forward_ignore.n; i++)
		if (numv_add(alone, p->auto_forward_ignore.v[i]) != 0)
			goto oom;
	for (i = 0; i < p->nforwards; i++)
		if (p->forwards[i].from == FWD_HOST &&
		    p->forwards[i].proto == PROTO_TCP &&
		    numv_add(alone, p->forwards[i].guest_port) != 0)
			goto oom;
	return 0;
oom:
	numv_free(alone);
	return -1;
}

/*
 * One look at the guest: from the forwards now (cur) and the ports the
 * guest listens on, which forwards go and which ports get one. alone: the
 * ports left alone beyond the policy; failed: ports no host port was found
 * for, not tried again while they listen.
 */
void
autofwd_decide(const struct autofwd *cur, const struct ports *listening,
    const struct numv *alone, const struct ports *failed,
    struct autofwd_step *step)
{
	struct ports	now, next, want;
	long		port = 0;
	size_t		i;

	memset(step, 0, sizeof *step);
	ports_clear(&now);
	for (i = 0; i < cur->n; i++)
		(void)ports_add(&now, cur->v[i].guest);
	/* the ports that found no host port take no place of the 64 */
	want = *listening;
	while (failed != NULL && (port = ports_next(failed, port)) != 0)
		if (!ports_has(&now, port))
			ports_del(&want, port);
	ports_choose(&want, &now, alone, &next);
	port = 0;
	for (i = 0; i < cur->n; i++)
		if (!ports_has(&next, cur->v[i].guest))
			step->remove[step->nremove++] = cur->v[i];
	while ((port = ports_next(&next, port)) != 0 &&
	    step->nadd < PORTS_FORWARD_MAX)
		if (!ports_has(&now, port))
			step->add[step->nadd++] = (uint16_t)port;
}

/* Whether a forward of the profile or one of cur has host port port. */
static bool
autofwd_host_taken(const struct autofwd *cur, const struct profile *p,
    long port)
{
	size_t	i;

	for (i = 0; i < cur->n; i++)
		if (cur->v[i].host == port)
			return true;
	for (i = 0; p != NULL && i < p->nforwards; i++)
		if (p->forwards[i].from == FWD_HOST &&
		    p->forwards[i].proto == PROTO_TCP &&
		    p->forwards[i].host_port == port)
			return true;
	return false;
}

/*
 * The host port for a guest port: the first from `from` up (the guest's
 * own number first) that no forward has and that is_free says is free
 * (0); AUTOFWD_TRIES at most. The port, or 0 when none was.
 */
long
autofwd_host_port(const struct autofwd *cur, const struct profile *p,
    long from, long tries, int (*is_free)(long))
{
	long	port;

	if (from < PORTS_FIRST)
		from = PORTS_FIRST;
	for (port = from; port <= 65535 && tries > 0; port++, tries--)
		if (!autofwd_host_taken(cur, p, port) && is_free(port) == 0)
			return port;
	return 0;
}

/* The forward of guest port guest goes from cur. */
void
autofwd_removed(struct autofwd *cur, uint16_t guest)
{
	size_t	i;

	for (i = 0; i < cur->n; i++)
		if (cur->v[i].guest == guest) {
			memmove(&cur->v[i], &cur->v[i + 1],
			    (cur->n - i - 1) * sizeof cur->v[0]);
			cur->n--;
			return;
		}
}

/* guest forwarded to host, into cur: false when it has no room or either
   port is there already. */
bool
autofwd_added(struct autofwd *cur, uint16_t guest, uint16_t host)
{
	size_t	i;

	if (cur->n >= PORTS_FORWARD_MAX || guest == 0 || host == 0)
		return false;
	for (i = 0; i < cur->n; i++)
		if (cur->v[i].guest == guest || cur->v[i].host == host)
			return false;
	cur->v[cur->n].guest = guest;
	cur->v[cur->n++].host = host;
	return true;
}

/* cur as the runtime folder keeps it: "GUEST HOST" a line. */
char *
autofwd_format(const struct autofwd *cur)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < cur->n; i++)
		buf_printf(&b, "%u %u\n", cur->v[i].guest, cur->v[i].host);
	return buf_finish(&b, NULL);
}

/* A port 1..65535 of exactly the digits at *p (moved past them), or 0. */
static long
autofwd_number(const char **p, const char *end)
{
	long	v = 0;
	int	digits = 0;

	while (*p < end && **p >= '0' && **p <= '9' && digits < 6) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits == 0 || (*p < end && **p >= '0' && **p <= '9') ||
	    v < 1 || v > 65535 ? 0 : v;
}

/*
 * The text autofwd_format wrote (len bytes, hostile all the same) into
 * cur: lines "GUEST HOST"; any other line, a port out of range, one given
 * twice or past PORTS_FORWARD_MAX is skipped.
 */
void
autofwd_parse(const char *text, size_t len, struct autofwd *cur)
{
	const char	*end = text + len, *nl, *p;
	long		 guest, host;

	memset(cur, 0, sizeof *cur);
	for (; text < end; text = nl < end ? nl + 1 : end) {
		if ((nl = memchr(text, '\n', (size_t)(end - text))) == NULL)
			nl = end;
		p = text;
		if ((guest = autofwd_number(&p, nl)) == 0 || p == nl ||
		    *p++ != ' ' || (host = autofwd_number(&p, nl)) == 0 ||
		    p != nl)
			continue;
		(void)autofwd_added(cur, (uint16_t)guest, (uint16_t)host);
	}
}

/*
 * The ports machine name forwards on its own, as its runtime folder says:
 * 0 (none is an empty list), or -1 when it keeps no list (no watcher).
 */
int
autofwd_read(const struct profile *p, struct autofwd *cur)
{
	char	*path, *text = NULL, *cause = NULL;
	int	 r;

	memset(cur, 0, sizeof *cur);
	if ((path = runtime_file(p, PATHS_AUTOFWD)) == NULL)
		return -1;
	r = io_read_file(path, 64 * 16, &text, &cause);
	free(path);
	free(cause);
	if (r != 0)
		return -1;
	autofwd_parse(text, strlen(text), cur);
	free(text);
	return 0;
}

/* cur into machine name's runtime folder, for the others to read. */
int
autofwd_write(const struct profile *p, const struct autofwd *cur,
    char **cause)
{
	static const struct atomic_opts opts = { ATOMIC_MODE | ATOMIC_NOSYNC,
	    0600, NULL, NULL, NULL };
	char	*path, *text;
	int	 r;

	if ((path = runtime_file(p, PATHS_AUTOFWD)) == NULL ||
	    (text = autofwd_format(cur)) == NULL) {
		free(path);
		return diag_cause(cause, "auto-forward: out of memory");
	}
	r = atomic_write(path, text, strlen(text), &opts, cause);
	free(text);
	free(path);
	return r;
}

/*
 * What a running machine forwards on its own, for people: "127.0.0.1:8765
 * -> :8765, 127.0.0.1:8081 -> :8080 (8080 is taken here)"; NULL when it
 * runs none (or does not run).
 */
char *
autofwd_text(const struct profile *p)
{
	struct autofwd	cur;
	struct buf	b;
	size_t		i;
	pid_t		pid;

	if (!runtime_running(p, &pid) || autofwd_read(p, &cur) != 0 ||
	    cur.n == 0)
		return NULL;
	buf_init(&b);
	for (i = 0; i < cur.n; i++) {
		buf_printf(&b, "%s" AUTOFWD_ADDRESS ":%u -> :%u", i > 0 ?
		    ", " : "", cur.v[i].host, cur.v[i].guest);
		if (cur.v[i].host != cur.v[i].guest)
			buf_printf(&b, " (%u is taken here)", cur.v[i].guest);
	}
	return buf_finish(&b, NULL);
}
