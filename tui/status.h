/*
 * status: what the launch view says about its machine, as a column beside
 * the pane or folded into the title line.
 */
#ifndef VMTUI_STATUS_H
#define VMTUI_STATUS_H

#include <stdbool.h>

#include "buf.h"

#define STATUS_W	34	/* the column's width, its border included */

struct pane;
struct profile;
struct session;

struct status {
	/* what the view shows, set before each call */
	const struct profile	*p;
	const struct session	*s;
	const struct pane	*pane;
	const char		*state;	/* as the session says, or why not */
	const char		*escape;	/* the escape key's name */
	bool			 installed;	/* an installer wrote the disk */
	/* kept here: read again every two seconds while it runs */
	struct profile		*now;	/* what it runs, changes made live */
	char			*own;	/* the ports forwarded on their own */
	char			*next;	/* what applies at the next start */
	long			 live_at;
};

void	status_column(struct status *, struct buf *);
char	*status_line(struct status *);
void	status_stale(struct status *);
void	status_free(struct status *);

#endif
