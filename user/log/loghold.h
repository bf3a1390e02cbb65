/* SPDX-License-Identifier: GPL-2.0 */
/* The holders a recorded log says each namespace had (for logstate.c). */
#ifndef NSL_LOGHOLD_H
#define NSL_LOGHOLD_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "hash.h"
#include "nslife.h"
#include "snap.h"

/* a holder as the log recorded it, named by keys (indexes come last) */
struct ls_hold {
	int kind;		/* SNAP_H_* */
	struct nsl_ns ns;	/* the held namespace */
	struct nsl_ns other;	/* mount: its mnt ns; child: the child */
	pid_t pid, tid, ppid;
	int fd;
	unsigned int flags;	/* SNAP_HF_* */
	char comm[NSL_COMM_LEN];
	const char *link;	/* static, or in init's string table */
	const char *path;	/* in init's string table */
	const char *detail;
	__u64 seq;		/* when it was recorded, in log order */
	bool closed;		/* fd: its process exited or reused the number */
	struct ls_hold *next;
};

/* the holders of one namespace, in the order recorded */
struct ls_list {
	__u64 id;
	struct ls_hold *head, **tail;
	struct ls_list *next;		/* every list, for freeing */
};

/* a process leader's exit: its fds opened before are closed */
struct ls_exit {
	pid_t pid;
	__u64 seq;
};

/* holders by namespace id, so that an event costs one short list */
struct ls_holders {
	struct nsl_hash by_id;		/* ns id -> struct ls_list * */
	struct ls_list *all;
	struct ls_exit *exits;
	size_t nr_exits, cap_exits;
	__u64 seq;
};

/* the holders of namespace id, NULL if none (or no hs) */
struct ls_list *ls_find_list(const struct ls_holders *hs, __u64 id);
/* a new holder of ns, recorded now */
struct ls_hold *ls_add_hold(struct ls_holders *hs, int kind, const struct nsl_ns *ns);
/* what an event adds or drops: members, fds, exits, dead namespaces */
int ls_holders_apply(struct ls_holders *hs, const struct nsl_event *e);
/*
 * Closes are not recorded; what is known: an fd number opened again in
 * the same process replaced the earlier file, and a process's fds end
 * with it.  Marks such fd holders of s's namespaces closed.
 */
int ls_close_fds(struct ls_holders *hs, const struct snap *s);
void ls_holders_free(struct ls_holders *hs);

#endif
