// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nsmap.h"
#include "vec.h"

int nsm_init(struct nsm *m, __u64 grace_ns)
{
	memset(m, 0, sizeof(*m));
	m->grace = grace_ns;
	return 0;
}

static void free_pins(struct nsm *m, struct nsm_ns *n);

void nsm_free(struct nsm *m)
{
	struct nsm_ns *n;
	size_t pos = 0;
	__u64 k, v;

	while ((n = nsm_next(m, &pos))) {
		free_pins(m, n);
		free(n);
	}
	for (pos = 0; nsl_hash_next(&m->by_mntns, &pos, &k, &v);)
		free((void *)(uintptr_t)v);
	nsl_hash_free(&m->by_id);
	nsl_hash_free(&m->by_inum);
	nsl_hash_free(&m->by_mntns);
	memset(m, 0, sizeof(*m));
}

static struct nsm_ns *ptr(__u64 v)
{
	return (struct nsm_ns *)(uintptr_t)v;
}

struct nsm_ns *nsm_find(const struct nsm *m, __u64 id)
{
	__u64 v;

	return id && nsl_hash_get(&m->by_id, id, &v) ? ptr(v) : NULL;
}

struct nsm_ns *nsm_next(const struct nsm *m, size_t *pos)
{
	__u64 id, v;

	return nsl_hash_next(&m->by_id, pos, &id, &v) ? ptr(v) : NULL;
}

static struct nsm_ns *first_of(const struct nsm *m, __u32 inum)
{
	__u64 v;

	return nsl_hash_get(&m->by_inum, inum, &v) ? ptr(v) : NULL;
}

struct nsm_ns *nsm_find_inum(const struct nsm *m, unsigned int type, __u32 inum)
{
	struct nsm_ns *n;

	/* inums are unique among live namespaces only */
	for (n = first_of(m, inum); n; n = n->inext)
		if (n->key.inum == inum && n->state != NSM_DEAD &&
		    (type == NSL_T_NONE || n->key.type == type))
			return n;
	return NULL;
}

static struct nsm_ns *get(struct nsm *m, const struct nsl_ns *key)
{
	struct nsm_ns *n = nsm_find(m, key->id);

	if (n || !key->id || key->type == NSL_T_NONE || key->type >= NSL_T_MAX)
		return n;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->key = *key;
	n->inext = first_of(m, key->inum);
	if (nsl_hash_put(&m->by_id, key->id, (uintptr_t)n) ||
	    nsl_hash_put(&m->by_inum, key->inum, (uintptr_t)n)) {
		nsl_hash_del(&m->by_id, key->id);
		free(n);
		return NULL;
	}
	m->count++;
	return n;
}

struct nsm_ns *nsm_seed(struct nsm *m, const struct nsl_ns *key)
{
	return get(m, key);
}

static void inum_unlink(struct nsm *m, struct nsm_ns *victim)
{
	struct nsm_ns *n = first_of(m, victim->key.inum);

	victim->off_inum = 1;
	if (n == victim) {
		/* the chain's new first: a put over an existing key cannot fail */
		if (victim->inext)
			nsl_hash_put(&m->by_inum, victim->key.inum, (uintptr_t)victim->inext);
		else
			nsl_hash_del(&m->by_inum, victim->key.inum);
	} else {
		while (n && n->inext != victim)
			n = n->inext;
		if (n)
			n->inext = victim->inext;
	}
	victim->inext = NULL;
}

/* a dead namespace made again (events out of order): findable by inum again */
static int inum_relink(struct nsm *m, struct nsm_ns *n)
{
	if (!n->off_inum)
		return 0;
	n->inext = first_of(m, n->key.inum);
	if (nsl_hash_put(&m->by_inum, n->key.inum, (uintptr_t)n))
		return -ENOMEM;
	n->off_inum = 0;
	return 0;
}

static void unlink_ns(struct nsm *m, struct nsm_ns *victim)
{
	nsl_hash_del(&m->by_id, victim->key.id);
	if (!victim->off_inum)
		inum_unlink(m, victim);
	m->count--;
}

