// SPDX-License-Identifier: GPL-2.0
/* Owner records of a log: decoded, refused when malformed, applied to creators. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_apply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
