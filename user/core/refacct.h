/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference accounting: the kernel's count of references on a namespace
 * against the references that the holders nslife found explain.  Pure
 * arithmetic; user/scan/refs.c gathers the figures.
 *
 * What each holder is worth, in kernel references:
 *  - an nsproxy: one on each namespace it points to (per nsproxy, not per
 *    task: forked tasks share theirs); time_ns and time_ns_for_children,
 *    pid_ns_for_children are separate references;
 *  - nsfs: one for the nsfs inode however many fds and bind mounts share
 *    it (nslife's own fd on it included);
 *  - a socket (tun files included): one on its net ns (sk_alloc kern=0);
 *  - a procfs net file: one (seq_open_net / single_open_net); a procfs
 *    mount-table file: one on the mount ns (mounts_open_common);
 *  - a child or owned namespace: one on its parent or owner.
 * Exact for mnt, net, uts, ipc, cgroup and time.  pid and user are only
 * lower bounds: struct pids (zombies, pidfds, fown, SCM credentials) and
 * struct creds (shared by tasks, files, sockets, keyrings) hold them, and
 * nslife does not see every one of those objects.
 */
#ifndef NSL_REFACCT_H
#define NSL_REFACCT_H

#include <stdbool.h>
#include <stddef.h>

enum nsl_ref_src {
	NSL_REF_NSPROXY,	/* distinct nsproxies (per field pointing here) */
	NSL_REF_NSFS,		/* 1 if an nsfs inode exists (any fd or mount) */
	NSL_REF_SOCKET,		/* distinct sockets, tun files included */
	NSL_REF_FILE,		/* procfs net / mount-table files */
	NSL_REF_CHILD,		/* owned or child namespaces */
	NSL_REF_PID,		/* pid: distinct struct pids seen (tasks, pidfds) */
	NSL_REF_PROC_SB,	/* pid: procfs superblocks */
	NSL_REF_CRED,		/* user: distinct struct creds seen */
	NSL_REF_MAX,
};

struct nsl_refacct {
	int type;			/* NSL_T_* */
	unsigned int count;		/* the kernel's reference count */
	unsigned int by[NSL_REF_MAX];	/* references each source explains */
	bool initial;			/* an initial namespace (pid 1's): static refs */
	/* results */
	unsigned int explained;
	unsigned int unexplained;	/* count - explained, 0 if negative */
	unsigned int excess;		/* explained - count, if positive: a race */
	bool exact;			/* the type's counting is exact */
};

/* fill explained, unexplained, excess and exact */
void nsl_refacct_compute(struct nsl_refacct *a);
/* why counting is inexact for this one, or NULL where it is exact */
const char *nsl_refacct_inexact(const struct nsl_refacct *a);
/* likely holders of unexplained references of this type */
const char *nsl_refacct_candidates(int type);
/* "nsproxy", "nsfs", ...: names of the sources */
const char *nsl_refacct_src_name(int src);
/* "nsproxy", "nsfs", "socket", ...: JSON keys */
const char *nsl_refacct_src_key(int src);
/* "2 nsproxy, 1 nsfs, 1 socket" into buf (sources with 0 left out) */
void nsl_refacct_str(const struct nsl_refacct *a, char *buf, size_t size);

#endif
