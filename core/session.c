/*
 * session: a running machine as the launch view, --no-tui and --stop see
 * it, one object that never blocks for long (a QMP command's deadline at
 * most). What it holds:
 *
 * - the escape commands, one table (session_keys[]) that the view's key
 *   table, its bar and help, the --no-tui hint and vmtui --keys are made
 *   from; each entry says which front ends obey it, and why one is the
 *   view's alone;
 * - the stop policy, a state machine with its deadlines: p presses the
 *   power button (QMP's system_powerdown); a guest that has not powered
 *   off SESSION_POWERDOWN_S later (--stop: its --timeout) is quit (QMP's
 *   quit); a QEMU that does not go SESSION_KILL_MS after a quit, or does
 *   not answer on QMP at all, is killed (SIGKILL to the pid in its locked
 *   pidfile), unless the policy spares it (--stop without --force). Each
 *   of these actions opens qmp.sock for itself and lets go (QEMU serves
 *   one client of a socket at a time);
 * - the attached machine (struct session): the console (attach.c), QMP on
 *   qmp-view.sock with its events (session_events[]), its state and how
 *   ready it is (session_watch reads the console as it passes), periodic
 *   jobs (session_jobs[]: QMP, the display, whether the log's disk is
 *   full), and its end.
 *
 * Where the next issues hook in: a readiness read from the console (sshd
 * up) in session_watch and enum session_ready; QEMU's events (a disk the
 * guest let go: DEVICE_DELETED) in session_events[]; work done now and
 * then while the machine runs (the guest agent's listening ports) in
 * session_jobs[]; keys in session_keys[].
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
#include "launch.h"
#include "paths.h"
#include "qmp.h"
#include "runtime.h"
#include "session.h"

#define SESSION_BOTH	(SESSION_TTY | SESSION_VIEW)
#define SESSION_QMP_MS	2000	/* a policy's QMP command */
#define SESSION_LOOK_MS	500	/* someone else's machine: ended? */
#define SESSION_LOG_ROOM 4096	/* free bytes the log's disk has at least */

const struct session_key session_keys[] = {
	{ '?', SESSION_HELP, SESSION_BOTH, "?", "help", true,
	  "help: the keys of this screen", NULL },
	{ 'd', SESSION_LEAVE, SESSION_BOTH, "d", "leave", true, "leave; the "
	  "machine keeps running (the list, or vmtui --attach NAME, shows it "
	  "again)", NULL },
	{ 'p', SESSION_POWER, SESSION_BOTH, "p", "power down", true, "press "
	  "the power button; QEMU is quit 30 s later if the guest has not "
	  "powered off", NULL },
	{ 'q', SESSION_QUIT, SESSION_BOTH, "q", "quit", false, "force the "
	  "machine to quit, as pulling its plug would (asks first)", NULL },
	{ 'z', SESSION_PAUSE, SESSION_BOTH, "z", "pause", false,
	  "pause or resume the machine", NULL },
	{ 'm', SESSION_MONITOR, SESSION_BOTH, "m", "monitor", false,
	  "a line for QEMU's monitor (info status, ...)", NULL },
	{ '[', SESSION_SCROLL, SESSION_VIEW, "[ or PgUp", "scroll", true,
	  "scroll back: Up/Down, PgUp/PgDn, g/G, / search back, n search on; "
	  "q or Esc back", "a terminal scrolls back on its own" },
	{ 's', SESSION_STATUS, SESSION_VIEW, "s", "status", false, "fold the "
	  "status column into the title line, or unfold it", "a bare "
	  "terminal has no status column" },
	{ 'f', SESSION_FORWARD, SESSION_VIEW, "f", "forwards", true,
	  "add a forward from the host ([tcp|udp] [ADDR:]HOSTPORT:GUESTPORT) "
	  "or remove one (-HOSTPORT) while it runs, in the profile too",
	  "vmtui --forward NAME does it from another terminal" },
	{ 0, 0, 0, NULL, NULL, false, NULL, NULL }
};

