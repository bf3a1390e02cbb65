/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NS specifiers, as `nslife why` takes them:
 *   net:[4026532279]  net:4026532279  4026532279   type and inum
 *   4100  id:4100                                   ns id (NS_GET_ID)
 *   /run/netns/x  /proc/PID/ns/net  any nsfs file, including a bind
 *                 mount that exists only inside another mount namespace
 *   -p PID -t TYPE, --addr IP, --ifname NAME
 * nsspec_parse*() are pure (no syscalls); nsspec_resolve() looks the
 * result up in a snapshot.
 */
#ifndef NSL_NSSPEC_H
#define NSL_NSSPEC_H

#include "scan.h"

enum nsspec_kind {
	NSSPEC_NONE,
	NSSPEC_INUM,		/* type (maybe NONE) and inum */
	NSSPEC_ID,
	NSSPEC_PATH,
	NSSPEC_PID,		/* pid and type */
	NSSPEC_ADDR,
	NSSPEC_IFNAME,
};

/* an inum this large is an nsfs inode, below it a number is an id */
#define NSSPEC_INUM_MIN	0xefff0000u

struct nsspec {
	int kind;
	int type;		/* NSL_T_NONE: any */
	int for_children;	/* -t pid_for_children, time_for_children */
	__u32 inum;
	__u64 id;
	pid_t pid;
	const char *str;	/* path, address or interface name */
};

int nsspec_parse(const char *arg, struct nsspec *sp);
int nsspec_parse_pid(const char *pid, const char *type, struct nsspec *sp);
int nsspec_parse_type(const char *name, int *for_children);

/*
 * Index of the namespace in s, or -errno: -ESTALE when sp names a
 * namespace that is not alive (key then says which), -ENOENT when it
 * names nothing, -ESRCH when -p names no process.  An address or name may be in several namespaces: idx
 * gets up to max of them and the return value is how many.
 */
int nsspec_resolve(const struct nsspec *sp, struct snap *s, int *idx, int max,
		   struct nsl_ns *key);

#endif
