/*
 * diag: the problems found in one file, each with its line, reported
 * together in line order as "FILE:LINE: what is wrong"; and the one
 * malloc'd cause a core function hands back (diag_cause).
 */
#ifndef VMTUI_DIAG_H
#define VMTUI_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#define DIAG_MAX	50

struct diag_item {
	int	 line;
	size_t	 seq;
	char	*msg;
};

struct diag {
	const char		*file;
	struct diag_item	*v;
	size_t			 n;
	size_t			 dropped;
	int			 failed;
};

void	 diag_init(struct diag *, const char *);
void	 diag_add(struct diag *, int, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
void	 diag_vadd(struct diag *, int, const char *, va_list)
	     __attribute__((format(printf, 3, 0)));
void	 diag_take(struct diag *, int, char *);
char	*diag_finish(struct diag *);
void	 diag_free(struct diag *);
char	*diag_escape(char *);
int	 diag_cause(char **, const char *, ...)
	     __attribute__((format(printf, 2, 3)));

#endif
