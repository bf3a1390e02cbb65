// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "collector.h"
#include "event.h"
#include "linger.h"
#include "logwriter.h"
#include "owners.h"
#include "snapio.h"
#include "clock.h"

__u64 collector_now(void)
{
	return nsl_clock_ns(CLOCK_BOOTTIME);
}

static void emit(struct collector *c, const struct nsl_event *e,
		 const struct snap *s, int idx)
{
	if (!nsl_filter_match(&c->o.filter, e))
		return;
	c->seen++;
	c->sink(c->sink_ctx, e, s, idx);
}

static void on_linger(void *ctx, struct nsl_event *e, const struct snap *s, int idx)
{
	struct collector *c = ctx;

	/* into its history too, so a timeline can say when it began */
	nsm_apply(&c->map, e);
	emit(c, e, s, idx);
}

/* a lingering namespace that gained a member or died: say so first */
static void emit_unlinger(struct collector *c, const struct nsl_event *e)
{
	struct nsl_event u = *e;

	u.h.kind = NSL_EV_UNLINGER;
	u.h.size = sizeof(u);
	memset(&u.aux, 0, sizeof(u.aux));
	emit(c, &u, NULL, -1);
}

/*
 * inums are unique among live namespaces: a namespace made with the inum
 * of one we hold alive means that one died and its free went unseen.
 * Its free is said now, before the create (and once: dedup).
 */
static void free_by_inum(struct collector *c, const struct nsl_event *e)
{
	struct nsm_ns *old;
	struct nsl_event f;
	int r;

	if (!e->ns.inum)
		return;
	old = nsm_find_inum(&c->map, NSL_T_NONE, e->ns.inum);
	if (!old || old->key.id == e->ns.id || !nsl_dedup_add(&c->freed, old->key.id))
		return;
	memset(&f, 0, sizeof(f));
	f.h.kind = NSL_EV_FREE;
	f.h.how = NSL_HOW_POLL;
	f.h.size = sizeof(f);
	f.h.ts = e->h.ts;
	f.h.cpu = e->h.cpu;
	/* once: the churn infers a free for every other create */
	if (!c->pid)
		c->pid = getpid();
	f.h.pid = f.h.tid = c->pid;
	strcpy(f.h.comm, "nslife");
	f.ns = old->key;
	c->reused++;
	r = nsm_apply(&c->map, &f);
	if (r > 0 && (r & NSM_UNLINGER))
		emit_unlinger(c, &f);
	emit(c, &f, NULL, -1);
}

/*
 * The creator's cgroup, named now while it lives: a container's
 * namespaces can outlive it (a leaked bind mount), and then nothing else
 * says whose they were.
 */
static void name_creator(struct collector *c, const struct nsl_event *e)
{
	struct nsm_ns *n;

	if (!(e->flags & NSL_EF_CGROUP) || !e->aux.id || !e->ns.id)
		return;
	n = nsm_find(&c->map, e->ns.id);
	if (!n)
		return;
	if (!c->owners)
		c->owners = owners_new();
	n->creator_owner = owners_by_cgid(c->owners, e->aux.id, NULL, 0);
	c->ev_owner = n->creator_owner;
}

/*
 * The joining task's cgroup, named now too: podman's net ns is made by the
 * podman CLI in its own cgroup and joined by runc from the container's.
 */
static void name_joiner(struct collector *c, const struct nsl_event *e)
{
	__u64 cgid = nsl_event_cgid(e);
	struct nsm_ns *n;

	if (!cgid || !e->ns.id || !(n = nsm_find(&c->map, e->ns.id)))
		return;
	if (!c->owners)
		c->owners = owners_new();
	c->ev_owner = owners_by_cgid(c->owners, cgid, NULL, 0);
	nsm_note_user(n, cgid, c->ev_owner, e->h.pid, e->h.comm, e->h.how, e->h.ts);
}

