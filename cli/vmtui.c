/*
 * vmtui: the program's entry point. Parses the command line and hands over
 * to the action it names.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "install.h"
#include "set.h"
#include "view.h"

enum {
	OPT_CHECK = 256,
	OPT_PRINT_SCRIPT,
	OPT_WRITE_SCRIPT,
	OPT_LIST,
	OPT_LAUNCH,
	OPT_NO_TUI,
	OPT_DETACH,
	OPT_ATTACH,
	OPT_STOP,
	OPT_SNAPSHOT,
	OPT_EXPORT,
	OPT_DEFINE,
	OPT_CONNECT,
	OPT_POOL,
	OPT_IMPORT,
	OPT_INSTALL,
	OPT_SET,
	OPT_UNSET,
	OPT_PRINT_PROFILE,
	OPT_FULL,
	OPT_NO_LAUNCH,
	OPT_LOSSY,
	OPT_TIMEOUT,
	OPT_FORCE,
	OPT_THEME,
	OPT_KEYS,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option vmtui_options[] = {
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "print-script", required_argument, NULL, OPT_PRINT_SCRIPT },
	{ "write-script", required_argument, NULL, OPT_WRITE_SCRIPT },
	{ "output", required_argument, NULL, 'o' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "launch", required_argument, NULL, OPT_LAUNCH },
	{ "no-tui", no_argument, NULL, OPT_NO_TUI },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "attach", required_argument, NULL, OPT_ATTACH },
	{ "stop", required_argument, NULL, OPT_STOP },
	{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "define", required_argument, NULL, OPT_DEFINE },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "pool", required_argument, NULL, OPT_POOL },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "install", no_argument, NULL, OPT_INSTALL },
	{ "set", required_argument, NULL, OPT_SET },
	{ "print-profile", required_argument, NULL, OPT_PRINT_PROFILE },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "unset", required_argument, NULL, OPT_UNSET },
	{ "no-launch", no_argument, NULL, OPT_NO_LAUNCH },
	{ "lossy", no_argument, NULL, OPT_LOSSY },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "keys", no_argument, NULL, OPT_KEYS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
vmtui_usage(FILE *f)
{
	fprintf(f,
	    "usage: vmtui [--theme NAME]\n"
	    "       vmtui --check PROFILE\n"
	    "       vmtui --print-script PROFILE\n"
	    "       vmtui --write-script PROFILE [-o FILE] [--force]\n"
	    "       vmtui --list\n"
	    "       vmtui --launch PROFILE [--no-tui | --detach]\n"
	    "       vmtui --attach PROFILE [--no-tui]\n"
	    "       vmtui --stop PROFILE [--timeout S] [--force]\n"
	    "       vmtui --snapshot PROFILE [list | take NAME | revert NAME |\n"
	    "                                 delete NAME] [--force]\n"
	    "       vmtui --export libvirt PROFILE [-o FILE] [--force]\n"
	    "       vmtui --define PROFILE [--connect URI] [--pool NAME] "
	    "[--force]\n"
	    "       vmtui --import libvirt FILE|DOMAIN [--connect URI] "
	    "[--lossy]\n"
	    "       vmtui --install ENTRY [NAME] [--no-launch | --no-tui]\n"
	    "       vmtui --install --list\n"
	    "       vmtui --set PROFILE KEY=VALUE... | --unset PROFILE KEY...\n"
	    "       vmtui --print-profile PROFILE [--full]\n"
	    "       vmtui --keys | --help | --version\n"
	    "\n"
	    "vmtui keeps QEMU virtual machines as profiles and turns a profile\n"
	    "into a standalone launch script. Without an action it opens the\n"
	    "screens: the list of machines, a new-machine wizard, an editor.\n"
	    "\n"
	    "  --theme NAME            the screens' colours: default, light,\n"
	    "                          mono, high-contrast (or VMTUI_THEME)\n"
	    "  --check PROFILE         validate a profile; report every problem\n"
	    "                          as FILE:LINE: what is wrong\n"
	    "  --print-script PROFILE  print the profile's launch script\n"
	    "  --write-script PROFILE  write it (mode 0755) to run-NAME-vm, or\n"
	    "  -o, --output FILE       to FILE; it replaces only a launch script\n"
	    "                          vmtui wrote, or with --force a file\n"
	    "  --list                  list the profiles (name, memory, cores,\n"
	    "                          boot mode, running or not); broken ones\n"
	    "                          with their error\n"
	    "  --launch PROFILE        check the host, then start the machine: its\n"
	    "                          status and serial console side by side;\n"
	    "                          Ctrl-] then d leaves it running, Ctrl-]\n"
	    "                          then ? lists the other commands\n"
	    "  --detach                with --launch: start it in the background\n"
	    "                          and return once it answers\n"
	    "  --attach PROFILE        show a running machine again\n"
	    "  --no-tui                with --launch or --attach: its console on\n"
	    "                          this terminal (Ctrl-] d leaves it running,\n"
	    "                          Ctrl-] p power button, Ctrl-] q quit); when\n"
	    "                          it ends here, the exit status is QEMU's\n"
	    "  --stop PROFILE          press the machine's power button; quit it\n"
	    "  --timeout S             when it has not gone after S seconds (30)\n"
	    "  --force                 with --stop: quit it at once\n"
	    "  --snapshot PROFILE      list the machine's snapshots, or take,\n"
	    "                          revert to or delete one: all its qcow2\n"
	    "                          disks together, with the memory while\n"
	    "                          it runs; revert and delete ask first\n"
	    "                          (--force: do not ask)\n"
	    "  --export libvirt PROFILE\n"
	    "                          print the machine as a libvirt domain's\n"
	    "                          XML (virsh define takes it), or write it\n"
	    "                          to a new FILE with -o (--force replaces)\n"
	    "  --define PROFILE        define the machine on a libvirt host\n"
	    "                          (--force: replace a domain of its name)\n"
	    "  --connect URI           the host: qemu:///session,\n"
	    "                          qemu+ssh://admin@server/system, ...\n"
	    "                          (default: libvirt's own default)\n"
	    "  --pool NAME             upload the disk images into this\n"
	    "                          storage pool (a remote host: default)\n"
	    "  --import libvirt FILE|DOMAIN\n"
	    "                          a libvirt domain (its XML in FILE, or\n"
	    "                          DOMAIN on the --connect host) as a new\n"
	    "                          profile; refused when the profile would\n"
	    "                          lose parts of it, unless --lossy\n"
	    "  --install ENTRY [NAME]  install an operating system: download\n"
	    "                          the catalog entry's installer, check its\n"
	    "                          SHA-256, save it as machine NAME (the\n"
	    "                          entry's name) and launch it\n"
	    "  --no-launch             with --install: stop after saving\n"
	    "  --install --list        list the catalog's entries\n"
	    "  --set PROFILE KEY=VALUE...\n"
	    "                          change keys (memory=2048, boot.append=...,\n"
	    "                          share.TAG.readonly=true, forward[0].host-port=\n"
	    "                          2223), checked as the editor does; only\n"
	    "                          their lines change, comments stay\n"
	    "  --unset PROFILE KEY...  back to the default, the lines removed\n"
	    "  --print-profile PROFILE what the profile sets (a new file holds\n"
	    "                          that); --full: every key, defaults too\n"
	    "  --keys                  list the keys of the screens: the list,\n"
	    "                          the editor, the launch view's commands\n"
	    "  --help                  show this help\n"
	    "  --version               show the version\n"
	    "\n"
	    "PROFILE is a name in $XDG_CONFIG_HOME/vmtui/profiles (by default\n"
	    "~/.config/vmtui/profiles), unless it holds a '/' or ends in .conf,\n"
	    "when it is a path.\n"
	    "\n"
	    "Exit status: 0 success, 2 a usage error or an invalid profile,\n"
	    "1 any other failure. See vmtui(1) and vmtui.conf(5).\n");
}

int
main(int argc, char **argv)
{
	const char	*profile = NULL, *output = NULL, *theme = NULL;
	const char	*connect_uri = NULL, *pool = NULL;
	char		*end;
	long		 timeout = 30;
	int		 action = 0, c, no_tui = 0, force = 0, timed = 0;
	int		 lossy = 0, install = 0, no_launch = 0, full = 0;
	int		 detach = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", vmtui_options, NULL)) != -1) {
		switch (c) {
		case OPT_NO_TUI:
			no_tui = 1;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_DETACH:
			detach = 1;
			break;
		case OPT_THEME:
			theme = optarg;
			break;
		case OPT_TIMEOUT:
			timeout = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || timeout < 0 ||
			    timeout > 86400) {
				fprintf(stderr, "vmtui: --timeout takes seconds, "
				    "0 to 86400\n");
				return CLI_USAGE;
			}
			timed = 1;
			break;
		case OPT_CONNECT:
			connect_uri = optarg;
			break;
		case OPT_POOL:
			pool = optarg;
			break;
		case OPT_LOSSY:
			lossy = 1;
			break;
		case OPT_NO_LAUNCH:
			no_launch = 1;
			break;
		case OPT_FULL:
			full = 1;
			break;
		case OPT_INSTALL:
			install = 1;
			break;
		case OPT_CHECK:
		case OPT_PRINT_SCRIPT:
		case OPT_WRITE_SCRIPT:
		case OPT_LAUNCH:
		case OPT_ATTACH:
		case OPT_STOP:
		case OPT_SNAPSHOT:
		case OPT_EXPORT:
		case OPT_DEFINE:
		case OPT_IMPORT:
		case OPT_SET:
		case OPT_UNSET:
		case OPT_PRINT_PROFILE:
			profile = optarg;
			/* FALLTHROUGH */
		case OPT_LIST:
		case OPT_KEYS:
		case OPT_HELP:
		case OPT_VERSION:
			if (action != 0 && action != c) {
				fprintf(stderr, "vmtui: give one action at a "
				    "time\n");
				return CLI_USAGE;
			}
			action = c;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			if (optopt != 0 && optopt < 256)
				fprintf(stderr, "vmtui: option -%c needs a "
				    "value or is unknown\n", optopt);
			else
				fprintf(stderr, "vmtui: unknown option or "
				    "missing value: %s\n", argv[optind - 1]);
			fprintf(stderr, "Try \"vmtui --help\".\n");
			return CLI_USAGE;
		}
	}
	if (install) {
		/* --install --list, or --install ENTRY [NAME] */
		if (action == OPT_LIST && optind == argc && !no_tui &&
		    !no_launch)
			return install_list();
		if (action != 0 || optind == argc || argc - optind > 2 ||
		    (no_tui && no_launch) || output != NULL || force ||
		    detach || timed || lossy || connect_uri || pool) {
			fprintf(stderr, "vmtui: --install takes ENTRY [NAME] "
			    "and --no-launch or --no-tui, or --list\n"
			    "Try \"vmtui --help\".\n");
			return CLI_USAGE;
		}
		return install_run(argv[optind], argc - optind == 2 ?
		    argv[optind + 1] : NULL, no_launch ? INSTALL_SAVE :
		    no_tui ? INSTALL_CONSOLE : INSTALL_VIEW, theme);
	}
	if (no_launch) {
		fprintf(stderr, "vmtui: --no-launch goes with --install\n");
		return CLI_USAGE;
	}
	if (full && action != OPT_PRINT_PROFILE) {
		fprintf(stderr, "vmtui: --full goes with --print-profile\n");
		return CLI_USAGE;
	}
	if (optind < argc && action != OPT_SNAPSHOT && action != OPT_EXPORT &&
	    action != OPT_IMPORT && action != OPT_SET && action != OPT_UNSET) {
		fprintf(stderr, "vmtui: unexpected argument \"%s\"\n"
		    "Try \"vmtui --help\".\n", argv[optind]);
		return CLI_USAGE;
	}
	if (output != NULL && action != OPT_WRITE_SCRIPT &&
	    action != OPT_EXPORT) {
		fprintf(stderr, "vmtui: -o goes with --write-script or "
		    "--export\n");
		return CLI_USAGE;
	}
	if (no_tui && action != OPT_LAUNCH && action != OPT_ATTACH) {
		fprintf(stderr, "vmtui: --no-tui goes with --launch or "
		    "--attach\n");
		return CLI_USAGE;
	}
	if (detach && (action != OPT_LAUNCH || no_tui)) {
		fprintf(stderr, "vmtui: --detach goes with --launch alone (it "
		    "shows no console)\n");
		return CLI_USAGE;
	}
	if (timed && action != OPT_STOP) {
		fprintf(stderr, "vmtui: --timeout goes with --stop\n");
		return CLI_USAGE;
	}
	if ((connect_uri != NULL && action != OPT_DEFINE &&
	    action != OPT_IMPORT) || (pool != NULL && action != OPT_DEFINE)) {
		fprintf(stderr, "vmtui: --connect goes with --define or "
		    "--import, --pool with --define\n");
		return CLI_USAGE;
	}
	if (lossy && action != OPT_IMPORT) {
		fprintf(stderr, "vmtui: --lossy goes with --import\n");
		return CLI_USAGE;
	}
	if (force && action != OPT_STOP && action != OPT_WRITE_SCRIPT &&
	    action != OPT_SNAPSHOT && action != OPT_EXPORT &&
	    action != OPT_DEFINE) {
		fprintf(stderr, "vmtui: --force goes with --stop, --snapshot, "
		    "--export, --define or --write-script\n");
		return CLI_USAGE;
	}

	switch (action) {
	case OPT_CHECK:
		return cli_check(profile);
	case OPT_PRINT_SCRIPT:
		return cli_print_script(profile);
	case OPT_WRITE_SCRIPT:
		return cli_write_script(profile, output, force);
	case OPT_LIST:
		return cli_list();
	case OPT_LAUNCH:
		if (no_tui || detach)
			return cli_launch(profile, detach);
		return app_launch(profile, theme, VIEW_LAUNCH);
	case OPT_ATTACH:
		return no_tui ? cli_attach(profile) : app_launch(profile, theme,
		    VIEW_ATTACH);
	case OPT_STOP:
		return cli_stop(profile, (int)timeout, force);
	case OPT_SNAPSHOT:
		return cli_snapshot(profile, argc - optind, argv + optind,
		    force);
	case OPT_EXPORT:
		/* --export FORMAT PROFILE: the format came as the option's */
		if (argc - optind != 1) {
			fprintf(stderr, "vmtui: --export %s takes one profile\n",
			    profile);
			return CLI_USAGE;
		}
		return cli_export(profile, argv[optind], output, force);
	case OPT_DEFINE:
		return cli_define(profile, connect_uri, pool, force);
	case OPT_IMPORT:
		if (argc - optind != 1) {
			fprintf(stderr, "vmtui: --import %s takes one FILE or "
			    "DOMAIN\n", profile);
			return CLI_USAGE;
		}
		return cli_import(profile, argv[optind], connect_uri, lossy);
	case OPT_PRINT_PROFILE:
		return cli_print_profile(profile, full);
	case OPT_SET:
	case OPT_UNSET:
		return set_run(profile, argc - optind, argv + optind,
		    action == OPT_UNSET);
	case OPT_KEYS:
		app_keys(stdout);
		return CLI_OK;
	case OPT_HELP:
		vmtui_usage(stdout);
		return CLI_OK;
	case OPT_VERSION:
		printf("vmtui %s\n", PACKAGE_VERSION);
		return CLI_OK;
	default:
		return app_run(theme);
	}
}
