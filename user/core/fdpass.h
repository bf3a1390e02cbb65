/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File descriptors over AF_UNIX sockets (SCM_RIGHTS): the daemon's
 * requests, the scan's setns child, the test helpers.
 */
#ifndef NSL_FDPASS_H
#define NSL_FDPASS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FDPASS_MAX	8	/* fds one message carries at most */

/*
 * Send len bytes (at least 1: the fds ride on them) with nfds fds; flags
 * as for sendmsg.  Bytes sent, or -errno.
 */
ssize_t fdpass_send(int sock, const void *buf, size_t len, const int *fds,
		    int nfds, int flags);
/*
 * Receive up to len bytes and the fds that come with them: up to *nfds
 * into fds, *nfds set to how many came.  Any beyond (or cut by the
 * kernel) are closed and *dropped is set.  flags as for recvmsg
 * (MSG_CMSG_CLOEXEC, MSG_DONTWAIT).  Bytes received (0: EOF), or -errno.
 */
ssize_t fdpass_recv(int sock, void *buf, size_t len, int *fds, int *nfds,
		    bool *dropped, int flags);

#endif
