// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot, part 2: the mount table of every mount namespace, for nsfs
 * bind mounts (which pin any namespace type), procfs mounts (which pin
 * their pid ns) and sysfs/mqueue mounts (which do not pin: passive refs).
 *
 * A mount namespace with a process is read through /proc/TID/mountinfo
 * and its paths opened through /proc/TID/root.  One without a process
 * (reachable only through an nsfs mount or fd) is entered by a
 * short-lived child: setns() to it, read mountinfo, open the mounts and
 * pass the fds back with SCM_RIGHTS.  Mount namespaces found that way are
 * appended to the table and read in turn, so chains are followed to the
 * end.
 *
 * mountinfo is parsed with libmount, as lsns and findmnt do: octal
 * escapes in paths (\040), optional fields and their separator are easy
 * to get wrong by hand.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <libmount/libmount.h>
#include "fdpass.h"
#include "hash.h"
#include "scan_fcred.h"
#include "scan_mount.h"

#define PROC_ROOT_INO	1
#define CHUNK		32768

enum { MT_OTHER, MT_NSFS, MT_PROC, MT_NOPIN };

static __u32 nsfs_root(const char *root, int *type);

static int mount_class(struct libmnt_fs *fs)
{
	const char *t = mnt_fs_get_fstype(fs);

	if (!t)
		return MT_OTHER;
	if (!strcmp(t, "nsfs"))
		return MT_NSFS;
	if (!strcmp(t, "proc"))
		return MT_PROC;
	if (!strcmp(t, "sysfs") || !strcmp(t, "mqueue"))
		return MT_NOPIN;
	return MT_OTHER;
}

struct mtab;
static bool mtab_covered(struct mtab *t, int m);

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
		inum = nsfs_root(mnt_fs_get_root(fs), &type);
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

static struct libmnt_table *parse_table(char *text, size_t len)
{
	struct libmnt_table *tb = mnt_new_table();
	FILE *f = fmemopen(text, len, "r");

	if (!tb || !f || mnt_table_parse_stream(tb, f, "mountinfo")) {
		if (f)
			fclose(f);
		mnt_unref_table(tb);
		return NULL;
	}
	fclose(f);
	return tb;
}

