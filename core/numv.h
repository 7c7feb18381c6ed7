/*
 * numv: a vector of whole numbers (a profile key that holds several, such
 * as vlans).
 */
#ifndef VMTUI_NUMV_H
#define VMTUI_NUMV_H

#include <stddef.h>

struct numv {
	long	*v;
	size_t	 n;
};

int	 numv_add(struct numv *, long);
int	 numv_has(const struct numv *, long);
int	 numv_equal(const struct numv *, const struct numv *);
void	 numv_free(struct numv *);

#endif
