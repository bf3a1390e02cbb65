// SPDX-License-Identifier: GPL-2.0
/* the live map: history, pins, umount attribution, lingering, bounds */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "nsmap.h"

#define SEC 1000000000ULL

static struct nsl_ns ns(unsigned int type, __u32 inum, __u64 id)
{
	struct nsl_ns n = { .id = id, .inum = inum, .type = type };

	return n;
}

static struct nsl_mount_event ev(unsigned int kind, unsigned int how,
				 struct nsl_ns subj, __u64 ts)
{
	struct nsl_mount_event m = {};

	m.e.h.kind = kind;
	m.e.h.how = how;
	m.e.h.size = sizeof(m.e);
	m.e.h.pid = 100;
	m.e.h.ts = ts;
	strcpy(m.e.h.comm, "test");
	m.e.ns = subj;
	return m;
}

static struct nsl_mount_event mnt(unsigned int kind, struct nsl_ns subj,
				  __u64 mntns, const char *path, __u64 ts)
{
	struct nsl_mount_event m = ev(kind, NSL_HOW_MOUNT, subj, ts);

	m.e.h.size = sizeof(m);
	m.e.aux = ns(NSL_T_MNT, 4026531832u, mntns);
	strcpy(m.path, path);
	return m;
}

static void test_size_per_namespace(void **state)
{
	/* the goal: memory grows with namespaces, at most 1 KiB each */
	assert_true(sizeof(struct nsm_ns) <= 1024);
}

static void test_lifecycle(void **state)
{
	struct nsm m;
	struct nsl_ns net = ns(NSL_T_NET, 4026532279u, 77);
	struct nsl_mount_event e;
	struct nsm_ns *n;

	assert_int_equal(nsm_init(&m, 2 * SEC), 0);
	e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, net, 1 * SEC);
	strcpy(e.e.h.comm, "unshare");
	assert_int_equal(nsm_apply(&m, &e.e), 0);
	n = nsm_find(&m, 77);
	assert_non_null(n);
	assert_int_equal(n->state, NSM_ALIVE);
	assert_int_equal(n->creator, 100);
	assert_string_equal(n->creator_comm, "unshare");
	assert_ptr_equal(nsm_find_inum(&m, NSL_T_NET, 4026532279u), n);
	assert_null(nsm_find_inum(&m, NSL_T_UTS, 4026532279u));
	e = ev(NSL_EV_FREE, NSL_HOW_POLL, net, 3 * SEC);
	nsm_apply(&m, &e.e);
	assert_int_equal(n->state, NSM_DEAD);
	assert_int_equal(n->freed, 3 * SEC);
	/* dead: its inum may be someone else's now */
	assert_null(nsm_find_inum(&m, NSL_T_NET, 4026532279u));
	assert_ptr_equal(nsm_find(&m, 77), n);
	nsm_free(&m);
}

/* the inum index survives growth and eviction; a reused inum finds the live one */
static void test_find_inum_index(void **state)
{
	struct nsm m;
	struct nsl_mount_event e;
	__u32 base = 4026540000u;

	nsm_init(&m, 2 * SEC);
	for (__u64 i = 0; i < 3000; i++) {
		e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, ns(NSL_T_UTS, base + i, 1000 + i), SEC);
		nsm_apply(&m, &e.e);
	}
	assert_true(m.by_inum.size > 256 && m.by_id.size > 256);	/* grown */
	for (__u64 i = 0; i < 3000; i += 7)
		assert_ptr_equal(nsm_find_inum(&m, NSL_T_NONE, base + i), nsm_find(&m, 1000 + i));
	/* all die (more than NSM_DEAD_MAX: the oldest are evicted) */
	for (__u64 i = 0; i < 3000; i++) {
		e = ev(NSL_EV_FREE, NSL_HOW_POLL, ns(NSL_T_UTS, base + i, 1000 + i), 2 * SEC);
		nsm_apply(&m, &e.e);
	}
	for (__u64 i = 0; i < 2000; i++) {
		e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, ns(NSL_T_UTS, base + i, 9000 + i), 3 * SEC);
		nsm_apply(&m, &e.e);
	}
	for (__u64 i = 0; i < 3000; i += 7)
		if (i < 2000)
			assert_ptr_equal(nsm_find_inum(&m, NSL_T_UTS, base + i), nsm_find(&m, 9000 + i));
		else
			assert_null(nsm_find_inum(&m, NSL_T_UTS, base + i));
	nsm_free(&m);
}

