// SPDX-License-Identifier: GPL-2.0
/* The state at TIME from recorded logs (logstate.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "event.h"
#include "excl.h"
#include "history.h"
#include "loghold.h"
#include "logread.h"
#include "logstate.h"
#include "clock.h"

int logargs_opt(struct logargs *a, int c, const char *arg, const char *cmd,
		const struct option *opts, const char *word)
{
	switch (c) {
	case OPT_LOG:
		if (a->n == LOGARGS_MAX) {
			fprintf(stderr, "nslife: %s: at most %d --log files\n", cmd,
				LOGARGS_MAX);
			return -EINVAL;
		}
		a->paths[a->n++] = (char *)arg;
		return 0;
	case OPT_AT:
		a->at = arg;
		return 0;
	}
	nsl_opt_bad(cmd, opts, word, optopt);
	return -EINVAL;
}

int logargs_check(const struct logargs *a, const char *cmd)
{
	if (a->at && !a->n) {
		fprintf(stderr, "nslife: %s: --at needs --log FILE\n", cmd);
		return -EINVAL;
	}
	return 0;
}

/* ---- seeding from the initial snapshot ---- */

static const struct nsl_ns *init_key(const struct snapio *d, int i)
{
	static const struct nsl_ns none;

	return i >= 0 && (size_t)i < d->nr_ns ? &d->ns[i].key : &none;
}

static int seed(struct logstate *ls)
{
	const struct snapio *d = &ls->init;

	struct nsm_ns *n;

	for (size_t i = 0; i < d->nr_ns; i++) {
		/* without an id (kernels before 6.18) events cannot match it */
		if (!d->ns[i].key.id)
			continue;
		n = nsm_seed(&ls->map, &d->ns[i].key);
		if (!n)
			return -ENOMEM;
		n->seeded = 1;
		ls->map.seed_exact = true;
	}
	for (size_t i = 0; i < d->nr_h; i++) {
		const struct snapio_holder *sh = &d->h[i];
		struct ls_hold *h;

		if (sh->ns < 0 || !d->ns[sh->ns].key.id)
			continue;
		if ((sh->kind == SNAP_H_MOUNT || sh->kind == SNAP_H_PROC_MOUNT) &&
		    sh->mntns >= 0 && sh->path &&
		    nsm_seed_pin(&ls->map, &d->ns[sh->ns].key,
				 sh->kind == SNAP_H_MOUNT ? NSL_EV_MOUNT : NSL_EV_PROC_MOUNT,
				 d->ns[sh->mntns].key.id, sh->path))
			return -ENOMEM;
		h = ls_add_hold(ls->h, sh->kind, &d->ns[sh->ns].key);
		if (!h)
			return -ENOMEM;
		h->pid = sh->pid;
		h->tid = sh->tid;
		h->ppid = sh->ppid;
		h->fd = sh->fd;
		h->flags = sh->flags;
		memcpy(h->comm, sh->comm, NSL_COMM_LEN);
		h->link = sh->link;
		h->path = sh->path;
		h->detail = sh->detail;
		if (sh->kind == SNAP_H_CHILD)
			h->other = *init_key(d, sh->child);
		else
			h->other = *init_key(d, sh->mntns);
	}
	return 0;
}

static bool wanted(const struct logstate *ls, const struct nsl_event *e)
{
	if (!ls->collect || !e->ns.id)
		return false;
	if (ls->c_id)
		return e->ns.id == ls->c_id;
	return e->ns.inum == ls->c_inum &&
	       (ls->c_type == NSL_T_NONE || e->ns.type == ls->c_type);
}

static int keep_event(struct logstate *ls, const struct nsl_mount_event *m)
{
	if (ls->nr_ev == ls->cap_ev) {
		size_t cap = ls->cap_ev ? ls->cap_ev * 2 : 64;
		void *p = realloc(ls->ev, cap * sizeof(*ls->ev));

		if (!p)
			return -ENOMEM;
		ls->ev = p;
		ls->cap_ev = cap;
	}
	ls->ev[ls->nr_ev++] = *m;
	return 0;
}

