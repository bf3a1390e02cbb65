// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot, part 2: the mount table of every mount namespace, for nsfs
 * bind mounts (which pin any namespace type), procfs mounts (which pin
 * their pid ns) and sysfs/mqueue mounts (which do not pin: passive refs).
 *
 * A mount namespace with a process is read through /proc/TID/mountinfo
 * (read ahead by a helper thread: mount_ahead.c) and its paths opened
 * through /proc/TID/root.  One without a process (reachable only through
 * an nsfs mount or fd) is listed by listmount/statmount where the kernel
 * has them (6.11+, mount_list.c), when every nsfs and proc mount in it
 * shows a namespace or procfs the scan already holds; else it is read by
 * a child that enters it (mount_setns.c).
 * Mount namespaces found that way are appended to the table and read in
 * turn, so chains are followed to the end.  mountinfo.c reads, filters and
 * parses the text (libmount); mtab.c tells covered mounts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <libmount/libmount.h>
#include "mount_ahead.h"
#include "mount_list.h"
#include "mount_setns.h"
#include "mountinfo.h"
#include "mtab.h"
#include "scan_enum.h"
#include "scan_fcred.h"
#include "scan_mount.h"
#include "vec.h"

#define PROC_ROOT_INO	1

/*
 * Open a mount's path; an fd, or for an nsfs mount of a namespace the
 * snapshot already holds no syscall at all: -EEXIST when it is visible,
 * -ENOENT when covered, as the mount table (t, if built; k: its index)
 * says (every mount ns usually has a copy of every /run/netns mount: one
 * stat each was most of ls's time), or another -errno.  Under
 * SNAP_MOUNT_COUNTS a namespace's further mounts are only counted, and
 * whether they are covered does not matter.
 */
static int open_mount(const struct snap *s, int rootfd, struct libmnt_fs *fs,
		      int cls, struct mtab *t, int k)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY, type, i;
	const char *target = mnt_fs_get_target(fs);
	__u32 inum;
	int fd;

	if (cls == MT_PROC)
		flags |= O_DIRECTORY;
	/* rootfd: /proc/TID/root, or AT_FDCWD inside the entered ns */
	while (*target == '/' && rootfd != AT_FDCWD)
		target++;
	if (!*target)
		target = ".";
	if (cls == MT_NSFS) {
		inum = mountinfo_nsfs_root(mnt_fs_get_root(fs), &type);
		i = inum ? snap_find(s, type, inum, 0) : -1;
		if (i >= 0 && s->ns[i].fd >= 0) {
			if ((s->flags & SNAP_MOUNT_COUNTS) &&
			    (s->ns[i].flags & SNAP_NF_MOUNTED))
				return -EEXIST;
			return mtab_covered(t, k) ? -ENOENT : -EEXIST;
		}
	}
	fd = openat(rootfd, target, flags);
	return fd < 0 ? -errno : fd;
}

static struct snap_holder *mount_holder(struct snap *s, int kind, int ns,
					int mntns, struct libmnt_fs *fs)
{
	struct snap_holder *h = snap_add_holder(s, kind, ns);

	if (!h)
		return NULL;
	h->mntns = mntns;
	h->path = strdup(mnt_fs_get_target(fs));
	return h;
}

static void nsfs_mount(struct snap *s, int mntns, struct libmnt_fs *fs, int fd)
{
	struct snap_holder *h;
	struct stat st;
	int type = NSL_T_NONE, i;
	__u32 inum = mountinfo_nsfs_root(mnt_fs_get_root(fs), &type);
	int visible;

	if (!inum) {
		if (fd >= 0)
			close(fd);
		return;
	}
	/* what the path opens now is the mount, unless something covers it */
	visible = fd == -EEXIST ||
		  (fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == s->nsfs_dev &&
		   st.st_ino == inum);
	if (!visible && fd >= 0)
		close(fd);
	if (!visible || fd < 0)
		fd = -1;
	i = snap_add_ns(s, type, inum, fd);
	if (i < 0)
		return;
	if (s->flags & SNAP_MOUNT_COUNTS) {
		if (s->ns[i].flags & SNAP_NF_MOUNTED) {
			s->ns[i].mounts_counted++;
			return;
		}
		s->ns[i].flags |= SNAP_NF_MOUNTED;
	}
	h = mount_holder(s, SNAP_H_MOUNT, i, mntns, fs);
	if (h && !visible)
		h->flags |= SNAP_HF_COVERED;
}

