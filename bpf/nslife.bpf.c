// SPDX-License-Identifier: GPL-2.0
/*
 * nslife BPF side: namespace creation, joins, exits, nsfs mounts and opens,
 * and deaths, streamed as compact records (bpf/nslife.h) through one ring
 * buffer.
 *
 * Two attach strategies share this object; user space turns the losing
 * one's programs off before load:
 *  - tracepoint: tp_btf on fork/exit/syscalls/workqueue plus a periodic
 *    liveness poll that user space runs with BPF_PROG_TEST_RUN.  This is
 *    the only strategy on kernels that refuse fentry (the 6.18 fleet).
 *    Kernels without ns_id (before 6.18) also get the kfree and
 *    kmem_cache_free tracepoints: uts, cgroup, time (and mnt on 6.1) are
 *    freed synchronously there, and their address and inum are reused at
 *    once, so a free must be seen before the next create reuses both.
 *  - precise: fexit/fentry on the 6.18 ns tree, which every type passes
 *    through at publication and at death (tree_*); before 6.18, on each
 *    type's create and free functions (kf_*), with the poll and the
 *    teardown-work hook kept as a backstop.
 *
 * Every namespace seen is kept in `live`, keyed by its ns_common address.
 * Addresses are reused at once, so an entry is trusted only while its inum
 * and id still match what the kernel holds there.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "nslife.h"
#include "core_fixes.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define NSFS_MAGIC		0x6e736673
#define PROC_SUPER_MAGIC	0x9fa0
#define MS_REMOUNT		32
#define MS_BIND			4096
#define MS_MOVE			8192
/* MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED */
#define MS_PROPAGATION		(0xfULL << 17)
#define MOVE_MOUNT_F_EMPTY_PATH	0x00000004

#define CLONE_NEWTIME	0x00000080
#define CLONE_NEWNS	0x00020000
#define CLONE_NEWCGROUP	0x02000000
#define CLONE_NEWUTS	0x04000000
#define CLONE_NEWIPC	0x08000000
#define CLONE_NEWUSER	0x10000000
#define CLONE_NEWPID	0x20000000
#define CLONE_NEWNET	0x40000000

/* x86_64 syscall numbers; vmlinux/ is x86 only for now */
#define NR_open			2
#define NR_mount		165
#define NR_umount2		166
#define NR_unshare		272
#define NR_open_by_handle_at	304
#define NR_setns		308
#define NR_openat		257
#define NR_open_tree		428
#define NR_move_mount		429
#define NR_fsmount		432
#define NR_openat2		437
#define NR_open_tree_attr	467

/* set by user space before load */
const volatile __u32 self_tgid;
/* nslife's executable: inode and (kernel-encoded) device of /proc/self/exe */
const volatile __u64 self_exe_ino;
const volatile __u32 self_exe_dev;
const volatile __u64 wq_free_user_ns;		/* address of free_user_ns() */
const volatile __u64 wq_destroy_pid_ns;	/* destroy_pid_namespace_work(), 6.18 */
/* inums of pid 1's namespaces, by enum nsl_type: the host's */
const volatile __u32 host_inum[NSL_T_MAX];
/*
 * bit (1 << enum nsl_type) set: a precise hook reports that type's
 * creation, so a syscall that changed a task's namespaces only learns them
 */
const volatile __u32 precise_create;

/*
 * Wake the reader only for a free (at most one per wake_gap_ns, below),
 * or once this many bytes wait (0: the kernel's default, which wakes
 * whenever the reader has caught up).  Everything else waits for the
 * reader's next periodic pass (its poll period, 50 ms by default): one
 * wake-up per batch rather than per record.
 */
const volatile __u64 wake_bytes;

/* one u64 in .bss: next id for kernels without ns_id */
__u64 next_local_id = 1;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/*
 * Failed ring-buffer reservations.  In .bss, which user space reads
 * through its mmap on every pass; it was a per-CPU map, and reading it
 * took a syscall (and a calloc) per pass.  An atomic add only when a
 * record is lost.
 */
__u64 rb_lost;

struct ns_val {
	__u64 id;
	__u32 inum;
	__u8 type;
	__u8 created;		/* its create was reported */
	__u8 pad[2];
	__u32 slot;		/* its index in `slots` (with the liveness poll) */
	__u32 pad2;
	/*
	 * when it was learned (boot ns), to the ns: in Debian's 6.12 guest
	 * one unshare came 33-77 us after the last (t_trace_peek)
	 */
	__u64 seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);		/* struct ns_common * */
	__type(value, struct ns_val);
} live SEC(".maps");

/*
 * The liveness poll's list of `live`: slot i holds the address of an
 * entry whose ns_val.slot is i, or 0.  The poll walks the slots handed out
 * (bpf_loop), not the hash map: bpf_for_each_map_elem visits every bucket
 * of the 65,536, which took 220 of its 440 us per run here with ~1,000
 * namespaces.  Only the poll frees slots (one at a time: user space runs
 * it), so a slot is never handed out twice: an entry deleted elsewhere
 * (a free hook) leaves its slot for the poll to find stale and free.
 * Sized like `live` by the loader.
 *
 * A slot also keeps the entry's inum and id: when the namespace at that
 * address still has them, it is alive and the poll is done with it, with
 * no lookup in `live` (that lookup was two thirds of the poll's samples
 * on the namespace churn).  Only when they differ does the poll look `live` up,
 * which stays the authority: a stale copy costs that lookup, no event.
 * The free hooks clear the copy's inum, so a freed namespace whose memory
 * still looks alive does not keep its slot.
 */
const volatile bool use_slots;	/* the liveness poll is loaded */
const volatile __u32 live_max;	/* = max_entries of live, slots, free_slots */
__u64 slots_used;		/* high-water mark of slots handed out */

struct slot {
	__u64 ptr;		/* struct ns_common *, 0: free */
	__u64 id;
	__u32 inum;		/* 0: look `live` up */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct slot);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 65536);
	__type(value, __u32);		/* slots the poll freed */
} free_slots SEC(".maps");

/* what slot i says of the namespace at ptr (inum 0: look it up in `live`) */
static __always_inline void slot_note(__u32 i, __u64 ptr, __u64 id, __u32 inum)
{
	struct slot *sp;

	if (!use_slots)
		return;
	sp = bpf_map_lookup_elem(&slots, &i);
	if (sp && sp->ptr == ptr) {
		sp->id = id;
		sp->inum = inum;
	}
}

/* a free hook's delete: the poll frees the slot the next time it looks */
static __always_inline void live_delete(__u64 ptr, const struct ns_val *v)
{
	__u32 slot = v->slot;

	bpf_map_delete_elem(&live, &ptr);
	slot_note(slot, ptr, 0, 0);
}

static __always_inline int slot_alloc(__u32 *idx)
{
	__u64 n;

	if (!bpf_map_pop_elem(&free_slots, idx))
		return 0;
	if (slots_used >= live_max)
		return -1;
	/* a u64: clang -mcpu=v1 has no 32-bit fetch-and-add with a result */
	n = __sync_fetch_and_add(&slots_used, 1);
	*idx = n;
	return n < live_max ? 0 : -1;
}

/*
 * ≤6.17 only: the start of each namespace struct in `live` (what kfree and
 * kmem_cache_free see) → its ns_common.  LRU: an entry whose free was
 * missed just ages out; every hit is validated against `live`.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);		/* struct base address */
	__type(value, __u64);		/* struct ns_common * */
} bases SEC(".maps");

/*
 * A task's namespaces, in slots.  The first S_MEMBER are the ones a task
 * is a member of; the *_for_children slots come last: unshare(NEWPID or
 * NEWTIME) creates a namespace the caller never enters.
 */
enum {
	S_MNT, S_NET, S_UTS, S_IPC, S_CGROUP, S_TIME, S_USER, S_PID,
	S_MEMBER,
	S_PID4C = S_MEMBER, S_TIME4C,
	S_NR,
};

struct pending {
	__u64 slot[S_NR];
	__u64 arg[4];
	__u64 since;		/* boot ns at the syscall's entry */
	__u32 nr;
	__u32 pad;
};

/*
 * LRU: a task killed inside a followed syscall never reaches sys_exit,
 * and its entry would stay until the tid comes round again.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);		/* tid in a syscall we follow */
	__type(value, struct pending);
} pending SEC(".maps");

/*
 * nslife's own processes: the collector (self_tgid) and every process it
 * forks, and theirs: the scan children that setns into a mount namespace
 * to read it, the daemon's query children.  Their opens, joins and leaves
 * are nslife looking, not part of any namespace's life.  By tgid, set at
 * fork and cleared at exit, and by executable (other runs of this very
 * nslife binary: one-shot scans, whose transient opens a log could never
 * see closed); never by comm: any process can call itself "nslife", and
 * it is traced like any other.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);		/* tgid */
	__type(value, __u8);
} self_tgids SEC(".maps");

/*
 * Other runs of the nslife binary are put in self_tgids when they exec it
 * (tp_sched_process_exec) or, for those already running, by the task
 * iterator that seeds the map: the exe_file chain is read once per exec,
 * not on every fork and exit of the host.
 */
static __always_inline bool is_self(__u32 tgid)
{
	return tgid == self_tgid || bpf_map_lookup_elem(&self_tgids, &tgid);
}

/* is @exe nslife's executable? */
static __always_inline bool is_self_exe(struct file *exe)
{
	struct inode *ino = BPF_CORE_READ(exe, f_inode);

	return self_exe_ino && ino && BPF_CORE_READ(ino, i_ino) == self_exe_ino &&
	       BPF_CORE_READ(ino, i_sb, s_dev) == self_exe_dev;
}

static __always_inline void mark_self(__u32 tgid)
{
	__u8 one = 1;

	bpf_map_update_elem(&self_tgids, &tgid, &one, BPF_ANY);
}

static __always_inline bool current_is_self(void)
{
	return is_self(bpf_get_current_pid_tgid() >> 32);
}

/*
 * Staging for a clone's slots (too big for the 512-byte stack with the
 * rest), per task: a per-CPU buffer is not private on 7.x, where tracing
 * programs run preemptible (tracepoint probes under SRCU, not with
 * preemption off: include/linux/tracepoint.h), so another task on the
 * same CPU could overwrite it half way.  Entries live for one program run.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);		/* tid of the parent in clone */
	__type(value, struct pending);
} clone_scratch SEC(".maps");