/* one inum, reused by many lives: its chain holds the living only */
static void test_inum_chain_alive_only(void **state)
{
	struct nsl_mount_event e;
	struct nsm_ns *n;
	struct nsm m;

	nsm_init(&m, 2 * SEC);
	for (__u64 id = 1; id <= 100; id++) {
		e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, ns(NSL_T_UTS, 4026540000u, id), id);
		nsm_apply(&m, &e.e);
		n = nsm_find_inum(&m, NSL_T_NONE, 4026540000u);
		assert_ptr_equal(n, nsm_find(&m, id));
		assert_null(n->inext);
		e = ev(NSL_EV_FREE, NSL_HOW_POLL, ns(NSL_T_UTS, 4026540000u, id), id);
		nsm_apply(&m, &e.e);
		assert_null(nsm_find_inum(&m, NSL_T_NONE, 4026540000u));
	}
	/* a create seen after its free (out of order): alive, found again */
	e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, ns(NSL_T_UTS, 4026540000u, 50), 200);
	nsm_apply(&m, &e.e);
	assert_ptr_equal(nsm_find_inum(&m, NSL_T_UTS, 4026540000u), nsm_find(&m, 50));
	nsm_free(&m);
}

static void test_history_bounded(void **state)
{
	struct nsm m;
	struct nsl_ns uts = ns(NSL_T_UTS, 4026532280u, 5);
	struct nsm_hist h[32];
	struct nsl_mount_event e;
	size_t k;

	nsm_init(&m, 2 * SEC);
	e = ev(NSL_EV_CREATE, NSL_HOW_CLONE, uts, 1);
	nsm_apply(&m, &e.e);
	for (__u64 i = 2; i <= 100; i++) {
		e = ev(NSL_EV_JOIN, NSL_HOW_SETNS, uts, i);
		nsm_apply(&m, &e.e);
	}
	k = nsm_history(nsm_find(&m, 5), h, 32);
	assert_int_equal(k, NSM_HIST_FIRST + NSM_HIST_LAST);
	assert_int_equal(h[0].kind, NSL_EV_CREATE);
	assert_int_equal(h[0].ts, 1);
	assert_int_equal(h[NSM_HIST_FIRST - 1].ts, NSM_HIST_FIRST);
	/* the ring holds the latest, in order */
	assert_int_equal(h[NSM_HIST_FIRST].ts, 100 - NSM_HIST_LAST + 1);
	assert_int_equal(h[k - 1].ts, 100);
	for (size_t i = 1; i < k; i++)
		assert_true(h[i - 1].ts < h[i].ts);
	nsm_free(&m);
}

static void test_umount_resolves_pin(void **state)
{
	struct nsm m;
	struct nsl_ns net = ns(NSL_T_NET, 4026532279u, 77);
	struct nsl_mount_event e;

	nsm_init(&m, 2 * SEC);
	e = mnt(NSL_EV_MOUNT, net, 4, "/run/netns/c1", 1);
	assert_int_equal(nsm_apply(&m, &e.e), 0);
	assert_non_null(nsm_find(&m, 77)->pins);
	/* same path, another mount namespace: not this pin */
	e = mnt(NSL_EV_UMOUNT, ns(0, 0, 0), 9, "/run/netns/c1", 2);
	nsm_apply(&m, &e.e);
	assert_int_equal(e.e.ns.id, 0);
	assert_non_null(nsm_find(&m, 77)->pins);
	e = mnt(NSL_EV_UMOUNT, ns(0, 0, 0), 4, "/run/netns/c1", 3);
	nsm_apply(&m, &e.e);
	assert_int_equal(e.e.ns.id, 77);
	assert_int_equal(e.e.ns.type, NSL_T_NET);
	assert_null(nsm_find(&m, 77)->pins);
	nsm_free(&m);
}

