/*
 * watch: auto-forward's watcher. Lima runs a host agent beside each of its
 * machines; vmtui does the same, and only for a machine with auto-forward:
 * machine_start spawns `vmtui --watch NAME` (the running program itself,
 * in a session of its own, its parent gone so that nobody has to reap
 * it) once the launch has begun. The watcher
 *
 * - holds the machine's third QMP socket, qmp-watch.sock (plan.c makes it
 *   only for such a machine), so qmp.sock stays free for --stop, --list
 *   and the rest, which stay as quick as they were; QEMU closing it is the
 *   machine's end, and the watcher's: it never outlives QEMU, whatever
 *   ended it (the socket closes with the process);
 * - is the one client of the guest agent's qga.sock (QEMU serves one at a
 *   time), and looks at the guest about once a second (WATCH_LOOK_MS):
 *   /proc/net/tcp and tcp6 read with agent_reread_file (capped; a cut line
 *   makes no port up; their handles stay open, rewound at each look:
 *   four calls of the agent a look, not six), parsed by ports.c, decided
 *   by autofwd.c, each change made with hostfwd_add or hostfwd_remove on
 *   127.0.0.1 only;
 *   while the agent does not answer (none in the guest, the guest
 *   paused or still booting) it backs off, doubling up to WATCH_BACKOFF_MS;
 * - keeps the list of what it forwards in the runtime folder for --list,
 *   the browser and the launch view, and removes it when it ends;
 * - deletes the nodes of disks the guest let go of late (DEVICE_DELETED),
 *   when no change is being made to the machine (live.lock).
 *
 * What it forwards follows the copy of what the machine runs (current.c):
 * the ports its forwards reach and the ones it ignores are left alone, a
 * copy that changed is read again. One watcher a machine (watch.lock).
 * VMTUI_WATCH_AGENT names another agent socket (tests: a stand-in agent
 * beside a real QEMU).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "autofwd.h"
#include "current.h"
#include "diag.h"
#include "hotplug.h"
#include "io.h"
#include "numv.h"
#include "paths.h"
#include "plan.h"
#include "ports.h"
#include "preflight.h"
#include "profile.h"
#include "qmp.h"
#include "runtime.h"
#include "watch.h"

#define WATCH_START_MS	60000	/* QEMU's sockets there by then */
#define WATCH_AGENT_MS	3000	/* one call of the guest agent */
#define WATCH_QMP_MS	5000
#define WATCH_HOST_TRIES 3	/* host ports tried when QEMU refuses one */

/* The program that runs --watch: this one, when it has the action. */
static char	watch_program[PATH_MAX];

/* This program runs `--watch NAME`: machine_start may spawn it. */
void
watch_enable(void)
{
	ssize_t	n = readlink("/proc/self/exe", watch_program,
		    sizeof watch_program - 1);

	watch_program[n > 0 ? n : 0] = '\0';
}

/*
 * The watcher of machine name spawned, QEMU's pid (the launch's) in its
 * environment: in a session of its own, stdio on /dev/null, no fd of ours,
 * and its parent gone at once (a double fork) so that it is nobody's child
 * to reap. 0 (also when this program cannot watch), or -1 with the cause.
 */
int
watch_spawn(const struct profile *p, pid_t qemu, char **cause)
{
	extern char	**environ;
	char		**env, pidvar[64];
	char		*argv[] = { "vmtui", "--watch", (char *)p->file, NULL };
	size_t		 n, i, k;
	pid_t		 child;
	int		 st, fd;

	if (*watch_program == '\0' || p->file == NULL)
		return 0;
	for (n = 0; environ[n] != NULL; n++)
		;
	if ((env = calloc(n + 2, sizeof *env)) == NULL)
		return diag_cause(cause, "out of memory");
	for (i = k = 0; i < n; i++)
		if (strncmp(environ[i], "VMTUI_WATCH_PID=", 16) != 0)
			env[k++] = environ[i];
	snprintf(pidvar, sizeof pidvar, "VMTUI_WATCH_PID=%ld", (long)qemu);
	env[k++] = pidvar;
	env[k] = NULL;
	/* only async-signal-safe calls after the fork */
	if ((child = fork()) == -1) {
		free(env);
		return diag_cause(cause, "cannot start the watcher: %s",
		    strerror(errno));
	}
	if (child == 0) {
		if (setsid() == -1 || fork() != 0)
			_exit(0);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			(void)dup2(fd, 0);
			(void)dup2(fd, 1);
			(void)dup2(fd, 2);
		}
		closefrom(3);
		execve(watch_program, argv, env);
		_exit(127);
	}
	free(env);
	while (waitpid(child, &st, 0) == -1 && errno == EINTR)
		;
	return 0;
}

/* What the watcher holds. */
struct watcher {
	struct profile	*m;		/* the machine's profile */
	struct qmp	*q;
	struct agent	*agent;
	char		*agent_path;
	long long	 tcp, tcp6;	/* their handles, open between looks */
	struct profile	*cur;		/* what the machine runs */
	struct timespec	 cur_mtime;
	struct numv	 alone;		/* ports left alone beyond the policy */
	struct autofwd	 fwd;		/* forwarded now */
	struct ports	 failed;	/* no host port found: not tried again */
	int		 backoff;
};

