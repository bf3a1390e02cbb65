// SPDX-License-Identifier: GPL-2.0
/* Owner records of a log: decoded, refused when malformed, applied to creators and joiners. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "logowner.h"

static struct nsl_owner_rec rec(__u64 cgid, const char *name)
{
	struct nsl_owner_rec r;

	memset(&r, 0, sizeof(r));
	memcpy(r.magic, NSL_OWNER_REC_MAGIC, 4);
	r.version = NSL_OWNER_REC_VERSION;
	r.size = sizeof(r);
	r.cgid = cgid;
	r.runtime = NSL_RT_PODMAN;
	r.qos = 2;
	strcpy(r.id, "82ce0aee41a094c7aa1dec19dbe5e60fead8504cad4634c9d6b7e787fead03c0");
	strcpy(r.name, name);
	return r;
}

static void test_decode(void **state)
{
	struct nsl_owner_rec r = rec(139, "web");
	struct nsl_owner o;
	__u64 cgid;

	assert_int_equal(nsl_owner_rec_decode(&r, sizeof(r), &cgid, &o), 0);
	assert_int_equal(cgid, 139);
	assert_int_equal(o.runtime, NSL_RT_PODMAN);
	assert_string_equal(o.name, "web");
	assert_string_equal(o.qos, "burstable");
	/* short, foreign, or out of range: refused */
	assert_int_equal(nsl_owner_rec_decode(&r, sizeof(r) - 1, &cgid, &o), -EINVAL);
	r.magic[0] = 'X';
	assert_int_equal(nsl_owner_rec_decode(&r, sizeof(r), &cgid, &o), -EINVAL);
	r = rec(1, "x");
	r.runtime = NSL_RT_MAX;
	assert_int_equal(nsl_owner_rec_decode(&r, sizeof(r), &cgid, &o), -EINVAL);
	/* a field without its NUL stays inside the field */
	r = rec(1, "x");
	memset(r.name, 'a', sizeof(r.name));
	assert_int_equal(nsl_owner_rec_decode(&r, sizeof(r), &cgid, &o), 0);
	assert_int_equal(strlen(o.name), sizeof(o.name) - 1);
}

static void test_apply(void **state)
{
	struct nsl_owner_tab t = {};
	struct nsl_owner_rec a = rec(139, "web"), b = rec(140, "db");
	struct nsl_event e = {};
	struct nsm m;
	struct nsm_ns *n;

	assert_int_equal(nsl_owner_tab_add(&t, &a, sizeof(a)), 0);
	assert_int_equal(nsl_owner_tab_add(&t, &b, sizeof(b)), 0);
	assert_int_equal(nsl_owner_tab_add(&t, &a, sizeof(a)), 0);	/* once */
	assert_int_equal(t.n, 2);
	assert_int_equal(nsm_init(&m, 1000), 0);
	e.h.kind = NSL_EV_CREATE;
	e.h.size = sizeof(e);
	e.h.ts = 5;
	e.ns.type = NSL_T_UTS;
	e.ns.inum = 4026532463u;
	e.ns.id = 77;
	e.flags = NSL_EF_CGROUP;
	e.aux.id = 140;
	assert_true(nsm_apply(&m, &e) >= 0);
	n = nsm_find(&m, 77);
	assert_non_null(n);
	assert_int_equal(n->creator_cgid, 140);
	nsl_owner_tab_apply(&t, &m);
	assert_non_null(n->creator_owner);
	assert_string_equal(n->creator_owner->name, "db");
	/* a create without the flag (an old log) names no cgroup */
	e.ns.id = 78;
	e.ns.inum++;
	e.flags = 0;
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_apply(&t, &m);
	assert_int_equal(nsm_find(&m, 78)->creator_cgid, 0);
	assert_null(nsm_find(&m, 78)->creator_owner);
	nsm_free(&m);
	nsl_owner_tab_free(&t);
}

static struct nsl_event join(__u64 id, __u64 cgid, __u32 pid, __u64 ts)
{
	struct nsl_event e = {};