/*
 * The motivating case: a daemon's mount namespace (id 40) binds the netns;
 * a helper unshares a new mount namespace (41) from there, which copies
 * the mount; the daemon umounts its own.  The copy still pins the netns.
 */
static void test_mntns_copy_keeps_pin(void **state)
{
	struct nsm m;
	struct nsl_ns net = ns(NSL_T_NET, 4026532279u, 77);
	struct nsl_ns helper = ns(NSL_T_MNT, 4026532300u, 41);
	struct nsl_mount_event e;
	struct nsm_pin *p;

	nsm_init(&m, 2 * SEC);
	e = mnt(NSL_EV_MOUNT, net, 40, "/run/netns/c1", 1);
	nsm_apply(&m, &e.e);
	e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, helper, 2);
	nsm_apply(&m, &e.e);
	e = ev(NSL_EV_JOIN, NSL_HOW_UNSHARE, helper, 2);
	e.e.aux = ns(NSL_T_MNT, 4026532299u, 40);
	nsm_apply(&m, &e.e);
	e = mnt(NSL_EV_UMOUNT, ns(0, 0, 0), 40, "/run/netns/c1", 3);
	nsm_apply(&m, &e.e);
	assert_int_equal(e.e.ns.id, 77);
	p = nsm_find(&m, 77)->pins;
	assert_non_null(p);
	assert_int_equal(p->mntns, 41);
	assert_string_equal(p->path, "/run/netns/c1");
	assert_null(p->next);
	nsm_free(&m);
}

/*
 * Each mount namespace made from one that holds an nsfs mount copies the
 * pin; when it dies its copy goes, and the original stays.  Without that
 * the pins of every mount namespace ever made piled up on the netns.
 */
static void test_mntns_death_drops_its_pins(void **state)
{
	struct nsm m;
	struct nsl_ns net = ns(NSL_T_NET, 4026532279u, 77);
	struct nsl_mount_event e;
	struct nsm_pin *p;
	int npins;

	nsm_init(&m, 2 * SEC);
	e = mnt(NSL_EV_MOUNT, net, 40, "/run/netns/c1", 1);
	nsm_apply(&m, &e.e);
	for (__u64 id = 1041; id < 1141; id++) {
		struct nsl_ns helper = ns(NSL_T_MNT, 4026532300u + id, id);

		e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, helper, 2 * id);
		nsm_apply(&m, &e.e);
		e = ev(NSL_EV_JOIN, NSL_HOW_UNSHARE, helper, 2 * id);
		e.e.aux = ns(NSL_T_MNT, 4026532299u, 40);
		nsm_apply(&m, &e.e);
		/* a second copy of the same mount in the same place: one pin */
		e = ev(NSL_EV_JOIN, NSL_HOW_CLONE, helper, 2 * id);
		e.e.aux = ns(NSL_T_MNT, 4026532299u, 40);
		nsm_apply(&m, &e.e);
		npins = 0;
		for (p = nsm_find(&m, 77)->pins; p; p = p->next)
			npins++;
		assert_int_equal(npins, 2);
		e = ev(NSL_EV_FREE, NSL_HOW_POLL, helper, 2 * id + 1);
		nsm_apply(&m, &e.e);
	}
	p = nsm_find(&m, 77)->pins;
	assert_non_null(p);
	assert_int_equal(p->mntns, 40);
	assert_null(p->next);
	/* the umount in a dead copy finds nothing; in the original, the pin */
	e = mnt(NSL_EV_UMOUNT, ns(0, 0, 0), 1041, "/run/netns/c1", 5000);
	nsm_apply(&m, &e.e);
	assert_int_equal(e.e.ns.id, 0);
	e = mnt(NSL_EV_UMOUNT, ns(0, 0, 0), 40, "/run/netns/c1", 5001);
	nsm_apply(&m, &e.e);
	assert_int_equal(e.e.ns.id, 77);
	assert_null(nsm_find(&m, 77)->pins);
	nsm_free(&m);
}

