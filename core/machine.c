/*
 * machine: start and stop, once for the command line and the launch view.
 *
 * A stop without force presses the ACPI power button (QMP's
 * system_powerdown) and waits up to the timeout for QEMU to exit (QMP's
 * socket closing); then QMP's quit. With force it quits at once, and a
 * QEMU that does not answer on QMP (stopped, hung) is killed with SIGKILL
 * to the pid in its locked pidfile. Without force such a QEMU is left
 * alone and the cause says so. Running or not is the pidfile's lock
 * (runtime.c), which goes with the process.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "io.h"
#include "machine.h"
#include "paths.h"
#include "preflight.h"
#include "qmp.h"
#include "runtime.h"
#include "snapshot.h"
#include "seed.h"

/*
 * Check the host, write cloud-init's seed when it changed, then start the
 * machine in the background. *note (a remark such as "no KVM here") only
 * when it started; *cause when not.
 */
int
machine_start(const struct profile *p, const struct plan *pl,
    struct launch *l, char **note, char **cause)
{
	bool	changed;

	*note = NULL;
	if (preflight_check(p, pl, note, cause) != 0 ||
	    seed_prepare(p, &changed, cause) != 0) {
		free(*note);	/* a note only with a start */
		*note = NULL;
		return -1;
	}
	if (launch_start(pl, l, cause) != 0) {
		free(*note);
		*note = NULL;
		return -1;
	}
	return 0;
}

static void
machine_say(machine_say_cb say, void *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
machine_say(machine_say_cb say, void *arg, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (say == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0) {
		say(arg, s);
		free(s);
	}
	va_end(ap);
}

/* Wait up to ms for the pidfile's lock to go; true when it has. */
static bool
machine_gone(const struct profile *p, int ms)
{
	pid_t	pid;
	int	i;

	for (i = 0; i <= ms / 100; i++) {
		if (!runtime_running(p, &pid))
			return true;
		if (i < ms / 100)
			usleep(100000);
	}
	return false;
}

/*
 * SIGKILL to the QEMU of p's machine, the pid in its locked pidfile:
 * that pid, or 0 when nothing runs (or the signal could not go).
 */
pid_t
machine_kill(const struct profile *p)
{
	pid_t	pid;

	if (runtime_running(p, &pid) && pid > 1 && kill(pid, SIGKILL) == 0)
		return pid;
	return 0;
}

/*
 * Stop p's machine: the power button and up to timeout seconds, then
 * quit; with force, quit at once and kill a QEMU that does not answer.
 * 0 when it has stopped; -1 with the cause (not running, not answering,
 * still running).
 */
int
machine_stop(const struct profile *p, int timeout, bool force,
    machine_say_cb say, void *arg, char **cause)
{
	struct qmp	*q = NULL;
	const char	*name = p->name;
	char		*sock, *why = NULL;
	pid_t		 pid;
	long		 wait;

	*cause = NULL;
	if (!runtime_running(p, &pid)) {
		runtime_clean_stale(p);
		if (asprintf(cause, "%s is not running", name) < 0)
			*cause = NULL;
		return -1;
	}
	/*
	 * A snapshot job: QEMU answers nothing while it saves the memory.
	 * The stop waits for the job (its own deadline), never kills it.
	 */
	if (snapshot_busy(p)) {
		machine_say(say, arg, "%s: a snapshot is being saved; waiting "
		    "for it to end", name);
		for (wait = io_now_ms() + SNAPSHOT_JOB_MS; snapshot_busy(p) &&
		    io_now_ms() < wait;)
			usleep(100000);
	}
	sock = runtime_file(p, PATHS_QMP);
	if (sock == NULL || qmp_open(sock, 5000, &q, &why) != 0) {
		if (!force) {
			if (asprintf(cause, "%s (pid %ld) does not answer on "
			    "%s: %s; --force kills it", name, (long)pid,
			    sock ? sock : "?", why ? why : "?") < 0)
				*cause = NULL;
			free(why);
			free(sock);
			return -1;
		}
		machine_say(say, arg, "%s (pid %ld) does not answer on %s: %s",
		    name, (long)pid, sock ? sock : "?", why ? why : "?");
		free(why);
		why = NULL;
		q = NULL;
	}
	if (q != NULL && !force) {
		if (qmp_execute(q, "system_powerdown", &why) != 0) {
			machine_say(say, arg, "%s", why ? why : "?");
			free(why);
			why = NULL;
		} else
			machine_say(say, arg, "%s: powering down (up to %d s)",
			    name, timeout);
		/*
		 * QMP is left free for others while the guest powers off (QEMU
		 * serves one client of a socket at a time: the list and the
		 * browser would wait on it); the pidfile's lock tells when
		 * QEMU has gone.
		 */
		qmp_close(q);
		q = NULL;
		if (!machine_gone(p, timeout * 1000)) {
			machine_say(say, arg, "%s: still running after %d s; "
			    "quitting it", name, timeout);
			if (qmp_open(sock, 5000, &q, &why) != 0) {
				machine_say(say, arg, "%s: %s", name,
				    why ? why : "?");
				free(why);
				why = NULL;
				q = NULL;
			}
		}
	}
	free(sock);
	if (q != NULL) {
		/*
		 * Forced, or the guest did not power off: quit (the socket
		 * closing under us is quitting too).
		 */
		(void)qmp_execute(q, "quit", &why);
		free(why);
		why = NULL;
		(void)qmp_wait_closed(q, 5000);
	}
	/* force: a QEMU that QMP cannot stop (stopped, hung) is killed */
	if (force && !machine_gone(p, q != NULL ? 2000 : 0) &&
	    (pid = machine_kill(p)) != 0)
		machine_say(say, arg, "%s: killed (pid %ld)", name, (long)pid);
	if (q != NULL)
		qmp_close(q);
	if (!machine_gone(p, 5000)) {
		(void)runtime_running(p, &pid);
		if (asprintf(cause, "%s (pid %ld) is still running", name,
		    (long)pid) < 0)
			*cause = NULL;
		return -1;
	}
	runtime_clean_stale(p);
	return 0;
}

/*
 * Whether the machine has ended, for a view that shows it: the launch
 * script this vmtui started (*child) reaped, or, for one started
 * elsewhere, its pidfile's lock gone (looked at only with look: a view
 * looks now and then, or when the console closed). 1 when it ended, with
 * QEMU's exit status (from our child) or -1 (someone else's), else 0.
 */
int
machine_ended(const struct profile *p, pid_t *child, bool look, int *status)
{
	pid_t	pid;
	int	ws;

	if (*child > 0) {
		if (waitpid(*child, &ws, WNOHANG) != *child)
			return 0;
		*child = 0;
		*status = launch_status(ws);
		return 1;
	}
	if (!look || runtime_running(p, &pid))
		return 0;
	*status = -1;
	return 1;
}