/*
 * Inserts `live` refused (full): namespaces whose death the liveness poll
 * will never see.  live_full: met in a traced task's event, a loss user
 * space reports and resyncs on; live_full_self: in nslife's own seeding
 * and scans (the resync's own opens), said once, never resynced on.
 */
__u64 live_full;
__u64 live_full_self;
/*
 * Inserts refused for another reason than room (-E2BIG), in traced
 * tasks: lost too, but not "full".  In Debian's 6.1 guest one insert of
 * 2,000 was refused about once in six t_trace_peek runs with the map
 * nearly empty; live_refused_err keeps the last errno so that the loss
 * is named by what the kernel said.
 */
__u64 live_refused;
__u32 live_refused_err;

#define NSL_E2BIG	7
#define NSL_EEXIST	17

/*
 * ≤6.3: the verifier turns a map helper call into a direct call of the
 * map's op, which returned int until "bpf: return long from bpf_map_ops
 * funcs" (v6.4): the error is in the low 32 bits only, zero-extended
 * (-EEXIST read as 4294967279).  Measured in Debian's 6.1 guest: a
 * BPF_NOEXIST insert that lost its race was not taken for -EEXIST.
 */
static __always_inline int map_err(long err)
{
	return (int)err;
}

static __always_inline void live_full_count(long err)
{
	if (is_self(bpf_get_current_pid_tgid() >> 32)) {
		__sync_fetch_and_add(&live_full_self, 1);
	} else if (err && map_err(err) != -NSL_E2BIG) {
		live_refused_err = -map_err(err);
		__sync_fetch_and_add(&live_refused, 1);
	} else {
		__sync_fetch_and_add(&live_full, 1);
	}
}

static const struct pending pending_zero;

/*
 * A twin hook's test (see sys_twins, task_twins): true if its first
 * program left its mark under @key in @map, which it takes; else the twin
 * does the work itself and counts a rescue in @rescued.
 */
static __always_inline bool twin_mark_taken(void *map, __u32 key, __u64 *rescued)
{
	if (bpf_map_lookup_elem(map, &key)) {
		bpf_map_delete_elem(map, &key);
		return true;
	}
	__sync_fetch_and_add(rescued, 1);
	return false;
}

/* a zeroed entry of @map for @tid, in the map itself (see clone_scratch) */
static __always_inline struct pending *pending_new(void *map, __u32 tid)
{
	if (bpf_map_update_elem(map, &tid, &pending_zero, BPF_ANY))
		return NULL;
	return bpf_map_lookup_elem(map, &tid);
}

static __always_inline __u8 slot_type(int s)
{
	switch (s) {
	case S_MNT:	return NSL_T_MNT;
	case S_NET:	return NSL_T_NET;
	case S_UTS:	return NSL_T_UTS;
	case S_IPC:	return NSL_T_IPC;
	case S_CGROUP:	return NSL_T_CGROUP;
	case S_TIME:
	case S_TIME4C:	return NSL_T_TIME;
	case S_USER:	return NSL_T_USER;
	default:	return NSL_T_PID;
	}
}

static __always_inline __u8 type_of_clone(__u32 cl)
{
	switch (cl) {
	case CLONE_NEWNS:	return NSL_T_MNT;
	case CLONE_NEWNET:	return NSL_T_NET;
	case CLONE_NEWUTS:	return NSL_T_UTS;
	case CLONE_NEWIPC:	return NSL_T_IPC;
	case CLONE_NEWPID:	return NSL_T_PID;
	case CLONE_NEWUSER:	return NSL_T_USER;
	case CLONE_NEWCGROUP:	return NSL_T_CGROUP;
	case CLONE_NEWTIME:	return NSL_T_TIME;
	}
	return NSL_T_NONE;
}

/* address of the ns_common embedded in a namespace struct, 0 for NULL */
#define NSC(p, T) ((p) ? (__u64)(p) + bpf_core_field_offset(T, ns) : 0)

/*
 * The address the allocator handed out for the namespace whose ns_common
 * is at @ptr; 0 for net, whose struct is freed only at the next netns
 * cleanup (its death is the refcount reaching 0, seen by the poll).
 */
static __always_inline __u64 ns_base(__u64 ptr, __u8 type)
{
	switch (type) {
	case NSL_T_MNT:	return ptr - bpf_core_field_offset(struct mnt_namespace, ns);
	case NSL_T_UTS:	return ptr - bpf_core_field_offset(struct uts_namespace, ns);
	case NSL_T_IPC:	return ptr - bpf_core_field_offset(struct ipc_namespace, ns);
	case NSL_T_PID:	return ptr - bpf_core_field_offset(struct pid_namespace, ns);
	case NSL_T_USER: return ptr - bpf_core_field_offset(struct user_namespace, ns);
	case NSL_T_CGROUP: return ptr - bpf_core_field_offset(struct cgroup_namespace, ns);
	case NSL_T_TIME: return ptr - bpf_core_field_offset(struct time_namespace, ns);
	}
	return 0;
}

/*
 * @t is a BTF pointer in every caller (a tp_btf argument, the current
 * task, an iterator's task).  The namespace pointers must end up scalars:
 * loaded directly they stay typed pointers, and the verifier cannot merge
 * a state where a slot is a pointer with one where it is 0 (tp_task_newtask
 * went past the 1M-instruction limit on 6.18).  So the pointers to them
 * are walked directly and the pointers themselves probe-read: nsproxy's in
 * one read, 3 helper calls in all where each field was one or two (14:
 * sys_enter's unshare hook took 830 ns a run on 6.18).
 */
#define NSPROXY_MAX	96	/* 72 bytes in 6.1 to 7.2 */

static __always_inline __u64 task_pid_ns(struct task_struct *t)
{
	struct pid *p = t->thread_pid;
	struct pid_namespace *pns = NULL;
	unsigned int lvl;

	if (!p)
		return 0;
	lvl = p->level;
	bpf_probe_read_kernel(&pns, sizeof(pns), (void *)p +
			      bpf_core_field_offset(struct pid, numbers) +
			      lvl * bpf_core_type_size(struct upid) +
			      bpf_core_field_offset(struct upid, ns));
	return NSC(pns, struct pid_namespace);
}

#define NSP_FIELD(buf, f) \
	(*(__u64 *)((buf) + bpf_core_field_offset(struct nsproxy, f)))

static __always_inline void read_slots(struct task_struct *t, __u64 *s)
{
	struct nsproxy *nsp = t->nsproxy;
	struct user_namespace *uns = NULL;
	char buf[NSPROXY_MAX];
	__u32 size = bpf_core_type_size(struct nsproxy);

	if (nsp && size <= sizeof(buf) &&
	    !bpf_probe_read_kernel(buf, size, nsp)) {
		s[S_MNT] = NSC(NSP_FIELD(buf, mnt_ns), struct mnt_namespace);
		s[S_NET] = NSC(NSP_FIELD(buf, net_ns), struct net);
		s[S_UTS] = NSC(NSP_FIELD(buf, uts_ns), struct uts_namespace);
		s[S_IPC] = NSC(NSP_FIELD(buf, ipc_ns), struct ipc_namespace);
		s[S_CGROUP] = NSC(NSP_FIELD(buf, cgroup_ns), struct cgroup_namespace);
		s[S_TIME] = NSC(NSP_FIELD(buf, time_ns), struct time_namespace);
		s[S_PID4C] = NSC(NSP_FIELD(buf, pid_ns_for_children), struct pid_namespace);
		s[S_TIME4C] = NSC(NSP_FIELD(buf, time_ns_for_children), struct time_namespace);
	}
	bpf_probe_read_kernel(&uns, sizeof(uns), &t->cred->user_ns);
	s[S_USER] = NSC(uns, struct user_namespace);
	s[S_PID] = task_pid_ns(t);
}

/*
 * The id of a namespace: ns_id (6.18), net_cookie (net, ≤6.17), seq (mnt,
 * ≤6.17); 0 when only nslife can make one up.
 */
static __always_inline __u64 kernel_id(const struct ns_common *ns, __u8 type)
{
	__u64 id = ns_kernel_id(ns);

	if (id)
		return id;
	if (type == NSL_T_NET && bpf_core_field_exists(((struct net *)0)->net_cookie))
		return BPF_CORE_READ((struct net *)((void *)ns -
				     bpf_core_field_offset(struct net, ns)), net_cookie);
	if (type == NSL_T_MNT) {
		/* seq and net_cookie count from 1 each: tag seq apart */
		id = mnt_ns_seq((struct mnt_namespace *)((void *)ns -
				bpf_core_field_offset(struct mnt_namespace, ns)));
		return id ? NSL_ID_MNTSEQ | id : 0;
	}
	return 0;
}