/* "net:[4026532279]" (an nsfs mount's root) -> type, inum */
static __u32 nsfs_root(const char *root, int *type)
{
	const char *p = root ? strchr(root, '[') : NULL;

	if (!p)
		return 0;
	*type = nsl_type_parse_base(root);
	return *type == NSL_T_NONE ? 0 : strtoul(p + 1, NULL, 10);
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
	__u32 inum = nsfs_root(mnt_fs_get_root(fs), &type);
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
		i = snap_find(s, NSL_T_PID, nsfs_root(buf, &type), 0);
		if (i < 0) {
			snap_open_ns_type(s, fd, path, NSL_T_PID);
			i = snap_find(s, NSL_T_PID, nsfs_root(buf, &type), 0);
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
	int visible = fd >= 0 && fstat(fd, &st) == 0 &&
		      st.st_ino == PROC_ROOT_INO &&
		      st.st_dev == mnt_fs_get_devno(fs);

	if (visible)
		p = procfs_get(s, fd, st.st_dev);
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
		int cls = mount_class(fs);
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

static int count_interesting(struct libmnt_table *tb)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int n = 0;

	while (it && mnt_table_next_fs(tb, it, &fs) == 0)
		if (mount_class(fs) == MT_NSFS || mount_class(fs) == MT_PROC)
			n++;
	mnt_free_iter(it);
	return n;
}

/*
 * Which mounts of a table are covered, from the table alone.  M is covered
 * when another mount N sits on M's mount point or on a directory above it,
 * N is not one of the mounts M itself sits on (its ancestors), and N hangs
 * from M or from one of M's ancestors: N was mounted over M's path later.
 */
struct mtab {
	struct libmnt_table *tb;
	int state;		/* 0: not built yet, 1: built, -1: failed */
	size_t n;
	int *id, *parent;	/* by table index; parent as an index, -1 */
	const char **target;
	int *bucket, *next;	/* target hash chains, -1 terminated */
	size_t nbucket;
};

static size_t str_hash(const char *s, size_t len)
{
	size_t h = 5381;

	while (len--)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/*
 * Parent ids to table indexes through an id hash: one pass per mount was
 * quadratic, 330 mounts times 100 mount namespaces.
 */
static int link_parents(struct mtab *t, const int *pid)
{
	struct nsl_hash by_id = {};
	__u64 k;
	int err = 0;

	for (size_t i = 0; i < t->n && !err; i++)
		err = nsl_hash_put(&by_id, (__u32)t->id[i], i);
	for (size_t i = 0; i < t->n; i++)
		t->parent[i] = !err && nsl_hash_get(&by_id, (__u32)pid[i], &k) ? (int)k : -1;
	nsl_hash_free(&by_id);
	return err;
}

static void mtab_free(struct mtab *t)
{
	free(t->id);
	free(t->parent);
	free(t->target);
	free(t->bucket);
	free(t->next);
}

static int mtab_build(struct mtab *t, struct libmnt_table *tb)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int *pid;
	size_t k, h;

	memset(t, 0, sizeof(*t));
	t->n = mnt_table_get_nents(tb);
	t->nbucket = t->n * 2 + 1;
	t->id = calloc(t->n + 1, sizeof(int));
	t->parent = calloc(t->n + 1, sizeof(int));
	t->target = calloc(t->n + 1, sizeof(char *));
	t->bucket = malloc(t->nbucket * sizeof(int));
	t->next = calloc(t->n + 1, sizeof(int));
	pid = calloc(t->n + 1, sizeof(int));
	if (!it || !t->id || !t->parent || !t->target || !t->bucket || !t->next ||
	    !pid)
		goto fail;
	memset(t->bucket, -1, t->nbucket * sizeof(int));
	for (k = 0; k < t->n && mnt_table_next_fs(tb, it, &fs) == 0; k++) {
		t->id[k] = mnt_fs_get_id(fs);
		pid[k] = mnt_fs_get_parent_id(fs);
		t->target[k] = mnt_fs_get_target(fs) ? mnt_fs_get_target(fs) : "";
		h = str_hash(t->target[k], strlen(t->target[k])) % t->nbucket;
		t->next[k] = t->bucket[h];
		t->bucket[h] = k;
	}
	t->n = k;
	if (link_parents(t, pid))
		goto fail;
	free(pid);
	mnt_free_iter(it);
	return 0;
fail:
	free(pid);
	mnt_free_iter(it);
	mtab_free(t);
	return -ENOMEM;
}

#define MAX_DEPTH 64

static bool in_chain(const int *chain, int depth, int k)
{
	for (int d = 0; d < depth; d++)
		if (chain[d] == k)
			return true;
	return false;
}

/* mounts whose target equals the first len bytes of path */
static bool covered_at(const struct mtab *t, int m, const int *chain, int depth,
		       const char *path, size_t len)
{
	size_t h = str_hash(path, len) % t->nbucket;

	for (int k = t->bucket[h]; k >= 0; k = t->next[k]) {
		if (k == m || strlen(t->target[k]) != len ||
		    strncmp(t->target[k], path, len))
			continue;
		if (in_chain(chain, depth, k))
			continue;	/* M sits on it */
		if (t->parent[k] == m || in_chain(chain, depth, t->parent[k]))
			return true;
	}
	return false;
}

/* built on first use: with SNAP_MOUNT_COUNTS most tables never need it */
static bool mtab_covered(struct mtab *t, int m)
{
	const char *path;
	int chain[MAX_DEPTH], depth = 0;
	size_t len;

	if (!t->state)
		t->state = mtab_build(t, t->tb) ? -1 : 1;
	if (t->state < 0)
		return false;
	path = t->target[m];
	len = strlen(path);

	for (int k = t->parent[m]; k >= 0 && depth < MAX_DEPTH; k = t->parent[k]) {
		if (in_chain(chain, depth, k))
			break;	/* a loop: the root mount is its own parent */
		chain[depth++] = k;
	}
	/* every prefix that ends a path component: "/", "/run", "/run/netns", ... */
	if (covered_at(t, m, chain, depth, "/", 1))
		return true;
	for (size_t l = 2; l <= len; l++) {
		if (l < len && path[l] != '/')
			continue;
		if (covered_at(t, m, chain, depth, path, l))
			return true;
	}
	return false;
}

/* open every nsfs and proc mount of tb, in table order */
static int *open_all(const struct snap *s, struct libmnt_table *tb, int rootfd,
		     int *nr)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int *fds = calloc(count_interesting(tb) + 1, sizeof(int)), n = 0, k = 0;
	struct mtab t = { .tb = tb };

	while (fds && it && mnt_table_next_fs(tb, it, &fs) == 0) {
		int cls = mount_class(fs);

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

static int read_all(int dirfd, const char *path, char **text, size_t *len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	size_t cap = CHUNK, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			char *p = realloc(buf, cap *= 2);

			if (!p)
				break;
			buf = p;
		}
	}
	close(fd);
	*text = buf;
	*len = n;
	return 0;
}

