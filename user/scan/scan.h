/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Discovery snapshot: every namespace on the host and everything that
 * holds each one alive, found from /proc, nsfs fds, sockets and the mount
 * tables of every mount namespace.  No BPF here.
 *
 * A snapshot is a plain value: snap_scan() fills it, snap_release() frees
 * it, and it can be rebuilt at any time (rescan).  Namespaces are named by
 * struct nsl_ns (type, inum, id) from the event ABI so that the live map
 * can merge a snapshot with event history: id is NS_GET_ID (6.18+) or 0
 * where the kernel has none; then a match falls back to inum, and only
 * among namespaces alive at the same moment.
 *
 * While a snapshot lives it holds one nsfs fd per namespace it could
 * open (so the namespaces cannot be freed and reused under it); release
 * it promptly.
 */
#ifndef NSL_SCAN_H
#define NSL_SCAN_H

#include "scan_enum.h"
#include "snap.h"

int snap_scan(struct snap *s, unsigned int flags);
/* close its fds and free it (any snapshot, a log's too) */
void snap_release(struct snap *s);

/*
 * Look for a live ns absent from the snapshot (no visible holder) through
 * nsfs file handles (6.18+) and add it; returns its index or -errno
 * (-ESTALE: dead, -EOPNOTSUPP: the kernel cannot tell).
 */
int snap_probe(struct snap *s, int type, __u32 inum, __u64 id);
#endif
