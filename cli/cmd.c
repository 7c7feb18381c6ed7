/*
 * cmd: the command line as data. cmd_table[] has one entry for each form
 * of the command line (an action, its own argument, the arguments after
 * the options, the options it takes, its help, the function that runs it),
 * cmd_options[] one for each option that goes with actions. cmd_main
 * parses with getopt_long from both, checks what goes with what against
 * them (never by hand, action by action) and runs the form; `--help` and
 * the synopsis are printed from them, and tests/cli.sh holds vmtui(1)'s
 * SYNOPSIS to the same lines.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "cmd.h"
#include "forward.h"
#include "install.h"
#include "run.h"
#include "paths.h"
#include "set.h"
#include "ssh.h"
#include "view.h"
#include "watch.h"

/* An option that goes with actions. */
struct cmd_option {
	const char	*name;		/* --NAME */
	int		 letter;	/* -L too, or 0 */
	const char	*value;		/* what it takes (FILE), NULL: nothing */
	unsigned	 bit;		/* CMD_O_* */
	const char	*help;
};

/* One form of the command line. */
struct cmd_entry {
	const char	*name;		/* the action's option, "" the screens */
	const char	*with;		/* a second action option making the form */
	const char	*arg;		/* the action option's argument, or NULL */
	bool		 literal;	/* arg is a word to type, not a name */
	const char	*rest;		/* the arguments after the options */
	int		 minargs;	/* how many of those */
	int		 maxargs;	/* -1: any number */
	unsigned	 opts;		/* the options it takes */
	unsigned	 excl;		/* of those, the ones excluding each other */
	bool		 join;		/* synopsis: on the line before, after | */
	const char	*help;		/* its paragraph in --help, NULL: none */
	int		(*exec)(const struct cmd_args *);
	unsigned	 needs;		/* options that make this form (given
					   with the action, not optional) */
};

/* A rest of words after "--" ("[-- COMMAND...]") goes after the options. */
#define CMD_REST_LAST(e)	((e)->rest != NULL && \
				    strncmp((e)->rest, "[-- ", 4) == 0)

static int	cmd_screens(const struct cmd_args *);
static int	cmd_check(const struct cmd_args *);
static int	cmd_print_script(const struct cmd_args *);
static int	cmd_write_script(const struct cmd_args *);
static int	cmd_list(const struct cmd_args *);
static int	cmd_launch(const struct cmd_args *);
static int	cmd_attach(const struct cmd_args *);
static int	cmd_stop(const struct cmd_args *);
static int	cmd_ssh(const struct cmd_args *);
static int	cmd_forward(const struct cmd_args *);
static int	cmd_watch(const struct cmd_args *);
static int	cmd_snapshot(const struct cmd_args *);
static int	cmd_export(const struct cmd_args *);
static int	cmd_define(const struct cmd_args *);
static int	cmd_import(const struct cmd_args *);
static int	cmd_install(const struct cmd_args *);
static int	cmd_install_list(const struct cmd_args *);
static int	cmd_set(const struct cmd_args *);
static int	cmd_unset(const struct cmd_args *);
static int	cmd_print_profile(const struct cmd_args *);
static int	cmd_keys(const struct cmd_args *);
static int	cmd_help(const struct cmd_args *);
static int	cmd_version(const struct cmd_args *);

