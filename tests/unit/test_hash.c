// SPDX-License-Identifier: GPL-2.0
/* the one hash map: keys in, values back, through growth; key 0 too */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hash.h"

static void test_put_get_grow(void **state)
{
	struct nsl_hash h = {};
	__u64 v;

	assert_false(nsl_hash_get(&h, 7, &v));
	/* inums are dense near 4026531836: keys that differ in low bits */
	for (__u64 k = 0; k < 10000; k++)
		assert_int_equal(nsl_hash_put(&h, 4026531836ULL + k * 3, k), 0);
	assert_int_equal(h.count, 10000);
	assert_true(h.size >= 2 * h.count);
	for (__u64 k = 0; k < 10000; k++) {
		assert_true(nsl_hash_get(&h, 4026531836ULL + k * 3, &v));
		assert_int_equal(v, k);
	}
	assert_false(nsl_hash_get(&h, 4026531837ULL, &v));
	/* replace */
	assert_int_equal(nsl_hash_put(&h, 4026531836ULL, 42), 0);
	assert_true(nsl_hash_get(&h, 4026531836ULL, &v));
	assert_int_equal(v, 42);
	nsl_hash_free(&h);
	assert_false(nsl_hash_get(&h, 4026531836ULL, &v));
}

static void test_key_zero(void **state)
{
	struct nsl_hash h = {};
	__u64 v = 1;

	assert_false(nsl_hash_get(&h, 0, &v));
	assert_int_equal(nsl_hash_put(&h, 0, 5), 0);
	assert_true(nsl_hash_get(&h, 0, &v));
	assert_int_equal(v, 5);
	assert_int_equal(nsl_hash_put(&h, ~0ULL, 6), 0);
	assert_true(nsl_hash_get(&h, ~0ULL, &v));
	assert_int_equal(v, 6);
	nsl_hash_free(&h);
}

/* removal keeps every other key findable, whatever runs it breaks */
static void test_del_and_walk(void **state)
{
	struct nsl_hash h = {};
	size_t pos = 0, seen = 0;
	__u64 k, v, sum = 0;

	for (k = 1; k <= 3000; k++)
		assert_int_equal(nsl_hash_put(&h, k * 7919, k), 0);
	assert_int_equal(nsl_hash_put(&h, 0, 0), 0);
	for (k = 1; k <= 3000; k += 3)
		assert_true(nsl_hash_del(&h, k * 7919));
	assert_false(nsl_hash_del(&h, 1 * 7919));
	assert_true(nsl_hash_del(&h, 0));
	for (k = 1; k <= 3000; k++) {
		bool in = nsl_hash_get(&h, k * 7919, &v);

		assert_int_equal(in, (k - 1) % 3 != 0);
		if (in)
			assert_int_equal(v, k);
	}
	assert_int_equal(h.count, 2000);
	while (nsl_hash_next(&h, &pos, &k, &v)) {
		assert_int_equal(k, v * 7919);
		sum += v;
		seen++;
	}
	assert_int_equal(seen, 2000);
	assert_int_equal(sum, 3000 * 3001 / 2 - (1000 * (1 + 2998)) / 2);
	nsl_hash_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_grow),
		cmocka_unit_test(test_key_zero),
		cmocka_unit_test(test_del_and_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
