/*
 * sshwait: a cloud-init machine's sshd waited for on the command line
 * (vmtui --ssh, and --launch --detach), what is waited for said on
 * stderr: the console's word that sshd has started (ready.c), or sshd's
 * answer (guestssh.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "guestssh.h"
#include "io.h"
#include "paths.h"
#include "profile.h"
#include "runtime.h"
#include "sshwait.h"

#define SSHWAIT_SAY_MS	30000	/* between two "still waiting" lines */

/* What sshwait_ready says while the guest boots. */
struct sshwait_said {
	const struct profile		*p;
	const struct guestssh_target	*t;
	long				 timeout;
	long				 last;	/* ms waited when it last spoke */
};

static int
sshwait_tick(void *arg, long waited)
{
	struct sshwait_said	*s = arg;

	if (s->last < 0)
		fprintf(stderr, "vmtui: waiting for %s to answer ssh on %s:%ld "
		    "(the guest's port 22; its console says when sshd has "
		    "started), up to %ld s\n", s->p->name, s->t->address,
		    s->t->port, s->timeout);
	else if (waited - s->last >= SSHWAIT_SAY_MS)
		fprintf(stderr, "vmtui: still waiting for %s's ssh (%ld s)\n",
		    s->p->name, waited / 1000);
	else
		return 0;
	s->last = waited;
	return 0;
}

/*
 * Wait for sshd at t while the machine runs, saying so on stderr: 0 it
 * answers, else -1 (said why).
 */
int
sshwait_ready(const struct profile *p, const struct guestssh_target *t,
    long timeout)
{
	struct sshwait_said	 said = { p, t, timeout, -1 };
	struct paths_machine	 m;
	char		*cause = NULL, *log;
	long		 start = io_now_ms();
	pid_t		 pid;
	int		 how;

	if (!runtime_running(p, &pid)) {
		fprintf(stderr, "vmtui: %s is not running; \"vmtui --launch %s "
		    "--detach\" starts it\n", p->name, p->name);
		return -1;
	}
	/* up already: no word */
	if (guestssh_answers(t, 2000))
		return 0;
	sshwait_tick(&said, 0);
	if (guestssh_wait(p, t, timeout * 1000, sshwait_tick, &said, &how,
	    &cause) == 0) {
		fprintf(stderr, "vmtui: %s is ready after %.1f s (%s)\n",
		    p->name, (double)(io_now_ms() - start) / 1000, how ?
		    "its console said sshd has started" : "its sshd answered");
		return 0;
	}
	log = runtime_machine(p, &m) == 0 ? m.state : NULL;
	if (runtime_running(p, &pid))
		fprintf(stderr, "vmtui: %s; it keeps running (its console log "
		    "is in %s), and \"vmtui --ssh %s\" waits for it again\n",
		    cause != NULL ? cause : "?", log != NULL ? log :
		    "its state folder", p->name);
	else
		fprintf(stderr, "vmtui: %s; \"vmtui --launch %s --detach\" "
		    "starts it again\n", cause != NULL ? cause : "?", p->name);
	if (log != NULL)
		paths_machine_free(&m);
	free(cause);
	return -1;
}