static __always_inline void hdr_fill(struct nsl_hdr *h, __u8 kind, __u8 how,
				     __u16 size)
{
	__u64 pt = bpf_get_current_pid_tgid();

	h->kind = kind;
	h->how = how;
	h->size = size;
	h->pid = pt >> 32;
	h->tid = (__u32)pt;
	h->cpu = bpf_get_smp_processor_id();
	h->ts = bpf_ktime_get_boot_ns();
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

static __always_inline void count_lost(void)
{
	__sync_fetch_and_add(&rb_lost, 1);
}

/*
 * when a free last woke the reader (boot ns), and how long after it the
 * next free waits for the reader's pass instead (the reader passes that
 * soon after any pass that read records: nsl_tracer_poll)
 */
__u64 free_woke;
const volatile __u64 wake_gap_ns;
/*
 * the reader's next pass (boot ns), set by it before it sleeps when that
 * pass is at most wake_gap_ns away (it read records last time), else 0
 */
__u64 reader_due;

/*
 * A wake-up is an irq_work self-IPI and a task wake-up: measured at 20-30
 * us of the hook's time on this 6.18 VM, more than the rest of its work.
 */
static __always_inline __u64 wake_flags(__u8 kind)
{
	__u64 now;

	if (!wake_bytes)
		return 0;
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wake_bytes)
		return BPF_RB_FORCE_WAKEUP;
	/* the reader itself (its liveness poll) reads right after */
	if (kind != NSL_EV_FREE || (bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return BPF_RB_NO_WAKEUP;
	now = bpf_ktime_get_boot_ns();
	/*
	 * The reader comes by within the gap anyway: in a churn, every free
	 * woke it once per gap (about 200 wake-ups a second) for nothing.
	 */
	if (now < *(volatile __u64 *)&reader_due)
		return BPF_RB_NO_WAKEUP;
	if (now - free_woke < wake_gap_ns)
		return BPF_RB_NO_WAKEUP;
	free_woke = now;
	return BPF_RB_FORCE_WAKEUP;
}

static __always_inline void emit(__u8 kind, __u8 how, const struct nsl_ns *ns,
				 const struct nsl_ns *aux, __u32 arg, __u64 val)
{
	struct nsl_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost();
		return;
	}
	hdr_fill(&e->h, kind, how, sizeof(*e));
	e->ns = *ns;
	if (aux)
		e->aux = *aux;
	else
		__builtin_memset(&e->aux, 0, sizeof(e->aux));
	e->arg = arg;
	e->flags = 0;
	e->val = val;
	/* who made it: user space names the container or unit of the cgroup */
	if (kind == NSL_EV_CREATE && !aux) {
		e->aux.id = bpf_get_current_cgroup_id();
		e->flags = NSL_EF_CGROUP;
	}
	/*
	 * who joined it: runc joins the net ns podman made from inside the
	 * container's cgroup (aux is the namespace left, so val holds it)
	 */
	if (kind == NSL_EV_JOIN) {
		e->val = bpf_get_current_cgroup_id();
		e->flags = NSL_EF_JOIN_CGROUP;
	}
	bpf_ringbuf_submit(e, wake_flags(kind));
}

static __always_inline void to_ns(struct nsl_ns *o, const struct ns_val *v)
{
	o->id = v->id;
	o->inum = v->inum;
	o->type = v->type;
	o->pad[0] = o->pad[1] = o->pad[2] = 0;
}

/* @v, the namespace's entry: fill @out; 1 once for its create (see below) */
static __always_inline int known_entry(struct ns_val *v, struct nsl_ns *out, bool fresh)
{
	to_ns(out, v);
	if (!fresh || v->created)
		return 0;
	v->created = 1;
	return 1;
}

/*
 * Learn the namespace at @ptr and fill @out.  Returns 1 when it was not
 * known before (or its address now holds a different namespace: the old
 * one is reported freed first), 0 when known, -1 on a bad pointer.
 *
 * @fresh: the caller knows the namespace was made by a call that began at
 * @since (boot ns); 1 is then returned once, for its create, even where
 * it is known already.  (Two arguments, not @since alone with 0 for
 * none: a branch on @since, unknown to the verifier, took twice the
 * verification time of every program with diff_slots.)  A look at it
 * can come first: an open of /proc/PID/ns/X (nslife's own scans,
 * anyone's) between the unshare's switch of namespaces and its sys_exit,
 * or between a clone's attach_pid and task_newtask (kernel/fork.c, 6.1
 * to 7.2): t_trace_peek.
 * Without a kernel id (uts, ipc, pid, user, cgroup, time before 6.18) an
 * entry with the same address and inum learned before @since is one whose
 * free was missed: address and inum are both reused at once.
 */
static __always_inline int note_ns_fresh(__u64 ptr, __u8 type, struct nsl_ns *out,
					 bool fresh, __u64 since)
{
	long err;
	__u64 base;
	const struct ns_common *ns = (void *)ptr;
	struct ns_val *v, nv = {};
	struct nsl_ns old;

	if (!ptr)
		return -1;
	nv.inum = BPF_CORE_READ(ns, inum);
	if (!nv.inum)
		return -1;
	if (type == NSL_T_NONE)
		type = type_of_clone(ns_clone_type(ns));
	nv.type = type;
	nv.id = kernel_id(ns, type);

	v = bpf_map_lookup_elem(&live, &ptr);
	if (v && v->inum == nv.inum && v->type == nv.type &&
	    (nv.id ? v->id == nv.id : !fresh || v->seen >= since))
		return known_entry(v, out, fresh);
	nv.created = fresh;
	nv.seen = bpf_ktime_get_boot_ns();
	if (v) {
		/* the address was reused: the namespace once here is gone */
		to_ns(&old, v);
		emit(NSL_EV_FREE, NSL_HOW_POLL, &old, NULL, 0, 0);
	}
	if (!nv.id)
		nv.id = NSL_ID_LOCAL | __sync_fetch_and_add(&next_local_id, 1);
	if (v) {
		/* the address keeps its slot, which names the new one now */
		nv.slot = v->slot;
		bpf_map_update_elem(&live, &ptr, &nv, BPF_ANY);
		slot_note(nv.slot, ptr, nv.id, nv.inum);
	} else if (use_slots && slot_alloc(&nv.slot)) {
		live_full_count(0);	/* no free slot: as many entries as slots */
	} else if ((err = bpf_map_update_elem(&live, &ptr, &nv, BPF_NOEXIST))) {
		/* never published: nobody else knows it */
		if (use_slots)
			bpf_map_push_elem(&free_slots, &nv.slot, 0);
		/*
		 * Another task put it in `live` since our lookup, on another
		 * CPU or, fentry programs running preemptible (see the fsc_
		 * hooks), on this one; where there is no kernel id each makes
		 * up its own, so an open overwriting its unshare's entry
		 * named an id with no create (Debian's 6.12 guest,
		 * t_trace_peek).  Take the one there.
		 */
		if (map_err(err) == -NSL_EEXIST) {
			v = bpf_map_lookup_elem(&live, &ptr);
			return v ? known_entry(v, out, fresh) : -1;
		}
		live_full_count(err);
	} else if (use_slots) {
		/* published after the entry: the poll never sees a slot whose entry is yet to come */
		struct slot *sp = bpf_map_lookup_elem(&slots, &nv.slot);

		if (sp) {
			sp->id = nv.id;
			sp->inum = nv.inum;
			sp->ptr = ptr;
		}
	}
	/* ≤6.17: no ns_id, so the memory free is the free signal to key on */
	if (!bpf_core_field_exists(((struct ns_common *)0)->ns_id)) {
		base = ns_base(ptr, type);
		if (base)
			bpf_map_update_elem(&bases, &base, &ptr, BPF_ANY);
	}
	to_ns(out, &nv);
	return 1;
}

static __always_inline int note_ns(__u64 ptr, __u8 type, struct nsl_ns *out)
{
	return note_ns_fresh(ptr, type, out, false, 0);
}

static __always_inline __u32 slot_clone_flag(int s)
{
	switch (s) {
	case S_MNT:	return CLONE_NEWNS;
	case S_NET:	return CLONE_NEWNET;
	case S_UTS:	return CLONE_NEWUTS;
	case S_IPC:	return CLONE_NEWIPC;
	case S_CGROUP:	return CLONE_NEWCGROUP;
	case S_USER:	return CLONE_NEWUSER;
	case S_TIME:
	case S_TIME4C:	return CLONE_NEWTIME;
	default:	return CLONE_NEWPID;
	}
}

/*
 * The namespace a task left, if nslife still knows it.  Not learned anew:
 * unshare and setns drop the old one before they return, and where that
 * was its last reference it is freed already (uts, in switch_task_namespaces
 * on 6.1 to 7.2), its entry gone with its free event.  Noting it again read
 * the freed memory and made up a namespace (≤6.17: a new local id, soon
 * reported freed): a LEAVE of it in Debian's 6.12 guest, and then an open
 * of the next namespace at that address taken for it (t_trace_peek).
 */
static __always_inline int known_ns(__u64 ptr, struct nsl_ns *out)
{
	const struct ns_val *v = bpf_map_lookup_elem(&live, &ptr);

	if (!v)
		return -1;
	to_ns(out, v);
	return 0;
}

/*
 * A task changed namespaces: report what was created (clone, unshare) and
 * what it joined and left.  @flags are the CLONE_NEW* flags of the call; a
 * new address in a slot whose flag is clear is a namespace that existed
 * before nslife saw it, so it is only learned.  @since: when the call
 * began (boot ns; see note_ns_fresh).
 */
static __always_inline void diff_slots(const __u64 *before, const __u64 *after,
				       __u8 how, __u32 member, __u64 flags,
				       __u64 since)
{
	struct nsl_ns n, o;
	int s, fresh;
	bool new, self = current_is_self();

	#pragma unroll
	for (s = 0; s < S_NR; s++) {
		if (before[s] == after[s] || !after[s])
			continue;
		/*
		 * With its CLONE_NEW* flag the call made the namespace now,
		 * unless a precise hook reported that already; the
		 * *_for_children slot of a clone is the child's own new ns.
		 */
		new = (flags & slot_clone_flag(s)) &&
		      !(precise_create & (1U << slot_type(s))) &&
		      !(s == S_PID4C && after[s] == after[S_PID]) &&
		      !(s == S_TIME4C && after[s] == after[S_TIME]);
		fresh = note_ns_fresh(after[s], slot_type(s), &n, new, since);
		if (fresh < 0)
			continue;
		if (fresh && (flags & slot_clone_flag(s)))
			emit(NSL_EV_CREATE, how, &n, NULL, member, flags);
		/* nslife's own setns: a look, not a member */
		if (s >= S_MEMBER || self)
			continue;
		/* a new child was never in its parent's namespaces */
		if (known_ns(before[s], &o) < 0)
			__builtin_memset(&o, 0, sizeof(o));
		else if (how != NSL_HOW_CLONE)
			emit(NSL_EV_LEAVE, how, &o, &n, member, 0);
		emit(NSL_EV_JOIN, how, &n, &o, member, 0);
	}
}

/* ---- creation and joins ---------------------------------------------- */

/*
 * 7.x: the twins of the task hooks (tp_task_newtask, tp_sched_process_exit),
 * loaded where tracing programs run preemptible (see clone_scratch): a run
 * preempted in one task makes the kernel skip the hook in every other task
 * that forks or exits on that CPU meanwhile.  Measured on Debian's 7.2: one
 * skipped sched_process_exit run in a t_trace_poll_slice run, which lost
 * that exit's leave events.  Each twin redoes only what its first program
 * skipped: both run the same cheap filters, and a first program that got
 * past them leaves a mark (the clone's scratch entry; an exit_seen entry).
 */
const volatile bool task_twins;
__u64 task_twin_rescued;

/*
 * task_newtask fires in the parent once copy_process() has given the child
 * its namespaces, and carries the clone flags (unsigned long in 6.1, u64 in
 * 6.18: the same 8 bytes on x86_64).  Most forks share everything: leave
 * them after two comparisons.
 */
static __always_inline void newtask(struct task_struct *child, __u64 clone_flags,
				    bool twin)
{
	struct task_struct *parent = bpf_get_current_task_btf();
	__u32 tgid = child->tgid, ptid;
	struct pending *p;
	__u64 after[S_NR] = {};

	/*
	 * Run on every fork of the host: direct BTF loads (no probe-read
	 * calls) and the cheapest tests first.  A process nslife forks is
	 * nslife's too (threads share the tgid).
	 */
	if (tgid != parent->tgid && is_self(parent->tgid))
		mark_self(tgid);
	if (child->nsproxy == parent->nsproxy && !(clone_flags & CLONE_NEWUSER) &&
	    child->thread_pid->level == parent->thread_pid->level)
		return;
	ptid = (__u32)bpf_get_current_pid_tgid();
	/* the twin: the first program's scratch entry is its mark */
	if (twin && twin_mark_taken(&clone_scratch, ptid, &task_twin_rescued))
		return;
	p = pending_new(&clone_scratch, ptid);
	if (!p)
		return;
	read_slots(parent, p->slot);
	read_slots(child, after);
	/*
	 * copy_process() makes the namespaces before it sets start_boottime,
	 * and shows the child in /proc (attach_pid) only after (6.1 to 7.2)
	 */
	diff_slots(p->slot, after, NSL_HOW_CLONE, BPF_CORE_READ(child, pid),
		   clone_flags, child->start_boottime);
	if (twin || !task_twins)
		bpf_map_delete_elem(&clone_scratch, &ptid);
}

SEC("tp_btf/task_newtask")
int BPF_PROG(tp_task_newtask, struct task_struct *child, __u64 clone_flags)
{
	newtask(child, clone_flags, false);
	return 0;
}

SEC("tp_btf/task_newtask")
int BPF_PROG(tp_task_newtask_twin, struct task_struct *child, __u64 clone_flags)
{
	newtask(child, clone_flags, true);
	return 0;
}

/* a task that execs nslife's binary is nslife's (see is_self) */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(tp_sched_process_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	if (is_self_exe(BPF_CORE_READ(bprm, file)))
		mark_self(BPF_CORE_READ(task, tgid));
	return 0;
}

static __always_inline void enter_nschange(long nr, __u64 flags)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = pending_new(&pending, tid);

	if (!p)
		return;
	read_slots(bpf_get_current_task_btf(), p->slot);
	p->arg[0] = flags;
	p->since = bpf_ktime_get_boot_ns();
	p->nr = nr;
}

