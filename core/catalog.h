/*
 * catalog: the profiles folder as a whole: which profiles there are,
 * copying, renaming and deleting a machine, its disks going with it, and
 * the host ports the machines forward.
 */
#ifndef VMTUI_CATALOG_H
#define VMTUI_CATALOG_H

#include <stdbool.h>

#include "profile.h"
#include "strv.h"

struct catalog_port {
	long	 port;
	int	 proto;		/* enum proto */
	char	*name;		/* the machine */
};

struct catalog_ports {
	struct catalog_port	*v;
	size_t			 n;
};

/*
 * A machine running that no profile of the profiles folder stands for:
 * started from a profile elsewhere (the demo's, another HOME's), or by an
 * earlier vmtui, which did not say from which.
 */
struct catalog_other {
	char		*name;	/* its profile's name, or its folder's */
	char		*file;	/* the profile it started from; NULL: not said */
	struct profile	*p;	/* that profile as it is now; NULL: see why */
	char		*why;	/* why there is no p */
	pid_t		 pid;
};

#define CATALOG_COPY		0	/* a copy with no disks */
#define CATALOG_COPY_DISKS	1	/* a copy with copies of its disks */
#define CATALOG_RENAME		2	/* the machine and its disks move */

int	catalog_names(const char *, struct strv *, char **);
int	catalog_name_free(const char *, const char *, char **);
struct profile *catalog_machine(const char *, const char *);
int	catalog_others(const char *, struct catalog_other **, size_t *);
void	catalog_others_free(struct catalog_other *, size_t);
int	catalog_data_taken(const char *, char **);
int	catalog_copy(const char *, const char *, const char *, int, char **,
	    char **);
int	catalog_owned(const char *, const char *, struct strv *, char **);
int	catalog_delete(const char *, const char *, bool, char **);
int	catalog_host_ports(const char *, const char *, struct catalog_ports *,
	    char **);
const char *catalog_port_user(const struct catalog_ports *, int, long);
long	catalog_free_port(const struct catalog_ports *, const struct profile *,
	    size_t, int, long);
void	catalog_ports_free(struct catalog_ports *);
#define CATALOG_SSH_PORT	2222	/* where SSH forwards start */
long	catalog_ssh_port(const char *, const struct profile *, size_t);

#endif
