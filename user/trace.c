// SPDX-License-Identifier: GPL-2.0
/* nslife trace: one line (or JSON object) per namespace lifecycle event */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "commands.h"
#include "dedup.h"
#include "event.h"
#include "filter.h"
#include "format.h"
#include "linger.h"
#include "loader.h"
#include "traceopts.h"

static volatile sig_atomic_t exiting;

struct trace {
	struct trace_opts o;
	struct nsl_dedup freed;
	struct nsm map;		/* history, pins and lingering checks */
	__u64 grace;
	bool resync;		/* records were lost: rescan before trusting the map */
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
"      --grace SEC         flag a namespace lingering when it outlives its\n"
"                          last member task by SEC seconds (default 2)\n"
"  -h, --help              this text\n");
}

static void print(struct trace *tr, const struct nsl_event *e,
		  nsl_fmt_extra_fn extra, void *ctx)
{
	if (!nsl_filter_match(&tr->o.filter, e))
		return;
	tr->seen++;
	nsl_fmt_event_ext(stdout, &tr->o.fmt, e, extra, ctx);
}

struct linger_print {
	const struct snap *s;
	int idx;
};

static void print_holders(FILE *out, bool json, void *ctx)
{
	struct linger_print *lp = ctx;

	linger_print_holders(out, json, lp->s, lp->idx);
}

static void on_linger(void *ctx, struct nsl_event *e, const struct snap *s, int idx)
{
	struct linger_print lp = { s, idx };

	print(ctx, e, print_holders, &lp);
}

/* a lingering namespace that gained a member or died: say so first */
static void print_unlinger(struct trace *tr, const struct nsl_event *e)
{
	struct nsl_event u = *e;

	u.h.kind = NSL_EV_UNLINGER;
	u.h.size = sizeof(u);
	memset(&u.aux, 0, sizeof(u.aux));
	print(tr, &u, NULL, NULL);
}

/* frees are reported once; several signals can see the same death */
static int on_record(void *ctx, const void *rec, size_t len)
{
	struct trace *tr = ctx;
	struct nsl_mount_event buf;
	struct nsl_event *e = &buf.e;
	int r;

	r = nsl_event_check(rec, len);
	if (r < 0) {
		tr->bad++;
		return 0;
	}
	/* a copy: the map fills in the namespace an umount released */
	memcpy(&buf, rec, r);
	if (e->h.kind == NSL_EV_FREE && !nsl_dedup_add(&tr->freed, e->ns.id))
		return 0;
	r = nsm_apply(&tr->map, e);
	if (r > 0 && (r & NSM_UNLINGER))
		print_unlinger(tr, e);
	if (e->h.kind == NSL_EV_LOST) {
		fprintf(stderr, "nslife: %llu events lost (ring buffer full), resyncing\n",
			(unsigned long long)e->val);
		tr->resync = true;
	}
	print(tr, e, NULL, NULL);
	return 0;
}

#define OPT_GRACE 0x2000

static int parse_opts(int argc, char **argv, struct trace_opts *o, __u64 *grace)
{
	static const struct option longopts[] = {
		TRACE_LONGOPTS,
		{ "grace", required_argument, NULL, OPT_GRACE },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char *end;
	double sec;
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
		if (c == OPT_GRACE) {
			sec = strtod(optarg, &end);
			if (*end || end == optarg || sec < 0 || sec > 86400) {
				fprintf(stderr, "nslife: invalid grace '%s' (seconds)\n", optarg);
				return -EINVAL;
			}
			*grace = sec * 1e9;
			continue;
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

static __u64 boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool snap_alive(void *ctx, const struct nsl_ns *key)
{
	return snap_find(ctx, key->type, key->inum, key->id) >= 0;
}

static void on_scan_free(void *ctx, struct nsl_event *e)
{
	struct trace *tr = ctx;

	if (nsl_dedup_add(&tr->freed, e->ns.id))
		print(tr, e, NULL, NULL);
}

/*
 * Lost records: what died unseen is found by a rescan (a free, how: scan),
 * what was born unseen is seeded.  The scan opens every namespace, which
 * also teaches the BPF side their addresses again.
 */
static void resync(struct trace *tr)
{
	struct snap s = {};

	tr->resync = false;
	if (snap_scan(&s, SNAP_NO_SOCKETS) == 0) {
		nsm_reconcile(&tr->map, boot_ns(), snap_alive, on_scan_free, tr);
		linger_seed(&tr->map, &s);
	}
	snap_release(&s);
}

/* what existed before nslife: namespaces and their mount pins */
static int seed_map(struct trace *tr)
{
	struct snap s = {};
	int err = snap_scan(&s, SNAP_NO_SOCKETS);

	if (!err)
		err = linger_seed(&tr->map, &s);
	snap_release(&s);
	if (err)
		fprintf(stderr, "nslife: initial scan failed: %s\n", strerror(-err));
	return err;
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
	tr->grace = 2000000000ULL;
	if (parse_opts(argc, argv, &tr->o, &tr->grace) || nsm_init(&tr->map, tr->grace)) {
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
	err = seed_map(tr);
	if (err)
		goto cleanup;
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
		if (tr->resync)
			resync(tr);
		err = linger_check(&tr->map, boot_ns(), on_linger, tr);
		if (err < 0)
			fprintf(stderr, "nslife: rescan failed: %s\n", strerror(-err));
		err = 0;
	}
	fflush(stdout);
	fprintf(stderr, "nslife: %llu events, %llu lost\n", tr->seen,
		(unsigned long long)nsl_tracer_lost(t));
cleanup:
	nsl_tracer_close(t);
	nsm_free(&tr->map);
	free(tr);
	return err ? 1 : 0;
}

int cmd_features(int argc, char **argv)
{
	struct nsl_tracer *t = NULL;
	struct trace *tr = calloc(1, sizeof(*tr));

	if (!tr || parse_opts(argc, argv, &tr->o, &tr->grace) ||
	    nsm_init(&tr->map, tr->grace)) {
		free(tr);
		return 2;
	}
	if (nsl_tracer_open(&t, &tr->o.tracer, on_record, tr)) {
		free(tr);
		return 1;
	}
	nsl_tracer_describe(t, stdout);
	nsl_tracer_close(t);
	nsm_free(&tr->map);
	free(tr);
	return 0;
}