static int apply(struct logstate *ls, const struct nsl_log_rec *r)
{
	struct nsl_mount_event m = {};
	struct nsl_event *e = &m.e;
	int len = nsl_event_check(r->data, r->size);
	int err;

	if (len < 0 || (size_t)len > sizeof(m))
		return 0;	/* the codec's CRC passed, the record did not */
	memcpy(&m, r->data, len);
	/*
	 * A log records opens but never closes, so an open would hold for
	 * ever.  The recorder leaves out its own and its binary's (BPF, by
	 * process and executable); other nslife builds' scans (an nslife
	 * upgraded under a running recorder, several on one test host) open
	 * every namespace for a moment: not taken for holders here.  Only
	 * this inference goes by name; the events stay in the log.
	 */
	if (e->h.kind == NSL_EV_OPEN && !strncmp(e->h.comm, "nslife", NSL_COMM_LEN))
		return 0;
	/* the map fills in the namespace an umount released */
	err = nsm_apply(&ls->map, e);
	if (err < 0)
		return err;
	nsl_owner_tab_event(&ls->owners, &ls->map, e);
	err = ls_holders_apply(ls->h, e);
	if (!err && wanted(ls, e))
		err = keep_event(ls, &m);
	ls->applied++;
	return err;
}

/* ---- reading ---- */

static void on_damage(void *arg, const struct nsl_log_damage *d)
{
	struct logstate *ls = arg;

	ls->damaged++;
	switch (d->what) {
	case NSL_DMG_GAP:
		fprintf(stderr, "nslife: %s: rotated file(s) missing before it\n", d->path);
		break;
	case NSL_DMG_HEADER:
		fprintf(stderr, "nslife: %s: corrupt header, file skipped\n", d->path);
		break;
	default:
		fprintf(stderr, "nslife: %s: %s at offset %llu (%llu bytes skipped)\n",
			d->path, d->at_end ? "damaged or truncated end" : "corrupt block",
			(unsigned long long)d->offset, (unsigned long long)d->length);
	}
}

static void on_fail(void *arg, const char *path, int err)
{
	struct logstate *ls = arg;

	ls->failed++;
	fprintf(stderr, "nslife: %s: %s\n", path, nsl_log_strerror(err));
}

static __u64 rec_wall(const struct nsl_logset_rec *rec)
{
	return rec->r.ts + (rec->hdr->start_wall_ns - rec->hdr->start_boot_ns);
}

/* pass one, quiet: where the log ends (for a TIME relative to it) */
static int find_end(struct logstate *ls, char *const *paths, int n)
{
	struct nsl_logset *s;
	struct nsl_logset_rec rec;
	int err;

	err = nsl_logset_open(&s, paths, n, NSL_LOGSET_SORT, NULL);
	if (err)
		return err;
	while ((err = nsl_logset_next(s, &rec)) > 0)
		if (rec.r.ts && rec_wall(&rec) > ls->end_wall)
			ls->end_wall = rec_wall(&rec);
	nsl_logset_close(s);
	return err < 0 ? err : 0;
}

static int take_snapshot(struct logstate *ls, const struct nsl_logset_rec *rec)
{
	const struct nsl_log_snap *sn = rec->r.snap;
	int err;

	if (sn->type == NSL_OWNER_REC_TYPE)
		return nsl_owner_tab_add(&ls->owners, sn + 1, sn->len);
	if (ls->have_snapshot || sn->type != NSL_SNAPIO_TYPE)
		return 0;
	err = snapio_decode(sn + 1, sn->len, &ls->init);
	if (err) {
		fprintf(stderr, "nslife: %s: initial snapshot unreadable (%s); state from events only\n",
			rec->path, strerror(-err));
		return err == -ENOMEM ? err : 0;
	}
	ls->init.ts = sn->ts;
	ls->have_snapshot = true;
	return seed(ls);
}

static int read_logs(struct logstate *ls, char *const *paths, int n)
{
	struct nsl_logset_ops ops = {
		.damage = on_damage, .fail = on_fail, .arg = ls,
	};
	struct nsl_logset *s;
	struct nsl_logset_rec rec;
	bool first = true;
	int err;

	err = nsl_logset_open(&s, paths, n, NSL_LOGSET_SORT, &ops);
	if (err)
		return err;
	while ((err = nsl_logset_next(s, &rec)) > 0) {
		if (first) {
			ls->start_wall = rec.hdr->start_wall_ns;
			ls->boot_to_real = (__s64)(rec.hdr->start_wall_ns -
						   rec.hdr->start_boot_ns);
			first = false;
		}
		if (rec.r.ts && rec_wall(&rec) > ls->end_wall)
			ls->end_wall = rec_wall(&rec);
		if (rec.r.snap) {
			err = take_snapshot(ls, &rec);
		} else if (rec_wall(&rec) > ls->at_wall) {
			ls->later++;
			continue;
		} else if (rec.r.lost) {
			ls->lost += rec.r.lost->count ? rec.r.lost->count : 1;
		} else if (rec.r.ev) {
			err = apply(ls, &rec.r);
		}
		if (err)
			break;
	}
	nsl_logset_close(s);
	if (first && !err)
		return -ENODATA;
	return err < 0 ? err : 0;
}

