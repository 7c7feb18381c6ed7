/*
 * session: being attached to a running machine, the same in every front
 * end (the launch view, --no-tui) and for --stop. One non-blocking object
 * holds the console (attach.c: the log read, keys to the socket), QMP on
 * qmp-view.sock and its events, the machine's state and how ready it is,
 * the stop policy as a state machine with its deadlines, periodic jobs,
 * and the machine's end. The front ends own their loops: they poll the
 * fds session_fds gives, for at most session_timeout, then call
 * session_step, which says what changed. The commands after the escape
 * key are one table, session_keys[], marked with the front ends that
 * obey them.
 */
#ifndef VMTUI_SESSION_H
#define VMTUI_SESSION_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "attach.h"
#include "profile.h"

#define SESSION_POWERDOWN_S	30	/* power button, then quit */
#define SESSION_KILL_MS		3000	/* quit, then SIGKILL */

enum session_cmd {
	SESSION_HELP = 1, SESSION_LEAVE, SESSION_POWER, SESSION_QUIT,
	SESSION_PAUSE, SESSION_SCROLL, SESSION_MONITOR, SESSION_STATUS,
	SESSION_FORWARD, SESSION_NCMDS
};

#define SESSION_TTY	0x1	/* --no-tui obeys it */
#define SESSION_VIEW	0x2	/* the launch view obeys it */

struct session_key {
	int		 key;		/* the character after the escape key */
	enum session_cmd cmd;
	unsigned	 where;		/* SESSION_TTY, SESSION_VIEW */
	const char	*name;		/* as help and the man page say */
	const char	*word;		/* what it does, in a word or two */
	bool		 bar;		/* in the view's key bar */
	const char	*help;
	const char	*view_only;	/* why --no-tui does not obey it */
};

extern const struct session_key session_keys[];

const struct session_key *session_key_find(int, unsigned);

/* The stop policy. */
enum session_phase {
	SESSION_UP,		/* nothing asked */
	SESSION_POWERING,	/* the power button pressed; quit at deadline */
	SESSION_QUITTING,	/* QMP's quit sent; SIGKILL at deadline */
	SESSION_KILLED,		/* SIGKILL sent */
	SESSION_STUCK		/* it did not go, and may not be killed */
};

struct session_stop {
	enum session_phase phase;
	long		 deadline;	/* ms, CLOCK_MONOTONIC */
	long		 powerdown_ms;	/* the guest's time; 0: the default */
	bool		 spare;		/* never SIGKILL (--stop without --force) */
	bool		 timed_out;	/* the guest ignored the power button */
	bool		 forced;	/* quit was asked for */
};

struct profile;

int	 session_power(struct session_stop *, const struct profile *,
	    char **);
int	 session_force(struct session_stop *, const struct profile *,
	    char **);
int	 session_tick(struct session_stop *, const struct profile *);
long	 session_wait(const struct session_stop *);
pid_t	 session_kill(const struct profile *);
int	 session_ended(const struct profile *, pid_t *, bool, int *);

/* How far the machine has come. */
enum session_ready {
	SESSION_BOOTING,	/* QEMU runs; QMP has not answered yet */
	SESSION_ANSWERS		/* QEMU answers on QMP: its state is known */
	/* issue 28: SESSION_SSH, sshd up, read from the console */
};

/* What session_step saw (bits). */
#define SESSION_EV_STATE	0x01	/* state, readiness or display changed */
#define SESSION_EV_QUIT		0x02	/* the guest ignored the power button:
					   QEMU was quit */
#define SESSION_EV_KILLED	0x04	/* QEMU did not go: it was killed */
#define SESSION_EV_ENDED	0x08	/* the machine has ended */
#define SESSION_EV_LOG		0x10	/* the log's disk filled or has room
					   again: log_note says which */

#define SESSION_NJOBS		4

struct qmp;

struct session {
	const struct profile *p;	/* the machine (the caller keeps it) */
	char		*name;
	pid_t		 child;		/* QEMU when this vmtui started it */
	struct attach	 a;
	struct qmp	*qmp;		/* qmp-view.sock: events, state */
	bool		 running;
	bool		 want_display;	/* ask where the display is */
	char		*display;	/* where it is, once known */
	char		 state[32];	/* starting, running, paused, ... */
	enum session_ready ready;
	struct session_stop stop;
	time_t		 started;	/* wall clock: QEMU's pidfile */
	bool		 shutdown_seen;	/* QMP said the guest shut down */
	int		 status;	/* at the end: QEMU's status, -1 unknown */
	long		 looked;	/* ms: its pidfile's lock looked at */
	long		 job_at[SESSION_NJOBS];
	char		 line[256];	/* the log's line being read */
	size_t		 linelen;
	char		 lastline[256];	/* QEMU's last "qemu-system-...: " line */
	char		 log_note[320];	/* the log's disk is full: what that
					   means; "" else */
};

int	 session_open(struct session *, const struct profile *, pid_t,
	    char **);
int	 session_fds(const struct session *, struct pollfd *);
int	 session_timeout(const struct session *);
unsigned session_step(struct session *);
ssize_t	 session_read(struct session *, void *, size_t);
int	 session_send(struct session *, const void *, size_t);
int	 session_power_button(struct session *, char **);
int	 session_quit(struct session *, char **);
int	 session_pause(struct session *, char **);
int	 session_monitor(struct session *, const char *, char **, char **);
void	 session_interrupt(struct session *);
char	*session_how(const struct session *, const struct profile *);
void	 session_close(struct session *);

#endif