/*
 * Read the pid ns of the first pid directory of a procfs mount we may
 * read (into buf), counting the directories up to it.  /proc lists pids
 * in ascending order, and the lowest pids of a pid ns are its own (init,
 * then its first children), not a descendant's.
 */
static int scan_pid_dirs(int fd, char *buf, size_t size, int *npids)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char path[64];
	struct dirent *de;
	ssize_t n;
	DIR *d;
	int found = -1;

	*npids = 0;
	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	while (found < 0 && (de = readdir(d))) {
		if (atoi(de->d_name) <= 0)
			continue;
		(*npids)++;
		snprintf(path, sizeof(path), "%d/ns/pid", atoi(de->d_name));
		n = readlinkat(fd, path, buf, size - 1);
		if (n > 0) {
			buf[n] = '\0';
			found = atoi(de->d_name);
		}
	}
	closedir(d);
	return found;
}

/*
 * The superblock knows (proc_fs_info.pid_ns), and BPF can read it: the
 * only way to name a process-less pid ns before 6.18.  The ns is added
 * by inum (and ns_id on 6.18), without an fd.
 */
static int proc_mount_bpf(struct snap *s, int fd)
{
	const struct snap_inspector *in = snap_inspector();
	struct nsl_ns k = {};
	int i;

	snap_inspector_idle(s);
	if (!in || !in->fd_pidns || in->fd_pidns(fd, &k))
		return -1;
	i = snap_find(s, NSL_T_PID, k.inum, 0);
	if (i < 0) {
		i = snap_add_ns(s, NSL_T_PID, k.inum, -1);
		if (i >= 0 && !s->ns[i].key.id)
			s->ns[i].key.id = k.id;
	}
	return i;
}

/*
 * Which pid ns a procfs superblock shows: its pid 1 is that ns's init,
 * whose active pid ns is the one.  A process-less pid ns shows no pid at
 * all and nothing in procfs names it (6.18 has no ioctl for it): BPF
 * reads it from the superblock, and without BPF such mounts are
 * attributed later, by elimination.
 */
static int procfs_pidns(struct snap *s, int fd, int *npids)
{
	char buf[64], path[64] = "1/ns/pid";
	int i = -1, type, pid;
	ssize_t n;

	*npids = -1;
	n = readlinkat(fd, path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
	} else {
		/* pid 1 may be unreadable (LSM, another user ns) or gone */
		pid = scan_pid_dirs(fd, buf, sizeof(buf), npids);
		if (pid < 0)
			buf[0] = '\0';
		snprintf(path, sizeof(path), "%d/ns/pid", pid);
	}
	if (buf[0]) {
		i = snap_find(s, NSL_T_PID, mountinfo_nsfs_root(buf, &type), 0);
		if (i < 0) {
			snap_open_ns_type(s, fd, path, NSL_T_PID);
			i = snap_find(s, NSL_T_PID, mountinfo_nsfs_root(buf, &type), 0);
		}
	}
	if (i < 0)
		i = proc_mount_bpf(s, fd);
	return i;
}

/*
 * Every mount ns has a copy of /proc, usually of one superblock: read
 * each superblock once (a readdir of /proc per copy where pid 1 is
 * unreadable was a third of ls's time).
 */
static struct snap_procfs *procfs_get(struct snap *s, int fd, dev_t dev)
{
	struct snap_procfs *p;