/* The command of key in a front end (where), or NULL. */
const struct session_key *
session_key_find(int key, unsigned where)
{
	const struct session_key	*k;

	for (k = session_keys; k->name != NULL; k++)
		if (k->key == key && (k->where & where))
			return k;
	return NULL;
}

/*
 * A QMP command to p's machine on its qmp.sock: 0 when it answered,
 * 1 when QEMU took the command but did not answer it (it closed the
 * socket: quit does that), -1 with why when QEMU could not be asked.
 */
static int
session_qmp(const struct profile *p, const char *command, char **cause)
{
	struct qmp	*q;
	char		*sock;
	int		 r;

	*cause = NULL;
	if ((sock = runtime_file(p, PATHS_QMP)) == NULL) {
		*cause = strdup("no runtime folder");
		return -1;
	}
	r = qmp_open(sock, SESSION_QMP_MS, &q, cause);
	free(sock);
	if (r != 0)
		return -1;
	if (qmp_execute(q, command, cause) != 0)
		r = 1;
	qmp_close(q);
	return r;
}

/*
 * SIGKILL to the QEMU of p's machine, the pid in its locked pidfile:
 * that pid, or 0 when nothing runs (or the signal could not go).
 */
pid_t
session_kill(const struct profile *p)
{
	pid_t	pid;

	if (runtime_running(p, &pid) && pid > 1 && kill(pid, SIGKILL) == 0)
		return pid;
	return 0;
}

/* Press the power button: quit follows at the deadline. */
int
session_power(struct session_stop *s, const struct profile *p,
    char **cause)
{
	if (session_qmp(p, "system_powerdown", cause) != 0)
		return -1;
	if (s->phase == SESSION_UP) {
		s->phase = SESSION_POWERING;
		s->deadline = io_now_ms() + (s->powerdown_ms > 0 ?
		    s->powerdown_ms : SESSION_POWERDOWN_S * 1000L);
	}
	return 0;
}

/*
 * Quit now; SIGKILL follows at the deadline. A QEMU that cannot be asked
 * (stopped, hung) is killed at once, unless the policy spares it. -1 with
 * why when it could not be asked.
 */
int
session_force(struct session_stop *s, const struct profile *p,
    char **cause)
{
	s->forced = true;
	if (session_qmp(p, "quit", cause) >= 0) {
		free(*cause);
		*cause = NULL;
		s->phase = SESSION_QUITTING;
		s->deadline = io_now_ms() + SESSION_KILL_MS;
		return 0;
	}
	if (s->spare)
		s->phase = SESSION_STUCK;
	else {
		s->phase = SESSION_KILLED;
		(void)session_kill(p);
	}
	return -1;
}

/*
 * The policy's next step when its deadline has passed: 1 when it acted
 * (the guest ignored the power button and QEMU was quit or killed, QEMU
 * did not follow a quit and was killed, or is spared), else 0.
 */
int
session_tick(struct session_stop *s, const struct profile *p)
{
	char	*cause = NULL;

	if ((s->phase != SESSION_POWERING && s->phase != SESSION_QUITTING) ||
	    io_now_ms() < s->deadline)
		return 0;
	if (s->phase == SESSION_POWERING) {
		s->timed_out = true;
		(void)session_force(s, p, &cause);
		s->forced = false;	/* the policy's quit, not the person's */
		free(cause);
		return 1;
	}
	if (s->spare) {
		s->phase = SESSION_STUCK;
		return 1;
	}
	s->phase = SESSION_KILLED;
	return session_kill(p) != 0;
}

/* How long a loop may sleep before session_tick has work (ms), or -1. */
long
session_wait(const struct session_stop *s)
{
	long	left;

	if (s->phase != SESSION_POWERING && s->phase != SESSION_QUITTING)
		return -1;
	left = s->deadline - io_now_ms();
	return left > 0 ? left : 0;
}

