// SPDX-License-Identifier: GPL-2.0
/*
 * Commands not built yet.  Each one moves to its own file when it is real;
 * until then it says so plainly instead of pretending.
 */
#include <stdio.h>
#include "commands.h"

#define NOT_YET(fn, name)						\
int fn(int argc, char **argv)						\
{									\
	fprintf(stderr, "nslife: '%s' is not implemented yet\n", name);	\
	return 2;							\
}

