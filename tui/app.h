/*
 * app: the entry points into the screens (the list, or the launch view
 * alone), and the dispatcher between screens.
 */
#ifndef VMTUI_APP_H
#define VMTUI_APP_H

#include <stdio.h>

int	app_run(const char *);
int	app_launch(const char *, const char *, int);
void	app_keys(FILE *);

#endif