/*
 * Owners stay while the map points at them: a daemon that saw many
 * containers come and go keeps those of the namespaces it remembers (alive,
 * and NSM_DEAD_MAX dead), not every one it ever named.
 */
#define OWNERS_GC_MIN	256

static void owners_sweep(struct collector *c)
{
	struct nsm_ns *n;

	if (owners_count(c->owners) < c->owners_gc_at + OWNERS_GC_MIN ||
	    owners_gc_begin(c->owners))
		return;
	for (size_t pos = 0; (n = nsm_next(&c->map, &pos));) {
		owners_gc_mark(c->owners, n->creator_owner);
		owners_gc_mark(c->owners, n->user_owner);
	}
	owners_gc_end(c->owners);
	c->owners_gc_at = owners_count(c->owners);
	c->owners_gcs++;
}

/* deaths are reported once: several signals can see the same one */
static int on_record(void *ctx, const void *rec, size_t len)
{
	struct collector *c = ctx;
	struct nsl_mount_event buf;
	struct nsl_event *e = &buf.e;
	int r;

	r = nsl_event_check(rec, len);
	if (r < 0) {
		c->bad++;
		return 0;
	}
	/* a copy: the map fills in the namespace an umount released */
	memcpy(&buf, rec, r);
	if (e->h.kind == NSL_EV_FREE && !nsl_dedup_add(&c->freed, e->ns.id))
		return 0;
	if (e->h.kind == NSL_EV_CREATE) {
		owners_sweep(c);
		free_by_inum(c, e);
	}
	r = nsm_apply(&c->map, e);
	if (r > 0 && (r & NSM_UNLINGER))
		emit_unlinger(c, e);
	if (e->h.kind == NSL_EV_CREATE)
		name_creator(c, e);
	else if (e->h.kind == NSL_EV_JOIN)
		name_joiner(c, e);
	if (e->h.kind == NSL_EV_LOST) {
		if (e->arg)
			fprintf(stderr, "nslife: %u namespace records not followed (BPF live map full), resyncing\n",
				e->arg);
		if (e->flags)
			fprintf(stderr, "nslife: %u namespace records not followed (BPF live map insert refused: %s), resyncing\n",
				e->flags, strerror(e->aux.inum));
		if (e->val > (__u64)e->arg + e->flags)
			fprintf(stderr, "nslife: %llu events lost (ring buffer full or BPF recursion), resyncing\n",
				(unsigned long long)(e->val - e->arg - e->flags));
		c->resync = true;
	}
	emit(c, e, NULL, -1);
	c->ev_owner = NULL;
	return 0;
}

/*
 * A member in a container counts as a join from it (a container that ran
 * before nslife started, or whose join was lost): one /proc/PID/cgroup
 * read per namespace whose user is not a container already.
 */
static void note_members(struct collector *c, const struct snap *s)
{
	__u64 now = collector_now();

	if (!c->owners && !(c->owners = owners_new()))
		return;
	for (size_t i = 0; i < s->nr_ns; i++) {
		const struct snap_ns *sn = &s->ns[i];
		const struct nsl_owner *o;
		struct nsm_ns *n = nsm_find(&c->map, sn->key.id);

		if (!sn->pid || !n || owner_rank(n->user_owner) == 2)
			continue;
		o = owners_read_pid(c->owners, sn->pid);
		if (owner_rank(o) == 2)
			nsm_note_user(n, 0, o, sn->pid, sn->comm, NSL_HOW_SCAN, now);
	}
	/* pids are reused: the next scan reads them again */
	for (size_t i = 0; i < s->nr_ns; i++)
		owners_forget_pid(c->owners, s->ns[i].pid);
}

struct rescan {
	struct collector *c;
	struct snap *s;
};

static bool snap_alive(void *ctx, const struct nsl_ns *key)
{
	struct rescan *r = ctx;

	return snap_find(r->s, key->type, key->inum, key->id) >= 0;
}

