/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nslife event ABI: the one header shared by bpf/ and user/.
 *
 * Records are fixed-size per kind and little-endian host order.  The
 * same records are written, unchanged, into recorded logs, so any change
 * here bumps NSL_ABI_VERSION.
 *
 * Identity: a namespace is named by (type, inum, id).  inum alone is never
 * a key: the kernel recycles nsfs inode numbers at once.  id is the
 * kernel's ns_common.ns_id where it exists (6.18+, all 8 types), else
 * net->net_cookie for net and mnt_namespace.seq with NSL_ID_MNTSEQ set for
 * mnt, else an id that nslife assigns on first sight with NSL_ID_LOCAL set.
 * ids are unique across types on every kernel.
 */
#ifndef NSLIFE_H
#define NSLIFE_H

#define NSL_ABI_VERSION	1
#define NSL_COMM_LEN	16
#define NSL_PATH_LEN	256

/*
 * ids nslife made up itself (kernels without ns_id) have bit 48 set: far
 * above any net_cookie or mnt seq, and below 2^53 so that JSON parsers
 * that read numbers as doubles keep them exact.
 */
#define NSL_ID_LOCAL	(1ULL << 48)
/*
 * ≤6.17 mount namespaces: mnt_namespace.seq | NSL_ID_MNTSEQ.  seq and
 * net_cookie are separate counters from 1, so untagged they collide.
 */
#define NSL_ID_MNTSEQ	(1ULL << 47)

enum nsl_type {
	NSL_T_NONE = 0,
	NSL_T_MNT,
	NSL_T_NET,
	NSL_T_UTS,
	NSL_T_IPC,
	NSL_T_PID,
	NSL_T_USER,
	NSL_T_CGROUP,
	NSL_T_TIME,
	NSL_T_MAX,
};

enum nsl_kind {
	NSL_EV_NONE = 0,
	NSL_EV_CREATE,		/* ns: new namespace; arg: first member tid;
				 * flags NSL_EF_CGROUP: aux.id is the creating
				 * task's cgroup id (aux.type NONE) */
	NSL_EV_FREE,		/* ns: last reference gone, teardown begun */
	NSL_EV_JOIN,		/* ns: joined; aux: the one left (same type);
				 * flags NSL_EF_JOIN_CGROUP: val is the joining
				 * task's cgroup id */
	NSL_EV_LEAVE,		/* ns: left; arg: refcount seen before the drop */
	NSL_EV_MOUNT,		/* ns: nsfs ns bound (type NONE if unknown); aux: mnt ns */
	NSL_EV_UMOUNT,		/* aux: mnt ns; flags: umount2 flags */
	NSL_EV_PROC_MOUNT,	/* ns: pid ns of the procfs; aux: mnt ns */
	NSL_EV_OPEN,		/* ns: opened nsfs file; arg: fd */
	/* made in user space, never by BPF */
	NSL_EV_LOST,		/* val: records lost since last report; arg: of
				 * them, live map full; flags: live map insert
				 * refused otherwise (aux.inum: its errno) */
	NSL_EV_LINGER,		/* ns: still alive after its members exited */
	NSL_EV_UNLINGER,	/* ns: no longer lingering (holder gone or freed) */
	NSL_EV_MAX,
};

/* how an event came about */
enum nsl_how {
	NSL_HOW_NONE = 0,
	NSL_HOW_CLONE,
	NSL_HOW_UNSHARE,
	NSL_HOW_SETNS,
	NSL_HOW_EXIT,
	NSL_HOW_MOUNT,		/* mount(2) */
	NSL_HOW_MOVE_MOUNT,	/* new mount API: open_tree/fsmount + move_mount */
	NSL_HOW_UMOUNT,
	NSL_HOW_OPEN,		/* open/openat/openat2 */
	NSL_HOW_HANDLE,		/* open_by_handle_at */
	NSL_HOW_POLL,		/* free seen by the periodic refcount/ns_id check */
	NSL_HOW_WORK,		/* free seen as its teardown work item ran */
	NSL_HOW_TREE,		/* precise free: __ns_tree_remove (creates say clone/unshare) */
	NSL_HOW_KFUNC,		/* precise free: a per-type free function (≤6.17) */
	NSL_HOW_SCAN,		/* user space: found or lost by a /proc rescan */
	NSL_HOW_MEMFREE,	/* ≤6.17 tracepoint: its struct reached kfree/kmem_cache_free */
	NSL_HOW_OPEN_TREE,	/* 7.0+: open_tree(OPEN_TREE_NAMESPACE) made a mnt ns */
	NSL_HOW_FSMOUNT,	/* 7.0+: fsmount(FSMOUNT_NAMESPACE) made a mnt ns */
	NSL_HOW_OPEN_TREE_ATTR,	/* 7.0+: open_tree_attr(OPEN_TREE_NAMESPACE) made one */
	NSL_HOW_MAX,
};

/* 16 bytes: enough to name a namespace without ambiguity */
struct nsl_ns {
	__u64 id;
	__u32 inum;
	__u8 type;		/* enum nsl_type */
	__u8 pad[3];
};

struct nsl_hdr {
	__u8 kind;		/* enum nsl_kind */
	__u8 how;		/* enum nsl_how */
	__u16 size;		/* whole record, bytes */
	__u32 pid;		/* tgid of the task that caused it */
	__u32 tid;
	__u32 cpu;
	__u64 ts;		/* CLOCK_BOOTTIME, ns */
	char comm[NSL_COMM_LEN];
};

/* create, free, join, leave, open, lost, linger */
struct nsl_event {
	struct nsl_hdr h;
	struct nsl_ns ns;
	struct nsl_ns aux;
	__u32 arg;
	__u32 flags;
	__u64 val;		/* clone/unshare flags; lost count */
};

/*
 * e->flags of a create.  The cgroup id is bpf_get_current_cgroup_id(): the
 * cgroup v2 hierarchy's, on a v1 hybrid host too (there podman and systemd
 * place tasks in it as well).  Records of logs made before it have flags 0
 * and read as "creator's cgroup unknown": the layout did not change.
 */
#define NSL_EF_CGROUP	0x1
/*
 * e->flags of a join: val is the joining task's cgroup id, as above.  A
 * namespace made outside a container and joined from inside it (podman's
 * net ns: the podman CLI makes it, runc joins it) is named by its members'
 * cgroups.  Older logs: flags 0, val 0, "joiner's cgroup unknown".
 */
#define NSL_EF_JOIN_CGROUP	0x2

/* mount, umount, proc_mount: the only records with a path */
struct nsl_mount_event {
	struct nsl_event e;
	char path[NSL_PATH_LEN];	/* as the caller passed it; NUL-terminated */
};

#endif /* NSLIFE_H */
