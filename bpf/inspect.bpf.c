// SPDX-License-Identifier: GPL-2.0
/*
 * nslife inspect: one-shot questions that /proc cannot answer, asked by
 * `why` and `ls` while they scan (no ring buffer, nothing attached):
 *
 *  - fd_pidns: which pid namespace a procfs mount pins.  User space opens
 *    the mount's root and runs this with BPF_PROG_TEST_RUN, in its own
 *    context: it reads that fd's superblock, proc_fs_info.pid_ns.  A pid
 *    ns with no process left shows no pid directory, and before 6.18 no
 *    ioctl or file handle names it.
 *  - file_creds: every open file whose credentials (file->f_cred) belong
 *    to a user namespace other than the initial one.  Such a file pins
 *    that user ns, even in a process outside it; /proc shows nothing.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "nslife.h"
#include "inspect_abi.h"
#include "core_fixes.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define PROC_SUPER_MAGIC	0x9fa0
#define PROC_USER_INIT_INO	0xEFFFFFFDU

/* fd_pidns: in, then out */
int q_fd;
struct nsl_inspect_ns q_out;

static __always_inline struct file *current_file(int fd)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds, *f = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), fds + fd);
	return f;
}

static __always_inline void fill(struct nsl_inspect_ns *o, const struct ns_common *ns)
{
	o->inum = BPF_CORE_READ(ns, inum);
	o->id = ns_kernel_id(ns);
}

SEC("raw_tp")
int fd_pidns(void *ctx)
{
	struct file *f = current_file(q_fd);
	struct super_block *sb;
	struct proc_fs_info *pi;
	struct pid_namespace *pns;

	__builtin_memset(&q_out, 0, sizeof(q_out));
	if (!f)
		return 0;
	sb = BPF_CORE_READ(f, f_path.dentry, d_sb);
	if (!sb || BPF_CORE_READ(sb, s_magic) != PROC_SUPER_MAGIC)
		return 0;
	pi = BPF_CORE_READ(sb, s_fs_info);
	pns = pi ? BPF_CORE_READ(pi, pid_ns) : NULL;
	if (pns)
		fill(&q_out, &pns->ns);
	return 0;
}

SEC("iter/task_file")
int file_creds(struct bpf_iter__task_file *ctx)
{
	struct file *f = ctx->file;
	struct task_struct *t = ctx->task;
	struct user_namespace *u;
	struct nsl_inspect_cred r = {};

	if (!f || !t)
		return 0;
	u = BPF_CORE_READ(f, f_cred, user_ns);
	if (!u)
		return 0;
	fill(&r.ns, &u->ns);
	if (!r.ns.inum || r.ns.inum == PROC_USER_INIT_INO)
		return 0;
	r.pid = BPF_CORE_READ(t, tgid);
	r.fd = ctx->fd;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

/*
 * ns_tree: every namespace the kernel has, whatever holds it.  The kernel
 * keeps each published namespace on a list from __ns_tree_add_raw until
 * __ns_tree_remove, which runs as it is freed, so the list also has the
 * ones that only a non-nsfs reference keeps (no task, fd or mount).
 *  - 6.18: one list per type, ns_tree.ns_list linked by
 *    ns_common.ns_list_node;
 *  - 6.19+ (measured on 7.2): one list of all types, ns_unified_root
 *    linked by ns_common.ns_unified_node.ns_list_entry, and an active
 *    count (__ns_ref_active) beside __ns_ref.
 * The list heads are static structs that neither kallsyms nor BTF names
 * here, so the walk starts at our own namespace, goes round the ring once
 * and skips the head by plausibility: a real entry has a CLONE_NEW* type
 * (the one listed under, on 6.18), an nsfs inum (0xEFFFFFF0 and up) and
 * an id.  Runs with BPF_PROG_TEST_RUN like fd_pidns; reads are
 * bpf_probe_read_kernel only.  Before 6.18: tree_err = -EOPNOTSUPP.
 */
#define NSL_E2BIG	7
#define NSL_EOPNOTSUPP	95
#define ALL_CLONE_NEW	(0x00020000 | 0x04000000 | 0x08000000 | 0x40000000 | \
			 0x20000000 | 0x10000000 | 0x02000000 | 0x00000080)

/* 6.19+ (7.2 BTF): the tree fields moved into an embedded struct ns_tree */
struct ns_tree_node___v7 {
	struct list_head ns_list_entry;
} __attribute__((preserve_access_index));

struct ns_common___v7 {
	atomic_t __ns_ref_active;
	struct ns_tree_node___v7 ns_unified_node;
} __attribute__((preserve_access_index));

struct nsl_inspect_tree tree_out[NSL_TREE_MAX];
__u32 tree_n;
int tree_err;

struct walk {
	struct list_head *start, *cur;
	u32 clone;		/* 6.18: the list's type; 0: any (unified) */
	u32 off;		/* offset of the list node in ns_common */
};

