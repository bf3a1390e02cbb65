// SPDX-License-Identifier: GPL-2.0
/* TIME for --at: absolute, today, epoch and relative forms, and junk. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>
#include "timespec.h"

#define NS	1000000000ULL
/* 2026-11-23T12:00:00Z */
#define NOON	1795435200ULL

static int utc(void **state)
{
	/* local time is UTC here, so "local" forms give known values */
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static __u64 parse(const char *s)
{
	struct nsl_time t;
	const char *why;

	assert_int_equal(nsl_time_parse(s, NOON * NS + 5, &t, &why), 0);
	assert_false(t.relative);
	return t.wall_ns;
}

static void test_absolute(void **state)
{
	assert_int_equal(parse("2026-11-23T12:00:00Z"), NOON * NS);
	assert_int_equal(parse("2026-11-23T12:00:00"), NOON * NS);
	assert_int_equal(parse("2026-11-23 12:00:01"), (NOON + 1) * NS);
	assert_int_equal(parse("2026-11-23T12:00:00.5Z"), NOON * NS + NS / 2);
	assert_int_equal(parse("2026-11-23T12:00:00.123456789Z"), NOON * NS + 123456789);
	assert_int_equal(parse("2026-11-23T11:59Z"), (NOON - 60) * NS);
	assert_int_equal(parse("2024-02-29T00:00:00Z"), 1709164800ULL * NS);
}

static void test_local_zone(void **state)
{
	setenv("TZ", "CET-1", 1);
	tzset();
	/* 12:00 in UTC+1 is 11:00Z; Z still means UTC */
	assert_int_equal(parse("2026-11-23T12:00:00"), (NOON - 3600) * NS);
	assert_int_equal(parse("2026-11-23T12:00:00Z"), NOON * NS);
	assert_int_equal(parse("12:00:00"), (NOON - 3600) * NS);
	utc(state);
}

static void test_today_and_epoch(void **state)
{
	assert_int_equal(parse("12:00:00"), NOON * NS);
	assert_int_equal(parse("00:00"), (NOON - 12 * 3600) * NS);
	assert_int_equal(parse("23:59:59.25"), (NOON + 12 * 3600 - 1) * NS + NS / 4);
	assert_int_equal(parse("@1795435200"), NOON * NS);
	assert_int_equal(parse("@0.000000001"), 1);
	assert_int_equal(parse("@1.5"), NS + NS / 2);
}

static void test_relative(void **state)
{
	struct nsl_time t;
	const char *why;

	assert_int_equal(nsl_time_parse("-5m", 0, &t, &why), 0);
	assert_true(t.relative);
	assert_int_equal(t.back_ns, 300 * NS);
	assert_int_equal(nsl_time_resolve(&t, 1000 * NS), 700 * NS);
	assert_int_equal(nsl_time_parse("-30s", 0, &t, &why), 0);
	assert_int_equal(t.back_ns, 30 * NS);
	assert_int_equal(nsl_time_parse("-2h", 0, &t, &why), 0);
	assert_int_equal(t.back_ns, 7200 * NS);
	assert_int_equal(nsl_time_parse("-1d", 0, &t, &why), 0);
	assert_int_equal(t.back_ns, 86400 * NS);
	assert_int_equal(nsl_time_parse("-1.5s", 0, &t, &why), 0);
	assert_int_equal(t.back_ns, NS + NS / 2);
	assert_int_equal(nsl_time_parse("-0.5m", 0, &t, &why), 0);
	assert_int_equal(t.back_ns, 30 * NS);
	/* before the epoch is clamped, not wrapped */
	assert_int_equal(nsl_time_parse("-2h", 0, &t, &why), 0);
	assert_int_equal(nsl_time_resolve(&t, 10 * NS), 0);
	assert_int_equal(nsl_time_parse("end", 0, &t, &why), 0);
	assert_true(t.relative);
	assert_int_equal(nsl_time_resolve(&t, 42), 42);
	/* an absolute time ignores the end */
	assert_int_equal(nsl_time_parse("@7", 0, &t, &why), 0);
	assert_int_equal(nsl_time_resolve(&t, 42), 7 * NS);
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
		"", "-", "-5", "-5x", "-5mm", "--5m", "-m", "-5.m", "5m", "@", "@x",
		"@1.", "@1.0000000001", "@99999999999999999999", "2026-11-23",
		"2026-11-23T", "2026-11-23T25:00:00", "2026-11-23T12:60:00",
		"2026-13-01T00:00:00", "2026-02-30T00:00:00", "2026-11-23T12:00:00+01:00",
		"2026-11-23T12:00:00ZZ", "2026/11/23 12:00:00", "12:00:00 ", "12-00-00",
		"1:00:00", "12:0", "now", "yesterday", "1969-12-31T23:59:59Z",
	};
	struct nsl_time t;
	const char *why = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (nsl_time_parse(bad[i], NOON * NS, &t, &why) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(why);
	}
	assert_int_equal(nsl_time_parse(NULL, 0, &t, &why), -EINVAL);
}

static void test_format(void **state)
{
	char buf[40];

	nsl_time_format(buf, sizeof(buf), NOON * NS + 123456789);
	assert_string_equal(buf, "2026-11-23T12:00:00.123Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_local_zone),
		cmocka_unit_test(test_today_and_epoch),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, utc, NULL);
}
