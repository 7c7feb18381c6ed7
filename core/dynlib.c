/*
 * dynlib: dlopen() of a library by its soname, every symbol of a table
 * looked up at once so that a missing one is found before any call (see
 * dynlib.h for why). The library stays loaded for the process's life.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdlib.h>

#include "diag.h"
#include "dynlib.h"

/*
 * Open soname (from Debian package package) and put the address of each of
 * the n names into table, an array of n pointers (a DYNLIB_TABLE struct).
 * 0, or -1 with *cause saying what to install.
 */
int
dynlib_load(const char *soname, const char *package,
    const char *const *names, size_t n, void *table, char **cause)
{
	void		**addr = table;
	void		 *h;
	const char	 *why;
	size_t		  i;

	*cause = NULL;
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		return diag_cause(cause, "%s (install the %s package): %s",
		    soname, package, why != NULL ? why : "cannot be loaded");
	}
	for (i = 0; i < n; i++) {
		if ((addr[i] = dlsym(h, names[i])) == NULL) {
			why = dlerror();
			return diag_cause(cause, "%s has no %s (too old? this "
			    "vmtui was built against a newer one): %s", soname,
			    names[i], why != NULL ? why : "not found");
		}
	}
	return 0;
}
