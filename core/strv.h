/*
 * strv: a NULL-terminated vector of malloc'd strings (lists in the profile,
 * messages, directory listings).
 */
#ifndef VMTUI_STRV_H
#define VMTUI_STRV_H

#include <stddef.h>

struct strv {
	char	**v;
	size_t	  n;
};

int	 strv_add(struct strv *, const char *);
int	 strv_addf(struct strv *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
int	 strv_copy(struct strv *, const struct strv *);
int	 strv_equal(const struct strv *, const struct strv *);
char	*strv_join(const struct strv *, const char *);
void	 strv_free(struct strv *);

#endif
