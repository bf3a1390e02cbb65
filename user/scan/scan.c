// SPDX-License-Identifier: GPL-2.0
/*
 * The scan: runs the scanners (scan_proc.c, scan_mount.c, scan_fcred.c)
 * into a snapshot (snap.c), then works out the hierarchy (owner and
 * parent) and the holders nobody can see (kernel); and the nsfs
 * file-handle probe for namespaces no scan can reach.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/nsfs.h>
#include "hash.h"
#include "owners.h"
#include "scan.h"
#include "scan_enum.h"
#include "scan_fcred.h"
#include "scan_mount.h"
#include "scan_proc.h"
#include "sockdiag.h"


/* NS_GET_USERNS / NS_GET_PARENT: returns the index of the result, or -1 */
static int hier_get(struct snap *s, int i, unsigned long req)
{
	int fd = ioctl(s->ns[i].fd, req);

	/* EPERM: the top of the hierarchy, or outside our user ns */
	if (fd < 0)
		return -1;
	return snap_add_fd_type(s, fd, req == NS_GET_USERNS ? NSL_T_USER :
					 s->ns[i].key.type);
}

static void add_child(struct snap *s, int parent, int child)
{
	struct snap_holder *h;

	if (parent < 0)
		return;
	h = snap_add_holder(s, SNAP_H_CHILD, parent);
	if (h)
		h->child = child;
}

/*
 * What BPF read from the kernel's list (6.18+): the owner or parent inum
 * of namespace @i, as the ioctl would name it; -1 where the list does not
 * have @i or names one the table lacks (the ioctl then finds it), -2 for
 * "none" (the ioctl's EPERM at the top of the hierarchy).
 */
static int hier_hint(const struct snap *s, const struct nsl_hash *idx,
		     const struct snap_tree *tr, int i, bool parent)
{
	const struct snap_tree_rec *r;
	__u64 k;
	__u32 inum;
	int o;

	if (!idx || !nsl_hash_get(idx, s->ns[i].key.inum, &k))
		return -1;
	r = &tr->r[k];
	if (r->ns.type != s->ns[i].key.type ||
	    (s->ns[i].key.id && r->ns.id && r->ns.id != s->ns[i].key.id))
		return -1;
	inum = parent ? r->parent : r->owner;
	if (!inum)
		return -2;
	o = snap_find(s, parent && r->ns.type == NSL_T_PID ? NSL_T_PID : NSL_T_USER,
		      inum, 0);
	return o >= 0 ? o : -1;
}

/* the ioctl, unless the kernel's list already said */
static int hier_of(struct snap *s, const struct nsl_hash *idx,
		   const struct snap_tree *tr, int i, bool parent)
{
	int r = hier_hint(s, idx, tr, i, parent);

	if (r >= 0)
		return r;
	if (r == -2)
		return -1;
	return hier_get(s, i, parent ? NS_GET_PARENT : NS_GET_USERNS);
}

/*
 * Owners and parents.  The table grows as we go (a process-less parent
 * is found only here), and the loop picks the new entries up too.  @tr:
 * the kernel's list, where BPF read it: then an owner or parent the table
 * already has costs no ioctl (two syscalls and a close per namespace).
 */
static void scan_hierarchy(struct snap *s, const struct snap_tree *tr)
{
	struct nsl_hash idx = {};
	bool use = tr && tr->n;

	for (size_t k = 0; use && k < tr->n; k++)
		if (nsl_hash_put(&idx, tr->r[k].ns.inum, k))
			use = false;
	for (size_t i = s->hier_done; i < s->nr_ns; i++, s->hier_done = i) {
		int t = s->ns[i].key.type, r;

		if (s->ns[i].fd < 0)
			continue;
		r = hier_of(s, use ? &idx : NULL, tr, i, false);
		if (r >= 0 && r != (int)i)
			s->ns[i].owner = r;
		if (t == NSL_T_USER) {
			/* a user ns's owner is its parent: one holder */
			s->ns[i].parent = s->ns[i].owner;
		} else if (t == NSL_T_PID) {
			r = hier_of(s, use ? &idx : NULL, tr, i, true);
			if (r >= 0 && r != (int)i)
				s->ns[i].parent = r;
			add_child(s, s->ns[i].parent, i);
		}
		add_child(s, s->ns[i].owner, i);
	}
	nsl_hash_free(&idx);
}

