/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Canned netlink replies for the unit tests of the netlink readers
 * (rtnetlink in test_netlink.c, sock_diag in test_sockdiag.c): messages
 * built one after another into one buffer, as the kernel sends them.
 */
#ifndef NSL_NLSYNTH_H
#define NSL_NLSYNTH_H

#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static char synth_buf[8192] __attribute__((aligned(4)));
static size_t synth_used;

/* a zeroed message with hdrlen bytes of header, at the end of the buffer */
static inline struct nlmsghdr *synth_msg(int type, size_t hdrlen)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(synth_buf + synth_used);

	memset(nh, 0, NLMSG_SPACE(hdrlen));
	nh->nlmsg_type = type;
	nh->nlmsg_len = NLMSG_LENGTH(hdrlen);
	return nh;
}

static inline void synth_attr(struct nlmsghdr *nh, int type, const void *data,
			      size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* the message is complete: the next one goes after it */
static inline void synth_done(struct nlmsghdr *nh)
{
	synth_used += NLMSG_ALIGN(nh->nlmsg_len);
}

#endif
