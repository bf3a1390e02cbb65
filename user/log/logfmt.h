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

/* ---- shared ---- */

size_t nsl_log_rec_size(unsigned int kind);
__u64 nsl_log_wall_ns(const struct nsl_log_hdr *h, __u64 boot_ns);
const char *nsl_log_strerror(int err);
__u32 nsl_log_crc(__u32 crc, const void *p, size_t n);	/* zlib's crc32 */
/* *buf holds at least need bytes (doubling, from 4 KiB); -ENOMEM */
int nsl_log_grow(__u8 **buf, size_t *cap, size_t need);
#define NSL_LOG_ALIGN8(x)	(((x) + 7) & ~(size_t)7)

#endif /* NSL_LOGFMT_H */
