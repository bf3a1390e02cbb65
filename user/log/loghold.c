// SPDX-License-Identifier: GPL-2.0
/*
 * The holders a log recorded, per namespace: tasks and fds as events add
 * and drop them, and process exits, which close the fds opened before.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "loghold.h"
#include "vec.h"

struct ls_list *ls_find_list(const struct ls_holders *hs, __u64 id)
{
	__u64 v;

	if (!hs || !nsl_hash_get(&hs->by_id, id, &v))
		return NULL;
	return (struct ls_list *)(uintptr_t)v;
}

static struct ls_list *get_list(struct ls_holders *hs, __u64 id)
{
	struct ls_list *l = ls_find_list(hs, id);

	if (l)
		return l;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	if (nsl_hash_put(&hs->by_id, id, (uintptr_t)l)) {
		free(l);
		return NULL;
	}
	l->id = id;
	l->tail = &l->head;
	l->next = hs->all;
	hs->all = l;
	return l;
}

struct ls_hold *ls_add_hold(struct ls_holders *hs, int kind,
				const struct nsl_ns *ns)
{
	struct ls_list *l = get_list(hs, ns->id);
	struct ls_hold *h;

	if (!l)
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->kind = kind;
	h->ns = *ns;
	h->fd = -1;
	h->seq = ++hs->seq;
	*l->tail = h;
	l->tail = &h->next;
	return h;
}

/* unlink and free the holders of id for which drop() says so */
static void drop_if(struct ls_holders *hs, __u64 id,
		    bool (*drop)(const struct ls_hold *h, const void *arg),
		    const void *arg)
{
	struct ls_list *l = ls_find_list(hs, id);
	struct ls_hold **pp, *h;

	if (!l)
		return;
	for (pp = &l->head; (h = *pp);) {
		if (drop(h, arg)) {
			*pp = h->next;
			free(h);
		} else {
			pp = &h->next;
		}
	}
	/* the tail may have been freed */
	for (l->tail = &l->head; *l->tail; l->tail = &(*l->tail)->next)
		;
}

void ls_holders_free(struct ls_holders *hs)
{
		struct ls_list *l, *next;
	struct ls_hold *h, *hn;

	if (!hs)
		return;
	for (l = hs->all; l; l = next) {
		next = l->next;
		for (h = l->head; h; h = hn) {
			hn = h->next;
			free(h);
		}
		free(l);
	}
	nsl_hash_free(&hs->by_id);
	free(hs->exits);
	free(hs);
}

static bool is_task(const struct ls_hold *h, const void *arg)
{
	return (h->kind == SNAP_H_TASK || h->kind == SNAP_H_CRED) &&
	       h->tid == *(const pid_t *)arg;
}

static void drop_task(struct ls_holders *hs, __u64 id, pid_t tid)
{
	drop_if(hs, id, is_task, &tid);
}

/* a new member: clone's child is a process of its own, unshare's is the caller */
static int add_task(struct ls_holders *hs, const struct nsl_event *e)
{
	struct ls_hold *h;
	pid_t tid = e->arg ? (pid_t)e->arg : (pid_t)e->h.tid;

	drop_task(hs, e->ns.id, tid);
	h = ls_add_hold(hs, SNAP_H_TASK, &e->ns);
	if (!h)
		return -ENOMEM;
	h->tid = tid;
	h->pid = tid == (pid_t)e->h.tid ? (pid_t)e->h.pid : tid;
	memcpy(h->comm, e->h.comm, NSL_COMM_LEN);
	h->comm[NSL_COMM_LEN - 1] = 0;
	/* unshare of pid or time ns: only the children will be inside */
	if (e->h.kind == NSL_EV_CREATE && e->h.how == NSL_HOW_UNSHARE &&
	    (e->ns.type == NSL_T_PID || e->ns.type == NSL_T_TIME))
		h->link = e->ns.type == NSL_T_PID ? "pid_for_children" :
						    "time_for_children";
	else
		h->link = nsl_type_name(e->ns.type);
	return 0;
}

static bool is_fd(const struct ls_hold *h, const void *arg)
{
	const struct ls_hold *k = arg;

	return h->kind == SNAP_H_FD && h->pid == k->pid && h->fd == k->fd;
}

