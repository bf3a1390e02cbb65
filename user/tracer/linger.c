// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "json.h"
#include "linger.h"
#include "vec.h"

/* what the scan says of each namespace the map holds (the daemon's metrics) */
static void note_states(struct nsm *m, const struct snap *s)
{
	struct nsm_ns *n;

	for (size_t i = 0; i < s->nr_ns; i++) {
		n = nsm_find(m, s->ns[i].key.id);
		if (n)
			n->inactive = s->ns[i].state == SNAP_S_INACTIVE;
	}
}

int linger_seed(struct nsm *m, const struct snap *s, bool initial)
{
	const struct snap_holder *h;
	struct nsm_ns *n;

	for (size_t i = 0; i < s->nr_ns; i++) {
		if (!s->ns[i].key.id)
			continue;
		n = nsm_seed(m, &s->ns[i].key);
		if (!n)
			return -ENOMEM;
		/* a rescan's finds were made while nslife ran */
		if (initial && !n->created)
			n->seeded = 1;
		if (initial)
			m->seed_exact = true;
	}
	note_states(m, s);
	for (size_t i = 0; i < s->nr_h; i++) {
		h = &s->h[i];
		if ((h->kind != SNAP_H_MOUNT && h->kind != SNAP_H_PROC_MOUNT) ||
		    h->ns < 0 || h->mntns < 0 || !h->path || !s->ns[h->ns].key.id)
			continue;
		if (nsm_seed_pin(m, &s->ns[h->ns].key,
				 h->kind == SNAP_H_MOUNT ? NSL_EV_MOUNT : NSL_EV_PROC_MOUNT,
				 s->ns[h->mntns].key.id, h->path))
			return -ENOMEM;
	}
	return 0;
}

struct due {
	struct nsm_ns **n;
	size_t nr, cap;
};

static void on_due(void *ctx, struct nsm_ns *n)
{
	struct due *d = ctx;
	struct nsm_ns **slot = nsl_vec_push(d->n, d->nr, d->cap, 16);

	if (slot)
		*slot = n;
}

/* holders that keep it alive: everything but references that do not pin */
static unsigned int npinning(const struct snap_ns *n)
{
	unsigned int k = 0;

	for (int i = 0; i < SNAP_H_MAX; i++)
		if (i != SNAP_H_NOPIN)
			k += n->nhold[i];
	return k;
}

static void make_event(struct nsl_event *e, unsigned int kind,
		       const struct nsm_ns *n, __u64 now, unsigned int nholders)
{
	memset(e, 0, sizeof(*e));
	e->h.kind = kind;
	e->h.how = NSL_HOW_SCAN;
	e->h.size = sizeof(*e);
	e->h.ts = now;
	strcpy(e->h.comm, "nslife");
	e->ns = n->key;
	e->arg = nholders;
	e->val = n->last_exit_pid;
}

int linger_check(struct nsm *m, __u64 now, linger_emit_fn emit, void *ctx)
{
	struct due d = {};
	struct snap s = {};
	struct nsl_event e;
	const struct snap_ns *sn;
	int idx, err;

	nsm_due(m, now, on_due, &d);
	if (!d.nr)
		return 0;
	err = snap_scan(&s, 0);
	if (err)
		goto out;
	note_states(m, &s);
	for (size_t i = 0; i < d.nr; i++) {
		idx = snap_find(&s, d.n[i]->key.type, d.n[i]->key.inum, d.n[i]->key.id);
		if (idx < 0)
			continue;	/* gone: its free event tells */
		sn = &s.ns[idx];
		/* a task inside, or a task's credentials (user ns): a member */
		if (sn->nhold[SNAP_H_TASK] || sn->nhold[SNAP_H_CRED])
			continue;
		if (!nsm_set_lingering(d.n[i], true, now))
			continue;
		make_event(&e, NSL_EV_LINGER, d.n[i], now, npinning(sn));
		emit(ctx, &e, &s, idx);
	}
out:
	snap_release(&s);
	free(d.n);
	/*
	 * The scan's memory is O(namespaces) (~1 KiB each), more than the
	 * map's: give it back rather than hold it between checks.
	 */
	malloc_trim(0);
	return err;
}

static void json_holder(FILE *out, const struct snap *s, const struct snap_holder *h)
{
	const struct snap_ns *o;

	json_kstr(out, "{", "kind", snap_hkind_name(h->kind), (size_t)-1);
	if (h->pid) {
		json_kint(out, ",", "pid", h->pid);
		json_kint(out, ",", "tid", h->tid ? h->tid : h->pid);
		json_kstr(out, ",", "comm", h->comm, NSL_COMM_LEN);
	}
	if (h->kind == SNAP_H_FD || h->kind == SNAP_H_SOCKET || h->kind == SNAP_H_FILE)
		json_kint(out, ",", "fd", h->fd);
	if (h->path)
		json_kstr(out, ",", "path", h->path, (size_t)-1);
	if (h->mntns >= 0 && (h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT)) {
		o = &s->ns[h->mntns];
		json_kns(out, ",", "mntns", "mnt", o->key.inum, o->key.id);
	}
	if (h->child >= 0 && h->kind == SNAP_H_CHILD) {
		o = &s->ns[h->child];
		json_kstr(out, ",", "type", nsl_type_name(o->key.type), (size_t)-1);
		json_ku64(out, ",", "inum", o->key.inum);
		json_ku64(out, ",", "id", o->key.id);
	}
	if (h->detail)
		json_kstr(out, ",", "detail", h->detail, (size_t)-1);
	fputc('}', out);
}

static void text_holder(FILE *out, const struct snap *s, const struct snap_holder *h)
{
	fprintf(out, " %s", snap_hkind_name(h->kind));
	if (h->path)
		fprintf(out, ":%s", h->path);
	if (h->mntns >= 0 && (h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT))
		fprintf(out, "@mnt:[%u]", s->ns[h->mntns].key.inum);
	if (h->kind == SNAP_H_FD || h->kind == SNAP_H_SOCKET || h->kind == SNAP_H_FILE)
		fprintf(out, ":fd%d", h->fd);
	if (h->pid)
		fprintf(out, "(pid %d)", h->pid);
	if (h->kind == SNAP_H_CHILD && h->child >= 0)
		fprintf(out, ":%s:[%u]", nsl_type_name(s->ns[h->child].key.type),
			s->ns[h->child].key.inum);
}

void linger_print_holders(FILE *out, bool json, const struct snap *s, int idx)
{
	const char *sep = "";

	fputs(json ? ",\"holders\":[" : " holders:", out);
	for (size_t i = 0; i < s->nr_h; i++) {
		if (s->h[i].ns != idx || s->h[i].kind == SNAP_H_NOPIN)
			continue;
		if (json) {
			fputs(sep, out);
			json_holder(out, s, &s->h[i]);
			sep = ",";
		} else {
			text_holder(out, s, &s->h[i]);
		}
	}
	if (json)
		fputc(']', out);
}
