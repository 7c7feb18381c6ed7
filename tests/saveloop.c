/*
 * saveloop: a helper of tests/crash.sh. "saveloop FILE even|odd" saves the
 * profile in FILE once, in one of two versions; "saveloop FILE loop" saves
 * the two versions in turn until it is killed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "profile_save.h"

static void
version(struct profile *p, int odd)
{
	char	opt[256];
	int	i;

	p->memory = odd ? 512 : 1024;
	strv_free(&p->qemu_options);
	/* a file of some size, so that kills land in the middle of writes */
	for (i = 0; i < 300; i++) {
		snprintf(opt, sizeof opt, "-option-%d-%s-%0180d", i,
		    odd ? "odd" : "even", i);
		strv_add(&p->qemu_options, opt);
	}
}

int
main(int argc, char **argv)
{
	struct profile	*p;
	char		*cause;
	long		 i;

	if (argc != 3) {
		fprintf(stderr, "usage: saveloop FILE even|odd|loop\n");
		return 2;
	}
	if (profile_parse(argv[1], &p, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return 1;
	}
	for (i = 0;; i++) {
		if (strcmp(argv[2], "loop") == 0)
			version(p, (int)(i % 2));
		else
			version(p, strcmp(argv[2], "odd") == 0);
		if (profile_save(p, argv[1], &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			free(cause);
			profile_free(p);
			return 1;
		}
		if (strcmp(argv[2], "loop") != 0) {
			profile_free(p);
			return 0;
		}
	}
}
