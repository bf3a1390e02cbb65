// SPDX-License-Identifier: GPL-2.0
/* record validation, names, filters, formatting and the free dedup set */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dedup.h"
#include "event.h"
#include "filter.h"
#include "format.h"

static struct nsl_event mk(unsigned int kind, unsigned int type, __u64 id)
{
	struct nsl_event e = {};

	e.h.kind = kind;
	e.h.size = sizeof(e);
	e.h.pid = 100;
	e.h.tid = 101;
	e.h.ts = 5000000000ULL;
	strcpy(e.h.comm, "unshare");
	e.ns.type = type;
	e.ns.inum = 4026532279u;
	e.ns.id = id;
	return e;
}

static void test_check_sizes(void **state)
{
	struct nsl_event e = mk(NSL_EV_CREATE, NSL_T_NET, 7);
	struct nsl_mount_event m = {};

	assert_int_equal(nsl_event_check(&e, sizeof(e)), sizeof(e));
	assert_int_equal(nsl_event_check(&e, sizeof(e) - 1), -EINVAL);
	e.h.size = sizeof(e) + 1;
	assert_int_equal(nsl_event_check(&e, sizeof(e) + 1), -EINVAL);
	e = mk(NSL_EV_MAX, NSL_T_NET, 7);
	assert_int_equal(nsl_event_check(&e, sizeof(e)), -EINVAL);
	e = mk(NSL_EV_CREATE, NSL_T_NET, 7);
	e.h.how = NSL_HOW_MAX;
	assert_int_equal(nsl_event_check(&e, sizeof(e)), -EINVAL);
	/* a mount kind needs the path tail */
	m.e = mk(NSL_EV_MOUNT, NSL_T_NET, 7);
	assert_int_equal(nsl_event_check(&m.e, sizeof(m.e)), -EINVAL);
	m.e.h.size = sizeof(m);
	assert_int_equal(nsl_event_check(&m, sizeof(m)), sizeof(m));
	assert_int_equal(nsl_event_check(&m, 3), -EINVAL);
}

static void test_names(void **state)
{
	assert_string_equal(nsl_type_name(NSL_T_CGROUP), "cgroup");
	assert_int_equal(nsl_type_parse("time"), NSL_T_TIME);
	assert_int_equal(nsl_type_parse("nett"), -1);
	assert_int_equal(nsl_type_from_clone(0x40000000), NSL_T_NET);
	assert_int_equal(nsl_type_clone_flag(NSL_T_TIME), 0x80);
	assert_string_equal(nsl_kind_name(NSL_EV_PROC_MOUNT), "proc_mount");
	assert_int_equal(nsl_kind_parse("free"), NSL_EV_FREE);
	assert_string_equal(nsl_how_name(NSL_HOW_MOVE_MOUNT), "move_mount");
	assert_string_equal(nsl_type_name(200), "?");
}

static void test_filter_types(void **state)
{
	struct nsl_filter f = {};
	const char *bad = NULL;
	struct nsl_event e = mk(NSL_EV_CREATE, NSL_T_NET, 7);

	assert_int_equal(nsl_filter_types(&f, "mnt,net", &bad), 0);
	assert_true(nsl_filter_match(&f, &e));
	e.ns.type = NSL_T_UTS;
	assert_false(nsl_filter_match(&f, &e));
	assert_int_equal(nsl_filter_types(&f, "net,bogus", &bad), -EINVAL);
	assert_string_equal(bad, "net,bogus");
	assert_int_equal(nsl_filter_types(&f, "", &bad), -EINVAL);
	assert_int_equal(nsl_filter_types(&f, "net,", &bad), 0);
}

static void test_filter_pid_id(void **state)
{
	struct nsl_filter f = {};
	struct nsl_event e = mk(NSL_EV_JOIN, NSL_T_NET, 7);

	assert_int_equal(nsl_filter_pid(&f, "abc"), -EINVAL);
	assert_int_equal(nsl_filter_pid(&f, "-1"), -EINVAL);
	assert_int_equal(nsl_filter_pid(&f, "0"), -ERANGE);
	assert_int_equal(nsl_filter_pid(&f, "555"), 0);
	assert_false(nsl_filter_match(&f, &e));
	e.arg = 555;			/* the task that joined */
	assert_true(nsl_filter_match(&f, &e));
	f.pid = 0;
	assert_int_equal(nsl_filter_id(&f, "8"), 0);
	assert_false(nsl_filter_match(&f, &e));
	e.aux.id = 8;			/* the namespace it came from */
	assert_true(nsl_filter_match(&f, &e));
	/* a lost marker passes every filter: it concerns all of them */
	e = mk(NSL_EV_LOST, NSL_T_NONE, 0);
	assert_true(nsl_filter_match(&f, &e));
}