/*
 * A pid ns with no task, fd, mount or child, and proc mounts whose pid ns
 * could not be read (a process-less pid ns shows no pid directories):
 * attribute by elimination, and say so.
 */
static void attribute_proc_mounts(struct snap *s)
{
	int lone = -1, nlone = 0, nmounts = 0;

	for (size_t i = 0; i < s->nr_ns; i++) {
		unsigned int n = 0;

		if (s->ns[i].key.type != NSL_T_PID)
			continue;
		for (int k = 0; k < SNAP_H_MAX; k++)
			if (k != SNAP_H_NOPIN)
				n += s->ns[i].nhold[k];
		if (!n) {
			lone = i;
			nlone++;
		}
	}
	for (size_t i = 0; i < s->nr_h; i++)
		if (s->h[i].kind == SNAP_H_PROC_MOUNT && s->h[i].ns < 0)
			nmounts++;
	if (nlone != 1 || !nmounts)
		return;
	for (size_t i = 0; i < s->nr_h; i++) {
		if (s->h[i].kind != SNAP_H_PROC_MOUNT || s->h[i].ns >= 0)
			continue;
		s->h[i].ns = lone;
		s->h[i].flags |= SNAP_HF_ELIMINATION;
		s->ns[lone].nhold[SNAP_H_PROC_MOUNT]++;
	}
}

static void count_holders(struct snap *s)
{
	for (size_t i = 0; i < s->nr_ns; i++)
		memset(s->ns[i].nhold, 0, sizeof(s->ns[i].nhold));
	for (size_t i = 0; i < s->nr_h; i++)
		if (s->h[i].ns >= 0)
			s->ns[s->h[i].ns].nhold[s->h[i].kind]++;
	for (size_t i = 0; i < s->nr_ns; i++)
		s->ns[i].nhold[SNAP_H_MOUNT] += s->ns[i].mounts_counted;
	for (size_t i = 0; i < s->nr_ns; i++)
		s->ns[i].nhold[SNAP_H_PROC_MOUNT] += s->ns[i].procs_counted;
}

static const char *kernel_detail(int type)
{
	switch (type) {
	case NSL_T_NET:
		return "no visible holder: an fd in flight (SCM_RIGHTS), an orphaned TCP socket, a kernel user (e.g. NFS, tun), or an fd only nslife holds";
	case NSL_T_USER:
		return "no visible holder: open-file credentials (f_cred), an fd in flight, or a kernel reference";
	case NSL_T_PID:
		return "no visible holder: a struct pid (pidfd, SCM credentials, /proc inode) or a procfs mount nslife could not attribute";
	default:
		return "no visible holder: an fd in flight (SCM_RIGHTS) or a kernel-internal reference";
	}
}

/*
 * A net ns we hold an fd on (6.18: opened by nsfs file handle): its own
 * sockets say whether orphaned or in-flight sockets may be what keeps it.
 * Only where processes' sockets were scanned: one of them is no mystery.
 */
static char *net_detail(const struct snap *s, const struct snap_ns *n)
{
	struct sockdiag d;
	char socks[400], *out;

	if (n->fd < 0 || (s->flags & SNAP_NO_SOCKETS) || sockdiag_count(n->fd, &d))
		return strdup(kernel_detail(NSL_T_NET));
	if (!d.tcp && !d.udp && !d.unx)
		return strdup("no task, fd, mount or socket of any process holds it, and it has no socket sock_diag lists: an fd in flight (SCM_RIGHTS), a kernel user (e.g. NFS, tun), or an fd only nslife holds");
	sockdiag_str(&d, socks, sizeof(socks));
	if (asprintf(&out, "no task, fd, mount or socket of any process holds it; it has %s: orphaned sockets or sockets in flight (SCM_RIGHTS) keep it", socks) < 0)
		return NULL;
	return out;
}

