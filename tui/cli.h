/*
 * cli: the command-line actions (--check, --print-script, --write-script,
 * --list, --launch, --stop). Each returns the process exit status: 0 success, 2 a usage
 * error or an invalid profile, 1 any other failure.
 */
#ifndef VMTUI_CLI_H
#define VMTUI_CLI_H

#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

int	cli_check(const char *);
int	cli_print_script(const char *);
int	cli_write_script(const char *, const char *, int);
int	cli_list(void);
int	cli_launch(const char *);
int	cli_stop(const char *, int, int);

#endif
