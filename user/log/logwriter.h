/* SPDX-License-Identifier: GPL-2.0 */
/* Writing an nslife log (format: logfmt.h). */
#ifndef NSL_LOGWRITER_H
#define NSL_LOGWRITER_H

#include <stdbool.h>
#include "logfmt.h"

struct nsl_log_meta {
	const char *strategy;	/* attach strategy, NULL for "" */
	/* 0: taken from the clocks at open; set them to replay a recording */
	__u64 start_wall_ns;
	__u64 start_boot_ns;
};

struct nsl_log_opts {
	bool force;		/* replace an existing file */
	__u64 max_size;		/* rotate past this many bytes, 0 never */
	unsigned int keep;	/* files kept on rotation: FILE .. FILE.keep-1 */
	unsigned int block_size; /* raw bytes per block, 0 for the default */
	int level;		/* zlib level, 0 for the default (1, fast) */
};

struct nsl_log_writer;

int nsl_log_create(struct nsl_log_writer **wp, const char *path,
		   const struct nsl_log_meta *meta,
		   const struct nsl_log_opts *opts);
int nsl_log_append(struct nsl_log_writer *w, const void *rec, size_t size);
int nsl_log_append_snapshot(struct nsl_log_writer *w, __u32 type, __u64 ts,
			    const void *blob, size_t len);
int nsl_log_append_lost(struct nsl_log_writer *w, __u64 ts, __u64 count,
			enum nsl_lost_reason reason);
int nsl_log_flush(struct nsl_log_writer *w);
int nsl_log_close(struct nsl_log_writer *w);
/* records appended in total */
__u64 nsl_log_records(const struct nsl_log_writer *w);

#endif