enum { LINE_KEEP, LINE_DROP, LINE_COUNT, LINE_FULL };

/* length of the field at p, up to a blank or e */
static size_t strcspn_n(const char *p, const char *e)
{
	const char *b = memchr(p, ' ', e - p);

	return (b ? b : e) - p;
}

/* what count_known does with one mountinfo line, [p, e) */
static int line_kind(const struct snap *s, const char *p, const char *e, int *idx)
{
	const char *sep = memmem(p, e - p, " - ", 3), *f = p, *t;
	char root[64];
	size_t n;
	int type, i;
	__u32 inum;

	/* paths escape blanks (\040): " - " is the separator, fields split at ' ' */
	if (!sep)
		return LINE_KEEP;
	t = sep + 3;
	n = strcspn_n(t, e);
	if (n != 4 || memcmp(t, "nsfs", 4)) {
		if ((n == 4 && !memcmp(t, "proc", 4)) ||
		    (n == 5 && !memcmp(t, "sysfs", 5)) ||
		    (n == 6 && !memcmp(t, "mqueue", 6)))
			return LINE_KEEP;
		return LINE_DROP;
	}
	/* the fourth field, root: "net:[4026532279]" */
	for (int k = 0; k < 3 && f; k++) {
		f = memchr(f, ' ', sep - f);
		f = f ? f + 1 : NULL;
	}
	t = f ? memchr(f, ' ', sep - f) : NULL;
	if (!t || t - f >= (long)sizeof(root))
		return LINE_KEEP;
	memcpy(root, f, t - f);
	root[t - f] = '\0';
	inum = nsfs_root(root, &type);
	i = inum ? snap_find(s, type, inum, 0) : -1;
	if (i < 0 || s->ns[i].fd < 0)
		return LINE_KEEP;
	*idx = i;
	return s->ns[i].flags & SNAP_NF_MOUNTED ? LINE_COUNT : LINE_FULL;
}

/*
 * SNAP_MOUNT_COUNTS: a line for an nsfs mount of a namespace that has
 * its mount holder already is counted here and dropped, and so is a
 * mount that holds nothing, so that libmount parses a few lines of each
 * table, not every copy of every /run/netns mount.  Unless a line needs
 * the whole table (whether its mount is covered): then nothing is done.
 * Returns the new length.
 */
static size_t count_known(struct snap *s, char *text, size_t len)
{
	char *end = text + len, *p, *e;
	size_t out = 0, n = 0, k;
	int *idx;

	for (p = text; p < end; p++)
		n += *p == '\n';
	/* each line's kind, then its ns index for LINE_COUNT */
	idx = malloc((2 * n + 2) * sizeof(int));
	if (!idx)
		return len;
	for (p = text, k = 0; p < end; p = e + 1, k++) {
		e = memchr(p, '\n', end - p);
		if (!e)
			e = end;
		idx[2 * k] = line_kind(s, p, e, &idx[2 * k + 1]);
		if (idx[2 * k] == LINE_FULL) {
			free(idx);
			return len;
		}
	}
	for (p = text, k = 0; p < end; p = e + 1, k++) {
		e = memchr(p, '\n', end - p);
		if (!e)
			e = end;
		if (idx[2 * k] == LINE_COUNT) {
			s->ns[idx[2 * k + 1]].mounts_counted++;
		} else if (idx[2 * k] == LINE_KEEP) {
			memmove(text + out, p, e - p + (e < end));
			out += e - p + (e < end);
		}
	}
	free(idx);
	return out;
}

