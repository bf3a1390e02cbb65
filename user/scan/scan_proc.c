// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot, part 1: tasks (threads included), open nsfs fds and sockets,
 * all from /proc.  Processes vanish mid-scan: ENOENT, ESRCH and EACCES
 * are normal and skipped.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <linux/sockios.h>
#include "scan_proc.h"
#include "vec.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd	438
#endif

/* /proc/PID/ns entries; lsns (2.38) counts a process by its leader's links */
static const struct {
	const char *name;
	int type;
	int base;		/* *_for_children: index of the plain link */
	int lsns;
} links[] = {
	{ "cgroup",		NSL_T_CGROUP,	-1, 1 },
	{ "ipc",		NSL_T_IPC,	-1, 1 },
	{ "mnt",		NSL_T_MNT,	-1, 1 },
	{ "net",		NSL_T_NET,	-1, 1 },
	{ "pid",		NSL_T_PID,	-1, 1 },
	{ "pid_for_children",	NSL_T_PID,	 4, 0 },
	{ "time",		NSL_T_TIME,	-1, 1 },
	{ "time_for_children",	NSL_T_TIME,	 6, 0 },
	{ "user",		NSL_T_USER,	-1, 1 },
	{ "uts",		NSL_T_UTS,	-1, 1 },
};
#define NR_LINKS	(sizeof(links) / sizeof(links[0]))

struct proc_info {
	pid_t pid;
	pid_t ppid;
	int nthreads;
	char state;
	char comm[NSL_COMM_LEN];
	__u32 inum[NR_LINKS];	/* the leader's links, 0 if unreadable */
};

/*
 * Directory entries straight from getdents64: opendir's fstat and fcntl
 * were two syscalls per task and fd directory, a tenth of the scan.
 */
struct dents {
	int fd;
	long n, off;
	char buf[8192];
};

/* no initializer: zeroing buf for every directory costs more than it reads */
static int dents_open(struct snap *s, struct dents *d, int dirfd, const char *name)
{
	d->fd = snap_openat(s, dirfd, name, O_RDONLY | O_DIRECTORY);
	d->n = d->off = 0;
	return d->fd;
}

static const char *dents_next(struct dents *d)
{
	struct dirent64 *e;

	for (;;) {
		if (d->off >= d->n) {
			d->n = getdents64(d->fd, d->buf, sizeof(d->buf));
			d->off = 0;
			if (d->n <= 0)
				return NULL;
		}
		e = (struct dirent64 *)(d->buf + d->off);
		d->off += e->d_reclen;
		if (e->d_name[0] != '.')
			return e->d_name;
	}
}

/* "net:[4026531840]" -> inum; 0 if it is not an nsfs link */
static __u32 parse_link(const char *buf, int *type)
{
	const char *p = strchr(buf, ':');
	char *end;
	unsigned long v;

	if (!p || p[1] != '[' || buf[0] == '/')
		return 0;
	*type = nsl_type_parse_base(buf);
	if (*type == NSL_T_NONE)
		return 0;
	v = strtoul(p + 2, &end, 10);
	if (*end != ']')
		return 0;
	return v;
}

