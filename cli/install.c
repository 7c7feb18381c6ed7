/*
 * install: vmtui --install: the catalog listed, or an entry downloaded,
 * verified, saved as a new machine and launched (in the view, on the bare
 * console, or not at all). Progress goes to stderr; Ctrl-C cancels the
 * download and keeps what arrived for the next try.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "catalog.h"
#include "cli.h"
#include "install.h"
#include "oscatalog.h"
#include "osinstall.h"
#include "paths.h"
#include "profile.h"
#include "profile_save.h"
#include "validate.h"
#include "view.h"

static volatile sig_atomic_t install_interrupted;

static void
install_sigint(int sig)
{
	(void)sig;
	install_interrupted = 1;
}

/* The catalog, its problems on stderr: -1 when there is none at all. */
static int
install_catalog(struct oscatalog *cat, int *broken)
{
	char	*cause = NULL;

	*broken = oscatalog_load_default(cat, &cause) != 0;
	if (cause != NULL)
		fprintf(stderr, "%s\n", cause);
	free(cause);
	if (cat->n == 0) {
		fprintf(stderr, "vmtui: the catalog is empty: no .conf files "
		    "in %s/catalog or ~/.config/vmtui/catalog\n",
		    VMTUI_DATADIR);
		return -1;
	}
	return 0;
}

/* --install --list */
int
install_list(void)
{
	struct oscatalog	 cat = { NULL, 0 };
	const struct osentry	*e;
	char			 size[32], *trust;
	size_t			 i;
	int			 broken;

	if (install_catalog(&cat, &broken) != 0)
		return CLI_USAGE;
	printf("%-18s %-7s %-7s %8s  %s\n", "ENTRY", "ARCH", "KIND",
	    "DOWNLOAD", "SYSTEM");
	for (i = 0; i < cat.n; i++) {
		e = &cat.v[i];
		if (e->size > 0)
			snprintf(size, sizeof size, "%ld MiB", e->size);
		else
			snprintf(size, sizeof size, "?");
		trust = osinstall_trust_words(e);
		/* signed: nothing to add; else how it is taken, or not */
		printf("%-18s %-7s %-7s %8s  %s %s%s%s\n", e->name,
		    schema_arches[e->arch], oscatalog_kind_name(e->kind), size,
		    e->title, e->release, trust != NULL &&
		    osinstall_trust(e) != OSTRUST_SIGNED ? ", " : "",
		    trust != NULL && osinstall_trust(e) != OSTRUST_SIGNED ?
		    trust : "");
		free(trust);
	}
	oscatalog_free(&cat);
	return broken ? CLI_USAGE : CLI_OK;
}

/* What install_progress has shown. */
struct install_shown {
	int	last;		/* per mille, -1: not known */
	bool	open;		/* a line on the terminal, not ended */
};

/* The progress line on the terminal ended, before other output. */
static void
install_end_line(struct install_shown *sh)
{
	if (sh->open)
		fputc('\n', stderr);
	sh->open = false;
}

/*
 * A download's progress on stderr: one line, rewritten on a terminal.
 * Asked at least once a second from the start of each transfer: Ctrl-C
 * cancels from there.
 */
static int
install_progress(void *arg, const char *what, long long done,
    long long total, double rate)
{
	struct install_shown	*sh = arg;
	int			 permille;
	char			 text[128];

	if (install_interrupted)
		return 1;
	if (done == -2) {
		install_end_line(sh);
		fprintf(stderr, "%s: already downloaded, its hash as listed\n",
		    what);
		return 0;
	}
	permille = download_describe(text, sizeof text, done, total, rate);
	if (isatty(STDERR_FILENO)) {
		fprintf(stderr, "\r\033[K%s: %s", what, text);
		sh->open = true;
		if (permille == 1000)
			install_end_line(sh);
	} else if (permille / 250 != sh->last / 250) {
		/* a log: a line a quarter */
		fprintf(stderr, "%s: %s\n", what, text);
	}
	sh->last = permille;
	return 0;
}

/* Whether the name is free for a new machine; says why not. */
static bool
install_name_free(const char *name, const char *file)
{
	char	*cause = NULL, *data = NULL;

	if (schema_check_name(name, &cause) != 0) {
		fprintf(stderr, "vmtui: the name %s\n", cause ? cause : "?");
		free(cause);
		return false;
	}
	if (access(file, F_OK) == 0) {
		fprintf(stderr, "vmtui: there is a machine named %s already "
		    "(%s); give the new one another name: vmtui --install "
		    "ENTRY NAME\n", name, file);
		return false;
	}
	if (catalog_data_taken(name, &data)) {
		fprintf(stderr, "vmtui: an earlier machine named %s left its "
		    "disks in %s; vmtui does not install over them: give "
		    "another name, or remove that folder\n", name, data);
		free(data);
		return false;
	}
	return true;
}

/*
 * --install ENTRY [NAME]: download and verify, save the machine, then
 * launch it as asked (INSTALL_VIEW, INSTALL_CONSOLE, INSTALL_SAVE).
 */
