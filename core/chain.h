/*
 * chain: what a qcow2 image stands on (its backing file, its external data
 * file), as qemu-img info --output=json says, so that QEMU never opens a
 * file the profile does not name.
 */
#ifndef VMTUI_CHAIN_H
#define VMTUI_CHAIN_H

#include <stddef.h>

struct profile;

#define CHAIN_MAX	64		/* links read, at most */
#define CHAIN_TEXT_MAX	(1 << 20)	/* qemu-img's JSON, at most */

struct chain_link {
	char	*filename;	/* as qemu-img names the image */
	char	*format;	/* or NULL */
	char	*backing;	/* the file it stands on (full), or NULL */
	char	*backing_format;	/* as its header names it, or NULL */
	char	*data_file;	/* qcow2's external data file, or NULL */
};

struct chain {
	struct chain_link	*v;
	size_t			 n;
};

int	chain_parse(const char *, size_t, struct chain *, char **);
void	chain_free(struct chain *);
int	chain_read(const char *, const char *, struct chain *, char **);
int	chain_check_image(const char *, const char *, const char *, char **);
int	chain_check(const struct profile *, char **);

#endif