static int add_fd(struct ls_holders *hs, const struct nsl_event *e)
{
	struct ls_hold key = { .pid = e->h.pid, .fd = e->arg }, *h;

	/*
	 * The same fd number again: the earlier file was closed.  Here for
	 * this namespace; across namespaces when the snapshot is built.
	 */
	drop_if(hs, e->ns.id, is_fd, &key);
	h = ls_add_hold(hs, SNAP_H_FD, &e->ns);
	if (!h)
		return -ENOMEM;
	h->pid = e->h.pid;
	h->tid = e->h.tid;
	h->fd = e->arg;
	memcpy(h->comm, e->h.comm, NSL_COMM_LEN);
	h->comm[NSL_COMM_LEN - 1] = 0;
	return 0;
}

/* a process leader exited: its fds opened until now are closed */
static int note_exit(struct ls_holders *hs, pid_t pid)
{
		struct ls_exit *p;

	/*
	 * A number of its own: every holder recorded before is below it.
	 * One leave per namespace of the exiting task: noted once.
	 */
	++hs->seq;
	if (hs->nr_exits && hs->exits[hs->nr_exits - 1].pid == pid) {
		hs->exits[hs->nr_exits - 1].seq = hs->seq;
		return 0;
	}
	if (hs->nr_exits == hs->cap_exits) {
		size_t cap = hs->cap_exits ? hs->cap_exits * 2 : 256;

		p = realloc(hs->exits, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		hs->exits = p;
		hs->cap_exits = cap;
	}
	hs->exits[hs->nr_exits++] = (struct ls_exit){ .pid = pid, .seq = hs->seq };
	return 0;
}

static bool any(const struct ls_hold *h, const void *arg)
{
	return true;
}

/* child holders of a dead namespace go when the snapshot is built */
static void drop_ns(struct ls_holders *hs, __u64 id)
{
	drop_if(hs, id, any, NULL);
}

int ls_holders_apply(struct ls_holders *hs, const struct nsl_event *e)
{
	switch (e->h.kind) {
	case NSL_EV_CREATE:
	case NSL_EV_JOIN:
		if (e->h.kind == NSL_EV_JOIN && e->aux.id)
			drop_task(hs, e->aux.id, e->arg);
		return add_task(hs, e);
	case NSL_EV_LEAVE:
		drop_task(hs, e->ns.id, e->arg);
		if (e->h.how == NSL_HOW_EXIT && e->arg == e->h.pid)
			return note_exit(hs, e->h.pid);
		return 0;
	case NSL_EV_OPEN:
		return add_fd(hs, e);
	case NSL_EV_FREE:
		drop_ns(hs, e->ns.id);
		return 0;
	}
	return 0;
}

static int cmp_fd(const void *a, const void *b)
{
	const struct ls_hold *x = *(struct ls_hold *const *)a, *y = *(struct ls_hold *const *)b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->fd != y->fd)
		return x->fd < y->fd ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_exit(const void *a, const void *b)
{
	const struct ls_exit *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* the latest exit of pid (in log order), 0 if none */
static __u64 exit_seq(const struct ls_holders *hs, pid_t pid)
{
	size_t lo = 0, hi = hs->nr_exits;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (hs->exits[mid].pid <= pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && hs->exits[lo - 1].pid == pid ? hs->exits[lo - 1].seq : 0;
}

int ls_close_fds(struct ls_holders *hs, const struct snap *s)
{
		struct ls_hold **fds = NULL, **p;
	size_t nr = 0, cap = 0;
	struct ls_list *l;

	if (hs->nr_exits)
		qsort(hs->exits, hs->nr_exits, sizeof(*hs->exits), cmp_exit);
	for (size_t i = 0; i < s->nr_ns; i++) {
		l = ls_find_list(hs, s->ns[i].key.id);
		for (struct ls_hold *h = l ? l->head : NULL; h; h = h->next) {
			if (h->kind != SNAP_H_FD)
				continue;
			h->closed = exit_seq(hs, h->pid) > h->seq;
			p = nsl_vec_push(fds, nr, cap, 64);
			if (!p) {
				free(fds);
				return -ENOMEM;
			}
			*p = h;
		}
	}
	if (nr)
		qsort(fds, nr, sizeof(*fds), cmp_fd);
	for (size_t i = 0; i + 1 < nr; i++)
		if (fds[i]->pid == fds[i + 1]->pid && fds[i]->fd == fds[i + 1]->fd)
			fds[i]->closed = true;
	free(fds);
	return 0;
}
