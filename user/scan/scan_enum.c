// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces from the kernel's own list, not from their holders: a
 * namespace kept only by an open /proc/PID/net file, a tun file, an fd
 * in flight or a kernel user has no holder the /proc scan can see.
 *
 *  - 6.19+: listns() lists every active namespace by type.
 *  - 6.18: listns() is missing; BPF walks the per-type ns_tree lists
 *    (inspector->ns_tree), which hold every namespace from creation to
 *    free, active or not.  An nsfs file handle opens the active ones.
 *  - older: no list; the scan says once what it cannot see.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "scan_enum.h"

/* x86_64 and every other arch with the common table (6.19, 76b6f5dfb3fd) */
#define NSL_NR_listns	470

/* nsfs file handles (6.18+): struct nsfs_file_handle, FD_NSFS_ROOT */
#define NSL_FILEID_NSFS		0xf1
#define NSL_FD_NSFS_ROOT	-10003

/* include/uapi/linux/nsfs.h, 6.19 */
struct nsl_ns_id_req {
	__u32 size;
	__u32 spare;
	__u64 ns_id;		/* last id seen: the list goes on after it */
	__u32 ns_type;		/* CLONE_NEW* mask, 0: all */
	__u32 spare2;
	__u64 user_ns_id;	/* owner filter, 0: all */
};

