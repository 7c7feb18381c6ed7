/*
 * imgchain: the files QEMU opens for one disk image (its backing files,
 * a qcow2's data file), as qemu-img info reads them, a level at a time.
 */
#ifndef VMTUI_IMGCHAIN_H
#define VMTUI_IMGCHAIN_H

#include <stddef.h>

/* What a file of the chain is to the image. */
enum imgchain_role {
	IMGCHAIN_IMAGE,		/* the image itself */
	IMGCHAIN_DATA,		/* its qcow2 data file: read and written */
	IMGCHAIN_BACKING,	/* a backing file: read */
	IMGCHAIN_BACKING_DATA	/* a backing file's data file: read */
};

struct imgchain_file {
	char			*path;
	char			*format;	/* as qemu-img read it */
	enum imgchain_role	 role;
};

struct imgchain {
	struct imgchain_file	*v;
	size_t			 n;
};

/* Whether a file of the chain may be opened: 0, or -1 and why. */
typedef int	(*imgchain_check)(void *, const char *, enum imgchain_role,
		    char **);

int	imgchain_looks(const char *, char **, char **);
int	imgchain_read(const char *, const char *, imgchain_check, void *,
	    struct imgchain *, char **);
void	imgchain_free(struct imgchain *);

#endif
