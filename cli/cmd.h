/*
 * cmd: the command line as data, as tmux's cmd_entry. Each form of vmtui's
 * command line (an action such as --launch, with the arguments and the
 * options it takes) is one entry of cmd_table[], each option one entry of
 * cmd_options[]; parsing, the checks of what goes with what, `--help` and
 * the synopsis all read the two tables.
 */
#ifndef VMTUI_CMD_H
#define VMTUI_CMD_H

#include <stdbool.h>
#include <stdio.h>

/* The options that go with an action, as bits of cmd_args.given. */
#define CMD_O_OUTPUT	0x0001
#define CMD_O_FORCE	0x0002
#define CMD_O_NO_TUI	0x0004
#define CMD_O_DETACH	0x0008
#define CMD_O_TIMEOUT	0x0010
#define CMD_O_CONNECT	0x0020
#define CMD_O_POOL	0x0040
#define CMD_O_LOSSY	0x0080
#define CMD_O_NO_LAUNCH	0x0100
#define CMD_O_FULL	0x0200
#define CMD_O_THEME	0x0400
#define CMD_O_ALLOW_QEMU_ARGS 0x0800
#define CMD_O_ALLOW_HOST_FILES 0x1000
#define CMD_O_REMOVE	0x2000

/* What an action is run with. */
struct cmd_args {
	const char	 *arg;		/* the action option's own argument */
	int		  argc;		/* the arguments after the options */
	char		**argv;
	unsigned	  given;	/* CMD_O_* options given */
	const char	 *output;	/* -o FILE */
	const char	 *theme;	/* --theme NAME */
	const char	 *connect;	/* --connect URI */
	const char	 *pool;		/* --pool NAME */
	long		  timeout;	/* --timeout S (30 when not given) */
};

int	cmd_main(int, char **);
void	cmd_usage(FILE *);
void	cmd_synopsis(FILE *);

#endif