/* a new mount namespace `to`, made by unshare from `from` at ts */
static void mntns_from(struct nsm *m, __u64 to, __u64 from, __u64 ts)
{
	struct nsl_mount_event e;
	struct nsl_ns t = ns(NSL_T_MNT, 4026540000u + to, to);

	e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, t, ts);
	nsm_apply(m, &e.e);
	e = ev(NSL_EV_JOIN, NSL_HOW_UNSHARE, t, ts);
	e.e.aux = ns(NSL_T_MNT, 4026540000u + from, from);
	nsm_apply(m, &e.e);
}

/* namespace id's pins in mount namespace mntns with this path (NULL: any), copies made */
static int pins_in(struct nsm *m, __u64 id, __u64 mntns, const char *path)
{
	int nr = 0;

	assert_int_equal(nsm_settle(m), 0);
	for (struct nsm_pin *p = nsm_find(m, id)->pins; p; p = p->next)
		nr += p->mntns == mntns && (!path || !strcmp(p->path, path));
	return nr;
}

/*
 * A new mount namespace's copy of the pins is made only when needed
 * (nsmap.c, struct nsm_mntns), yet it is what its source had at the copy:
 * whatever the source does later, and whatever comes first.
 */
static void test_mntns_copy_is_a_snapshot(void **state)
{
	struct nsl_ns net = ns(NSL_T_NET, 4026532279u, 77);
	struct nsl_mount_event e;
	struct nsm m;

	nsm_init(&m, 2 * SEC);
	e = mnt(NSL_EV_MOUNT, net, 40, "/a", 1);
	nsm_apply(&m, &e.e);
	/* 41 from 40, 42 from 41 before 41's copy was made: both have /a */
	mntns_from(&m, 41, 40, 2);
	mntns_from(&m, 42, 41, 3);
	/* a mount and an umount in 40 after the copies: not in them */
	e = mnt(NSL_EV_MOUNT, net, 40, "/b", 4);
	nsm_apply(&m, &e.e);
	e = mnt(NSL_EV_UMOUNT, ns(0, 0, 0), 40, "/a", 5);
	nsm_apply(&m, &e.e);
	assert_int_equal(e.e.ns.id, 77);
	/* 43 from 40 now: /b only */
	mntns_from(&m, 43, 40, 6);
	assert_int_equal(pins_in(&m, 77, 40, "/a"), 0);
	assert_int_equal(pins_in(&m, 77, 40, "/b"), 1);
	assert_int_equal(pins_in(&m, 77, 41, "/a"), 1);
	assert_int_equal(pins_in(&m, 77, 41, NULL), 1);
	assert_int_equal(pins_in(&m, 77, 42, "/a"), 1);
	assert_int_equal(pins_in(&m, 77, 42, NULL), 1);
	assert_int_equal(pins_in(&m, 77, 43, "/b"), 1);
	assert_int_equal(pins_in(&m, 77, 43, NULL), 1);
	/* the copy's time is the copy's, its pid the mount's */
	for (struct nsm_pin *p = nsm_find(&m, 77)->pins; p; p = p->next)
		if (p->mntns == 42)
			assert_true(p->ts == 3 && p->pid == 100);
	nsm_free(&m);
}

