// SPDX-License-Identifier: GPL-2.0
/* The one number parser: decimal everywhere, junk, sign, empty, overflow. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "filter.h"
#include "parse.h"

static void test_decimal(void **state)
{
	__u64 v;
	int pid;

	assert_int_equal(nsl_parse_u64("0", 0, ~0ULL, &v), 0);
	assert_int_equal(v, 0);
	/* not octal, not hex: "010" is ten, as for every option */
	assert_int_equal(nsl_parse_u64("010", 0, ~0ULL, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(nsl_parse_u64("0x10", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64("18446744073709551615", 0, ~0ULL, &v), 0);
	assert_true(v == ~0ULL);
	assert_int_equal(nsl_parse_pid("010", &pid), 0);
	assert_int_equal(pid, 10);
}

static void test_refused(void **state)
{
	__u64 v = 7;

	assert_int_equal(nsl_parse_u64("", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64(NULL, 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64("-1", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64("+1", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64(" 1", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64("1 ", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64("12x", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64("18446744073709551616", 0, ~0ULL, &v), -ERANGE);
	assert_int_equal(nsl_parse_u64("99999999999999999999x", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(nsl_parse_u64("5", 6, 9, &v), -ERANGE);
	assert_int_equal(nsl_parse_u64("10", 6, 9, &v), -ERANGE);
	/* nothing written on failure */
	assert_int_equal(v, 7);
}

static void test_pid(void **state)
{
	int pid = 3;

	assert_int_equal(nsl_parse_pid("0", &pid), -ERANGE);
	assert_int_equal(nsl_parse_pid("2147483648", &pid), -ERANGE);
	assert_int_equal(nsl_parse_pid("2147483647", &pid), 0);
	assert_int_equal(pid, INT_MAX);
}

static void test_size(void **state)
{
	__u64 v;

	assert_int_equal(nsl_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(nsl_parse_size("64K", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(nsl_parse_size("010M", &v), 0);
	assert_int_equal(v, 10 << 20);
	assert_int_equal(nsl_parse_size("1g", &v), 0);
	assert_int_equal(v, 1 << 30);
	assert_int_equal(nsl_parse_size("0", &v), -ERANGE);
	assert_int_equal(nsl_parse_size("1KB", &v), -EINVAL);
	assert_int_equal(nsl_parse_size("1T", &v), -EINVAL);
	assert_int_equal(nsl_parse_size("-1K", &v), -EINVAL);
	assert_int_equal(nsl_parse_size("", &v), -EINVAL);
	assert_int_equal(nsl_parse_size("17179869184G", &v), -ERANGE);
}

static void test_sec(void **state)
{
	__u64 ns, max = 86400ULL * 1000000000ULL;

	assert_int_equal(nsl_parse_sec("2", max, &ns), 0);
	assert_int_equal(ns, 2000000000ULL);
	assert_int_equal(nsl_parse_sec("0.5", max, &ns), 0);
	assert_int_equal(ns, 500000000ULL);
	assert_int_equal(nsl_parse_sec("1.0000000019", max, &ns), 0);
	assert_int_equal(ns, 1000000001ULL);
	assert_int_equal(nsl_parse_sec("86401", max, &ns), -ERANGE);
	assert_int_equal(nsl_parse_sec("nan", max, &ns), -EINVAL);
	assert_int_equal(nsl_parse_sec("inf", max, &ns), -EINVAL);
	assert_int_equal(nsl_parse_sec("1.", max, &ns), -EINVAL);
	assert_int_equal(nsl_parse_sec(".5", max, &ns), -EINVAL);
	assert_int_equal(nsl_parse_sec("-1", max, &ns), -EINVAL);
	assert_int_equal(nsl_parse_sec("1e3", max, &ns), -EINVAL);
}

/* the filters of trace, record, replay and daemon use it */
static void test_filter(void **state)
{
	struct nsl_filter f = {};

	assert_int_equal(nsl_filter_pid(&f, "010"), 0);
	assert_int_equal(f.pid, 10);
	assert_int_equal(nsl_filter_id(&f, "0x10"), -EINVAL);
	assert_int_equal(nsl_filter_id(&f, "010"), 0);
	assert_int_equal(f.id, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pid),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_sec),
		cmocka_unit_test(test_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
