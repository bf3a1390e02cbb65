/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sockets of one net namespace, counted with NETLINK_SOCK_DIAG dumps
 * (TCP and UDP over IPv4 and IPv6, and unix) from a child that setns()es
 * into it: what may keep alive a net ns that no task, fd, mount or
 * socket of any process shows (orphaned TCP sockets, sockets in flight).
 */
#ifndef NSL_SOCKDIAG_H
#define NSL_SOCKDIAG_H

#include <stddef.h>

#define SOCKDIAG_NDESC	3

struct sockdiag {
	/* TIME_WAIT and NEW_SYN_RECV minisocks hold no reference: not counted */
	unsigned int tcp, udp, unx;
	unsigned int ndesc;
	char desc[SOCKDIAG_NDESC][112];	/* "FIN_WAIT1 10.0.0.1:22->10.0.0.2:5555" */
};

/* pure: the request for one dump (proto IPPROTO_TCP, IPPROTO_UDP, 0: unix) */
int sockdiag_request(int family, int proto, void *buf, size_t size,
		     unsigned int seq);
/*
 * pure: one recv()'d buffer of that dump, added to d.  1: the dump goes
 * on, 0: it ended (NLMSG_DONE), -errno: an error reply.
 */
int sockdiag_parse(const void *buf, size_t len, int proto, struct sockdiag *d);
/* pure: "1 TCP socket (LISTEN 0.0.0.0:22), 0 UDP, 2 unix" */
void sockdiag_str(const struct sockdiag *d, char *buf, size_t size);

/* count the sockets of the net ns behind nsfd; 0 or -errno */
int sockdiag_count(int nsfd, struct sockdiag *d);

#endif