/*
 * Whether p's machine has ended: the launch script this vmtui
 * started (*child) reaped, or, for one started elsewhere, its pidfile's
 * lock gone (looked at only with look). 1 when it ended, with QEMU's exit
 * status (from our child) or -1 (someone else's), else 0.
 */
int
session_ended(const struct profile *p, pid_t *child, bool look, int *status)
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

static unsigned
session_set_state(struct session *s, const char *state)
{
	if (strcmp(s->state, state) == 0)
		return 0;
	snprintf(s->state, sizeof s->state, "%s", state);
	return SESSION_EV_STATE;
}

/* QEMU's own word for the machine's state (query-status). */
static unsigned
session_status(struct session *s)
{
	char		*status = NULL, *cause = NULL;
	unsigned	 ev = 0;

	if (s->qmp != NULL && qmp_status(s->qmp, &status, &cause) == 0) {
		ev = session_set_state(s, strcmp(status, "running") == 0 ?
		    "running" : strcmp(status, "paused") == 0 ? "paused" :
		    status);
		if (s->ready < SESSION_ANSWERS) {
			s->ready = SESSION_ANSWERS;
			ev |= SESSION_EV_STATE;
		}
	}
	free(status);
	free(cause);
	return ev;
}

/* QEMU's events: the state they mean, and what else they ask for. */
static unsigned
session_on_shutdown(struct session *s)
{
	s->shutdown_seen = true;
	return 0;
}

static const struct session_event {
	const char	*name;
	const char	*state;		/* the state it means, or NULL */
	unsigned	(*on)(struct session *);
} session_events[] = {
	{ "STOP", "paused", NULL },
	{ "RESUME", "running", NULL },
	{ "POWERDOWN", "shutting down", NULL },
	{ "SHUTDOWN", "shutting down", session_on_shutdown },
	{ NULL, NULL, NULL }
};

static unsigned
session_qmp_events(struct session *s)
{
	const struct session_event	*e;
	unsigned			 ev = 0;
	char				*name;
	int				 r;

	while ((r = qmp_event(s->qmp, &name)) == 1) {
		for (e = session_events; e->name != NULL; e++) {
			if (strcmp(e->name, name) != 0)
				continue;
			if (e->state != NULL)
				ev |= session_set_state(s, e->state);
			if (e->on != NULL)
				ev |= e->on(s);
		}
		free(name);
	}
	if (r < 0) {
		qmp_close(s->qmp);
		s->qmp = NULL;
		s->looked = 0;		/* look whether it has ended */
	}
	return ev;
}

/*
 * Periodic jobs while the machine runs: each runs every so many ms while
 * it is wanted.
 */
static bool
session_want_qmp(const struct session *s)
{
	return s->qmp == NULL;
}

/*
 * QMP on the view's own socket (QEMU serves one client of a socket at a
 * time; --stop and --list use the other); a machine started by an older
 * vmtui has only the one.
 */
static unsigned
session_job_qmp(struct session *s)
{
	char	*sock, *cause = NULL;
	unsigned ev = 0;

	if ((sock = runtime_file(s->p, PATHS_QMP_VIEW)) != NULL &&
	    access(sock, F_OK) != 0) {
		free(sock);
		sock = runtime_file(s->p, PATHS_QMP);
	}
	if (sock != NULL && qmp_open(sock, 500, &s->qmp, &cause) == 0)
		ev = session_status(s);
	free(cause);
	free(sock);
	return ev;
}

static bool
session_want_display(const struct session *s)
{
	return s->want_display && s->display == NULL;
}

/* Where the display is: known once QEMU has set it up. */
static unsigned
session_job_display(struct session *s)
{
	s->display = runtime_display(s->p);
	return s->display != NULL ? SESSION_EV_STATE : 0;
}

static bool
session_want_log(const struct session *s)
{
	return s->running && s->a.log_path != NULL;
}

/*
 * Whether the console log's disk is full: QEMU cannot write the log then,
 * and the console, which is read from it, stops without a word from
 * QEMU. log_note says so while it lasts (the front ends show it).
 */