	for (size_t k = 0; k < s->nr_procfs; k++)
		if (s->procfs[k].dev == dev)
			return &s->procfs[k];
	p = realloc(s->procfs, (s->nr_procfs + 1) * sizeof(*p));
	if (!p)
		return NULL;
	s->procfs = p;
	p = &s->procfs[s->nr_procfs++];
	p->dev = dev;
	p->ns = procfs_pidns(s, fd, &p->npids);
	return p;
}

static void proc_mount(struct snap *s, int mntns, struct libmnt_fs *fs, int fd)
{
	struct snap_holder *h;
	struct snap_procfs *p = NULL;
	struct stat st;
	/* -EEXIST: visible, and a procfs the snapshot has read already */
	int visible = fd == -EEXIST ||
		      (fd >= 0 && fstat(fd, &st) == 0 &&
		       st.st_ino == PROC_ROOT_INO &&
		       st.st_dev == mnt_fs_get_devno(fs));

	if (visible)
		p = procfs_get(s, fd, mnt_fs_get_devno(fs));
	if (fd >= 0)
		close(fd);
	h = mount_holder(s, SNAP_H_PROC_MOUNT, p ? p->ns : -1, mntns, fs);
	if (!h)
		return;
	if (!visible)
		h->flags |= SNAP_HF_COVERED;
	if (p && p->npids == 0)
		h->detail = strdup("procfs of a pid namespace with no processes");
	else if (!p || p->ns < 0)
		h->detail = strdup("procfs whose pid namespace could not be read");
}

static void nopin_mount(struct snap *s, int mntns, struct libmnt_fs *fs)
{
	const char *t = mnt_fs_get_fstype(fs);
	struct snap_holder *h = mount_holder(s, SNAP_H_NOPIN, -1, mntns, fs);

	if (h)
		h->detail = strdup(!strcmp(t, "sysfs") ?
			"sysfs: a passive reference to its net ns, does not pin it" :
			"mqueue: a passive reference to its ipc ns, does not pin it");
}

/* fds[k]: the k-th interesting mount opened (or -errno), taken over */
static void add_mounts(struct snap *s, int mntns, struct libmnt_table *tb,
		       int *fds, int nfds)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int k = 0;

	while (it && mnt_table_next_fs(tb, it, &fs) == 0) {
		int cls = mountinfo_class(fs);
		int fd = -1;

		if (cls == MT_OTHER)
			continue;
		if (cls != MT_NOPIN && k < nfds)
			fd = fds[k++];
		if (cls == MT_NSFS)
			nsfs_mount(s, mntns, fs, fd);
		else if (cls == MT_PROC)
			proc_mount(s, mntns, fs, fd);
		else
			nopin_mount(s, mntns, fs);
	}
	mnt_free_iter(it);
}

/* open every nsfs and proc mount of tb, in table order */
static int *open_all(const struct snap *s, struct libmnt_table *tb, int rootfd,
		     int *nr)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int *fds = calloc(mountinfo_count_pins(tb) + 1, sizeof(int)), n = 0, k = 0;
	struct mtab t = { .tb = tb };

	while (fds && it && mnt_table_next_fs(tb, it, &fs) == 0) {
		int cls = mountinfo_class(fs);

		if (cls == MT_NSFS || cls == MT_PROC)
			fds[n++] = open_mount(s, rootfd, fs, cls, &t, k);
		k++;
	}
	if (t.state > 0)
		mtab_free(&t);
	mnt_free_iter(it);
	*nr = n;
	return fds;
}

static bool procfs_known(const struct snap *s, dev_t dev)
{
	for (size_t k = 0; k < s->nr_procfs; k++)
		if (s->procfs[k].dev == dev)
			return true;
	return false;
}

/*
 * What open_all would give for tb, from the table alone: each nsfs mount
 * of a namespace the snapshot holds, and each proc mount of a procfs it
 * has read, is -EEXIST (visible) or -ENOENT (covered).  NULL when one
 * needs an open inside the namespace (a namespace or procfs new to us).
 */
