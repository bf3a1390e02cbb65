/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshot value (see scan.h for how it is filled): namespaces named
 * by struct nsl_ns, their holders, an inum index.
 */
#ifndef NSL_SNAP_H
#define NSL_SNAP_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "nslife.h"
#include "inspect_abi.h"
#include "hash.h"
#include "nstype.h"

#ifndef NS_GET_ID
#define NS_GET_ID	_IOR(0xb7, 13, __u64)
#endif

enum snap_hkind {
	SNAP_H_TASK,		/* a task's nsproxy (pid, tid, comm, link) */
	SNAP_H_FD,		/* an open nsfs fd (pid, fd, comm) */
	SNAP_H_MOUNT,		/* an nsfs bind mount (path, mntns) */
	SNAP_H_SOCKET,		/* a socket of the net ns (pid, fd, comm) */
	SNAP_H_CHILD,		/* an owned or child namespace (child) */
	SNAP_H_PROC_MOUNT,	/* a procfs mount of the pid ns (path, mntns) */
	SNAP_H_CRED,		/* task credentials, user ns (pid, tid, comm) */
	SNAP_H_KERNEL,		/* alive, no visible holder (detail) */
	SNAP_H_NOPIN,		/* sysfs/mqueue mount: a reference that does not pin */
	SNAP_H_FCRED,		/* an open file's credentials, user ns (pid, fd, comm) */
	SNAP_H_FILE,		/* another open file that pins it (pid, fd, comm, what, path) */
	SNAP_H_MAX,
};

/* holder flags */
#define SNAP_HF_COVERED		0x1	/* mount hidden by a later mount */
#define SNAP_HF_ELIMINATION	0x2	/* attributed by elimination */
#define SNAP_HF_ZOMBIE		0x4	/* task is a zombie (only pid ns left) */
#define SNAP_HF_THREAD		0x8	/* a non-leader thread, unlike its leader */
#define SNAP_HF_RING		0x10	/* file: registered in io_uring ring fd */
#define SNAP_HF_INFLIGHT	0x20	/* file: in flight in unix socket sock_ino */

/* namespace flags */
#define SNAP_NF_NOFD		0x1	/* known only by inum (covered mount) */
#define SNAP_NF_PROBED		0x2	/* found by an nsfs file-handle probe */
#define SNAP_NF_SELF		0x4	/* our own (nslife's) namespace */
#define SNAP_NF_MOUNTED		0x8	/* SNAP_MOUNT_COUNTS: has a mount holder */
#define SNAP_NF_ENUM		0x10	/* found only by the kernel's own list */

/*
 * Liveness (docs/kernel-support.md): alive = a task, fd, mount or child
 * holds it (the nsfs file handle opens it); inactive = still allocated,
 * on the kernel's namespace list, but only references that nsfs does not
 * count keep it (open /proc seq files, sockets, kernel users): the file
 * handle says ESTALE, yet it may still pin others.  Freed is never in a
 * snapshot: it is what a lookup that finds nothing reports.
 */
enum snap_state {
	SNAP_S_ALIVE,
	SNAP_S_INACTIVE,
};

/* how the scan knows it has every namespace (s->enum_how) */
enum snap_enum {
	SNAP_E_NONE,		/* holders only: kernel-held ones are missed */
	SNAP_E_LISTNS,		/* listns() (6.19+) */
	SNAP_E_TREE,		/* the ns_tree lists, read by BPF (6.18) */
	SNAP_E_HISTORY,		/* a daemon's live map (before 6.18) */
};

/* what inspector->ns_tree gave (err: its return) */
struct snap_tree_rec {
	struct nsl_ns ns;
	__u32 refs, active;
	__u64 addr;
	__u32 owner, parent;	/* inums: owning user ns; pid/user parent (0: none) */
};

struct snap_tree {
	struct snap_tree_rec *r;
	size_t n, cap;
	int err;
	bool nomem;			/* records dropped: memory ran out */
};