static char *fmt(const struct nsl_fmt *f, const void *e)
{
	static char buf[2048];
	FILE *out = fmemopen(buf, sizeof(buf), "w");

	nsl_fmt_event(out, f, e);
	fclose(out);
	return buf;
}

static void test_json_line(void **state)
{
	struct nsl_fmt f = { .json = true, .boot_to_real = 1700000000000000000LL };
	struct nsl_event e = mk(NSL_EV_CREATE, NSL_T_NET, 42);

	e.h.how = NSL_HOW_UNSHARE;
	e.arg = 101;
	e.val = 0x40000000;
	assert_string_equal(fmt(&f, &e),
		"{\"time\":\"2023-11-14T22:13:25.000000000Z\",\"ts\":5000000000,"
		"\"event\":\"create\",\"how\":\"unshare\",\"type\":\"net\","
		"\"inum\":4026532279,\"id\":42,\"pid\":100,\"tid\":101,"
		"\"comm\":\"unshare\",\"member\":101,\"flags\":1073741824}\n");
}

/* a loss says how many records the live map could not take, and why */
static void test_lost_counts(void **state)
{
	struct nsl_fmt f = { .json = true };
	struct nsl_event e = mk(NSL_EV_LOST, NSL_T_NONE, 0);
	char *s;

	e.val = 5;
	s = fmt(&f, &e);
	assert_non_null(strstr(s, "\"lost\":5"));
	assert_null(strstr(s, "live_map"));
	e.arg = 2;			/* no room */
	e.flags = 1;			/* refused otherwise */
	s = fmt(&f, &e);
	assert_non_null(strstr(s, "\"lost\":5,\"live_map_full\":2,\"live_map_refused\":1"));
	f.json = false;
	s = fmt(&f, &e);
	assert_non_null(strstr(s, " lost=5 live_map_full=2 live_map_refused=1"));
}

static void test_json_mount_hostile_path(void **state)
{
	struct nsl_fmt f = { .json = true };
	struct nsl_mount_event m = {};
	char *s;

	m.e = mk(NSL_EV_MOUNT, NSL_T_NET, 42);
	m.e.h.size = sizeof(m);
	m.e.aux.type = NSL_T_MNT;
	m.e.aux.inum = 4026531832u;
	m.e.aux.id = 4;
	strcpy(m.e.h.comm, "a\"b\n");
	strcpy(m.path, "/run/netns/\"x\"\n\xff");
	s = fmt(&f, &m);
	assert_non_null(strstr(s, "\"comm\":\"a\\\"b\\n\""));
	assert_non_null(strstr(s, "\"mntns\":{\"type\":\"mnt\",\"inum\":4026531832,\"id\":4}"));
	assert_non_null(strstr(s, "\"path\":\"/run/netns/\\\"x\\\"\\n\\u00ff\""));
}

static void test_text_line_one_line(void **state)
{
	struct nsl_fmt f = { .relative = true, .t0 = 4000000000ULL };
	struct nsl_event e = mk(NSL_EV_FREE, NSL_T_UTS, 9);
	char *s;

	strcpy(e.h.comm, "evil\ncomm");
	s = fmt(&f, &e);
	assert_non_null(strstr(s, "1.000000"));
	assert_non_null(strstr(s, "free"));
	assert_non_null(strstr(s, "uts:[4026532279]"));
	assert_non_null(strstr(s, "evil\\x0acomm"));
	assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
}

static void test_dedup(void **state)
{
	struct nsl_dedup *d = malloc(sizeof(*d));

	nsl_dedup_init(d);
	assert_true(nsl_dedup_add(d, 5));
	assert_false(nsl_dedup_add(d, 5));
	assert_true(nsl_dedup_has(d, 5));
	assert_false(nsl_dedup_add(d, 0));
	/* bounded: the oldest id is forgotten once the set is full */
	for (__u64 i = 100; i < 100 + 3 * NSL_DEDUP_SIZE; i++)
		assert_true(nsl_dedup_add(d, i));
	assert_false(nsl_dedup_has(d, 5));
	assert_false(nsl_dedup_has(d, 100));
	assert_true(nsl_dedup_has(d, 100 + 3 * NSL_DEDUP_SIZE - 1));
	assert_true(nsl_dedup_has(d, 100 + 2 * NSL_DEDUP_SIZE));
	nsl_dedup_free(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_sizes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_filter_types),
		cmocka_unit_test(test_filter_pid_id),
		cmocka_unit_test(test_json_line),
		cmocka_unit_test(test_lost_counts),
		cmocka_unit_test(test_json_mount_hostile_path),
		cmocka_unit_test(test_text_line_one_line),
		cmocka_unit_test(test_dedup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