	e.h.kind = NSL_EV_JOIN;
	e.h.how = NSL_HOW_SETNS;
	e.h.size = sizeof(e);
	e.h.pid = pid;
	e.h.ts = ts;
	strcpy(e.h.comm, "runc:[1:CHILD]");
	e.ns.type = NSL_T_NET;
	e.ns.inum = 4026532464u;
	e.ns.id = id;
	e.flags = NSL_EF_JOIN_CGROUP;
	e.val = cgid;
	return e;
}

/*
 * podman's net ns: made outside the container, joined from inside it.
 * One user kept: a container over a unit, the latest container.
 */
static void test_join(void **state)
{
	struct nsl_owner_tab t = {};
	struct nsl_owner_rec web = rec(139, "web"), db = rec(140, "db"), unit = rec(150, "");
	struct nsl_event e;
	struct nsm m;
	struct nsm_ns *n;

	unit.runtime = NSL_RT_NONE;
	unit.id[0] = 0;
	strcpy(unit.unit, "cron.service");
	assert_int_equal(nsl_owner_tab_add(&t, &web, sizeof(web)), 0);
	assert_int_equal(nsl_owner_tab_add(&t, &db, sizeof(db)), 0);
	assert_int_equal(nsl_owner_tab_add(&t, &unit, sizeof(unit)), 0);
	assert_int_equal(nsm_init(&m, 1000), 0);

	/* the root cgroup (1) names nobody: no user */
	e = join(90, 1, 10, 1);
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_event(&t, &m, &e);
	n = nsm_find(&m, 90);
	assert_non_null(n);
	assert_null(n->user_owner);
	/* a unit, then a container: the container */
	e = join(90, 150, 11, 2);
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_event(&t, &m, &e);
	assert_string_equal(n->user_owner->unit, "cron.service");
	e = join(90, 139, 12, 3);
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_event(&t, &m, &e);
	assert_string_equal(n->user_owner->name, "web");
	assert_int_equal(n->user_cgid, 139);
	assert_int_equal(n->user_pid, 12);
	assert_int_equal(n->user_ts, 3);
	assert_int_equal(n->user_how, NSL_HOW_SETNS);
	assert_string_equal(n->user_comm, "runc:[1:CHILD]");
	/* a unit after it does not replace it */
	e = join(90, 150, 13, 4);
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_event(&t, &m, &e);
	assert_string_equal(n->user_owner->name, "web");
	/* a later container does: the latest user */
	e = join(90, 140, 14, 5);
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_event(&t, &m, &e);
	assert_string_equal(n->user_owner->name, "db");
	assert_int_equal(n->user_pid, 14);
	/* an old log's join (flags 0, val 0) names nobody */
	e = join(91, 139, 15, 6);
	e.flags = 0;
	e.val = 0;
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_event(&t, &m, &e);
	assert_null(nsm_find(&m, 91)->user_owner);
	/* a create's cgroup is its creator's, not a user's */
	e = join(92, 0, 16, 7);
	e.h.kind = NSL_EV_CREATE;
	e.flags = NSL_EF_CGROUP;
	e.aux.id = 139;
	assert_true(nsm_apply(&m, &e) >= 0);
	nsl_owner_tab_event(&t, &m, &e);
	assert_null(nsm_find(&m, 92)->user_owner);
	assert_int_equal(nsm_find(&m, 92)->creator_cgid, 139);
	nsm_free(&m);
	nsl_owner_tab_free(&t);
}

static void test_rank(void **state)
{
	struct nsl_owner o = {};

	assert_int_equal(owner_rank(NULL), 0);
	assert_int_equal(owner_rank(&o), 0);
	strcpy(o.unit, "cron.service");
	assert_int_equal(owner_rank(&o), 1);
	o.runtime = NSL_RT_PODMAN;
	o.monitor = true;	/* conmon: its container's monitor, not the container */
	assert_int_equal(owner_rank(&o), 1);
	o.monitor = false;
	assert_int_equal(owner_rank(&o), 2);
	memset(&o, 0, sizeof(o));
	strcpy(o.pod_uid, "5f1c6b0e-0d6a-4a53-9b7c-3f3e2f1d0c9a");
	assert_int_equal(owner_rank(&o), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_rank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