/* dead namespaces stay for their history, the oldest go first */
static void bury(struct nsm *m, struct nsm_ns *n)
{
	struct nsm_ns *old;

	n->dnext = NULL;
	if (m->dead_tail)
		m->dead_tail->dnext = n;
	else
		m->dead_head = n;
	m->dead_tail = n;
	if (++m->ndead <= NSM_DEAD_MAX)
		return;
	old = m->dead_head;
	m->dead_head = old->dnext;
	if (!m->dead_head)
		m->dead_tail = NULL;
	m->ndead--;
	unlink_ns(m, old);
	free_pins(m, old);
	free(old);
}

static void remember(struct nsm_ns *n, const struct nsl_event *e, __u64 other)
{
	struct nsm_hist h = {
		.ts = e->h.ts, .other = other, .pid = e->h.pid, .arg = e->arg,
		.kind = e->h.kind, .how = e->h.how,
	};

	if (e->h.kind == NSL_EV_LEAVE && e->h.how == NSL_HOW_EXIT)
		h.arg = (__u32)e->val;
	if (n->nhist < NSM_HIST_FIRST)
		n->first[n->nhist] = h;
	else
		n->last[(n->nhist - NSM_HIST_FIRST) % NSM_HIST_LAST] = h;
	n->nhist++;
}

size_t nsm_history(const struct nsm_ns *n, struct nsm_hist *out, size_t max)
{
	size_t k = 0, nlast, start;

	for (size_t i = 0; i < n->nhist && i < NSM_HIST_FIRST && k < max; i++)
		out[k++] = n->first[i];
	if (n->nhist <= NSM_HIST_FIRST)
		return k;
	nlast = n->nhist - NSM_HIST_FIRST;
	start = nlast > NSM_HIST_LAST ? nlast - NSM_HIST_LAST : 0;
	for (size_t i = start; i < nlast && k < max; i++)
		out[k++] = n->last[i % NSM_HIST_LAST];
	return k;
}

/*
 * The pins in one mount namespace (struct nsm's by_mntns).  A new mount
 * namespace's copy of its creator's pins is made only when something
 * needs it (src set): on the namespace churn, copying the host's few
 * hundred nsfs pins into every short-lived mount namespace, then freeing
 * them, was most of the collector's work.  Until then the copy is src's
 * pins as they are now; src makes its pending copies (copies) before its
 * own pins change, so they stay what they were at the copy.  src never
 * has a src of its own (copy_pins() takes the source's source), and a
 * namespace with a copy pending has no copies of its own pending.
 */
struct nsm_mntns {
	struct nsm_pin *pins;		/* the mnext list, newest first */
	__u64 id;
	struct nsm_mntns *src;		/* a copy of its pins not made yet */
	__u64 src_ts;			/* the copy's time */
	struct nsm_mntns *copies;	/* those whose src this is */
	struct nsm_mntns *cnext, **cprev;
};

/* mount namespace @mntns's pins; NULL if none (and !make) */
static struct nsm_mntns *mntns_get(struct nsm *m, __u64 mntns, bool make)
{
	struct nsm_mntns *mn;
	__u64 v;

	if (nsl_hash_get(&m->by_mntns, mntns, &v))
		return (struct nsm_mntns *)(uintptr_t)v;
	if (!make)
		return NULL;
	mn = calloc(1, sizeof(*mn));
	if (mn)
		mn->id = mntns;
	if (mn && nsl_hash_put(&m->by_mntns, mntns, (uintptr_t)mn)) {
		free(mn);
		mn = NULL;
	}
	return mn;
}

static void unlink_pin(struct nsm_pin *p)
{
	*p->pprev = p->next;
	if (p->next)
		p->next->pprev = p->pprev;
	*p->mprev = p->mnext;
	if (p->mnext)
		p->mnext->mprev = p->mprev;
	free(p);
}

static void free_pins(struct nsm *m, struct nsm_ns *n)
{
	/*
	 * Copies not made yet need nothing: made later from what their
	 * source has then, they lack n's pins, as made copies would now.
	 */
	(void)m;
	while (n->pins)
		unlink_pin(n->pins);
}

