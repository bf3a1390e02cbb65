/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's Prometheus metrics: counters and histograms fed by events
 * and queries, gauges taken from the live map, and their text in the
 * exposition format (0.0.4).  Pure logic: no libbpf, no HTTP; the daemon
 * serves or writes what nsl_metrics_write() prints.
 */
#ifndef NSL_METRICS_H
#define NSL_METRICS_H

#include <stdio.h>
#include <linux/types.h>
#include "nslife.h"
#include "nsmap.h"

#define NSL_MET_BUCKETS	12	/* per histogram, +Inf aside */

/* gauges of the namespaces the map holds alive, by type */
enum nsl_met_state { NSL_MET_ALIVE, NSL_MET_LINGERING, NSL_MET_INACTIVE, NSL_MET_STATES };

struct nsl_met_hist {
	__u64 count;
	double sum;		/* seconds */
	__u64 bucket[NSL_MET_BUCKETS];	/* not cumulative */
};

struct nsl_metrics {
	/* counters, since the daemon started */
	__u64 events[NSL_T_MAX][NSL_EV_MAX];	/* [NSL_T_NONE]: type unknown */
	__u64 lost;			/* records lost (the tracer's count) */
	__u64 rescans;			/* resync scans after lost records */
	struct nsl_met_hist lifetime[NSL_T_MAX];	/* create -> free */
	struct nsl_met_hist free_delay[NSL_T_MAX];	/* last member exit -> free */
	struct nsl_met_hist query;			/* socket queries */
	/* gauges, as of the last nsl_metrics_scan() */
	__u64 ns[NSL_T_MAX][NSL_MET_STATES];
	__u64 oldest_linger[NSL_T_MAX];		/* ts it began lingering, 0: none */
	__u64 now;				/* of the scan, CLOCK_BOOTTIME ns */
};

/* nsl_build_info{version,kernel,strategy} 1 */
struct nsl_met_info {
	const char *version;
	const char *kernel;
	const char *strategy;
};

/*
 * One event the daemon took in.  n is its map entry after the event was
 * applied (NULL if the map has none): a free's lifetime and free delay
 * come from it, when the map saw the creation or a member's exit.
 */
void nsl_metrics_event(struct nsl_metrics *m, const struct nsl_event *e,
		       const struct nsm_ns *n);
void nsl_metrics_query(struct nsl_metrics *m, double seconds);
/* the gauges: walk the map at now (CLOCK_BOOTTIME ns) */
void nsl_metrics_scan(struct nsl_metrics *m, const struct nsm *map, __u64 now);
/* the exposition text; < 0 if out failed */
int nsl_metrics_write(FILE *out, const struct nsl_metrics *m, const struct nsl_met_info *info);

#endif
