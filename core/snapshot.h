/*
 * snapshot: a machine's snapshots, taken on all of its qcow2 disks
 * together; offline through qemu-img, while it runs through QMP (with the
 * memory, so a revert resumes where it was).
 */
#ifndef VMTUI_SNAPSHOT_H
#define VMTUI_SNAPSHOT_H

#include <stdbool.h>
#include <time.h>

#include "profile.h"

/* How long a snapshot job of a running machine may take (GiBs of memory). */
#define SNAPSHOT_JOB_MS	(10 * 60 * 1000)

struct snapshot {
	char	*name;
	time_t	 date;
	bool	 memory;	/* taken while it ran: its memory too */
	bool	 partial;	/* not on every disk */
};

struct snapshots {
	struct snapshot	*v;
	size_t		 n;
};

int	 snapshot_check_name(const char *, char **);
int	 snapshot_list(const struct profile *, struct snapshots *, char **);
int	 snapshot_take(const struct profile *, const char *, char **);
int	 snapshot_revert(const struct profile *, const char *, char **);
int	 snapshot_delete(const struct profile *, const char *, char **);
void	 snapshot_free(struct snapshots *);
bool	 snapshot_busy(const struct profile *);

#endif