static void on_scan_free(void *ctx, struct nsl_event *e)
{
	struct rescan *r = ctx;

	if (nsl_dedup_add(&r->c->freed, e->ns.id))
		emit(r->c, e, NULL, -1);
}

/*
 * Lost records: what died unseen is found by a rescan (a free, how: scan),
 * what was born unseen is seeded.  The scan opens every namespace, which
 * also teaches the BPF side their addresses again.
 */
static void resync(struct collector *c)
{
	struct snap s = {};
	struct rescan r = { .c = c, .s = &s };

	c->resync = false;
	c->rescans++;
	if (snap_scan(&s, SNAP_NO_SOCKETS) == 0) {
		/* both callbacks get r: the scan to ask, the collector to tell */
		nsm_reconcile(&c->map, collector_now(), snap_alive, on_scan_free, &r);
		if (!linger_seed(&c->map, &s, false))
			note_members(c, &s);
	}
	snap_release(&s);
	/* rare (lost events) and O(namespaces): give its memory back */
	malloc_trim(0);
}

/* what existed before nslife: namespaces and their mount pins */
static int seed_map(struct collector *c)
{
	struct snap s = {};
	int err = snap_scan(&s, SNAP_NO_SOCKETS);

	if (!err)
		err = linger_seed(&c->map, &s, true);
	if (!err)
		note_members(c, &s);
	snap_release(&s);
	if (err)
		fprintf(stderr, "nslife: initial scan failed: %s\n", strerror(-err));
	return err;
}

int collector_open(struct collector *c)
{
	int err;

	nsl_dedup_init(&c->freed);
	if (!c->grace)
		c->grace = c->o.grace ? c->o.grace : COLLECTOR_GRACE_DEFAULT;
	err = nsm_init(&c->map, c->grace);
	if (err)
		return err;
	err = nsl_tracer_open(&c->t, &c->o.tracer, on_record, c);
	if (err)
		goto fail;
	if (c->o.tracer.verbose)
		nsl_tracer_describe(c->t, stderr);
	err = seed_map(c);
	if (err)
		goto fail;
	return 0;
fail:
	collector_close(c);
	return err;
}

int collector_poll(struct collector *c, int timeout_ms)
{
	int err = nsl_tracer_poll(c->t, timeout_ms);

	if (err < 0) {
		fprintf(stderr, "nslife: ring buffer poll failed: %s\n", strerror(-err));
		return err;
	}
	if (c->resync)
		resync(c);
	err = linger_check(&c->map, collector_now(), on_linger, c);
	if (err < 0)
		fprintf(stderr, "nslife: rescan failed: %s\n", strerror(-err));
	return 0;
}

__u64 collector_lost(const struct collector *c)
{
	return c->t ? nsl_tracer_lost(c->t) : 0;
}

void collector_close(struct collector *c)
{
	nsl_tracer_close(c->t);
	c->t = NULL;
	nsm_free(&c->map);
	nsl_dedup_free(&c->freed);
	owners_free(c->owners);
	c->owners = NULL;
}

/*
 * ts is when the scan began: events stamped from then on may already show
 * in it, so readers apply them on top idempotently.
 */
int collector_log_snapshot(struct nsl_log_writer *w)
{
	__u64 ts = collector_now();
	struct snap s;
	size_t len;
	void *blob;
	int err;

	err = snap_scan(&s, 0);
	if (!err)
		err = snapio_encode(&s, &blob, &len);
	/* release at once: the scan holds an fd on every namespace */
	snap_release(&s);
	if (err) {
		fprintf(stderr, "nslife: initial scan failed: %s (recording events only)\n",
			strerror(-err));
		return 0;
	}
	err = nsl_log_append_snapshot(w, NSL_SNAPIO_TYPE, ts, blob, len);
	free(blob);
	return err ? err : nsl_log_flush(w);
}
