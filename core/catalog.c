/*
 * catalog: NAME.conf files in the profiles folder. A copy or a rename goes
 * through the model (the name inside the file changes too) and an atomic
 * save to a file that must not exist yet; a rename removes the old file
 * only once the new one is saved. Deleting a machine's disk images is a
 * separate choice of the caller.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "paths.h"
#include "profile.h"
#include "profile_save.h"
#include "runtime.h"

static int
catalog_is_profile(const struct dirent *d)
{
	size_t	len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 &&
	    strcmp(d->d_name + len - 5, ".conf") == 0;
}

/* The names (without .conf) in dir, sorted; none when dir is missing. */
int
catalog_names(const char *dir, struct strv *names, char **cause)
{
	struct dirent	**list;
	int		  n, i, r = 0;

	if ((n = scandir(dir, &list, catalog_is_profile, alphasort)) == -1) {
		if (errno == ENOENT)
			return 0;
		if (asprintf(cause, "%s: %s", dir, strerror(errno)) < 0)
			*cause = NULL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		list[i]->d_name[strlen(list[i]->d_name) - 5] = '\0';
		if (r == 0 && strv_add(names, list[i]->d_name) != 0)
			r = -1;
		free(list[i]);
	}
	free(list);
	return r;
}

static char *
catalog_file(const char *dir, const char *name)
{
	char	*s;

	return asprintf(&s, "%s/%s.conf", dir, name) < 0 ? NULL : s;
}

/* Copy profile from to a new one called to; with move, a rename. */
int
catalog_copy(const char *dir, const char *from, const char *to, bool move,
    char **cause)
{
	struct profile	*p;
	char		*src, *dst;
	pid_t		 pid;
	int		 r = -1;

	if (schema_check_name(to, cause) != 0)
		return -1;
	if (move && runtime_running(from, &pid)) {
		if (asprintf(cause, "%s is running; stop it before renaming it",
		    from) < 0)
			*cause = NULL;
		return -1;
	}
	src = catalog_file(dir, from);
	dst = catalog_file(dir, to);
	if (src == NULL || dst == NULL) {
		*cause = strdup("out of memory");
		goto out;
	}
	if (access(dst, F_OK) == 0) {
		if (asprintf(cause, "there is a profile named %s already",
		    to) < 0)
			*cause = NULL;
		goto out;
	}
	if (profile_parse(src, &p, cause) != 0)
		goto out;
	free(p->name);
	if ((p->name = strdup(to)) == NULL) {
		profile_free(p);
		*cause = strdup("out of memory");
		goto out;
	}
	r = profile_save(p, dst, cause);
	profile_free(p);
	if (r == 0 && move && unlink(src) != 0) {
		if (asprintf(cause, "%s: %s", src, strerror(errno)) < 0)
			*cause = NULL;
		r = -1;
	}
out:
	free(src);
	free(dst);
	return r;
}

static int
catalog_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* Delete a profile; with images, its folder of disk images as well. */
int
catalog_delete(const char *dir, const char *name, bool images, char **cause)
{
	char	*file, *data;
	pid_t	 pid;
	int	 r = 0;

	if (runtime_running(name, &pid)) {
		if (asprintf(cause, "%s is running; stop it before deleting it",
		    name) < 0)
			*cause = NULL;
		return -1;
	}
	if ((file = catalog_file(dir, name)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (unlink(file) != 0) {
		if (asprintf(cause, "%s: %s", file, strerror(errno)) < 0)
			*cause = NULL;
		free(file);
		return -1;
	}
	free(file);
	if (images && (data = paths_data_dir(name)) != NULL) {
		if (nftw(data, catalog_rm, 16, FTW_DEPTH | FTW_PHYS) != 0 &&
		    errno != ENOENT) {
			if (asprintf(cause, "%s: %s", data,
			    strerror(errno)) < 0)
				*cause = NULL;
			r = -1;
		}
		free(data);
	}
	return r;
}