/* One watcher a machine: the lock's fd, or -1 when another holds it. */
static int
watch_lock(const struct profile *m)
{
	char	*path;
	int	 fd;

	if ((path = runtime_file(m, PATHS_WATCH_LOCK)) == NULL)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	if (fd != -1 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Whether the launch's process (VMTUI_WATCH_PID) has gone. */
static bool
watch_launch_gone(void)
{
	const char	*s = getenv("VMTUI_WATCH_PID");
	char		 path[64], buf[512], *p;
	long		 pid;
	ssize_t		 n;
	int		 fd;

	if (s == NULL || (pid = strtol(s, NULL, 10)) <= 1)
		return false;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return true;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	/* "PID (COMM) STATE ...": a zombie has ended */
	return (p = strrchr(buf, ')')) != NULL && p[1] == ' ' && p[2] == 'Z';
}

/*
 * Connected to the machine's watcher socket once QEMU runs: 0, or -1 when
 * it ended first (or never came within WATCH_START_MS).
 */
static int
watch_connect(struct watcher *w, char **cause)
{
	long	 deadline = io_now_ms() + WATCH_START_MS;
	char	*sock, *why = NULL;
	pid_t	 pid;

	if ((sock = runtime_file(w->m, PATHS_QMP_WATCH)) == NULL)
		return diag_cause(cause, "out of memory");
	for (;;) {
		if (runtime_running(w->m, &pid) &&
		    qmp_open(sock, WATCH_QMP_MS, &w->q, &why) == 0)
			break;
		free(why);
		why = NULL;
		if (watch_launch_gone() || io_now_ms() >= deadline) {
			free(sock);
			return diag_cause(cause, "%s does not run", w->m->name);
		}
		usleep(100000);
	}
	free(sock);
	return 0;
}

/* The copy of what runs, read (again when it changed). */
static void
watch_reload(struct watcher *w)
{
	struct profile	*p;
	struct stat	 st;
	char		*path, *why = NULL;

	if ((path = runtime_file(w->m, PATHS_CURRENT)) == NULL)
		return;
	if (stat(path, &st) == 0 && w->cur != NULL &&
	    st.st_mtim.tv_sec == w->cur_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == w->cur_mtime.tv_nsec) {
		free(path);
		return;
	}
	free(path);
	if (current_load(w->m, &p, &why) != 0) {
		free(why);
		return;
	}
	profile_free(w->cur);
	w->cur = p;
	w->cur_mtime = st.st_mtim;
	numv_free(&w->alone);
	if (autofwd_left_alone(p, &w->alone) != 0)
		memset(&w->alone, 0, sizeof w->alone);
}

/*
 * A host TCP port free on the loopback (127.0.0.1, and ::1 too: a host
 * service there alone is what "localhost" reaches): 0, else the errno.
 */
static int
watch_free(long port)
{
	return preflight_loopback_free(PROTO_TCP, port);
}

/* guest's forward out of QEMU and the list. */
static void
watch_unforward(struct watcher *w, const struct autofwd_entry *e)
{
	char	rule[64], *why = NULL;

	snprintf(rule, sizeof rule, "tcp:" AUTOFWD_ADDRESS ":%u", e->host);
	if (qmp_hostfwd(w->q, PLAN_NETDEV, false, rule, &why) < 0)
		free(why);
	autofwd_removed(&w->fwd, e->guest);
}

/* guest forwarded from a free host port (its own number first). */
static void
watch_forward(struct watcher *w, uint16_t guest)
{
	char	 rule[64], *why = NULL;
	long	 host = guest;
	int	 tries;

	for (tries = 0; tries < WATCH_HOST_TRIES; tries++, host++) {
		if ((host = autofwd_host_port(&w->fwd, w->cur, host,
		    AUTOFWD_TRIES, watch_free)) == 0)
			break;
		snprintf(rule, sizeof rule, "tcp:" AUTOFWD_ADDRESS ":%ld-:%u",
		    host, guest);
		if (qmp_hostfwd(w->q, PLAN_NETDEV, true, rule, &why) == 0) {
			(void)autofwd_added(&w->fwd, guest, (uint16_t)host);
			return;
		}
		free(why);
		why = NULL;
	}
	(void)ports_add(&w->failed, guest);
}

/*
 * The guest's file at path read with its cap into s, through its handle
 * kept open (*handle): 0, or -1.
 */
static int
watch_read(struct watcher *w, const char *path, long long *handle,
    struct ports *s)
{
	char	*text, *why = NULL;
	size_t	 len;
	bool	 cut;

	if (agent_reread_file(w->agent, path, handle, WATCH_READ_MAX, &text,
	    &len, &cut, &why) != 0) {
		free(why);
		return -1;
	}
	(void)ports_parse(s, text, len);
	free(text);
	return 0;
}

/*
 * One look at the guest, and what it changes: 0, or -1 when the agent did
 * not answer (the caller backs off).
 */
static int
watch_look(struct watcher *w)
{
	struct ports		 listening, gone;
	struct autofwd_step	 step;
	struct autofwd		 before = w->fwd;
	char			*why = NULL;
	size_t			 i;
	long			 port = 0;

	if (w->agent == NULL && agent_open(w->agent_path, WATCH_AGENT_MS,
	    &w->agent, &why) != 0) {
		free(why);
		return -1;
	}
	ports_clear(&listening);
	if (watch_read(w, "/proc/net/tcp", &w->tcp, &listening) != 0 ||
	    watch_read(w, "/proc/net/tcp6", &w->tcp6, &listening) != 0) {
		/* opened again at the next look (what it left is skipped) */
		agent_close(w->agent);
		w->agent = NULL;
		w->tcp = w->tcp6 = -1;
		return -1;
	}
	watch_reload(w);
	/* a port that stopped listening may be tried again */
	ports_clear(&gone);
	while ((port = ports_next(&w->failed, port)) != 0)
		if (!ports_has(&listening, port))
			(void)ports_add(&gone, port);
	port = 0;
	while ((port = ports_next(&gone, port)) != 0)
		ports_del(&w->failed, port);
	autofwd_decide(&w->fwd, &listening, &w->alone, &w->failed, &step);
	for (i = 0; i < step.nremove; i++)
		watch_unforward(w, &step.remove[i]);
	for (i = 0; i < step.nadd; i++)
		watch_forward(w, step.add[i]);
	if ((before.n != w->fwd.n || memcmp(before.v, w->fwd.v,
	    w->fwd.n * sizeof w->fwd.v[0]) != 0) &&
	    autofwd_write(w->m, &w->fwd, &why) != 0)
		free(why);
	return 0;
}

/*
 * QEMU's events that arrived: a disk's device gone, its node deleted
 * (unless a change is being made: it catches up itself). -1 when QEMU
 * has closed the socket.
 */
static int
watch_events(struct watcher *w)
{
	char	*ev, *path;
	bool	 deleted = false;
	int	 r, fd;

	while ((r = qmp_event(w->q, &ev)) == 1) {
		deleted |= strcmp(ev, "DEVICE_DELETED") == 0;
		free(ev);
	}
	if (r == -1)
		return -1;
	if (deleted && (path = runtime_file(w->m, PATHS_LIVE_LOCK)) !=
	    NULL) {
		fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		free(path);
		if (fd != -1 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			hotplug_reap(w->q);
		if (fd != -1)
			close(fd);
	}
	return 0;
}

/*
 * Watch the machine of the profile at file until QEMU ends: 0 then, or -1
 * with the cause (no such profile, it does not run, another watcher has
 * it, no copy of what it runs). The profile is read once: the machine is
 * the one it names now, whatever happens to the file meanwhile.
 */
int
watch_run(const char *file, char **cause)
{
	struct watcher	 w;
	struct pollfd	 pfd;
	const char	*agent = getenv("VMTUI_WATCH_AGENT");
	char		*list;
	long		 next;
	int		 lock, r = 0;

	memset(&w, 0, sizeof w);
	w.backoff = WATCH_LOOK_MS;
	w.tcp = w.tcp6 = -1;
	signal(SIGPIPE, SIG_IGN);
	if (profile_parse(file, &w.m, cause) != 0)
		return -1;
	if ((lock = watch_lock(w.m)) == -1) {
		r = diag_cause(cause, "%s has a watcher already, or no "
		    "runtime folder", w.m->name);
		profile_free(w.m);
		return r;
	}
	w.agent_path = agent != NULL && *agent != '\0' ? strdup(agent) :
	    runtime_file(w.m, PATHS_QGA);
	if (w.agent_path == NULL || watch_connect(&w, cause) != 0) {
		free(w.agent_path);
		profile_free(w.m);
		close(lock);
		return -1;
	}
	watch_reload(&w);
	if (w.cur == NULL) {
		r = diag_cause(cause, "%s keeps no copy of what it runs (it was "
		    "started before vmtui kept one)", w.m->name);
		goto out;
	}
	for (next = io_now_ms(); r == 0;) {
		pfd.fd = qmp_fd(w.q);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, next > io_now_ms() ? (int)(next -
		    io_now_ms()) : 0) == -1 && errno != EINTR)
			break;
		if (pfd.revents != 0 && watch_events(&w) != 0)
			break;
		if (io_now_ms() < next)
			continue;
		if (watch_look(&w) == 0)
			w.backoff = WATCH_LOOK_MS;
		else if ((w.backoff *= 2) > WATCH_BACKOFF_MS)
			w.backoff = WATCH_BACKOFF_MS;
		next = io_now_ms() + w.backoff;
	}
out:
	if ((list = runtime_file(w.m, PATHS_AUTOFWD)) != NULL)
		(void)unlink(list);
	free(list);
	agent_close(w.agent);
	qmp_close(w.q);
	profile_free(w.cur);
	profile_free(w.m);
	numv_free(&w.alone);
	free(w.agent_path);
	close(lock);
	return r;
}
