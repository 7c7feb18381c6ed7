/*
 * demoguest: the demo guest's folder ($XDG_CACHE_HOME/vmtui/guest/current,
 * holding vmlinux and initrd.gz), and its build: the script installed in
 * pkgdatadir/guest/build (tests/guest/build in the source tree), which
 * fetches a Debian kernel package once with apt-get download and packs
 * busybox around it. It runs to its end; the caller shows that it runs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demoguest.h"
#include "diag.h"
#include "paths.h"
#include "spawn.h"
#include "strv.h"

/* Whether the demo guest is built: true with *dir its folder. */
bool
demoguest_built(char **dir)
{
	char	*d, path[4096], *why = NULL;

	if ((d = paths_demo_guest()) == NULL)
		return false;
	/* one another user can change is not booted (as if not built) */
	if (paths_trust(d, &why) != 0) {
		free(why);
		free(d);
		return false;
	}
	snprintf(path, sizeof path, "%s/vmlinux", d);
	if (access(path, R_OK) == 0) {
		snprintf(path, sizeof path, "%s/initrd.gz", d);
		if (access(path, R_OK) == 0) {
			*dir = d;
			return true;
		}
	}
	free(d);
	return false;
}

/*
 * The build script: $VMTUI_GUEST_DIR/build, the installed one, or the
 * source tree's (tests/guest/build) beside a program built in the tree.
 */
char *
demoguest_script(void)
{
	struct strv	 dirs = { NULL, 0 };
	char		*path = NULL, *last;
	size_t		 i, n;

	/*
	 * paths_data_dirs ends with guest/ beside the program, which a
	 * source tree does not have: its tests/guest instead
	 */
	if (paths_data_dirs("guest", "VMTUI_GUEST_DIR", &dirs) == 0 &&
	    dirs.n > 0) {
		last = dirs.v[dirs.n - 1];
		n = strlen(last);
		if (n > 6 && strcmp(last + n - 6, "/guest") == 0)
			strv_addf(&dirs, "%.*s/tests/guest", (int)(n - 6),
			    last);
	}
	for (i = 0; i < dirs.n && path == NULL; i++) {
		if (asprintf(&path, "%s/build", dirs.v[i]) < 0)
			path = NULL;
		else if (access(path, X_OK) != 0) {
			free(path);
			path = NULL;
		}
	}
	strv_free(&dirs);
	return path;
}

/* Build it (a minute, the first time): 0 with *dir its folder. */
int
demoguest_build(char **dir, char **cause)
{
	char	*argv[2], *out = NULL, *nl;
	int	 status = 0;

	if (demoguest_built(dir))
		return 0;
	if ((argv[0] = demoguest_script()) == NULL)
		return diag_cause(cause, "the demo guest's build script is "
		    "not installed (" VMTUI_DATADIR "/guest/build); in a "
		    "source tree, tools/demo builds the demo guest");
	argv[1] = NULL;
	if (spawn_output(argv, 1, &out, &status) != 0 || status != 0) {
		/* its last line says why */
		while (out != NULL && (nl = strrchr(out, '\n')) != NULL &&
		    nl[1] == '\0')
			*nl = '\0';
		nl = out != NULL ? strrchr(out, '\n') : NULL;
		diag_cause(cause, "building the demo guest failed: %s",
		    out == NULL || *out == '\0' ? "no reason given" :
		    nl != NULL ? nl + 1 : out);
		free(out);
		free(argv[0]);
		return -1;
	}
	free(out);
	free(argv[0]);
	if (!demoguest_built(dir))
		return diag_cause(cause, "the demo guest was built, but not "
		    "where vmtui looks (XDG_CACHE_HOME)");
	return 0;
}
