/*
 * guestssh: the way in to a cloud-init machine over ssh.
 *
 * QEMU's user network accepts a connection on a forwarded host port
 * whether or not the guest listens behind it (and closes it when the
 * guest refuses), so a connect says nothing; sshd answers with its
 * version line first ("SSH-2.0-..."), and that is what is waited for.
 *
 * While the machine boots, its console says when sshd has started
 * (ready.c): that is waited for, read from the console log, and sshd's
 * version line is then asked for at once; a console that says nothing
 * (a quiet guest) is made up for by asking sshd every second.
 *
 * ssh runs with the machine's own known_hosts only (HostKeyAlias: the
 * machine's name, whatever the port), StrictHostKeyChecking=yes: the
 * host key vmtui made and handed to cloud-init is pinned from the first
 * connection, and a guest with another key is refused.
 *
 * The guest is not trusted with anything of the user's: options on the
 * command line win over ~/.ssh/config (ssh takes the first value it gets),
 * so guestssh_guard[] turns off whatever a config may have turned on for
 * every host: agent and X11 forwarding, port forwards and tunnels, the
 * keys of the agent offered (only the machine's -i keys are), and every
 * command ssh would run on the host (LocalCommand, ProxyCommand,
 * KnownHostsCommand) or the guest (RemoteCommand), and a shared
 * connection (ControlMaster) another ssh could ride.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cloudinit.h"
#include "diag.h"
#include "guestssh.h"
#include "io.h"
#include "ready.h"
#include "runtime.h"
#include "sshkeys.h"

static const char *const guestssh_guard[] = {
	"-oForwardAgent=no", "-oForwardX11=no", "-oForwardX11Trusted=no",
	"-oClearAllForwardings=yes", "-oTunnel=no", "-oIdentitiesOnly=yes",
	"-oPermitLocalCommand=no", "-oProxyCommand=none", "-oProxyJump=none",
	"-oKnownHostsCommand=none", "-oRemoteCommand=none",
	"-oControlMaster=no", "-oControlPath=none", "-oControlPersist=no",
	NULL
};

/* The first forward from the host to the guest's TCP port 22. */
int
guestssh_target(const struct profile *p, struct guestssh_target *t,
    char **cause)
{
	size_t	i;

	*cause = NULL;
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];

		if (f->from != FWD_HOST || f->proto != PROTO_TCP ||
		    f->guest_port != 22)
			continue;
		snprintf(t->address, sizeof t->address, "%s",
		    strcmp(f->host_address, "0.0.0.0") == 0 ? "127.0.0.1" :
		    f->host_address);
		t->port = f->host_port;
		return 0;
	}
	return diag_cause(cause, "%s has no forward to the guest's port 22 "
	    "(ssh): add one in the editor's Forwards (the SSH preset), as "
	    "forward { host-port = 2222 guest-port = 22 }", p->name);
}

/*
 * Whether sshd answers at t within ms: its version line arrives. 1 yes,
 * 0 not (yet).
 */
int
guestssh_answers(const struct guestssh_target *t, int ms)
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	char			 line[8];
	size_t			 got = 0;
	ssize_t			 n;
	long			 end = io_now_ms() + ms, left;
	int			 fd, err = 0;
	socklen_t		 len = sizeof err;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)t->port);
	if (inet_pton(AF_INET, t->address, &sin.sin_addr) != 1)
		return 0;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return 0;
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return 0;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR,
	    &err, &len) != 0 || err != 0) {
		close(fd);
		return 0;
	}
	pfd.events = POLLIN;
	while (got < 4 && (left = end - io_now_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) != 1)
			break;
		n = read(fd, line + got, 4 - got);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == 4 && memcmp(line, "SSH-", 4) == 0;
}

/*
 * Wait until p's sshd answers at t, or timeout ms pass, or the machine
 * stops; tick (NULL: none) is told the ms waited about once a second,
 * and nonzero from it stops the wait. *how says what told: 1 the
 * console, 0 sshd's answer to a knock. 0, or -1 with why.
 */
