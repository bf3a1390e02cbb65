/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options that pick and print events, shared by trace, record, replay
 * and daemon: -t -p --id -J -T --mode -v.  Each command runs its own
 * getopt loop with TRACE_SHORTOPTS and TRACE_LONGOPTS plus its own, and
 * hands every option to trace_opt() first.
 */
#ifndef NSL_TRACEOPTS_H
#define NSL_TRACEOPTS_H

#include <getopt.h>
#include "collector.h"
#include "format.h"
#include "logwriter.h"

/* col goes to the collector; fmt is for the commands that print */
struct trace_opts {
	struct collector_opts col;
	struct nsl_fmt fmt;
};

#define TRACE_OPT_ID	0x1000
#define TRACE_OPT_MODE	0x1001
#define TRACE_OPT_POLL	0x1002
#define TRACE_OPT_GRACE	0x1003

#define TRACE_SHORTOPTS "t:p:JTv"
#define TRACE_LONGOPTS							\
	{ "type", required_argument, NULL, 't' },			\
	{ "pid", required_argument, NULL, 'p' },			\
	{ "id", required_argument, NULL, TRACE_OPT_ID },		\
	{ "json", no_argument, NULL, 'J' },				\
	{ "relative", no_argument, NULL, 'T' },				\
	{ "mode", required_argument, NULL, TRACE_OPT_MODE },		\
	{ "poll-ms", required_argument, NULL, TRACE_OPT_POLL },		\
	{ "verbose", no_argument, NULL, 'v' },				\
	{ "grace", required_argument, NULL, TRACE_OPT_GRACE }

#define TRACE_OPTS_HELP							\
"  -t, --type TYPE[,TYPE]  only these types: mnt net uts ipc pid user cgroup time\n" \
"  -p, --pid PID           only events caused by or about this task\n"	\
"      --id ID             only this namespace id\n"			\
"  -J, --json              JSON Lines, one object per event (schema: docs/json.md)\n" \
"  -T, --relative          seconds since start instead of wall-clock time\n" \
"      --mode MODE         attach strategy: auto (default), precise, tracepoint\n" \
"  -v, --verbose           print the strategy, hooks and libbpf's messages\n" \
"      --grace SEC         flag a namespace lingering when it outlives its\n" \
"                          last member task by SEC seconds (default 2)\n"

/*
 * 1: c was one of ours and is applied; 0: not ours; -EINVAL: bad value
 * (one line already printed on stderr).
 */
int trace_opt(struct trace_opts *o, int c, const char *arg);

/*
 * The getopt loop of trace, record and daemon: each option goes to opt()
 * (1: taken, 0: not ours, -EINVAL: bad, already said); -h prints usage and
 * exits; anything else, and any argument left over, is one line and
 * -EINVAL.
 */
int cmd_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
	       const struct option *longopts,
	       int (*opt)(void *ctx, int c, const char *arg), void *ctx,
	       void (*usage)(FILE *f));
/* the same, leaving the arguments from optind on to the caller (replay) */
int cmd_getopt_args(int argc, char **argv, const char *cmd, const char *shortopts,
		    const struct option *longopts,
		    int (*opt)(void *ctx, int c, const char *arg), void *ctx,
		    void (*usage)(FILE *f));

/* where record and daemon write their log: -o FILE --force --max-size --keep */
struct log_out {
	const char *path;
	struct nsl_log_opts lo;
};

#define LOGOUT_OPT_FORCE	0x1100
#define LOGOUT_OPT_MAX_SIZE	0x1101
#define LOGOUT_OPT_KEEP		0x1102

#define LOGOUT_SHORTOPTS "o:"
#define LOGOUT_LONGOPTS							\
	{ "output", required_argument, NULL, 'o' },			\
	{ "force", no_argument, NULL, LOGOUT_OPT_FORCE },		\
	{ "max-size", required_argument, NULL, LOGOUT_OPT_MAX_SIZE },	\
	{ "keep", required_argument, NULL, LOGOUT_OPT_KEEP }

#define LOGOUT_OPTS_HELP						\
"  -o, --output FILE       write the log here (created mode 0600)\n"	\
"      --force             replace FILE if it exists\n"		\
"      --max-size SIZE     rotate past SIZE bytes (K, M, G suffixes)\n"	\
"      --keep N            keep N files on rotation: FILE, FILE.1 ...\n"

/* as trace_opt; logout_check() once all options are in */
int logout_opt(struct log_out *l, int c, const char *arg);
int logout_check(const struct log_out *l);

#endif
