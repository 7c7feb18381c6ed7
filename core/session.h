/*
 * session: what being attached to a running machine means, the same in
 * every front end (the launch view, --no-tui): the commands after the
 * escape key, as one table, and the stop policy as a state machine with
 * its deadlines (the power button; QEMU quit when the guest has not
 * powered off in time; SIGKILL for a QEMU that does not go). The front
 * ends own their loops and fds; they ask session_wait how long they may
 * sleep and call session_tick when they wake.
 */
#ifndef VMTUI_SESSION_H
#define VMTUI_SESSION_H

#include <stdbool.h>

#define SESSION_POWERDOWN_S	30	/* power button, then quit */
#define SESSION_KILL_MS		3000	/* quit, then SIGKILL */

enum session_cmd {
	SESSION_HELP = 1, SESSION_LEAVE, SESSION_POWER, SESSION_QUIT,
	SESSION_PAUSE, SESSION_SCROLL, SESSION_MONITOR
};

#define SESSION_TTY	0x1	/* --no-tui obeys it */
#define SESSION_VIEW	0x2	/* the launch view obeys it */

struct session_key {
	int		 key;		/* the character after the escape key */
	enum session_cmd cmd;
	unsigned	 where;		/* SESSION_TTY, SESSION_VIEW */
	const char	*name;		/* as help and the man page say */
	const char	*bar;		/* the view's key bar word, or NULL */
	const char	*help;
};

extern const struct session_key session_keys[];

enum session_phase {
	SESSION_UP,		/* nothing asked */
	SESSION_POWERING,	/* the power button pressed; quit at deadline */
	SESSION_QUITTING,	/* QMP's quit sent; SIGKILL at deadline */
	SESSION_KILLED
};

struct session_stop {
	enum session_phase phase;
	long		 deadline;	/* ms, CLOCK_MONOTONIC */
	bool		 timed_out;	/* the guest ignored the power button */
	bool		 forced;	/* quit was asked for */
};

struct profile;

const struct session_key *session_key_find(int, unsigned);
int	 session_qmp(const struct profile *, const char *, char **);
int	 session_power(struct session_stop *, const struct profile *,
	    char **);
int	 session_force(struct session_stop *, const struct profile *,
	    char **);
int	 session_tick(struct session_stop *, const struct profile *);
long	 session_wait(const struct session_stop *);

#endif
