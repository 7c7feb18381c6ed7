/*
 * numv: a growable vector of whole numbers, the model of a profile key that
 * holds a list of numbers (vlans = {1, 2}).
 */
#include "config.h"

#include <stdlib.h>

#include "numv.h"

int
numv_add(struct numv *nv, long x)
{
	long	*v;

	if ((v = realloc(nv->v, (nv->n + 1) * sizeof *v)) == NULL)
		return -1;
	nv->v = v;
	nv->v[nv->n++] = x;
	return 0;
}

int
numv_has(const struct numv *nv, long x)
{
	size_t	i;

	for (i = 0; i < nv->n; i++)
		if (nv->v[i] == x)
			return 1;
	return 0;
}

int
numv_equal(const struct numv *a, const struct numv *b)
{
	size_t	i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i] != b->v[i])
			return 0;
	return 1;
}

void
numv_free(struct numv *nv)
{
	free(nv->v);
	nv->v = NULL;
	nv->n = 0;
}
