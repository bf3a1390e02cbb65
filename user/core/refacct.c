// SPDX-License-Identifier: GPL-2.0
/* Reference accounting arithmetic (see refacct.h). */
#include <stdio.h>
#include <linux/types.h>
#include "nslife.h"
#include "refacct.h"

static const char *const src_names[NSL_REF_MAX] = {
	[NSL_REF_NSPROXY] = "nsproxy", [NSL_REF_NSFS] = "nsfs inode",
	[NSL_REF_SOCKET] = "socket", [NSL_REF_FILE] = "procfs file",
	[NSL_REF_CHILD] = "child namespace", [NSL_REF_PID] = "struct pid",
	[NSL_REF_PROC_SB] = "procfs superblock", [NSL_REF_CRED] = "cred",
};

static const char *const src_keys[NSL_REF_MAX] = {
	[NSL_REF_NSPROXY] = "nsproxy", [NSL_REF_NSFS] = "nsfs",
	[NSL_REF_SOCKET] = "socket", [NSL_REF_FILE] = "file",
	[NSL_REF_CHILD] = "child", [NSL_REF_PID] = "pid",
	[NSL_REF_PROC_SB] = "procfs", [NSL_REF_CRED] = "cred",
};

const char *nsl_refacct_src_key(int src)
{
	return src >= 0 && src < NSL_REF_MAX ? src_keys[src] : "?";
}

const char *nsl_refacct_src_name(int src)
{
	return src >= 0 && src < NSL_REF_MAX ? src_names[src] : "?";
}

const char *nsl_refacct_inexact(const struct nsl_refacct *a)
{
	if (a->initial)
		return "an initial namespace: the kernel holds static references "
		       "(init_nsproxy, kernel sockets and users), and nslife does not "
		       "list the open files that pin it";
	switch (a->type) {
	case NSL_T_PID:
		return "a pid namespace is held by every struct pid of it (zombies, pidfds, "
		       "F_SETOWN, SCM credentials, sockets' peer pids), and nslife sees only "
		       "the struct pids of tasks and open files";
	case NSL_T_USER:
		return "a user namespace is held by every struct cred of it (shared by tasks, "
		       "open files, sockets, keyrings, io_uring personalities) and by every "
		       "namespace it owns, and nslife sees only tasks' and open files' creds";
	default:
		return NULL;
	}
}

const char *nsl_refacct_candidates(int type)
{
	switch (type) {
	case NSL_T_NET:
		return "sockets without an fd (orphaned TCP, in flight in a unix socket), "
		       "an nsfs or procfs file in flight (SCM_RIGHTS), or a kernel user "
		       "(get_net: NFS, sunrpc, netfilter, a transient syscall)";
	case NSL_T_MNT:
		return "an nsfs or /proc/PID/mount* file in flight (SCM_RIGHTS), or a "
		       "transient kernel reference";
	default:
		return "an nsfs file in flight (SCM_RIGHTS), or a transient kernel reference";
	}
}

void nsl_refacct_compute(struct nsl_refacct *a)
{
	unsigned int sum = 0;

	for (int k = 0; k < NSL_REF_MAX; k++)
		sum += a->by[k];
	a->explained = sum;
	a->unexplained = a->count > sum ? a->count - sum : 0;
	a->excess = sum > a->count ? sum - a->count : 0;
	a->exact = !nsl_refacct_inexact(a);
}

void nsl_refacct_str(const struct nsl_refacct *a, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int k = 0; k < NSL_REF_MAX && off < size; k++) {
		int n;

		if (!a->by[k])
			continue;
		n = snprintf(buf + off, size - off, "%s%u %s", off ? ", " : "",
			     a->by[k], src_names[k]);
		if (n < 0)
			return;
		off += (size_t)n;
	}
	if (!off)
		snprintf(buf, size, "none");
}
