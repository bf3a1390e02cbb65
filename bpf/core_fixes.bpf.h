/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel layout drift that nslife's BPF code meets, one getter per field.
 * vmlinux.h is from 6.18; the ___flavor structs describe older layouts and
 * libbpf picks whichever matches the running kernel.  Never fixed offsets.
 */
#ifndef NSL_CORE_FIXES_BPF_H
#define NSL_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/*
 * ≤6.17: the refcount is ns_common.count and the type lives in ops->type.
 * 6.18 renamed count to __ns_ref, added ns_type and ns_id, and removed
 * proc_ns_operations.type.
 */
struct ns_common___v61 {
	refcount_t count;
	const struct proc_ns_operations___v61 *ops;
} __attribute__((preserve_access_index));

struct proc_ns_operations___v61 {
	int type;
} __attribute__((preserve_access_index));

/* 6.1: nsproxy.count is an atomic_t; refcount_t from 6.12 (and 6.18) */
struct nsproxy___v61 {
	atomic_t count;
} __attribute__((preserve_access_index));

/* ≤6.17: mnt_namespace.seq is the mount namespace's 64-bit id; 6.18 dropped it for ns.ns_id */
struct mnt_namespace___v61 {
	u64 seq;
} __attribute__((preserve_access_index));

/*
 * 6.1: mounts of a namespace are a list, appended at the tail by commit_tree.
 * 6.12+: an rbtree keyed by mnt_id_unique; 6.18 caches its last node.
 */
struct mnt_namespace___v61list {
	struct list_head list;
} __attribute__((preserve_access_index));

struct mount___v61list {
	struct list_head mnt_list;
} __attribute__((preserve_access_index));

/* 6.12: the mount rbtree without 6.18's cached last node */
struct mnt_namespace___v612 {
	struct rb_root mounts;
} __attribute__((preserve_access_index));

/* 6.18 only: pid namespaces are torn down from their own work item */
struct pid_namespace___v618 {
	struct work_struct work;
} __attribute__((preserve_access_index));

static __always_inline u32 ns_refcount(const struct ns_common *ns)
{
	if (bpf_core_field_exists(ns->__ns_ref))
		return BPF_CORE_READ(ns, __ns_ref.refs.counter);
	return BPF_CORE_READ((struct ns_common___v61 *)ns, count.refs.counter);
}

/* the CLONE_NEW* value of a namespace */
static __always_inline u32 ns_clone_type(const struct ns_common *ns)
{
	if (bpf_core_field_exists(ns->ns_type))
		return BPF_CORE_READ(ns, ns_type);
	return BPF_CORE_READ((struct ns_common___v61 *)ns, ops, type);
}

/* 0 where the kernel has no ns_id (before 6.18) */
static __always_inline u64 ns_kernel_id(const struct ns_common *ns)
{
	if (bpf_core_field_exists(ns->ns_id))
		return BPF_CORE_READ(ns, ns_id);
	return 0;
}

static __always_inline u32 nsproxy_count(const struct nsproxy *nsp)
{
	if (bpf_core_field_exists(((struct nsproxy___v61 *)nsp)->count.counter))
		return BPF_CORE_READ((struct nsproxy___v61 *)nsp, count.counter);
	return BPF_CORE_READ(nsp, count.refs.counter);
}

static __always_inline u64 mnt_ns_seq(const struct mnt_namespace *mnt)
{
	if (bpf_core_field_exists(((struct mnt_namespace___v61 *)mnt)->seq))
		return BPF_CORE_READ((struct mnt_namespace___v61 *)mnt, seq);
	return 0;
}

#endif /* NSL_CORE_FIXES_BPF_H */