/* @check: look for the same pin first (not needed in an empty mount namespace) */
static int add_pin_to(struct nsm_ns *n, __u8 kind, struct nsm_mntns *mn, __u64 ts,
		      __u32 pid, const char *path, bool check)
{
	size_t len = strnlen(path, NSL_PATH_LEN - 1);
	struct nsm_pin *p;

	for (p = check ? mn->pins : NULL; p; p = p->mnext)
		if (p->ns == n && !strncmp(p->path, path, len) && !p->path[len])
			return 0;
	p = malloc(sizeof(*p) + len + 1);
	if (!p)
		return -ENOMEM;
	p->ns = n;
	p->mntns = mn->id;
	p->ts = ts;
	p->pid = pid;
	p->kind = kind;
	memcpy(p->path, path, len);
	p->path[len] = 0;
	p->next = n->pins;
	p->pprev = &n->pins;
	if (p->next)
		p->next->pprev = &p->next;
	n->pins = p;
	p->mnext = mn->pins;
	p->mprev = &mn->pins;
	if (p->mnext)
		p->mnext->mprev = &p->mnext;
	mn->pins = p;
	return 0;
}

static void copy_unlink(struct nsm_mntns *mn)
{
	*mn->cprev = mn->cnext;
	if (mn->cnext)
		mn->cnext->cprev = mn->cprev;
	mn->src = NULL;
}

/* make mn's pending copy; mn was empty till now */
static int settle(struct nsm_mntns *mn)
{
	struct nsm_mntns *src = mn->src;

	if (!src)
		return 0;
	copy_unlink(mn);
	/* new pins go to the head of mn's list, never src's */
	for (struct nsm_pin *p = src->pins; p; p = p->mnext)
		if (add_pin_to(p->ns, p->kind, mn, mn->src_ts, p->pid, p->path, false))
			return -ENOMEM;
	return 0;
}

/* any copy of mn's pins still pending is made now: they are about to change */
static int settle_copies(struct nsm_mntns *mn)
{
	int err = 0;

	while (mn->copies) {
		int e = settle(mn->copies);

		err = err ? err : e;
	}
	return err;
}

/* mn's own pins, and the copies of them, before they change */
static int touch(struct nsm_mntns *mn)
{
	int err = settle(mn);

	return settle_copies(mn) ?: err;
}

static int add_pin(struct nsm *m, struct nsm_ns *n, __u8 kind, __u64 mntns,
		   __u64 ts, __u32 pid, const char *path)
{
	struct nsm_mntns *mn = mntns_get(m, mntns, true);

	if (!mn || touch(mn))
		return -ENOMEM;
	return add_pin_to(n, kind, mn, ts, pid, path, true);
}

int nsm_seed_pin(struct nsm *m, const struct nsl_ns *key, __u8 kind,
		 __u64 mntns, const char *path)
{
	struct nsm_ns *n = get(m, key);

	return n ? add_pin(m, n, kind, mntns, 0, 0, path) : -ENOMEM;
}

/* an umount names a path in a mount namespace: whose pin was it? */
static struct nsm_ns *drop_pin(struct nsm *m, __u64 mntns, const char *path)
{
	struct nsm_mntns *mn = mntns_get(m, mntns, false);
	struct nsm_pin *p;
	struct nsm_ns *n;

	if (!mn)
		return NULL;
	/* out of memory, the pin may not be there: as if it never was */
	touch(mn);
	/* the newest first: stacked mounts come off from the top */
	for (p = mn->pins; p; p = p->mnext) {
		if (strncmp(p->path, path, NSL_PATH_LEN))
			continue;
		n = p->ns;
		unlink_pin(p);
		return n;
	}
	return NULL;
}

/* a mount namespace that died took its mounts, and so its pins, with it */
static void drop_mntns(struct nsm *m, __u64 mntns)
{
	struct nsm_mntns *mn = mntns_get(m, mntns, false);

	if (!mn)
		return;
	/* the copies made from it outlive it */
	settle_copies(mn);
	if (mn->src)
		copy_unlink(mn);
	while (mn->pins)
		unlink_pin(mn->pins);
	nsl_hash_del(&m->by_mntns, mntns);
	free(mn);
}

void nsm_prune_pins(struct nsm *m)
{
	struct nsm_ns *mn;
	size_t pos = 0;
	__u64 k, v, *gone = NULL, *g;
	size_t nr = 0, cap = 0;

	/* collect first: dropping changes by_mntns */
	while (nsl_hash_next(&m->by_mntns, &pos, &k, &v)) {
		mn = nsm_find(m, k);
		if (mn && mn->state != NSM_DEAD)
			continue;
		g = nsl_vec_push(gone, nr, cap, 16);
		if (!g)
			break;
		*g = k;
	}
	for (size_t i = 0; i < nr; i++)
		drop_mntns(m, gone[i]);
	free(gone);
}

