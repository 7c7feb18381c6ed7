/*
 * ssh: vmtui --ssh PROFILE [-- COMMAND...] logs in to a cloud-init
 * machine: its user, its keys, its forward to the guest's port 22, the
 * host key vmtui made pinned (guestssh.c). While the machine boots it
 * waits, saying so on stderr, until sshd answers or the timeout passes;
 * then ssh takes over the process, so the exit status is the remote
 * command's (ssh's 255 when ssh fails). vmtui's own failures are 255
 * too: a script tells "ran, and failed" from "could not run" as with ssh.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "guestssh.h"
#include "io.h"
#include "paths.h"
#include "profile.h"
#include "runtime.h"
#include "ssh.h"
#include "sshkeys.h"

#define SSH_POLL_MS	250	/* between two looks at a booting guest */
#define SSH_SAY_MS	30000	/* between two "still waiting" lines */

static int
ssh_fail(struct profile *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
ssh_fail(struct profile *p, const char *fmt, ...)
{
	va_list	ap;

	fputs("vmtui: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	profile_free(p);
	return SSH_FAIL;
}

/* Whether the machine's known_hosts is there: a seed was written. */
static int
ssh_pinned(const struct profile *p)
{
	char	*kh;
	int	 r;

	if ((kh = sshkeys_file(p, SSHKEYS_KNOWN_HOSTS)) == NULL)
		return 0;
	r = access(kh, R_OK) == 0;
	free(kh);
	return r;
}

/* Wait for sshd at t while the machine runs: 0 it answers, else -1. */
static int
ssh_wait(const struct profile *p, const struct guestssh_target *t,
    long timeout)
{
	struct paths_machine	 m;
	long			 start = io_now_ms(), said = 0, now;
	pid_t			 pid;
	char			*log;

	for (;;) {
		if (!runtime_running(p, &pid)) {
			fprintf(stderr, "vmtui: %s %s; \"vmtui --launch %s "
			    "--detach\" starts it\n", p->name, said ?
			    "stopped while vmtui waited for its ssh" :
			    "is not running", p->name);
			return -1;
		}
		if (guestssh_answers(t, 2000))
			return 0;
		now = io_now_ms();
		if (now - start >= timeout * 1000) {
			log = runtime_machine(p, &m) == 0 ? m.state : NULL;
			fprintf(stderr, "vmtui: %s did not answer ssh on %s:%ld "
			    "within %ld s; its console log is in %s\n",
			    p->name, t->address, t->port, timeout,
			    log != NULL ? log : "its state folder");
			if (log != NULL)
				paths_machine_free(&m);
			return -1;
		}
		if (said == 0)
			fprintf(stderr, "vmtui: waiting for %s to answer ssh on "
			    "%s:%ld (the guest's port 22), up to %ld s\n",
			    p->name, t->address, t->port, timeout);
		else if (now - said >= SSH_SAY_MS)
			fprintf(stderr, "vmtui: still waiting for %s's ssh "
			    "(%ld s)\n", p->name, (now - start) / 1000);
		if (said == 0 || now - said >= SSH_SAY_MS)
			said = now;
		usleep(SSH_POLL_MS * 1000);
	}
}

int
ssh_run(const char *arg, int argc, char **argv, long timeout)
{
	struct guestssh_target	 t;
	struct profile		*p;
	struct strv		 av = { NULL, 0 };
	char			*cause = NULL;

	if (cli_load(arg, &p) != CLI_OK)
		return SSH_FAIL;
	if (!p->has_cloud_init)
		return ssh_fail(p, "%s has no cloud-init section: vmtui --ssh "
		    "logs in to machines it sets up with cloud-init, whose host "
		    "key it made and pins", p->name);
	if (guestssh_target(p, &t, &cause) != 0) {
		ssh_fail(NULL, "%s", cause);
		free(cause);
		profile_free(p);
		return SSH_FAIL;
	}
	if (!ssh_pinned(p))
		return ssh_fail(p, "%s has not started with its cloud-init seed "
		    "yet (no host key pinned): \"vmtui --launch %s --detach\" "
		    "starts it", p->name, p->name);
	if (ssh_wait(p, &t, timeout) != 0) {
		profile_free(p);
		return SSH_FAIL;
	}
	if (guestssh_argv(p, &t, argv, argc, &av, &cause) != 0) {
		ssh_fail(NULL, "%s", cause);
		free(cause);
		profile_free(p);
		return SSH_FAIL;
	}
	profile_free(p);
	fflush(NULL);
	execvp(av.v[0], av.v);
	fprintf(stderr, "vmtui: cannot run ssh: %s (apt-get install "
	    "openssh-client)\n", strerror(errno));
	strv_free(&av);
	return SSH_FAIL;
}
