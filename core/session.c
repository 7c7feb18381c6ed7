/*
 * session: the escape commands of an attached machine and its stop policy,
 * one for the launch view and --no-tui (and --stop's deadlines are these).
 * The policy: p presses the power button (QMP's system_powerdown); a guest
 * that has not powered off SESSION_POWERDOWN_S later is quit (QMP's quit);
 * a QEMU that does not go SESSION_KILL_MS after a quit, or does not answer
 * on QMP at all, is killed (SIGKILL to the pid in its locked pidfile).
 * Each action opens qmp.sock for itself and lets go (QEMU serves one
 * client of a socket at a time: the view holds qmp-view.sock).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "machine.h"
#include "paths.h"
#include "qmp.h"
#include "runtime.h"
#include "session.h"

#define SESSION_BOTH	(SESSION_TTY | SESSION_VIEW)

const struct session_key session_keys[] = {
	{ '?', SESSION_HELP, SESSION_BOTH, "?", "help",
	  "help: the keys of this screen" },
	{ 'd', SESSION_LEAVE, SESSION_BOTH, "d", "leave", "leave; the machine "
	  "keeps running (the list, or vmtui --attach NAME, shows it again)" },
	{ 'p', SESSION_POWER, SESSION_BOTH, "p", "power down", "press the "
	  "power button; QEMU is quit 30 s later if the guest has not powered "
	  "off" },
	{ 'q', SESSION_QUIT, SESSION_BOTH, "q", NULL,
	  "force the machine to quit (the view asks first)" },
	{ 'z', SESSION_PAUSE, SESSION_VIEW, "z", NULL,
	  "pause or resume the machine" },
	{ '[', SESSION_SCROLL, SESSION_VIEW, "[ or PgUp", "scroll",
	  "scroll back: Up/Down, PgUp/PgDn, g/G, / search back, n search on; "
	  "q or Esc back" },
	{ 'm', SESSION_MONITOR, SESSION_VIEW, "m", NULL,
	  "a line for QEMU's monitor (info status, ...)" },
	{ 0, 0, 0, NULL, NULL, NULL }
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

/* A QMP command to p's machine on its qmp.sock; 0 when it answered. */
int
session_qmp(const struct profile *p, const char *command, char **cause)
{
	struct qmp	*q;
	char		*sock;
	int		 r = -1;

	*cause = NULL;
	if ((sock = runtime_file(p, PATHS_QMP)) == NULL) {
		*cause = strdup("no runtime folder");
		return -1;
	}
	if (qmp_open(sock, 2000, &q, cause) == 0) {
		r = qmp_execute(q, command, cause);
		qmp_close(q);
	}
	free(sock);
	return r;
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
		s->deadline = io_now_ms() + SESSION_POWERDOWN_S * 1000L;
	}
	return 0;
}

/*
 * Quit now; SIGKILL follows at the deadline. A QEMU that does not answer
 * (stopped, hung) is killed at once. -1 with why when it was killed so.
 */
int
session_force(struct session_stop *s, const struct profile *p,
    char **cause)
{
	s->forced = true;
	if (session_qmp(p, "quit", cause) == 0) {
		s->phase = SESSION_QUITTING;
		s->deadline = io_now_ms() + SESSION_KILL_MS;
		return 0;
	}
	s->phase = SESSION_KILLED;
	(void)machine_kill(p);
	return -1;
}

/*
 * The policy's next step when its deadline has passed: 1 when it acted
 * (the guest ignored the power button and QEMU was quit, or QEMU was
 * killed), else 0.
 */
int
session_tick(struct session_stop *s, const struct profile *p)
{
	char	*cause = NULL;

	if (s->phase == SESSION_UP || s->phase == SESSION_KILLED ||
	    io_now_ms() < s->deadline)
		return 0;
	if (s->phase == SESSION_POWERING) {
		s->timed_out = true;
		(void)session_force(s, p, &cause);
		s->forced = false;	/* the policy's quit, not the person's */
		free(cause);
		return 1;
	}
	s->phase = SESSION_KILLED;
	return machine_kill(p) != 0;
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