/* a mount ns with a process: all through /proc/TID (text: its mountinfo) */
static int read_by_task(struct snap *s, int mntns, pid_t tid, char *text,
			size_t len)
{
	struct libmnt_table *tb;
	char path[64];
	int rootfd, *fds, nfds = 0;

	if (s->flags & SNAP_MOUNT_COUNTS) {
		len = count_known(s, text, len);
		if (!len) {
			free(text);
			return 0;
		}
	}
	tb = parse_table(text, len);
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
 * Reading a mountinfo (the kernel printing it) is most of this part, and
 * needs nothing from the snapshot: a helper thread reads the tables of
 * namespaces with a process a few ahead of the main thread, which parses
 * and applies them in order (and reads one itself rather than wait).
 */
#define AHEAD	4

struct mt_job {
	pid_t tid;
	char *text;
	size_t len;
	int err;
	bool done;
};

struct mt_ahead {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t th;
	bool running, stop;
	struct mt_job *job;
	size_t n;
	size_t next;		/* the first job nobody reads yet */
	size_t cur;		/* the job the main thread wants */
};

static void job_read(struct mt_job *j)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", j->tid);
	j->err = read_all(AT_FDCWD, path, &j->text, &j->len);
}

/* the next unread job within the window, or NULL; under the lock */
static struct mt_job *claim(struct mt_ahead *a)
{
	if (a->next >= a->n || a->next >= a->cur + AHEAD)
		return NULL;
	return &a->job[a->next++];
}

static void read_unlocked(struct mt_ahead *a, struct mt_job *j)
{
	pthread_mutex_unlock(&a->lock);
	job_read(j);
	pthread_mutex_lock(&a->lock);
	j->done = true;
	pthread_cond_broadcast(&a->cond);
}

