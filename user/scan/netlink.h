/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which net namespace has this address or interface?  Plain rtnetlink
 * dumps (RTM_GETADDR, RTM_GETLINK) from a forked child that setns()s
 * into each net ns of a snapshot, including those reachable only through
 * mounts in other mount namespaces or through fds.
 */
#ifndef NSL_NETLINK_H
#define NSL_NETLINK_H

#include <stddef.h>
#include <net/if.h>
#include "scan.h"

struct nl_query {
	int link;			/* 1: by interface name, 0: by address */
	int family;			/* AF_INET, AF_INET6 */
	unsigned char addr[16];
	char ifname[IF_NAMESIZE];
};

/* pure */
int nl_query_addr(const char *str, struct nl_query *q);
int nl_query_ifname(const char *str, struct nl_query *q);
int nl_build_request(const struct nl_query *q, void *buf, size_t size,
		     unsigned int seq);
/*
 * One recv()'d buffer of a dump: 1 if it holds a match, 0 if the dump
 * goes on, -ENODATA at its end without a match, -errno on an error reply.
 */
int nl_match(const void *buf, size_t len, const struct nl_query *q);

/* indexes of the net namespaces that match, up to max; returns how many */
int nl_search(struct snap *s, const struct nl_query *q, int *idx, int max);

#endif
