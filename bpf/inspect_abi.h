/* SPDX-License-Identifier: GPL-2.0 */
/* What bpf/inspect.bpf.c hands back to user/inspect.c. */
#ifndef NSL_INSPECT_ABI_H
#define NSL_INSPECT_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * a namespace as the kernel names it; id 0 before 6.18 (no ns_id); refs:
 * its reference count when read (ns_common.count, 6.18 __ns_ref)
 */
struct nsl_inspect_ns {
	__u64 id;
	__u32 inum;
	__u32 refs;
};

/* what an open file references (struct nsl_inspect_file.what) */
enum nsl_file_what {
	NSL_FILE_NONE,
	NSL_FILE_CRED,		/* file->f_cred: its user ns */
	NSL_FILE_PROC_NET,	/* /proc/PID/net/<*>: seq_net_private.net */
	NSL_FILE_PROC_MOUNTS,	/* /proc/PID/mounts, mountinfo, mountstats */
	NSL_FILE_TUN,		/* /dev/net/tun: the tun_file's socket */
	NSL_FILE_PIDFD,		/* pidfd: struct pid, so the pid ns of its level */
	NSL_FILE_PROC_PID,	/* /proc/PID or a file under it: its struct pid */
	NSL_FILE_NSFS,		/* an nsfs file (only reported inside a ring) */
	NSL_FILE_SOCKET,	/* a socket: its net ns (refcount accounting) */
	NSL_FILE_FSCONTEXT,	/* fsopen/fspick fd: fs_context.net_ns */
	NSL_FILE_PERF,		/* perf event fd: perf_event.ns, the opener's pid ns */
	NSL_FILE_QUEUE,		/* pid's fd is a unix socket with files in flight (sock_ino) */
	NSL_FILE_MAX,
};

/* the file is registered in an io_uring ring: fd is the ring's */
#define NSL_FILE_IN_RING	0x100
/* the file is in flight in unix socket sock_ino's queue (SCM_RIGHTS); no pid, fd */
#define NSL_FILE_IN_FLIGHT	0x200

/*
 * one record of the task_file iterator: pid's fd references namespace
 * @ns of @type through @what.  obj is the kernel object that holds the
 * reference (file, sock or struct pid), so that user space counts one
 * reference per object however many fds share it.
 */
struct nsl_inspect_file {
	struct nsl_inspect_ns ns;
	__u64 obj;
	__u32 pid;
	__u32 fd;
	__u16 type;		/* NSL_T_* */
	__u16 what;		/* enum nsl_file_what | NSL_FILE_IN_RING */
	__u32 slot;		/* in a ring: index in its table; in flight: in the skb's list */
	__u64 sock_ino;		/* in flight, NSL_FILE_QUEUE: the unix socket's inode */
};

/* f_ops the iterator recognises, learnt from files user space opens */
enum nsl_known_fop {
	NSL_KF_PROC_NET_SEQ,	/* /proc/self/net/dev: seq_open_net */
	NSL_KF_PROC_NET_SINGLE,	/* /proc/self/net/sockstat: single_open_net */
	NSL_KF_MOUNTS,
	NSL_KF_MOUNTINFO,
	NSL_KF_MOUNTSTATS,
	NSL_KF_TUN,
	NSL_KF_PIDFD,
	NSL_KF_IO_URING,
	NSL_KF_FSCONTEXT,	/* fsopen("tmpfs") */
	NSL_KF_MAX,
};

/*
 * one task (the tasks iterator): its nsproxy (0 once exiting) and the
 * inums it holds a reference on; its struct pid and the pid ns of that
 * pid's level; its creds and their user ns
 */
struct nsl_inspect_task {
	__u64 nsproxy;
	__u32 inum[8];		/* NSL_NSP_* */
	__u64 pid;
	__u64 cred;
	__u64 real_cred;
	__u32 pid_ns;
	__u32 cred_user;
	__u32 real_cred_user;
	__u32 tid;
};

enum {
	NSL_NSP_UTS, NSL_NSP_IPC, NSL_NSP_MNT, NSL_NSP_PID_CHILD,
	NSL_NSP_NET, NSL_NSP_TIME, NSL_NSP_TIME_CHILD, NSL_NSP_CGROUP,
};

/*
 * procs: one task (thread) for ls/why's process scan, what the /proc scan
 * read from /proc/PID/stat and the /proc/PID/ns links, in one pass.  pids
 * as the initial pid ns numbers them (user space uses this only there).
 */
enum {
	NSL_PROC_CGROUP, NSL_PROC_IPC, NSL_PROC_MNT, NSL_PROC_NET, NSL_PROC_PID,
	NSL_PROC_PID_CHILD, NSL_PROC_TIME, NSL_PROC_TIME_CHILD, NSL_PROC_USER,
	NSL_PROC_UTS, NSL_PROC_NR,
};
#define NSL_PROCF_ZOMBIE	0x1	/* exit_state EXIT_ZOMBIE: /proc's 'Z' */
#define NSL_PROCF_WQ		0x2	/* a workqueue worker: /proc names it "comm-wq" */
#define NSL_PROCF_NOFILES	0x4	/* no fd table (kernel thread, exited) */
struct nsl_inspect_proc {
	__u32 tid;
	__u32 tgid;
	__u32 ppid;			/* real_parent's tgid, 0 if none */
	__u32 flags;			/* NSL_PROCF_* */
	__u32 inum[NSL_PROC_NR];	/* 0: that link would not read */
	char comm[16];
};

/*
 * nsfds: a process's fd that pins a namespace the way /proc/PID/fd shows
 * it: an nsfs file (its inum) or a socket (its net ns's inum)
 */
enum { NSL_FD_NSFS = 1, NSL_FD_SOCKET };
struct nsl_inspect_fd {
	__u32 tgid;
	__u32 fd;
	__u32 inum;
	__u16 kind;		/* NSL_FD_* */
	__u16 pad;
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
	__u32 owner;		/* inum of its owning user ns (NS_GET_USERNS), 0: none */
	__u32 parent;		/* pid, user: inum of the parent (NS_GET_PARENT), 0: none */
};

/*
 * mnt_walk: the nsfs and procfs mounts of one mount ns, read from its
 * mount tree (ls counts mounts this way instead of having the kernel
 * print every mountinfo)
 */
#define NSL_MNT_MAX	8192
enum { NSL_MNT_NSFS = 1, NSL_MNT_PROC };
struct nsl_inspect_mnt {
	__u64 id;		/* nsfs: the namespace's ns_id (6.18+; else 0) */
	__u32 inum;		/* nsfs: the namespace; proc: its pid ns (0: none) */
	__u16 type;		/* NSL_T_* */
	__u16 kind;		/* NSL_MNT_* */
	__u32 dev;		/* proc: the superblock's s_dev (kernel encoding) */
	__u32 pad;
};

/* net_ifnames: the interface names of one net ns */
#define NSL_IFN_MAX	64
struct nsl_inspect_ifn {
	char name[NSL_IFN_MAX][16];
	__u32 n;
	__u32 pad;
};

#endif
