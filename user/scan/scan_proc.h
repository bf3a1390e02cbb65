/* SPDX-License-Identifier: GPL-2.0 */
/* /proc: every task's namespaces, nsfs fds and sockets into the snapshot */
#ifndef NSL_SCAN_PROC_H
#define NSL_SCAN_PROC_H

#include "snap.h"

/* walks /proc (procfd, which it closes), or BPF task iterators */
int snap_scan_procs(struct snap *s, int procfd, unsigned int flags);

#endif