static const struct cmd_option cmd_options[] = {
	{ "output", 'o', "FILE", CMD_O_OUTPUT,
	  "write to FILE instead; it replaces only a launch script vmtui "
	  "wrote, or with --force a file" },
	{ "no-launch", 0, NULL, CMD_O_NO_LAUNCH,
	  "stop after saving the machine" },
	{ "no-tui", 0, NULL, CMD_O_NO_TUI,
	  "the machine's console on this terminal instead of the launch "
	  "view, with its commands after Ctrl-] but [ and s (Ctrl-] d "
	  "leaves it running, Ctrl-] ? lists them); when it ends here, the "
	  "exit status is QEMU's; the guest's output is filtered (no title, "
	  "clipboard or mode reaches the terminal) and vmtui's own lines are "
	  "in reverse video" },
	{ "detach", 0, NULL, CMD_O_DETACH,
	  "start it in the background and return once it answers" },
	{ "timeout", 0, "S", CMD_O_TIMEOUT,
	  "--stop: quit it when it has not gone after S seconds (30); --ssh, "
	  "--launch --detach: wait up to S seconds for a cloud-init "
	  "machine's sshd (300)" },
	{ "connect", 0, "URI", CMD_O_CONNECT,
	  "the libvirt host: qemu:///session, qemu+ssh://admin@server/"
	  "system, ... (default: libvirt's own default)" },
	{ "pool", 0, "NAME", CMD_O_POOL,
	  "upload the disk images into this storage pool (a remote host: "
	  "default)" },
	{ "lossy", 0, NULL, CMD_O_LOSSY,
	  "import what a profile can hold of the domain, leaving out the "
	  "rest (listed)" },
	{ "allow-qemu-args", 0, NULL, CMD_O_ALLOW_QEMU_ARGS,
	  "take the domain's raw QEMU arguments (qemu:commandline), which "
	  "QEMU runs on this host as they are; without it they are listed "
	  "and refused" },
	{ "allow-host-files", 0, NULL, CMD_O_ALLOW_HOST_FILES,
	  "let the machine read and write the files of this host the domain "
	  "names (its disks and their backing files, kernel, firmware, "
	  "shared folders, ...); without it they are listed and refused" },
	{ "remove", 0, NULL, CMD_O_REMOVE,
	  "remove the forward with that host port instead (the protocol and "
	  "address when more than one has it)" },
	{ "full", 0, NULL, CMD_O_FULL,
	  "every key, the defaults too" },
	{ "force", 0, NULL, CMD_O_FORCE,
	  "do it without asking: replace a file (--write-script, --export), "
	  "a domain (--define); revert or delete a snapshot; quit a machine "
	  "at once (--stop)" },
	{ "theme", 0, "NAME", CMD_O_THEME,
	  "the screens' colours: default, light, mono, high-contrast (or "
	  "VMTUI_THEME)" },
};
#define CMD_NOPTIONS	(sizeof cmd_options / sizeof cmd_options[0])

