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
