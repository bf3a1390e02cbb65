// SPDX-License-Identifier: GPL-2.0
/* nslife: why is this namespace still alive? */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "commands.h"
#include "dmetrics.h"
#include "inspect.h"
#include "version.h"

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
	fprintf(f, "\noptions:\n"
		   "  -V, --version  print the version\n"
		   "  -h, --help     this text\n"
		   "\n'nslife COMMAND --help' describes each; man nslife, all.\n");
}

/*
 * One-shot scans (ls, why) allocate a few MB once: libbpf reads and
 * indexes the 5 MB vmlinux BTF for the inspect object.  In 4 KiB pages
 * that is ~3000 page faults, which cost ~25 us each on a VM: most of a
 * short ls.  Keep large blocks on the heap, grow it 32 MB at a time and
 * ask for transparent huge pages there: ~200 faults (measured on 6.18,
 * 80 ms -> 30 ms for ls on a quiet host).  Not for the long-running
 * commands, whose RSS should follow what they hold.
 */
static void heap_hugepages(void)
{
	uintptr_t lo, hi, huge = 2UL << 20;
	void *volatile p;	/* volatile: a malloc+free pair is otherwise elided */
	char *start;

	mallopt(M_ARENA_MAX, 1);	/* the BPF load runs in a thread: same heap */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);	/* glibc's maximum */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 32 << 20);
	start = sbrk(0);
	/* more than the heap's top has now: it grows by the pad at once */
	p = malloc(1 << 20);
	free((void *)p);
	lo = ((uintptr_t)start + huge - 1) & ~(huge - 1);
	hi = (uintptr_t)sbrk(0) & ~(huge - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

int main(int argc, char **argv)
{
	dmetrics_version = NSLIFE_VERSION;	/* nslife_build_info */
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version") ||
	    !strcmp(argv[1], "version")) {
		printf("nslife %s\n", NSLIFE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "ls") || !strcmp(argv[1], "why"))
		heap_hugepages();
	/* scans ask BPF what /proc cannot tell, where root allows */
	nsl_inspect_enable();
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "nslife: unknown command '%s' (try 'nslife --help')\n", argv[1]);
	return 2;
}
