// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot core: the namespace table, identity, hierarchy (owner and
 * parent), and the holders nobody can see (kernel).  /proc scanning is in
 * scan_proc.c, mount tables in scan_mount.c.
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
#include "owners.h"
#include "scan.h"
#include "sockdiag.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP	0x02000000
#endif

/* nsfs file handles (6.18+): struct nsfs_file_handle, FD_NSFS_ROOT */
#define NSL_FILEID_NSFS		0xf1
#define NSL_FD_NSFS_ROOT	-10003

static const struct {
	const char *name;
	int clone;
} types[NSL_T_MAX] = {
	[NSL_T_MNT]	= { "mnt",	CLONE_NEWNS },
	[NSL_T_NET]	= { "net",	CLONE_NEWNET },
	[NSL_T_UTS]	= { "uts",	CLONE_NEWUTS },
	[NSL_T_IPC]	= { "ipc",	CLONE_NEWIPC },
	[NSL_T_PID]	= { "pid",	CLONE_NEWPID },
	[NSL_T_USER]	= { "user",	CLONE_NEWUSER },
	[NSL_T_CGROUP]	= { "cgroup",	CLONE_NEWCGROUP },
	[NSL_T_TIME]	= { "time",	CLONE_NEWTIME },
};

static const char *const hkinds[SNAP_H_MAX] = {
	[SNAP_H_TASK] = "task", [SNAP_H_FD] = "fd", [SNAP_H_MOUNT] = "mount",
	[SNAP_H_SOCKET] = "socket", [SNAP_H_CHILD] = "child",
	[SNAP_H_PROC_MOUNT] = "proc_mount", [SNAP_H_CRED] = "cred",
	[SNAP_H_KERNEL] = "kernel", [SNAP_H_NOPIN] = "nopin",
	[SNAP_H_FCRED] = "cred", [SNAP_H_FILE] = "file",
};

static const char *const file_whats[NSL_FILE_MAX] = {
	[NSL_FILE_CRED] = "file credentials",
	[NSL_FILE_PROC_NET] = "procfs net file",
	[NSL_FILE_PROC_MOUNTS] = "procfs mount table",
	[NSL_FILE_TUN] = "tun file",
	[NSL_FILE_PIDFD] = "pidfd",
	[NSL_FILE_PROC_PID] = "procfs pid file",
	[NSL_FILE_NSFS] = "nsfs file",
	[NSL_FILE_SOCKET] = "socket",
	[NSL_FILE_FSCONTEXT] = "filesystem context (fsopen)",
	[NSL_FILE_PERF] = "perf event",
	[NSL_FILE_QUEUE] = "unix socket",
};

/* JSON "what": stable short names */
static const char *const file_keys[NSL_FILE_MAX] = {
	[NSL_FILE_CRED] = "cred", [NSL_FILE_PROC_NET] = "proc_net",
	[NSL_FILE_PROC_MOUNTS] = "proc_mounts", [NSL_FILE_TUN] = "tun",
	[NSL_FILE_PIDFD] = "pidfd", [NSL_FILE_PROC_PID] = "proc_pid",
	[NSL_FILE_NSFS] = "nsfs", [NSL_FILE_SOCKET] = "socket",
	[NSL_FILE_FSCONTEXT] = "fscontext", [NSL_FILE_PERF] = "perf",
	[NSL_FILE_QUEUE] = "unix_socket",
};

const char *snap_file_what_name(int what)
{
	what &= ~NSL_FILE_IN_RING;
	if (what <= NSL_FILE_NONE || what >= NSL_FILE_MAX)
		return "file";
	return file_whats[what];
}

const char *snap_file_what_key(int what)
{
	what &= ~NSL_FILE_IN_RING;
	if (what <= NSL_FILE_NONE || what >= NSL_FILE_MAX)
		return "file";
	return file_keys[what];
}

const char *snap_type_name(int type)
{
	if (type <= NSL_T_NONE || type >= NSL_T_MAX)
		return "?";
	return types[type].name;
}

int snap_type_from_name(const char *name)
{
	/* pid_for_children and time_for_children name their base type */
	size_t n = strcspn(name, "_:");

	for (int t = NSL_T_NONE + 1; t < NSL_T_MAX; t++)
		if (strlen(types[t].name) == n && !strncmp(name, types[t].name, n))
			return t;
	return NSL_T_NONE;
}

