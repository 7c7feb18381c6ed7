/*
 * runtime: a machine's runtime folder (QMP socket, pidfile, the launch
 * script that runs) and whether the machine runs: QEMU holds a lock on its
 * pidfile for as long as it lives.
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

char	*runtime_file(const char *, const char *);
int	 runtime_running(const char *, pid_t *);
void	 runtime_clean_stale(const char *);
int	 runtime_state(const char *, struct runtime_state *);
const char *runtime_state_word(const struct runtime_state *);
char	*runtime_state_text(const struct runtime_state *);
void	 runtime_state_free(struct runtime_state *);
char	*runtime_describe(const char *);
char	*runtime_display(const char *);
int	 runtime_display_socket(const char *, const char **, char **);

#endif
