/*
 * fuzz_autofwd: a libFuzzer target for auto-forward's decisions
 * (core/autofwd.c): the list of forwards kept in the runtime folder, read
 * back as hostile text, and the step the watcher takes at each look at
 * the guest, from a /proc/net/tcp the guest writes. The input is split at
 * its first NUL: the list, then the guest's text. Properties:
 * - a list read holds at most PORTS_FORWARD_MAX entries, every port in
 *   1..65535, no guest port and no host port twice; written out and read
 *   again it is the same;
 * - a step removes only forwards the list has, adds only ports the guest
 *   listens on that the list lacks, each 1024 or above, never 22, never
 *   one left alone (ignored, reached by the profile's own forward, or one
 *   that found no host port), in order, once each, and never leaves more
 *   than PORTS_FORWARD_MAX;
 * - every host port given is 1024 or above, from the guest's own number
 *   up, free by the test's rule, and no other forward's or the profile's;
 * - after the step is made, the list keeps all of the above, and a second
 *   step over the same text changes nothing.
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_autofwd
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autofwd.h"
#include "fuzzutil.h"
#include "numv.h"
#include "ports.h"
#include "profile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FAIL(...)	do { fprintf(stderr, __VA_ARGS__); abort(); } while (0)

/* "Taken" on this pretend host: every port that is a multiple of 7. */
static int
pretend_free(long port)
{
	return port % 7 == 0 ? 98 : 0;
}

static void
check_list(const struct autofwd *a, const char *when)
{
	size_t	i, j;

	if (a->n > PORTS_FORWARD_MAX)
		FAIL("%s: %zu forwards\n", when, a->n);
	for (i = 0; i < a->n; i++) {
		if (a->v[i].guest == 0 || a->v[i].host == 0)
			FAIL("%s: port 0\n", when);
		for (j = i + 1; j < a->n; j++)
			if (a->v[i].guest == a->v[j].guest ||
			    a->v[i].host == a->v[j].host)
				FAIL("%s: a port twice\n", when);
	}
}

static bool
in_list(const struct autofwd *a, long guest)
{
	size_t	i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].guest == guest)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct profile	*p;
	struct autofwd		 cur, back;
	struct autofwd_step	 step, again;
	struct ports		 listening, failed;
	struct numv		 alone;
	const uint8_t		*nul = memchr(data, 0, size);
	size_t			 lsize = nul != NULL ? (size_t)(nul - data) : size;
	char			*list, *text, *out;
	size_t			 i, kept;
	long			 host, prev = 0;

	if (p == NULL) {
		/* the profile forwards host 2222 to 22 and 8080; ignores 5432 */
		if ((p = profile_new("f", "/")) == NULL ||
		    profile_add_forward(p) != 0 || profile_add_forward(p) != 0 ||
		    numv_add(&p->auto_forward_ignore, 5432) != 0)
			abort();
		p->forwards[0].host_port = 2222;
		p->forwards[0].guest_port = 22;
		p->forwards[1].host_port = 8081;
		p->forwards[1].guest_port = 8080;
	}
	list = fuzz_exact((const char *)data, lsize);
	autofwd_parse(list, lsize, &cur);
	free(list);
	check_list(&cur, "read");
	if ((out = autofwd_format(&cur)) == NULL)
		abort();
	autofwd_parse(out, strlen(out), &back);
	free(out);
	if (back.n != cur.n || memcmp(back.v, cur.v, cur.n * sizeof cur.v[0]))
		FAIL("the list written and read again differs\n");

	ports_clear(&listening);
	ports_clear(&failed);
	if (nul != NULL) {
		text = fuzz_exact((const char *)nul + 1, size - lsize - 1);
		(void)ports_parse(&listening, text, size - lsize - 1);
		free(text);
	}
	/* a few ports found no host port before */
	(void)ports_add(&failed, 1030);
	(void)ports_add(&failed, 40000);
	if (autofwd_left_alone(p, &alone) != 0)
		abort();
	autofwd_decide(&cur, &listening, &alone, &failed, &step);
	if (step.nremove > cur.n || cur.n - step.nremove + step.nadd >
	    PORTS_FORWARD_MAX)
		FAIL("a step past the limit\n");
	for (i = 0; i < step.nremove; i++)
		if (!in_list(&cur, step.remove[i].guest))
			FAIL("removes %u, which it does not forward\n",
			    step.remove[i].guest);
	for (i = 0; i < step.nadd; i++) {
		host = step.add[i];
		if (host <= prev || host < PORTS_FIRST || host == PORTS_SSH ||
		    numv_has(&alone, host) || ports_has(&failed, host) ||
		    !ports_has(&listening, host) || in_list(&cur, host))
			FAIL("adds %ld, which it may not\n", host);
		prev = host;
	}
	/* the step made, as the watcher makes it */
	kept = cur.n;
	for (i = 0; i < step.nremove; i++)
		autofwd_removed(&cur, step.remove[i].guest);
	if (cur.n != kept - step.nremove)
		FAIL("a removal went wrong\n");
	for (i = 0; i < step.nadd; i++) {
		host = autofwd_host_port(&cur, p, step.add[i], AUTOFWD_TRIES,
		    pretend_free);
		if (host == 0) {
			(void)ports_add(&failed, step.add[i]);
			continue;
		}
		if (host < step.add[i] || host < PORTS_FIRST || host > 65535 ||
		    pretend_free(host) != 0 || host == 2222 || host == 8081)
			FAIL("host port %ld for %u\n", host, step.add[i]);
		if (!autofwd_added(&cur, step.add[i], (uint16_t)host))
			FAIL("host port %ld for %u taken\n", host, step.add[i]);
	}
	check_list(&cur, "after the step");
	autofwd_decide(&cur, &listening, &alone, &failed, &again);
	if (again.nremove != 0 || again.nadd != 0)
		FAIL("the same look twice: %zu removed, %zu added\n",
		    again.nremove, again.nadd);
	numv_free(&alone);
	return 0;
}
