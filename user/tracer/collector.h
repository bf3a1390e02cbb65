/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collector: BPF records in, a live map kept, one stream of events
 * out.  It validates records, reports each death once, keeps the map,
 * resyncs after lost records and runs the lingering checks.  trace prints
 * what it emits, record writes it to a log, the daemon serves from its map.
 */
#ifndef NSL_COLLECTOR_H
#define NSL_COLLECTOR_H

#include <stdbool.h>
#include <sys/types.h>
#include "dedup.h"
#include "filter.h"
#include "loader.h"
#include "nsmap.h"
#include "scan.h"

/*
 * e passed the filters.  For lingering events s and idx name the snapshot
 * entry whose holders explain it; otherwise s is NULL.
 */
typedef void (*collector_sink_fn)(void *ctx, const struct nsl_event *e,
				  const struct snap *s, int idx);

/* what to trace and how; the commands fill it from their options */
struct collector_opts {
	struct nsl_filter filter;
	struct nsl_tracer_opts tracer;
	__u64 grace;		/* lingering after the last exit, ns; 0: default */
};

struct collector {
	struct collector_opts o;
	__u64 grace;			/* lingering: ns after the last exit */
	collector_sink_fn sink;
	void *sink_ctx;
	/* private */
	struct nsl_tracer *t;
	struct nsl_dedup freed;
	struct nsm map;
	struct snap_owners *owners;	/* creators' and joiners' cgroups -> unit/container */
	/*
	 * In the sink, for a create or a join: the owner of its task's cgroup
	 * (nsl_event_cgid()), NULL if none; what the recorder logs.
	 */
	const struct nsl_owner *ev_owner;
	size_t owners_gc_at;		/* owners kept by the last sweep */
	unsigned long long owners_gcs;	/* sweeps done */
	bool resync;
	unsigned long long seen, bad;
	unsigned long long reused;	/* frees inferred from a reused inum */
	pid_t pid;			/* ours, for those frees; 0: not read yet */
	unsigned long long rescans;	/* resyncs after lost records */
};

#define COLLECTOR_GRACE_DEFAULT 2000000000ULL

/* after o, grace and sink are set; one stderr line on failure */
int collector_open(struct collector *c);
/* wait up to timeout_ms; < 0 on a fatal error */
int collector_poll(struct collector *c, int timeout_ms);
void collector_close(struct collector *c);
__u64 collector_lost(const struct collector *c);
__u64 collector_now(void);	/* CLOCK_BOOTTIME ns, the events' clock */

struct nsl_log_writer;
/*
 * The state before the first event, scanned now, as the log's snapshot
 * record (record and daemon -o).  A failed scan is said and is not fatal:
 * the events still count.  Returns the log's error, if any.
 */
int collector_log_snapshot(struct nsl_log_writer *w);

#endif
