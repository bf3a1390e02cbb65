/* SPDX-License-Identifier: GPL-2.0 */
/* Load and attach the BPF side; the only user/ code that calls libbpf. */
#ifndef NSL_LOADER_H
#define NSL_LOADER_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <linux/types.h>

enum nsl_mode { NSL_MODE_AUTO, NSL_MODE_PRECISE, NSL_MODE_TRACEPOINT };

struct nsl_tracer_opts {
	enum nsl_mode mode;
	bool verbose;		/* libbpf's messages and the chosen hooks */
	int poll_ms;		/* liveness poll period (tracepoint mode) */
};

/* called for every record; return non-zero to stop polling */
typedef int (*nsl_record_fn)(void *ctx, const void *rec, size_t len);

struct nsl_tracer;

int nsl_mode_parse(const char *s, enum nsl_mode *m);
const char *nsl_mode_name(enum nsl_mode m);

/* prints one clear line on failure and returns -errno */
int nsl_tracer_open(struct nsl_tracer **tp, const struct nsl_tracer_opts *o,
		    nsl_record_fn fn, void *ctx);
/* wait up to timeout_ms for records; runs the liveness poll when due */
int nsl_tracer_poll(struct nsl_tracer *t, int timeout_ms);
enum nsl_mode nsl_tracer_mode(const struct nsl_tracer *t);
/* events lost: ring buffer full, or a hook skipped by BPF recursion protection */
__u64 nsl_tracer_lost(const struct nsl_tracer *t);
/* which hooks had runs skipped by BPF recursion protection, one line each */
void nsl_tracer_report_misses(const struct nsl_tracer *t, FILE *out);
/* one line per attached hook */
void nsl_tracer_describe(const struct nsl_tracer *t, FILE *out);
void nsl_tracer_close(struct nsl_tracer *t);

#endif
