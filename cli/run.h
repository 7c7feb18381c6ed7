/*
 * run: a running machine's console on this terminal, without the screens:
 * a session attached to it (core/session.c), the escape key's commands
 * that make sense on a bare terminal.
 */
#ifndef VMTUI_RUN_H
#define VMTUI_RUN_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct profile;

int	run_console(const struct profile *, pid_t, int *, char **);
bool	run_obeys(int);
void	run_say(const char *, ...) __attribute__((format(printf, 1, 2)));
void	run_hint(const char *, ...) __attribute__((format(printf, 1, 2)));
void	run_keys_print(FILE *);

#endif
