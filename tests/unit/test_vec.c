// SPDX-License-Identifier: GPL-2.0
/* Growing arrays: every element kept across the doublings; memory that
 * runs out leaves the array, its count and its room as they were. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vec.h"

struct rec {
	int a, b;
};

static void test_push_keeps_all(void **state)
{
	struct rec *r = NULL, *slot;
	size_t n = 0, cap = 0;

	for (int i = 0; i < 1000; i++) {
		slot = nsl_vec_push(r, n, cap, 4);
		assert_non_null(slot);
		slot->a = i;
		slot->b = -i;
	}
	assert_int_equal(n, 1000);
	assert_int_equal(cap, 1024);	/* 4, doubled eight times */
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(r[i].a, i);
		assert_int_equal(r[i].b, -i);
	}
	free(r);
}

static void test_no_room_no_change(void **state)
{
	char *p = NULL;
	size_t cap = SIZE_MAX / 2 + 1, n = cap;
	char *slot;

	/* doubling would overflow: refused, nothing touched */
	errno = 0;
	slot = nsl_vec_push(p, n, cap, 16);
	assert_null(slot);
	assert_int_equal(errno, ENOMEM);
	assert_null(p);
	assert_int_equal(n, SIZE_MAX / 2 + 1);
	assert_int_equal(cap, SIZE_MAX / 2 + 1);
	/* eight elements of a quarter of the address space: refused */
	cap = 0;
	n = 0;
	assert_null(nsl_vec_grow(NULL, &cap, SIZE_MAX / 4, 8));
	assert_int_equal(cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_keeps_all),
		cmocka_unit_test(test_no_room_no_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