static const struct cmd_entry cmd_table[] = {
	{ "", NULL, NULL, false, NULL, 0, 0, CMD_O_THEME, 0, false, NULL,
	  cmd_screens, 0 },
	{ "check", NULL, "PROFILE", false, NULL, 0, 0, 0, 0, false,
	  "validate a profile; report every problem as FILE:LINE: what is "
	  "wrong", cmd_check, 0 },
	{ "print-script", NULL, "PROFILE", false, NULL, 0, 0, 0, 0, false,
	  "print the profile's launch script", cmd_print_script, 0 },
	{ "write-script", NULL, "PROFILE", false, NULL, 0, 0,
	  CMD_O_OUTPUT | CMD_O_FORCE, 0, false,
	  "write the launch script (mode 0755) to run-NAME-vm",
	  cmd_write_script, 0 },
	{ "list", NULL, NULL, false, NULL, 0, 0, 0, 0, false,
	  "list the machines (name, memory, cores, boot mode, running or "
	  "not); broken profiles with their error", cmd_list, 0 },
	{ "launch", NULL, "PROFILE", false, NULL, 0, 0,
	  CMD_O_NO_TUI | CMD_O_DETACH | CMD_O_TIMEOUT | CMD_O_THEME,
	  CMD_O_NO_TUI | CMD_O_DETACH, false,
	  "check the host, then start the machine: its status and serial "
	  "console side by side; Ctrl-] then d leaves it running, Ctrl-] then "
	  "? lists the other commands", cmd_launch, 0 },
	{ "attach", NULL, "PROFILE", false, NULL, 0, 0,
	  CMD_O_NO_TUI | CMD_O_THEME, 0, false,
	  "show a running machine again", cmd_attach, 0 },
	{ "stop", NULL, "PROFILE", false, NULL, 0, 0,
	  CMD_O_TIMEOUT | CMD_O_FORCE, 0, false,
	  "press the machine's power button", cmd_stop, 0 },
	{ "ssh", NULL, "PROFILE", false, "[-- COMMAND...]", 0, -1,
	  CMD_O_TIMEOUT, 0, false,
	  "log in to a machine set up by cloud-init (its user, its key, its "
	  "forward to port 22, its host key pinned; nothing forwarded to it, "
	  "whatever ~/.ssh/config says), or run COMMAND there; "
	  "while it boots, wait up to --timeout S (300 here); the exit status "
	  "is the command's, 255 when ssh or vmtui fails", cmd_ssh, 0 },
	{ "forward", NULL, "PROFILE", false,
	  "[tcp|udp] [ADDR:]HOSTPORT:GUESTPORT", 1, 2, 0, 0, false,
	  "forward a host port (on 127.0.0.1 unless ADDR says) to a guest "
	  "port: at once on a running machine, and saved in the profile "
	  "either way; a host port in use is refused", cmd_forward, 0 },
	{ "forward", NULL, "PROFILE", false, "[tcp:|udp:][ADDR:]HOSTPORT", 1,
	  1, 0, 0, false, NULL, cmd_forward, CMD_O_REMOVE },
	{ "watch", NULL, "PROFILE", false, NULL, 0, 0, 0, 0, false,
	  "forward the ports the guest of the running machine listens on, "
	  "until it ends (auto-forward: --launch starts this beside the "
	  "machine)", cmd_watch, 0 },
	{ "snapshot", NULL, "PROFILE", false,
	  "[list | take NAME | revert NAME | delete NAME]", 0, 2,
	  CMD_O_FORCE, 0, false,
	  "list the machine's snapshots, or take, revert to or delete one: "
	  "all its qcow2 disks together, with the memory while it runs; "
	  "revert and delete ask first", cmd_snapshot, 0 },
	{ "export", NULL, "libvirt", true, "PROFILE", 1, 1,
	  CMD_O_OUTPUT | CMD_O_FORCE, 0, false,
	  "print the machine as a libvirt domain's XML (virsh define takes "
	  "it)", cmd_export, 0 },
	{ "define", NULL, "PROFILE", false, NULL, 0, 0,
	  CMD_O_CONNECT | CMD_O_POOL | CMD_O_FORCE, 0, false,
	  "define the machine on a libvirt host", cmd_define, 0 },
	{ "import", NULL, "libvirt", true, "FILE|DOMAIN", 1, 1,
	  CMD_O_CONNECT | CMD_O_LOSSY | CMD_O_ALLOW_QEMU_ARGS |
	  CMD_O_ALLOW_HOST_FILES, 0, false,
	  "a libvirt domain (its XML in FILE, or DOMAIN on the --connect "
	  "host) as a new profile; refused when the profile would lose parts "
	  "of it, unless --lossy", cmd_import, 0 },
	{ "install", NULL, NULL, false, "ENTRY [NAME]", 1, 2,
	  CMD_O_NO_LAUNCH | CMD_O_NO_TUI | CMD_O_THEME,
	  CMD_O_NO_LAUNCH | CMD_O_NO_TUI, false,
	  "install an operating system: download the catalog entry's "
	  "installer, check it, save it as machine NAME (the entry's name) "
	  "and launch it", cmd_install, 0 },
	{ "install", "list", NULL, false, NULL, 0, 0, 0, 0, false,
	  "list the catalog's entries", cmd_install_list, 0 },
	{ "set", NULL, "PROFILE", false, "KEY=VALUE...", 1, -1, 0, 0, false,
	  "change keys (memory=2048, boot.append=..., share.TAG.readonly="
	  "true, forward[0].host-port=2223), checked as the editor does; only "
	  "their lines change, comments stay", cmd_set, 0 },
	{ "unset", NULL, "PROFILE", false, "KEY...", 1, -1, 0, 0, false,
	  "back to the defaults, the lines removed; a row too (forward[1], "
	  "disk.TITLE)", cmd_unset, 0 },
	{ "print-profile", NULL, "PROFILE", false, NULL, 0, 0, CMD_O_FULL, 0,
	  false, "what the profile sets (a new file holds that)",
	  cmd_print_profile, 0 },
	{ "keys", NULL, NULL, false, NULL, 0, 0, 0, 0, false,
	  "list the keys of the screens: the list, the editor, the launch "
	  "view's commands", cmd_keys, 0 },
	{ "help", NULL, NULL, false, NULL, 0, 0, 0, 0, true,
	  "show this help", cmd_help, 0 },
	{ "version", NULL, NULL, false, NULL, 0, 0, 0, 0, true,
	  "show the version", cmd_version, 0 },
};
#define CMD_NENTRIES	(sizeof cmd_table / sizeof cmd_table[0])