static void add_kernel_holders(struct snap *s)
{
	size_t nr = s->nr_ns;

	for (size_t i = 0; i < nr; i++) {
		struct snap_holder *h;
		unsigned int n = 0;

		for (int k = 0; k < SNAP_H_MAX; k++)
			if (k != SNAP_H_NOPIN)
				n += s->ns[i].nhold[k];
		if (n)
			continue;
		h = snap_add_holder(s, SNAP_H_KERNEL, i);
		if (!h)
			return;
		h->detail = s->ns[i].key.type == NSL_T_NET ? net_detail(s, &s->ns[i]) :
			    strdup(kernel_detail(s->ns[i].key.type));
		s->ns[i].nhold[SNAP_H_KERNEL]++;
	}
}

static rlim_t nr_open(void)
{
	unsigned long v = 0;
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/*
 * One fd per namespace while the snapshot lives: past the limit a
 * namespace would go unseen.  Root (CAP_SYS_RESOURCE) may lift the hard
 * limit too, up to fs.nr_open; others get the hard limit.
 */
static void raise_nofile(void)
{
	struct rlimit rl, max;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	max.rlim_cur = max.rlim_max = nr_open();
	if (max.rlim_max > rl.rlim_max && !setrlimit(RLIMIT_NOFILE, &max))
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/*
 * The scan holds an nsfs fd per namespace, and its threads share the fd
 * table: growing a shared table waits for an RCU grace period
 * (expand_fdtable(): synchronize_rcu() while files->count > 1), 4 ms of a
 * 16 ms `ls` with 1,000 namespaces on this 6.18 host, more when the host
 * is idle.  Grown here, before any thread starts, it waits for nothing;
 * fd tables never shrink.  16,384 fds: 128 KiB of kernel memory.
 */
#define FDTABLE_PRESIZE	16384

static void presize_fdtable(void)
{
	struct rlimit rl;
	int hi = FDTABLE_PRESIZE, fd, dup;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)hi)
		hi = (int)rl.rlim_cur;
	fd = open("/", O_PATH | O_CLOEXEC);
	if (fd < 0)
		return;
	dup = fcntl(fd, F_DUPFD_CLOEXEC, hi - 1);
	if (dup >= 0)
		close(dup);
	close(fd);
}

static int snap_init(struct snap *s)
{
	struct stat st;
	__u64 id;
	int fd;

	memset(s, 0, sizeof(*s));
	s->self = getpid();
	s->owners = owners_new();
	s->self_mnt = -1;
	raise_nofile();
	presize_fdtable();
	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -errno;
	}
	s->nsfs_dev = st.st_dev;
	s->have_id = ioctl(fd, NS_GET_ID, &id) == 0;
	s->self_mnt = snap_add_ns(s, NSL_T_MNT, st.st_ino, fd);
	if (s->self_mnt < 0)
		return s->self_mnt;
	s->ns[s->self_mnt].flags |= SNAP_NF_SELF;
	return 0;
}

