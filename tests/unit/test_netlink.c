// SPDX-License-Identifier: GPL-2.0
/* rtnetlink message parsing for --addr and --ifname, on built buffers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "netlink.h"
#include "nlsynth.h"

static void add_addr(int family, const void *a, size_t alen)
{
	struct nlmsghdr *nh = synth_msg(RTM_NEWADDR, sizeof(struct ifaddrmsg));

	((struct ifaddrmsg *)NLMSG_DATA(nh))->ifa_family = family;
	synth_attr(nh, IFA_ADDRESS, a, alen);
	synth_done(nh);
}

static void add_link(const char *name)
{
	struct nlmsghdr *nh = synth_msg(RTM_NEWLINK, sizeof(struct ifinfomsg));

	synth_attr(nh, IFLA_IFNAME, name, strlen(name) + 1);
	synth_done(nh);
}

static void add_done(void)
{
	struct nlmsghdr *nh = synth_msg(NLMSG_DONE, sizeof(int));

	synth_done(nh);
}

static int setup(void **state)
{
	synth_used = 0;
	return 0;
}

static void test_addr_v4(void **state)
{
	struct nl_query q;
	unsigned char other[4] = { 10, 2, 1, 16 }, mine[4] = { 10, 2, 1, 15 };

	assert_int_equal(nl_query_addr("10.2.1.15", &q), 0);
	assert_int_equal(q.family, AF_INET);
	add_addr(AF_INET, other, 4);
	assert_int_equal(nl_match(synth_buf, synth_used, &q), 0);
	add_addr(AF_INET, mine, 4);
	assert_int_equal(nl_match(synth_buf, synth_used, &q), 1);
}

static void test_addr_v6_and_done(void **state)
{
	struct nl_query q;
	unsigned char a[16] = { 0xfd, 0, [15] = 1 };
	unsigned char v4[4] = { 253, 0, 0, 0 };

	assert_int_equal(nl_query_addr("fd00::2", &q), 0);
	assert_int_equal(q.family, AF_INET6);
	add_addr(AF_INET, v4, 4);	/* same leading bytes, other family */
	add_addr(AF_INET6, a, 16);
	add_done();
	assert_int_equal(nl_match(synth_buf, synth_used, &q), -ENODATA);
}

static void test_link(void **state)
{
	struct nl_query q;

	assert_int_equal(nl_query_ifname("c-s01", &q), 0);
	add_link("c-s0");		/* a prefix is not a match */
	add_link("c-s011");
	assert_int_equal(nl_match(synth_buf, synth_used, &q), 0);
	add_link("c-s01");
	assert_int_equal(nl_match(synth_buf, synth_used, &q), 1);
}

static void test_error_and_truncated(void **state)
{
	struct nl_query q;
	struct nlmsghdr *nh = synth_msg(NLMSG_ERROR, sizeof(struct nlmsgerr));

	((struct nlmsgerr *)NLMSG_DATA(nh))->error = -EPERM;
	synth_done(nh);
	assert_int_equal(nl_query_ifname("lo", &q), 0);
	assert_int_equal(nl_match(synth_buf, synth_used, &q), -EPERM);
	/* a buffer cut inside a header is not read past its end */
	assert_int_equal(nl_match(synth_buf, 7, &q), 0);
}

static void test_bad_queries(void **state)
{
	struct nl_query q;
	char req[64];

	assert_int_not_equal(nl_query_addr("10.2.1", &q), 0);
	assert_int_not_equal(nl_query_addr("", &q), 0);
	assert_int_not_equal(nl_query_ifname("", &q), 0);
	assert_int_not_equal(nl_query_ifname("a-name-too-long-for-linux", &q), 0);
	assert_int_equal(nl_query_addr("10.2.1.15", &q), 0);
	assert_int_equal(nl_build_request(&q, req, sizeof(req), 7),
			 NLMSG_LENGTH(sizeof(struct ifaddrmsg)));
	assert_int_equal(((struct nlmsghdr *)req)->nlmsg_type, RTM_GETADDR);
	assert_int_equal(nl_build_request(&q, req, 8, 7), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_addr_v4, setup),
		cmocka_unit_test_setup(test_addr_v6_and_done, setup),
		cmocka_unit_test_setup(test_link, setup),
		cmocka_unit_test_setup(test_error_and_truncated, setup),
		cmocka_unit_test_setup(test_bad_queries, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
