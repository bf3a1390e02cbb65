/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's queries: the connections on its socket and the forked
 * children that answer them (protocol: request.h).  dquery_serve() does
 * what is ready without blocking, once per turn of the daemon's loop.
 */
#ifndef NSL_DQUERY_H
#define NSL_DQUERY_H

#include <stdbool.h>
#include <sys/types.h>
#include "collector.h"
#include "dmetrics.h"
#include "request.h"
#include "server.h"

#define MAX_CONNS		32
#define MAX_ALLOW		32

enum { C_FREE, C_READING, C_RUNNING };

struct conn {
	int state;
	int fd;
	int fds[NSL_REQ_FDS];		/* received: stdout, stderr, cwd */
	int nfds;
	bool bad_fds;			/* more fds than we take */
	bool killed;			/* ran too long: say so */
	bool gone;			/* the client hung up: no reply */
	pid_t pid;			/* the peer (for -v) */
	uid_t uid;
	pid_t child;
	__u64 started;			/* CLOCK_MONOTONIC ns, for metrics */
	size_t have;
	__u64 deadline;			/* CLOCK_MONOTONIC ms */
	char buf[NSL_REQ_HDR + NSL_REQ_MAX];
};

struct dquery {
	uid_t allow[MAX_ALLOW];		/* besides root (--allow-uid) */
	int nallow;
	bool verbose;			/* one line per query */
	unsigned long long served, refused, bad;
	/* private */
	const struct nsl_listener *l;
	struct collector *col;		/* its map: the children's history */
	struct dmetrics *metrics;
	struct conn conn[MAX_CONNS];
};

void dquery_init(struct dquery *q, const struct nsl_listener *l, struct collector *col,
		 struct dmetrics *metrics);
/* accept, read requests, start, reap and time out queries */
void dquery_serve(struct dquery *q);
/* at exit: queries still running are stopped, their clients told */
void dquery_stop(struct dquery *q);

#endif
