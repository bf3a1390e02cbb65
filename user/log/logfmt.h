/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nslife log codec: the durable, crash-safe format of `nslife record`.
 *
 *   file   := header block*
 *   header := struct nsl_log_hdr (256 bytes, CRC32-protected)
 *   block  := struct nsl_log_blk (48 bytes) + zlen bytes of raw deflate
 *   payload (inflated, rawlen bytes) := record*, each padded to 8 bytes
 *   record := an ABI record of bpf/nslife.h (hdr.size says its length)
 *           | struct nsl_log_snap + len bytes (log only)
 *           | struct nsl_log_lost (log only)
 *
 * Blocks are independent: each starts with an 8-byte sync marker and
 * carries a CRC32 of its frame and its compressed bytes, so a reader that
 * meets damage skips to the next marker and goes on.  A block reaches the
 * disk whole (one write, then fdatasync) or, after a failed write, not at
 * all: the writer cuts the file back to the last good block.
 *
 * All integers are in host byte order, as the ABI records are; nslife
 * supports little-endian hosts only (x86, arm64).
 *
 * Pure C and zlib: no libbpf here, so unit tests and fuzzers drive it.
 */
#ifndef NSL_LOGFMT_H
#define NSL_LOGFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "nslife.h"

#define NSL_LOG_MAGIC		"NSLIFLOG"	/* 8 bytes, no NUL */
#define NSL_LOG_VERSION		1
#define NSL_LOG_SYNC		"\xd3nslBLK\x8a" /* 8 bytes: block marker */
#define NSL_LOG_SYNC_LEN	8

/* a block's raw payload; a single record larger than this is refused */
#define NSL_LOG_RAW_MAX		(16u << 20)
#define NSL_LOG_BLOCK_DEF	(64u << 10)	/* flush a block at this size */

/* log-only record kinds, far above enum nsl_kind */
enum nsl_log_kind {
	NSL_LOG_SNAPSHOT = 0xf0,	/* opaque initial-state blob */
	NSL_LOG_LOST = 0xf1,		/* records lost before reaching the log */
};

/* why a lost marker was written */
enum nsl_lost_reason {
	NSL_LOST_RINGBUF = 1,	/* BPF ring buffer reservations failed */
	NSL_LOST_RESYNC,	/* state was rebuilt from a /proc rescan */
	NSL_LOST_WRITER,	/* the recorder itself dropped records */
};

struct nsl_log_hdr {
	char magic[8];		/* NSL_LOG_MAGIC */
	__u16 version;		/* NSL_LOG_VERSION */
	__u16 hdr_size;		/* sizeof(struct nsl_log_hdr) */
	__u32 abi_version;	/* NSL_ABI_VERSION of the records */
	__u64 start_wall_ns;	/* CLOCK_REALTIME when recording began */
	__u64 start_boot_ns;	/* CLOCK_BOOTTIME at that same instant */
	__u32 seq;		/* file number in a rotated recording, 0 first */
	__u32 flags;		/* none yet, 0 */
	char boot_id[48];	/* /proc/sys/kernel/random/boot_id */
	char hostname[72];
	char release[72];	/* uname -r */
	char strategy[20];	/* attach strategy: "precise", "tracepoint" */
	__u32 crc;		/* CRC32 of the bytes above */
};

struct nsl_log_blk {
	char sync[8];		/* NSL_LOG_SYNC */
	__u32 zlen;		/* compressed bytes after this frame */
	__u32 rawlen;		/* payload bytes once inflated */
	__u64 ts_min;		/* lowest record ts in the block */
	__u64 ts_max;		/* highest; records are not sorted across CPUs */
	__u32 nrec;		/* records in the block */
	__u32 seq;		/* block number in its file, 0 first */
	__u32 flags;		/* none yet, 0 */
	__u32 crc;		/* CRC32 of this frame (crc = 0) + zlen bytes */
};

/* the first 4 bytes of every record line up with struct nsl_hdr */
struct nsl_log_snap {
	__u8 kind;		/* NSL_LOG_SNAPSHOT */
	__u8 pad;
	__u16 size;		/* 0: len says it, a snapshot may exceed 64 KiB */
	__u32 type;		/* blob format, owned by the snapshot's author */
	__u32 len;		/* blob bytes that follow */
	__u32 pad2;
	__u64 ts;		/* CLOCK_BOOTTIME when taken */
	/* __u8 blob[len], then padding to 8 */
};

struct nsl_log_lost {
	__u8 kind;		/* NSL_LOG_LOST */
	__u8 reason;		/* enum nsl_lost_reason */
	__u16 size;		/* sizeof(struct nsl_log_lost) */
	__u32 pad;
	__u64 ts;
	__u64 count;		/* records lost, 0 if unknown */
};

/* ---- writer ---- */

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

/* ---- reader ---- */

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

/* ---- shared ---- */

size_t nsl_log_rec_size(unsigned int kind);
__u64 nsl_log_wall_ns(const struct nsl_log_hdr *h, __u64 boot_ns);
const char *nsl_log_strerror(int err);

#endif /* NSL_LOGFMT_H */