static __always_inline void enter_args(long nr, __u64 a0, __u64 a1, __u64 a2,
				       __u64 a3)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = pending_new(&pending, tid);

	if (!p)
		return;
	p->arg[0] = a0;
	p->arg[1] = a1;
	p->arg[2] = a2;
	p->arg[3] = a3;
	p->nr = nr;
}

/*
 * The fallback: raw_syscalls:sys_enter fires for every syscall of the
 * host, so decide on the number first and touch nothing else for the ones
 * nslife ignores.  Loaded only where the per-syscall tracepoints (sc_*,
 * below) do not attach.
 */
static __always_inline void enter_dispatch(struct pt_regs *regs, long id)
{
	switch (id) {
	case NR_unshare:
		enter_nschange(id, PT_REGS_PARM1_CORE_SYSCALL(regs));
		break;
	case NR_setns:
		enter_nschange(id, PT_REGS_PARM2_CORE_SYSCALL(regs));
		break;
	case NR_mount:
	case NR_umount2:
	case NR_move_mount:
		enter_args(id, PT_REGS_PARM1_CORE_SYSCALL(regs),
			   PT_REGS_PARM2_CORE_SYSCALL(regs),
			   PT_REGS_PARM3_CORE_SYSCALL(regs),
			   PT_REGS_PARM4_CORE_SYSCALL(regs));
		break;
	}
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp_sys_enter, struct pt_regs *regs, long id)
{
	enter_dispatch(regs, id);
	return 0;
}

/*
 * 7.x: the twins of tp_sys_enter and tp_sys_exit (and of the fsc_ hooks
 * below, by the same helpers), loaded where tracing programs run
 * preemptible (see clone_scratch).  Each must run after its first program
 * (the loader links fsc_ twins first: a trampoline runs the last first).  A program preempted in
 * one task is skipped in every other task that makes a syscall on that
 * CPU meanwhile: measured on Debian's 7.2, 1 to 9 runs per 2000-namespace
 * churn.  Each twin redoes what its first program skipped, and only that:
 * the entry twin finds the first one's pending entry, the exit twin its
 * exit_seen mark.  (The per-syscall tracepoints, sc_ below, cannot have
 * twins: the kernel skips a whole syscall's program array at once when
 * any kprobe or tracepoint program is running on the CPU, 6 to 15 times
 * per test there; the loader does not use them on such kernels.)
 */
const volatile bool sys_twins;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);		/* tid whose exit tp_sys_exit handled (| EXIT_TASK_MARK: its task exit) */
	__type(value, __u8);
} exit_seen SEC(".maps");

__u64 sys_twin_rescued;

/* a twin's entry: only if its first program left no pending entry */
static __always_inline void enter_twin(struct pt_regs *regs, long id)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending, &tid);

	if (p && p->nr == id)
		return;
	__sync_fetch_and_add(&sys_twin_rescued, 1);
	enter_dispatch(regs, id);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp_sys_enter_twin, struct pt_regs *regs, long id)
{
	switch (id) {
	case NR_unshare:
	case NR_setns:
	case NR_mount:
	case NR_umount2:
	case NR_move_mount:
		enter_twin(regs, id);
		break;
	}
	return 0;
}

/*
 * 7.x: unshare(UNSHARE_EMPTY_MNTNS) makes a mount namespace holding only
 * a copy of its root, without CLONE_NEWNS in the argument (ksys_unshare
 * adds it).  The bit is CLONE_PARENT_SETTID's, which unshare refuses on
 * older kernels, so a successful unshare with it made a mount namespace.
 */
#define UNSHARE_EMPTY_MNTNS	0x00100000

static __always_inline __u64 unshare_flags(__u64 flags)
{
	return flags & UNSHARE_EMPTY_MNTNS ? flags | CLONE_NEWNS : flags;
}

/* @nr: p->nr, passed so that a program for one syscall inlines its case only */
static __always_inline void exit_nschange(struct pending *p, long nr, long ret)
{
	__u64 after[S_NR] = {};
	__u8 how = nr == NR_unshare ? NSL_HOW_UNSHARE : NSL_HOW_SETNS;

	if (ret < 0)
		return;
	read_slots(bpf_get_current_task_btf(), after);
	/* setns never creates: its nstype argument is no CLONE_NEW* request */
	diff_slots(p->slot, after, how, (__u32)bpf_get_current_pid_tgid(),
		   how == NSL_HOW_UNSHARE ? unshare_flags(p->arg[0]) : 0, p->since);
}

/* ---- nsfs files and mounts ------------------------------------------- */

/*
 * The file at @fd of @t (the current task's, from bpf_get_current_task_btf).
 * Every open of the host comes here once per hook (twice with twins): the
 * table is walked by direct loads, and only the slot is probe-read (a
 * variable index into a BTF pointer is refused), 1 helper call where a
 * BPF_CORE_READ chain made 5.
 */
static __always_inline struct file *fd_file(struct task_struct *t, long fd)
{
	struct files_struct *files = t->files;
	struct fdtable *fdt;
	struct file *f = NULL;

	if (!files)
		return NULL;
	fdt = files->fdt;
	if (!fdt || fd < 0 || fd >= fdt->max_fds)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fdt->fd[fd]);
	return f;
}

/* the namespace behind an nsfs dentry; nsfs keeps it in i_private */
static __always_inline __u64 nsfs_ns(struct dentry *d)
{
	struct inode *ino = BPF_CORE_READ(d, d_inode);

	if (!ino || BPF_CORE_READ(ino, i_sb, s_magic) != NSFS_MAGIC)
		return 0;
	return (__u64)BPF_CORE_READ(ino, i_private);
}

/*
 * nsfs has one superblock (nsfs_init: kern_mount, never unmounted), so
 * once one nsfs file is seen a file is told apart by its i_sb alone: 2
 * reads for any other open where the magic took 4.  nslife's own scan at
 * start opens nsfs files, so it is learnt at once.
 */
__u64 nsfs_sb;

/* the namespace behind file @f if it is an nsfs file, else 0 */
static __always_inline __u64 file_ns(struct file *f)
{
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	__u64 sb;

	if (!ino)
		return 0;
	sb = (__u64)BPF_CORE_READ(ino, i_sb);
	if (sb != nsfs_sb) {
		if (nsfs_sb || !sb ||
		    BPF_CORE_READ((struct super_block *)sb, s_magic) != NSFS_MAGIC)
			return 0;
		nsfs_sb = sb;
	}
	return (__u64)BPF_CORE_READ(ino, i_private);
}

static __always_inline __u64 cur_mntns(struct nsl_ns *out)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 p = NSC(BPF_CORE_READ(t, nsproxy, mnt_ns), struct mnt_namespace);

	if (note_ns(p, NSL_T_MNT, out) < 0)
		__builtin_memset(out, 0, sizeof(*out));
	return p;
}

static __always_inline struct nsl_mount_event *mount_reserve(void)
{
	struct nsl_mount_event *m;

	m = bpf_ringbuf_reserve(&events, sizeof(*m), 0);
	if (!m)
		count_lost();
	return m;
}

/*
 * Fill a mount record from a struct mount: nsfs → its namespace; procfs →
 * the pid namespace it pins (proc_fs_info.pid_ns).  Returns the kind, or 0
 * when the mount is neither.
 */
