// SPDX-License-Identifier: GPL-2.0
/*
 * The figures of the reference accounting (core/refacct.c does the
 * sums): the count from BPF (ns_refs on our nsfs fd, else as the file
 * iterator read it), and the distinct kernel objects that hold a
 * reference: nsproxies, struct pids and creds of every task (BPF task
 * iterator), and the sockets, procfs files, pidfds and file creds the
 * file iterator saw during the scan.  Not atomic: tasks that fork or exit
 * meanwhile make it off by one, and the output says it is a snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "refs.h"
#include "vec.h"

struct u64set {
	__u64 *v;
	size_t n, cap;
};

static void set_add(struct u64set *s, __u64 x)
{
	__u64 *slot;

	if (!x)
		return;
	slot = nsl_vec_push(s->v, s->n, s->cap, 64);
	if (slot)
		*slot = x;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* distinct values; frees the set */
static unsigned int set_count(struct u64set *s)
{
	unsigned int n = 0;

	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	for (size_t k = 0; k < s->n; k++)
		if (!k || s->v[k] != s->v[k - 1])
			n++;
	free(s->v);
	memset(s, 0, sizeof(*s));
	return n;
}

/* which nsproxy fields hold a reference on a namespace of each type */
static const int nsp_fields[NSL_T_MAX][2] = {
	[NSL_T_MNT] = { NSL_NSP_MNT, -1 },
	[NSL_T_NET] = { NSL_NSP_NET, -1 },
	[NSL_T_UTS] = { NSL_NSP_UTS, -1 },
	[NSL_T_IPC] = { NSL_NSP_IPC, -1 },
	[NSL_T_PID] = { NSL_NSP_PID_CHILD, -1 },
	[NSL_T_USER] = { -1, -1 },
	[NSL_T_CGROUP] = { NSL_NSP_CGROUP, -1 },
	[NSL_T_TIME] = { NSL_NSP_TIME, NSL_NSP_TIME_CHILD },
};

struct task_acc {
	int type;
	__u32 inum;
	struct u64set nsp;	/* nsproxy pointers, with repeats per field */
	struct u64set pids;
	struct u64set creds;
};

static void on_task(void *ctx, const struct nsl_inspect_task *t)
{
	struct task_acc *c = ctx;

	for (int f = 0; f < 2; f++) {
		int k = nsp_fields[c->type][f];

		/* time and time_for_children: two references, two entries */
		if (k >= 0 && t->nsproxy && t->inum[k] == c->inum)
			set_add(&c->nsp, t->nsproxy + f);
	}
	if (c->type == NSL_T_PID && t->pid_ns == c->inum)
		set_add(&c->pids, t->pid);
	if (c->type == NSL_T_USER) {
		if (t->cred_user == c->inum)
			set_add(&c->creds, t->cred);
		if (t->real_cred_user == c->inum)
			set_add(&c->creds, t->real_cred);
	}
}

static unsigned int count_of(const struct snap *s, int i, bool *ok)
{
	const struct snap_inspector *in = snap_inspector();
	unsigned int refs = 0;

	*ok = true;
	if (s->ns[i].fd >= 0 && in && in->ns_refs && !in->ns_refs(s->ns[i].fd, &refs))
		return refs;
	/* no fd of ours: as the file iterator read it during the scan */
	for (size_t k = 0; k < s->nr_refs; k++)
		if (s->refs[k].ns == i && s->refs[k].refs > refs)
			refs = s->refs[k].refs;
	*ok = refs > 0;
	return refs;
}

/*
 * pid 1's namespaces (the host's when nslife runs on the host): the file
 * iterator skips them, and the kernel holds static references on them
 */
static bool initial(const struct snap_ns *n)
{
	struct stat st;
	char path[40];

	snprintf(path, sizeof(path), "/proc/1/ns/%s", nsl_type_name(n->key.type));
	return stat(path, &st) == 0 && st.st_ino == n->key.inum;
}

/* an nsfs file of it in a ring or in flight */
static bool nsfs_file(const struct snap *s, int i)
{
	for (size_t k = 0; k < s->nr_h; k++)
		if (s->h[k].ns == i && s->h[k].kind == SNAP_H_FILE &&
		    s->h[k].what == NSL_FILE_NSFS)
			return true;
	return false;
}

int snap_refacct(const struct snap *s, int i, struct nsl_refacct *a)
{
	const struct snap_inspector *in = snap_inspector();
	const struct snap_ns *n = &s->ns[i];
	struct task_acc c = { .type = n->key.type, .inum = n->key.inum };
	struct u64set socks = {}, files = {};
	bool ok;

	memset(a, 0, sizeof(*a));
	a->type = n->key.type;
	a->initial = initial(n);
	if (!in || !in->tasks || !s->have_refs || a->type <= NSL_T_NONE ||
	    a->type >= NSL_T_MAX)
		return -EOPNOTSUPP;
	a->count = count_of(s, i, &ok);
	if (!ok)
		return -ENOENT;
	if (in->tasks(on_task, &c))
		return -EOPNOTSUPP;
	for (size_t k = 0; k < s->nr_refs; k++) {
		const struct snap_ref *r = &s->refs[k];

		if (r->ns != i)
			continue;
		switch (r->what) {
		case NSL_FILE_SOCKET:
		case NSL_FILE_TUN:
			set_add(&socks, r->obj);
			break;
		case NSL_FILE_PROC_NET:
		case NSL_FILE_PROC_MOUNTS:
		case NSL_FILE_FSCONTEXT:
		case NSL_FILE_PERF:
			set_add(&files, r->obj);
			break;
		case NSL_FILE_PIDFD:
		case NSL_FILE_PROC_PID:
			set_add(&c.pids, r->obj);
			break;
		case NSL_FILE_CRED:
			set_add(&c.creds, r->obj);
			break;
		}
	}
	a->by[NSL_REF_NSPROXY] = set_count(&c.nsp);
	a->by[NSL_REF_PID] = set_count(&c.pids);
	a->by[NSL_REF_CRED] = set_count(&c.creds);
	a->by[NSL_REF_SOCKET] = set_count(&socks);
	a->by[NSL_REF_FILE] = set_count(&files);
	/* one nsfs inode, whatever shares it: our own fd, others' fds, mounts, in flight */
	a->by[NSL_REF_NSFS] = n->fd >= 0 || n->nhold[SNAP_H_FD] || n->nhold[SNAP_H_MOUNT] ||
			      nsfs_file(s, i);
	a->by[NSL_REF_CHILD] = n->nhold[SNAP_H_CHILD];
	for (size_t k = 0; k < s->nr_procfs; k++)
		a->by[NSL_REF_PROC_SB] += s->procfs[k].ns == i;
	nsl_refacct_compute(a);
	return 0;
}
