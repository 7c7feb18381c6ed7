/*
 * cli: the command-line actions (--check, --print-script, --write-script,
 * --list, --launch, --attach, --stop, --snapshot, --export, --define). Each returns the process exit
 * status: 0 success, 2 a usage error or an invalid profile, 1 any other
 * failure (--launch without --detach: QEMU's own status).
 */
#ifndef VMTUI_CLI_H
#define VMTUI_CLI_H

#include <stdbool.h>

#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2
#define CLI_READY_MS	60000	/* --detach waits this long for QMP */

struct profile;

int	cli_load(const char *, struct profile **);
int	cli_check(const char *);
int	cli_print_script(const char *);
int	cli_print_profile(const char *, int);
int	cli_write_script(const char *, const char *, int);
int	cli_list(void);
int	cli_launch(const char *, int, long);
int	cli_view(const char *, const char *, int);
int	cli_attach(const char *);
int	cli_stop(const char *, int, int);
int	cli_snapshot(const char *, int, char **, int);
int	cli_export(const char *, const char *, const char *, int);
int	cli_define(const char *, const char *, const char *, int);
int	cli_import(const char *, const char *, const char *, int, int, int);
bool	cli_can_ask(void);
bool	cli_ask(const char *);

#endif
