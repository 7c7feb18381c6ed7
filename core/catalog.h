/*
 * catalog: the profiles folder as a whole: which profiles there are, and
 * copying, renaming and deleting a machine, its disks going with it.
 */
#ifndef VMTUI_CATALOG_H
#define VMTUI_CATALOG_H

#include <stdbool.h>

#include "strv.h"

#define CATALOG_COPY		0	/* a copy with no disks */
#define CATALOG_COPY_DISKS	1	/* a copy with copies of its disks */
#define CATALOG_RENAME		2	/* the machine and its disks move */

int	catalog_names(const char *, struct strv *, char **);
int	catalog_data_taken(const char *, char **);
int	catalog_copy(const char *, const char *, const char *, int, char **);
int	catalog_owned(const char *, const char *, struct strv *, char **);
int	catalog_delete(const char *, const char *, bool, char **);

#endif
