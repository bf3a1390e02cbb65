// SPDX-License-Identifier: GPL-2.0
/* rtnetlink address and interface search across every net namespace. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "netlink.h"

int nl_query_addr(const char *str, struct nl_query *q)
{
	memset(q, 0, sizeof(*q));
	if (!str)
		return -EINVAL;
	if (inet_pton(AF_INET, str, q->addr) == 1)
		q->family = AF_INET;
	else if (inet_pton(AF_INET6, str, q->addr) == 1)
		q->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

int nl_query_ifname(const char *str, struct nl_query *q)
{
	memset(q, 0, sizeof(*q));
	if (!str || !*str || strlen(str) >= sizeof(q->ifname) || strchr(str, '/'))
		return -EINVAL;
	q->link = 1;
	strcpy(q->ifname, str);
	return 0;
}

int nl_build_request(const struct nl_query *q, void *buf, size_t size,
		     unsigned int seq)
{
	struct nlmsghdr *nh = buf;
	size_t len = NLMSG_LENGTH(q->link ? sizeof(struct ifinfomsg) :
					    sizeof(struct ifaddrmsg));

	if (size < len)
		return -ENOSPC;
	memset(buf, 0, len);
	nh->nlmsg_len = len;
	nh->nlmsg_type = q->link ? RTM_GETLINK : RTM_GETADDR;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh->nlmsg_seq = seq;
	if (q->link)
		((struct ifinfomsg *)NLMSG_DATA(nh))->ifi_family = AF_UNSPEC;
	else
		((struct ifaddrmsg *)NLMSG_DATA(nh))->ifa_family = q->family;
	return len;
}

static int match_addr(const struct nlmsghdr *nh, const struct nl_query *q)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	int len = IFA_PAYLOAD(nh);
	size_t alen = q->family == AF_INET ? 4 : 16;
	const struct rtattr *rta;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) || ifa->ifa_family != q->family)
		return 0;
	for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type != IFA_ADDRESS && rta->rta_type != IFA_LOCAL)
			continue;
		if (RTA_PAYLOAD(rta) == alen && !memcmp(RTA_DATA(rta), q->addr, alen))
			return 1;
	}
	return 0;
}

static int match_link(const struct nlmsghdr *nh, const struct nl_query *q)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = IFLA_PAYLOAD(nh);
	const struct rtattr *rta;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_IFNAME &&
		    !strncmp(RTA_DATA(rta), q->ifname, RTA_PAYLOAD(rta)) &&
		    strlen(q->ifname) < RTA_PAYLOAD(rta))
			return 1;
	return 0;
}

int nl_match(const void *buf, size_t len, const struct nl_query *q)
{
	const struct nlmsghdr *nh = buf;
	int n = len;

	for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_DONE)
			return -ENODATA;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			return e->error ? e->error : -EIO;
		}
		if (!q->link && nh->nlmsg_type == RTM_NEWADDR && match_addr(nh, q))
			return 1;
		if (q->link && nh->nlmsg_type == RTM_NEWLINK && match_link(nh, q))
			return 1;
	}
	return 0;
}

/* in the current net ns: 1 on a match, 0 none, -errno */
static int search_here(const struct nl_query *q)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static char buf[32768];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int len, r = -EIO;

	if (fd < 0)
		return -errno;
	len = nl_build_request(q, buf, sizeof(buf), 1);
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto cleanup;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		r = nl_match(buf, n, q);
		if (r)
			break;
	}
cleanup:
	close(fd);
	return r == -ENODATA ? 0 : r;
}

/* the child: setns into each net ns in turn, report matching indexes */
static void __attribute__((noreturn)) search_child(struct snap *s,
						   const struct nl_query *q, int out)
{
	for (size_t i = 0; i < s->nr_ns; i++) {
		if (s->ns[i].key.type != NSL_T_NET || s->ns[i].fd < 0)
			continue;
		if (setns(s->ns[i].fd, CLONE_NEWNET) < 0)
			continue;
		if (search_here(q) == 1 && write(out, &i, sizeof(i)) < 0)
			_exit(1);
	}
	_exit(0);
}

static int ifname_is(void *ctx, const char *name)
{
	return !strcmp(ctx, name);
}

/*
 * A net ns nslife holds no fd on (6.19+: inactive, nsfs will not open it)
 * cannot be entered: BPF reads its interface names.  Names only.
 */
static int search_unopened(struct snap *s, const struct nl_query *q, int *idx, int max, int n)
{
	const struct snap_inspector *in = snap_inspector();

	if (!q->link || !in || !in->net_ifnames)
		return n;
	for (size_t i = 0; i < s->nr_ns && n < max; i++) {
		const struct snap_ns *ns = &s->ns[i];

		if (ns->key.type != NSL_T_NET || ns->fd >= 0 || !ns->kaddr)
			continue;
		if (in->net_ifnames(ns->kaddr, ifname_is, (void *)q->ifname) == 1)
			idx[n++] = i;
	}
	return n;
}

int nl_search(struct snap *s, const struct nl_query *q, int *idx, int max)
{
	int p[2], n = 0;
	size_t i;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		close(p[0]);
		search_child(s, q, p[1]);
	}
	close(p[1]);
	while (read(p[0], &i, sizeof(i)) == sizeof(i))
		if (n < max && i < s->nr_ns)
			idx[n++] = i;
	close(p[0]);
	waitpid(pid, NULL, 0);
	return search_unopened(s, q, idx, max, n);
}