#define CMD_ACTION	256	/* getopt's value: CMD_ACTION + entry */
#define CMD_OPTION	512	/* CMD_OPTION + option */

static int
cmd_screens(const struct cmd_args *a)
{
	return app_run(a->theme);
}

static int
cmd_check(const struct cmd_args *a)
{
	return cli_check(a->arg);
}

static int
cmd_print_script(const struct cmd_args *a)
{
	return cli_print_script(a->arg);
}

static int
cmd_write_script(const struct cmd_args *a)
{
	return cli_write_script(a->arg, a->output,
	    (a->given & CMD_O_FORCE) != 0);
}

static int
cmd_list(const struct cmd_args *a)
{
	(void)a;
	return cli_list();
}

static int
cmd_launch(const struct cmd_args *a)
{
	if ((a->given & CMD_O_TIMEOUT) && !(a->given & CMD_O_DETACH)) {
		fprintf(stderr, "vmtui: --timeout goes with --launch --detach "
		    "(how long to wait for a cloud-init machine's sshd)\n");
		return CLI_USAGE;
	}
	if (a->given & (CMD_O_NO_TUI | CMD_O_DETACH))
		return cli_launch(a->arg, (a->given & CMD_O_DETACH) != 0,
		    (a->given & CMD_O_TIMEOUT) ? a->timeout : SSH_TIMEOUT);
	return cli_view(a->arg, a->theme, VIEW_LAUNCH);
}

static int
cmd_attach(const struct cmd_args *a)
{
	if (a->given & CMD_O_NO_TUI)
		return cli_attach(a->arg);
	return cli_view(a->arg, a->theme, VIEW_ATTACH);
}

static int
cmd_stop(const struct cmd_args *a)
{
	return cli_stop(a->arg, (int)a->timeout, (a->given & CMD_O_FORCE) != 0);
}

static int
cmd_ssh(const struct cmd_args *a)
{
	return ssh_run(a->arg, a->argc, a->argv, (a->given & CMD_O_TIMEOUT) ?
	    a->timeout : SSH_TIMEOUT);
}

static int
cmd_forward(const struct cmd_args *a)
{
	return forward_run(a->arg, a->argc, a->argv,
	    (a->given & CMD_O_REMOVE) != 0);
}

static int
cmd_watch(const struct cmd_args *a)
{
	char	*cause = NULL, *file;
	int	 r = CLI_OK;

	if ((file = paths_profile(a->arg, &cause)) == NULL ||
	    watch_run(file, &cause) != 0) {
		fprintf(stderr, "vmtui: %s\n", cause ? cause : "out of memory");
		r = file == NULL ? CLI_USAGE : CLI_FAIL;
	}
	free(cause);
	free(file);
	return r;
}

static int
cmd_snapshot(const struct cmd_args *a)
{
	return cli_snapshot(a->arg, a->argc, a->argv,
	    (a->given & CMD_O_FORCE) != 0);
}

