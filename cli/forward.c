/*
 * forward: vmtui --forward, a forward from the host added to a machine or
 * removed from it: at once when it runs (core/live.c), and in its profile
 * either way. forward_say tells what a change did to a running machine:
 * what it took now (stdout), what waits and why (stderr, as notes).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "forward.h"
#include "live.h"

/* What a change to the profile of machine name did to it. */
void
forward_say(const char *name, const struct live_report *rep)
{
	size_t	i;

	for (i = 0; i < rep->done.n; i++)
		printf("%s: %s\n", name, rep->done.v[i]);
	for (i = 0; i < rep->notes.n; i++)
		fprintf(stderr, "vmtui: note: %s: %s\n", name, rep->notes.v[i]);
	if (rep->next != NULL)
		printf("%s: applies at the next start: %s\n", name, rep->next);
}

int
forward_run(const char *arg, int argc, char **argv, bool remove)
{
	struct live_report	 rep;
	struct profile		*p;
	struct buf		 b;
	char			*path, *spec, *cause = NULL;
	int			 i, r;

	/* found and checked as every action finds a profile */
	if ((r = cli_load(arg, &p)) != CLI_OK)
		return r;
	path = strdup(p->file);
	profile_free(p);
	if (path == NULL) {
		fputs("vmtui: out of memory\n", stderr);
		return CLI_FAIL;
	}
	buf_init(&b);
	for (i = 0; i < argc; i++)
		buf_printf(&b, "%s%s", i > 0 ? " " : "", argv[i]);
	if ((spec = buf_finish(&b, NULL)) == NULL) {
		free(path);
		fputs("vmtui: out of memory\n", stderr);
		return CLI_FAIL;
	}
	r = live_forward(path, spec, remove, &rep, &cause);
	if (r != 0) {
		/* a profile's problems say FILE:LINE themselves */
		fprintf(stderr, "%s%s\n", strncmp(cause ? cause : "", path,
		    strlen(path)) != 0 ? "vmtui: " : "", cause ? cause :
		    "out of memory");
		r = r == LIVE_INVALID ? CLI_USAGE : CLI_FAIL;
	} else {
		forward_say(arg, &rep);
		if (!rep.running)
			printf("%s: saved; it is not running: the change "
			    "applies when it starts\n", arg);
		live_report_free(&rep);
		r = CLI_OK;
	}
	free(cause);
	free(spec);
	free(path);
	return r;
}
