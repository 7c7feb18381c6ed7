/*
 * catalog: the profiles folder as a whole: which profiles there are, and
 * copying, renaming and deleting one (with its disk images, if asked).
 */
#ifndef VMTUI_CATALOG_H
#define VMTUI_CATALOG_H

#include <stdbool.h>

#include "strv.h"

int	catalog_names(const char *, struct strv *, char **);
int	catalog_copy(const char *, const char *, const char *, bool, char **);
int	catalog_delete(const char *, const char *, bool, char **);

#endif
