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

static char buf[4096] __attribute__((aligned(4)));
static size_t used;

static struct nlmsghdr *msg(int type, size_t hdrlen)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(buf + used);

	memset(nh, 0, NLMSG_SPACE(hdrlen));
	nh->nlmsg_type = type;
	nh->nlmsg_len = NLMSG_LENGTH(hdrlen);
	return nh;
}

static void attr(struct nlmsghdr *nh, int type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static void done(struct nlmsghdr *nh)
{
	used += NLMSG_ALIGN(nh->nlmsg_len);
}

static void add_addr(int family, const void *a, size_t alen)
{
	struct nlmsghdr *nh = msg(RTM_NEWADDR, sizeof(struct ifaddrmsg));

	((struct ifaddrmsg *)NLMSG_DATA(nh))->ifa_family = family;
	attr(nh, IFA_ADDRESS, a, alen);
	done(nh);
}

static void add_link(const char *name)
{
	struct nlmsghdr *nh = msg(RTM_NEWLINK, sizeof(struct ifinfomsg));

	attr(nh, IFLA_IFNAME, name, strlen(name) + 1);
	done(nh);
}

static void add_done(void)
{
	struct nlmsghdr *nh = msg(NLMSG_DONE, sizeof(int));

	done(nh);
}

static int setup(void **state)
{
	used = 0;
	return 0;
}

static void test_addr_v4(void **state)
{
	struct nl_query q;
	unsigned char other[4] = { 10, 2, 1, 16 }, mine[4] = { 10, 2, 1, 15 };

	assert_int_equal(nl_query_addr("10.2.1.15", &q), 0);
	assert_int_equal(q.family, AF_INET);
	add_addr(AF_INET, other, 4);
	assert_int_equal(nl_match(buf, used, &q), 0);
	add_addr(AF_INET, mine, 4);
	assert_int_equal(nl_match(buf, used, &q), 1);
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
	assert_int_equal(nl_match(buf, used, &q), -ENODATA);
}

static void test_link(void **state)
{
	struct nl_query q;

	assert_int_equal(nl_query_ifname("c-s01", &q), 0);
	add_link("c-s0");		/* a prefix is not a match */
	add_link("c-s011");
	assert_int_equal(nl_match(buf, used, &q), 0);
	add_link("c-s01");
	assert_int_equal(nl_match(buf, used, &q), 1);
}

static void test_error_and_truncated(void **state)
{
	struct nl_query q;
	struct nlmsghdr *nh = msg(NLMSG_ERROR, sizeof(struct nlmsgerr));

	((struct nlmsgerr *)NLMSG_DATA(nh))->error = -EPERM;
	done(nh);
	assert_int_equal(nl_query_ifname("lo", &q), 0);
	assert_int_equal(nl_match(buf, used, &q), -EPERM);
	/* a buffer cut inside a header is not read past its end */
	assert_int_equal(nl_match(buf, 7, &q), 0);
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
