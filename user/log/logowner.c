// SPDX-License-Identifier: GPL-2.0
/* Owner records: see logowner.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "logowner.h"

static const char *const qos_names[] = { NULL, "guaranteed", "burstable", "besteffort" };

static __u8 qos_code(const char *q)
{
	for (__u8 i = 1; q && i < 4; i++)
		if (!strcmp(q, qos_names[i]))
			return i;
	return 0;
}

/* both sides are size bytes; a record's field may lack its NUL */
static void put(char *dst, size_t size, const char *s)
{
	size_t n = strnlen(s, size - 1);

	memcpy(dst, s, n);
	dst[n] = 0;
}

static void encode(struct nsl_owner_rec *r, __u64 cgid, const struct nsl_owner *o)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->magic, NSL_OWNER_REC_MAGIC, 4);
	r->version = NSL_OWNER_REC_VERSION;
	r->size = sizeof(*r);
	r->cgid = cgid;
	r->runtime = o->runtime;
	r->monitor = o->monitor;
	r->user_unit = o->user_unit;
	r->qos = qos_code(o->qos);
	put(r->id, sizeof(r->id), o->id);
	put(r->name, sizeof(r->name), o->name);
	put(r->unit, sizeof(r->unit), o->unit);
	put(r->pod_uid, sizeof(r->pod_uid), o->pod_uid);
	put(r->pod, sizeof(r->pod), o->pod);
	put(r->pod_ns, sizeof(r->pod_ns), o->pod_ns);
}

int nsl_owner_rec_decode(const void *blob, size_t len, __u64 *cgid,
			 struct nsl_owner *o)
{
	struct nsl_owner_rec r;

	/* a later version may grow the record: the known part is read */
	if (len < sizeof(r))
		return -EINVAL;
	memcpy(&r, blob, sizeof(r));
	if (memcmp(r.magic, NSL_OWNER_REC_MAGIC, 4) || r.size < sizeof(r) ||
	    r.runtime >= NSL_RT_MAX || r.qos > 3)
		return -EINVAL;
	memset(o, 0, sizeof(*o));
	*cgid = r.cgid;
	o->runtime = r.runtime;
	o->monitor = r.monitor;
	o->user_unit = r.user_unit;
	o->qos = qos_names[r.qos];
	put(o->id, sizeof(o->id), r.id);
	put(o->name, sizeof(o->name), r.name);
	put(o->unit, sizeof(o->unit), r.unit);
	put(o->pod_uid, sizeof(o->pod_uid), r.pod_uid);
	put(o->pod, sizeof(o->pod), r.pod);
	put(o->pod_ns, sizeof(o->pod_ns), r.pod_ns);
	return 0;
}

static bool done(const struct nsl_owner_log *ol, __u64 cgid)
{
	for (size_t i = 0; i < ol->n; i++)
		if (ol->done[i] == cgid)
			return true;
	return false;
}

int nsl_owner_log_event(struct nsl_owner_log *ol, struct nsl_log_writer *w,
			const struct nsl_event *e, const struct nsl_owner *o)
{
	__u64 cgid = nsl_event_cgid(e);
	struct nsl_owner_rec r;
	int err;

	if (!cgid || !o || done(ol, cgid))
		return 0;
	if (ol->n == ol->cap) {
		size_t cap = ol->cap ? ol->cap * 2 : 16;
		__u64 *v = realloc(ol->done, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ol->done = v;
		ol->cap = cap;
	}
	encode(&r, cgid, o);
	err = nsl_log_append_snapshot(w, NSL_OWNER_REC_TYPE, e->h.ts, &r, sizeof(r));
	if (!err)
		ol->done[ol->n++] = cgid;
	return err;
}

void nsl_owner_log_free(struct nsl_owner_log *ol)
{
	free(ol->done);
	memset(ol, 0, sizeof(*ol));
}

int nsl_owner_tab_add(struct nsl_owner_tab *t, const void *blob, size_t len)
{
	struct nsl_owner o, *copy;
	__u64 cgid;

	if (nsl_owner_rec_decode(blob, len, &cgid, &o) || nsl_owner_tab_find(t, cgid))
		return 0;	/* not ours, or known: skipped, as damage is */
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct nsl_owner **v = realloc(t->o, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->o = v;
		t->cap = cap;
	}
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	*copy = o;
	if (nsl_hash_put(&t->by_cgid, cgid, t->n)) {
		free(copy);
		return -ENOMEM;
	}
	t->o[t->n++] = copy;
	return 0;
}

const struct nsl_owner *nsl_owner_tab_find(const struct nsl_owner_tab *t, __u64 cgid)
{
	__u64 i;

	return cgid && nsl_hash_get(&t->by_cgid, cgid, &i) ? t->o[i] : NULL;
}

void nsl_owner_tab_apply(const struct nsl_owner_tab *t, struct nsm *m)
{
	struct nsm_ns *n;

	if (!t->n)
		return;
	for (size_t pos = 0; (n = nsm_next(m, &pos));)
		if (n->creator_cgid && !n->creator_owner)
			n->creator_owner = nsl_owner_tab_find(t, n->creator_cgid);
}

void nsl_owner_tab_event(const struct nsl_owner_tab *t, struct nsm *m,
			 const struct nsl_event *e)
{
	const struct nsl_owner *o;
	struct nsm_ns *n;

	if (e->h.kind != NSL_EV_JOIN || !t->n)
		return;
	o = nsl_owner_tab_find(t, nsl_event_cgid(e));
	n = o ? nsm_find(m, e->ns.id) : NULL;
	if (n)
		nsm_note_user(n, e->val, o, e->h.pid, e->h.comm, e->h.how, e->h.ts);
}

void nsl_owner_tab_free(struct nsl_owner_tab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->o[i]);
	free(t->o);
	nsl_hash_free(&t->by_cgid);
	memset(t, 0, sizeof(*t));
}
