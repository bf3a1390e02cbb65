/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSL_SCAN_FCRED_H
#define NSL_SCAN_FCRED_H

#include <pthread.h>
#include "snap.h"

/*
 * Open files pin namespaces /proc does not show: credentials, procfs net
 * and mount files, tun files, pidfds...  Loading the BPF iterator (kernel
 * BTF, verifier) costs as much as the whole /proc scan, so a thread loads
 * and runs it meanwhile; its records wait in a buffer until the scan is
 * done with the table.
 */
struct snap_fcred {
	pthread_t th;
	bool running;
	bool creds, tree;		/* what the thread runs */
	bool ran;			/* the file iterator ran */
	bool nomem;			/* records it dropped: memory ran out */
	struct snap_fileref *r;
	size_t n, cap;
	struct snap_tree tr;		/* the kernel's namespace list */
};

/*
 * Start the thread: file creds if j->creds, the kernel's namespace list
 * (6.18+) if j->tree (no inspector: nothing); finish applies the creds.
 */
void snap_fcred_start(struct snap *s, struct snap_fcred *j);
void snap_fcred_finish(struct snap *s, struct snap_fcred *j, bool apply);
/* wait for the inspector to be free: it is not thread-safe, and fork() wants one thread */
void snap_inspector_idle(struct snap *s);

#endif
