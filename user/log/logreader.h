/* SPDX-License-Identifier: GPL-2.0 */
/* Reading an nslife log (format: logfmt.h), damage reported and skipped. */
#ifndef NSL_LOGREADER_H
#define NSL_LOGREADER_H

#include <stdbool.h>
#include "logfmt.h"

enum nsl_damage_what {
	NSL_DMG_BLOCK = 1,	/* bytes skipped: bad, torn or no blocks */
	NSL_DMG_HEADER,		/* the file header failed its CRC */
	NSL_DMG_GAP,		/* rotated files missing before this one */
};

struct nsl_log_damage {
	enum nsl_damage_what what;
	const char *path;	/* "" for a memory buffer */
	__u64 offset;		/* where the damage starts */
	__u64 length;		/* bytes skipped until the next good block */
	const char *reason;	/* "bad crc", "truncated", ... */
	bool at_end;		/* runs to the end: a torn tail, or a file
				 * still being written */
};

typedef void (*nsl_log_damage_fn)(void *arg, const struct nsl_log_damage *d);

struct nsl_log_rec {
	unsigned int kind;	/* enum nsl_kind or enum nsl_log_kind */
	__u32 size;		/* record bytes, padding excluded */
	__u64 ts;
	const void *data;	/* the record; valid until the next call */
	__u64 block_off;	/* file offset of the block holding it */
	__u32 index;		/* record number within its block */
	/* typed views; each NULL unless the record is of that shape */
	const struct nsl_event *ev;		/* every ABI kind */
	const struct nsl_mount_event *mev;	/* mount, umount, proc_mount */
	const struct nsl_log_snap *snap;	/* blob at snap + 1 */
	const struct nsl_log_lost *lost;
};

struct nsl_log_stats {
	__u64 blocks;		/* good blocks read */
	__u64 records;
	__u64 damaged;		/* damage reports */
	__u64 skipped;		/* bytes skipped over damage */
};

struct nsl_log_reader;

int nsl_log_open(struct nsl_log_reader **rp, const char *path,
		 nsl_log_damage_fn fn, void *arg);
int nsl_log_open_mem(struct nsl_log_reader **rp, const void *buf, size_t len,
		     nsl_log_damage_fn fn, void *arg);
const struct nsl_log_hdr *nsl_log_header(const struct nsl_log_reader *r);
int nsl_log_next(struct nsl_log_reader *r, struct nsl_log_rec *rec);
void nsl_log_stats(const struct nsl_log_reader *r, struct nsl_log_stats *st);
void nsl_log_reader_close(struct nsl_log_reader *r);

#endif
