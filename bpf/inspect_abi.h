/* SPDX-License-Identifier: GPL-2.0 */
/* What bpf/inspect.bpf.c hands back to user/inspect.c. */
#ifndef NSL_INSPECT_ABI_H
#define NSL_INSPECT_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* a namespace as the kernel names it; id 0 before 6.18 (no ns_id) */
struct nsl_inspect_ns {
	__u64 id;
	__u32 inum;
	__u32 pad;
};

/* one file_creds record: pid's fd has credentials in user ns @ns */
struct nsl_inspect_cred {
	struct nsl_inspect_ns ns;
	__u32 pid;
	__u32 fd;
};

/*
 * ns_tree: one namespace on the kernel's lists (6.18+: every namespace
 * from publication until it is freed, active or not)
 */
#define NSL_TREE_MAX	16384
struct nsl_inspect_tree {
	__u64 id;
	__u32 inum;
	__u32 clone;		/* CLONE_NEW* */
	__u32 refs;		/* ns_common.__ns_ref */
	__u32 active;		/* 6.19+: __ns_ref_active; (__u32)-1: none */
	__u64 addr;		/* its ns_common, for net_ifnames */
};

/* net_ifnames: the interface names of one net ns */
#define NSL_IFN_MAX	64
struct nsl_inspect_ifn {
	char name[NSL_IFN_MAX][16];
	__u32 n;
	__u32 pad;
};

#endif
