// SPDX-License-Identifier: GPL-2.0
/* Reference accounting: the kernel's count against what holders explain. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <linux/types.h>
#include "nslife.h"
#include "refacct.h"

/* a net ns with one task and our nsfs fd: 2 references, all explained */
static void test_exact_balanced(void **state)
{
	struct nsl_refacct a = { .type = NSL_T_NET, .count = 2 };

	a.by[NSL_REF_NSPROXY] = 1;
	a.by[NSL_REF_NSFS] = 1;
	nsl_refacct_compute(&a);
	assert_true(a.exact);
	assert_int_equal(a.explained, 2);
	assert_int_equal(a.unexplained, 0);
	assert_int_equal(a.excess, 0);
}

/* an fd in flight: one reference more than the holders explain */
static void test_exact_unexplained(void **state)
{
	struct nsl_refacct a = { .type = NSL_T_NET, .count = 5 };

	a.by[NSL_REF_NSFS] = 1;
	a.by[NSL_REF_SOCKET] = 2;
	a.by[NSL_REF_FILE] = 1;
	nsl_refacct_compute(&a);
	assert_true(a.exact);
	assert_int_equal(a.explained, 4);
	assert_int_equal(a.unexplained, 1);
	assert_non_null(strstr(nsl_refacct_candidates(a.type), "in flight"));
}

/* a task exited between the reads: never a negative remainder */
static void test_excess(void **state)
{
	struct nsl_refacct a = { .type = NSL_T_UTS, .count = 1 };

	a.by[NSL_REF_NSPROXY] = 2;
	nsl_refacct_compute(&a);
	assert_int_equal(a.unexplained, 0);
	assert_int_equal(a.excess, 1);
}

/* pid and user counts are lower bounds, and say why */
static void test_inexact_types(void **state)
{
	struct nsl_refacct p = { .type = NSL_T_PID, .count = 9 };
	struct nsl_refacct u = { .type = NSL_T_USER, .count = 9 };
	struct nsl_refacct m = { .type = NSL_T_MNT, .count = 9 };

	nsl_refacct_compute(&p);
	nsl_refacct_compute(&u);
	nsl_refacct_compute(&m);
	assert_false(p.exact);
	assert_false(u.exact);
	assert_true(m.exact);
	assert_non_null(strstr(nsl_refacct_inexact(&p), "struct pid"));
	assert_non_null(strstr(nsl_refacct_inexact(&u), "cred"));
	assert_null(nsl_refacct_inexact(&m));
}

/* the initial namespaces carry static references: never exact */
static void test_initial(void **state)
{
	struct nsl_refacct a = { .type = NSL_T_NET, .count = 40, .initial = true };

	a.by[NSL_REF_NSPROXY] = 8;
	nsl_refacct_compute(&a);
	assert_false(a.exact);
	assert_int_equal(a.unexplained, 32);
	assert_non_null(strstr(nsl_refacct_inexact(&a), "initial"));
}

static void test_str(void **state)
{
	struct nsl_refacct a = { .type = NSL_T_NET };
	char buf[128];

	nsl_refacct_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	a.by[NSL_REF_NSPROXY] = 2;
	a.by[NSL_REF_SOCKET] = 1;
	nsl_refacct_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2 nsproxy, 1 socket");
	/* truncation stays a terminated string */
	nsl_refacct_str(&a, buf, 6);
	assert_int_equal(strlen(buf), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_balanced),
		cmocka_unit_test(test_exact_unexplained),
		cmocka_unit_test(test_excess),
		cmocka_unit_test(test_inexact_types),
		cmocka_unit_test(test_initial),
		cmocka_unit_test(test_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
