/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A discovery snapshot (scan.h) as bytes, for the snapshot record of a
 * recorded log (logfmt.h: struct nsl_log_snap, type NSL_SNAPIO_TYPE), and
 * back as plain structs that `ls --log` and `why --log` can rebuild from.
 *
 *   blob   := head ns_rec[nr_ns] h_rec[nr_h] strtab
 *   head   := struct snapio_head (hdr_size bytes)
 *   ns_rec := struct snapio_ns_rec (ns_size bytes)
 *   h_rec  := struct snapio_h_rec (h_size bytes)
 *   strtab := str_len bytes of NUL-terminated strings; a string field
 *             holds its offset + 1, 0 meaning none
 *
 * The three sizes are in the head so that a later version may append
 * fields to any part: an older decoder reads the prefix it knows.  A new
 * major layout bumps version, which this decoder refuses.  Indexes
 * (owner, parent, ns, mntns, child) refer to ns_rec[] and are -1 for
 * none.  Integers are in host byte order, as in the rest of the log.
 *
 * Pure C, no libbpf: the decoder takes untrusted bytes (logs, fuzzers)
 * and checks every length, offset, index and enum before use.
 */
#ifndef NSL_SNAPIO_H
#define NSL_SNAPIO_H

#include <stddef.h>
#include <linux/types.h>
#include "nslife.h"

struct snap;

#define NSL_SNAPIO_TYPE		1		/* struct nsl_log_snap.type */
#define NSL_SNAPIO_MAGIC	"NSNP"		/* 4 bytes, no NUL */
#define NSL_SNAPIO_VERSION	1

/* head.flags */
#define SNAPIO_F_HAVE_ID	0x1	/* the kernel had NS_GET_ID */

struct snapio_head {
	char magic[4];
	__u16 version;
	__u16 hdr_size;
	__u16 ns_size;
	__u16 h_size;
	__u32 nr_ns;
	__u32 nr_h;
	__u32 str_len;
	__u32 flags;		/* SNAPIO_F_* */
	__s32 self_mnt;		/* the recorder's own mnt ns, or -1 */
	__u64 max_id;		/* largest ns id seen by the scan */
};

struct snapio_ns_rec {
	__u64 id;
	__u32 inum;
	__u8 type;		/* enum nsl_type */
	__u8 pad;
	__u16 flags;		/* SNAP_NF_* */
	__s32 owner;
	__s32 parent;
	__s32 nprocs;
	__s32 ntasks;
	__s32 pid;
	__s32 mnt_pid;
	char comm[NSL_COMM_LEN];
};

struct snapio_h_rec {
	__u8 kind;		/* enum snap_hkind */
	__u8 pad;
	__u16 flags;		/* SNAP_HF_* */
	__s32 ns;
	__s32 pid;
	__s32 tid;
	__s32 ppid;
	__s32 fd;
	__s32 mntns;
	__s32 child;
	__u32 path;		/* strtab offset + 1, 0: none */
	__u32 detail;
	__u32 link;
	__u32 pad2;
	char comm[NSL_COMM_LEN];
};

/* ---- decoded: plain values, no fds, nothing of scan.c ---- */

struct snapio_ns {
	struct nsl_ns key;
	int owner, parent;	/* index into ns[], or -1 */
	int nprocs, ntasks;
	int pid, mnt_pid;
	unsigned int flags;	/* SNAP_NF_* */
	char comm[NSL_COMM_LEN];	/* NUL-terminated */
};

struct snapio_holder {
	int kind;		/* enum snap_hkind, < SNAP_H_MAX */
	int ns;			/* index into ns[], or -1 */
	int pid, tid, ppid, fd;
	int mntns, child;	/* index into ns[], or -1 */
	unsigned int flags;	/* SNAP_HF_* */
	char comm[NSL_COMM_LEN];	/* NUL-terminated */
	const char *path;	/* NULL if none; point into snapio.strs */
	const char *detail;
	const char *link;
};

struct snapio {
	unsigned int version;
	unsigned int flags;	/* SNAPIO_F_* */
	int self_mnt;		/* index, or -1 */
	__u64 max_id;
	__u64 ts;		/* CLOCK_BOOTTIME of the scan; set by the caller */
	struct snapio_ns *ns;
	size_t nr_ns;
	struct snapio_holder *h;
	size_t nr_h;
	char *strs;		/* owned copy of the string table */
};

/* *buf is malloc()ed; 0 or -ENOMEM/-E2BIG */
int snapio_encode(const struct snap *s, void **buf, size_t *len);
/*
 * 0, or -EPROTO (not a snapshot), -EPROTONOSUPPORT (other version),
 * -EBADMSG (malformed), -ENOMEM; *out is empty on failure.
 */
int snapio_decode(const void *buf, size_t len, struct snapio *out);
void snapio_free(struct snapio *d);

#endif /* NSL_SNAPIO_H */
