// SPDX-License-Identifier: GPL-2.0
/* The daemon's request codec (request.h): round trip and every refusal. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "request.h"

static struct nsl_req req;
static char buf[NSL_REQ_HDR + NSL_REQ_MAX + 64];

static void test_round_trip(void **state)
{
	char *argv[] = { "why", "--json", "", "net:[4026532279]" };
	const char *why = "unset";
	ssize_t n = nsl_req_build(buf, sizeof(buf), 4, argv);

	assert_true(n == NSL_REQ_HDR + 4 + 7 + 1 + 17);
	assert_int_equal(nsl_req_size(buf, n), n);
	assert_int_equal(nsl_req_parse(&req, buf, n, &why), 0);
	assert_null(why);
	assert_int_equal(req.argc, 4);
	for (int i = 0; i < 4; i++)
		assert_string_equal(req.argv[i], argv[i]);
	assert_null(req.argv[4]);
}

static void test_size_prefix(void **state)
{
	char *argv[] = { "ls" };
	ssize_t n = nsl_req_build(buf, sizeof(buf), 1, argv);

	for (size_t k = 0; k < NSL_REQ_HDR; k++)
		assert_int_equal(nsl_req_size(buf, k), -EAGAIN);
	assert_int_equal(nsl_req_size(buf, NSL_REQ_HDR), n);
}

static int parse_err(const void *msg, size_t len, const char *want)
{
	const char *why = NULL;
	int err = nsl_req_parse(&req, msg, len, &why);

	assert_non_null(why);
	assert_non_null(strstr(why, want));
	return err;
}

static void put_hdr(uint32_t len)
{
	memcpy(buf, NSL_REQ_MAGIC, 4);
	memcpy(buf + 4, &len, 4);
}

static void test_refusals(void **state)
{
	char *argv[] = { "ls", "-n" };
	ssize_t n;

	assert_int_equal(parse_err("GET / HTTP/1.0\r\n", 16, "bad magic"), -EPROTO);
	put_hdr(NSL_REQ_MAX + 1);
	assert_int_equal(parse_err(buf, 64, "out of bounds"), -EMSGSIZE);
	put_hdr(0);
	assert_int_equal(parse_err(buf, NSL_REQ_HDR, "out of bounds"), -EMSGSIZE);
	n = nsl_req_build(buf, sizeof(buf), 2, argv);
	assert_int_equal(parse_err(buf, n - 1, "truncated"), -EAGAIN);
	assert_int_equal(parse_err(buf, 3, "truncated"), -EAGAIN);
	buf[n] = 'x';
	assert_int_equal(parse_err(buf, n + 1, "after the request"), -EPROTO);
	put_hdr(2);
	memcpy(buf + NSL_REQ_HDR, "ls", 2);
	assert_int_equal(parse_err(buf, NSL_REQ_HDR + 2, "not terminated"), -EINVAL);
	put_hdr(7);
	memcpy(buf + NSL_REQ_HDR, "daemon", 7);
	assert_int_equal(parse_err(buf, NSL_REQ_HDR + 7, "unknown command"), -EINVAL);
	/* "ls" and 64 empty arguments: 65 */
	put_hdr(3 + NSL_REQ_ARGS);
	memcpy(buf + NSL_REQ_HDR, "ls", 3);
	memset(buf + NSL_REQ_HDR + 3, 0, NSL_REQ_ARGS);
	assert_int_equal(parse_err(buf, NSL_REQ_HDR + 3 + NSL_REQ_ARGS, "too many"), -E2BIG);
}

static void test_build_limits(void **state)
{
	static char big[NSL_REQ_MAX + 1];
	char *argv[NSL_REQ_ARGS + 1];

	for (int i = 0; i <= NSL_REQ_ARGS; i++)
		argv[i] = "ls";
	assert_true(nsl_req_build(buf, sizeof(buf), NSL_REQ_ARGS, argv) > 0);
	assert_int_equal(nsl_req_build(buf, sizeof(buf), NSL_REQ_ARGS + 1, argv), -E2BIG);
	assert_int_equal(nsl_req_build(buf, sizeof(buf), 0, argv), -E2BIG);
	memset(big, 'a', NSL_REQ_MAX);
	argv[1] = big;
	assert_int_equal(nsl_req_build(buf, sizeof(buf), 2, argv), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_size_prefix),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_build_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