int
guestssh_wait(const struct profile *p, const struct guestssh_target *t,
    long timeout, guestssh_tick tick, void *arg, int *how, char **cause)
{
	struct ready	 rd;
	char		*why = NULL;
	long		 start = io_now_ms(), probed = 0, told = 0, now;
	pid_t		 pid;
	int		 console, r = -1;

	*cause = NULL;
	*how = 0;
	console = ready_open(p, &rd, &why) == 0;
	free(why);
	for (;;) {
		now = io_now_ms();
		if (console && ready_poll(&rd) == 1) {
			/* the console says so: sshd answers now, or soon */
			console = 0;
			probed = 0;
			*how = 1;
		}
		if (now - probed >= GUESTSSH_PROBE_MS) {
			probed = now;
			if (guestssh_answers(t, 2000)) {
				r = 0;
				break;
			}
			now = io_now_ms();
		}
		if (!runtime_running(p, &pid)) {
			diag_cause(cause, "%s stopped while vmtui waited for its "
			    "ssh", p->name);
			break;
		}
		if (now - start >= timeout) {
			diag_cause(cause, "%s did not answer ssh on %s:%ld within "
			    "%ld s", p->name, t->address, t->port, timeout / 1000);
			break;
		}
		if (tick != NULL && now - told >= 1000) {
			told = now;
			if (tick(arg, now - start) != 0) {
				diag_cause(cause, "stopped waiting for %s's ssh",
				    p->name);
				break;
			}
		}
		usleep(GUESTSSH_LOOK_MS * 1000);
	}
	if (r != 0)
		*how = 0;
	ready_close(&rd);
	return r;
}

/*
 * ssh's argv to log in to p's machine at t as its user, with its keys, the
 * host key pinned; the command's words (ncmd of them, none: a shell) after
 * the host, as ssh joins them for the guest's shell.
 */
int
guestssh_argv(const struct profile *p, const struct guestssh_target *t,
    char *const *cmd, int ncmd, struct strv *argv, char **cause)
{
	struct strv	 ids = { NULL, 0 };
	char		*dir, *user;
	size_t		 i;
	int		 r, k;

	*cause = NULL;
	if ((dir = sshkeys_dir(p)) == NULL ||
	    (user = cloudinit_user(p)) == NULL) {
		free(dir);
		return diag_cause(cause, "out of memory");
	}
	r = strv_add(argv, "ssh") |
	    strv_addf(argv, "-p%ld", t->port) |
	    strv_add(argv, "-oStrictHostKeyChecking=yes") |
	    strv_addf(argv, "-oUserKnownHostsFile=%s/" SSHKEYS_KNOWN_HOSTS,
	    dir) |
	    strv_add(argv, "-oGlobalKnownHostsFile=/dev/null") |
	    strv_addf(argv, "-oHostKeyAlias=%s", p->name) |
	    strv_add(argv, "-oCheckHostIP=no") |
	    strv_add(argv, "-oUpdateHostKeys=no") |
	    strv_add(argv, "-oLogLevel=ERROR") |
	    sshkeys_identities(p, dir, &ids);
	for (k = 0; r == 0 && guestssh_guard[k] != NULL; k++)
		r = strv_add(argv, guestssh_guard[k]);
	for (i = 0; r == 0 && i < ids.n; i++)
		r = strv_add(argv, "-i") | strv_add(argv, ids.v[i]);
	r |= strv_add(argv, "-l") | strv_add(argv, user) |
	    strv_add(argv, "--") | strv_add(argv, t->address);
	for (k = 0; r == 0 && k < ncmd; k++)
		r = strv_add(argv, cmd[k]);
	strv_free(&ids);
	free(user);
	free(dir);
	return r != 0 ? diag_cause(cause, "out of memory") : 0;
}
