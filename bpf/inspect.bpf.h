/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the two inspector objects (inspect.bpf.c, refs.bpf.c), which
 * run in nslife's own context through BPF_PROG_TEST_RUN or as iterators.
 * Include after vmlinux.h, inspect_abi.h and core_fixes.bpf.h.
 */
#ifndef NSL_INSPECT_BPF_H
#define NSL_INSPECT_BPF_H

/* fd of the calling task (nslife itself) */
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
	o->refs = ns_refcount(ns);
}

/* the pid ns a struct pid pins: that of its deepest level (put_pid -> put_pid_ns) */
static __always_inline struct pid_namespace *pid_level_ns(struct pid *p)
{
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid u = {};

	if (level > 32)
		return NULL;
	bpf_probe_read_kernel(&u, sizeof(u), &p->numbers[level]);
	return u.ns;
}

#endif
