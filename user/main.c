// SPDX-License-Identifier: GPL-2.0
/* nslife: why is this namespace still alive? */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "inspect.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
	{ "trace",    cmd_trace,    "live trace of namespace lifecycle events" },
	{ "ls",       cmd_ls,       "list every namespace and what holds it" },
	{ "why",      cmd_why,      "explain why a namespace is still alive" },
	{ "record",   cmd_record,   "record lifecycle events to a log" },
	{ "replay",   cmd_replay,   "print the events of recorded logs" },
	{ "timeline", cmd_timeline, "the whole life of one namespace" },
	{ "daemon",   cmd_daemon,   "tracer, live map and query socket" },
	{ "features", cmd_features, "attach strategy and hooks this kernel allows" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: nslife COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'nslife COMMAND --help' describes each.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	/* scans ask BPF what /proc cannot tell, where root allows */
	nsl_inspect_enable();
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "nslife: unknown command '%s' (try 'nslife --help')\n", argv[1]);
	return 2;
}