struct snap_ns {
	struct nsl_ns key;		/* type, inum, id (0: unknown) */
	int fd;				/* nsfs fd held by the snapshot, or -1 */
	int owner;			/* index of the owning user ns, or -1 */
	int parent;			/* pid and user ns: index of parent, or -1 */
	int nprocs;			/* processes, counted as lsns does */
	int ntasks;			/* threads and *_for_children links */
	pid_t pid;			/* lowest member pid (lsns PID), or 0 */
	pid_t mnt_pid;			/* mnt ns: a process inside it, or 0 */
	char comm[NSL_COMM_LEN];	/* comm of pid */
	unsigned int flags;		/* SNAP_NF_* */
	unsigned int nhold[SNAP_H_MAX];	/* holders of each kind */
	unsigned int mounts_counted;	/* SNAP_MOUNT_COUNTS: mounts with no holder */
	unsigned int procs_counted;	/* the same for procfs mounts (pid ns) */
	int state;			/* enum snap_state */
	__u32 refs;			/* the kernel's reference count, 0: unknown */
	__u32 active;			/* 6.19+: active references; -1: unknown */
	__u64 kaddr;			/* its ns_common in the kernel (ns_tree), or 0 */
};

struct snap_holder {
	int kind;			/* enum snap_hkind */
	int ns;				/* index of the held ns, -1 if unknown */
	pid_t pid;
	pid_t tid;
	pid_t ppid;			/* zombies: who must reap them */
	int fd;
	char comm[NSL_COMM_LEN];
	const char *link;		/* task: "net", "pid_for_children", ... */
	char *path;			/* mounts: where, inside mntns */
	int mntns;			/* mounts: index of its mnt ns */
	int child;			/* child: index of the child ns */
	unsigned int flags;		/* SNAP_HF_* */
	char *detail;			/* kernel, nopin: free text */
	int what;			/* file: enum nsl_file_what */
	unsigned int unexplained;	/* kernel: references no holder explains */
	unsigned int slot;		/* file in a ring: its index there */
	__u64 sock_ino;			/* file in flight: the unix socket queueing it */
};

/*
 * One kernel object that holds a reference on a namespace, as the BPF
 * file iterator saw it (file, sock, struct pid): the raw material of the
 * reference accounting.  Several fds may share one object.
 */
struct snap_ref {
	int ns;
	int what;			/* enum nsl_file_what */
	__u64 obj;
	unsigned int refs;		/* the ns's reference count, read then */
};

/* one record of the file iterator, as the inspector hands it over */
struct snap_fileref {
	pid_t pid;
	int fd;
	int what;			/* enum nsl_file_what | NSL_FILE_IN_RING */
	unsigned int slot;
	__u64 obj;
	struct nsl_ns ns;		/* type NSL_T_NONE: nsfs, type unknown */
	unsigned int refs;		/* the ns's reference count, read then */
	__u64 sock_ino;			/* in flight, NSL_FILE_QUEUE: the unix socket */
};

struct snap {
	struct snap_ns *ns;
	size_t nr_ns, cap_ns;
	struct snap_holder *h;
	size_t nr_h, cap_h;
	struct nsl_hash by_inum;	/* inum -> index */
	dev_t nsfs_dev;
	pid_t self;
	int self_mnt;			/* index of our own mnt ns */
	__u64 max_id;			/* largest NS_GET_ID seen */
	bool have_id;			/* the kernel has NS_GET_ID */
	unsigned int nr_mntns_entered;	/* process-less mnt ns read via setns */
	unsigned int nr_mntns_listed;	/* ... via listmount/statmount */
	unsigned int nr_mntns_walked;	/* ls: mount tables counted by BPF */
	size_t hier_done;		/* namespaces whose owner/parent are read */
	struct snap_procfs *procfs;	/* procfs superblocks read: dev -> pid ns */
	size_t nr_procfs;
	struct snap_fcred *fcred;	/* file iterator running beside the scan */
	struct snap_ref *refs;		/* objects holding references (BPF) */
	size_t nr_refs, cap_refs;
	bool have_refs;			/* the file iterator ran */
	unsigned int flags;		/* snap_scan's */
	int enum_how;			/* enum snap_enum */
	int enum_err;			/* why the kernel's list was not read */
	unsigned int enum_unopened;	/* listed by listns(), not openable */
	unsigned int enum_read;		/* entries the BPF walk read */
	unsigned int nofile;		/* opens refused for want of fds (EMFILE) */
	struct snap_owners *owners;	/* owners.h: NULL in a log's snapshot */
};

struct snap_procfs {
	dev_t dev;
	int ns;				/* index of its pid ns, or -1 */
	int npids;			/* pid dirs seen, -1: not counted */
};

/*
 * What only BPF can tell (user/inspect.c); the scan works without it.
 * fd_pidns: the pid ns of the procfs mount open as @fd in this process.
 * files: calls @fn for every open file on the host (and every file in an
 * io_uring ring) that references a namespace other than the initial ones:
 * its f_cred, or what the file itself pins (enum nsl_file_what).
 * ns_refs: the reference count of the namespace behind nsfs fd @fd.
 * tasks: calls @fn for every task (nsproxy, struct pid, creds).
 */