static __always_inline __u8 classify_mount(struct mount *mnt, struct nsl_ns *ns)
{
	struct super_block *sb = BPF_CORE_READ(mnt, mnt.mnt_sb);
	__u64 magic = BPF_CORE_READ(sb, s_magic);
	struct proc_fs_info *pi;

	if (magic == NSFS_MAGIC) {
		if (note_ns(nsfs_ns(BPF_CORE_READ(mnt, mnt.mnt_root)),
			    NSL_T_NONE, ns) < 0)
			return 0;
		return NSL_EV_MOUNT;
	}
	if (magic == PROC_SUPER_MAGIC) {
		pi = BPF_CORE_READ(sb, s_fs_info);
		if (note_ns(NSC(BPF_CORE_READ(pi, pid_ns), struct pid_namespace),
			    NSL_T_PID, ns) < 0)
			return 0;
		return NSL_EV_PROC_MOUNT;
	}
	return 0;
}

/*
 * The mount mount(2) just attached in the caller's namespace: the newest
 * one.  6.12+ keep mounts in an rbtree keyed by mnt_id_unique, which only
 * grows, so the newest is the rightmost node; 6.18 caches it as
 * mnt_last_node, 6.12 needs the walk.  6.1 appends to ns->list.
 */
static __always_inline struct mount *newest_mount(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct mnt_namespace *mns = BPF_CORE_READ(t, nsproxy, mnt_ns);
	struct mnt_namespace___v612 *m612 = (void *)mns;
	struct list_head *last;
	struct rb_node *rb, *right;
	int i;

	if (bpf_core_field_exists(mns->mnt_last_node)) {
		rb = BPF_CORE_READ(mns, mnt_last_node);
	} else if (bpf_core_field_exists(m612->mounts.rb_node)) {
		rb = BPF_CORE_READ(m612, mounts.rb_node);
		/* a red-black tree of 2^32 nodes is at most 64 deep */
		for (i = 0; i < 64 && rb; i++) {
			right = BPF_CORE_READ(rb, rb_right);
			if (!right)
				break;
			rb = right;
		}
	} else if (bpf_core_field_exists(((struct mnt_namespace___v61list *)mns)->list)) {
		last = BPF_CORE_READ((struct mnt_namespace___v61list *)mns, list.prev);
		return (void *)last - bpf_core_field_offset(struct mount___v61list, mnt_list);
	} else {
		return NULL;
	}
	if (!rb)
		return NULL;
	return (void *)rb - bpf_core_field_offset(struct mount, mnt_node);
}

/* @nr: p->nr, as for exit_nschange */
static __always_inline void exit_mount(struct pending *p, long nr, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct nsl_mount_event *m;
	struct mount *mnt = NULL;
	struct file *f;
	const char *path;
	__u8 kind, how;

	if (ret < 0)
		return;
	if (nr == NR_mount) {
		/* remounts, moves and propagation changes attach nothing new */
		if (p->arg[3] & (MS_REMOUNT | MS_MOVE | MS_PROPAGATION))
			return;
		how = NSL_HOW_MOUNT;
		path = (const char *)p->arg[1];
		mnt = newest_mount();
	} else if (nr == NR_move_mount) {
		/* move_mount(from_dfd, from_path, to_dfd, to_path, flags) */
		how = NSL_HOW_MOVE_MOUNT;
		path = (const char *)p->arg[3];
		f = fd_file(t, (int)p->arg[0]);
		if (f)
			mnt = (void *)BPF_CORE_READ(f, f_path.mnt) -
			      bpf_core_field_offset(struct mount, mnt);
	} else {
		how = NSL_HOW_UMOUNT;
		path = (const char *)p->arg[0];
	}

	m = mount_reserve();
	if (!m)
		return;
	__builtin_memset(&m->e.ns, 0, sizeof(m->e.ns));
	if (how == NSL_HOW_UMOUNT) {
		kind = NSL_EV_UMOUNT;
		m->e.flags = p->arg[1];
	} else {
		kind = mnt ? classify_mount(mnt, &m->e.ns) : 0;
		if (!kind) {
			bpf_ringbuf_discard(m, 0);
			return;
		}
		m->e.flags = how == NSL_HOW_MOUNT ? p->arg[3] : 0;
	}
	hdr_fill(&m->e.h, kind, how, sizeof(*m));
	cur_mntns(&m->e.aux);
	m->e.arg = 0;
	m->e.val = 0;
	if (bpf_probe_read_user_str(m->path, sizeof(m->path), path) < 0)
		m->path[0] = 0;
	bpf_ringbuf_submit(m, wake_flags(kind));
}

/* mark exit @key (a tid; see EXIT_TASK_MARK) as handled, for its twin */
static __always_inline void exit_mark(__u32 key)
{
	__u8 one = 1;

	bpf_map_update_elem(&exit_seen, &key, &one, BPF_ANY);
}

/* a twin: true if the first program handled this syscall exit */
static __always_inline bool exit_mark_seen(void)
{
	return twin_mark_taken(&exit_seen, (__u32)bpf_get_current_pid_tgid(),
			       &sys_twin_rescued);
}

/*
 * An open that left an fd on an nsfs file: a holder.  @twin: run by a
 * twin hook (see exit_twin).  Only an nsfs fd is marked for the twin, not
 * every open: the twin can tell any other open apart itself, for less
 * than a map update and a delete per open cost.
 */
static __always_inline void exit_open(long ret, __u8 how, bool twin)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct file *f;
	struct nsl_ns ns;
	__u64 p;

	if (ret < 0)
		return;
	f = fd_file(t, ret);
	if (!f)
		return;
	p = file_ns(f);
	if (!p)
		return;
	if (twin) {
		if (exit_mark_seen())
			return;
	} else if (sys_twins) {
		exit_mark((__u32)bpf_get_current_pid_tgid());
	}
	if (note_ns(p, NSL_T_NONE, &ns) < 0)
		return;
	/* nslife's own opens only teach it the address */
	if (current_is_self())
		return;
	emit(NSL_EV_OPEN, how, &ns, NULL, ret, 0);
}

/*
 * 7.0+: open_tree(OPEN_TREE_NAMESPACE), open_tree_attr() with that flag
 * (the same vfs_open_tree) and fsmount(FSMOUNT_NAMESPACE) return an nsfs
 * fd on a mount namespace they just made, with no clone, unshare or
 * setns.  An nsfs fd from any of them is a create unless the
 * namespace is known (the precise strategy saw it in __ns_tree_add_raw),
 * and the fd is its first holder.  Older kernels return mount fds here.
 */
static __always_inline void exit_mntns_fd(long ret, __u8 how)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct file *f;
	struct nsl_ns ns;

	if (ret < 0)
		return;
	f = fd_file(t, ret);
	if (!f)
		return;
	/* mount namespaces have an id on every kernel (seq): no @since needed */
	switch (note_ns_fresh(file_ns(f), NSL_T_MNT, &ns,
			      true, 0)) {
	case 1:
		emit(NSL_EV_CREATE, how, &ns, NULL, tid, 0);
		break;
	case 0:
		break;
	default:
		return;		/* a mount fd: no namespace */
	}
	if ((bpf_get_current_pid_tgid() >> 32) != self_tgid)
		emit(NSL_EV_OPEN, how, &ns, NULL, ret, 0);
}

/*
 * The end of a syscall whose entry left a pending entry.  One function per
 * kind, so that a program inlines one of the two bodies, not both (the
 * 512-byte stack).
 */
static __always_inline void exit_pending_ns(long id, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending, &tid);

	if (!p)
		return;
	if (p->nr == id)
		exit_nschange(p, id, ret);
	bpf_map_delete_elem(&pending, &tid);
}

static __always_inline void exit_pending_mount(long id, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending, &tid);

	if (!p)
		return;
	if (p->nr == id)
		exit_mount(p, id, ret);
	bpf_map_delete_elem(&pending, &tid);
}

/* the exit of every followed syscall, whichever hook saw it (@twin: exit_open) */
static __always_inline void exit_dispatch(long id, long ret, bool twin)
{
	switch (id) {
	case NR_open:
	case NR_openat:
	case NR_openat2:
		exit_open(ret, NSL_HOW_OPEN, twin);
		break;
	case NR_open_by_handle_at:
		exit_open(ret, NSL_HOW_HANDLE, twin);
		break;
	case NR_open_tree:
		exit_mntns_fd(ret, NSL_HOW_OPEN_TREE);
		break;
	case NR_fsmount:
		exit_mntns_fd(ret, NSL_HOW_FSMOUNT);
		break;
	case NR_open_tree_attr:
		exit_mntns_fd(ret, NSL_HOW_OPEN_TREE_ATTR);
		break;
	case NR_unshare:
	case NR_setns:
		exit_pending_ns(id, ret);
		break;
	case NR_mount:
	case NR_umount2:
	case NR_move_mount:
		exit_pending_mount(id, ret);
		break;
	}
}

static __always_inline bool exit_followed(long id)
{
	switch (id) {
	case NR_open:
	case NR_openat:
	case NR_openat2:
	case NR_open_by_handle_at:
	case NR_open_tree:
	case NR_fsmount:
	case NR_open_tree_attr:
	case NR_unshare:
	case NR_setns:
	case NR_mount:
	case NR_umount2:
	case NR_move_mount:
		return true;
	}
	return false;
}

static __always_inline bool exit_is_open(long id)
{
	return id == NR_open || id == NR_openat || id == NR_openat2 ||
	       id == NR_open_by_handle_at;
}

/* a followed exit, marked for its twin where there is one (opens: exit_open) */
static __always_inline void exit_first(long id, long ret)
{
	if (sys_twins && !exit_is_open(id))
		exit_mark((__u32)bpf_get_current_pid_tgid());
	exit_dispatch(id, ret, false);
}

/* a twin's exit: only if its first program left no mark */
static __always_inline void exit_twin(long id, long ret)
{
	if (exit_is_open(id))
		exit_dispatch(id, ret, true);
	else if (!exit_mark_seen())
		exit_dispatch(id, ret, false);
}

/* the fallback's exit half: see tp_sys_enter */
SEC("tp_btf/sys_exit")
int BPF_PROG(tp_sys_exit, struct pt_regs *regs, long ret)
{
	long id = BPF_CORE_READ(regs, orig_ax);

	if (exit_followed(id))
		exit_first(id, ret);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tp_sys_exit_twin, struct pt_regs *regs, long ret)
{
	long id = BPF_CORE_READ(regs, orig_ax);

	if (exit_followed(id))
		exit_twin(id, ret);
	return 0;
}

