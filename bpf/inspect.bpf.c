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
 *  - files: every open file that pins a namespace other than the initial
 *    ones, and which: its credentials (file->f_cred, user ns), procfs net
 *    and mount-table files, tun files, pidfds and /proc/PID files (struct
 *    pid -> pid ns), sockets (for the reference count), and the same for
 *    every file registered in an io_uring ring.  /proc shows none of it.
 *  - learn_fops: the file_operations of files user space opened as
 *    samples (no kallsyms: data symbols are absent without KALLSYMS_ALL).
 *  (why's reference accounting has its own object, bpf/refs.bpf.c.)
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

#define PROC_SUPER_MAGIC	0x9fa0
#define PROC_USER_INIT_INO	0xEFFFFFFDU
#define NSFS_MAGIC		0x6e736673
#define PID_FS_MAGIC		0x50494446
#define ANON_INODE_FS_MAGIC	0x09041934
#define S_IFMT			00170000
#define S_IFSOCK		0140000
/* io_uring keeps flags in the low bits of a fixed file pointer (6.1: 3 bits, 6.12+: 2) */
#define FFS_MASK		(~7UL)
#define RING_MAX		1024

/* fd_pidns: in, then out */
int q_fd;
struct nsl_inspect_ns q_out;


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

/* learn_fops: in, the sample fds (-1: none); out, their f_op */
int q_fds[NSL_KF_MAX];
__u64 known_fops[NSL_KF_MAX];
/* files: inums of the initial namespaces, by NSL_T_* (nothing pins those usefully) */
__u32 q_skip[NSL_T_MAX];

SEC("raw_tp")
int learn_fops(void *ctx)
{
	for (int i = 0; i < NSL_KF_MAX; i++) {
		struct file *f = current_file(q_fds[i]);

		known_fops[i] = f ? (__u64)BPF_CORE_READ(f, f_op) : 0;
	}
	return 0;
}

/*
 * A perf event fd: an anon inode file named "[perf_event]" (all
 * versions).  By name, not f_op: a sample perf_event_open costs ~10 ms.
 */
static __always_inline bool is_perf(struct file *f)
{
	static const char want[] = "[perf_event]";
	char name[sizeof(want)] = {};
	const unsigned char *p = BPF_CORE_READ(f, f_path.dentry, d_name.name);

	bpf_probe_read_kernel_str(name, sizeof(name), p);
	for (int i = 0; i < sizeof(want); i++)
		if (name[i] != want[i])
			return false;
	return true;
}

/* CLONE_NEW* -> NSL_T_* */
static __always_inline __u16 nsl_type_of(__u32 clone)
{
	switch (clone) {
	case 0x00020000: return NSL_T_MNT;
	case 0x40000000: return NSL_T_NET;
	case 0x04000000: return NSL_T_UTS;
	case 0x08000000: return NSL_T_IPC;
	case 0x20000000: return NSL_T_PID;
	case 0x10000000: return NSL_T_USER;
	case 0x02000000: return NSL_T_CGROUP;
	case 0x00000080: return NSL_T_TIME;
	default: return NSL_T_NONE;
	}
}

static __always_inline bool is_known(__u64 fop, int k)
{
	return fop && known_fops[k] == fop;
}


/* a sock's net ns: possible_net_t is one pointer whether or not CONFIG_NET_NS */
static __always_inline struct net *sock_net_of(struct sock *sk)
{
	return sk ? BPF_CORE_READ(sk, __sk_common.skc_net.net) : NULL;
}

/*
 * What namespace @f pins (out: *type, *obj), beyond its credentials.
 * Layouts are the same on 6.1, 6.12, 6.18 and 7.2 unless said.
 */
static __always_inline struct ns_common *classify(struct file *f, __u16 *what,
						   __u16 *type, __u64 *obj)
{
	__u64 fop = (__u64)BPF_CORE_READ(f, f_op);
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	unsigned long magic = BPF_CORE_READ(ino, i_sb, s_magic);
	void *priv = BPF_CORE_READ(f, private_data);
	struct seq_file *sf = priv;
	struct proc_mounts *pm;
	struct net *net;
	struct pid_namespace *pns;
	struct mnt_namespace *mnt;
	struct pid *pid;

	*obj = (__u64)f;
	if (is_known(fop, NSL_KF_PROC_NET_SEQ)) {
		/* seq_open_net: seq->private is a seq_net_private, net first */
		struct seq_net_private *snp = BPF_CORE_READ(sf, private);

		net = snp ? BPF_CORE_READ(snp, net) : NULL;
		goto net;
	}
	if (is_known(fop, NSL_KF_PROC_NET_SINGLE)) {
		/* single_open_net: seq->private is the struct net itself */
		net = BPF_CORE_READ(sf, private);
		goto net;
	}
	if (is_known(fop, NSL_KF_MOUNTS) || is_known(fop, NSL_KF_MOUNTINFO) ||
	    is_known(fop, NSL_KF_MOUNTSTATS)) {
		/* mounts_open_common: seq->private is a proc_mounts, get_mnt_ns'd */
		pm = BPF_CORE_READ(sf, private);
		mnt = pm ? BPF_CORE_READ(pm, ns) : NULL;
		if (!mnt)
			return NULL;
		*what = NSL_FILE_PROC_MOUNTS;
		*type = NSL_T_MNT;
		return &mnt->ns;
	}
	if (is_known(fop, NSL_KF_TUN)) {
		/*
		 * tun_chr_open: private_data is a tun_file, whose first member
		 * is its struct sock on every version (6.1 to 7.2), allocated
		 * in the opener's net ns with a reference (sk_alloc kern=0)
		 */
		net = sock_net_of(priv);
		*what = NSL_FILE_TUN;
		*obj = (__u64)priv;
		goto net_typed;
	}
	if (is_known(fop, NSL_KF_PIDFD)) {
		/*
		 * 6.1: an anon inode file (pidfd_fops), private_data is the
		 * struct pid.  6.9+ pidfs: the pidfs inode's i_private is.
		 */
		pid = magic == PID_FS_MAGIC ? BPF_CORE_READ(ino, i_private) : priv;
		*what = NSL_FILE_PIDFD;
		goto pid;
	}
	if (is_known(fop, NSL_KF_FSCONTEXT)) {
		/* alloc_fs_context: get_net(current's net ns), put in put_fs_context */
		net = BPF_CORE_READ((struct fs_context *)priv, net_ns);
		*what = NSL_FILE_FSCONTEXT;
		goto net_typed;
	}
	if (magic == ANON_INODE_FS_MAGIC && is_perf(f)) {
		/* perf_event_alloc: get_pid_ns(the opener's), put in _free_event */
		pns = BPF_CORE_READ((struct perf_event *)priv, ns);
		if (!pns)
			return NULL;
		*what = NSL_FILE_PERF;
		*type = NSL_T_PID;
		return &pns->ns;
	}
	if (magic == PROC_SUPER_MAGIC) {
		/* any /proc/PID inode holds a struct pid (proc_pid_make_inode) */
		pid = BPF_CORE_READ(container_of(ino, struct proc_inode, vfs_inode), pid);
		*what = NSL_FILE_PROC_PID;
		goto pid;
	}
	if (magic == NSFS_MAGIC) {
		struct ns_common *ns = BPF_CORE_READ(ino, i_private);

		*what = NSL_FILE_NSFS;
		*type = ns ? nsl_type_of(ns_clone_type(ns)) : NSL_T_NONE;
		return ns;
	}
	if ((BPF_CORE_READ(ino, i_mode) & S_IFMT) == S_IFSOCK) {
		/* sock_alloc_file: private_data is the struct socket */
		struct sock *sk = BPF_CORE_READ((struct socket *)priv, sk);

		net = sock_net_of(sk);
		*what = NSL_FILE_SOCKET;
		*obj = (__u64)sk;
		goto net_typed;
	}
	return NULL;
net:
	*what = NSL_FILE_PROC_NET;
net_typed:
	*type = NSL_T_NET;
	return net ? &net->ns : NULL;
pid:
	if (!pid)
		return NULL;
	pns = pid_level_ns(pid);
	*type = NSL_T_PID;
	/* the ns reference is per struct pid, however many files share it */
	*obj = (__u64)pid;
	return pns ? &pns->ns : NULL;
}

static __always_inline void emit_how(struct seq_file *seq, struct file *f, __u32 pid,
				     __u32 fd, __u32 slot, __u16 how, __u64 sock_ino)
{
	struct nsl_inspect_file r = { .sock_ino = sock_ino };
	struct ns_common *ns;
	__u16 what = 0, type = 0;

	ns = classify(f, &what, &type, &r.obj);
	if (!ns)
		return;
	fill(&r.ns, ns);
	if (!r.ns.inum || (type < NSL_T_MAX && q_skip[type & (NSL_T_MAX - 1)] == r.ns.inum))
		return;
	r.pid = pid;
	r.fd = fd;
	r.type = type;
	r.what = what | how;
	r.slot = slot;
	bpf_seq_write(seq, &r, sizeof(r));
}

static __always_inline void emit(struct seq_file *seq, struct file *f, __u32 pid,
				 __u32 fd, __u32 slot)
{
	emit_how(seq, f, pid, fd, slot, slot != ~0U ? NSL_FILE_IN_RING : 0, 0);
}

/*
 * The table of files registered in an io_uring ring.  6.13+ (6.18, 7.2):
 * file_table.data.nodes[i]->file_ptr, nr in file_table.data.nr.  6.1 and
 * 6.12: file_table.files[i].file_ptr, nr in ctx->nr_user_files.
 */
struct io_fixed_file___v61 {
	unsigned long file_ptr;
} __attribute__((preserve_access_index));

struct io_file_table___v61 {
	struct io_fixed_file___v61 *files;
} __attribute__((preserve_access_index));

struct io_ring_ctx___v61 {
	struct io_file_table___v61 file_table;
	unsigned int nr_user_files;
} __attribute__((preserve_access_index));

struct ring_walk {
	struct seq_file *seq;
	struct io_ring_ctx *ctx;
	__u32 pid, fd;
};

static long ring_slot(__u64 i, void *arg)
{
	struct ring_walk *w = arg;
	struct io_ring_ctx *ctx = w->ctx;
	unsigned long ptr = 0;

	if (bpf_core_field_exists(ctx->file_table.data)) {
		struct io_rsrc_node **nodes = BPF_CORE_READ(ctx, file_table.data.nodes);
		struct io_rsrc_node *n = NULL;

		bpf_probe_read_kernel(&n, sizeof(n), nodes + i);
		ptr = n ? BPF_CORE_READ(n, file_ptr) : 0;
	} else {
		struct io_ring_ctx___v61 *old = (void *)ctx;
		struct io_fixed_file___v61 *files = BPF_CORE_READ(old, file_table.files);

		bpf_probe_read_kernel(&ptr, sizeof(ptr), files + i);
	}
	ptr &= FFS_MASK;
	if (ptr)
		emit(w->seq, (struct file *)ptr, w->pid, w->fd, i);
	return 0;
}

static __always_inline void walk_uring(struct seq_file *seq, struct file *f,
				      __u32 pid, __u32 fd)
{
	struct ring_walk w = { .seq = seq, .pid = pid, .fd = fd };
	struct io_ring_ctx *rc = BPF_CORE_READ(f, private_data);
	unsigned int nr;

	if (!rc)
		return;
	w.ctx = rc;
	if (bpf_core_field_exists(rc->file_table.data))
		nr = BPF_CORE_READ(rc, file_table.data.nr);
	else
		nr = BPF_CORE_READ((struct io_ring_ctx___v61 *)rc, nr_user_files);
	bpf_loop(nr < RING_MAX ? nr : RING_MAX, ring_slot, &w, 0);
}

/*
 * Files in flight: the unix sockets whose receive queue holds files
 * (SCM_RIGHTS), by socket inode, with the generation of the run that saw
 * them; the file iterator that follows names the processes holding those
 * sockets.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u32);
} inflight_socks SEC(".maps");

__u32 q_gen;

#define SKB_MAX		64	/* skbs looked at per socket */
#define FP_MAX		253	/* SCM_MAX_FD */

struct flight_walk {
	struct seq_file *seq;
	struct sk_buff *head;	/* the queue head, as an skb: the end of the list */
	struct sk_buff *skb;
	struct scm_fp_list *fp;
	__u64 ino;
	__u32 nr;
	__u32 skb_i;
	bool any;
};

static long flight_file(__u64 i, void *arg)
{
	struct flight_walk *w = arg;
	struct file *f = NULL;
	/* scm_fp_list grew fields before fp[] (count_unix, inflight, edges... 6.10) */
	void *fp = (void *)w->fp + bpf_core_field_offset(struct scm_fp_list, fp);

	bpf_probe_read_kernel(&f, sizeof(f), fp + i * sizeof(f));
	if (f)
		emit_how(w->seq, f, 0, ~0U, w->skb_i << 8 | i, NSL_FILE_IN_FLIGHT, w->ino);
	return 0;
}

static long flight_skb(__u64 i, void *arg)
{
	struct flight_walk *w = arg;
	struct unix_skb_parms *cb;
	struct scm_fp_list *fp;
	struct sk_buff *skb = w->skb;
	short count;

	if (!skb || skb == w->head)
		return 1;
	/* UNIXCB(skb): skb->cb holds a unix_skb_parms on every version */
	cb = (void *)skb + bpf_core_field_offset(struct sk_buff, cb);
	fp = BPF_CORE_READ(cb, fp);
	w->fp = fp;
	if (fp) {
		count = BPF_CORE_READ(fp, count);
		w->any = true;
		w->skb_i = i;
		if (count > 0)
			bpf_loop(count < FP_MAX ? count : FP_MAX, flight_file, w, 0);
	}
	w->skb = BPF_CORE_READ(skb, next);
	return 0;
}

SEC("iter/unix")
int inflight(struct bpf_iter__unix *ctx)
{
	struct unix_sock *u = ctx->unix_sk;
	struct flight_walk w = { .seq = ctx->meta->seq };
	struct sock *sk;
	__u32 gen = q_gen;

	if (!u)
		return 0;
	sk = &u->sk;
	if (!BPF_CORE_READ(sk, sk_receive_queue.qlen))
		return 0;
	w.head = (struct sk_buff *)&sk->sk_receive_queue;
	w.skb = BPF_CORE_READ(sk, sk_receive_queue.next);
	w.ino = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
	bpf_loop(SKB_MAX, flight_skb, &w, 0);
	if (w.any && w.ino)
		bpf_map_update_elem(&inflight_socks, &w.ino, &gen, BPF_ANY);
	return 0;
}

/* an open unix socket with files in flight in its queue: who holds it */
static __always_inline void queue_owner(struct seq_file *seq, struct file *f,
					__u32 pid, __u32 fd)
{
	struct nsl_inspect_file r = {};
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	__u32 *gen;
	__u64 i;

	if ((BPF_CORE_READ(ino, i_mode) & S_IFMT) != S_IFSOCK)
		return;
	i = BPF_CORE_READ(ino, i_ino);
	gen = bpf_map_lookup_elem(&inflight_socks, &i);
	if (!gen || *gen != q_gen)
		return;
	r.pid = pid;
	r.fd = fd;
	r.what = NSL_FILE_QUEUE;
	r.sock_ino = i;
	r.slot = ~0U;
	bpf_seq_write(seq, &r, sizeof(r));
}

SEC("iter/task_file")
int files(struct bpf_iter__task_file *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct file *f = ctx->file;
	struct task_struct *t = ctx->task;
	struct user_namespace *u;
	struct nsl_inspect_file r = {};
	__u32 pid;

	if (!f || !t)
		return 0;
	pid = BPF_CORE_READ(t, tgid);
	u = BPF_CORE_READ(f, f_cred, user_ns);
	if (u) {
		fill(&r.ns, &u->ns);
		if (r.ns.inum && r.ns.inum != PROC_USER_INIT_INO) {
			r.pid = pid;
			r.fd = ctx->fd;
			r.type = NSL_T_USER;
			r.what = NSL_FILE_CRED;
			r.obj = (__u64)BPF_CORE_READ(f, f_cred);
			r.slot = ~0U;
			bpf_seq_write(seq, &r, sizeof(r));
		}
	}
	emit(seq, f, pid, ctx->fd, ~0U);
	if (is_known((__u64)BPF_CORE_READ(f, f_op), NSL_KF_IO_URING))
		walk_uring(seq, f, pid, ctx->fd);
	queue_owner(seq, f, pid, ctx->fd);
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
#define NSL_ENOENT	2
#define NSL_E2BIG	7
#define NSL_EOPNOTSUPP	95
/* bpf_loop's limit is BPF_MAX_LOOPS, 8M: each of a walk's two phases goes round at most once */
#define NSL_WALK_MAX	(1U << 22)
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
/*
 * Past NSL_TREE_MAX the walk goes on in later runs.  Each list is kept in
 * ns_id order (6.18 kernel/nstree.c __ns_tree_add_raw links a namespace
 * after its rb_prev; 7.2 measured so), so a run resumes after the last id
 * the previous one read: tree_from_list, tree_from_id in; on E2BIG with
 * tree_resume set, tree_next_* out.  A namespace made meanwhile with a
 * smaller id is missed, as by any one pass; none that stayed is.  A
 * list found out of order stops resumption (tree_resume 0).
 */
__u32 tree_cap;		/* the most one run reads, 0: NSL_TREE_MAX (tests lower it) */
__u32 tree_from_list;
__u64 tree_from_id;
__u32 tree_next_list;
__u64 tree_next_id;
__u32 tree_resume;

struct walk {
	struct list_head *start, *cur;
	u32 clone;		/* 6.18: the list's type; 0: any (unified) */
	u32 off;		/* offset of the list node in ns_common */
	u32 list;		/* its index in the order walked */
	u64 last;		/* the id last seen, for the order check */
	bool head;		/* phase 1: looking for the head */
};

/* the owning user ns of @ns, and a pid or user ns's parent: what the ioctls would give */
#define OF(T, ns)	((T *)((void *)(ns) - bpf_core_field_offset(T, ns)))
static __always_inline void tree_owner(struct nsl_inspect_tree *o, struct ns_common *ns,
				       u32 clone)
{
	struct user_namespace *u = NULL, *up;
	struct pid_namespace *pp;

	switch (clone) {
	case 0x00020000: u = BPF_CORE_READ(OF(struct mnt_namespace, ns), user_ns); break;
	case 0x40000000: u = BPF_CORE_READ(OF(struct net, ns), user_ns); break;
	case 0x04000000: u = BPF_CORE_READ(OF(struct uts_namespace, ns), user_ns); break;
	case 0x08000000: u = BPF_CORE_READ(OF(struct ipc_namespace, ns), user_ns); break;
	case 0x02000000: u = BPF_CORE_READ(OF(struct cgroup_namespace, ns), user_ns); break;
	case 0x00000080: u = BPF_CORE_READ(OF(struct time_namespace, ns), user_ns); break;
	case 0x20000000:
		u = BPF_CORE_READ(OF(struct pid_namespace, ns), user_ns);
		pp = BPF_CORE_READ(OF(struct pid_namespace, ns), parent);
		o->parent = pp ? BPF_CORE_READ(pp, ns.inum) : 0;
		break;
	case 0x10000000:
		/* a user ns's owner is its parent */
		up = BPF_CORE_READ(OF(struct user_namespace, ns), parent);
		o->parent = up ? BPF_CORE_READ(up, ns.inum) : 0;
		u = up;
		break;
	}
	o->owner = u ? BPF_CORE_READ(u, ns.inum) : 0;
}

static __always_inline void tree_put(struct ns_common *ns, u32 clone, u32 list, u64 id)
{
	struct nsl_inspect_tree *o;
	u32 n = tree_n;

	if (n >= NSL_TREE_MAX || (tree_cap && n >= tree_cap)) {
		tree_err = -NSL_E2BIG;
		return;
	}
	o = &tree_out[n];
	o->id = id;
	o->inum = BPF_CORE_READ(ns, inum);
	o->clone = clone;
	o->parent = 0;
	tree_owner(o, ns, clone);
	o->refs = ns_refcount(ns);
	o->addr = (u64)ns;
	o->active = (u32)-1;
	if (bpf_core_field_exists(((struct ns_common___v7 *)ns)->__ns_ref_active))
		o->active = BPF_CORE_READ((struct ns_common___v7 *)ns, __ns_ref_active.counter);
	tree_n = n + 1;
	tree_next_list = list;
	tree_next_id = id;
}

/* a real entry, not the list head: see ns_tree */
static __always_inline bool tree_entry(struct ns_common *ns, u32 want, u32 *clone)
{
	u32 c = ns_clone_type(ns);

	*clone = c;
	if (want ? c != want : !c || (c & ~ALL_CLONE_NEW) || (c & (c - 1)))
		return false;
	return BPF_CORE_READ(ns, inum) >= 0xEFFFFFF0U && ns_kernel_id(ns);
}

/* phase 1: back from our own namespace to the head (6.18 removes with list_bidir_del_rcu: prev stays valid) */
static int walk_back(u32 i, struct walk *w)
{
	struct list_head *prev = NULL;
	u32 clone;

	bpf_probe_read_kernel(&prev, sizeof(prev), &w->cur->prev);
	if (!prev || prev == w->start)
		return 1;
	w->cur = prev;
	if (tree_entry((void *)prev - w->off, w->clone, &clone))
		return 0;
	/* the head: the forward walk starts and ends here */
	w->start = prev;
	w->head = false;
	return 1;
}

/* phase 2: forward from the head, ids ascending */
static int walk_one(u32 i, struct walk *w)
{
	struct list_head *next = NULL;
	struct ns_common *ns;
	u32 clone;
	u64 id;

	bpf_probe_read_kernel(&next, sizeof(next), &w->cur->next);
	if (!next || next == w->start || tree_err)
		return 1;
	w->cur = next;
	ns = (void *)next - w->off;
	if (!tree_entry(ns, w->clone, &clone))
		return 0;	/* not a namespace of the list: a second head? */
	id = ns_kernel_id(ns);
	if (id <= w->last)
		tree_resume = 0;
	w->last = id;
	if (w->list == tree_from_list && id <= tree_from_id)
		return 0;	/* read by an earlier run */
	tree_put(ns, clone, w->list, id);
	return 0;
}

/*
 * One list, from its head so that ids come in order: back from our own
 * namespace to the head (one step for the host's, which have the
 * smallest ids), then forward round the ring.  The head is found again
 * each run, not kept: an entry taken for it by mistake (anything that
 * fails tree_entry) would be a namespace that can be freed meanwhile.
 * Such a start still goes round the whole ring, and the order check then
 * stops resumption.
 */
static __always_inline void walk_ring(struct ns_common *ns, u32 clone, u32 off, u32 list)
{
	struct walk w = { .clone = clone, .off = off, .list = list, .head = true };
	u64 id;

	if (!ns || list < tree_from_list || tree_err)
		return;
	w.start = w.cur = (void *)ns + off;
	bpf_loop(NSL_WALK_MAX, walk_back, &w, 0);
	if (!w.head) {
		w.cur = w.start;
		bpf_loop(NSL_WALK_MAX, walk_one, &w, 0);
		return;
	}
	/*
	 * round without a head: our namespace is on no list (its node
	 * links to itself); it alone is known, and no resumption
	 */
	id = ns_kernel_id(ns);
	if (tree_entry(ns, clone, &clone) && (list != tree_from_list || id > tree_from_id))
		tree_put(ns, clone, list, id);
	tree_resume = 0;
}

/*
 * procs: every task with what ls's process scan needs, which it used to
 * read from /proc/PID/stat and ten /proc/PID/ns links per process (70%
 * of its syscalls).  Each inum is what that link would show: proc's
 * ns_get_path() reads the nsproxy (gone once a task exits: a zombie's
 * links do not read), task_active_pid_ns() for "pid" and the real creds
 * for "user".  Direct loads from the iterator's task: no probe reads.
 */
#define PF_WQ_WORKER		0x00000020
#define EXIT_ZOMBIE		0x00000020

#define NSP_INO(p, f)	({ typeof((p)->f) __n = (p)->f; __n ? __n->ns.inum : 0; })

SEC("iter/task")
int procs(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct nsl_inspect_proc r = {};
	struct pid_namespace *pns;
	struct nsproxy *p;
	struct pid *pid;

	if (!t)
		return 0;
	r.tid = t->pid;
	r.tgid = t->tgid;
	pid = t->thread_pid;
	if (pid) {
		r.ppid = t->real_parent->tgid;
		pns = pid_level_ns(pid);
		r.inum[NSL_PROC_PID] = pns ? BPF_CORE_READ(pns, ns.inum) : 0;
	}
	if (t->exit_state == EXIT_ZOMBIE)
		r.flags |= NSL_PROCF_ZOMBIE;
	if (t->flags & PF_WQ_WORKER)
		r.flags |= NSL_PROCF_WQ;
	if (!t->files)
		r.flags |= NSL_PROCF_NOFILES;
	p = t->nsproxy;
	if (p) {
		r.inum[NSL_PROC_CGROUP] = NSP_INO(p, cgroup_ns);
		r.inum[NSL_PROC_IPC] = NSP_INO(p, ipc_ns);
		r.inum[NSL_PROC_MNT] = NSP_INO(p, mnt_ns);
		r.inum[NSL_PROC_NET] = NSP_INO(p, net_ns);
		r.inum[NSL_PROC_PID_CHILD] = NSP_INO(p, pid_ns_for_children);
		r.inum[NSL_PROC_TIME] = NSP_INO(p, time_ns);
		r.inum[NSL_PROC_TIME_CHILD] = NSP_INO(p, time_ns_for_children);
		r.inum[NSL_PROC_UTS] = NSP_INO(p, uts_ns);
	}
	r.inum[NSL_PROC_USER] = t->real_cred->user_ns->ns.inum;
	bpf_probe_read_kernel(r.comm, sizeof(r.comm), t->comm);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

/*
 * nsfds: the nsfs and socket fds of every process, what the /proc scan
 * found by listing each /proc/PID/fd and a statx per fd.  The leader's
 * table only, as /proc/PID/fd shows (threads sharing it are skipped by
 * the iterator; one with a table of its own is not a process's).
 */
SEC("iter/task_file")
int nsfds(struct bpf_iter__task_file *ctx)
{
	struct file *f = ctx->file;
	struct task_struct *t = ctx->task;
	struct nsl_inspect_fd r = {};
	struct inode *ino;
	struct socket *sock;

	if (!f || !t || t->pid != t->tgid)
		return 0;
	ino = f->f_inode;
	if (ino->i_sb->s_magic == NSFS_MAGIC) {
		r.kind = NSL_FD_NSFS;
		r.inum = ino->i_ino;
	} else if ((ino->i_mode & S_IFMT) == S_IFSOCK) {
		/* sock_alloc_file: private_data is the struct socket */
		sock = f->private_data;
		r.kind = NSL_FD_SOCKET;
		r.inum = BPF_CORE_READ(sock, sk, __sk_common.skc_net.net, ns.inum);
	} else {
		return 0;
	}
	r.tgid = t->tgid;
	r.fd = ctx->fd;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
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
	tree_resume = 1;
	if (!p) {
		tree_err = -NSL_EOPNOTSUPP;
		return 0;
	}
	if (bpf_core_field_exists(struct ns_common___v7, ns_unified_node)) {
		off = bpf_core_field_offset(struct ns_common___v7, ns_unified_node.ns_list_entry);
		walk_ring(&BPF_CORE_READ(p, mnt_ns)->ns, 0, off, 0);
		return 0;
	}
	if (!bpf_core_field_exists(struct ns_common, ns_list_node)) {
		tree_err = -NSL_EOPNOTSUPP;
		return 0;
	}
	off = bpf_core_field_offset(struct ns_common, ns_list_node);
	walk_ring(&BPF_CORE_READ(p, mnt_ns)->ns, 0x00020000, off, 0);
	walk_ring(&BPF_CORE_READ(p, uts_ns)->ns, 0x04000000, off, 1);
	walk_ring(&BPF_CORE_READ(p, ipc_ns)->ns, 0x08000000, off, 2);
	walk_ring(&BPF_CORE_READ(p, net_ns)->ns, 0x40000000, off, 3);
	walk_ring(&BPF_CORE_READ(p, pid_ns_for_children)->ns, 0x20000000, off, 4);
	walk_ring(&BPF_CORE_READ(p, cgroup_ns)->ns, 0x02000000, off, 5);
	walk_ring(&BPF_CORE_READ(p, time_ns)->ns, 0x00000080, off, 6);
	walk_ring(&u->ns, 0x10000000, off, 7);
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

/*
 * mnt_walk: every mount of the mount ns behind nsfs fd q_fd, for `ls`,
 * which only counts them: the nsfs mounts (which namespace) and procfs
 * mounts (which superblock, which pid ns).  Reading the tree costs a few
 * probe reads per mount, where /proc/PID/mountinfo has the kernel print
 * every mount's paths (~20 ms for 100 copies of a 320-mount table).
 * 6.1: a list in ns->list; 6.12+: an rbtree (ns->mounts, mount.mnt_node).
 * Unlocked: a table changing meanwhile may be read part old, part new,
 * as any snapshot of a moving host is.
 */
struct nsl_inspect_mnt mnt_out[NSL_MNT_MAX];
__u32 mnt_n;
int mnt_err;

struct mnt_walk {
	struct rb_node *rb;		/* 6.12+: the next node */
	struct list_head *pos, *head;	/* 6.1 */
};

/* an nsfs or procfs mount @m (an address; magic already read): its record */
static __always_inline void mnt_record(struct mount *m, unsigned long magic)
{
	struct super_block *sb = BPF_CORE_READ(m, mnt.mnt_sb);
	struct nsl_inspect_mnt *o;
	struct proc_fs_info *pi;
	struct pid_namespace *pns;
	struct ns_common *ns;
	__u32 n = mnt_n;

	if (n >= NSL_MNT_MAX) {
		mnt_err = -NSL_E2BIG;
		return;
	}
	o = &mnt_out[n];
	if (magic == NSFS_MAGIC) {
		/* nsfs: the mount's root is the namespace's own inode */
		ns = BPF_CORE_READ(m, mnt.mnt_root, d_inode, i_private);
		o->kind = NSL_MNT_NSFS;
		o->inum = BPF_CORE_READ(m, mnt.mnt_root, d_inode, i_ino);
		o->type = ns ? nsl_type_of(ns_clone_type(ns)) : NSL_T_NONE;
		o->id = ns ? ns_kernel_id(ns) : 0;
		o->dev = 0;
	} else {
		pi = BPF_CORE_READ(sb, s_fs_info);
		pns = pi ? BPF_CORE_READ(pi, pid_ns) : NULL;
		o->kind = NSL_MNT_PROC;
		o->inum = pns ? BPF_CORE_READ(pns, ns.inum) : 0;
		o->type = NSL_T_PID;
		o->id = 0;
		o->dev = BPF_CORE_READ(sb, s_dev);
	}
	o->pad = 0;
	mnt_n = n + 1;
}

/* every mount is read this far; few go on to mnt_record */
static __always_inline void mnt_put(struct mount *m)
{
	unsigned long magic = BPF_CORE_READ(m, mnt.mnt_sb, s_magic);

	if (magic == NSFS_MAGIC || magic == PROC_SUPER_MAGIC)
		mnt_record(m, magic);
}

/* the leftmost node below @n (64 levels: a red-black tree of 2^32 nodes) */
static __always_inline struct rb_node *rb_leftmost(struct rb_node *n)
{
	struct rb_node *l;
	int i;

	for (i = 0; i < 64 && n; i++) {
		l = BPF_CORE_READ(n, rb_left);
		if (!l)
			break;
		n = l;
	}
	return n;
}

/* in-order successor, as lib/rbtree.c's rb_next */
static __always_inline struct rb_node *rb_next_node(struct rb_node *n)
{
	struct rb_node *p, *r = BPF_CORE_READ(n, rb_right);
	int i;

	if (r)
		return rb_leftmost(r);
	for (i = 0; i < 64; i++) {
		p = (void *)(BPF_CORE_READ(n, __rb_parent_color) & ~3UL);
		if (!p || BPF_CORE_READ(p, rb_right) != n)
			return p;
		n = p;
	}
	return NULL;
}

static long mnt_step_rb(__u64 i, void *arg)
{
	struct mnt_walk *w = arg;

	if (!w->rb)
		return 1;
	mnt_put((void *)w->rb - bpf_core_field_offset(struct mount, mnt_node));
	w->rb = rb_next_node(w->rb);
	return 0;
}

static long mnt_step_list(__u64 i, void *arg)
{
	struct mnt_walk *w = arg;
	struct list_head *pos = w->pos;	/* a local: CO-RE must not see w */

	if (!pos || pos == w->head)
		return 1;
	mnt_put((void *)pos - bpf_core_field_offset(struct mount___v61list, mnt_list));
	w->pos = BPF_CORE_READ(pos, next);
	return 0;
}

/*
 * The walk's start: the mount ns behind q_fd, or NULL (mnt_err set).
 * Both walks begin here; only how they step differs.
 */
static __always_inline struct mnt_namespace *mnt_walk_ns(void)
{
	struct file *f = current_file(q_fd);
	struct ns_common *ns;

	mnt_n = 0;
	mnt_err = -NSL_ENOENT;
	if (!f || BPF_CORE_READ(f, f_inode, i_sb, s_magic) != NSFS_MAGIC)
		return NULL;
	ns = BPF_CORE_READ(f, f_inode, i_private);
	if (!ns || ns_clone_type(ns) != 0x00020000)	/* CLONE_NEWNS */
		return NULL;
	mnt_err = 0;
	return (void *)ns - bpf_core_field_offset(struct mnt_namespace, ns);
}

/* 6.1's list, by probe reads (both walks) */
static __always_inline void mnt_walk_list(struct mnt_namespace *mns)
{
	struct mnt_namespace___v61list *m61 = (void *)mns;
	struct mnt_walk w = {};

	if (!bpf_core_field_exists(m61->list)) {
		mnt_err = -NSL_EOPNOTSUPP;
		return;
	}
	w.head = (void *)m61 + bpf_core_field_offset(struct mnt_namespace___v61list, list);
	w.pos = BPF_CORE_READ(m61, list.next);
	bpf_loop(1 << 16, mnt_step_list, &w, 0);
}

/* the fallback where the kernel has no bpf_rdonly_cast (6.1): probe reads */
SEC("raw_tp")
int mnt_walk_probe(void *ctx)
{
	struct mnt_namespace___v612 *m612 = (void *)mnt_walk_ns();
	struct mnt_walk w = {};

	if (!m612)
		return 0;
	if (bpf_core_field_exists(m612->mounts.rb_node)) {
		w.rb = rb_leftmost(BPF_CORE_READ(m612, mounts.rb_node));
		bpf_loop(1 << 16, mnt_step_rb, &w, 0);
	} else {
		mnt_walk_list((void *)m612);
	}
	return 0;
}

/*
 * The same walk by direct loads: bpf_rdonly_cast (6.2+) turns an address
 * into a typed pointer the program may read through (a fault reads 0),
 * so each field is one load, where a probe read is a helper call (four or
 * five per mount: ~23% of an ls's CPU with 32,000 mounts).  Loaded where
 * the kernel has the kfunc; inspect.c falls back to mnt_walk_probe.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

#define RD_CAST(p, T) ((T *)bpf_rdonly_cast((void *)(p), bpf_core_type_id_kernel(T)))

/* mnt_put by one direct load per field: @addr is the mount's address */
static __always_inline void mnt_put_c(void *addr)
{
	struct mount *m = RD_CAST(addr, struct mount);
	unsigned long magic = m->mnt.mnt_sb->s_magic;

	if (magic == NSFS_MAGIC || magic == PROC_SUPER_MAGIC)
		mnt_record(addr, magic);
}

static __always_inline struct rb_node *rb_leftmost_c(struct rb_node *n)
{
	int i;

	for (i = 0; i < 64 && n && n->rb_left; i++)
		n = n->rb_left;
	return n;
}

static __always_inline struct rb_node *rb_next_c(struct rb_node *n)
{
	struct rb_node *p;
	int i;

	if (n->rb_right)
		return rb_leftmost_c(n->rb_right);
	for (i = 0; i < 64; i++) {
		p = RD_CAST(n->__rb_parent_color & ~3UL, struct rb_node);
		if (!p || p->rb_right != n)
			return p;
		n = p;
	}
	return NULL;
}

static long mnt_step_rb_c(__u64 i, void *arg)
{
	struct mnt_walk *w = arg;
	struct rb_node *n = w->rb;

	if (!n)
		return 1;
	mnt_put_c((void *)n - bpf_core_field_offset(struct mount, mnt_node));
	w->rb = rb_next_c(RD_CAST(n, struct rb_node));
	return 0;
}

SEC("raw_tp")
int mnt_walk(void *ctx)
{
	struct mnt_namespace___v612 *m612 = (void *)mnt_walk_ns();
	struct mnt_walk w = {};

	if (!m612)
		return 0;
	if (bpf_core_field_exists(m612->mounts.rb_node)) {
		w.rb = rb_leftmost_c(RD_CAST(m612, struct mnt_namespace___v612)->mounts.rb_node);
		bpf_loop(1 << 16, mnt_step_rb_c, &w, 0);
	} else {
		mnt_walk_list((void *)m612);
	}
	return 0;
}