/* ---- the snapshot at TIME ---- */

static int add_ns(struct snap *s, const struct nsm_ns *n)
{
	int i = snap_add_ns(s, n->key.type, n->key.inum, -1);

	if (i < 0)
		return i;
	/* inums are unique among live namespaces: a clash is a missed free */
	if (!s->ns[i].key.id || s->ns[i].key.id < n->key.id)
		s->ns[i].key.id = n->key.id;
	s->ns[i].flags &= ~SNAP_NF_NOFD;
	return i;
}

struct collect_ctx {
	struct snap *s;
	int err;
};

static void on_alive(void *ctx, struct nsm_ns *n)
{
	struct collect_ctx *c = ctx;

	if (!c->err && add_ns(c->s, n) < 0)
		c->err = -ENOMEM;
}

static int idx_of(const struct snap *s, const struct nsl_ns *key)
{
	int i;

	if (!key->id)
		return -1;
	/* by inum first (hashed), the id decides */
	i = snap_find(s, key->type, key->inum, key->id);
	if (i >= 0 && s->ns[i].key.id == key->id)
		return i;
	return snap_find_id(s, key->id);
}

static int put_holder(struct snap *s, const struct ls_hold *lh, int ns)
{
	struct snap_holder *h = snap_add_holder(s, lh->kind, ns);

	if (!h)
		return -ENOMEM;
	h->pid = lh->pid;
	h->tid = lh->tid;
	h->ppid = lh->ppid;
	h->fd = lh->fd;
	h->flags = lh->flags;
	memcpy(h->comm, lh->comm, NSL_COMM_LEN);
	h->link = lh->link ? lh->link : "";
	h->path = lh->path ? strdup(lh->path) : NULL;
	h->detail = lh->detail ? strdup(lh->detail) : NULL;
	if ((lh->path && !h->path) || (lh->detail && !h->detail))
		return -ENOMEM;
	return 0;
}

/* the snapshot's holder for this pin, for its flags (covered) and detail */
static const struct ls_hold *pin_hold(const struct logstate *ls, const struct nsm_ns *n,
				      const struct nsm_pin *p)
{
	const struct ls_list *l = ls_find_list(ls->h, n->key.id);

	for (const struct ls_hold *h = l ? l->head : NULL; h; h = h->next)
		if ((h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT) &&
		    h->other.id == p->mntns && h->path && !strcmp(h->path, p->path))
			return h;
	return NULL;
}

static int add_pins(struct logstate *ls, struct snap *s, int i, const struct nsm_ns *n)
{
	for (const struct nsm_pin *p = n->pins; p; p = p->next) {
		const struct nsm_ns *mn = nsm_find(&ls->map, p->mntns);
		const struct ls_hold *sh = pin_hold(ls, n, p);
		struct ls_hold lh = {};
		int m, err;

		/* a dead mount namespace took its mounts with it */
		if (!mn || mn->state == NSM_DEAD)
			continue;
		m = idx_of(s, &mn->key);
		if (m < 0)
			continue;
		lh.kind = p->kind == NSL_EV_PROC_MOUNT ? SNAP_H_PROC_MOUNT : SNAP_H_MOUNT;
		lh.path = p->path;
		if (sh) {
			lh.flags = sh->flags;
			lh.detail = sh->detail;
		}
		err = put_holder(s, &lh, i);
		if (err)
			return err;
		s->h[s->nr_h - 1].mntns = m;
	}
	return 0;
}

static bool pinning(int kind)
{
	return kind != SNAP_H_NOPIN && kind != SNAP_H_KERNEL;
}

/* counts, the lowest member pid, and a process for each mount namespace */
static void summarise(struct snap *s)
{
	for (size_t k = 0; k < s->nr_h; k++) {
		struct snap_holder *h = &s->h[k];
		struct snap_ns *n = &s->ns[h->ns];

		n->nhold[h->kind]++;
		if (h->kind != SNAP_H_TASK)
			continue;
		n->ntasks++;
		if (h->pid == h->tid && !strstr(h->link, "_for_children"))
			n->nprocs++;
		if (!n->pid || h->pid < n->pid) {
			n->pid = h->pid;
			memcpy(n->comm, h->comm, NSL_COMM_LEN);
			if (n->key.type == NSL_T_MNT)
				n->mnt_pid = h->pid;
		}
	}
}