int nsm_settle(struct nsm *m)
{
	size_t pos = 0;
	__u64 k, v;
	int err = 0;

	while (nsl_hash_next(&m->by_mntns, &pos, &k, &v)) {
		int e = settle((struct nsm_mntns *)(uintptr_t)v);

		err = err ? err : e;
	}
	return err;
}

/*
 * A new mount namespace starts as a copy of the one its creator was in:
 * every nsfs or procfs mount there is now there too (the motivating case:
 * a helper's private copy of a daemon's netns mount).  Into an empty one
 * the copy is only noted (struct nsm_mntns).
 */
static int copy_pins(struct nsm *m, __u64 from, __u64 to, __u64 ts)
{
	struct nsm_mntns *f = mntns_get(m, from, false), *t;
	bool check;

	if (from == to || !f)
		return 0;
	/* a copy not made yet is its source as that is now */
	if (f->src)
		f = f->src;
	if (!f->pins)
		return 0;
	t = mntns_get(m, to, true);
	if (!t)
		return -ENOMEM;
	if (t == f)
		return 0;
	if (touch(t))
		return -ENOMEM;
	check = t->pins;
	if (!check) {
		t->src = f;
		t->src_ts = ts;
		t->cnext = f->copies;
		t->cprev = &f->copies;
		if (t->cnext)
			t->cnext->cprev = &t->cnext;
		f->copies = t;
		return 0;
	}
	for (struct nsm_pin *p = f->pins; p; p = p->mnext)
		if (add_pin_to(p->ns, p->kind, t, ts, p->pid, p->path, true))
			return -ENOMEM;
	return 0;
}

static int apply_mount(struct nsm *m, struct nsl_event *e)
{
	const char *path = ((struct nsl_mount_event *)e)->path;
	struct nsm_ns *n;

	if (e->h.kind == NSL_EV_UMOUNT) {
		n = drop_pin(m, e->aux.id, path);
		if (!n)
			return 0;
		e->ns = n->key;
		remember(n, e, e->aux.id);
		return 0;
	}
	if (e->ns.type == NSL_T_NONE)
		return 0;
	n = get(m, &e->ns);
	if (!n)
		return -ENOMEM;
	remember(n, e, e->aux.id);
	return add_pin(m, n, e->h.kind, e->aux.id, e->h.ts, e->h.pid, path);
}

static int unlinger(struct nsm_ns *n)
{
	if (n->state != NSM_LINGERING)
		return 0;
	n->state = NSM_ALIVE;
	n->linger_since = 0;
	return NSM_UNLINGER;
}

int nsm_apply(struct nsm *m, struct nsl_event *e)
{
	struct nsm_ns *n;
	int ret = 0;

	switch (e->h.kind) {
	case NSL_EV_MOUNT:
	case NSL_EV_UMOUNT:
	case NSL_EV_PROC_MOUNT:
		return apply_mount(m, e);
	case NSL_EV_LOST:
		return 0;
	}
	n = get(m, &e->ns);
	if (!n)
		return e->ns.id ? -ENOMEM : 0;
	remember(n, e, e->aux.id);
	switch (e->h.kind) {
	case NSL_EV_CREATE:
		if (inum_relink(m, n))
			return -ENOMEM;
		n->state = NSM_ALIVE;
		n->created = e->h.ts;
		n->creator = e->h.pid;
		n->create_how = e->h.how;
		n->creator_cgid = e->flags & NSL_EF_CGROUP ? e->aux.id : 0;
		memcpy(n->creator_comm, e->h.comm, NSL_COMM_LEN);
		break;
	case NSL_EV_FREE:
		if (n->state == NSM_DEAD)
			break;
		ret = unlinger(n);
		n->state = NSM_DEAD;
		inum_unlink(m, n);
		n->freed = e->h.ts;
		n->check_at = 0;
		free_pins(m, n);
		if (n->key.type == NSL_T_MNT)
			drop_mntns(m, n->key.id);
		bury(m, n);
		break;
	case NSL_EV_JOIN:
		n->check_at = 0;
		ret = unlinger(n);
		if (n->key.type == NSL_T_MNT && e->h.how != NSL_HOW_SETNS &&
		    e->aux.id && n->nhist <= 3 && copy_pins(m, e->aux.id, n->key.id, e->h.ts))
			return -ENOMEM;
		break;
	case NSL_EV_LEAVE:
		if (e->h.how != NSL_HOW_EXIT)
			break;
		n->last_exit = e->h.ts;
		n->last_exit_pid = e->arg;
		/* refs 1: this exit ends it; more: someone else still holds it */
		if (e->val > 1 && n->state == NSM_ALIVE) {
			n->check_at = e->h.ts + m->grace;
			if (!m->next_due || n->check_at < m->next_due)
				m->next_due = n->check_at;
		}
		break;
	case NSL_EV_LINGER:
		nsm_set_lingering(n, true, e->h.ts);
		break;
	case NSL_EV_UNLINGER:
		nsm_set_lingering(n, false, e->h.ts);
		break;
	}
	return ret;
}

