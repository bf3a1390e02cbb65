// SPDX-License-Identifier: GPL-2.0
/* nslife trace: one line (or JSON object) per namespace lifecycle event */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "dedup.h"
#include "event.h"
#include "filter.h"
#include "format.h"
#include "loader.h"
#include "traceopts.h"

static volatile sig_atomic_t exiting;

struct trace {
	struct trace_opts o;
	struct nsl_dedup freed;
	unsigned long long seen, bad;
};

static void on_signal(int sig)
{
	exiting = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: nslife trace [options]\n"
"Print namespace lifecycle events as they happen.\n\n"
TRACE_OPTS_HELP
"  -h, --help              this text\n");
}

/* frees are reported once; several signals can see the same death */
static int on_record(void *ctx, const void *rec, size_t len)
{
	struct trace *tr = ctx;
	const struct nsl_event *e = rec;

	if (nsl_event_check(rec, len) < 0) {
		tr->bad++;
		return 0;
	}
	if (e->h.kind == NSL_EV_FREE && !nsl_dedup_add(&tr->freed, e->ns.id))
		return 0;
	if (e->h.kind == NSL_EV_LOST)
		fprintf(stderr, "nslife: %llu events lost (ring buffer full)\n",
			(unsigned long long)e->val);
	if (!nsl_filter_match(&tr->o.filter, e))
		return 0;
	tr->seen++;
	nsl_fmt_event(stdout, &tr->o.fmt, e);
	return 0;
}

static int parse_opts(int argc, char **argv, struct trace_opts *o)
{
	static const struct option longopts[] = {
		TRACE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, TRACE_SHORTOPTS "h", longopts, NULL)) != -1) {
		r = trace_opt(o, c, optarg);
		if (r < 0)
			return r;
		if (r)
			continue;
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		fprintf(stderr, "nslife: bad option '%s' (try 'nslife trace --help')\n",
			argv[optind - 1]);
		return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "nslife: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	struct nsl_tracer *t = NULL;
	struct trace *tr;
	int err;

	tr = calloc(1, sizeof(*tr));
	if (!tr)
		return 1;
	nsl_dedup_init(&tr->freed);
	if (parse_opts(argc, argv, &tr->o)) {
		free(tr);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);

	err = nsl_tracer_open(&t, &tr->o.tracer, on_record, tr);
	if (err)
		goto cleanup;
	if (tr->o.tracer.verbose)
		nsl_tracer_describe(t, stderr);
	nsl_fmt_clock_init(&tr->o.fmt);
	nsl_fmt_header(stdout, &tr->o.fmt);
	/* tests and scripts wait for this line before they start their workload */
	fprintf(stderr, "nslife: tracing (%s mode), Ctrl-C to stop\n",
		nsl_mode_name(nsl_tracer_mode(t)));
	while (!exiting) {
		err = nsl_tracer_poll(t, 100);
		if (err < 0) {
			fprintf(stderr, "nslife: ring buffer poll failed: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}
	fflush(stdout);
	fprintf(stderr, "nslife: %llu events, %llu lost\n", tr->seen,
		(unsigned long long)nsl_tracer_lost(t));
cleanup:
	nsl_tracer_close(t);
	free(tr);
	return err ? 1 : 0;
}

int cmd_features(int argc, char **argv)
{
	struct nsl_tracer *t = NULL;
	struct trace *tr = calloc(1, sizeof(*tr));

	if (!tr || parse_opts(argc, argv, &tr->o)) {
		free(tr);
		return 2;
	}
	if (nsl_tracer_open(&t, &tr->o.tracer, on_record, tr)) {
		free(tr);
		return 1;
	}
	nsl_tracer_describe(t, stdout);
	nsl_tracer_close(t);
	free(tr);
	return 0;
}