static int read_link(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dirfd, name, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* comm, state, ppid and threads from /proc/PID/stat (comm may hold ')') */
static int read_stat(struct snap *s, int dirfd, struct proc_info *pi)
{
	char buf[512], *l, *r;
	int fd = snap_openat(s, dirfd, "stat", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	l = strchr(buf, '(');
	r = strrchr(buf, ')');
	if (!l || !r || r < l)
		return -EIO;
	snprintf(pi->comm, sizeof(pi->comm), "%.*s", (int)(r - l - 1), l + 1);
	if (sscanf(r + 1, " %c %d", &pi->state, &pi->ppid) != 2)
		return -EIO;
	/* field 20; unknown (0) means look at the task directory */
	if (sscanf(r + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %d",
		   &pi->nthreads) != 1)
		pi->nthreads = 0;
	return 0;
}

/* index of the ns behind /proc/.../ns/NAME, opening it on first sight */
static int ns_index(struct snap *s, int nsdir, int l, __u32 inum)
{
	int i = snap_find(s, links[l].type, inum, 0);

	if (i >= 0)
		return i;
	snap_open_ns_type(s, nsdir, links[l].name, links[l].type);
	/* the task may have moved between readlink and open */
	return snap_find(s, links[l].type, inum, 0);
}

static void add_task_holder(struct snap *s, int i, const struct proc_info *pi,
			    pid_t tid, int l, const char *comm)
{
	int kind = links[l].type == NSL_T_USER ? SNAP_H_CRED : SNAP_H_TASK;
	struct snap_holder *h = snap_add_holder(s, kind, i);

	if (!h)
		return;
	h->pid = pi->pid;
	h->tid = tid;
	h->ppid = pi->ppid;
	h->link = links[l].name;
	snprintf(h->comm, sizeof(h->comm), "%s", comm);
	if (pi->state == 'Z' && tid == pi->pid)
		h->flags |= SNAP_HF_ZOMBIE;
	if (tid != pi->pid)
		h->flags |= SNAP_HF_THREAD;
}

static void note_member(struct snap *s, int i, const struct proc_info *pi,
			pid_t tid, int l)
{
	struct snap_ns *n = &s->ns[i];

	n->ntasks++;
	if (links[l].lsns && tid == pi->pid) {
		n->nprocs++;
		if (!n->pid || pi->pid < n->pid) {
			n->pid = pi->pid;
			memcpy(n->comm, pi->comm, sizeof(n->comm));
		}
	}
	if (links[l].type == NSL_T_MNT && (!n->mnt_pid || pi->state != 'Z'))
		n->mnt_pid = tid;
}

/* the leader's links: one holder per process and namespace */
static void scan_leader(struct snap *s, int pdir, struct proc_info *pi)
{
	char buf[64];
	int nsdir = snap_openat(s, pdir, "ns", O_RDONLY | O_DIRECTORY);

	if (nsdir < 0)
		return;
	for (size_t l = 0; l < NR_LINKS; l++) {
		int type, i;

		if (read_link(nsdir, links[l].name, buf, sizeof(buf)))
			continue;
		pi->inum[l] = parse_link(buf, &type);
		if (!pi->inum[l])
			continue;
		/* pid_for_children equal to pid is the same reference story */
		if (links[l].base >= 0 && pi->inum[links[l].base] == pi->inum[l])
			continue;
		i = ns_index(s, nsdir, l, pi->inum[l]);
		if (i < 0)
			continue;
		note_member(s, i, pi, pi->pid, l);
		add_task_holder(s, i, pi, pi->pid, l, pi->comm);
	}
	close(nsdir);
}

static void thread_comm(struct snap *s, int tdir, char *comm)
{
	int fd = snap_openat(s, tdir, "comm", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, comm, NSL_COMM_LEN - 1);
	close(fd);
	if (n > 0) {
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
	}
}

/* a non-leader thread counts where it differs from its leader */
static void scan_thread(struct snap *s, int taskdir, const struct proc_info *pi,
			pid_t tid, const char *name)
{
	char buf[64], comm[NSL_COMM_LEN];
	int tdir, nsdir;

	tdir = snap_openat(s, taskdir, name, O_RDONLY | O_DIRECTORY);
	if (tdir < 0)
		return;
	nsdir = snap_openat(s, tdir, "ns", O_RDONLY | O_DIRECTORY);
	memcpy(comm, pi->comm, sizeof(comm));
	thread_comm(s, tdir, comm);
	close(tdir);
	if (nsdir < 0)
		return;
	__u32 own[NR_LINKS] = { 0 };

	for (size_t l = 0; l < NR_LINKS; l++) {
		int type, i;
		__u32 inum;

		if (read_link(nsdir, links[l].name, buf, sizeof(buf)))
			continue;
		inum = own[l] = parse_link(buf, &type);
		if (!inum || inum == pi->inum[l] ||
		    (links[l].base >= 0 && own[links[l].base] == inum))
			continue;
		i = ns_index(s, nsdir, l, inum);
		if (i < 0)
			continue;
		note_member(s, i, pi, tid, l);
		add_task_holder(s, i, pi, tid, l, comm);
	}
	close(nsdir);
}

static void scan_threads(struct snap *s, int pdir, const struct proc_info *pi)
{
	struct dents d;
	const char *name;

	/* most processes have one thread: nothing to compare it with */
	if (pi->nthreads == 1 || dents_open(s, &d, pdir, "task") < 0)
		return;
	while ((name = dents_next(&d))) {
		pid_t tid = atoi(name);

		if (tid > 0 && tid != pi->pid)
			scan_thread(s, d.fd, pi, tid, name);
	}
	close(d.fd);
}

static void add_fd_holder(struct snap *s, int kind, int i,
			  const struct proc_info *pi, int fd)
{
	struct snap_holder *h = snap_add_holder(s, kind, i);

	if (!h)
		return;
	h->pid = h->tid = pi->pid;
	h->fd = fd;
	memcpy(h->comm, pi->comm, sizeof(h->comm));
}

/* the process's fds, from one pidfd opened on first need */
struct fdsrc {
	pid_t pid;
	int pidfd;		/* -1: not opened yet, -2: cannot be */
};

static int fdsrc_pidfd(struct fdsrc *f)
{
	if (f->pidfd == -1) {
		f->pidfd = syscall(SYS_pidfd_open, f->pid, 0);
		if (f->pidfd < 0)
			f->pidfd = -2;
	}
	return f->pidfd;
}

/*
 * An nsfs fd: matched by st_dev/st_ino, not by readlink, because an fd
 * opened through a since-detached bind mount reads back as "/".  A new
 * one is taken by pidfd_getfd(): a third of the cost of opening
 * /proc/PID/fd/N, which is what is left where ptrace rules refuse it.
 */
static void scan_nsfs_fd(struct snap *s, int fddir, const char *name,
			 const struct proc_info *pi, __u32 inum, struct fdsrc *src)
{
	int i = snap_find(s, NSL_T_NONE, inum, 0), fd = -1;

	if (i < 0) {
		if (fdsrc_pidfd(src) >= 0)
			fd = syscall(SYS_pidfd_getfd, src->pidfd, atoi(name), 0);
		if (fd >= 0)
			snap_add_fd(s, fd);
		else
			snap_open_ns_path(s, fddir, name);
		i = snap_find(s, NSL_T_NONE, inum, 0);
	}
	if (i >= 0)
		add_fd_holder(s, SNAP_H_FD, i, pi, atoi(name));
}

/* a socket pins the net ns it was created in, wherever its owner lives */
static void scan_socket(struct snap *s, int pidfd, const struct proc_info *pi,
			int fd)
{
	int sfd = syscall(SYS_pidfd_getfd, pidfd, fd, 0), nsfd, i;

	if (sfd < 0)
		return;
	nsfd = ioctl(sfd, SIOCGSKNS);
	close(sfd);
	if (nsfd < 0)
		return;
	i = snap_add_fd_type(s, nsfd, NSL_T_NET);
	if (i >= 0)
		add_fd_holder(s, SNAP_H_SOCKET, i, pi, fd);
}

static void scan_fds(struct snap *s, int dirfd, const char *path,
		     const struct proc_info *pi, unsigned int flags)
{
	struct fdsrc src = { .pid = pi->pid, .pidfd = -1 };
	int *socks = NULL, nsocks = 0, cap = 0;
	const char *name;
	struct statx stx;
	struct dents d;

	if (dents_open(s, &d, dirfd, path) < 0)
		return;
	while ((name = dents_next(&d))) {
		/*
		 * One statx per fd tells sockets and nsfs files apart, from
		 * cached attributes: a hung network filesystem cannot stall
		 * the scan.
		 */
		if (statx(d.fd, name, AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO, &stx))
			continue;
		if (S_ISSOCK(stx.stx_mode)) {
			if (nsocks == cap) {
				int *p = realloc(socks, (cap = cap * 2 + 16) * sizeof(int));

				if (!p)
					continue;
				socks = p;
			}
			socks[nsocks++] = atoi(name);
			continue;
		}
		if (makedev(stx.stx_dev_major, stx.stx_dev_minor) == s->nsfs_dev)
			scan_nsfs_fd(s, d.fd, name, pi, stx.stx_ino, &src);
	}
	close(d.fd);
	for (int k = 0; !(flags & SNAP_NO_SOCKETS) && k < nsocks &&
	     fdsrc_pidfd(&src) >= 0; k++)
		scan_socket(s, src.pidfd, pi, socks[k]);
	if (src.pidfd >= 0)
		close(src.pidfd);
	free(socks);
}

static void scan_process(struct snap *s, int procfd, const char *name,
			 unsigned int flags)
{
	struct proc_info pi = { .pid = atoi(name) };
	int pdir = snap_openat(s, procfd, name, O_RDONLY | O_DIRECTORY);

	if (pdir < 0)
		return;
	if (read_stat(s, pdir, &pi) == 0) {
		scan_leader(s, pdir, &pi);
		scan_threads(s, pdir, &pi);
		/* our own fds and sockets are the snapshot's, not holders */
		if (pi.pid != s->self)
			scan_fds(s, pdir, "fd", &pi, flags);
	}
	close(pdir);
}

/* ---- the same from the BPF task iterator (the inspector's procs) ---- */

#define PROC_PID_INIT_INO	0xEFFFFFFCU

_Static_assert(NR_LINKS == NSL_PROC_NR, "links[] is in NSL_PROC_* order");

struct procrecs {
	struct nsl_inspect_proc *r;
	size_t n, cap;
	bool nomem;
};

static void collect_proc(void *ctx, const struct nsl_inspect_proc *p)
{
	struct procrecs *pr = ctx;
	struct nsl_inspect_proc *slot = nsl_vec_push(pr->r, pr->n, pr->cap, 1024);

	if (slot)
		*slot = *p;
	else
		pr->nomem = true;
}

struct fdrecs {
	struct nsl_inspect_fd *r;
	size_t n, cap;
	bool nomem;
};

static void collect_fd(void *ctx, const struct nsl_inspect_fd *f)
{
	struct fdrecs *fr = ctx;
	struct nsl_inspect_fd *slot = nsl_vec_push(fr->r, fr->n, fr->cap, 1024);

	if (slot)
		*slot = *f;
	else
		fr->nomem = true;
}

static int cmp_fd(const void *a, const void *b)
{
	const struct nsl_inspect_fd *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

/*
 * scan_fds from the nsfds records of one process: nsfs fds first, then
 * sockets, as scan_fds adds them; a socket of a net ns the snapshot has
 * is named with no syscall
 */
static void scan_fdrecs(struct snap *s, int procfd, const struct proc_info *pi,
			const struct nsl_inspect_fd *r, size_t n, unsigned int flags)
{
	struct fdsrc src = { .pid = pi->pid, .pidfd = -1 };
	char fddir[24], name[16];
	int dirfd = -1;

	snprintf(fddir, sizeof(fddir), "%d/fd", pi->pid);
	for (size_t k = 0; k < n; k++) {
		if (r[k].kind != NSL_FD_NSFS)
			continue;
		snprintf(name, sizeof(name), "%u", r[k].fd);
		if (snap_find(s, NSL_T_NONE, r[k].inum, 0) < 0 && dirfd < 0)
			dirfd = snap_openat(s, procfd, fddir, O_RDONLY | O_DIRECTORY);
		scan_nsfs_fd(s, dirfd, name, pi, r[k].inum, &src);
	}
	for (size_t k = 0; !(flags & SNAP_NO_SOCKETS) && k < n; k++) {
		int i;

		if (r[k].kind != NSL_FD_SOCKET)
			continue;
		i = r[k].inum ? snap_find(s, NSL_T_NET, r[k].inum, 0) : -1;
		if (i >= 0)
			add_fd_holder(s, SNAP_H_SOCKET, i, pi, r[k].fd);
		else if (fdsrc_pidfd(&src) >= 0)
			scan_socket(s, src.pidfd, pi, r[k].fd);
	}
	if (src.pidfd >= 0)
		close(src.pidfd);
	if (dirfd >= 0)
		close(dirfd);
}

/* by process, its leader first, as /proc lists them */
static int cmp_proc(const void *a, const void *b)
{
	const struct nsl_inspect_proc *x = a, *y = b;
	bool lx = x->tid == x->tgid, ly = y->tid == y->tgid;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	if (lx != ly)
		return lx ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/*
 * The iterator's pids are the initial pid ns's: usable only where ours
 * and /proc's are that one (not in a container's pid ns).
 */
static bool iter_pids_usable(int procfd)
{
	char buf[32];
	struct stat st;
	ssize_t n;

	if (fstatat(procfd, "self/ns/pid", &st, 0) || st.st_ino != PROC_PID_INIT_INO)
		return false;
	n = readlinkat(procfd, "self", buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return atoi(buf) == getpid();
}

/* as ns_index, the link named by path from /proc */
static int ns_index_tid(struct snap *s, int procfd, pid_t tid, int l, __u32 inum)
{
	int i = snap_find(s, links[l].type, inum, 0);
	char path[48];

	if (i >= 0)
		return i;
	snprintf(path, sizeof(path), "%d/ns/%s", tid, links[l].name);
	snap_open_ns_type(s, procfd, path, links[l].type);
	return snap_find(s, links[l].type, inum, 0);
}

/* scan_leader and scan_thread, from a record: @lead is NULL for the leader */
static void scan_rec(struct snap *s, int procfd, struct proc_info *pi,
		     const struct nsl_inspect_proc *r, bool leader)
{
	for (size_t l = 0; l < NR_LINKS; l++) {
		__u32 inum = r->inum[l];
		int i;

		if (leader)
			pi->inum[l] = inum;
		if (!inum || (!leader && inum == pi->inum[l]) ||
		    (links[l].base >= 0 && r->inum[links[l].base] == inum))
			continue;
		i = ns_index_tid(s, procfd, r->tid, l, inum);
		if (i < 0)
			continue;
		note_member(s, i, pi, r->tid, l);
		add_task_holder(s, i, pi, r->tid, l, leader ? pi->comm : r->comm);
	}
}

static void scan_group(struct snap *s, int procfd, const struct nsl_inspect_proc *r,
		       size_t n, struct fdrecs *fr, size_t *fk, unsigned int flags)
{
	struct proc_info pi = { .pid = r->tgid, .ppid = r->ppid, .nthreads = n,
				.state = r->flags & NSL_PROCF_ZOMBIE ? 'Z' : 'R' };
	char name[16];
	int pdir;

	snprintf(name, sizeof(name), "%d", pi.pid);
	memcpy(pi.comm, r->comm, sizeof(pi.comm));
	pi.comm[sizeof(pi.comm) - 1] = '\0';
	/* /proc names a workqueue worker after its work: read it there */
	if (r->flags & NSL_PROCF_WQ) {
		pdir = snap_openat(s, procfd, name, O_RDONLY | O_DIRECTORY);
		if (pdir < 0)
			return;
		if (read_stat(s, pdir, &pi)) {
			close(pdir);
			return;
		}
		close(pdir);
	}
	scan_rec(s, procfd, &pi, r, true);
	for (size_t k = 1; k < n; k++)
		scan_rec(s, procfd, &pi, &r[k], false);
	if (pi.pid == s->self || (r->flags & NSL_PROCF_NOFILES))
		return;
	if (fr) {
		size_t k = *fk, e;

		while (k < fr->n && fr->r[k].tgid < (__u32)pi.pid)
			k++;
		for (e = k; e < fr->n && fr->r[e].tgid == (__u32)pi.pid; e++)
			;
		*fk = e;
		scan_fdrecs(s, procfd, &pi, fr->r + k, e - k, flags);
	} else {
		char fdpath[24];

		snprintf(fdpath, sizeof(fdpath), "%d/fd", pi.pid);
		scan_fds(s, procfd, fdpath, &pi, flags);
	}
}

/*
 * One read of the BPF task iterator instead of a stat file and ten ns
 * links per process (and the task directories of threaded ones);
 * -EOPNOTSUPP where it cannot be used, and the /proc walk runs instead.
 */
static int scan_procs_iter(struct snap *s, int procfd, unsigned int flags)
{
	const struct snap_inspector *in = snap_inspector();
	struct procrecs pr = {};
	struct fdrecs fr = {};
	size_t fk = 0;
	bool have_fds;
	int err;

	const char *force = getenv("NSLIFE_PROC_SCAN");

	if (!in || !in->procs || (force && !strcmp(force, "proc")) ||
	    !iter_pids_usable(procfd))
		return -EOPNOTSUPP;
	err = in->procs(collect_proc, &pr);
	if (!err && pr.nomem)
		err = -ENOMEM;
	if (err) {
		free(pr.r);
		return err;
	}
	/* the fds: one more iterator, else each process's /proc/PID/fd */
	have_fds = in->nsfds && !in->nsfds(collect_fd, &fr) && !fr.nomem;
	if (have_fds)
		qsort(fr.r, fr.n, sizeof(*fr.r), cmp_fd);
	qsort(pr.r, pr.n, sizeof(*pr.r), cmp_proc);
	for (size_t k = 0, e; k < pr.n; k = e) {
		for (e = k + 1; e < pr.n && pr.r[e].tgid == pr.r[k].tgid; e++)
			;
		/* a process is its leader: no leader, nothing /proc would list */
		if (pr.r[k].tid == pr.r[k].tgid && pr.r[k].tgid)
			scan_group(s, procfd, &pr.r[k], e - k, have_fds ? &fr : NULL,
				   &fk, flags);
	}
	if (getenv("NSLIFE_SCAN_DEBUG"))
		fprintf(stderr, "nslife: process scan: bpf iterators (%zu tasks, %s)\n",
			pr.n, have_fds ? "fds too" : "fds from /proc");
	free(pr.r);
	free(fr.r);
	return 0;
}

int snap_scan_procs(struct snap *s, int procfd, unsigned int flags)
{
	struct dirent *de;
	DIR *d;

	if (!scan_procs_iter(s, procfd, flags)) {
		close(procfd);
		return 0;
	}
	if (getenv("NSLIFE_SCAN_DEBUG"))
		fprintf(stderr, "nslife: process scan: /proc\n");
	d = fdopendir(procfd);
	if (!d) {
		close(procfd);
		return -errno;
	}
	while ((de = readdir(d))) {
		pid_t pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		scan_process(s, procfd, de->d_name, flags);
	}
	closedir(d);
	return 0;
}
