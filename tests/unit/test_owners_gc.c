// SPDX-License-Identifier: GPL-2.0
/*
 * The collector's owners are bounded: the ones it no longer points at go,
 * the ones it keeps stay where they are.  Units only: naming them reads no
 * runtime state, so the test does no I/O.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "owners.h"
#include "snap.h"

static const struct nsl_owner *unit(const struct snap *s, int i)
{
	char text[64];

	snprintf(text, sizeof(text), "0::/system.slice/u%d.service\n", i);
	return snap_owner_cgroup(s, text, strlen(text));
}

static void test_gc(void **state)
{
	struct snap s = { .owners = owners_new() };
	const struct nsl_owner *keep[2];

	assert_non_null(s.owners);
	for (int i = 0; i < 100; i++)
		unit(&s, i);
	assert_int_equal(owners_count(s.owners), 100);
	/* the same owner is one entry */
	assert_ptr_equal(unit(&s, 7), unit(&s, 7));
	keep[0] = unit(&s, 7);
	keep[1] = unit(&s, 42);
	assert_int_equal(owners_gc_begin(s.owners), 0);
	owners_gc_mark(s.owners, keep[0]);
	owners_gc_mark(s.owners, keep[1]);
	owners_gc_mark(s.owners, NULL);
	owners_gc_end(s.owners);
	assert_int_equal(owners_count(s.owners), 2);
	/* kept where they were, and found again by value */
	assert_string_equal(keep[0]->unit, "u7.service");
	assert_string_equal(keep[1]->unit, "u42.service");
	assert_ptr_equal(unit(&s, 42), keep[1]);
	/* a dropped one is a new entry */
	assert_non_null(unit(&s, 3));
	assert_int_equal(owners_count(s.owners), 3);
	/* nothing marked: all go */
	assert_int_equal(owners_gc_begin(s.owners), 0);
	owners_gc_end(s.owners);
	assert_int_equal(owners_count(s.owners), 0);
	owners_free(s.owners);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
