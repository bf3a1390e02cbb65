// SPDX-License-Identifier: GPL-2.0
/* nslife trace: one line (or JSON object) per namespace lifecycle event */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector.h"
#include "commands.h"
#include "format.h"
#include "linger.h"
#include "owners.h"
#include "traceopts.h"

static volatile sig_atomic_t exiting;
/*
 * stdout's buffer.  Ours: given none, glibc ignores the size asked for and
 * takes st_blksize (4 KiB for /dev/null and pipes), which made ~500
 * writes per 2,000-round churn instead of one per pass.
 */
static char outbuf[1 << 16];

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
"      --container NAME|ID only events of this container's tasks, or about\n"
"                          namespaces it created\n"
"      --unit UNIT         the same for a systemd unit\n"
"  -h, --help              this text\n");
}

/* features takes trace's options; only these two change what it prints */
static void usage_features(FILE *f)
{
	fprintf(f,
"usage: nslife features [--mode MODE] [-v]\n"
"Print the attach strategy this kernel allows and every hook.\n\n"
"      --mode MODE         try this strategy: auto (default), precise, tracepoint\n"
"  -v, --verbose           also libbpf's messages\n"
"  -h, --help              this text\n");
}

struct holders {
	const struct snap *s;
	int idx;
};

static void print_holders(FILE *out, bool json, void *ctx)
{
	struct holders *h = ctx;

	linger_print_holders(out, json, h->s, h->idx);
}

struct trace {
	struct collector c;
	struct trace_opts o;
};

static struct owner_filter of;

/*
 * An event is the container's (or unit's) when its task is in it now, or
 * when it is about a namespace the container created (a free, a linger:
 * those come from other tasks, often after the container is gone).
 */
static bool owned(struct collector *c, const struct nsl_event *e)
{
	const struct nsm_ns *n = e->ns.id ? nsm_find(&c->map, e->ns.id) : NULL;
	bool ok;

	if (n && n->creator_owner && owner_filter_match(&of, n->creator_owner))
		return true;
	if (!c->owners)
		c->owners = owners_new();
	ok = owner_filter_match(&of, owners_read_pid(c->owners, e->h.pid));
	if (e->h.kind == NSL_EV_LEAVE && e->h.how == NSL_HOW_EXIT && e->h.pid == e->h.tid)
		owners_forget_pid(c->owners, e->h.pid);
	return ok;
}

static void print(void *ctx, const struct nsl_event *e, const struct snap *s, int idx)
{
	struct trace *t = ctx;
	struct holders h = { s, idx };

	if (owner_filter_set(&of) && !owned(&t->c, e))
		return;

	nsl_fmt_event_ext(stdout, &t->o.fmt, e, s ? print_holders : NULL, &h);
}

#define TRACE_OPT_CONTAINER	0x1200
#define TRACE_OPT_UNIT		0x1201

static int trace_one(void *ctx, int c, const char *arg)
{
	if (c == TRACE_OPT_CONTAINER) {
		of.container = arg;
		return 1;
	}
	if (c == TRACE_OPT_UNIT) {
		of.unit = arg;
		return 1;
	}
	return trace_opt(&((struct trace *)ctx)->o, c, arg);
}

static int parse_opts(int argc, char **argv, struct trace *t,
		      const char *cmd, void (*help)(FILE *f))
{
	static const struct option longopts[] = {
		TRACE_LONGOPTS,
		{ "container", required_argument, NULL, TRACE_OPT_CONTAINER },
		{ "unit", required_argument, NULL, TRACE_OPT_UNIT },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int err = cmd_getopt(argc, argv, cmd, TRACE_SHORTOPTS "h", longopts,
			     trace_one, t, help);

	if (!err)
		t->c.o = t->o.col;
	return err;
}

int cmd_trace(int argc, char **argv)
{
	struct trace *t = calloc(1, sizeof(*t));
	struct collector *c;
	int err;

	if (!t)
		return 1;
	if (parse_opts(argc, argv, t, "trace", usage)) {
		free(t);
		return 2;
	}
	c = &t->c;
	c->sink = print;
	c->sink_ctx = t;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, on_signal);
	/* a write per batch of records, not per line: flushed after each pass */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

	err = collector_open(c);
	if (err)
		goto cleanup;
	nsl_fmt_clock_init(&t->o.fmt);
	nsl_fmt_header(stdout, &t->o.fmt);
	fflush(stdout);
	/* tests and scripts wait for this line before they start their workload */
	fprintf(stderr, "nslife: tracing (%s mode), Ctrl-C to stop\n",
		nsl_mode_name(nsl_tracer_mode(c->t)));
	while (!exiting && (err = collector_poll(c, 100)) == 0)
		fflush(stdout);
	fflush(stdout);
	if (c->t)
		nsl_tracer_report_misses(c->t, stderr);
	if (c->reused)
		fprintf(stderr, "nslife: %llu frees inferred from a reused inum\n",
			c->reused);
	fprintf(stderr, "nslife: %llu events, %llu lost\n", c->seen,
		(unsigned long long)collector_lost(c));
cleanup:
	collector_close(c);
	free(t);
	return err ? 1 : 0;
}

/* the attach strategy and hooks this kernel allows, as trace would use them */
int cmd_features(int argc, char **argv)
{
	struct trace *t = calloc(1, sizeof(*t));
	struct nsl_tracer *tr;

	if (!t || parse_opts(argc, argv, t, "features", usage_features)) {
		free(t);
		return 2;
	}
	if (nsl_tracer_open(&tr, &t->o.col.tracer, NULL, NULL)) {
		free(t);
		return 1;
	}
	nsl_tracer_describe(tr, stdout);
	nsl_tracer_close(tr);
	free(t);
	return 0;
}
