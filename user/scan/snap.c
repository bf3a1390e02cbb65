// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot value: the namespace table indexed by inum, identity
 * (NS_GET_ID), holders, and the names of types and holder kinds.  The
 * scanners (scan_proc.c, scan_mount.c, scan_fcred.c) fill it through
 * these calls; scan.c runs them.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>
#include "snap.h"

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

const char *snap_hkind_name(int kind)
{
	if (kind < 0 || kind >= SNAP_H_MAX)
		return "?";
	return hkinds[kind];
}

/* inum -> index: nsfs inums are unique among live namespaces of all types */
static int find_inum(const struct snap *s, __u32 inum)
{
	__u64 i;

	return nsl_hash_get(&s->by_inum, inum, &i) ? (int)i : -1;
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
	if (nsl_hash_put(&s->by_inum, inum, s->nr_ns))
		goto nomem;
	read_id(s, n);
	return s->nr_ns++;
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
	if (flag < 0 || nsl_type_from_clone(flag) == NSL_T_NONE)
		goto notns;
	return snap_add_ns(s, nsl_type_from_clone(flag), st.st_ino, fd);
notns:
	close(fd);
	return -EINVAL;
}

int snap_add_fd(struct snap *s, int fd)
{
	return snap_add_fd_type(s, fd, NSL_T_NONE);
}

/* every open of the scan: one refused for want of fds is a gap to report */
int snap_openat(struct snap *s, int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, flags | O_CLOEXEC);

	if (fd < 0 && (errno == EMFILE || errno == ENFILE))
		s->nofile++;
	return fd;
}

int snap_open_ns_type(struct snap *s, int dirfd, const char *path, int type)
{
	int fd = snap_openat(s, dirfd, path, O_RDONLY | O_NOCTTY);

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