static int
cmd_export(const struct cmd_args *a)
{
	return cli_export(a->arg, a->argv[0], a->output,
	    (a->given & CMD_O_FORCE) != 0);
}

static int
cmd_define(const struct cmd_args *a)
{
	return cli_define(a->arg, a->connect, a->pool,
	    (a->given & CMD_O_FORCE) != 0);
}

static int
cmd_import(const struct cmd_args *a)
{
	return cli_import(a->arg, a->argv[0], a->connect,
	    (a->given & CMD_O_LOSSY) != 0,
	    (a->given & CMD_O_ALLOW_QEMU_ARGS) != 0,
	    (a->given & CMD_O_ALLOW_HOST_FILES) != 0);
}

static int
cmd_install(const struct cmd_args *a)
{
	return install_run(a->argv[0], a->argc == 2 ? a->argv[1] : NULL,
	    (a->given & CMD_O_NO_LAUNCH) ? INSTALL_SAVE :
	    (a->given & CMD_O_NO_TUI) ? INSTALL_CONSOLE : INSTALL_VIEW,
	    a->theme);
}

static int
cmd_install_list(const struct cmd_args *a)
{
	(void)a;
	return install_list();
}

static int
cmd_set(const struct cmd_args *a)
{
	return set_run(a->arg, a->argc, a->argv, 0);
}

static int
cmd_unset(const struct cmd_args *a)
{
	return set_run(a->arg, a->argc, a->argv, 1);
}

static int
cmd_print_profile(const struct cmd_args *a)
{
	return cli_print_profile(a->arg, (a->given & CMD_O_FULL) != 0);
}

static int
cmd_keys(const struct cmd_args *a)
{
	(void)a;
	app_keys(stdout);
	run_keys_print(stdout);
	return CLI_OK;
}

static int
cmd_help(const struct cmd_args *a)
{
	(void)a;
	cmd_usage(stdout);
	return CLI_OK;
}

static int
cmd_version(const struct cmd_args *a)
{
	(void)a;
	printf("vmtui %s\n", PACKAGE_VERSION);
	return CLI_OK;
}

/* An option as people type it: -o/--output, --force. */
static void
cmd_option_word(const struct cmd_option *o, char *buf, size_t len)
{
	if (o->letter != 0)
		snprintf(buf, len, "-%c", o->letter);
	else
		snprintf(buf, len, "--%s", o->name);
}

/*
 * "--check PROFILE", "--install --list", "--export libvirt PROFILE",
 * "--forward PROFILE --remove SPEC".
 */
static void
cmd_head(const struct cmd_entry *e, char *buf, size_t len)
{
	const char	*rest = CMD_REST_LAST(e) ? NULL : e->rest;
	size_t		 i;

	snprintf(buf, len, "%s%s%s%s%s%s", *e->name != '\0' ? "--" : "",
	    e->name, e->with != NULL ? " --" : "", e->with != NULL ? e->with :
	    "", e->arg != NULL ? " " : "", e->arg != NULL ? e->arg : "");
	for (i = 0; i < CMD_NOPTIONS; i++)
		if (e->needs & cmd_options[i].bit) {
			strncat(buf, " --", len - strlen(buf) - 1);
			strncat(buf, cmd_options[i].name, len - strlen(buf) - 1);
		}
	if (rest != NULL) {
		strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, rest, len - strlen(buf) - 1);
	}
}