struct snap_inspector {
	int (*fd_pidns)(int fd, struct nsl_ns *out);
	int (*files)(void (*fn)(void *ctx, const struct snap_fileref *r), void *ctx);
	int (*ns_refs)(int fd, unsigned int *refs);
	int (*tasks)(void (*fn)(void *ctx, const struct nsl_inspect_task *t), void *ctx);
	/*
	 * ns_tree: calls @fn for every namespace on the kernel's lists (6.18:
	 * published and not yet freed, whatever holds it) with its reference
	 * count; -EOPNOTSUPP where the kernel has no such list.
	 */
	int (*ns_tree)(void (*fn)(void *ctx, const struct snap_tree_rec *r), void *ctx);
	/*
	 * net_ifnames: @fn for each interface name of the net ns at kernel
	 * address @addr (from ns_tree) until it returns non-zero (then 1)
	 */
	int (*net_ifnames)(__u64 addr, int (*fn)(void *ctx, const char *name), void *ctx);
	/*
	 * mounts: @fn for each nsfs and procfs mount of the mount ns behind
	 * nsfs fd @fd, read from its mount tree; -errno (-E2BIG: more than
	 * NSL_MNT_MAX) and then no answer to rely on
	 */
	int (*mounts)(int fd, void (*fn)(void *ctx, const struct nsl_inspect_mnt *m), void *ctx);
	/*
	 * procs: @fn for every task (thread), pids as the initial pid ns
	 * numbers them: what /proc/PID/stat and the ns links say
	 */
	int (*procs)(void (*fn)(void *ctx, const struct nsl_inspect_proc *p), void *ctx);
	/* nsfds: @fn for every nsfs and socket fd of every process, by pid and fd */
	int (*nsfds)(void (*fn)(void *ctx, const struct nsl_inspect_fd *f), void *ctx);
};
void snap_set_inspector(const struct snap_inspector *in);
const struct snap_inspector *snap_inspector(void);

/* snap_scan flags */
#define SNAP_NO_SOCKETS		0x1	/* skip pidfd_getfd + SIOCGSKNS */
#define SNAP_NO_MOUNTS		0x2	/* skip mount tables */
#define SNAP_NO_FILE_CREDS	0x4	/* skip the BPF file iterator (creds, pinning files) */
/*
 * nsfs mounts: a holder for the first mount of each namespace, the rest
 * only counted in nhold[SNAP_H_MOUNT] (ls: every mount ns usually has a
 * copy of every /run/netns mount, and a holder each was a third of ls)
 */
#define SNAP_MOUNT_COUNTS	0x8
#define SNAP_NO_ENUM		0x10	/* skip the kernel's namespace list */

/* index of the ns named by type (NSL_T_NONE: any), inum and id (0: any) */
int snap_find(const struct snap *s, int type, __u32 inum, __u64 id);
/* index of the ns with this id, or -1 */
int snap_find_id(const struct snap *s, __u64 id);
/* add the ns behind an nsfs fd (the snapshot keeps fd); index or -errno */
int snap_add_fd(struct snap *s, int fd);

/* the mnt ns holders chain: true if the ns at index is nslife's own */
bool snap_is_self_mnt(const struct snap *s, int idx);

/* "task", "fd", ... */
const char *snap_hkind_name(int kind);
/* "procfs net file", "pidfd", ... */
const char *snap_file_what_name(int what);
/* "proc_net", "pidfd", ...: the JSON name */
const char *snap_file_what_key(int what);

/* for the scanners: add a namespace (fd taken over) or a holder */
int snap_add_ns(struct snap *s, int type, __u32 inum, int fd);
struct snap_holder *snap_add_holder(struct snap *s, int kind, int ns);
int snap_open_ns_path(struct snap *s, int dirfd, const char *path);
/* openat(flags | O_CLOEXEC), counting EMFILE/ENFILE in s->nofile */
int snap_openat(struct snap *s, int dirfd, const char *path, int flags);
/*
 * The same where the caller knows the type (the ns link, ioctl or mount
 * that gave it): no NS_GET_NSTYPE.  NSL_T_NONE: ask the kernel.
 */
int snap_add_fd_type(struct snap *s, int fd, int type);
int snap_open_ns_type(struct snap *s, int dirfd, const char *path, int type);


#endif