int snap_type_from_clone(int flag)
{
	for (int t = NSL_T_NONE + 1; t < NSL_T_MAX; t++)
		if (types[t].clone == flag)
			return t;
	return NSL_T_NONE;
}

int snap_type_to_clone(int type)
{
	if (type <= NSL_T_NONE || type >= NSL_T_MAX)
		return 0;
	return types[type].clone;
}

const char *snap_hkind_name(int kind)
{
	if (kind < 0 || kind >= SNAP_H_MAX)
		return "?";
	return hkinds[kind];
}

/* inum -> index: nsfs inums are unique among live namespaces of all types */
static size_t hash_slot(const struct snap *s, __u32 inum)
{
	return (inum * 2654435761u) & (s->hash_size - 1);
}

static int hash_grow(struct snap *s)
{
	size_t size = s->hash_size ? s->hash_size * 2 : 1024;
	__u32 *old = s->hash;
	size_t old_size = s->hash_size;

	s->hash = calloc(size, sizeof(*s->hash));
	if (!s->hash) {
		s->hash = old;
		return -ENOMEM;
	}
	s->hash_size = size;
	for (size_t i = 0; i < old_size; i++) {
		size_t j;

		if (!old[i])
			continue;
		j = hash_slot(s, s->ns[old[i] - 1].key.inum);
		while (s->hash[j])
			j = (j + 1) & (size - 1);
		s->hash[j] = old[i];
	}
	free(old);
	return 0;
}

static int find_inum(const struct snap *s, __u32 inum)
{
	size_t j;

	if (!s->hash_size)
		return -1;
	for (j = hash_slot(s, inum); s->hash[j]; j = (j + 1) & (s->hash_size - 1))
		if (s->ns[s->hash[j] - 1].key.inum == inum)
			return s->hash[j] - 1;
	return -1;
}

int snap_find(const struct snap *s, int type, __u32 inum, __u64 id)
{
	int i = find_inum(s, inum);

	if (i < 0)
		return -1;
	if (type != NSL_T_NONE && s->ns[i].key.type != type)
		return -1;
	/* an id that disagrees means the inum was recycled: not this one */
	if (id && s->ns[i].key.id && s->ns[i].key.id != id)
		return -1;
	return i;
}

int snap_find_id(const struct snap *s, __u64 id)
{
	for (size_t i = 0; id && i < s->nr_ns; i++)
		if (s->ns[i].key.id == id)
			return i;
	return -1;
}

static void read_id(struct snap *s, struct snap_ns *n)
{
	__u64 id = 0;

	if (n->fd < 0 || !s->have_id || ioctl(n->fd, NS_GET_ID, &id) < 0)
		return;
	n->key.id = id;
	if (id > s->max_id)
		s->max_id = id;
}

/*
 * Add a namespace; fd (an nsfs fd, or -1) is taken over.  If the inum is
 * known already the fd is closed, or adopted when the entry had none.
 */
int snap_add_ns(struct snap *s, int type, __u32 inum, int fd)
{
	struct snap_ns *n;
	int i = find_inum(s, inum);
	size_t j;

	if (i >= 0) {
		n = &s->ns[i];
		if (n->fd < 0 && fd >= 0) {
			n->fd = fd;
			n->flags &= ~SNAP_NF_NOFD;
			read_id(s, n);
		} else if (fd >= 0) {
			close(fd);
		}
		return i;
	}
	if (s->nr_ns + 1 > s->hash_size / 2 && hash_grow(s))
		goto nomem;
	if (s->nr_ns == s->cap_ns) {
		size_t cap = s->cap_ns ? s->cap_ns * 2 : 256;
		void *p = realloc(s->ns, cap * sizeof(*s->ns));

		if (!p)
			goto nomem;
		s->ns = p;
		s->cap_ns = cap;
	}
	n = &s->ns[s->nr_ns];
	memset(n, 0, sizeof(*n));
	n->key.type = type;
	n->key.inum = inum;
	n->fd = fd;
	n->owner = n->parent = -1;
	n->active = (__u32)-1;
	if (fd < 0)
		n->flags |= SNAP_NF_NOFD;
	read_id(s, n);
	for (j = hash_slot(s, inum); s->hash[j]; j = (j + 1) & (s->hash_size - 1))
		;
	s->hash[j] = ++s->nr_ns;
	return s->nr_ns - 1;
nomem:
	if (fd >= 0)
		close(fd);
	return -ENOMEM;
}