/* One synopsis line's text after "vmtui", the options in brackets. */
static void
cmd_line(const struct cmd_entry *e, char *buf, size_t len)
{
	const struct cmd_option	*o;
	char			 word[32], part[96];
	size_t			 i, j;
	bool			 grouped = false;

	cmd_head(e, buf, len);
	for (i = 0; i < CMD_NOPTIONS; i++) {
		o = &cmd_options[i];
		if (!(e->opts & o->bit))
			continue;
		cmd_option_word(o, word, sizeof word);
		if (e->excl & o->bit) {
			if (grouped)
				continue;
			grouped = true;
			snprintf(part, sizeof part, " [%s", word);
			for (j = i + 1; j < CMD_NOPTIONS; j++) {
				if (!(e->excl & cmd_options[j].bit))
					continue;
				cmd_option_word(&cmd_options[j], word,
				    sizeof word);
				strncat(part, " | ", sizeof part -
				    strlen(part) - 1);
				strncat(part, word, sizeof part -
				    strlen(part) - 1);
			}
			strncat(part, "]", sizeof part - strlen(part) - 1);
		} else if (o->value != NULL)
			snprintf(part, sizeof part, " [%s %s]", word, o->value);
		else
			snprintf(part, sizeof part, " [%s]", word);
		if (strlen(buf) + strlen(part) < len)
			strcat(buf, part);
	}
	if (CMD_REST_LAST(e) && strlen(buf) + strlen(e->rest) + 1 < len) {
		strcat(buf, " ");
		strcat(buf, e->rest);
	}
}

/*
 * The synopsis: one line a form (joined forms share a line), "usage: "
 * before the first; a line longer than 78 columns goes on below its
 * action's argument, broken before an option.
 */
void
cmd_synopsis(FILE *f)
{
	char		 line[256], *p, *brk;
	size_t		 i;
	int		 indent, room;

	for (i = 0; i < CMD_NENTRIES; i++) {
		cmd_line(&cmd_table[i], line, sizeof line);
		p = line + strspn(line, " ");
		if (cmd_table[i].join) {
			fprintf(f, " | %s", p);
			continue;
		}
		fprintf(f, "%s", i == 0 ? "usage: vmtui" : "\n       vmtui");
		indent = 14 + (int)strcspn(p, " ");
		for (room = 78 - 13; (int)strlen(p) > room; room = 78 - indent) {
			for (brk = p + room; brk > p && *brk != ' '; brk--)
				;
			if (brk == p)
				break;
			fprintf(f, " %.*s\n%*s", (int)(brk - p), p, indent - 1,
			    "");
			p = brk + 1;
		}
		if (*p != '\0')
			fprintf(f, " %s", p);
	}
	fputc('\n', f);
}

/* "  HEAD    text" with the text wrapped at 78 columns from column 26. */
static void
cmd_help_item(FILE *f, const char *head, const char *text)
{
	const char	*p = text, *end, *brk;
	int		 col;

	col = fprintf(f, "  %s", head);
	if (col > 24) {
		fputc('\n', f);
		col = 0;
	}
	while (*p != '\0') {
		fprintf(f, "%*s", 26 - col, "");
		end = p + strlen(p);
		if (end - p > 52) {
			for (brk = p + 52; brk > p && *brk != ' '; brk--)
				;
			end = brk > p ? brk : p + 52;
		}
		fprintf(f, "%.*s\n", (int)(end - p), p);
		p = *end == ' ' ? end + 1 : end;
		col = 0;
	}
}

/* --help: the synopsis, then each form and the options it is first to take. */
void
cmd_usage(FILE *f)
{
	const struct cmd_option	*o;
	char			 head[128], word[64];
	unsigned		 shown = 0;
	size_t			 i, j;

	cmd_synopsis(f);
	fputs("\nvmtui keeps QEMU virtual machines as profiles and turns a "
	    "profile\ninto a standalone launch script. Without an action it "
	    "opens the\nscreens: the list of machines, a new-machine wizard, an "
	    "editor.\n\n", f);
	for (i = 0; i < CMD_NENTRIES; i++) {
		if (cmd_table[i].help != NULL) {
			cmd_head(&cmd_table[i], head, sizeof head);
			cmd_help_item(f, head, cmd_table[i].help);
		}
		for (j = 0; j < CMD_NOPTIONS; j++) {
			o = &cmd_options[j];
			if (!((cmd_table[i].opts | cmd_table[i].needs) &
			    o->bit) || (shown & o->bit))
				continue;
			shown |= o->bit;
			if (o->letter != 0)
				snprintf(word, sizeof word, "-%c, --%s%s%s",
				    o->letter, o->name, o->value ? " " : "",
				    o->value ? o->value : "");
			else
				snprintf(word, sizeof word, "--%s%s%s", o->name,
				    o->value ? " " : "", o->value ? o->value :
				    "");
			cmd_help_item(f, word, o->help);
		}
	}
	fputs("\nPROFILE is a name in $XDG_CONFIG_HOME/vmtui/profiles (by "
	    "default\n~/.config/vmtui/profiles), unless it holds a '/' or ends "
	    "in .conf,\nwhen it is a path.\n\nExit status: 0 success, 2 a usage "
	    "error or an invalid profile,\n1 any other failure (--ssh: the "
	    "command's, 255 when ssh or vmtui\nfails). See vmtui(1) and "
	    "vmtui.conf(5).\n", f);
}