static int *resolve_all(const struct snap *s, struct libmnt_table *tb, int *nr)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int *fds = calloc(mountinfo_count_pins(tb) + 1, sizeof(int)), n = 0, k = 0;
	struct mtab t = { .tb = tb };
	bool ok = fds && it;

	while (ok && mnt_table_next_fs(tb, it, &fs) == 0) {
		int cls = mountinfo_class(fs), type, i = -1;
		__u32 inum;

		if (cls == MT_NSFS) {
			inum = mountinfo_nsfs_root(mnt_fs_get_root(fs), &type);
			i = inum ? snap_find(s, type, inum, 0) : -1;
			/* not a namespace root: nsfs_mount ignores it */
			if (!inum)
				fds[n++] = -ENOENT;
			else if (i < 0 || s->ns[i].fd < 0)
				ok = false;
			else
				fds[n++] = open_mount(s, AT_FDCWD, fs, cls, &t, k);
		} else if (cls == MT_PROC) {
			if (!procfs_known(s, mnt_fs_get_devno(fs)))
				ok = false;
			else
				fds[n++] = mtab_covered(&t, k) ? -ENOENT : -EEXIST;
		}
		k++;
	}
	if (t.state > 0)
		mtab_free(&t);
	mnt_free_iter(it);
	if (!ok) {
		free(fds);
		return NULL;
	}
	*nr = n;
	return fds;
}

/* NSLIFE_MNTNS_READ: "setns" or "listmount" only (tests, benchmarks) */
static int mntns_read_mode(void)
{
	static int mode = -1;
	const char *e;

	if (mode < 0) {
		e = getenv("NSLIFE_MNTNS_READ");
		mode = !e ? 0 : !strcmp(e, "setns") ? 1 :
		       !strcmp(e, "listmount") ? 2 : 0;
	}
	return mode;
}

/* the records of one walk of a mount ns's tree (BPF: mnt_walk) */
struct walk_recs {
	struct nsl_inspect_mnt *r;
	size_t n, cap;
	bool oom;
};

static void walk_rec(void *ctx, const struct nsl_inspect_mnt *m)
{
	struct walk_recs *w = ctx;
	struct nsl_inspect_mnt *slot;

	if (w->oom)
		return;
	slot = nsl_vec_push(w->r, w->n, w->cap, 256);
	if (slot)
		*slot = *m;
	else
		w->oom = true;
}

/* the nsfs and proc mounts of mount ns @mntns into @w: false if BPF cannot tell */
static bool walk_read(const struct snap *s, int mntns, struct walk_recs *w)
{
	const struct snap_inspector *in = snap_inspector();

	*w = (struct walk_recs){ 0 };
	if (!in || !in->mounts || s->ns[mntns].fd < 0)
		return false;
	if (!in->mounts(s->ns[mntns].fd, walk_rec, w) && !w->oom)
		return true;
	free(w->r);
	*w = (struct walk_recs){ 0 };
	return false;
}

/*
 * The listmount path: 0, or -errno and nothing added.  listmount lists the
 * mounts its root reaches, the mount tree (@w, if walked) has all of
 * them: measured in the 6.12 and 6.18 test VMs (the initramfs's rootfs as
 * root), an nsfs mount whose parent was not in the namespace was missing
 * from listmount but in the tree and in the namespace's mountinfo.  A
 * table with fewer nsfs and proc mounts than the walk found is not used.
 */
static int read_by_listmount(struct snap *s, int mntns, const struct walk_recs *w)
{
	struct libmnt_table *tb;
	int *fds, nfds = 0, err;
	char *text;
	size_t len;

	err = mount_list_read(s->ns[mntns].fd, &text, &len);
	if (err)
		return err;
	tb = mountinfo_parse(text, len);
	if (tb && w && w->n > (size_t)mountinfo_count_pins(tb)) {
		mnt_unref_table(tb);
		free(text);
		return -ENODATA;
	}
	fds = tb ? resolve_all(s, tb, &nfds) : NULL;
	if (fds) {
		add_mounts(s, mntns, tb, fds, nfds);
		s->nr_mntns_listed++;
	}
	mnt_unref_table(tb);
	free(text);
	free(fds);
	return fds ? 0 : -EAGAIN;
}

