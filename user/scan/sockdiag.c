// SPDX-License-Identifier: GPL-2.0
/* Socket counts of a net namespace: NETLINK_SOCK_DIAG dumps from inside it. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include "sockdiag.h"

/* include/net/tcp_states.h */
static const char *const tcp_states[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	"NEW_SYN_RECV", "BOUND_INACTIVE",
};
#define TCP_TIME_WAIT_	6
#define TCP_NEW_SYN_RECV_	12

int sockdiag_request(int family, int proto, void *buf, size_t size,
		     unsigned int seq)
{
	struct nlmsghdr *nh = buf;
	size_t len = NLMSG_LENGTH(family == AF_UNIX ? sizeof(struct unix_diag_req) :
						      sizeof(struct inet_diag_req_v2));
	struct inet_diag_req_v2 *in = NLMSG_DATA(nh);
	struct unix_diag_req *un = NLMSG_DATA(nh);

	if (size < len)
		return -ENOSPC;
	memset(buf, 0, len);
	nh->nlmsg_len = len;
	nh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh->nlmsg_seq = seq;
	if (family == AF_UNIX) {
		un->sdiag_family = AF_UNIX;
		un->udiag_states = ~0u;
	} else {
		in->sdiag_family = family;
		in->sdiag_protocol = proto;
		in->idiag_states = ~0u;
	}
	return len;
}

static void describe(const struct inet_diag_msg *m, char *buf, size_t size)
{
	char src[INET6_ADDRSTRLEN] = "?", dst[INET6_ADDRSTRLEN] = "?";
	const char *state = m->idiag_state < sizeof(tcp_states) / sizeof(tcp_states[0]) ?
			    tcp_states[m->idiag_state] : "?";
	const char *l = m->idiag_family == AF_INET6 ? "[" : "";
	const char *r = m->idiag_family == AF_INET6 ? "]" : "";

	inet_ntop(m->idiag_family, m->id.idiag_src, src, sizeof(src));
	inet_ntop(m->idiag_family, m->id.idiag_dst, dst, sizeof(dst));
	if (!strcmp(state, "LISTEN"))
		snprintf(buf, size, "%s %s%s%s:%u", state, l, src, r,
			 ntohs(m->id.idiag_sport));
	else
		snprintf(buf, size, "%s %s%s%s:%u->%s%s%s:%u", state, l, src, r,
			 ntohs(m->id.idiag_sport), l, dst, r, ntohs(m->id.idiag_dport));
}

static void add_inet(const struct nlmsghdr *nh, int proto, struct sockdiag *d)
{
	const struct inet_diag_msg *m = NLMSG_DATA(nh);

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return;
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return;
	if (proto == IPPROTO_UDP) {
		d->udp++;
		return;
	}
	/* minisocks: the net ns's exit purges them, they do not pin it */
	if (m->idiag_state == TCP_TIME_WAIT_ || m->idiag_state == TCP_NEW_SYN_RECV_)
		return;
	d->tcp++;
	if (d->ndesc < SOCKDIAG_NDESC)
		describe(m, d->desc[d->ndesc++], sizeof(d->desc[0]));
}

int sockdiag_parse(const void *buf, size_t len, int proto, struct sockdiag *d)
{
	const struct nlmsghdr *nh = buf;
	int n = len;

	for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_DONE)
			return 0;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EIO;
			return e->error ? e->error : -EIO;
		}
		if (nh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		if (!proto) {
			if (nh->nlmsg_len >= NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
				d->unx++;
		} else {
			add_inet(nh, proto, d);
		}
	}
	/* a well-formed buffer is used up; anything left is a cut message */
	return n > 0 ? -EIO : 1;
}

void sockdiag_str(const struct sockdiag *d, char *buf, size_t size)
{
	size_t o = 0;

	o += snprintf(buf + o, size - o, "%u TCP socket%s", d->tcp, d->tcp == 1 ? "" : "s");
	for (unsigned int k = 0; k < d->ndesc && o < size; k++)
		o += snprintf(buf + o, size - o, "%s%s", k ? ", " : " (", d->desc[k]);
	if (d->ndesc && o < size)
		o += snprintf(buf + o, size - o, "%s)", d->tcp > d->ndesc ? ", ..." : "");
	if (o < size)
		snprintf(buf + o, size - o, ", %u UDP, %u unix", d->udp, d->unx);
}

/* one dump on fd, in the current net ns */
static int dump(int fd, int family, int proto, struct sockdiag *d)
{
	static char buf[32768] __attribute__((aligned(4)));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int len = sockdiag_request(family, proto, buf, sizeof(buf), 1), r;
	ssize_t n;

	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	do {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		r = sockdiag_parse(buf, n, proto, d);
	} while (r > 0);
	return r;
}

/* the child: in the net ns, every dump, the counts back through out */
static void __attribute__((noreturn)) count_child(int nsfd, int out)
{
	static const struct { int family, proto; } dumps[] = {
		{ AF_INET, IPPROTO_TCP }, { AF_INET6, IPPROTO_TCP },
		{ AF_INET, IPPROTO_UDP }, { AF_INET6, IPPROTO_UDP },
		{ AF_UNIX, 0 },
	};
	struct sockdiag d = {};
	int fd;

	if (setns(nsfd, CLONE_NEWNET) < 0)
		_exit(1);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		_exit(1);
	/* a family the kernel cannot dump (no IPv6, no unix_diag): no counts */
	for (size_t k = 0; k < sizeof(dumps) / sizeof(dumps[0]); k++)
		if (dump(fd, dumps[k].family, dumps[k].proto, &d))
			_exit(1);
	if (write(out, &d, sizeof(d)) != sizeof(d))
		_exit(1);
	_exit(0);
}

int sockdiag_count(int nsfd, struct sockdiag *d)
{
	int p[2], err = -EIO;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto cleanup;
	}
	if (pid == 0) {
		close(p[0]);
		count_child(nsfd, p[1]);
	}
	close(p[1]);
	p[1] = -1;
	if (read(p[0], d, sizeof(*d)) == sizeof(*d))
		err = 0;
	waitpid(pid, NULL, 0);
cleanup:
	close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	return err;
}