/* the source dies before the copy is read; an umount in a copy not made yet */
static void test_mntns_copy_outlives_source(void **state)
{
	struct nsl_ns net = ns(NSL_T_NET, 4026532279u, 77);
	struct nsl_ns uts = ns(NSL_T_UTS, 4026532280u, 78);
	struct nsl_mount_event e;
	struct nsm m;

	nsm_init(&m, 2 * SEC);
	mntns_from(&m, 40, 1, 1);
	e = mnt(NSL_EV_MOUNT, net, 40, "/a", 2);
	nsm_apply(&m, &e.e);
	e = mnt(NSL_EV_MOUNT, uts, 40, "/u", 2);
	nsm_apply(&m, &e.e);
	mntns_from(&m, 41, 40, 3);
	mntns_from(&m, 42, 40, 3);
	e = ev(NSL_EV_FREE, NSL_HOW_POLL, ns(NSL_T_MNT, 4026540040u, 40), 4);
	nsm_apply(&m, &e.e);
	/* the umount in 42 finds its copy of /a, though never made till now */
	e = mnt(NSL_EV_UMOUNT, ns(0, 0, 0), 42, "/a", 5);
	nsm_apply(&m, &e.e);
	assert_int_equal(e.e.ns.id, 77);
	assert_int_equal(pins_in(&m, 77, 40, NULL), 0);
	assert_int_equal(pins_in(&m, 77, 41, "/a"), 1);
	assert_int_equal(pins_in(&m, 77, 42, NULL), 0);
	assert_int_equal(pins_in(&m, 78, 42, "/u"), 1);
	/* a namespace that dies takes its pins, made or not, with it */
	mntns_from(&m, 43, 41, 6);
	e = ev(NSL_EV_FREE, NSL_HOW_POLL, uts, 7);
	nsm_apply(&m, &e.e);
	assert_null(nsm_find(&m, 78)->pins);
	assert_int_equal(pins_in(&m, 77, 43, "/a"), 1);
	assert_int_equal(pins_in(&m, 77, 43, NULL), 1);
	/* the copies die, each with its own */
	for (__u64 id = 41; id <= 43; id++) {
		e = ev(NSL_EV_FREE, NSL_HOW_POLL, ns(NSL_T_MNT, 4026540000u + id, id), 8);
		nsm_apply(&m, &e.e);
	}
	assert_null(nsm_find(&m, 77)->pins);
	nsm_free(&m);
}

static int ndue;
static struct nsm_ns *last_due;

static void on_due(void *ctx, struct nsm_ns *n)
{
	ndue++;
	last_due = n;
}

static void test_lingering(void **state)
{
	struct nsm m;
	struct nsl_ns net = ns(NSL_T_NET, 4026532279u, 77);
	struct nsl_mount_event e;
	struct nsm_ns *n;

	nsm_init(&m, 2 * SEC);
	e = ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, net, 1 * SEC);
	nsm_apply(&m, &e.e);
	n = nsm_find(&m, 77);
	/* an exit that ends it (refs 1) schedules nothing */
	e = ev(NSL_EV_LEAVE, NSL_HOW_EXIT, net, 2 * SEC);
	e.e.val = 1;
	nsm_apply(&m, &e.e);
	assert_int_equal(n->check_at, 0);
	/* refs 2: something else holds it; check after the grace period */
	e.e.val = 2;
	e.e.arg = 4242;
	nsm_apply(&m, &e.e);
	assert_int_equal(n->check_at, 4 * SEC);
	assert_int_equal(n->last_exit_pid, 4242);
	ndue = 0;
	nsm_due(&m, 3 * SEC, on_due, NULL);
	assert_int_equal(ndue, 0);
	nsm_due(&m, 4 * SEC, on_due, NULL);
	assert_int_equal(ndue, 1);
	assert_ptr_equal(last_due, n);
	nsm_due(&m, 5 * SEC, on_due, NULL);
	assert_int_equal(ndue, 1);
	assert_true(nsm_set_lingering(n, true, 4 * SEC));
	assert_false(nsm_set_lingering(n, true, 4 * SEC));
	assert_int_equal(n->state, NSM_LINGERING);
	/* a task joins again: no longer lingering */
	e = ev(NSL_EV_JOIN, NSL_HOW_SETNS, net, 5 * SEC);
	assert_int_equal(nsm_apply(&m, &e.e), NSM_UNLINGER);
	assert_int_equal(n->state, NSM_ALIVE);
	/* lingering again, then freed: unlingered and dead */
	nsm_set_lingering(n, true, 6 * SEC);
	e = ev(NSL_EV_FREE, NSL_HOW_POLL, net, 7 * SEC);
	assert_int_equal(nsm_apply(&m, &e.e), NSM_UNLINGER);
	assert_int_equal(n->state, NSM_DEAD);
	assert_false(nsm_set_lingering(n, true, 8 * SEC));
	nsm_free(&m);
}