/* owner and parent, as the initial snapshot knew them */
static void hierarchy(const struct logstate *ls, struct snap *s)
{
	const struct snapio *d = &ls->init;

	for (size_t k = 0; k < d->nr_ns; k++) {
		int i = idx_of(s, &d->ns[k].key);

		if (i < 0)
			continue;
		s->ns[i].owner = idx_of(s, init_key(d, d->ns[k].owner));
		s->ns[i].parent = idx_of(s, init_key(d, d->ns[k].parent));
	}
	s->self_mnt = d->self_mnt >= 0 ? idx_of(s, init_key(d, d->self_mnt)) : -1;
}

static int build_snap(struct logstate *ls)
{
	struct snap *s = &ls->snap;
	struct collect_ctx c = { .s = s };
	size_t nr_ns;
	int err = 0;

	memset(s, 0, sizeof(*s));
	s->self_mnt = -1;
	s->have_id = true;
	/* pins in mount namespaces that died are no holders at TIME */
	nsm_prune_pins(&ls->map);
	nsm_settle(&ls->map);
	nsm_each(&ls->map, on_alive, &c);
	if (c.err)
		return c.err;
	nr_ns = s->nr_ns;
	for (size_t i = 0; i < nr_ns && !err; i++) {
		const struct nsm_ns *n = nsm_find(&ls->map, s->ns[i].key.id);

		if (n)
			err = add_pins(ls, s, i, n);
	}
	err = ls_close_fds(ls->h, s);
	for (size_t i = 0; i < nr_ns && !err; i++) {
		const struct ls_list *l = ls_find_list(ls->h, s->ns[i].key.id);

		for (const struct ls_hold *lh = l ? l->head : NULL; lh && !err; lh = lh->next) {
			/* mounts came from the map's pins above */
			if (lh->kind == SNAP_H_MOUNT || lh->kind == SNAP_H_PROC_MOUNT ||
			    lh->kind == SNAP_H_KERNEL || lh->closed)
				continue;
			if (lh->kind == SNAP_H_CHILD) {
				int ch = idx_of(s, &lh->other);

				if (ch < 0)
					continue;
				err = put_holder(s, lh, i);
				if (!err)
					s->h[s->nr_h - 1].child = ch;
				continue;
			}
			err = put_holder(s, lh, i);
		}
	}
	if (err)
		return err;
	/* "no visible holder" is true only while nothing else is recorded */
	for (size_t i = 0; i < nr_ns && !err; i++) {
		const struct ls_list *l = ls_find_list(ls->h, s->ns[i].key.id);
		bool other = false;

		for (size_t j = 0; j < s->nr_h && !other; j++)
			other = s->h[j].ns == (int)i && pinning(s->h[j].kind);
		for (const struct ls_hold *lh = l ? l->head : NULL; lh && !err && !other;
		     lh = lh->next)
			if (lh->kind == SNAP_H_KERNEL)
				err = put_holder(s, lh, i);
	}
	summarise(s);
	hierarchy(ls, s);
	return err;
}

int logstate_build(struct logstate *ls, char *const *paths, int n,
		   const struct nsl_time *t)
{
	int err;

	/* grace: no lingering checks here, the log's own events say it */
	err = nsm_init(&ls->map, 1);
	if (err)
		return err;
	ls->h = calloc(1, sizeof(*ls->h));
	if (!ls->h)
		return -ENOMEM;
	ls->at_wall = ~0ULL;
	/* relative: a quiet first pass finds the end; "end" needs none */
	if (t && (!t->relative || t->back_ns)) {
		if (t->relative) {
			err = find_end(ls, paths, n);
			if (err)
				return err;
		}
		ls->at_wall = nsl_time_resolve(t, ls->end_wall);
	}
	ls->end_wall = 0;
	err = read_logs(ls, paths, n);
	if (err)
		return err;
	nsl_owner_tab_apply(&ls->owners, &ls->map);
	if (ls->at_wall == ~0ULL)
		ls->at_wall = ls->end_wall > ls->start_wall ? ls->end_wall : ls->start_wall;
	if (ls->at_wall < ls->start_wall)
		return -ERANGE;
	ls->at_boot = ls->at_wall - ls->boot_to_real;
	return build_snap(ls);
}