static void *ahead_thread(void *arg)
{
	struct mt_ahead *a = arg;
	struct mt_job *j;

	pthread_mutex_lock(&a->lock);
	while (!a->stop && a->next < a->n) {
		j = claim(a);
		if (j)
			read_unlocked(a, j);
		else
			pthread_cond_wait(&a->cond, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

static void ahead_start(struct snap *s, struct mt_ahead *a)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nr_ns; i++)
		n += s->ns[i].key.type == NSL_T_MNT && s->ns[i].mnt_pid;
	a->job = calloc(n + 1, sizeof(*a->job));
	if (!a->job)
		return;
	for (size_t i = 0; i < s->nr_ns; i++)
		if (s->ns[i].key.type == NSL_T_MNT && s->ns[i].mnt_pid)
			a->job[a->n++].tid = s->ns[i].mnt_pid;
	if (a->n > 1)
		a->running = pthread_create(&a->th, NULL, ahead_thread, a) == 0;
}

/* job k, the next one in order: read by the helper, or by us */
static struct mt_job *ahead_get(struct mt_ahead *a, size_t k)
{
	struct mt_job *j = &a->job[k], *o;

	pthread_mutex_lock(&a->lock);
	a->cur = k;
	pthread_cond_broadcast(&a->cond);
	while (!j->done) {
		o = claim(a);
		if (o)
			read_unlocked(a, o);
		else
			pthread_cond_wait(&a->cond, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return j;
}

/* before fork() (one thread), and at the end */
static void ahead_stop(struct mt_ahead *a)
{
	if (!a->running)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->th, NULL);
	a->running = false;
}

static void ahead_free(struct mt_ahead *a)
{
	ahead_stop(a);
	for (size_t k = 0; k < a->n; k++)
		free(a->job[k].text);
	free(a->job);
}

/* an fd, or -errno in its place */
static int send_fd(int sock, int fd)
{
	int err = fd < 0 ? -fd : 0;
	ssize_t n = fdpass_send(sock, &err, sizeof(err), &fd, fd >= 0, 0);

	return n < 0 ? n : 0;
}

static int recv_fd(int sock)
{
	int err = 0, fd = -1, nfds = 1;
	bool dropped = false;

	if (fdpass_recv(sock, &err, sizeof(err), &fd, &nfds, &dropped,
			MSG_CMSG_CLOEXEC) <= 0)
		return -EIO;
	return nfds ? fd : -(err ? err : ENOENT);
}

/* the child: enter the mount ns, send its mountinfo, then the fds */
static void __attribute__((noreturn)) enter_child(const struct snap *s, int sock,
						  int nsfd)
{
	struct libmnt_table *tb;
	int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int *fds, nfds = 0;
	char *text;
	size_t len;

	if (procfd < 0 || setns(nsfd, CLONE_NEWNS) ||
	    read_all(procfd, "thread-self/mountinfo", &text, &len))
		_exit(1);
	for (size_t off = 0; off < len; off += CHUNK) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;

		if (send(sock, text + off, n, 0) < 0)
			_exit(1);
	}
	if (send(sock, "", 0, 0) < 0)
		_exit(1);
	tb = parse_table(text, len);
	/* the child's copy of the table says which namespaces we hold */
	fds = tb ? open_all(s, tb, AT_FDCWD, &nfds) : NULL;
	for (int k = 0; k < nfds; k++)
		send_fd(sock, fds[k]);
	_exit(0);
}

static int recv_table(int sock, char **text, size_t *len)
{
	size_t cap = CHUNK * 2, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	while (buf) {
		if (cap - n < CHUNK) {
			char *p = realloc(buf, cap *= 2);

			if (!p)
				break;
			buf = p;
		}
		r = recv(sock, buf + n, CHUNK, 0);
		if (r <= 0) {
			*text = buf;
			*len = n;
			return r == 0 ? 0 : -EIO;
		}
		n += r;
	}
	free(buf);
	return -ENOMEM;
}

/* a mount ns no process is in, reachable by an nsfs fd we hold */
static int read_by_setns(struct snap *s, int mntns)
{
	struct libmnt_table *tb = NULL;
	int sv[2], nfds, *fds = NULL, err;
	char *text = NULL;
	size_t len;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	snap_inspector_idle(s);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto cleanup;
	}
	if (pid == 0) {
		close(sv[0]);
		enter_child(s, sv[1], s->ns[mntns].fd);
	}
	close(sv[1]);
	sv[1] = -1;
	s->nr_mntns_entered++;
	err = recv_table(sv[0], &text, &len);
	if (err)
		goto cleanup;
	tb = parse_table(text, len);
	err = -EINVAL;
	if (!tb)
		goto cleanup;
	nfds = count_interesting(tb);
	fds = calloc(nfds + 1, sizeof(int));
	for (int k = 0; fds && k < nfds; k++)
		fds[k] = recv_fd(sv[0]);
	add_mounts(s, mntns, tb, fds, fds ? nfds : 0);
	err = 0;
cleanup:
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	mnt_unref_table(tb);
	free(fds);
	free(text);
	return err;
}

int snap_scan_mounts(struct snap *s)
{
	struct mt_ahead a = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	size_t k = 0;

	ahead_start(s, &a);
	/* the table grows while we read: new mount namespaces come last */
	for (size_t i = 0; i < s->nr_ns; i++) {
		struct mt_job own = { .tid = s->ns[i].mnt_pid }, *j = &own;
		int err = -ENOENT;

		if (s->ns[i].key.type != NSL_T_MNT)
			continue;
		if (s->ns[i].mnt_pid) {
			if (k < a.n)
				j = ahead_get(&a, k++);
			else
				job_read(j);
			err = j->err ? -ESRCH :
			      read_by_task(s, i, j->tid, j->text, j->len);
			j->text = NULL;
		}
		if (err && s->ns[i].fd >= 0) {
			ahead_stop(&a);
			err = read_by_setns(s, i);
		}
	}
	ahead_free(&a);
	return 0;
}

void snap_scan_mounts_from(struct snap *s, size_t first)
{
	/* the table grows while we read: new mount namespaces come last */
	for (size_t i = first; i < s->nr_ns; i++)
		if (s->ns[i].key.type == NSL_T_MNT && s->ns[i].fd >= 0)
			read_by_setns(s, i);
}