int snap_add_fd_type(struct snap *s, int fd, int type)
{
	struct stat st;
	int flag;

	if (fstat(fd, &st) < 0 || st.st_dev != s->nsfs_dev)
		goto notns;
	/* known already (every NS_GET_USERNS of the hierarchy): no ioctl */
	if (type != NSL_T_NONE || find_inum(s, st.st_ino) >= 0)
		return snap_add_ns(s, type, st.st_ino, fd);
	flag = ioctl(fd, NS_GET_NSTYPE);
	if (flag < 0 || snap_type_from_clone(flag) == NSL_T_NONE)
		goto notns;
	return snap_add_ns(s, snap_type_from_clone(flag), st.st_ino, fd);
notns:
	close(fd);
	return -EINVAL;
}

int snap_add_fd(struct snap *s, int fd)
{
	return snap_add_fd_type(s, fd, NSL_T_NONE);
}

int snap_open_ns_type(struct snap *s, int dirfd, const char *path, int type)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return snap_add_fd_type(s, fd, type);
}

/* open an nsfs file and add its namespace; index or -errno */
int snap_open_ns_path(struct snap *s, int dirfd, const char *path)
{
	return snap_open_ns_type(s, dirfd, path, NSL_T_NONE);
}

struct snap_holder *snap_add_holder(struct snap *s, int kind, int ns)
{
	struct snap_holder *h;

	if (s->nr_h == s->cap_h) {
		size_t cap = s->cap_h ? s->cap_h * 2 : 1024;
		void *p = realloc(s->h, cap * sizeof(*s->h));

		if (!p)
			return NULL;
		s->h = p;
		s->cap_h = cap;
	}
	h = &s->h[s->nr_h++];
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->ns = ns;
	h->fd = h->mntns = h->child = -1;
	return h;
}

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
 * Owners and parents.  The table grows as we go (a process-less parent
 * is found only here), and the loop picks the new entries up too.
 */
