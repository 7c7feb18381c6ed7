/*
 * autofwd: the guest's listening ports forwarded to the host on their own
 * (auto-forward): whether a machine has it, what to forward and stop
 * forwarding at each look at the guest, which host port each one gets,
 * and the list of those forwarded, kept in the runtime folder for --list
 * and the views.
 */
#ifndef VMTUI_AUTOFWD_H
#define VMTUI_AUTOFWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ports.h"

struct numv;
struct profile;

/* The one host address a port is ever forwarded on. */
#define AUTOFWD_ADDRESS	"127.0.0.1"
/* Host ports tried for one guest port, from its own number up. */
#define AUTOFWD_TRIES	100

/* A guest port forwarded on its own, and its host port. */
struct autofwd_entry {
	uint16_t	guest;
	uint16_t	host;
};

/* The ports forwarded on their own now, in the order they came. */
struct autofwd {
	struct autofwd_entry	v[PORTS_FORWARD_MAX];
	size_t			n;
};

/* What one look at the guest decided: forwards to remove, ports to add. */
struct autofwd_step {
	struct autofwd_entry	remove[PORTS_FORWARD_MAX];
	size_t			nremove;
	uint16_t		add[PORTS_FORWARD_MAX];
	size_t			nadd;
};

bool	 autofwd_on(const struct profile *);
int	 autofwd_left_alone(const struct profile *, struct numv *);
void	 autofwd_decide(const struct autofwd *, const struct ports *,
	     const struct numv *, const struct ports *,
	     struct autofwd_step *);
long	 autofwd_host_port(const struct autofwd *, const struct profile *,
	     long, long, int (*)(long));
void	 autofwd_removed(struct autofwd *, uint16_t);
bool	 autofwd_added(struct autofwd *, uint16_t, uint16_t);
char	*autofwd_format(const struct autofwd *);
void	 autofwd_parse(const char *, size_t, struct autofwd *);
int	 autofwd_read(const struct profile *, struct autofwd *);
int	 autofwd_write(const struct profile *, const struct autofwd *,
	     char **);
char	*autofwd_text(const struct profile *);

#endif