static void debug_mntns(const struct snap *s, int mntns, const char *how, int err)
{
	if (getenv("NSLIFE_MNTNS_DEBUG"))
		fprintf(stderr, "nslife: mnt ns %u: %s (%d)\n",
			s->ns[mntns].key.inum, how, err);
}

/*
 * 6.18+: the namespaces a task-less mount ns's nsfs mounts show that the
 * scan has no fd on, opened by nsfs file handle (their ns_ids from the
 * mount-tree walk) instead of by a child entering it.  The number opened.
 */
static int open_by_walk(struct snap *s, const struct walk_recs *w)
{
	int n = 0, i, fd;

	if (!s->have_id)
		return 0;
	for (size_t k = 0; k < w->n; k++) {
		const struct nsl_inspect_mnt *m = &w->r[k];

		if (m->kind != NSL_MNT_NSFS || !m->id || m->type == NSL_T_NONE)
			continue;
		i = snap_find(s, m->type, m->inum, 0);
		if (i >= 0 && s->ns[i].fd >= 0)
			continue;
		fd = snap_probe_handle(m->type, m->inum, m->id);
		if (fd >= 0 && snap_add_fd(s, fd) >= 0)
			n++;
	}
	return n;
}

/* a mount ns no process is in, reachable by an nsfs fd we hold */
static int read_by_setns(struct snap *s, int mntns)
{
	struct libmnt_table *tb;
	int *fds, nfds, err, mode = mntns_read_mode();

	if (mode != 1) {
		struct walk_recs w;
		bool walked = walk_read(s, mntns, &w);

		err = read_by_listmount(s, mntns, walked ? &w : NULL);
		/* a namespace new to the scan: open it by handle, and again */
		if (err == -EAGAIN && open_by_walk(s, &w) > 0) {
			debug_mntns(s, mntns, "handles", 0);
			err = read_by_listmount(s, mntns, walked ? &w : NULL);
		}
		free(w.r);
		debug_mntns(s, mntns, "listmount", err);
		if (!err || mode == 2)
			return err;
	}
	err = mount_setns_read(s, mntns, open_all, &tb, &fds, &nfds);
	debug_mntns(s, mntns, "setns", err);
	if (err)
		return err;
	add_mounts(s, mntns, tb, fds, nfds);
	mnt_unref_table(tb);
	free(fds);
	return 0;
}

