/*
 * cli: vmtui's command-line actions around the core: load and validate a
 * profile, plan it, render or write its launch script, list the profiles,
 * launch, attach to and stop machines.
 * Messages from the core go to stderr as they are ("FILE:LINE: ...").
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "atomic.h"
#include "autofwd.h"
#include "catalog.h"
#include "chain.h"
#include "cli.h"
#include "current.h"
#include "io.h"
#include "launch.h"
#include "domxml.h"
#include "virthost.h"
#include "domimport.h"
#include "fields.h"
#include "guestssh.h"
#include "osinstall.h"
#include "preflight.h"
#include "machine.h"
#include "paths.h"
#include "plan.h"
#include "profile.h"
#include "profile_save.h"
#include "qmp.h"
#include "run.h"
#include "runtime.h"
#include "script.h"
#include "seed.h"
#include "snapshot.h"
#include "sshwait.h"
#include "utf8.h"
#include "validate.h"

/*
 * Text for the terminal: what a profile, a file name or another user put
 * in it may hold control characters (a title sequence, a colour): escaped
 * as the editor shows them (utf8_escape), its lines kept.
 */
static void
cli_print(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
cli_print(FILE *f, const char *fmt, ...)
{
	va_list	 ap;
	char	*raw, *safe = NULL;
	int	 r;

	va_start(ap, fmt);
	r = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (r < 0 || (safe = utf8_escape(raw, 0)) == NULL)
		fputs("vmtui: out of memory\n", f);
	else
		fputs(safe, f);
	if (r >= 0)
		free(raw);
	free(safe);
}

static void
cli_error(const char *msg)
{
	cli_print(stderr, "%s\n", msg != NULL ? msg : "vmtui: out of memory");
}

/*
 * Find and load a PROFILE argument; prints the problems and says why not.
 * Every action that takes a PROFILE finds it here, so a name that is not
 * in the profiles folder is told the same way by each.
 */
int
cli_load(const char *arg, struct profile **p)
{
	char	*path, *cause = NULL;
	size_t	 len = strlen(arg);

	if ((path = paths_profile(arg, &cause)) == NULL) {
		cli_print(stderr, "vmtui: %s\n", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return CLI_USAGE;
	}
	/* a name, not a path: what to do */
	if (strchr(arg, '/') == NULL && (len <= 5 ||
	    strcmp(arg + len - 5, ".conf") != 0) && access(path, F_OK) != 0 &&
	    errno == ENOENT) {
		fprintf(stderr, "vmtui: no profile named \"%s\"; \"vmtui "
		    "--list\" shows them\n", arg);
		free(path);
		return CLI_USAGE;
	}
	if ((strchr(arg, '/') != NULL || (len > 5 && strcmp(arg + len - 5,
	    ".conf") == 0)) && paths_profile_trusted(path, &cause) != 0) {
		cli_print(stderr, "vmtui: %s\n", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		free(path);
		return CLI_USAGE;
	}
	if (validate_load(path, p, &cause) != 0) {
		cli_error(cause);
		free(cause);
		free(path);
		return CLI_USAGE;
	}
	free(path);
	return CLI_OK;
}

/*
 * What a profile runs besides QEMU's own options (qemu.options, another
 * binary), said before a launch as --check says it.
 */
static void
cli_run_warnings(const struct profile *p)
{
	char	*warn;

	if ((warn = validate_warnings(p)) != NULL)
		cli_print(stderr, "%s\n", warn);
	free(warn);
}

/*
 * How a person names the machine of p on the command line: its name in the
 * profiles folder, else its profile's path (a name there would be another
 * machine's). NULL when out of memory.
 */
static char *
cli_ref(const struct profile *p)
{
	struct paths_machine	 m;
	char			*s;

	if (paths_machine(p->name, p->dir, p->file, &m) != 0)
		return NULL;
	s = strcmp(m.id, p->name) == 0 ? strdup(p->name) : strdup(m.profile);
	paths_machine_free(&m);
	return s;
}

/*
 * --launch and --attach in the launch view: the profile found as every
 * action finds it (so a missing one is told the same way), then the view.
 */
int
cli_view(const char *arg, const char *theme, int how)
{
	struct profile	*p;
	int		 r;

	if ((r = cli_load(arg, &p)) != CLI_OK)
		return r;
	cli_run_warnings(p);
	profile_free(p);
	return app_launch(arg, theme, how);
}

/* Load a PROFILE argument and plan it; prints the problems. */
static int
cli_plan(const char *arg, struct profile **pp, struct plan **plp)
{
	char	*cause;
	int	 r;

	if ((r = cli_load(arg, pp)) != CLI_OK)
		return r;
	if (plan_build(*pp, plp, &cause) != 0) {
		cli_error(cause);
		free(cause);
		profile_free(*pp);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static int
cli_render(const char *arg, struct profile **pp, char **script)
{
	struct profile	*p;
	struct plan	*pl;
	int		 r;

	if ((r = cli_plan(arg, &p, &pl)) != CLI_OK)
		return r;
	*script = script_render(pl);
	plan_free(pl);
	if (*script == NULL) {
		cli_error(NULL);
		profile_free(p);
		return CLI_FAIL;
	}
	*pp = p;
	return CLI_OK;
}

static const char *
cli_boot_name(const struct profile *p)
{
	return schema_bootmodes[profile_boot_mode(p)];
}

/*
 * A warning, not an error: another machine of the profiles folder forwards
 * the same host port, so the two cannot run at once.
 */
static void
cli_port_warnings(const struct profile *p)
{
	struct catalog_ports	 ports;
	const char		*other;
	char			*dir, *cause = NULL;
	size_t			 i;

	if (!paths_is_profiles_dir(p->dir) ||
	    (dir = paths_profiles_dir()) == NULL)
		return;
	if (catalog_host_ports(dir, p->name, &ports, &cause) != 0) {
		free(cause);
		free(dir);
		return;
	}
	for (i = 0; i < p->nforwards; i++) {
		const struct profile_forward *f = &p->forwards[i];

		if (f->from != FWD_HOST || (other = catalog_port_user(&ports,
		    (int)f->proto, f->host_port)) == NULL)
			continue;
		cli_print(stderr, "%s:%d: warning: host port %s/%ld is forwarded "
		    "by %s too; the two cannot run at once\n", p->file,
		    f->lines.line, schema_protos[f->proto], f->host_port, other);
	}
	catalog_ports_free(&ports);
	free(dir);
}

/*
 * The image a machine's root disk stands on (a cloud image), its control
 * characters escaped: NULL when none.
 */
static char *
cli_stands_on(const struct profile *p)
{
	char	*b, *s;

	if (!p->has_root_disk || *p->root_backing == '\0' ||
	    (b = profile_path(p, p->root_backing)) == NULL)
		return NULL;
	s = fields_encode(b, 0);
	free(b);
	return s;
}

/* Shares a cloud image's kernel cannot mount: FILE:LINE: warning. */
static void
cli_share_warnings(const struct profile *p)
{
	char	*note;
	size_t	 i;

	for (i = 0; i < p->nshares; i++)
		if ((note = osinstall_share_note(p, i)) != NULL) {
			fprintf(stderr, "%s:%d: warning: %s\n", p->file,
			    p->shares[i].lines.line, note);
			free(note);
		}
}

int
cli_check(const char *arg)
{
	struct profile	*p;
	int		 r;
	char		*cause = NULL;

	if ((r = cli_load(arg, &p)) != CLI_OK)
		return r;
	cli_port_warnings(p);
	cli_run_warnings(p);
	cli_share_warnings(p);
	/* what its images stand on: only what the profile names */
	if (chain_check(p, &cause) != 0) {
		cli_error(cause);
		free(cause);
		profile_free(p);
		return CLI_FAIL;
	}
	cli_print(stdout, "%s: ok (%s boot, %ld MiB, %ld core%s)\n", p->file,
	    cli_boot_name(p), p->memory, p->cores, p->cores == 1 ? "" : "s");
	profile_free(p);
	return CLI_OK;
}

int
cli_print_script(const char *arg)
{
	struct profile	*p;
	char		*script, *safe;
	int		 r;

	if ((r = cli_render(arg, &p, &script)) != CLI_OK)
		return r;
	/*
	 * To a terminal, what a path (the profile's folder) holds escaped:
	 * a script to read there, not to run; to a file or pipe, as it is.
	 */
	if (isatty(STDOUT_FILENO) && (safe = utf8_escape(script,
	    UTF8_ESC_TAB_KEPT)) != NULL) {
		free(script);
		script = safe;
	}
	r = fputs(script, stdout) == EOF || fflush(stdout) != 0 ? CLI_FAIL :
	    CLI_OK;
	if (r != CLI_OK)
		fprintf(stderr, "vmtui: writing the script: %s\n",
		    strerror(errno));
	free(script);
	profile_free(p);
	return r;
}

/*
 * --print-profile P [--full]: the profile as vmtui reads it, what differs
 * from the defaults, or with full every key.
 */
int
cli_print_profile(const char *arg, int full)
{
	struct profile	*p;
	char		*text;
	int		 r;

	if ((r = cli_load(arg, &p)) != CLI_OK)
		return r;
	text = full ? profile_format(p) : profile_format_brief(p);
	profile_free(p);
	if (text == NULL) {
		cli_error(NULL);
		return CLI_FAIL;
	}
	r = fputs(text, stdout) == EOF || fflush(stdout) != 0 ? CLI_FAIL :
	    CLI_OK;
	free(text);
	return r;
}

/*
 * What --write-script may replace without --force: a launch script that
 * vmtui wrote (its first lines say so), never a profile, an image or
 * anything else that happens to have the name.
 */
static int
cli_replace_script(int fd, const char *path, void *arg, char **cause)
{
	static const char	 head[] = "#!/bin/sh\n# run-";
	char			 buf[256];
	ssize_t			 n;

	(void)arg;
	n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (strncmp(buf, head, sizeof head - 1) == 0 &&
	    strstr(buf, "\n# Written by vmtui ") != NULL)
		return 0;
	if (asprintf(cause, "%s exists and is not a launch script "
	    "written by vmtui; not replacing it (--force replaces a file)",
	    path) < 0)
		*cause = NULL;
	return -1;
}

int
cli_write_script(const char *arg, const char *out, int force)
{
	struct atomic_opts	 o = { ATOMIC_MODE, 0755, NULL, NULL, NULL };
	struct profile		*p;
	char			*script, *cause, *def = NULL;
	bool			 changed;
	int			 r;

	if ((r = cli_render(arg, &p, &script)) != CLI_OK)
		return r;
	/* the script runs on its own: cloud-init's seed must be there */
	if (seed_prepare(p, &changed, &cause) != 0) {
		cli_error(cause);
		free(cause);
		r = CLI_FAIL;
		goto out;
	}
	if (out == NULL) {
		if (asprintf(&def, "run-%s-vm", p->name) < 0) {
			cli_error(NULL);
			r = CLI_FAIL;
			goto out;
		}
		out = def;
	}
	if (!force)
		o.replace = cli_replace_script;
	if (atomic_write(out, script, strlen(script), &o, &cause) != 0) {
		cli_error(cause);
		free(cause);
		r = CLI_FAIL;
		goto out;
	}
	printf("%s\n", out);
out:
	free(def);
	free(script);
	profile_free(p);
	return r;
}

/* A running machine's changes waiting for a start, its ports forwarded. */
static void
cli_list_live(const struct profile *p)
{
	char	*s;

	if ((s = current_pending(p)) != NULL)
		cli_print(stdout, "%-24s applies at the next start: %s\n", "",
		    s);
	free(s);
	if ((s = autofwd_text(p)) != NULL)
		cli_print(stdout, "%-24s forwarded on their own: %s\n", "", s);
	free(s);
}

/* One machine of --list: its row, and where its display is. */
static void
cli_list_machine(const struct profile *p)
{
	char	*state;

	state = runtime_describe(p);
	cli_print(stdout, "%-24s %7ldM %5ld  %-7s %s\n", p->name, p->memory,
	    p->cores, cli_boot_name(p), state != NULL ? state : "?");
	free(state);
	if ((state = runtime_display(p)) != NULL)
		cli_print(stdout, "%-24s %s\n", "", state);
	free(state);
	if ((state = cli_stands_on(p)) != NULL)
		cli_print(stdout, "%-24s stands on %s\n", "", state);
	free(state);
	cli_list_live(p);
}

/*
 * The machines running whose profile is not in the profiles folder (the
 * demo's, another HOME's, an earlier vmtui's), after the folder's own.
 */
static void
cli_list_others(const struct catalog_other *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].p != NULL)
			cli_list_machine(v[i].p);
		else
			cli_print(stdout, "%-24s %8s %5s  %-7s running (pid "
			    "%ld)\n", v[i].name, "-", "-", "?", (long)v[i].pid);
		if (v[i].file != NULL)
			cli_print(stdout, "%-24s profile: %s%s%s\n", "",
			    v[i].file, v[i].why != NULL ? ": " : "",
			    v[i].why != NULL ? v[i].why : "");
		else
			cli_print(stdout, "%-24s %s\n", "", v[i].why);
	}
}

int
cli_list(void)
{
	struct strv		 names = { NULL, 0 };
	struct catalog_other	*others = NULL;
	struct profile		*p;
	char			*dir, *path, *cause = NULL, *nl;
	size_t			 i, nothers = 0;

	if ((dir = paths_profiles_dir()) == NULL) {
		cli_error(NULL);
		return CLI_FAIL;
	}
	if (catalog_names(dir, &names, &cause) != 0) {
		cli_print(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		free(cause);
		free(dir);
		return CLI_FAIL;
	}
	if (catalog_others(dir, &others, &nothers) != 0)
		nothers = 0;
	if (names.n == 0 && nothers == 0 && access(dir, F_OK) != 0) {
		cli_print(stdout, "no profiles yet in %s\n", dir);
		free(others);
		free(dir);
		return CLI_OK;
	}
	printf("%-24s %8s %5s  %-7s %s\n", "NAME", "MEMORY", "CORES", "BOOT",
	    "STATE");
	for (i = 0; i < names.n; i++) {
		if (asprintf(&path, "%s/%s.conf", dir, names.v[i]) < 0)
			continue;
		if (validate_load(path, &p, &cause) == 0) {
			cli_list_machine(p);
			profile_free(p);
		} else {
			/* A broken profile is listed with its first problem. */
			if (cause != NULL && (nl = strchr(cause, '\n')) != NULL)
				*nl = '\0';
			cli_print(stdout, "%-24s %8s %5s  %-7s %s\n",
			    names.v[i], "-", "-", "broken", cause != NULL ?
			    cause : "?");
			free(cause);
		}
		free(path);
	}
	cli_list_others(others, nothers);
	catalog_others_free(others, nothers);
	strv_free(&names);
	free(dir);
	return CLI_OK;
}

/* What this boot wrote to the log (QEMU's errors), to stderr. */
static void
cli_log_tail(const struct launch *l)
{
	char	buf[4096];
	ssize_t	n;
	off_t	from;
	int	fd;

	if ((fd = open(l->log_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return;
	from = lseek(fd, 0, SEEK_END) - (off_t)sizeof buf + 1;
	if (from < l->log_start)
		from = l->log_start;
	if ((n = pread(fd, buf, sizeof buf - 1, from)) > 0) {
		buf[n] = '\0';
		fprintf(stderr, "%s%s", buf, buf[n - 1] == '\n' ? "" : "\n");
	}
	close(fd);
}

/*
 * A machine set up by cloud-init, launched in the background: ready once
 * its sshd has started (its console says so, ready.c), which --launch
 * --detach waits for (as --ssh does). 0 ready (or nothing to wait for),
 * -1 not.
 */
static int
cli_ready(const struct profile *p, long timeout)
{
	struct guestssh_target	 t;
	char			*cause = NULL;

	if (!p->has_cloud_init || guestssh_target(p, &t, &cause) != 0) {
		free(cause);
		return 0;
	}
	return sshwait_ready(p, &t, timeout);
}

/*
 * Launch: validate, plan, pre-flight, then start the launch script in the
 * background. With detach, return once the machine answers on QMP (a
 * cloud-init machine: once its sshd has started, cli_ready); else
 * show its console on this terminal until it ends (the exit status is
 * QEMU's) or the person leaves it running.
 */
int
cli_launch(const char *arg, int detach, long timeout)
{
	struct profile	*p;
	struct plan	*pl;
	struct launch	 l;
	char		*cause = NULL, *note = NULL, *ref;
	int		 r, status, left;

	if ((r = cli_plan(arg, &p, &pl)) != CLI_OK)
		return r;
	cli_run_warnings(p);
	if (machine_start(p, pl, &l, &note, &cause) != 0) {
		fprintf(stderr, "vmtui: %s cannot start:\n", p->name);
		for (char *line = strtok(cause, "\n"); line != NULL;
		    line = strtok(NULL, "\n"))
			fprintf(stderr, "  %s\n", line);
		free(cause);
		plan_free(pl);
		profile_free(p);
		return CLI_FAIL;
	}
	if (note != NULL && detach)
		fprintf(stderr, "vmtui: note: %s\n", note);
	else if (note != NULL)
		run_hint("note: %s", note);
	free(note);
	if (detach) {
		r = launch_ready(&l, CLI_READY_MS, &status, &cause);
		if (r == 0 && (ref = cli_ref(p)) == NULL) {
			cli_error(NULL);
			r = CLI_FAIL;
		} else if (r == 0) {
			cli_print(stdout, "%s is running in the background; "
			    "\"vmtui --attach %s\" shows it, \"vmtui --stop %s\" "
			    "stops it\n", p->name, ref, ref);
			free(ref);
			fflush(stdout);
			if (cli_ready(p, timeout) != 0)
				r = CLI_FAIL;
		}
		else if (r == 1) {
			r = launch_status(status);
			fprintf(stderr, "vmtui: %s: QEMU exited with status %d; "
			    "it said:\n", p->name, r);
			cli_log_tail(&l);
			if (r == 0)
				r = CLI_FAIL;
		} else {
			cli_error(cause);
			r = CLI_FAIL;
		}
		free(cause);
		runtime_clean_stale(p);
		launch_close(&l);
		plan_free(pl);
		profile_free(p);
		return r;
	}
	run_hint("starting %s; Ctrl-] then d leaves it running, Ctrl-] then ? "
	    "lists more", p->name);
	r = run_console(p, l.pid, &left, &cause);
	if (r == -1) {
		cli_error(cause);
		free(cause);
		r = CLI_FAIL;
	} else if (left)
		run_say("%s keeps running; \"vmtui --attach %s\" shows it "
		    "again", p->name, p->name);
	else {
		runtime_clean_stale(p);
		if (r != 0)
			run_say("%s: QEMU exited with status %d; the console "
			    "log is %s", p->name, r, l.log_path);
		else
			run_say("%s has stopped", p->name);
	}
	launch_close(&l);
	plan_free(pl);
	profile_free(p);
	return r;
}

/* The console of a running machine on this terminal. */
int
cli_attach(const char *arg)
{
	struct profile	*p;
	char		*cause = NULL;
	pid_t		 pid;
	int		 r, left;

	if ((r = cli_load(arg, &p)) != CLI_OK)
		return r;
	if (!runtime_running(p, &pid)) {
		fprintf(stderr, "vmtui: %s is not running; vmtui --launch %s "
		    "starts it\n", p->name, arg);
		profile_free(p);
		return CLI_USAGE;
	}
	run_hint("%s (pid %ld); Ctrl-] then d leaves it running, Ctrl-] then ? "
	    "lists more", p->name, (long)pid);
	r = run_console(p, 0, &left, &cause);
	if (r == -1) {
		cli_error(cause);
		free(cause);
		r = CLI_FAIL;
	} else if (left)
		run_say("%s keeps running", p->name);
	else {
		run_say("%s has stopped", p->name);
		runtime_clean_stale(p);
	}
	profile_free(p);
	return r;
}

/* What a stop does on the way, as it happens. */
static void
cli_say(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
	fflush(stdout);
}

/*
 * Stop a running machine: the ACPI power button, then quit when it has not
 * gone after timeout seconds; or quit at once with force (machine.c).
 */
int
cli_stop(const char *arg, int timeout, int force)
{
	struct profile	*p;
	char		*cause = NULL;
	int		 r;

	if ((r = cli_load(arg, &p)) != CLI_OK)
		return r;
	if (machine_stop(p, timeout, force != 0, cli_say, NULL,
	    &cause) != 0) {
		cli_print(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		r = CLI_FAIL;
	} else
		printf("%s: stopped\n", p->name);
	free(cause);
	profile_free(p);
	return r;
}

/*
 * Whether vmtui may ask here: only where the person sees the question (on
 * stderr) and answers it (on stdin), both terminals. A test, a pipe or a
 * redirected stderr is never asked: the question would go where nobody
 * looks while vmtui waits for good.
 */
bool
cli_can_ask(void)
{
	return isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
}

/* Whether the user says yes to question on the terminal (cli_can_ask). */
bool
cli_ask(const char *question)
{
	char	answer[16];

	if (!cli_can_ask())
		return false;
	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (fgets(answer, sizeof answer, stdin) == NULL)
		return false;
	return answer[0] == 'y' || answer[0] == 'Y';
}

/* The snapshots, one a line: name, when, what it holds. */
static int
cli_snapshot_list(const struct profile *p)
{
	struct snapshots	 s;
	char			*cause = NULL, date[32];
	size_t			 i;

	if (snapshot_list(p, &s, &cause) != 0) {
		cli_print(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		free(cause);
		return CLI_FAIL;
	}
	if (s.n == 0)
		printf("%s has no snapshots\n", p->name);
	else
		printf("%-24s %-16s %s\n", "NAME", "TAKEN", "HOLDS");
	for (i = 0; i < s.n; i++) {
		strftime(date, sizeof date, "%Y-%m-%d %H:%M",
		    localtime(&s.v[i].date));
		printf("%-24s %-16s %s%s\n", s.v[i].name, date,
		    s.v[i].memory ? "disks and memory" : "disks",
		    s.v[i].partial ? " (not on every disk)" : "");
	}
	snapshot_free(&s);
	return CLI_OK;
}

/*
 * --snapshot P [list | take NAME | revert NAME | delete NAME]: revert and
 * delete ask on a terminal; elsewhere they need --force.
 */
int
cli_snapshot(const char *arg, int argc, char **argv, int force)
{
	struct profile	*p;
	const char	*op = argc > 0 ? argv[0] : "list", *name;
	char		*cause = NULL, *question;
	bool		 running, revert;
	pid_t		 pid;
	int		 r;

	if (strcmp(op, "list") != 0 && strcmp(op, "take") != 0 &&
	    strcmp(op, "revert") != 0 && strcmp(op, "delete") != 0) {
		fprintf(stderr, "vmtui: --snapshot takes list, take NAME, "
		    "revert NAME or delete NAME, not \"%s\"\n", op);
		return CLI_USAGE;
	}
	if ((strcmp(op, "list") == 0 && argc > 1) ||
	    (strcmp(op, "list") != 0 && argc != 2)) {
		fprintf(stderr, "vmtui: --snapshot %s %s\n", op,
		    strcmp(op, "list") == 0 ? "takes no name" :
		    "takes one name");
		return CLI_USAGE;
	}
	name = argc > 1 ? argv[1] : NULL;
	if (name != NULL && snapshot_check_name(name, &cause) != 0) {
		cli_print(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		free(cause);
		return CLI_USAGE;
	}
	if ((r = cli_load(arg, &p)) != CLI_OK)
		return r;
	if (name == NULL) {
		r = cli_snapshot_list(p);
		profile_free(p);
		return r;
	}
	running = runtime_running(p, &pid) != 0;
	revert = strcmp(op, "revert") == 0;
	if ((revert || strcmp(op, "delete") == 0) && !force) {
		if (!cli_can_ask()) {
			fprintf(stderr, "vmtui: %s %s asks first, and there is "
			    "no terminal to ask on: add --force\n", op, name);
			profile_free(p);
			return CLI_FAIL;
		}
		if (asprintf(&question, revert ? "Revert %s to \"%s\"? What "
		    "its disks hold now%s is lost." : "Delete snapshot \"%s\" "
		    "of %s%s?", revert ? p->name : name, revert ? name : p->name,
		    revert && running ? " and where the running guest is" :
		    "") < 0)
			question = NULL;
		if (question == NULL || !cli_ask(question)) {
			free(question);
			printf("nothing done\n");
			profile_free(p);
			return CLI_FAIL;
		}
		free(question);
	}
	if (strcmp(op, "take") == 0)
		r = snapshot_take(p, name, &cause);
	else if (revert)
		r = snapshot_revert(p, name, &cause);
	else
		r = snapshot_delete(p, name, &cause);
	if (r != 0) {
		cli_print(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		r = CLI_FAIL;
	} else {
		printf("%s: %s \"%s\"%s\n", p->name,
		    strcmp(op, "take") == 0 ? "took snapshot" : revert ?
		    "reverted to snapshot" : "deleted snapshot", name,
		    strcmp(op, "delete") == 0 ? "" : running ?
		    " (disks and memory)" : " (disks; the machine is off)");
		r = CLI_OK;
	}
	free(cause);
	profile_free(p);
	return r;
}

/* The libvirt actions in a vmtui built without it: how to get them. */
static int
cli_unbuilt(void)
{
	if (virthost_unbuilt() == NULL)
		return CLI_OK;
	cli_print(stderr, "vmtui: %s\n", virthost_unbuilt());
	return CLI_FAIL;
}

/*
 * --export libvirt P [-o FILE]: the machine as a libvirt domain's XML, on
 * stdout or in a new FILE (--force replaces one). For accel = auto the
 * domain type is this host's: kvm where vmtui would use KVM.
 */
int
cli_export(const char *format, const char *arg, const char *out, int force)
{
	struct atomic_opts	 o = { ATOMIC_NEW, 0644, NULL, NULL, NULL };
	struct profile		*p;
	char			*xml = NULL, *cause = NULL;
	int			 ret;

	if (strcmp(format, "libvirt") != 0) {
		cli_print(stderr, "vmtui: --export knows libvirt, not \"%s\"\n",
		    format);
		return CLI_USAGE;
	}
	if ((ret = cli_unbuilt()) != CLI_OK ||
	    (ret = cli_load(arg, &p)) != CLI_OK)
		return ret;
	if (domxml_machine(p, &xml, &cause) != 0) {
		cli_print(stderr, "vmtui: %s\n", cause != NULL ? cause :
		    "out of memory");
		ret = CLI_FAIL;
	} else if (out == NULL) {
		fputs(xml, stdout);
		ret = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
	} else {
		if (force)
			o.flags = ATOMIC_MODE;
		if (atomic_write(out, xml, strlen(xml), &o, &cause) != 0) {
			cli_error(cause);
			ret = CLI_FAIL;
		} else
			cli_print(stdout, "%s\n", out);
	}
	free(cause);
	free(xml);
	profile_free(p);
	return ret;
}

/* An upload's progress on stderr: one line, rewritten on a terminal. */
static void
cli_progress(void *arg, const char *name, unsigned long long done,
    unsigned long long total)
{
	int	*last = arg, pct = total > 0 ? (int)(done * 100 / total) : 100;

	if (pct == *last)
		return;
	*last = pct;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\ruploading %s: %3d%% (%llu of %llu MiB)%s",
		    name, pct, done >> 20, total >> 20, pct == 100 ? "\n" : "");
	else if (pct == 100)
		fprintf(stderr, "uploaded %s (%llu MiB)\n", name, total >> 20);
}

/*
 * --define P [--connect URI] [--pool NAME] [--force]: the machine defined
 * on a libvirt host (virthost.c).
 */
int
cli_define(const char *arg, const char *uri, const char *pool, int force)
{
	struct virthost_opts	 o = { uri, pool, force != 0, cli_progress,
				     NULL };
	struct profile		*p;
	char			*note = NULL, *cause = NULL;
	int			 ret, last = -1;

	o.arg = &last;
	if ((ret = cli_unbuilt()) != CLI_OK ||
	    (ret = cli_load(arg, &p)) != CLI_OK)
		return ret;
	if (virthost_define(p, &o, &note, &cause) != 0) {
		cli_print(stderr, "vmtui: %s\n", cause != NULL ? cause :
		    "out of memory");
		ret = CLI_FAIL;
	} else
		cli_print(stdout, "%s\n", note != NULL ? note : "defined");
	free(note);
	free(cause);
	profile_free(p);
	return ret;
}

/* Lines of what an import found, control characters escaped. */
static void
cli_found(const char *what, const struct strv *l)
{
	char	*s;
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		s = fields_encode(l->v[i], 0);
		fprintf(stderr, "vmtui: %s: %s\n", what, s != NULL ? s : "?");
		free(s);
	}
}

/*
 * --import libvirt FILE|DOMAIN [--connect URI] [--lossy]
 * [--allow-qemu-args] [--allow-host-files]: a domain as a new profile in
 * the profiles folder (never over one). What the profile would not hold
 * is listed, and refused unless --lossy. Raw QEMU arguments
 * (qemu:commandline) are listed and refused unless --allow-qemu-args:
 * QEMU would run them on this host as they are. The files of this host
 * the machine would read or write are listed and refused unless
 * --allow-host-files; those no machine may be given, refused whatever.
 * From a host other than this one, no path is one of this host's.
 */
int
cli_import(const char *format, const char *what, const char *uri, int lossy,
    int allow_qemu_args, int allow_host_files)
{
	struct domimport_opts	 o = { what, NULL, 0, NULL };
	struct domimport_found	 found;
	struct {
		struct strv	 v;
		int		 oom;
	}			 why = { { NULL, 0 }, 0 };
	struct profile		*p = NULL;
	char			*xml = NULL, *cause = NULL, *dir = NULL;
	char			*path = NULL, *text;
	int			 ret = CLI_FAIL;
	bool			 remote = false;
	bool			 file = strchr(what, '/') != NULL ||
				     access(what, F_OK) == 0;

	memset(&found, 0, sizeof found);
	if (strcmp(format, "libvirt") != 0) {
		cli_print(stderr, "vmtui: --import knows libvirt, not \"%s\"\n",
		    format);
		return CLI_USAGE;
	}
	if (cli_unbuilt() != CLI_OK)
		return CLI_FAIL;
	if (file && uri != NULL) {
		fprintf(stderr, "vmtui: --connect names the host of a DOMAIN, "
		    "not of a file\n");
		return CLI_USAGE;
	}
	if (file ? io_read_file(what, 4 << 20, &xml, &cause) != 0 :
	    virthost_xml(uri, what, &xml, &remote, &cause) != 0)
		goto out;
	if ((dir = paths_profiles_dir()) == NULL)
		goto out;
	o.dir = dir;
	o.flags = (allow_qemu_args ? DOMIMPORT_QEMU_ARGS : 0) |
	    (remote ? DOMIMPORT_REMOTE : 0);
	/* the domain asked for by name: the host sends that one or none */
	o.name = file ? NULL : what;
	if (domimport_profile(xml, &o, &p, &found, &cause) != 0) {
		ret = CLI_USAGE;
		goto out;
	}
	cli_found(lossy ? "left out" : "a profile cannot hold", &found.lost);
	cli_found(allow_qemu_args ? "raw QEMU arguments from an import, taken "
	    "as they are" : "a raw QEMU argument, refused", &found.raw);
	cli_found(allow_host_files ? "a file of this host it uses, taken" :
	    "a file of this host it would use", &found.files);
	cli_found("note", &found.notes);
	if (found.lost.n > 0 && !lossy)
		why.oom |= strv_add(&why.v, "--lossy imports the rest") != 0;
	if (found.raw.n > 0 && !allow_qemu_args)
		why.oom |= strv_add(&why.v, "--allow-qemu-args takes the raw "
		    "QEMU arguments (QEMU runs them on this host as they are; "
		    "--lossy never does)") != 0;
	if (found.files.n > 0 && !allow_host_files)
		why.oom |= strv_add(&why.v, "--allow-host-files lets the "
		    "machine use those files of this host (--lossy never "
		    "does)") != 0;
	if (why.v.n > 0 || why.oom) {
		text = strv_join(&why.v, "; ");
		cli_print(stderr, "vmtui: nothing imported: %s\n", text != NULL ?
		    text : "out of memory");
		free(text);
		goto out;
	}
	if (asprintf(&path, "%s/%s.conf", dir, p->name) < 0) {
		path = NULL;
		goto out;
	}
	if (profile_create(p, path, &cause) != 0)
		goto out;
	cli_print(stdout, "%s\n", path);
	ret = CLI_OK;
out:
	if (ret == CLI_FAIL && (cause != NULL || (found.lost.n == 0 &&
	    found.raw.n == 0 && found.files.n == 0)))
		cli_error(cause);
	else if (ret == CLI_USAGE)
		cli_error(cause);
	domimport_found_free(&found);
	strv_free(&why.v);
	free(cause);
	free(xml);
	free(dir);
	free(path);
	profile_free(p);
	return ret;
}