static __always_inline void tree_put(struct ns_common *ns, u32 clone)
{
	struct nsl_inspect_tree *o;
	u32 n = tree_n;

	if (n >= NSL_TREE_MAX) {
		tree_err = -NSL_E2BIG;
		return;
	}
	o = &tree_out[n];
	o->id = ns_kernel_id(ns);
	o->inum = BPF_CORE_READ(ns, inum);
	o->clone = clone;
	o->refs = ns_refcount(ns);
	o->addr = (u64)ns;
	o->active = (u32)-1;
	if (bpf_core_field_exists(((struct ns_common___v7 *)ns)->__ns_ref_active))
		o->active = BPF_CORE_READ((struct ns_common___v7 *)ns, __ns_ref_active.counter);
	tree_n = n + 1;
}

static int walk_one(u32 i, struct walk *w)
{
	struct list_head *next = NULL;
	struct ns_common *ns;
	u32 clone;

	bpf_probe_read_kernel(&next, sizeof(next), &w->cur->next);
	if (!next || next == w->start || tree_err)
		return 1;
	w->cur = next;
	ns = (void *)next - w->off;
	clone = ns_clone_type(ns);
	if ((w->clone ? clone != w->clone : !clone || (clone & ~ALL_CLONE_NEW) ||
	     (clone & (clone - 1))) ||
	    BPF_CORE_READ(ns, inum) < 0xEFFFFFF0U || !ns_kernel_id(ns))
		return 0;	/* the list head */
	tree_put(ns, clone);
	return 0;
}

static __always_inline void walk_ring(struct ns_common *ns, u32 clone, u32 off)
{
	struct walk w = { .clone = clone, .off = off };

	if (!ns)
		return;
	w.start = w.cur = (void *)ns + off;
	bpf_loop(NSL_TREE_MAX, walk_one, &w, 0);
	/* the starting namespace itself: the ring ends before it */
	tree_put(ns, ns_clone_type(ns));
}

SEC("raw_tp")
int ns_tree(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct nsproxy *p = BPF_CORE_READ(t, nsproxy);
	struct user_namespace *u = BPF_CORE_READ(t, cred, user_ns);
	u32 off;

	tree_n = 0;
	tree_err = 0;
	if (!p) {
		tree_err = -NSL_EOPNOTSUPP;
		return 0;
	}
	if (bpf_core_field_exists(struct ns_common___v7, ns_unified_node)) {
		off = bpf_core_field_offset(struct ns_common___v7, ns_unified_node.ns_list_entry);
		walk_ring(&BPF_CORE_READ(p, mnt_ns)->ns, 0, off);
		return 0;
	}
	if (!bpf_core_field_exists(struct ns_common, ns_list_node)) {
		tree_err = -NSL_EOPNOTSUPP;
		return 0;
	}
	off = bpf_core_field_offset(struct ns_common, ns_list_node);
	walk_ring(&BPF_CORE_READ(p, mnt_ns)->ns, 0x00020000, off);
	walk_ring(&BPF_CORE_READ(p, uts_ns)->ns, 0x04000000, off);
	walk_ring(&BPF_CORE_READ(p, ipc_ns)->ns, 0x08000000, off);
	walk_ring(&BPF_CORE_READ(p, net_ns)->ns, 0x40000000, off);
	walk_ring(&BPF_CORE_READ(p, pid_ns_for_children)->ns, 0x20000000, off);
	walk_ring(&BPF_CORE_READ(p, cgroup_ns)->ns, 0x02000000, off);
	walk_ring(&BPF_CORE_READ(p, time_ns)->ns, 0x00000080, off);
	walk_ring(&u->ns, 0x10000000, off);
	return 0;
}

/*
 * net_ifnames: the interfaces of the net ns whose ns_common is at q_net
 * (an address ns_tree gave).  6.19+ will not open a net ns without an
 * active reference, so why --ifname cannot enter it; its device list
 * (net->dev_base_head, linked by net_device.dev_list) still names them.
 */
__u64 q_net;
struct nsl_inspect_ifn ifn_out;

SEC("raw_tp")
int net_ifnames(void *ctx)
{
	struct net *net = (void *)q_net - bpf_core_field_offset(struct net, ns);
	struct list_head *head = &net->dev_base_head, *pos;
	struct net_device *dev;
	u32 i;

	ifn_out.n = 0;
	if (!q_net)
		return 0;
	pos = BPF_CORE_READ(net, dev_base_head.next);
	for (i = 0; i < NSL_IFN_MAX; i++) {
		if (!pos || pos == head)
			break;
		dev = (void *)pos - bpf_core_field_offset(struct net_device, dev_list);
		bpf_probe_read_kernel_str(ifn_out.name[i], 16, &dev->name);
		pos = BPF_CORE_READ(dev, dev_list.next);
	}
	ifn_out.n = i;
	return 0;
}