/*
 * ---- the syscalls, fentry/fexit on each syscall function (preferred) --
 *
 * Where the kernel lets fentry attach, hook the followed syscalls' own
 * functions: a trampoline patched into those dozen functions, where any
 * syscall tracepoint (per-syscall or raw) sets the syscall-work slow path
 * on every task of the host (SYSCALL_WORK_SYSCALL_TRACEPOINT), which cost
 * every syscall ~15% in a getpid loop (docs/benchmarks.md).  x86_64's
 * wrappers take the user registers (arch/x86/include/asm/syscall_wrapper.h:
 * long __x64_sys_X(const struct pt_regs *regs)), so the arguments are read
 * as tp_sys_enter reads them; all twelve are BTF FUNCs on Debian's 6.1,
 * 6.12, 6.18 and 7.2 (open_tree_attr only from 6.15; the loader loads
 * each only where its FUNC is).  umount2's is named after its
 * SYSCALL_DEFINE, umount.  arm64's are __arm64_sys_X, with the same
 * argument; vmlinux/ is x86 only, so they are not built.  32-bit (ia32)
 * calls go through __ia32_sys_X and are not seen, as the raw hooks never
 * decoded their numbers either.
 *
 * One program per function (fentry binds one), each with its syscall
 * number as a constant, so the compiler keeps one case of exit_dispatch
 * and the kernel verifies only that.  fentry programs skip a run while
 * the same program runs on that CPU (prog->active, counted in
 * recursion_misses), and they run with migration disabled, not
 * preemption (kernel/bpf/trampoline.c: __bpf_prog_enter_recur, 6.1 to
 * 7.2): on a preemptible kernel that is any preempted run, so they get
 * twins like the raw hooks on 7.x.  Measured in Debian's 6.18 guest: 2
 * runs of fsc_x_unshare skipped in one t_trace_types, and a net create
 * lost with them (CI failed on it once).
 */
