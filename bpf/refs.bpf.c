// SPDX-License-Identifier: GPL-2.0
/*
 * nslife refs: what why's reference accounting reads with BPF, apart
 * from inspect.bpf.c so that ls does not pay for relocating it:
 *
 *  - ns_refs: the reference count of the namespace behind an nsfs fd of
 *    ours (BPF_PROG_TEST_RUN): ns_common.count (6.1, 6.12), __ns_ref (6.18).
 *  - tasks: every task's nsproxy (one reference on each namespace in it),
 *    struct pid (one on the pid ns of its level) and creds (one on their
 *    user ns).  User space counts the distinct objects.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "nslife.h"
#include "inspect_abi.h"
#include "core_fixes.bpf.h"
#include "inspect.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define NSFS_MAGIC		0x6e736673

/* ns_refs: in, then out */
int q_fd;
struct nsl_inspect_ns q_out;
__u32 q_refs;



SEC("raw_tp")
int ns_refs(void *ctx)
{
	struct file *f = current_file(q_fd);
	struct ns_common *ns;

	__builtin_memset(&q_out, 0, sizeof(q_out));
	q_refs = 0;
	if (!f || BPF_CORE_READ(f, f_inode, i_sb, s_magic) != NSFS_MAGIC)
		return 0;
	ns = BPF_CORE_READ(f, f_inode, i_private);
	if (!ns)
		return 0;
	fill(&q_out, ns);
	q_refs = ns_refcount(ns);
	return 0;
}

#define NSP_INUM(p, field) ({						\
	typeof((p)->field) __x = BPF_CORE_READ(p, field);		\
	__x ? BPF_CORE_READ(__x, ns.inum) : 0; })

/*
 * Every task: its nsproxy (one reference on each namespace in it, shared
 * by the tasks that share the nsproxy), its struct pid (one on the pid ns
 * of its level) and its creds (one on their user ns).  User space counts
 * the distinct objects.
 */
SEC("iter/task")
int tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct nsl_inspect_task r = {};
	struct pid_namespace *pns;
	struct nsproxy *p;
	struct pid *pid;

	if (!t)
		return 0;
	r.tid = BPF_CORE_READ(t, pid);
	p = BPF_CORE_READ(t, nsproxy);
	if (p) {
		r.nsproxy = (__u64)p;
		/* &x->ns, not x: ns_common is not the first member of every type */
		r.inum[NSL_NSP_UTS] = NSP_INUM(p, uts_ns);
		r.inum[NSL_NSP_IPC] = NSP_INUM(p, ipc_ns);
		r.inum[NSL_NSP_MNT] = NSP_INUM(p, mnt_ns);
		r.inum[NSL_NSP_PID_CHILD] = NSP_INUM(p, pid_ns_for_children);
		r.inum[NSL_NSP_NET] = NSP_INUM(p, net_ns);
		r.inum[NSL_NSP_TIME] = NSP_INUM(p, time_ns);
		r.inum[NSL_NSP_TIME_CHILD] = NSP_INUM(p, time_ns_for_children);
		r.inum[NSL_NSP_CGROUP] = NSP_INUM(p, cgroup_ns);
	}
	pid = BPF_CORE_READ(t, thread_pid);
	if (pid) {
		r.pid = (__u64)pid;
		pns = pid_level_ns(pid);
		r.pid_ns = pns ? BPF_CORE_READ(pns, ns.inum) : 0;
	}
	r.cred = (__u64)BPF_CORE_READ(t, cred);
	r.real_cred = (__u64)BPF_CORE_READ(t, real_cred);
	r.cred_user = BPF_CORE_READ(t, cred, user_ns, ns.inum);
	r.real_cred_user = BPF_CORE_READ(t, real_cred, user_ns, ns.inum);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
