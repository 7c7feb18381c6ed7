/*
 * runtime: a machine's runtime folder (QMP socket, pidfile, the launch
 * script that runs) and whether the machine runs: QEMU holds a lock on its
 * pidfile for as long as it lives. A machine is named by its profile: its
 * folder is the profile's identity (paths_machine), or, for a machine that
 * an earlier vmtui started and that still runs, the folder it used then.
 */
#ifndef VMTUI_RUNTIME_H
#define VMTUI_RUNTIME_H

#include <stdbool.h>
#include <sys/types.h>

/* Whether a machine runs, and what QMP says of it. */
struct runtime_state {
	bool	 running;
	pid_t	 pid;
	char	*status;	/* QMP's word (running, paused, ...); NULL: none */
};

/* A machine running in the runtime base, whatever its profile. */
struct runtime_found {
	char	*dir;		/* its runtime folder */
	char	*name;		/* the folder's name up to '@' */
	char	*profile;	/* the profile it started from; NULL: not said */
	pid_t	 pid;
};

struct paths_machine;
struct profile;

int	 runtime_machine(const struct profile *, struct paths_machine *);
char	*runtime_file(const struct profile *, const char *);
int	 runtime_running(const struct profile *, pid_t *);
void	 runtime_clean_stale(const struct profile *);
int	 runtime_state(const struct profile *, struct runtime_state *);
const char *runtime_state_word(const struct runtime_state *);
char	*runtime_state_text(const struct runtime_state *);
void	 runtime_state_free(struct runtime_state *);
char	*runtime_describe(const struct profile *);
char	*runtime_display(const struct profile *);
int	 runtime_display_socket(const struct profile *, const char **, char **);
int	 runtime_find(struct runtime_found **, size_t *);
void	 runtime_found_free(struct runtime_found *, size_t);

#endif