static unsigned
session_job_log(struct session *s)
{
	struct statvfs	 vfs;
	char		*dir, *slash, note[sizeof s->log_note] = "";

	if ((dir = strdup(s->a.log_path)) == NULL)
		return 0;
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (statvfs(dir, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < SESSION_LOG_ROOM)
		snprintf(note, sizeof note, "the disk of %s is full: QEMU "
		    "cannot write the console log, and the console stops "
		    "here until there is room", dir);
	free(dir);
	if (strcmp(note, s->log_note) == 0)
		return 0;
	snprintf(s->log_note, sizeof s->log_note, "%s", note);
	return SESSION_EV_STATE | SESSION_EV_LOG;
}

static const struct session_job {
	long		  every;	/* ms */
	bool		(*wanted)(const struct session *);
	unsigned	(*run)(struct session *);
} session_jobs[] = {
	{ 50, session_want_qmp, session_job_qmp },
	{ 2000, session_want_display, session_job_display },
	{ 1000, session_want_log, session_job_log },
};
_Static_assert(sizeof session_jobs / sizeof session_jobs[0] <= SESSION_NJOBS,
    "SESSION_NJOBS holds a time for each job");

static unsigned
session_run_jobs(struct session *s)
{
	size_t		i;
	unsigned	ev = 0;
	long		now = io_now_ms();

	for (i = 0; i < sizeof session_jobs / sizeof session_jobs[0]; i++) {
		if (!session_jobs[i].wanted(s) ||
		    now - s->job_at[i] < session_jobs[i].every)
			continue;
		s->job_at[i] = now;
		ev |= session_jobs[i].run(s);
	}
	return ev;
}

/* Attach to p's running machine; child: QEMU when we started it. */
int
session_open(struct session *s, const struct profile *p, pid_t child,
    char **cause)
{
	struct stat	 st;
	char		*pidfile;
	size_t		 i;
	pid_t		 pid;

	memset(s, 0, sizeof *s);
	s->a.log = s->a.sock = s->a.lock = -1;
	s->status = -1;
	if (child <= 0 && !runtime_running(p, &pid)) {
		if (asprintf(cause, "%s is not running", p->name) < 0)
			*cause = NULL;
		return -1;
	}
	if ((s->name = strdup(p->name)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (attach_open(p, &s->a, cause) != 0) {
		free(s->name);
		s->name = NULL;
		return -1;
	}
	s->p = p;
	s->child = child;
	s->running = true;
	snprintf(s->state, sizeof s->state, "starting");
	s->looked = io_now_ms();
	/* a machine we just started: now; else since QEMU wrote its pid */
	s->started = time(NULL);
	if (child <= 0 && (pidfile = runtime_file(p, PATHS_PIDFILE)) != NULL) {
		if (stat(pidfile, &st) == 0)
			s->started = st.st_mtime;
		free(pidfile);
	}
	for (i = 0; i < SESSION_NJOBS; i++)
		s->job_at[i] = s->looked - 100000;	/* due at once */
	return 0;
}

/* The fds a loop polls for the session (two; -1 for none). */
int
session_fds(const struct session *s, struct pollfd *pfd)
{
	pfd[0].fd = s->running ? s->a.sock : -1;
	pfd[0].events = POLLIN;
	pfd[1].fd = s->running && s->qmp != NULL ? qmp_fd(s->qmp) : -1;
	pfd[1].events = POLLIN;
	return 2;
}

/* How long a loop may poll before session_step has work, in ms. */
int
session_timeout(const struct session *s)
{
	size_t	i;
	long	t, left, now = io_now_ms();

	if (!s->running)
		return -1;
	t = attach_wait(&s->a);
	if ((left = session_wait(&s->stop)) >= 0 && left < t)
		t = left;
	for (i = 0; i < sizeof session_jobs / sizeof session_jobs[0]; i++) {
		if (!session_jobs[i].wanted(s))
			continue;
		left = s->job_at[i] + session_jobs[i].every - now;
		if (left < t)
			t = left > 0 ? left : 0;
	}
	return (int)t;
}

/* Has the machine ended? Then QMP goes; the log stays to be read. */
static unsigned
session_check_end(struct session *s)
{
	long	now = io_now_ms();
	bool	look;
	int	status;

	if (!s->running)
		return 0;
	/* someone else's machine: its lock looked at twice a second */
	look = s->child <= 0 && (s->a.closed ||
	    now - s->looked >= SESSION_LOOK_MS);
	if (look)
		s->looked = now;
	if (!session_ended(s->p, &s->child, look, &status))
		return 0;
	s->running = false;
	s->status = status;
	qmp_close(s->qmp);
	s->qmp = NULL;
	runtime_clean_stale(s->p);
	(void)session_set_state(s, "stopped");
	return SESSION_EV_ENDED | SESSION_EV_STATE;
}

/*
 * After a poll: the console socket drained, QMP's events, the jobs that
 * are due, the stop policy's next step, the end. What changed, as bits.
 */
unsigned
session_step(struct session *s)
{
	enum session_phase	was = s->stop.phase;
	unsigned		ev = 0;

	if (!s->running)
		return 0;
	(void)attach_connect(&s->a);
	attach_events(&s->a);
	if (s->qmp != NULL)
		ev |= session_qmp_events(s);
	ev |= session_run_jobs(s);
	if (session_tick(&s->stop, s->p)) {
		if (was == SESSION_POWERING &&
		    s->stop.phase == SESSION_QUITTING)
			ev |= SESSION_EV_QUIT;
		if (s->stop.phase == SESSION_KILLED) {
			ev |= SESSION_EV_KILLED;
			if (s->child > 0)	/* before it wrote its pidfile */
				kill(s->child, SIGKILL);
		}
		ev |= SESSION_EV_STATE;
	}
	return ev | session_check_end(s);
}

/*
 * What the console watch remembers as the log passes: QEMU's own error
 * lines ("qemu-system-x86_64: ..."), which say why it ended. (A readiness
 * read from the console, sshd up, belongs here too.)
 */
static void
session_watch(struct session *s, const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n' || p[i] == '\r') {
			s->line[s->linelen] = '\0';
			if (strncmp(s->line, "qemu-system-", 12) == 0)
				snprintf(s->lastline, sizeof s->lastline, "%s",
				    s->line);
			s->linelen = 0;
		} else if (s->linelen + 1 < sizeof s->line)
			s->line[s->linelen++] = p[i];
	}
}

/* The console log's next bytes: how many, 0 when none yet, -1 error. */
ssize_t
session_read(struct session *s, void *buf, size_t n)
{
	ssize_t	r = attach_read(&s->a, buf, n);

	if (r > 0)
		session_watch(s, buf, (size_t)r);
	return r;
}

/* Bytes for the guest's console (keys, a terminal's answers). */
int
session_send(struct session *s, const void *p, size_t n)
{
	return s->running ? attach_send(&s->a, p, n) : -1;
}

/* The power button (the policy quits QEMU at its deadline). */
int
session_power_button(struct session *s, char **cause)
{
	*cause = NULL;
	if (session_power(&s->stop, s->p, cause) != 0)
		return -1;
	(void)session_set_state(s, "shutting down");
	return 0;
}

/*
 * Force the machine to quit (the policy: quit, then SIGKILL; killed at
 * once when QEMU cannot be asked). -1 with why when it was killed so.
 */
int
session_quit(struct session *s, char **cause)
{
	*cause = NULL;
	if (session_force(&s->stop, s->p, cause) == 0)
		return 0;
	if (s->stop.phase == SESSION_KILLED && s->child > 0)
		kill(s->child, SIGKILL);
	return -1;
}

/* Pause a running machine, resume a paused one. */
int
session_pause(struct session *s, char **cause)
{
	*cause = NULL;
	if (s->qmp == NULL) {
		*cause = strdup("QMP is not connected yet");
		return -1;
	}
	if (qmp_execute(s->qmp, strcmp(s->state, "paused") == 0 ? "cont" :
	    "stop", cause) != 0)
		return -1;
	(void)session_status(s);
	return 0;
}

/* A line for QEMU's human monitor; its answer in *out. */
int
session_monitor(struct session *s, const char *line, char **out,
    char **cause)
{
	*out = *cause = NULL;
	if (s->qmp == NULL) {
		*cause = strdup("QMP is not connected yet");
		return -1;
	}
	return qmp_hmp(s->qmp, line, out, cause);
}

/*
 * A signal ends the front end: a machine the person asked to go down is
 * taken down now (quit, then SIGKILL; it always ends, within seconds);
 * any other runs on.
 */
void
session_interrupt(struct session *s)
{
	char	*cause = NULL;
	long	 until;

	if (!s->running || s->stop.phase == SESSION_UP)
		return;
	if (s->stop.phase == SESSION_POWERING)
		(void)session_quit(s, &cause);
	free(cause);
	until = io_now_ms() + SESSION_KILL_MS + 5000;
	while (!(session_check_end(s) & SESSION_EV_ENDED) &&
	    io_now_ms() < until) {
		if (session_tick(&s->stop, s->p) &&
		    s->stop.phase == SESSION_KILLED && s->child > 0)
			kill(s->child, SIGKILL);
		s->looked = 0;
		usleep(20000);
	}
}

/* How the machine ended, in plain words; a port in use names the forward. */
char *
session_how(const struct session *s, const struct profile *p)
{
	const char	*msg = strchr(s->lastline, ':'), *rule;
	char		*how = NULL, port[32];
	size_t		 i;
	int		 r;

	if (s->stop.timed_out)
		r = asprintf(&how, "the guest did not power off within %ld s; "
		    "QEMU was quit", s->stop.powerdown_ms > 0 ?
		    s->stop.powerdown_ms / 1000 : SESSION_POWERDOWN_S);
	else if (s->stop.forced)
		r = asprintf(&how, "%s was forced to quit%s", s->name,
		    s->status == 128 + SIGKILL ? " (QEMU was killed)" : "");
	else if (s->status == 0 || s->status == -1)
		/* -1: not ours to wait for; QMP told how it went */
		r = asprintf(&how, "%s", s->shutdown_seen ?
		    "the guest powered off" : s->status == 0 ?
		    "QEMU exited (status 0)" : "the machine has stopped");
	else if ((rule = strstr(s->lastline, "host forwarding rule")) !=
	    NULL) {
		for (i = 0; i < p->nforwards; i++) {
			snprintf(port, sizeof port, ":%ld-",
			    p->forwards[i].host_port);
			if (strstr(rule, port) != NULL)
				break;
		}
		if (i < p->nforwards)
			r = asprintf(&how, "QEMU could not listen on host port "
			    "%ld (forward %s:%ld -> :%ld): the port is in use",
			    p->forwards[i].host_port,
			    p->forwards[i].host_address,
			    p->forwards[i].host_port,
			    p->forwards[i].guest_port);
		else
			r = asprintf(&how, "QEMU could not set up a forward: "
			    "%s", msg != NULL && msg[1] != '\0' ? msg + 2 : "");
	} else if (msg != NULL && msg[1] != '\0')
		r = asprintf(&how, "QEMU exited with status %d: %s", s->status,
		    msg + 2);
	else
		r = asprintf(&how, "QEMU exited with status %d", s->status);
	return r < 0 ? NULL : how;
}

/* Let go of the machine: it runs on, if it runs. Again: nothing. */
void
session_close(struct session *s)
{
	if (s->name == NULL)		/* never opened, or closed */
		return;
	attach_close(&s->a);
	qmp_close(s->qmp);
	s->qmp = NULL;
	s->running = false;
	free(s->name);
	free(s->display);
	s->name = s->display = NULL;
}
