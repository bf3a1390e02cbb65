/* SPDX-License-Identifier: GPL-2.0 */
/* Namespaces from the kernel's own list (listns, or the ns tree by BPF). */
#ifndef NSL_SCAN_ENUM_H
#define NSL_SCAN_ENUM_H

#include "snap.h"

/*
 * Every namespace the kernel lists (@t from BPF; else listns()) that no
 * holder showed is added with its state; sets s->enum_how.
 */
void snap_enumerate(struct snap *s, const struct snap_tree *t);
const char *snap_state_name(int state);
/* one line on what the scan could not see, or NULL */
const char *snap_enum_gap(const struct snap *s);
/* one line if namespaces were missed for want of fds, or NULL */
const char *snap_fd_gap(const struct snap *s);
/* open a namespace by nsfs file handle (6.18+): an fd, or -1 and errno */
int snap_probe_handle(int type, __u32 inum, __u64 id);

#endif
