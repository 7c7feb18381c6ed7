/*
 * vmtui: the program's entry point. Parses the command line and hands over
 * to the action it names.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_CHECK = 256,
	OPT_PRINT_SCRIPT,
	OPT_WRITE_SCRIPT,
	OPT_LIST,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option vmtui_options[] = {
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "print-script", required_argument, NULL, OPT_PRINT_SCRIPT },
	{ "write-script", required_argument, NULL, OPT_WRITE_SCRIPT },
	{ "output", required_argument, NULL, 'o' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
vmtui_usage(FILE *f)
{
	fprintf(f,
	    "usage: vmtui --check PROFILE\n"
	    "       vmtui --print-script PROFILE\n"
	    "       vmtui --write-script PROFILE [-o FILE]\n"
	    "       vmtui --list\n"
	    "       vmtui --help | --version\n"
	    "\n"
	    "vmtui keeps QEMU virtual machines as profiles and turns a profile\n"
	    "into a standalone launch script.\n"
	    "\n"
	    "  --check PROFILE         validate a profile; report every problem\n"
	    "                          as FILE:LINE: what is wrong\n"
	    "  --print-script PROFILE  print the profile's launch script\n"
	    "  --write-script PROFILE  write it (mode 0755) to run-NAME-vm, or\n"
	    "  -o, --output FILE       to FILE\n"
	    "  --list                  list the profiles (name, memory, cores,\n"
	    "                          boot mode); broken ones with their error\n"
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
	const char	*profile = NULL, *output = NULL;
	int		 action = 0, c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", vmtui_options, NULL)) != -1) {
		switch (c) {
		case OPT_CHECK:
		case OPT_PRINT_SCRIPT:
		case OPT_WRITE_SCRIPT:
			profile = optarg;
			/* FALLTHROUGH */
		case OPT_LIST:
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
	if (optind < argc) {
		fprintf(stderr, "vmtui: unexpected argument \"%s\"\n"
		    "Try \"vmtui --help\".\n", argv[optind]);
		return CLI_USAGE;
	}
	if (output != NULL && action != OPT_WRITE_SCRIPT) {
		fprintf(stderr, "vmtui: -o goes with --write-script\n");
		return CLI_USAGE;
	}

	switch (action) {
	case OPT_CHECK:
		return cli_check(profile);
	case OPT_PRINT_SCRIPT:
		return cli_print_script(profile);
	case OPT_WRITE_SCRIPT:
		return cli_write_script(profile, output);
	case OPT_LIST:
		return cli_list();
	case OPT_HELP:
		vmtui_usage(stdout);
		return CLI_OK;
	case OPT_VERSION:
		printf("vmtui %s\n", PACKAGE_VERSION);
		return CLI_OK;
	default:
		fprintf(stderr, "vmtui: the interactive screens are not "
		    "built yet; use the command line.\n\n");
		vmtui_usage(stderr);
		return CLI_USAGE;
	}
}