void logstate_free(struct logstate *ls)
{
	nsm_free(&ls->map);
	nsl_owner_tab_free(&ls->owners);
	if (ls->have_old)
		nsm_free(&ls->old);
	snap_release(&ls->snap);
	snapio_free(&ls->init);
	free(ls->ev);
	ls_holders_free(ls->h);
	ls->h = NULL;
	memset(ls, 0, sizeof(*ls));
}

int logstate_find(const struct logstate *ls, int type, __u32 inum, __u64 id,
		  struct nsl_ns *key)
{
	const struct nsm_ns *n = NULL, *p;
	int i;

	memset(key, 0, sizeof(*key));
	if (id) {
		n = nsm_find(&ls->map, id);
		if (n && ((inum && n->key.inum != inum) ||
			  (type != NSL_T_NONE && n->key.type != type)))
			n = NULL;
	} else {
		/* alive at TIME first, else the latest to die */
		for (size_t pos = 0; !(n && n->state != NSM_DEAD) &&
				     (p = nsm_next(&ls->map, &pos));)
			if (p->key.inum == inum &&
			    (type == NSL_T_NONE || p->key.type == type) &&
			    (!n || p->state != NSM_DEAD || p->freed > n->freed))
				n = p;
	}
	if (!n)
		return -ENOENT;
	*key = n->key;
	if (n->state == NSM_DEAD)
		return -ESTALE;
	i = idx_of(&ls->snap, &n->key);
	return i >= 0 ? i : -ESTALE;
}

const struct nsm_ns *logstate_forgotten(struct logstate *ls, __u64 id)
{
	struct nsl_mount_event m;

	if (!ls->nr_ev)
		return NULL;
	if (!id)
		id = ls->ev[ls->nr_ev - 1].e.ns.id;
	if (!ls->have_old) {
		if (nsm_init(&ls->old, 1))
			return NULL;
		ls->have_old = true;
		/* umounts already name their namespace: the first map said */
		for (size_t i = 0; i < ls->nr_ev; i++) {
			m = ls->ev[i];
			if (m.e.ns.id != id)
				continue;
			if (nsm_apply(&ls->old, &m.e) < 0)
				return NULL;
			nsl_owner_tab_event(&ls->owners, &ls->old, &m.e);
		}
		nsl_owner_tab_apply(&ls->owners, &ls->old);
	}
	nsm_settle(&ls->old);
	nsl_history_set(&ls->old, ls->at_boot);
	return nsm_find(&ls->old, id);
}

int logstate_open(struct logstate *ls, const struct logargs *a, const char *cmd)
{
	struct nsl_time t = {};
	char when[40], start[40];
	const char *why;
	char **paths;
	int err, n = 0;

	if (a->at && nsl_time_parse(a->at, nsl_clock_ns(CLOCK_REALTIME), &t, &why)) {
		fprintf(stderr, "nslife: %s: bad --at '%s': %s\n", cmd, a->at, why);
		return 2;
	}
	/* --log FILE reads FILE.1 ... beside it too */
	err = nsl_logset_expand_all(a->paths, a->n, &paths, &n);
	if (!err) {
		err = logstate_build(ls, paths, n, a->at ? &t : NULL);
		nsl_logset_free_paths(paths, n);
	}
	if (err == -ERANGE) {
		nsl_time_format(when, sizeof(when), ls->at_wall);
		nsl_time_format(start, sizeof(start), ls->start_wall);
		fprintf(stderr, "nslife: %s: --at %s is before the log begins (%s)\n",
			cmd, when, start);
		return 2;
	}
	if (err == -ENODATA || (!err && !ls->have_snapshot && !ls->applied &&
				!ls->later)) {
		/* an unreadable file has said why already */
		if (ls->failed < (unsigned int)n)
			fprintf(stderr, "nslife: %s: nothing readable in the log\n", cmd);
		return 1;
	}
	if (err) {
		fprintf(stderr, "nslife: %s: %s\n", cmd, nsl_log_strerror(err));
		return 1;
	}
	if (!ls->have_snapshot)
		fprintf(stderr, "nslife: %s: the log has no initial snapshot: what existed "
			"before it began is unknown\n", cmd);
	if (ls->lost)
		fprintf(stderr, "nslife: %s: %llu events were lost while recording: "
			"the recorded holders may be incomplete\n", cmd,
			(unsigned long long)ls->lost);
	nsm_settle(&ls->map);
	nsl_history_set(&ls->map, ls->at_boot);
	nsl_history_set_clock(ls->boot_to_real);
	return 0;
}