#define FSC_ENTER(fn, nr)							\
SEC("fentry/__x64_sys_" #fn)							\
int BPF_PROG(fsc_##fn, const struct pt_regs *regs)				\
{										\
	enter_dispatch((struct pt_regs *)regs, nr);				\
	return 0;								\
}										\
SEC("fentry/__x64_sys_" #fn)							\
int BPF_PROG(fsc_##fn##_twin, const struct pt_regs *regs)			\
{										\
	enter_twin((struct pt_regs *)regs, nr);					\
	return 0;								\
}

#define FSC_EXIT(fn, nr)							\
SEC("fexit/__x64_sys_" #fn)							\
int BPF_PROG(fsc_x_##fn, const struct pt_regs *regs, long ret)		\
{										\
	exit_first(nr, ret);							\
	return 0;								\
}										\
SEC("fexit/__x64_sys_" #fn)							\
int BPF_PROG(fsc_x_##fn##_twin, const struct pt_regs *regs, long ret)	\
{										\
	exit_twin(nr, ret);							\
	return 0;								\
}

FSC_ENTER(unshare, NR_unshare)
FSC_ENTER(setns, NR_setns)
FSC_ENTER(mount, NR_mount)
FSC_ENTER(umount, NR_umount2)
FSC_ENTER(move_mount, NR_move_mount)
FSC_EXIT(unshare, NR_unshare)
FSC_EXIT(setns, NR_setns)
FSC_EXIT(mount, NR_mount)
FSC_EXIT(umount, NR_umount2)
FSC_EXIT(move_mount, NR_move_mount)
FSC_EXIT(open, NR_open)
FSC_EXIT(openat, NR_openat)
FSC_EXIT(openat2, NR_openat2)
FSC_EXIT(open_by_handle_at, NR_open_by_handle_at)
FSC_EXIT(open_tree, NR_open_tree)
FSC_EXIT(fsmount, NR_fsmount)
FSC_EXIT(open_tree_attr, NR_open_tree_attr)

/*
 * ---- the syscalls, one tracepoint each (where fentry is refused) ------
 *
 * syscalls:sys_enter_X / sys_exit_X run only for the syscalls nslife
 * follows, where raw_syscalls:sys_enter/sys_exit run for every syscall of
 * the host.  They are perf tracepoints: attaching needs tracefs (the
 * loader mounts it where it is missing).  Their records are the same on
 * 6.1 and 6.18 (trace/trace_syscalls.c): 8 bytes of common fields, the
 * syscall number (an int, padded to 8), then the arguments as 8 bytes
 * each, or the return value; a fixed layout, not BTF, hence plain structs.
 *
 * One program serves several tracepoints (the loader attaches it to each:
 * sc_attach in user/tracer/loader.c) and dispatches on the number, so the
 * kernel verifies the large exit path once, not once per syscall.  A
 * program may read no further into a record than the shortest of its
 * tracepoints' records (perf_event_attach_bpf_prog: EACCES otherwise),
 * hence the enter programs by number of arguments read.  The tracepoint
 * of umount2 is named after its SYSCALL_DEFINE, umount.
 */
struct sc_enter {
	__u64 common;
	int nr;
	int pad;
	unsigned long args[6];
};

struct sc_exit {
	__u64 common;
	int nr;
	int pad;
	long ret;
};

/* unshare(flags) */
SEC("tracepoint/syscalls/sys_enter_unshare")
int sc_enter_1(struct sc_enter *c)
{
	enter_nschange(NR_unshare, c->args[0]);
	return 0;
}

/* setns(fd, nstype), umount(name, flags) */
SEC("tracepoint/syscalls/sys_enter_setns")
int sc_enter_2(struct sc_enter *c)
{
	if (c->nr == NR_setns)
		enter_nschange(NR_setns, c->args[1]);
	else
		enter_args(c->nr, c->args[0], c->args[1], 0, 0);
	return 0;
}

/* mount(dev, dir, type, flags, data), move_mount(from_dfd, from, to_dfd, to, flags) */
SEC("tracepoint/syscalls/sys_enter_mount")
int sc_enter_4(struct sc_enter *c)
{
	enter_args(c->nr, c->args[0], c->args[1], c->args[2], c->args[3]);
	return 0;
}

/* every exit: the same dispatch as tp_sys_exit (exit_dispatch) */
SEC("tracepoint/syscalls/sys_exit_unshare")
int sc_exit(struct sc_exit *c)
{
	exit_dispatch(c->nr, c->ret, false);
	return 0;
}

/* ---- exits and deaths ------------------------------------------------ */

/*
 * A task exits.  sched_process_exit fires before exit_task_namespaces (6.1
 * and 6.18), once per thread.  Only the last task of an nsproxy matters:
 * its exit drops that nsproxy's references.  The refcount seen here tells
 * whether this exit is the namespace's end (1) or others still hold it.
 * @twin: see task_twins; the first program's mark is an exit_seen entry
 * under the tid with EXIT_TASK_MARK set (tids stay below 2^22: PID_MAX_LIMIT),
 * apart from tp_sys_exit's marks.
 */
#define EXIT_TASK_MARK	0x80000000U

static __always_inline void task_exit(struct task_struct *task, bool twin)
{
	struct nsproxy *nsp = task->nsproxy;
	__u32 tgid = task->tgid, key = (__u32)task->pid | EXIT_TASK_MARK;
	/* run on every exit of the host: most share their nsproxy */
	bool last = nsp && nsproxy_count(nsp) == 1;
	__u64 slot[S_NR] = {};
	struct nsl_ns n;
	int s;

	/*
	 * nslife's own children leave nothing: they never joined.  Once the
	 * first program has forgotten a process of nslife's, its twin would
	 * take it for any other, so the first marks it where the twin gets
	 * that far (7.2 guest: exits counted as rescues, no run skipped).
	 */
	if (is_self(tgid)) {
		if (task->pid != tgid)
			return;
		bpf_map_delete_elem(&self_tgids, &tgid);
		if (task_twins && !twin && last)
			exit_mark(key);
		return;
	}
	if (!last)
		return;
	if (twin) {
		if (twin_mark_taken(&exit_seen, key, &task_twin_rescued))
			return;
	} else if (task_twins) {
		exit_mark(key);
	}
	read_slots(task, slot);
	#pragma unroll
	for (s = 0; s < S_NR; s++) {
		/* the host's namespaces outlive every task: no news there */
		if (s == S_USER || s == S_PID || !slot[s])
			continue;
		if (s == S_TIME4C && slot[S_TIME4C] == slot[S_TIME])
			continue;
		/*
		 * the host's, told by the inum alone: no id read and no
		 * lookup (the churn's children leave seven of their eight)
		 */
		if (BPF_CORE_READ((struct ns_common *)slot[s], inum) == host_inum[slot_type(s)] ||
		    note_ns(slot[s], slot_type(s), &n) < 0)
			continue;
		emit(NSL_EV_LEAVE, NSL_HOW_EXIT, &n, NULL, BPF_CORE_READ(task, pid),
		     ns_refcount((void *)slot[s]));
	}
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tp_sched_process_exit, struct task_struct *task)
{
	task_exit(task, false);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tp_sched_process_exit_twin, struct task_struct *task)
{
	task_exit(task, true);
	return 0;
}

static __always_inline void report_free(__u64 ptr, __u8 type, __u8 how)
{
	struct ns_val *v = bpf_map_lookup_elem(&live, &ptr);
	struct nsl_ns n;

	if (v) {
		to_ns(&n, v);
		live_delete(ptr, v);
	} else {
		/*
		 * never seen alive: still worth a record, with what is
		 * readable; not for anonymous mount namespaces (inum 0)
		 */
		n.inum = BPF_CORE_READ((struct ns_common *)ptr, inum);
		n.type = type;
		n.id = kernel_id((void *)ptr, type);
		n.pad[0] = n.pad[1] = n.pad[2] = 0;
		if (!n.id || !n.inum)
			return;
	}
	emit(NSL_EV_FREE, how, &n, NULL, 0, 0);
}

/*
 * Twins of the precise free hooks.  The kernel skips a tracing program
 * that fires while it already runs on the same CPU, and counts a
 * recursion miss: a namespace freed from a softirq (an RCU callback) in
 * the middle of another free on that CPU.  Measured on Debian's 6.18 in
 * precise mode, `__ns_tree_remove` missed 1 or 2 frees of 2000 in every
 * churn run.  A trampoline runs its programs one after the other, so of
 * two programs on one function at most one is running when the nested
 * call comes, and the other sees it.  The twin reports only what the
 * first left in `live` (what it missed), and counts those rescues, so
 * that user space can tell misses that lost nothing from real losses.
 */
__u64 twin_rescued;

static __always_inline void report_free_twin(__u64 ptr, __u8 how)
{
	struct ns_val *v = bpf_map_lookup_elem(&live, &ptr);
	struct nsl_ns n;

	if (!v)
		return;		/* reported by the first program (or never known) */
	to_ns(&n, v);
	live_delete(ptr, v);
	__sync_fetch_and_add(&twin_rescued, 1);
	emit(NSL_EV_FREE, how, &n, NULL, 0, 0);
}

/*
 * user and (6.18) pid namespaces die on a work item embedded in them:
 * container_of(work) is exactly the namespace being destroyed.
 */
static __always_inline __u64 work_ns(struct work_struct *work, __u8 *type)
{
	__u64 fn = (__u64)BPF_CORE_READ(work, func);

	if (!fn)
		return 0;
	if (fn == wq_free_user_ns) {
		*type = NSL_T_USER;
		return (__u64)work - bpf_core_field_offset(struct user_namespace, work) +
		       bpf_core_field_offset(struct user_namespace, ns);
	}
	if (fn == wq_destroy_pid_ns &&
	    bpf_core_field_exists(((struct pid_namespace___v618 *)0)->work)) {
		*type = NSL_T_PID;
		return (__u64)work -
		       bpf_core_field_offset(struct pid_namespace___v618, work) +
		       bpf_core_field_offset(struct pid_namespace, ns);
	}
	return 0;
}

SEC("tp_btf/workqueue_execute_start")
int BPF_PROG(tp_workqueue_execute_start, struct work_struct *work)
{
	__u8 type = NSL_T_NONE;
	__u64 ptr = work_ns(work, &type);

	if (ptr)
		report_free(ptr, type, NSL_HOW_WORK);
	return 0;
}

/*
 * 7.x runs tracepoint probes under SRCU instead of with preemption off
 * (include/linux/tracepoint.h: guard(srcu_fast_notrace)), so a program
 * preempted in one kworker is skipped when another kworker on that CPU
 * starts a work item: measured on Debian's 7.2, 2 or 3 skipped runs per
 * 2000-namespace churn, none on 6.18.  The twin sees those.
 */
SEC("tp_btf/workqueue_execute_start")
int BPF_PROG(tp_workqueue_execute_start_twin, struct work_struct *work)
{
	__u8 type = NSL_T_NONE;
	__u64 ptr = work_ns(work, &type);

	if (ptr)
		report_free_twin(ptr, NSL_HOW_WORK);
	return 0;
}

/*
 * ≤6.17, tracepoint strategy: the namespace struct itself is freed.  One
 * hash lookup per kfree/kmem_cache_free (hot: 10^5/s under load); a hit is
 * trusted only if `live` still names that namespace at that address with
 * the inum the memory holds (the tracepoints fire before the free).
 */
static __always_inline int mem_free(__u64 base)
{
	__u64 *pp = bpf_map_lookup_elem(&bases, &base);
	struct ns_val *v;
	__u64 ptr;

	if (!pp)
		return 0;
	ptr = *pp;
	bpf_map_delete_elem(&bases, &base);
	v = bpf_map_lookup_elem(&live, &ptr);
	if (!v || ns_base(ptr, v->type) != base ||
	    BPF_CORE_READ((struct ns_common *)ptr, inum) != v->inum)
		return 0;
	report_free(ptr, v->type, NSL_HOW_MEMFREE);
	return 0;
}

/*
 * raw_tp, not tp_btf: 6.1's verifier rejects reading a `const void *`
 * tracepoint argument through BTF ("arg1 type UNKNOWN is not a struct");
 * raw_tp reads the same u64 unchecked, and needs no tracefs either.
 */
SEC("raw_tp/kfree")
int BPF_PROG(mem_kfree, unsigned long call_site, const void *ptr)
{
	return mem_free((__u64)ptr);
}

SEC("raw_tp/kmem_cache_free")
int BPF_PROG(mem_kmem_cache_free, unsigned long call_site, const void *ptr)
{
	return mem_free((__u64)ptr);
}

/*
 * The liveness poll, run by user space with BPF_PROG_TEST_RUN every tick.
 * A namespace is dead when its refcount reached 0 (the last put happened:
 * teardown has begun, whatever path frees the memory later), or when the
 * memory now holds something else (inum or ns_id differ).  Reading freed
 * memory is safe through probe reads; the identity check makes it sound.
 * @id is 0 before 6.18, which has no ns_id: inum must do there.
 */
static __always_inline bool gone_verdict(__u32 ref, __u32 inum, __u64 id,
					 const struct ns_val *v)
{
	return !ref || inum != v->inum || (id && id != v->id);
}

/*
 * inum, the refcount and (6.18) ns_id are within 16 bytes of each other
 * in every ns_common: one probe read of them rather than three (each a
 * helper call; the poll makes three per namespace per run).  A failed
 * read leaves zeros, refcount 0: dead, as three failed reads would say.
 */
static __always_inline bool ns_gone(const struct ns_common *ns, const struct ns_val *v)
{
	__u32 o_inum = bpf_core_field_offset(ns->inum), o_ref, o_id, lo, hi;
	__u64 buf[3] = {};	/* u64s: aligned for the loads below */
	__u8 *b = (__u8 *)buf;
	__u64 id = 0;

	if (bpf_core_field_exists(ns->__ns_ref))
		o_ref = bpf_core_field_offset(ns->__ns_ref);
	else
		o_ref = bpf_core_field_offset(((struct ns_common___v61 *)ns)->count);
	o_id = bpf_core_field_exists(ns->ns_id) ? bpf_core_field_offset(ns->ns_id) : o_inum;
	lo = o_inum < o_ref ? o_inum : o_ref;
	lo = lo < o_id ? lo : o_id;
	hi = o_inum > o_ref ? o_inum + 4 : o_ref + 4;
	if (o_id != o_inum && o_id + 8 > hi)
		hi = o_id + 8;
	if (hi - lo > sizeof(buf))	/* a layout not seen yet: the three reads */
		return gone_verdict(ns_refcount(ns), BPF_CORE_READ(ns, inum),
				    ns_kernel_id(ns), v);
	bpf_probe_read_kernel(buf, hi - lo, (void *)ns + lo);
	if (o_id != o_inum)
		id = *(__u64 *)(b + (o_id - lo));
	return gone_verdict(*(__u32 *)(b + (o_ref - lo)), *(__u32 *)(b + (o_inum - lo)), id, v);
}

static __always_inline void slot_free(struct slot *sp, __u32 i)
{
	sp->ptr = 0;
	bpf_map_push_elem(&free_slots, &i, 0);
}

/*
 * ns_gone by direct loads: bpf_rdonly_cast (6.2+) makes the address a
 * typed pointer read through fault-safe loads (a fault reads 0: dead, as
 * a failed probe read says), one load per field where ns_gone makes a
 * helper call.  The poll runs over every live namespace each tick: with
 * 10,000 held namespaces it took 1 ms a run, 2% of a CPU on an idle host
 * (6.18.44, bpf_stats).
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

static __always_inline bool ns_gone_c(__u64 ptr, const struct ns_val *v)
{
	struct ns_common *ns = bpf_rdonly_cast((void *)ptr,
					       bpf_core_type_id_kernel(struct ns_common));
	__u64 id = 0;
	__u32 ref;

	if (bpf_core_field_exists(ns->__ns_ref))
		ref = ns->__ns_ref.refs.counter;
	else	/* 6.1-6.17: count */
		ref = ((struct ns_common___v61 *)ns)->count.refs.counter;
	if (bpf_core_field_exists(ns->ns_id))
		id = ns->ns_id;
	return gone_verdict(ref, ns->inum, id, v);
}

/* @direct: ns_gone_c (poll_live_c), else ns_gone (poll_live) */
static __always_inline long poll_one(__u32 i, bool direct)
{
	__u32 k = i;
	struct slot *sp = bpf_map_lookup_elem(&slots, &k);
	struct ns_val *v, sv = {};
	struct nsl_ns n;
	__u64 ptr;

	if (!sp || !sp->ptr)
		return 0;
	ptr = sp->ptr;
	/* still what the slot says: alive */
	sv.id = sp->id;
	sv.inum = sp->inum;
	if (sv.inum && !(direct ? ns_gone_c(ptr, &sv) : ns_gone((void *)ptr, &sv)))
		return 0;
	v = bpf_map_lookup_elem(&live, &ptr);
	if (!v || v->slot != k) {
		/* deleted by a free hook, or its address now has another slot */
		slot_free(sp, k);
		return 0;
	}
	if (!ns_gone((void *)ptr, v)) {
		/* the slot's copy was stale (its address reused, a race) */
		sp->id = v->id;
		sp->inum = v->inum;
		return 0;
	}
	to_ns(&n, v);
	emit(NSL_EV_FREE, NSL_HOW_POLL, &n, NULL, ns_refcount((void *)ptr), 0);
	bpf_map_delete_elem(&live, &ptr);
	slot_free(sp, k);
	return 0;
}

/*
 * How many slots a poll run reads at most.  Up to that many namespaces it
 * reads them all each run; past it, that many each run, round robin from
 * where the last run stopped: a namespace's death is then seen within
 * ceil(slots / poll_slice) runs.  The poll reads every namespace it
 * tracks, one cache miss each: 54 ms of CPU a second with 65,536 of them
 * (6.18, an idle host), what a host that runs that many should not pay.
 */
const volatile __u32 poll_slice;
__u32 poll_next;		/* the next run's first slot, past poll_slice */

struct poll_range {
	__u32 first, n;
};

static __always_inline __u32 poll_index(__u32 j, const struct poll_range *r)
{
	__u32 i = r->first + j;

	return i < r->n ? i : i - r->n;
}

static long poll_slot(__u32 j, void *ctx)
{
	return poll_one(poll_index(j, ctx), false);
}

static long poll_slot_c(__u32 j, void *ctx)
{
	return poll_one(poll_index(j, ctx), true);
}

/* the slots this run reads: all, or the next poll_slice of them */
static __always_inline __u32 poll_range(struct poll_range *r)
{
	__u64 used = slots_used;
	__u32 n = used < live_max ? used : live_max;

	r->n = n;
	r->first = 0;
	if (!poll_slice || n <= poll_slice)
		return n;
	r->first = poll_next < n ? poll_next : 0;
	poll_next = r->first + poll_slice < n ? r->first + poll_slice :
		    r->first + poll_slice - n;
	return poll_slice;
}

/* 6.1: no bpf_rdonly_cast; the loader picks one of these two */
SEC("raw_tp")
int poll_live(void *ctx)
{
	struct poll_range r;

	bpf_loop(poll_range(&r), poll_slot, &r, 0);
	return 0;
}

SEC("raw_tp")
int poll_live_c(void *ctx)
{
	struct poll_range r;

	bpf_loop(poll_range(&r), poll_slot_c, &r, 0);
	return 0;
}

/* ---- seeding: namespaces that existed before nslife started ---------- */

SEC("iter/task")
int seed_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	__u64 slot[S_NR] = {};
	struct nsl_ns n;
	int s;

	if (!t)
		return 0;
	/* runs of nslife that started before this one: see is_self */
	if (BPF_CORE_READ(t, pid) == BPF_CORE_READ(t, tgid) &&
	    is_self_exe(BPF_CORE_READ(t, mm, exe_file)))
		mark_self(BPF_CORE_READ(t, tgid));
	read_slots(t, slot);
	#pragma unroll
	for (s = 0; s < S_NR; s++)
		note_ns(slot[s], slot_type(s), &n);
	return 0;
}

SEC("iter/task_file")
int seed_files(struct bpf_iter__task_file *ctx)
{
	struct file *f = ctx->file;
	struct nsl_ns n;

	if (!f)
		return 0;
	note_ns(file_ns(f), NSL_T_NONE, &n);
	return 0;
}

/* ---- precise strategy: the 6.18 namespace tree ----------------------- */

/*
 * How a namespace a precise hook saw being made came about, as the
 * tracepoint strategy would say: inside unshare(2) (its sys_enter left a
 * pending entry), inside one of the 7.x mount-namespace-making syscalls
 * (the number the task's syscall entry saved), else inside clone/fork.
 * Which hook saw it is in `nslife features`.
 */
static __always_inline __u8 create_how(__u64 *flags)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending, &tid);
	struct pt_regs *regs;

	if (p && p->nr == NR_unshare) {
		if (flags)
			*flags = unshare_flags(p->arg[0]);
		return NSL_HOW_UNSHARE;
	}
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	switch (BPF_CORE_READ(regs, orig_ax)) {
	case NR_open_tree:	return NSL_HOW_OPEN_TREE;
	case NR_fsmount:	return NSL_HOW_FSMOUNT;
	case NR_open_tree_attr:	return NSL_HOW_OPEN_TREE_ATTR;
	default:		return NSL_HOW_CLONE;
	}
}

static __always_inline void tree_added(struct ns_common *ns)
{
	struct nsl_ns n;
	__u64 flags = 0;	/* unknown for clone: its flags are not passed down here */
	__u8 how;

	/* 6.18+: every type has an id, so no @since is needed */
	if (note_ns_fresh((__u64)ns, NSL_T_NONE, &n, true, 0) > 0) {
		how = create_how(&flags);
		emit(NSL_EV_CREATE, how, &n, NULL, (__u32)bpf_get_current_pid_tgid(), flags);
	}
}

SEC("fexit/__ns_tree_add_raw")
int BPF_PROG(tree_add, struct ns_common *ns, void *tree)
{
	tree_added(ns);
	return 0;
}

/*
 * A preempted tree_add makes the kernel skip it elsewhere (see the fsc_
 * twins).  Its twin needs no mark: an entry whose create was reported
 * makes note_ns_fresh() return 0, so whichever runs second does nothing.
 */
SEC("fexit/__ns_tree_add_raw")
int BPF_PROG(tree_add_twin, struct ns_common *ns, void *tree)
{
	tree_added(ns);
	return 0;
}

SEC("fentry/__ns_tree_remove")
int BPF_PROG(tree_remove, struct ns_common *ns, void *tree)
{
	report_free((__u64)ns, type_of_clone(ns_clone_type(ns)), NSL_HOW_TREE);
	return 0;
}

SEC("fentry/__ns_tree_remove")
int BPF_PROG(tree_remove_twin, struct ns_common *ns, void *tree)
{
	report_free_twin((__u64)ns, NSL_HOW_TREE);
	return 0;
}

/*
 * ---- precise strategy before 6.18: per-type create and free functions --
 *
 * Measured on Debian 6.1.0 and 6.12 cloud kernels (BTF FUNCs, called from
 * other compilation units, so never inlined at the call sites that
 * matter).  The loader loads each only where its target is in the
 * kernel's BTF.  Creates: create_new_namespaces() calls copy_*(flags, ...,
 * old) for every type; each returns the old namespace (with a reference)
 * unless its CLONE_NEW* flag is set.  User namespaces come from
 * create_user_ns(), which sets new->user_ns.
 */
#define IS_ERR_PTR(p) ((unsigned long)(p) >= (unsigned long)-4095)

static __always_inline void kf_create(__u64 nsc, __u8 type, __u64 flags)
{
	struct nsl_ns n;

	/* nothing can look at it yet: an entry learned before now is an old one */
	if (note_ns_fresh(nsc, type, &n, true, bpf_ktime_get_boot_ns() + 1) > 0)
		emit(NSL_EV_CREATE, create_how(NULL), &n, NULL,
		     (__u32)bpf_get_current_pid_tgid(), flags);
}

#define KF_COPY(fn, T, flag, type)						\
SEC("fexit/" #fn)								\
int BPF_PROG(kf_##fn, unsigned long flags, void *a1, void *a2, T *ret)	\
{										\
	if ((flags & (flag)) && ret && !IS_ERR_PTR(ret))			\
		kf_create(NSC(ret, T), type, flags);				\
	return 0;								\
}

KF_COPY(copy_utsname, struct uts_namespace, CLONE_NEWUTS, NSL_T_UTS)
KF_COPY(copy_ipcs, struct ipc_namespace, CLONE_NEWIPC, NSL_T_IPC)
KF_COPY(copy_pid_ns, struct pid_namespace, CLONE_NEWPID, NSL_T_PID)
KF_COPY(copy_cgroup_ns, struct cgroup_namespace, CLONE_NEWCGROUP, NSL_T_CGROUP)
KF_COPY(copy_time_ns, struct time_namespace, CLONE_NEWTIME, NSL_T_TIME)
KF_COPY(copy_net_ns, struct net, CLONE_NEWNET, NSL_T_NET)

/* copy_mnt_ns(flags, ns, user_ns, new_fs) */
SEC("fexit/copy_mnt_ns")
int BPF_PROG(kf_copy_mnt_ns, unsigned long flags, void *a1, void *a2, void *a3,
	     struct mnt_namespace *ret)
{
	if ((flags & CLONE_NEWNS) && ret && !IS_ERR_PTR(ret))
		kf_create(NSC(ret, struct mnt_namespace), NSL_T_MNT, flags);
	return 0;
}

SEC("fexit/create_user_ns")
int BPF_PROG(kf_create_user_ns, struct cred *new, int ret)
{
	if (!ret)
		kf_create(NSC(BPF_CORE_READ(new, user_ns), struct user_namespace),
			  NSL_T_USER, CLONE_NEWUSER);
	return 0;
}

/*
 * Frees, each called once the last reference is gone:
 *  - mnt: put_mnt_ns → free_mnt_ns (6.1: kfree at once; 6.12: RCU later);
 *  - net: put_net → __put_net, which queues cleanup_net;
 *  - uts, cgroup, time: put_*_ns → free_*_ns;
 *  - ipc: put_ipc_ns → mq_clear_sbinfo, before the free_ipc work;
 *  - user: put_user_ns → __put_user_ns, which queues free_user_ns (its
 *    loop over parents is caught by the workqueue hook);
 *  - pid: destroy_pid_namespace is inlined into put_pid_ns on 6.1 and
 *    6.12: its RCU callback delayed_free_pidns is the first real function,
 *    one grace period later (the liveness poll may see refcount 0 first).
 */
#define KF_FREE(fn, T, type)							\
SEC("fentry/" #fn)								\
int BPF_PROG(kf_##fn, T *ns)							\
{										\
	report_free(NSC(ns, T), type, NSL_HOW_KFUNC);				\
	return 0;								\
}										\
SEC("fentry/" #fn)								\
int BPF_PROG(kf_##fn##_twin, T *ns)						\
{										\
	report_free_twin(NSC(ns, T), NSL_HOW_KFUNC);				\
	return 0;								\
}

KF_FREE(free_mnt_ns, struct mnt_namespace, NSL_T_MNT)
KF_FREE(__put_net, struct net, NSL_T_NET)
KF_FREE(free_uts_ns, struct uts_namespace, NSL_T_UTS)
KF_FREE(mq_clear_sbinfo, struct ipc_namespace, NSL_T_IPC)
KF_FREE(__put_user_ns, struct user_namespace, NSL_T_USER)
KF_FREE(free_cgroup_ns, struct cgroup_namespace, NSL_T_CGROUP)
KF_FREE(free_time_ns, struct time_namespace, NSL_T_TIME)

#define PIDNS_OF_RCU(rcu) ((__u64)(rcu) - bpf_core_field_offset(struct pid_namespace, rcu) + \
			   bpf_core_field_offset(struct pid_namespace, ns))

SEC("fentry/delayed_free_pidns")
int BPF_PROG(kf_delayed_free_pidns, struct callback_head *rcu)
{
	report_free(PIDNS_OF_RCU(rcu), NSL_T_PID, NSL_HOW_KFUNC);
	return 0;
}

SEC("fentry/delayed_free_pidns")
int BPF_PROG(kf_delayed_free_pidns_twin, struct callback_head *rcu)
{
	report_free_twin(PIDNS_OF_RCU(rcu), NSL_HOW_KFUNC);
	return 0;
}
