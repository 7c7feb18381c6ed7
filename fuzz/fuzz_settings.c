/*
 * fuzz_settings: vmtui.conf (the person's settings, or a file someone
 * left there) through settings_load, and a theme file through theme_load.
 * Properties: a file loads, or every line of the cause is "FILE:LINE:
 * what" (or "FILE: what" where no line is known), never a crash; what
 * loads is usable: the escape key a control key other than the ones the
 * guest needs, its name matching, every mirror with a name, url and
 * keyring; a theme's colours -1 (the default) to 7 and only the known
 * attributes, named after its file (the built-in one when refused). One
 * source, two targets: built with FUZZ_THEME, it is fuzz_theme.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzzutil.h"
#include "settings.h"
#include "theme.h"

#ifdef FUZZ_THEME
#define IS_THEME	1
#else
#define IS_THEME	0
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static char	file[400];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	dir[300];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "%s/vmtui-fuzz-settings.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	setenv("XDG_CONFIG_HOME", dir, 1);
	strncat(dir, "/vmtui", sizeof dir - strlen(dir) - 1);
	if (mkdir(dir, 0700) != 0)
		abort();
	snprintf(file, sizeof file, "%s/%s", dir, IS_THEME ? "fuzz.theme" :
	    "vmtui.conf");
	return 0;
}

static void
settings(void)
{
	struct settings	 s;
	char		*cause = NULL, want[8];
	size_t		 i;

	if (settings_load(&s, &cause) != 0)
		fuzz_said(cause, file);
	else if (cause != NULL)
		abort();
	if (s.escape_key < 1 || s.escape_key > 31 || s.escape_key == 27 ||
	    s.escape_key == '\r' || s.escape_key == '\n' ||
	    s.escape_key == '\t' || s.escape_key == '\b')
		abort();
	snprintf(want, sizeof want, "Ctrl-%c", s.escape_key + '@');
	if (strcmp(want, s.escape_name) != 0)
		abort();
	for (i = 0; i < s.nmirrors; i++)
		if (s.mirrors[i].name == NULL || s.mirrors[i].url == NULL ||
		    s.mirrors[i].keyring == NULL)
			abort();
	free(cause);
	settings_free(&s);
}

static void
theme(void)
{
	struct theme	 t;
	char		*cause = NULL;
	int		 i;

	if (theme_load(file, &t, &cause) != 0)
		fuzz_said(cause, file);
	else if (cause != NULL || strcmp(t.name, "fuzz") != 0)
		abort();
	for (i = 0; i < THEME_NROLES; i++)
		if (t.style[i].fg < -1 || t.style[i].fg > 7 ||
		    t.style[i].bg < -1 || t.style[i].bg > 7 ||
		    (t.style[i].attrs & ~0xfu) != 0)
			abort();
	free(cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int	fd;

	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, data, size) != (ssize_t)size || close(fd) != 0)
		abort();
	if (IS_THEME)
		theme();
	else
		settings();
	return 0;
}
