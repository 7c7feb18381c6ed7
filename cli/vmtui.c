/*
 * vmtui: the program's entry point. The command line is a table
 * (cmd.c): parsing it, checking it and running the action it names.
 */
#include "config.h"

#include "cmd.h"

int
main(int argc, char **argv)
{
	return cmd_main(argc, argv);
}