/* A usage error: the message, the hint, exit status 2. */
static int __attribute__((format(printf, 1, 2)))
cmd_misuse(const char *fmt, ...)
{
	va_list	ap;

	fputs("vmtui: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry \"vmtui --help\".\n", stderr);
	return CLI_USAGE;
}

/* "--force goes with --write-script, --stop or --export". */
static int
cmd_goes_with(const struct cmd_option *o)
{
	const char	*seen[CMD_NENTRIES] = { NULL };
	size_t		 i, j, n = 0, k;

	fprintf(stderr, "vmtui: --%s goes with ", o->name);
	for (i = 0; i < CMD_NENTRIES; i++) {
		if (!((cmd_table[i].opts | cmd_table[i].needs) & o->bit))
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(seen[j], cmd_table[i].name) == 0)
				break;
		if (j == n)
			seen[n++] = cmd_table[i].name;
	}
	for (k = 0; k < n; k++)
		fprintf(stderr, "%s%s%s", k == 0 ? "" : k + 1 == n ? " or " :
		    ", ", *seen[k] != '\0' ? "--" : "the screens", seen[k]);
	fputs("\nTry \"vmtui --help\".\n", stderr);
	return CLI_USAGE;
}

/*
 * The form for the action options given (at most two) and the options
 * given (a form that needs an option is the one when it is given), or
 * NULL.
 */
static const struct cmd_entry *
cmd_find(const char *a, const char *b, unsigned given)
{
	const struct cmd_entry	*e;
	size_t			 i;

	for (i = 0; b == NULL && i < CMD_NENTRIES; i++) {
		e = &cmd_table[i];
		if (e->with == NULL && e->needs != 0 && (given & e->needs) ==
		    e->needs && strcmp(e->name, a) == 0)
			return e;
	}
	for (i = 0; i < CMD_NENTRIES; i++) {
		e = &cmd_table[i];
		if (b == NULL && e->with == NULL && e->needs == 0 &&
		    strcmp(e->name, a) == 0)
			return e;
		if (b != NULL && e->with != NULL &&
		    ((strcmp(e->name, a) == 0 && strcmp(e->with, b) == 0) ||
		    (strcmp(e->name, b) == 0 && strcmp(e->with, a) == 0)))
			return e;
	}
	return NULL;
}

/* getopt_long's table from both tables: each action and option once. */
static struct option *
cmd_longopts(void)
{
	struct option	*lo;
	size_t		 i, j, n = 0;

	if ((lo = calloc(CMD_NENTRIES + CMD_NOPTIONS + 1, sizeof *lo)) == NULL)
		return NULL;
	for (i = 0; i < CMD_NENTRIES; i++) {
		if (*cmd_table[i].name == '\0')
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(lo[j].name, cmd_table[i].name) == 0)
				break;
		if (j < n)
			continue;
		lo[n].name = cmd_table[i].name;
		lo[n].has_arg = cmd_table[i].arg != NULL ? required_argument :
		    no_argument;
		lo[n++].val = CMD_ACTION + (int)i;
	}
	for (i = 0; i < CMD_NOPTIONS; i++) {
		lo[n].name = cmd_options[i].name;
		lo[n].has_arg = cmd_options[i].value != NULL ?
		    required_argument : no_argument;
		lo[n++].val = CMD_OPTION + (int)i;
	}
	return lo;
}

