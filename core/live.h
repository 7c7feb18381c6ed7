/*
 * live: a profile's change made to its machine while it runs, as far as a
 * running QEMU takes it (forwards from the host, virtio disks), the rest
 * said to apply at the next start; and the save that goes with it.
 */
#ifndef VMTUI_LIVE_H
#define VMTUI_LIVE_H

#include <stdbool.h>

#include "profile.h"
#include "strv.h"

/* What a change did. */
struct live_report {
	bool		 running;	/* the machine ran: it was changed */
	struct strv	 done;		/* what the running machine took */
	struct strv	 notes;		/* why something waits, what is late */
	char		*next;		/* what applies at the next start */
};

/* live_forward: the forward or the profile is not valid (a usage error). */
#define LIVE_INVALID	(-2)

/* live_update's flags. */
#define LIVE_CHECK_PORTS	0x1	/* a new forward's host port must be
					   free, the machine running or not */

int	 live_update(const struct profile *, const struct profile *, int,
	     struct live_report *, char **);
int	 live_save_file(const struct profile *, const char *,
	     struct live_report *, char **);
int	 live_forward(const char *, const char *, bool, struct live_report *,
	     char **);
char	*live_report_text(const struct live_report *);
void	 live_report_free(struct live_report *);

#endif
