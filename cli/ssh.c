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
#include "sshwait.h"
#include "sshkeys.h"


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
	if (sshwait_ready(p, &t, timeout) != 0) {
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