int snap_scan(struct snap *s, unsigned int flags)
{
	struct snap_fcred fj = {};
	int err = snap_init(s), procfd;

	if (err)
		return err;
	s->flags = flags;
	/*
	 * /proc first: the BPF thread takes fds too, and near the fd limit
	 * a scan that cannot open /proc has nothing to say.
	 */
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	/* BPF runs beside the /proc and mount scans: loading it costs as much */
	fj.creds = !(flags & SNAP_NO_FILE_CREDS);
	fj.tree = !(flags & SNAP_NO_ENUM);
	snap_fcred_start(s, &fj);
	err = snap_scan_procs(s, procfd, flags);
	if (!err && !(flags & SNAP_NO_MOUNTS))
		err = snap_scan_mounts(s);
	snap_fcred_finish(s, &fj, !err);
	if (!err && !(flags & SNAP_NO_ENUM)) {
		size_t first = s->nr_ns;

		snap_enumerate(s, &fj.tr);
		/* a task-less mount ns only the kernel's list has: its mounts */
		if (!(flags & SNAP_NO_MOUNTS))
			snap_scan_mounts_from(s, first);
	}
	if (err) {
		free(fj.tr.r);
		return err;
	}
	scan_hierarchy(s, getenv("NSLIFE_HIER_IOCTL") ? NULL : &fj.tr);
	free(fj.tr.r);
	count_holders(s);
	attribute_proc_mounts(s);
	add_kernel_holders(s);
	return 0;
}

void snap_release(struct snap *s)
{
	for (size_t i = 0; i < s->nr_ns; i++)
		if (s->ns[i].fd >= 0)
			close(s->ns[i].fd);
	for (size_t i = 0; i < s->nr_h; i++) {
		free(s->h[i].path);
		free(s->h[i].detail);
	}
	free(s->ns);
	free(s->h);
	nsl_hash_free(&s->by_inum);
	free(s->procfs);
	owners_free(s->owners);
	free(s->refs);
	memset(s, 0, sizeof(*s));
}

/*
 * A namespace nothing visible holds: nsfs file handles (6.18) open it by
 * (id, type, inum) without pinning it first.  Without the id we try the
 * ids handed out so far: ns_id comes from one counter, batched per CPU
 * (4096 at a time), so a bounded range covers every live namespace.
 * About 1.3 us per try here; an inum that is not alive costs the range.
 */
/*
 * The newest ns_id the kernel has handed out: that of a uts namespace made
 * now, in a child that exits at once.  The visible namespaces alone say
 * nothing of ids spent since by short-lived namespaces.
 */
static __u64 kernel_newest_id(void)
{
	__u64 id = 0;
	int p[2], fd, st;
	pid_t pid;

	if (pipe(p))
		return 0;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fd = unshare(CLONE_NEWUTS) ? -1 : open("/proc/self/ns/uts", O_RDONLY);
		if (fd >= 0 && ioctl(fd, NS_GET_ID, &id) == 0 &&
		    write(p[1], &id, sizeof(id)) != sizeof(id))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (pid > 0) {
		if (read(p[0], &id, sizeof(id)) != sizeof(id))
			id = 0;
		waitpid(pid, &st, 0);
	}
	close(p[0]);
	return id;
}

int snap_probe(struct snap *s, int type, __u32 inum, __u64 id)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	__u64 lo = id ? id : 1, hi = id, newest;
	int i = snap_find(s, type, inum, id);

	if (i >= 0)
		return i;
	if (!s->have_id || type == NSL_T_NONE)
		return -EOPNOTSUPP;
	if (!id) {
		/* ids are handed out in per-CPU batches: allow a batch per CPU */
		newest = kernel_newest_id();
		hi = (newest > s->max_id ? newest : s->max_id) + 4096 * (ncpu + 1);
	}
	/* from the top down: the namespace asked about is most likely recent */
	for (__u64 x = hi; x >= lo; x--) {
		int fd = snap_probe_handle(type, inum, x);

		if (fd >= 0) {
			i = snap_add_fd(s, fd);
			if (i < 0)
				return i;
			s->ns[i].flags |= SNAP_NF_PROBED;
			/* a probed ns has no visible holder: elimination */
			scan_hierarchy(s, NULL);
			count_holders(s);
			attribute_proc_mounts(s);
			add_kernel_holders(s);
			return i;
		}
		if (errno != ESTALE)
			return -errno;
	}
	return -ESTALE;
}