int
install_run(const char *entry, const char *name, int how, const char *theme)
{
	struct oscatalog	 cat = { NULL, 0 };
	struct osinstall_files	 files;
	struct download_progress pr;
	struct sigaction	 sa, old;
	const struct osentry	*e;
	struct profile		*p = NULL;
	char			*dir = NULL, *file = NULL, *downloads = NULL;
	char			*cause = NULL, *trust;
	struct install_shown	 shown = { -1, false };
	struct strv		 removed = { NULL, 0 };
	size_t			 i;
	int			 r = CLI_FAIL, broken;

	memset(&files, 0, sizeof files);
	if (install_catalog(&cat, &broken) != 0)
		return CLI_USAGE;
	if ((e = oscatalog_find(&cat, entry)) == NULL) {
		fprintf(stderr, "vmtui: no catalog entry named \"%s\"; "
		    "\"vmtui --install --list\" shows them\n", entry);
		oscatalog_free(&cat);
		return CLI_USAGE;
	}
	if (name == NULL)
		name = e->name;
	if ((dir = paths_profiles_dir()) == NULL ||
	    asprintf(&file, "%s/%s.conf", dir, name) < 0 ||
	    (downloads = paths_downloads_dir()) == NULL) {
		fprintf(stderr, "vmtui: out of memory\n");
		goto out;
	}
	if (!install_name_free(name, file)) {
		r = CLI_USAGE;
		goto out;
	}
	fprintf(stderr, "vmtui: %s %s from %s\n", e->title, e->release,
	    e->url);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = install_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	pr.fn = install_progress;
	pr.arg = &shown;
	r = osinstall_fetch(e, downloads, &pr, &files, &cause);
	sigaction(SIGINT, &old, NULL);
	install_end_line(&shown);
	if (r != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		r = r == DOWNLOAD_CANCELLED ? 130 : CLI_FAIL;
		goto out;
	}
	if (files.signed_ok)
		fprintf(stderr, "vmtui: verified: each file's hash as %s "
		    "lists it, and %s's signature with %s\n", e->sums,
		    *e->sig_url != '\0' ? e->sig_url : e->signed_url,
		    e->keyring);
	else {
		/* never "verified" where only the mirror vouches */
		trust = osinstall_trust_words(e);
		fprintf(stderr, "vmtui: %s: each file's hash as %s lists it; "
		    "%s\n", trust != NULL ? trust : "checksum only", e->sums,
		    osinstall_trust(e) == OSTRUST_ACCEPTED ? "its keyring is "
		    "not installed, and vmtui.conf's checksum-only = true takes "
		    "the mirror's word" : "nothing its distribution signed is "
		    "checked here");
		free(trust);
	}
	if ((p = osinstall_profile(e, name, dir, &files)) == NULL ||
	    profile_add_ssh_forward(p, catalog_ssh_port(dir, p,
	    (size_t)-1)) != 0) {
		fprintf(stderr, "vmtui: out of memory\n");
		r = CLI_FAIL;
		goto out;
	}
	if (paths_mkdirs(dir, 0700) != 0 || profile_create(p, file,
	    &cause) != 0 || osinstall_cloud_made(e, p, file, &files, dir,
	    downloads, &removed, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : file);
		r = CLI_FAIL;
		goto out;
	}
	for (i = 0; i < removed.n; i++)
		fprintf(stderr, "vmtui: removed the older image in %s (no "
		    "machine stands on it)\n", removed.v[i]);
	if (e->kind == OSKIND_CLOUD)
		printf("saved %s (%s), standing on %s; \"vmtui --ssh %s\" logs "
		    "in (127.0.0.1:%ld)\n", name, file,
		    files.path[OSFILE_IMAGE], name, p->forwards[0].host_port);
	else
		printf("saved %s (%s); the installer's SSH forward is "
		    "127.0.0.1:%ld\n", name, file, p->forwards[0].host_port);
	fflush(stdout);
	r = CLI_OK;
	if (how == INSTALL_SAVE)
		goto out;
	if (how == INSTALL_VIEW) {
		r = app_launch(name, theme, VIEW_LAUNCH);
		goto out;
	}
	r = cli_launch(name, 0, 0);
	profile_free(p);
	p = NULL;
	if (validate_load(file, &p, &cause) == 0 && p->installer &&
	    osinstall_disk_written(p) && cli_can_ask() &&
	    cli_ask("The installer wrote to the disk. Boot the installed "
	    "system from its disk from now on?")) {
		if (osinstall_finish(file, &cause) != 0)
			fprintf(stderr, "vmtui: %s\n", cause ? cause : "?");
		else
			printf("%s boots its disk now: vmtui --launch %s\n",
			    name, name);
	}
out:
	strv_free(&removed);
	free(cause);
	profile_free(p);
	osinstall_files_free(&files);
	oscatalog_free(&cat);
	free(downloads);
	free(file);
	free(dir);
	return r;
}
