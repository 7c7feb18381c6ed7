/*
 * ports: the TCP ports a guest listens on, from the text of its
 * /proc/net/tcp and /proc/net/tcp6, as a set; and which of them to
 * forward on their own, and what changed between two sets.
 */
#ifndef VMTUI_PORTS_H
#define VMTUI_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct numv;

#define PORTS_FORWARD_MAX	64	/* forwarded on their own at once */
#define PORTS_FIRST		1024	/* ports below it are left alone */
#define PORTS_SSH		22	/* forwarded already, by the profile */

/* A set of ports 1..65535 (a bitmap: 8 KiB whatever it holds). */
struct ports {
	uint64_t	bits[65536 / 64];
	size_t		n;
};

void	 ports_clear(struct ports *);
bool	 ports_add(struct ports *, long);
void	 ports_del(struct ports *, long);
bool	 ports_has(const struct ports *, long);
long	 ports_next(const struct ports *, long);
size_t	 ports_list(const struct ports *, uint16_t *, size_t);
size_t	 ports_parse(struct ports *, const char *, size_t);
bool	 ports_wanted(long, const struct numv *);
void	 ports_choose(const struct ports *, const struct ports *,
	     const struct numv *, struct ports *);
void	 ports_diff(const struct ports *, const struct ports *,
	     struct ports *, struct ports *);

#endif