static void scan_hierarchy(struct snap *s)
{
	for (size_t i = s->hier_done; i < s->nr_ns; i++, s->hier_done = i) {
		int t = s->ns[i].key.type, r;

		if (s->ns[i].fd < 0)
			continue;
		r = hier_get(s, i, NS_GET_USERNS);
		if (r >= 0 && r != (int)i)
			s->ns[i].owner = r;
		if (t == NSL_T_USER) {
			/* a user ns's owner is its parent: one holder */
			s->ns[i].parent = s->ns[i].owner;
		} else if (t == NSL_T_PID) {
			r = hier_get(s, i, NS_GET_PARENT);
			if (r >= 0 && r != (int)i)
				s->ns[i].parent = r;
			add_child(s, s->ns[i].parent, i);
		}
		add_child(s, s->ns[i].owner, i);
	}
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

static void raise_nofile(void)
{
	struct rlimit rl;

	/* one fd per namespace while the snapshot lives */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
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

bool snap_is_self_mnt(const struct snap *s, int idx)
{
	return idx >= 0 && idx == s->self_mnt;
}

static const struct snap_inspector *inspector;

void snap_set_inspector(const struct snap_inspector *in)
{
	inspector = in;
}

const struct snap_inspector *snap_inspector(void)
{
	return inspector;
}

struct fcred_ctx {
	struct snap *s;
	pid_t pid;		/* whose comm is in comm */
	char comm[NSL_COMM_LEN];
};

static void read_comm(pid_t pid, char *buf, size_t size)
{
	char path[40];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n <= 0)
		n = 0;
	else if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}

static void fcred_comm(struct fcred_ctx *c, pid_t pid, char *comm)
{
	if (c->pid != pid) {
		c->pid = pid;
		read_comm(pid, c->comm, sizeof(c->comm));
	}
	memcpy(comm, c->comm, NSL_COMM_LEN);
}

/* the ns a file record names, added if only files hold it */
static int fileref_ns(struct snap *s, const struct snap_fileref *r)
{
	int i = snap_find(s, r->ns.type, r->ns.inum, 0);

	if (i >= 0 || r->ns.type == NSL_T_NONE)
		return i;
	/* a namespace only files hold: no fd of ours can name it */
	i = snap_add_ns(s, r->ns.type, r->ns.inum, -1);
	if (i >= 0 && !s->ns[i].key.id)
		s->ns[i].key.id = r->ns.id;
	return i;
}

static void add_ref(struct snap *s, int ns, int what, __u64 obj, unsigned int refs)
{
	if (s->nr_refs == s->cap_refs) {
		size_t cap = s->cap_refs ? s->cap_refs * 2 : 64;
		void *p = realloc(s->refs, cap * sizeof(*s->refs));

		if (!p)
			return;
		s->refs = p;
		s->cap_refs = cap;
	}
	s->refs[s->nr_refs++] = (struct snap_ref){ .ns = ns, .what = what, .obj = obj,
						   .refs = refs };
}

static void file_path(pid_t pid, int fd, char **out)
{
	char link[64], buf[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	*out = strdup(buf);
}

/*
 * The process holding a unix socket with files in flight: the first one
 * names the in-flight holders (the in-flight records came first).
 */
static void on_queue(struct fcred_ctx *c, const struct snap_fileref *r)
{
	for (size_t k = 0; k < c->s->nr_h; k++) {
		struct snap_holder *h = &c->s->h[k];

		if (h->kind != SNAP_H_FILE || !(h->flags & SNAP_HF_INFLIGHT) ||
		    h->sock_ino != r->sock_ino || h->pid)
			continue;
		h->pid = h->tid = r->pid;
		h->fd = r->fd;
		fcred_comm(c, r->pid, h->comm);
	}
}

static void on_fileref(struct fcred_ctx *c, const struct snap_fileref *r)
{
	int what = r->what & ~(NSL_FILE_IN_RING | NSL_FILE_IN_FLIGHT);
	struct snap_holder *h;
	int i;

	if (what == NSL_FILE_QUEUE) {
		on_queue(c, r);
		return;
	}
	i = fileref_ns(c->s, r);
	if (i < 0)
		return;
	/* sockets: scan_proc names them; here they only count references */
	/* nsfs: no object of its own (the inode's one reference), but the count */
	add_ref(c->s, i, what, r->obj, r->refs);
	/* sockets in flight no process shows, so here they are holders */
	if (what == NSL_FILE_SOCKET && !(r->what & NSL_FILE_IN_FLIGHT))
		return;
	/* nsfs fds are scan_proc's; only those in rings or in flight are new */
	if (what == NSL_FILE_NSFS && !(r->what & (NSL_FILE_IN_RING | NSL_FILE_IN_FLIGHT)))
		return;
	h = snap_add_holder(c->s, what == NSL_FILE_CRED ? SNAP_H_FCRED : SNAP_H_FILE, i);
	if (!h)
		return;
	h->what = what;
	if (r->what & NSL_FILE_IN_FLIGHT) {
		/* no fd: on_queue names who holds the socket, if anyone */
		h->flags |= SNAP_HF_INFLIGHT;
		h->sock_ino = r->sock_ino;
		h->slot = r->slot;
		return;
	}
	h->pid = h->tid = r->pid;
	h->fd = r->fd;
	fcred_comm(c, r->pid, h->comm);
	if (r->what & NSL_FILE_IN_RING) {
		h->flags |= SNAP_HF_RING;
		h->slot = r->slot;
	} else if (what != NSL_FILE_CRED) {
		file_path(r->pid, r->fd, &h->path);
	}
}

/*
 * Open files pin namespaces /proc does not show: credentials, procfs net
 * and mount files, tun files, pidfds...  Loading the BPF iterator (kernel
 * BTF, verifier) costs as much as the whole /proc scan, so a thread loads
 * and runs it meanwhile; its records wait in a buffer until the scan is
 * done with the table.
 */
struct snap_fcred {
	pthread_t th;
	bool running;
	bool creds, tree;		/* what the thread runs */
	bool ran;			/* the file iterator ran */
	struct snap_fileref *r;
	size_t n, cap;
	struct snap_tree tr;		/* the kernel's namespace list */
};

static void collect_fcred(void *ctx, const struct snap_fileref *r)
{
	struct snap_fcred *j = ctx;

	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;
		void *p = realloc(j->r, cap * sizeof(*j->r));

		if (!p)
			return;
		j->r = p;
		j->cap = cap;
	}
	j->r[j->n++] = *r;
}

static void collect_tree(void *ctx, const struct nsl_ns *ns, __u32 refs, __u32 active,
			 __u64 addr)
{
	struct snap_tree *t = ctx;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		void *p = realloc(t->r, cap * sizeof(*t->r));

		if (!p)
			return;
		t->r = p;
		t->cap = cap;
	}
	t->r[t->n++] = (struct snap_tree_rec){
		.ns = *ns, .refs = refs, .active = active, .addr = addr,
	};
}