bool nsm_note_user(struct nsm_ns *n, __u64 cgid, const struct nsl_owner *o,
		   __u32 pid, const char *comm, __u8 how, __u64 ts)
{
	int rank = owner_rank(o);

	if (!rank || rank < owner_rank(n->user_owner))
		return false;
	n->user_owner = o;
	n->user_cgid = cgid;
	n->user_ts = ts;
	n->user_pid = pid;
	n->user_how = how;
	memset(n->user_comm, 0, NSL_COMM_LEN);
	if (comm)
		memcpy(n->user_comm, comm, strnlen(comm, NSL_COMM_LEN));
	return true;
}

void nsm_due(struct nsm *m, __u64 now,
	     void (*fn)(void *ctx, struct nsm_ns *n), void *ctx)
{
	struct nsm_ns *n;
	__u64 next = 0;

	/* called on every collector pass: walk only when one is due */
	if (!m->next_due || m->next_due > now)
		return;
	for (size_t pos = 0; (n = nsm_next(m, &pos));) {
		if (!n->check_at || n->state == NSM_DEAD)
			continue;
		if (n->check_at > now) {
			if (!next || n->check_at < next)
				next = n->check_at;
			continue;
		}
		n->check_at = 0;
		fn(ctx, n);
	}
	m->next_due = next;
}

bool nsm_set_lingering(struct nsm_ns *n, bool lingering, __u64 now)
{
	if (n->state == NSM_DEAD || lingering == (n->state == NSM_LINGERING))
		return false;
	n->state = lingering ? NSM_LINGERING : NSM_ALIVE;
	n->linger_since = lingering ? now : 0;
	return true;
}

void nsm_each(const struct nsm *m, void (*fn)(void *ctx, struct nsm_ns *n), void *ctx)
{
	struct nsm_ns *n;

	for (size_t pos = 0; (n = nsm_next(m, &pos));)
		if (n->state != NSM_DEAD)
			fn(ctx, n);
}

void nsm_reconcile(struct nsm *m, __u64 now,
		   bool (*alive)(void *ctx, const struct nsl_ns *key),
		   void (*fn)(void *ctx, struct nsl_event *e), void *ctx)
{
	struct nsl_ns *gone = NULL, *p;
	size_t nr = 0, cap = 0;
	struct nsm_ns *n;
	struct nsl_event e;

	/* collect first: applying a free may evict entries from the table */
	for (size_t pos = 0; (n = nsm_next(m, &pos));) {
		if (n->state == NSM_DEAD || alive(ctx, &n->key))
			continue;
		p = nsl_vec_push(gone, nr, cap, 64);
		if (!p)
			goto out;
		*p = n->key;
	}
	for (size_t i = 0; i < nr; i++) {
		memset(&e, 0, sizeof(e));
		e.h.kind = NSL_EV_FREE;
		e.h.how = NSL_HOW_SCAN;
		e.h.size = sizeof(e);
		e.h.ts = now;
		strcpy(e.h.comm, "nslife");
		e.ns = gone[i];
		nsm_apply(m, &e);
		fn(ctx, &e);
	}
out:
	free(gone);
}
