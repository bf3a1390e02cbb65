// SPDX-License-Identifier: GPL-2.0
/*
 * nslife record: the initial snapshot, then every lifecycle event, into a
 * crash-safe log (logfmt.h).  What trace would print is what gets
 * recorded: the same collector (validation, one free per death, umounts
 * attributed, lingering, resync after losses) and the same filters, so
 * `nslife replay --json` reproduces `nslife trace --json`.  The
 * recorder's own looks (its opens, its scan children's setns) are left
 * out in BPF, by tgid (bpf/nslife.bpf.c: self_tgids).
 *
 * Durability: the log is flushed (block written, then fdatasync) at least
 * once a second and on SIGINT/SIGTERM; a kill -9 loses at most the last
 * second.  The first write error (a full disk, say) ends the recording:
 * the writer has already cut the file back to its last good block, so
 * everything flushed before stays readable.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "collector.h"
#include "commands.h"
#include "format.h"
#include "logwriter.h"
#include "scan.h"
#include "recorder.h"
#include "snapio.h"
#include "traceopts.h"

#define POLL_MS		100

static volatile sig_atomic_t exiting;

struct record {
	struct collector c;
	struct trace_opts o;		/* c.o is o.col once parsed */
	struct log_out out;
	struct recorder rec;
	bool poll_failed;		/* said so already */
};

static void on_signal(int sig)
{
	exiting = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: nslife record -o FILE [options]\n"
"Record the namespaces that exist now, then every lifecycle event, into a\n"
"compressed, crash-safe log for 'nslife replay' (flushed every second).\n\n"
"  -o, --output FILE       the log to write (created mode 0600)\n"
"      --force             replace FILE if it exists\n"
"      --max-size SIZE     rotate once FILE would pass SIZE bytes (K, M, G)\n"
"      --keep N            files kept on rotation: FILE, FILE.1 .. FILE.N-1\n"
"                          (default 1: the old FILE is dropped)\n"
"  -t, --type TYPE[,TYPE]  only these types: mnt net uts ipc pid user cgroup time\n"
"  -p, --pid PID           only events caused by or about this task\n"
"      --id ID             only this namespace id\n"
"      --grace SEC         record a namespace lingering when it outlives its\n"
"                          last member task by SEC seconds (default 2)\n"
"      --mode MODE         attach strategy: auto (default), precise, tracepoint\n"
"  -v, --verbose           print the strategy, hooks and libbpf's messages\n"
"  -h, --help              this text\n");
}

/* options of record itself; 1 if c was one, -EINVAL on a bad value */
static int record_opt(struct record *r, int c, const char *arg)
{
	switch (c) {
	case 'J': case 'T':
		/* shared with trace, but there is nothing to print here */
		fprintf(stderr, "nslife: record writes no text; give -%c to 'nslife replay'\n",
			c);
		return -EINVAL;
	}
	return 0;
}

static int check_opts(struct record *r)
{
	if (!r->out.path) {
		fprintf(stderr, "nslife: record needs -o FILE (try 'nslife record --help')\n");
		return -EINVAL;
	}
	return logout_check(&r->out);
}

static int record_one(void *ctx, int c, const char *arg)
{
	struct record *r = ctx;
	int err = record_opt(r, c, arg);

	if (!err)
		err = logout_opt(&r->out, c, arg);
	if (!err)
		err = trace_opt(&r->o, c, arg);
	return err;
}

static int parse_opts(int argc, char **argv, struct record *r)
{
	static const struct option longopts[] = {
		TRACE_LONGOPTS,
		LOGOUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int err = cmd_getopt(argc, argv, "record", TRACE_SHORTOPTS LOGOUT_SHORTOPTS "h",
			     longopts, record_one, r, usage);

	if (err)
		return err;
	r->c.o = r->o.col;
	return check_opts(r);
}

/* the collector's sink: every event that passed the filters */
static void on_event(void *ctx, const struct nsl_event *e, const struct snap *s,
		     int idx)
{
	struct record *r = ctx;

	recorder_event(&r->rec, e, r->c.ev_owner);
}

static void run(struct record *r)
{
	while (!exiting && !r->rec.err) {
		/* the collector has said why already */
		if (collector_poll(&r->c, POLL_MS) < 0) {
			r->poll_failed = true;
			return;
		}
		recorder_flush(&r->rec, false);
	}
}

/* 0: recorded and closed cleanly */
static int finish(struct record *r)
{
	int err = recorder_close(&r->rec);

	/* one line per failure: close retrying a failed write says nothing new */
	if (r->rec.err)
		fprintf(stderr, "nslife: %s: %s\n", r->out.path, nsl_log_strerror(r->rec.err));
	else if (err)
		fprintf(stderr, "nslife: %s: %s\n", r->out.path, nsl_log_strerror(err));
	fprintf(stderr, "nslife: %s: %llu events, %llu lost\n", r->out.path, r->c.seen,
		(unsigned long long)collector_lost(&r->c));
	return r->rec.err || r->poll_failed || err;
}

int cmd_record(int argc, char **argv)
{
	struct record *r;
	struct stat st;
	int rc = 1;

	r = calloc(1, sizeof(*r));
	if (!r)
		return 1;
	if (parse_opts(argc, argv, r)) {
		free(r);
		return 2;
	}
	/* fail before the slow BPF load; create() checks again, atomically */
	if (!r->out.lo.force && !lstat(r->out.path, &st)) {
		recorder_create_error(r->out.path, -EEXIST);
		goto cleanup;
	}
	r->c.sink = on_event;
	r->c.sink_ctx = r;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	if (collector_open(&r->c))
		goto cleanup;
	if (recorder_open(&r->rec, r->out.path, &r->out.lo, r->c.t))
		goto cleanup;
	if (!r->rec.err) {
		/* tests and scripts wait for this line before their workload */
		fprintf(stderr, "nslife: recording to %s (%s mode), Ctrl-C to stop\n",
			r->out.path, nsl_mode_name(nsl_tracer_mode(r->c.t)));
		run(r);
	}
	rc = finish(r);
cleanup:
	collector_close(&r->c);
	free(r);
	return rc ? 1 : 0;
}