/* the BPF side: file creds, and the kernel's namespace list (6.18+) */
static void *fcred_thread(void *arg)
{
	struct snap_fcred *j = arg;

	if (j->creds && inspector->files)
		j->ran = inspector->files(collect_fcred, j) == 0;
	if (j->tree)
		j->tr.err = inspector->ns_tree ? inspector->ns_tree(collect_tree, &j->tr) :
			    -EOPNOTSUPP;
	return NULL;
}

static void fcred_start(struct snap *s, struct snap_fcred *j)
{
	j->tr.err = -EOPNOTSUPP;
	if (!inspector || (!j->creds && !j->tree))
		return;
	s->fcred = j;
	j->running = pthread_create(&j->th, NULL, fcred_thread, j) == 0;
	if (!j->running)
		fcred_thread(j);
}

/* the inspector is not thread-safe, and fork() wants one thread */
void snap_inspector_idle(struct snap *s)
{
	if (s->fcred && s->fcred->running) {
		pthread_join(s->fcred->th, NULL);
		s->fcred->running = false;
	}
}

static void fcred_finish(struct snap *s, struct snap_fcred *j, bool apply)
{
	struct fcred_ctx c = { .s = s };

	snap_inspector_idle(s);
	s->have_refs = apply && j->ran;
	for (size_t k = 0; apply && k < j->n; k++)
		on_fileref(&c, &j->r[k]);
	free(j->r);
	s->fcred = NULL;
}

int snap_scan(struct snap *s, unsigned int flags)
{
	struct snap_fcred fj = {};
	int err = snap_init(s);

	if (err)
		return err;
	s->flags = flags;
	/* BPF runs beside the /proc and mount scans: loading it costs as much */
	fj.creds = !(flags & SNAP_NO_FILE_CREDS);
	fj.tree = !(flags & SNAP_NO_ENUM);
	fcred_start(s, &fj);
	err = snap_scan_procs(s, flags);
	if (!err && !(flags & SNAP_NO_MOUNTS))
		err = snap_scan_mounts(s);
	fcred_finish(s, &fj, !err);
	if (!err && !(flags & SNAP_NO_ENUM)) {
		size_t first = s->nr_ns;

		snap_enumerate(s, &fj.tr);
		/* a task-less mount ns only the kernel's list has: its mounts */
		if (!(flags & SNAP_NO_MOUNTS))
			snap_scan_mounts_from(s, first);
	}
	free(fj.tr.r);
	if (err)
		return err;
	scan_hierarchy(s);
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
	free(s->hash);
	free(s->procfs);
	owners_free(s->owners);
	free(s->refs);
	memset(s, 0, sizeof(*s));
}

int snap_probe_handle(int type, __u32 inum, __u64 id)
{
	struct {
		struct file_handle fh;
		unsigned char buf[16];
	} h;
	__u32 clone = snap_type_to_clone(type);

	h.fh.handle_bytes = 16;
	h.fh.handle_type = NSL_FILEID_NSFS;
	memcpy(h.buf, &id, 8);
	memcpy(h.buf + 8, &clone, 4);
	memcpy(h.buf + 12, &inum, 4);
	return open_by_handle_at(NSL_FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
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
			scan_hierarchy(s);
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
