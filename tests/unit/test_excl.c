// SPDX-License-Identifier: GPL-2.0
/* The exclusivity table: at most one option of each group, repeats fine. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "excl.h"

static const struct option opts[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "dot", no_argument, NULL, 'D' },
	{ "addr", required_argument, NULL, 'A' },
	{ "ifname", required_argument, NULL, 'I' },
	{ NULL, 0, NULL, 0 },
};

static const struct nsl_excl tab[] = {
	{ { 'D', 'J' } },
	{ { 'A', 'I', 'p' } },
	{ {} },
};

static void test_groups(void **state)
{
	struct nsl_excl_state st = {};

	assert_int_equal(nsl_excl_check(tab, &st, 'J', opts, "t"), 0);
	assert_int_equal(nsl_excl_check(tab, &st, 'J', opts, "t"), 0);
	assert_int_equal(nsl_excl_check(tab, &st, 'A', opts, "t"), 0);
	assert_int_equal(nsl_excl_check(tab, &st, 'x', opts, "t"), 0);
	assert_int_equal(nsl_excl_check(tab, &st, 'D', opts, "t"), -EINVAL);
	assert_int_equal(nsl_excl_check(tab, &st, 'p', opts, "t"), -EINVAL);
}

static void test_names(void **state)
{
	char buf[32];

	assert_string_equal(nsl_opt_name(opts, 'D', buf, sizeof(buf)), "--dot");
	assert_string_equal(nsl_opt_name(opts, 'p', buf, sizeof(buf)), "-p");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
