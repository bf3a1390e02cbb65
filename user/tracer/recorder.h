/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collector's events into a log (logfmt): what nslife record and
 * nslife daemon -o both write.  A snapshot first, then every event, a
 * flush at least every second; the first write error stops the recording
 * (the rest of the log stays readable).
 */
#ifndef NSL_RECORDER_H
#define NSL_RECORDER_H

#include <stdbool.h>
#include "loader.h"
#include "logowner.h"
#include "logwriter.h"

struct recorder {
	struct nsl_log_writer *w;	/* NULL: not recording */
	const char *path;
	int err;			/* the first write error */
	__u64 last_flush;		/* CLOCK_MONOTONIC ms */
	struct nsl_owner_log ownlog;	/* creators' cgroups written */
};

/*
 * Create path and write the snapshot.  A failed create is one stderr
 * line and its -errno; a failed snapshot is rec->err (and returns 0).
 */
int recorder_open(struct recorder *rec, const char *path,
		  const struct nsl_log_opts *lo, const struct nsl_tracer *t);
/* one line for why path could not be made */
void recorder_create_error(const char *path, int err);
/*
 * Append e (a lost marker for NSL_EV_LOST), after the owner record of its
 * task's cgroup (a create's or a join's: o, the collector's ev_owner) when
 * that cgroup is new to the log; the error the first time, else 0.
 */
int recorder_event(struct recorder *rec, const struct nsl_event *e,
		   const struct nsl_owner *o);
/* flush if a second has passed (or now); the error the first time, else 0 */
int recorder_flush(struct recorder *rec, bool now);
/* close; the close's own error (rec->err is the caller's to say) */
int recorder_close(struct recorder *rec);

#endif