/* a mount ns with a process: all through /proc/TID (text: its mountinfo) */
static int read_by_task(struct snap *s, int mntns, pid_t tid, char *text,
			size_t len)
{
	struct libmnt_table *tb;
	char path[64];
	int rootfd, *fds, nfds = 0;

	if (s->flags & SNAP_MOUNT_COUNTS) {
		len = mountinfo_count_known(s, text, len);
		if (!len) {
			free(text);
			return 0;
		}
	}
	tb = mountinfo_parse(text, len);
	if (!tb) {
		free(text);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/proc/%d/root", tid);
	rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fds = rootfd >= 0 ? open_all(s, tb, rootfd, &nfds) : NULL;
	add_mounts(s, mntns, tb, fds, nfds);
	if (rootfd >= 0)
		close(rootfd);
	free(fds);
	mnt_unref_table(tb);
	free(text);
	return 0;
}

/*
 * SNAP_MOUNT_COUNTS (ls) through the inspector's mount-tree walk: a table
 * whose every nsfs and procfs mount only adds to a count (a namespace
 * that has its mount holder already, a procfs whose pid ns has its proc
 * mount holder already) is counted from the walk, and the kernel need not
 * print it.  Anything else, and the table is read as text, as before.
 */

/* the pid ns index of a procfs the scan has read, by the kernel's s_dev */
static int walk_procfs(const struct snap *s, __u32 kdev)
{
	dev_t dev = makedev(kdev >> 20, kdev & 0xfffff);

	for (size_t k = 0; k < s->nr_procfs; k++)
		if (s->procfs[k].dev == dev)
			return s->procfs[k].ns;
	return -1;
}

static bool has_proc_holder(const struct snap *s, int ns)
{
	for (size_t k = 0; k < s->nr_h; k++)
		if (s->h[k].kind == SNAP_H_PROC_MOUNT && s->h[k].ns == ns)
			return true;
	return false;
}

/* -1: not countable; else the ns index the record adds a count to */
static int walk_countable(const struct snap *s, const struct nsl_inspect_mnt *m)
{
	int i;

	if (m->kind == NSL_MNT_NSFS) {
		i = snap_find(s, m->type, m->inum, 0);
		return i >= 0 && s->ns[i].fd >= 0 &&
		       (s->ns[i].flags & SNAP_NF_MOUNTED) ? i : -1;
	}
	i = walk_procfs(s, m->dev);
	return i >= 0 && has_proc_holder(s, i) ? i : -1;
}

static bool count_by_walk(struct snap *s, int mntns)
{
	struct walk_recs w;
	int *idx;
	bool ok;

	if (!(s->flags & SNAP_MOUNT_COUNTS) || !walk_read(s, mntns, &w))
		return false;
	idx = malloc((w.n + 1) * sizeof(*idx));
	ok = idx != NULL;
	for (size_t k = 0; ok && k < w.n; k++)
		ok = (idx[k] = walk_countable(s, &w.r[k])) >= 0;
	for (size_t k = 0; ok && k < w.n; k++) {
		if (w.r[k].kind == NSL_MNT_NSFS)
			s->ns[idx[k]].mounts_counted++;
		else
			s->ns[idx[k]].procs_counted++;
	}
	free(idx);
	free(w.r);
	return ok;
}

int snap_scan_mounts(struct snap *s)
{
	struct mt_ahead a = MT_AHEAD_INIT;
	size_t k = 0;

	/* ls with the walk reads few tables: none to read ahead */
	if (!((s->flags & SNAP_MOUNT_COUNTS) && snap_inspector() &&
	      snap_inspector()->mounts))
		mount_ahead_start(s, &a);
	/* the table grows while we read: new mount namespaces come last */
	for (size_t i = 0; i < s->nr_ns; i++) {
		struct mt_job own = { .tid = s->ns[i].mnt_pid }, *j = &own;
		int err = -ENOENT;

		if (s->ns[i].key.type != NSL_T_MNT)
			continue;
		if (s->ns[i].mnt_pid && count_by_walk(s, i)) {
			s->nr_mntns_walked++;
			debug_mntns(s, i, "walk", 0);
			continue;
		}
		if (s->ns[i].mnt_pid) {
			if (k < a.n)
				j = mount_ahead_get(&a, k++);
			else
				mount_job_read(j);
			err = j->err ? -ESRCH :
			      read_by_task(s, i, j->tid, j->text, j->len);
			j->text = NULL;
		}
		if (err && s->ns[i].fd >= 0) {
			mount_ahead_stop(&a);
			err = read_by_setns(s, i);
		}
		/* a mount table unread for want of fds: its holders are missing */
		if (err == -EMFILE || err == -ENFILE)
			s->nofile++;
	}
	mount_ahead_free(&a);
	return 0;
}

void snap_scan_mounts_from(struct snap *s, size_t first)
{
	/* the table grows while we read: new mount namespaces come last */
	for (size_t i = first; i < s->nr_ns; i++)
		if (s->ns[i].key.type == NSL_T_MNT && s->ns[i].fd >= 0)
			read_by_setns(s, i);
}
