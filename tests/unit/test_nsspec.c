// SPDX-License-Identifier: GPL-2.0
/* NS specifier parsing: the pure half of nsspec.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "nsspec.h"

static void test_typed_inum(void **state)
{
	struct nsspec sp;

	assert_int_equal(nsspec_parse("net:[4026532279]", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_INUM);
	assert_int_equal(sp.type, NSL_T_NET);
	assert_int_equal(sp.inum, 4026532279u);
	assert_int_equal(nsspec_parse("pid:4026531836", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_INUM);
	assert_int_equal(sp.type, NSL_T_PID);
	assert_int_equal(sp.inum, 4026531836u);
	assert_int_equal(nsspec_parse("cgroup:[4026531835]", &sp), 0);
	assert_int_equal(sp.type, NSL_T_CGROUP);
}

static void test_bare_number(void **state)
{
	struct nsspec sp;

	/* nsfs inodes live near 2^32; anything smaller is an ns id */
	assert_int_equal(nsspec_parse("4026532279", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_INUM);
	assert_int_equal(sp.type, NSL_T_NONE);
	assert_int_equal(nsspec_parse("4100", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_ID);
	assert_int_equal(sp.id, 4100);
	assert_int_equal(nsspec_parse("id:4026532279", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_ID);
	assert_int_equal(sp.id, 4026532279ull);
}

static void test_paths(void **state)
{
	struct nsspec sp;

	assert_int_equal(nsspec_parse("/run/netns/c1", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_PATH);
	assert_string_equal(sp.str, "/run/netns/c1");
	assert_int_equal(nsspec_parse("/proc/1/ns/net", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_PATH);
	/* a bare file name is a path too */
	assert_int_equal(nsspec_parse("c1", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_PATH);
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
		"", "net:[", "net:[]", "net:[12", "net:[x]", "nett:[4026532279]",
		"net:", "net:-1", "net:[4026532279]x", "id:", "id:0", "0",
		"net:99999999999", "pid_for_children:x", "mnt:[+5]",
	};
	struct nsspec sp;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nsspec_parse(bad[i], &sp) == 0)
			fail_msg("'%s' was accepted", bad[i]);
	assert_int_not_equal(nsspec_parse(NULL, &sp), 0);
}

static void test_pid_type(void **state)
{
	struct nsspec sp;

	assert_int_equal(nsspec_parse_pid("42", "net", &sp), 0);
	assert_int_equal(sp.kind, NSSPEC_PID);
	assert_int_equal(sp.pid, 42);
	assert_int_equal(sp.type, NSL_T_NET);
	assert_int_equal(sp.for_children, 0);
	assert_int_equal(nsspec_parse_pid("42", "pid_for_children", &sp), 0);
	assert_int_equal(sp.type, NSL_T_PID);
	assert_int_equal(sp.for_children, 1);
	assert_int_equal(nsspec_parse_pid("42", "time_for_children", &sp), 0);
	assert_int_equal(sp.type, NSL_T_TIME);
	assert_int_not_equal(nsspec_parse_pid("42", "net_for_children", &sp), 0);
	assert_int_not_equal(nsspec_parse_pid("42", NULL, &sp), 0);
	assert_int_not_equal(nsspec_parse_pid("x", "net", &sp), 0);
	assert_int_not_equal(nsspec_parse_pid("0", "net", &sp), 0);
	assert_int_not_equal(nsspec_parse_pid("-3", "net", &sp), 0);
	assert_int_not_equal(nsspec_parse_pid("42", "bogus", &sp), 0);
}

static void test_type_names(void **state)
{
	for (int t = NSL_T_NONE + 1; t < NSL_T_MAX; t++) {
		assert_int_equal(nsl_type_parse_base(nsl_type_name(t)), t);
		assert_int_equal(nsl_type_from_clone(nsl_type_clone_flag(t)), t);
	}
	assert_int_equal(nsl_type_parse_base("netx"), NSL_T_NONE);
	assert_int_equal(nsl_type_parse_base("pid_for_children"), NSL_T_PID);
	assert_int_equal(nsl_type_clone_flag(NSL_T_NET), 0x40000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_inum),
		cmocka_unit_test(test_bare_number),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_pid_type),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