static void test_dead_bounded(void **state)
{
	struct nsm m;
	struct nsl_mount_event e;

	nsm_init(&m, 2 * SEC);
	for (__u64 id = 1; id <= NSM_DEAD_MAX + 100; id++) {
		e = ev(NSL_EV_CREATE, NSL_HOW_CLONE, ns(NSL_T_UTS, 4026532280u, id), id);
		nsm_apply(&m, &e.e);
		e = ev(NSL_EV_FREE, NSL_HOW_POLL, ns(NSL_T_UTS, 4026532280u, id), id);
		nsm_apply(&m, &e.e);
	}
	assert_int_equal(m.count, NSM_DEAD_MAX);
	assert_null(nsm_find(&m, 1));
	assert_non_null(nsm_find(&m, NSM_DEAD_MAX + 100));
	nsm_free(&m);
}

static void test_no_id_no_entry(void **state)
{
	struct nsm m;
	struct nsl_mount_event e;

	nsm_init(&m, 2 * SEC);
	/* an event naming no namespace (id 0) is not a namespace */
	e = ev(NSL_EV_JOIN, NSL_HOW_SETNS, ns(NSL_T_NET, 1, 0), 1);
	assert_int_equal(nsm_apply(&m, &e.e), 0);
	assert_int_equal(m.count, 0);
	nsm_free(&m);
}

static bool alive_77(void *ctx, const struct nsl_ns *key)
{
	return key->id == 77;
}

static int nfreed;

static void on_free(void *ctx, struct nsl_event *e)
{
	assert_int_equal(e->h.kind, NSL_EV_FREE);
	assert_int_equal(e->h.how, NSL_HOW_SCAN);
	assert_int_equal(e->ns.id, 78);
	nfreed++;
}

/* events were lost: a rescan says which namespaces died unseen */
static void test_reconcile(void **state)
{
	struct nsm m;
	struct nsl_mount_event e;

	nsm_init(&m, 2 * SEC);
	nsm_seed(&m, &(struct nsl_ns){ .id = 77, .inum = 1, .type = NSL_T_NET });
	nsm_seed(&m, &(struct nsl_ns){ .id = 78, .inum = 2, .type = NSL_T_NET });
	e = ev(NSL_EV_FREE, NSL_HOW_POLL, ns(NSL_T_UTS, 3, 79), 1);
	nsm_apply(&m, &e.e);
	nfreed = 0;
	nsm_reconcile(&m, 5 * SEC, alive_77, on_free, NULL);
	assert_int_equal(nfreed, 1);
	assert_int_equal(nsm_find(&m, 78)->state, NSM_DEAD);
	assert_int_equal(nsm_find(&m, 78)->freed, 5 * SEC);
	assert_int_equal(nsm_find(&m, 77)->state, NSM_ALIVE);
	nsm_reconcile(&m, 6 * SEC, alive_77, on_free, NULL);
	assert_int_equal(nfreed, 1);
	nsm_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_per_namespace),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_find_inum_index),
		cmocka_unit_test(test_inum_chain_alive_only),
		cmocka_unit_test(test_history_bounded),
		cmocka_unit_test(test_umount_resolves_pin),
		cmocka_unit_test(test_mntns_copy_keeps_pin),
		cmocka_unit_test(test_mntns_death_drops_its_pins),
		cmocka_unit_test(test_mntns_copy_is_a_snapshot),
		cmocka_unit_test(test_mntns_copy_outlives_source),
		cmocka_unit_test(test_lingering),
		cmocka_unit_test(test_dead_bounded),
		cmocka_unit_test(test_no_id_no_entry),
		cmocka_unit_test(test_reconcile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
