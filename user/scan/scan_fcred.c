// SPDX-License-Identifier: GPL-2.0
/*
 * Open files' credentials (BPF, through the inspector): a thread runs the
 * iterator beside the /proc scan, and its records are applied after.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scan_fcred.h"

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

static void on_fcred(void *ctx, pid_t pid, int fd, const struct nsl_ns *u)
{
	struct fcred_ctx *c = ctx;
	struct snap_holder *h;
	int i = snap_find(c->s, NSL_T_USER, u->inum, 0);

	if (i < 0) {
		/* a user ns only files hold: no fd of ours can name it */
		i = snap_add_ns(c->s, NSL_T_USER, u->inum, -1);
		if (i < 0)
			return;
		if (!c->s->ns[i].key.id)
			c->s->ns[i].key.id = u->id;
	}
	if (c->pid != pid) {
		c->pid = pid;
		read_comm(pid, c->comm, sizeof(c->comm));
	}
	h = snap_add_holder(c->s, SNAP_H_FCRED, i);
	if (!h)
		return;
	h->pid = h->tid = pid;
	h->fd = fd;
	memcpy(h->comm, c->comm, sizeof(h->comm));
}

static void collect_fcred(void *ctx, pid_t pid, int fd, const struct nsl_ns *u)
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
	j->r[j->n++] = (struct fcred_rec){ .pid = pid, .fd = fd, .u = *u };
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
	const struct snap_inspector *in = snap_inspector();
	struct snap_fcred *j = arg;

	if (j->creds && in->file_creds)
		in->file_creds(collect_fcred, j);
	if (j->tree)
		j->tr.err = in->ns_tree ? in->ns_tree(collect_tree, &j->tr) : -EOPNOTSUPP;
	return NULL;
}

void snap_fcred_start(struct snap *s, struct snap_fcred *j)
{
	j->tr.err = -EOPNOTSUPP;
	if (!snap_inspector() || (!j->creds && !j->tree))
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

void snap_fcred_finish(struct snap *s, struct snap_fcred *j, bool apply)
{
	struct fcred_ctx c = { .s = s };

	snap_inspector_idle(s);
	for (size_t k = 0; apply && k < j->n; k++)
		on_fcred(&c, j->r[k].pid, j->r[k].fd, &j->r[k].u);
	free(j->r);
	s->fcred = NULL;
}
