/*
 * machine: start and stop, once for the command line and the launch view.
 *
 * A stop follows the session's stop policy (session.c), the launch
 * view's and --no-tui's: without force it presses the ACPI power button
 * (QMP's system_powerdown) and waits up to the timeout for QEMU to exit;
 * then QMP's quit. With force it quits at once, and a QEMU that does not
 * answer on QMP (stopped, hung) or does not go is killed with SIGKILL to
 * the pid in its locked pidfile. Without force such a QEMU is left alone
 * and the cause says so. Running or not is the pidfile's lock
 * (runtime.c), which goes with the process.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "current.h"
#include "io.h"
#include "machine.h"
#include "overlay.h"
#include "paths.h"
#include "preflight.h"
#include "qmp.h"
#include "runtime.h"
#include "session.h"
#include "snapshot.h"
#include "watch.h"
#include "seed.h"

/*
 * Check the host, write cloud-init's seed when it changed, then start the
 * machine in the background, keep what it starts with in its runtime
 * folder (current.c: what changes while it runs is compared with it), and
 * start its watcher when it forwards its guest's ports on its own.
 * *note (a remark such as "no KVM here") only when it started; *cause when
 * not.
 */
int
machine_start(const struct profile *p, const struct plan *pl,
    struct launch *l, char **note, char **cause)
{
	char	*why = NULL;
	bool	 changed;

	*note = NULL;
	/* the image it stands on is kept while it does (overlay.c) */
	if (preflight_check(p, pl, note, cause) != 0 ||
	    seed_prepare(p, &changed, cause) != 0 ||
	    overlay_register(p, cause) != 0) {
		free(*note);	/* a note only with a start */
		*note = NULL;
		return -1;
	}
	if (launch_start(pl, l, cause) != 0) {
		free(*note);
		*note = NULL;
		return -1;
	}
	/* without the copy, only "applies at the next start" goes unsaid */
	if (current_record(p, &why) != 0) {
		free(why);
		why = NULL;
	}
	/* auto-forward: its watcher beside QEMU (watch.c) */
	if (pl->watch && watch_spawn(p, l->pid, &why) != 0)
		free(why);
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
 * Stop p's machine by the session's policy (session.c), the one the
 * launch view and --no-tui follow: the power button and up to timeout
 * seconds, then quit; with force, quit at once, and SIGKILL for a QEMU
 * that does not answer or does not go. Without force such a QEMU is left
 * alone and the cause says so. QMP is held only for each command: the
 * list and the browser ask it meanwhile. 0 when it has stopped; -1 with
 * the cause (not running, not answering, still running).
 */
int
machine_stop(const struct profile *p, int timeout, bool force,
    machine_say_cb say, void *arg, char **cause)
{
	struct session_stop	 st;
	const char		*name = p->name;
	char			*sock, *why = NULL;
	pid_t			 pid;
	long			 wait;

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
	memset(&st, 0, sizeof st);
	st.powerdown_ms = timeout > 0 ? timeout * 1000L : 1;
	st.spare = !force;
	sock = runtime_file(p, PATHS_QMP);
	if (force ? session_force(&st, p, &why) :
	    session_power(&st, p, &why)) {
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
		if (st.phase == SESSION_KILLED)
			machine_say(say, arg, "%s: killed (pid %ld)", name,
			    (long)pid);
	} else if (!force)
		machine_say(say, arg, "%s: powering down (up to %d s)", name,
		    timeout);
	free(why);
	free(sock);
	/* the policy, step by step, until QEMU has gone or nothing is left */
	while (runtime_running(p, &pid) && (wait = session_wait(&st)) >= 0) {
		if (wait > 0) {
			usleep((useconds_t)(wait < 100 ? wait : 100) * 1000);
			continue;
		}
		/* its deadline, and it runs: said before the step */
		if (st.phase == SESSION_POWERING)
			machine_say(say, arg, "%s: still running after %d s; "
			    "quitting it", name, timeout);
		(void)session_tick(&st, p);
		if (st.phase == SESSION_KILLED)
			machine_say(say, arg, "%s: killed (pid %ld)", name,
			    (long)pid);
	}
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
