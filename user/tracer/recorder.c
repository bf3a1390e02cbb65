// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "collector.h"
#include "format.h"
#include "recorder.h"
#include "clock.h"

/* the poll wakes every 100 ms at most, so a block waits under a second */
#define FLUSH_MS	900

/* the first error stops the recording; later calls keep quiet */
static int failed(struct recorder *rec, int err)
{
	if (!err || rec->err)
		return 0;
	rec->err = err;
	return err;
}

void recorder_create_error(const char *path, int err)
{
	/* nothing was kept: the writer's ENOSPC text would promise a log */
	if (err == -ENOSPC || err == -EFBIG)
		fprintf(stderr, "nslife: %s: %s\n", path, strerror(-err));
	else
		fprintf(stderr, "nslife: %s: %s\n", path, nsl_log_strerror(err));
}

/* the header's clock pair is the formatter's, so replay prints trace's times */
int recorder_open(struct recorder *rec, const char *path,
		  const struct nsl_log_opts *lo, const struct nsl_tracer *t)
{
	struct nsl_fmt fmt = { 0 };
	struct nsl_log_meta meta = { 0 };
	int err;

	memset(rec, 0, sizeof(*rec));
	rec->path = path;
	nsl_fmt_clock_init(&fmt);
	meta.strategy = nsl_mode_name(nsl_tracer_mode(t));
	meta.start_boot_ns = fmt.t0;
	meta.start_wall_ns = fmt.t0 + fmt.boot_to_real;
	err = nsl_log_create(&rec->w, path, &meta, lo);
	if (err) {
		recorder_create_error(path, err);
		return err;
	}
	rec->last_flush = nsl_clock_ms(CLOCK_MONOTONIC);
	/* the state before the first event */
	failed(rec, collector_log_snapshot(rec->w));
	return 0;
}

int recorder_event(struct recorder *rec, const struct nsl_event *e,
		   const struct nsl_owner *o)
{
	if (!rec->w || rec->err)
		return 0;
	if (e->h.kind == NSL_EV_LOST)
		/* a gap in the history; the collector resyncs from a rescan */
		return failed(rec, nsl_log_append_lost(rec->w, e->h.ts, e->val,
						       NSL_LOST_RINGBUF));
	return failed(rec, nsl_owner_log_event(&rec->ownlog, rec->w, e, o) ?:
			   nsl_log_append(rec->w, e, e->h.size));
}

int recorder_flush(struct recorder *rec, bool now)
{
	__u64 t = nsl_clock_ms(CLOCK_MONOTONIC);

	if (!rec->w || rec->err || (!now && t - rec->last_flush < FLUSH_MS))
		return 0;
	rec->last_flush = t;
	return failed(rec, nsl_log_flush(rec->w));
}

int recorder_close(struct recorder *rec)
{
	int err;

	if (!rec->w)
		return 0;
	err = nsl_log_close(rec->w);
	rec->w = NULL;
	nsl_owner_log_free(&rec->ownlog);
	return err;
}