/* An option's value into the arguments; -1 when it is not one. */
static int
cmd_take(const struct cmd_option *o, const char *value, struct cmd_args *a)
{
	char	*end;

	switch (o->bit) {
	case CMD_O_OUTPUT:
		a->output = value;
		break;
	case CMD_O_THEME:
		a->theme = value;
		break;
	case CMD_O_CONNECT:
		a->connect = value;
		break;
	case CMD_O_POOL:
		a->pool = value;
		break;
	case CMD_O_TIMEOUT:
		a->timeout = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || a->timeout < 0 ||
		    a->timeout > 86400) {
			fprintf(stderr, "vmtui: --timeout takes seconds, 0 to "
			    "86400\n");
			return -1;
		}
		break;
	}
	a->given |= o->bit;
	return 0;
}

int
cmd_main(int argc, char **argv)
{
	const struct cmd_entry	*e, *act[2] = { NULL, NULL };
	const struct cmd_option	*o;
	struct cmd_args		 a;
	struct option		*lo;
	size_t			 i;
	int			 c, nact = 0;

	memset(&a, 0, sizeof a);
	a.timeout = 30;
	/* machine_start may start this program's --watch */
	watch_enable();
	if ((lo = cmd_longopts()) == NULL) {
		fputs("vmtui: out of memory\n", stderr);
		return CLI_FAIL;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
		if (c >= CMD_OPTION) {
			if (cmd_take(&cmd_options[c - CMD_OPTION], optarg,
			    &a) != 0)
				goto usage;
			continue;
		}
		if (c == 'o') {
			for (i = 0; cmd_options[i].letter != 'o'; i++)
				;
			(void)cmd_take(&cmd_options[i], optarg, &a);
			continue;
		}
		if (c >= CMD_ACTION) {
			e = &cmd_table[c - CMD_ACTION];
			if (nact == 2 || (nact == 1 && act[0] == e)) {
				free(lo);
				return cmd_misuse("give one action at a time");
			}
			if (e->arg != NULL)
				a.arg = optarg;
			act[nact++] = e;
			continue;
		}
		if (optopt != 0 && optopt < CMD_ACTION)
			fprintf(stderr, "vmtui: option -%c needs a value or is "
			    "unknown\n", optopt);
		else
			fprintf(stderr, "vmtui: unknown option or missing "
			    "value: %s\n", argv[optind - 1]);
		goto usage;
	}
	free(lo);
	lo = NULL;

	e = nact == 0 ? &cmd_table[0] : cmd_find(act[0]->name,
	    nact == 2 ? act[1]->name : NULL, a.given);
	if (e == NULL)
		return cmd_misuse("give one action at a time");
	for (i = 0; i < CMD_NOPTIONS; i++) {
		o = &cmd_options[i];
		if ((a.given & o->bit) && !((e->opts | e->needs) & o->bit))
			return cmd_goes_with(o);
	}
	if ((a.given & e->excl) & ((a.given & e->excl) - 1))
		return cmd_misuse("--%s takes only one of its options in "
		    "[... | ...]", e->name);
	a.argc = argc - optind;
	a.argv = argv + optind;
	if (a.argc < e->minargs || (e->maxargs >= 0 && a.argc > e->maxargs)) {
		if (e->rest == NULL)
			return cmd_misuse("unexpected argument \"%s\"",
			    argv[optind]);
		return cmd_misuse("--%s takes %s", e->name, e->rest);
	}
	return e->exec(&a);

usage:
	free(lo);
	fputs("Try \"vmtui --help\".\n", stderr);
	return CLI_USAGE;
}
