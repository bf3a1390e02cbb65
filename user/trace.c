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

static volatile sig_atomic_t exiting;

struct trace {
	struct nsl_fmt fmt;
	struct nsl_filter filter;
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
"  -t, --type TYPE[,TYPE]  only these types: mnt net uts ipc pid user cgroup time\n"
"  -p, --pid PID           only events caused by or about this task\n"
"      --id ID             only this namespace id\n"
"  -J, --json              JSON Lines, one object per event (schema: README)\n"
"  -T, --relative          seconds since start instead of wall-clock time\n"
"      --mode MODE         attach strategy: auto (default), precise, tracepoint\n"
"  -v, --verbose           print the strategy, hooks and libbpf's messages\n"
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
	if (!nsl_filter_match(&tr->filter, e))
		return 0;
	tr->seen++;
	nsl_fmt_event(stdout, &tr->fmt, e);
	return 0;
}

/* shared by trace, record and daemon: the options that pick events */
static int parse_opts(int argc, char **argv, struct trace *tr,
		      struct nsl_tracer_opts *o)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "pid", required_argument, NULL, 'p' },
		{ "id", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'J' },
		{ "relative", no_argument, NULL, 'T' },
		{ "mode", required_argument, NULL, 'm' },
		{ "poll-ms", required_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *bad;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "t:p:JTvh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (nsl_filter_types(&tr->filter, optarg, &bad)) {
				fprintf(stderr, "nslife: unknown namespace type in '%s'\n", bad);
				return -EINVAL;
			}
			break;
		case 'p':
			if (nsl_filter_pid(&tr->filter, optarg)) {
				fprintf(stderr, "nslife: invalid pid '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'i':
			if (nsl_filter_id(&tr->filter, optarg)) {
				fprintf(stderr, "nslife: invalid id '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'J':
			tr->fmt.json = true;
			break;
		case 'T':
			tr->fmt.relative = true;
			break;
		case 'm':
			if (nsl_mode_parse(optarg, &o->mode)) {
				fprintf(stderr, "nslife: unknown mode '%s' (auto, precise, tracepoint)\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'P':
			o->poll_ms = atoi(optarg);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "nslife: bad option '%s' (try 'nslife trace --help')\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nslife: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	struct nsl_tracer_opts o = {};
	struct nsl_tracer *t = NULL;
	struct trace *tr;
	int err;

	tr = calloc(1, sizeof(*tr));
	if (!tr)
		return 1;
	nsl_dedup_init(&tr->freed);
	if (parse_opts(argc, argv, tr, &o)) {
		free(tr);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);

	err = nsl_tracer_open(&t, &o, on_record, tr);
	if (err)
		goto cleanup;
	if (o.verbose)
		nsl_tracer_describe(t, stderr);
	nsl_fmt_clock_init(&tr->fmt);
	nsl_fmt_header(stdout, &tr->fmt);
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
	struct nsl_tracer_opts o = {};
	struct nsl_tracer *t = NULL;
	struct trace tr = {};

	if (argc > 1 && !strcmp(argv[1], "--verbose"))
		o.verbose = true;
	if (nsl_tracer_open(&t, &o, on_record, &tr))
		return 1;
	nsl_tracer_describe(t, stdout);
	nsl_tracer_close(t);
	return 0;
}