int snap_probe_handle(int type, __u32 inum, __u64 id)
{
	struct {
		struct file_handle fh;
		unsigned char buf[16];
	} h;
	__u32 clone = nsl_type_clone_flag(type);

	h.fh.handle_bytes = 16;
	h.fh.handle_type = NSL_FILEID_NSFS;
	memcpy(h.buf, &id, 8);
	memcpy(h.buf + 8, &clone, 4);
	memcpy(h.buf + 12, &inum, 4);
	return open_by_handle_at(NSL_FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
}

const char *snap_state_name(int state)
{
	return state == SNAP_S_INACTIVE ? "inactive" : "alive";
}

/* the scan holds an fd on each namespace: past the limit it misses some */
const char *snap_fd_gap(const struct snap *s)
{
	static char buf[320];
	struct rlimit rl;

	if (!s->nofile || getrlimit(RLIMIT_NOFILE, &rl))
		return NULL;
	snprintf(buf, sizeof(buf), "out of file descriptors (limit %llu; nslife holds one per namespace): namespaces or holders it found could not be opened and are missing; raise the hard limit (ulimit -Hn, or CAP_SYS_RESOURCE)",
		 (unsigned long long)rl.rlim_cur);
	return buf;
}

const char *snap_enum_gap(const struct snap *s)
{
	static char buf[320];

	if (s->enum_how == SNAP_E_LISTNS && s->enum_unopened) {
		snprintf(buf, sizeof(buf), "listns() lists %u namespaces that no holder shows; without BPF nslife cannot open them (an nsfs file handle needs the inode number)",
			 s->enum_unopened);
		return buf;
	}
	if (s->enum_how == SNAP_E_TREE && s->enum_err == -E2BIG) {
		snprintf(buf, sizeof(buf), "the kernel's namespace list is not in id order, so nslife's BPF walk could not go on past %u namespaces: past those, namespaces that only open files, fds in flight or kernel users keep are not shown",
			 s->enum_read);
		return buf;
	}
	if (s->enum_how != SNAP_E_NONE)
		return NULL;
	if (s->flags & SNAP_NO_ENUM)
		return NULL;
	if (s->have_id) {
		int e = -s->enum_err;

		snprintf(buf, sizeof(buf), "nslife could not read the kernel's namespace list (%s): namespaces that only open files, fds in flight or kernel users keep are not shown",
			 e == EPERM || e == EACCES ? "BPF needs root" :
			 e == EOPNOTSUPP || !e ? "BPF inspector unavailable" : strerror(e));
		return buf;
	}
	return "this kernel lists no namespaces (6.18+ does): namespaces that only open files, fds in flight or kernel users keep are not shown; with a daemon running, ls and why add those its tracer saw created";
}

/* ids known to the snapshot, sorted, to skip them without a scan each */
struct idrec {
	__u64 id;
	int idx;
};

struct idset {
	struct idrec *r;
	size_t n;
};

static int cmp_id(const void *a, const void *b)
{
	__u64 x = ((const struct idrec *)a)->id, y = ((const struct idrec *)b)->id;

	return x < y ? -1 : x > y;
}

static void idset_build(struct idset *k, const struct snap *s)
{
	k->n = 0;
	k->r = malloc((s->nr_ns + 1) * sizeof(*k->r));
	if (!k->r)
		return;
	for (size_t i = 0; i < s->nr_ns; i++)
		if (s->ns[i].key.id)
			k->r[k->n++] = (struct idrec){ s->ns[i].key.id, i };
	qsort(k->r, k->n, sizeof(*k->r), cmp_id);
}

/* index of a known id, or -1 */
static int idset_find(const struct idset *k, __u64 id)
{
	struct idrec key = { .id = id }, *r;

	if (!k->r)
		return -1;
	r = bsearch(&key, k->r, k->n, sizeof(key), cmp_id);
	return r ? r->idx : -1;
}

struct enum_ctx {
	struct snap *s;
	struct idset known;
};

/* a namespace from the kernel's list; inum 0: not known (listns) */
static void enum_add(struct enum_ctx *c, int type, __u32 inum, __u64 id, __u32 refs,
		     __u32 active, __u64 addr)
{
	struct snap *s = c->s;
	int fd, i;

	i = idset_find(&c->known, id);
	if (i >= 0) {
		s->ns[i].refs = refs;
		s->ns[i].active = active;
		s->ns[i].kaddr = addr;
		if (s->ns[i].fd >= 0 || !inum)
			return;
		/* known only from an open file (BPF file iterator): open it if nsfs will */
		fd = snap_probe_handle(type, inum, id);
		if (fd >= 0)
			snap_add_fd_type(s, fd, type);
		else if (errno == ESTALE)
			s->ns[i].state = SNAP_S_INACTIVE;
		if (!active)
			s->ns[i].state = SNAP_S_INACTIVE;
		return;
	}
	if (!inum) {
		/* listns(): an nsfs handle needs the inum too (ESTALE without) */
		s->enum_unopened++;
		return;
	}
	fd = snap_probe_handle(type, inum, id);
	if (fd >= 0) {
		i = snap_add_fd_type(s, fd, type);
	} else if (errno == ESTALE && !refs) {
		/*
		 * no reference left, only its teardown work is pending: dead,
		 * as the tracer's liveness poll reports it (refcount 0)
		 */
		return;
	} else if (errno == ESTALE) {
		/* on the list but not active: allocated, nsfs will not open it */
		i = snap_add_ns(s, type, inum, -1);
		if (i >= 0) {
			s->ns[i].state = SNAP_S_INACTIVE;
			s->ns[i].key.id = id;
		}
	} else {
		return;
	}
	if (i < 0)
		return;
	s->ns[i].flags |= SNAP_NF_ENUM;
	s->ns[i].refs = refs;
	s->ns[i].active = active;
	s->ns[i].kaddr = addr;
	/* 6.19+: the kernel's own word; a file handle may still open it */
	if (!active)
		s->ns[i].state = SNAP_S_INACTIVE;
}

static int enum_listns(struct enum_ctx *c)
{
	__u64 ids[512];

	for (int t = NSL_T_NONE + 1; t < NSL_T_MAX; t++) {
		struct nsl_ns_id_req req = {
			.size = sizeof(req),
			.ns_type = nsl_type_clone_flag(t),
		};
		long n;

		do {
			n = syscall(NSL_NR_listns, &req, ids, 512, 0);
			if (n < 0)
				return -errno;
			for (long k = 0; k < n; k++)
				enum_add(c, t, 0, ids[k], 0, (__u32)-1, 0);
			if (n)
				req.ns_id = ids[n - 1];
		} while (n == 512);
	}
	return 0;
}

void snap_enumerate(struct snap *s, const struct snap_tree *t)
{
	struct enum_ctx c = { .s = s };
	int err;

	s->enum_how = SNAP_E_NONE;
	if (!s->have_id) {
		s->enum_err = -EOPNOTSUPP;
		return;
	}
	idset_build(&c.known, s);
	/*
	 * The BPF walk where it worked: it also sees the inactive ones and
	 * the reference counts; listns() lists active ones only.
	 */
	err = t ? t->err : -EOPNOTSUPP;
	/* E2BIG: the walk's buffer filled; what it read is still true */
	if (!err || err == -E2BIG) {
		for (size_t k = 0; k < t->n; k++)
			enum_add(&c, t->r[k].ns.type, t->r[k].ns.inum, t->r[k].ns.id,
				 t->r[k].refs, t->r[k].active, t->r[k].addr);
		s->enum_how = SNAP_E_TREE;
		s->enum_read = t->n;
	} else if (!enum_listns(&c)) {
		s->enum_how = SNAP_E_LISTNS;
	}
	/* the BPF walk's error, not listns()'s: it says why the list was not read */
	s->enum_err = err;
	free(c.known.r);
}
