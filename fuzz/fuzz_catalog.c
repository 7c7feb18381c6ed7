/*
 * fuzz_catalog: a catalog file (catalog/NAME.conf, or a person's own) through
 * oscatalog_load_file, once as it is and once with vmtui.conf giving its
 * mirror "m" another keyring. Properties, for every entry it accepts:
 * - its files, checksum file and the checksum file's name in the signed
 *   Release are plain relative paths (no leading '/', no empty, "." or
 *   ".." part, no trailing '/'), so a file kept under its last part stays
 *   inside the entry's folder;
 * - its mirror url is http:// or https:// with no space, quote or control
 *   character, and so is the signed Release's; its name is a machine name;
 *   its kernel command line and texts have no control character; a signed
 *   entry has an absolute keyring and a Codename that is one path part;
 * - a refused file says FILE:LINE (or FILE:) on every line of its cause.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzutil.h"
#include "oscatalog.h"
#include "schema.h"
#include "settings.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	path[300];

static bool
relative(const char *s, bool empty_ok)
{
	const char	*part;
	size_t		 len;

	if (*s == '\0')
		return empty_ok;
	if (*s == '/' || s[strlen(s) - 1] == '/')
		return false;
	for (part = s; *part != '\0'; part += len + (part[len] == '/')) {
		len = strcspn(part, "/");
		if (len == 0 || (len == 1 && *part == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.'))
			return false;
	}
	return true;
}

static bool
text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool
url_ok(const char *s)
{
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return false;
	return strpbrk(s, " \"'\\`<>") == NULL && text_ok(s);
}

static void
check(const struct osentry *e)
{
	char	*cause = NULL;
	int	 i;

	if (schema_check_name(e->name, &cause) != 0)
		abort();
	for (i = 0; i < OSFILE_N; i++)
		if (!relative(e->file[i], true))
			abort();
	if (!relative(e->sums, false) || !url_ok(e->url) ||
	    !text_ok(e->append) || !text_ok(e->title) || !text_ok(e->release))
		abort();
	if (*e->signed_url != '\0' && (!url_ok(e->signed_url) ||
	    !relative(e->signed_sums, false) || *e->keyring != '/' ||
	    !text_ok(e->keyring) || *e->codename == '\0' ||
	    !relative(e->codename, false) || strchr(e->codename, '/') != NULL))
		abort();
	/* a detached signature: below the entry's url, with a keyring */
	if (*e->sig_url != '\0' && (!url_ok(e->sig_url) ||
	    strncmp(e->sig_url, e->url, strlen(e->url)) != 0 ||
	    e->sig_url[strlen(e->url)] != '/' ||
	    !relative(e->sig_url + strlen(e->url) + 1, false) ||
	    *e->keyring != '/' || !text_ok(e->keyring) ||
	    *e->signed_url != '\0'))
		abort();
}

static void
load(const struct settings *st)
{
	struct oscatalog	 cat = { NULL, 0 };
	char			*cause = NULL;
	size_t			 i;

	if (oscatalog_load_file(path, st, &cat, &cause) != 0) {
		if (cause == NULL)
			abort();
		fuzz_said(cause, path);
	}
	for (i = 0; i < cat.n; i++)
		check(&cat.v[i]);
	free(cause);
	oscatalog_free(&cat);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct settings_mirror	 m = { (char *)"m", (char *)"",
	    (char *)"/etc/vmtui/m.gpg", false };
	struct settings			 st;
	int				 fd;

	if (*path == '\0') {
		snprintf(path, sizeof path, "%s/vmtui-fuzz-catalog.%ld.conf",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		    (long)getpid());
		unsetenv("VMTUI_MIRROR_M");
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, data, size) != (ssize_t)size || close(fd) != 0)
		abort();
	load(NULL);
	memset(&st, 0, sizeof st);
	st.mirrors = &m;
	st.nmirrors = 1;
	load(&st);
	unlink(path);
	return 0;
}
