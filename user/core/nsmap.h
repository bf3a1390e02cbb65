/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live map: every namespace nslife has seen, by id, with its history
 * and the pins (nsfs and procfs mounts) the event stream told of.  Pure
 * logic: fed events (live or from a log) and snapshots, it decides what
 * lingers.  Memory grows with namespaces, not with events: a fixed-size
 * history per namespace (the first events and the latest ones), and a
 * bounded number of dead namespaces kept for their history.
 */
#ifndef NSL_NSMAP_H
#define NSL_NSMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "hash.h"
#include "nslife.h"
#include "owner.h"

#define NSM_HIST_FIRST	4	/* kept for good: how it began */
#define NSM_HIST_LAST	8	/* a ring of the latest */
#define NSM_DEAD_MAX	4096	/* dead namespaces remembered */

enum nsm_state { NSM_ALIVE, NSM_LINGERING, NSM_DEAD };

struct nsm_hist {
	__u64 ts;
	__u64 other;		/* join: from; leave: to; (u)mount: mnt ns id */
	__u32 pid;
	__u32 arg;		/* the member task, fd, or exit refcount */
	__u8 kind;
	__u8 how;
	__u16 pad;
	__u32 pad2;
};

struct nsm_pin {
	struct nsm_pin *next;	/* the namespace's pins */
	struct nsm_pin **pprev;
	/* the pins in its mount namespace (struct nsm's by_mntns) */
	struct nsm_pin *mnext, **mprev;
	struct nsm_ns *ns;	/* whose pin it is */
	__u64 mntns;		/* id of the mount namespace it lives in */
	__u64 ts;
	__u32 pid;
	__u8 kind;		/* NSL_EV_MOUNT or NSL_EV_PROC_MOUNT */
	char path[];
};

struct nsm_ns {
	struct nsl_ns key;
	__u8 state;		/* enum nsm_state */
	__u8 create_how;
	__u8 inactive;		/* the last scan found it inactive (scan.h) */
	__u8 off_inum;		/* dead: out of by_inum and its inext chain */
	/*
	 * in the first scan: there before nslife (or the log) started; an
	 * entry with neither this nor `created` was made unseen (creates
	 * lost, or not followed: NSLIFE_SYSCALLS=none)
	 */
	__u8 seeded;
	__u32 creator;		/* pid that created it, 0: unknown */
	char creator_comm[NSL_COMM_LEN];
	__u64 created;		/* ts (CLOCK_BOOTTIME ns), 0: before nslife */
	__u64 freed;
	__u64 last_exit;	/* the latest member exit seen */
	__u32 last_exit_pid;
	__u32 nhist;		/* events seen in all */
	__u64 check_at;		/* lingering check due, 0: none */
	__u64 linger_since;
	struct nsm_hist first[NSM_HIST_FIRST];
	struct nsm_hist last[NSM_HIST_LAST];
	struct nsm_pin *pins;
	__u64 creator_cgid;	/* the creator's cgroup id (v2), 0: unknown */
	/* its unit/container/pod, resolved while the cgroup lived; NULL: none */
	const struct nsl_owner *creator_owner;
	/*
	 * The member that best says whose it is (nsm_note_user()): podman's
	 * net ns is made in podman's cgroup and joined from the container's.
	 */
	const struct nsl_owner *user_owner;	/* NULL: none known */
	__u64 user_cgid;	/* its cgroup id, 0: unknown (a member seen by a scan) */
	__u64 user_ts;		/* when it joined, or was seen */
	__u32 user_pid;
	__u8 user_how;		/* the join's how; NSL_HOW_SCAN: seen as a member */
	char user_comm[NSL_COMM_LEN];
	struct nsm_ns *inext;	/* the others of this inum, alive */
	struct nsm_ns *dnext;	/* the dead list, oldest first */
};

struct nsm {
	struct nsl_hash by_id;	/* id -> struct nsm_ns * */
	/*
	 * inum -> the first of its inext chain.  Only the living: the
	 * namespace churn reuses a few inums, and the chains of their dead
	 * were walked for every create.
	 */
	struct nsl_hash by_inum;
	/*
	 * mount namespace id -> a malloc'ed head of its pins' mnext list:
	 * a new mount namespace copies, and an umount drops, the pins of one
	 * mount namespace without a walk over every namespace
	 */
	struct nsl_hash by_mntns;
	size_t count, ndead;
	struct nsm_ns *dead_head, *dead_tail;
	__u64 grace;		/* ns: how long after the last exit it may live */
	/*
	 * the first scan gave ids (6.18+, NS_GET_ID): what it did not seed
	 * was not there.  Before 6.18 the snapshot's namespaces have no id
	 * to match the events' with, so an entry without `seeded` or
	 * `created` may have been there before nslife started.
	 */
	bool seed_exact;
	/* no check_at is earlier (0: none set): nsm_due() skips its walk till then */
	__u64 next_due;
};

/* what nsm_apply() found worth telling */
#define NSM_UNLINGER	0x1	/* a lingering namespace is no longer */

int nsm_init(struct nsm *m, __u64 grace_ns);
void nsm_free(struct nsm *m);
struct nsm_ns *nsm_find(const struct nsm *m, __u64 id);
/* every namespace, dead ones too: start with *pos = 0; NULL at the end */
struct nsm_ns *nsm_next(const struct nsm *m, size_t *pos);
/* a live namespace by type (NSL_T_NONE: any) and inum */
struct nsm_ns *nsm_find_inum(const struct nsm *m, unsigned int type, __u32 inum);
/* known from a snapshot rather than an event: no creation history */
struct nsm_ns *nsm_seed(struct nsm *m, const struct nsl_ns *key);
int nsm_seed_pin(struct nsm *m, const struct nsl_ns *key, __u8 kind,
		 __u64 mntns, const char *path);
/*
 * Apply one event.  An umount names no namespace: when it matches a known
 * pin, e->ns is filled in.  Returns NSM_* flags, or -ENOMEM.
 */
int nsm_apply(struct nsm *m, struct nsl_event *e);
/*
 * Make the copies of pins into new mount namespaces that are still only
 * noted (nsmap.c, struct nsm_mntns): before reading any namespace's pins.
 * -ENOMEM if some could not be made.
 */
int nsm_settle(struct nsm *m);
/* drop the pins in mount namespaces the map does not know alive */
void nsm_prune_pins(struct nsm *m);
/*
 * A member (pid, comm, how at ts) in cgroup cgid, whose owner is o (NULL:
 * none).  Kept, one per namespace, if it says at least as much as the one
 * kept (owner_rank()): a container wins over a unit, the latest of equals
 * wins.  True if it was kept.
 */
bool nsm_note_user(struct nsm_ns *n, __u64 cgid, const struct nsl_owner *o,
		   __u32 pid, const char *comm, __u8 how, __u64 ts);
/* call fn for each namespace whose lingering check is due at now */
void nsm_due(struct nsm *m, __u64 now,
	     void (*fn)(void *ctx, struct nsm_ns *n), void *ctx);
/* the check's verdict: true if n changed state */
bool nsm_set_lingering(struct nsm_ns *n, bool lingering, __u64 now);
/* history in time order: up to max entries, returns how many */
size_t nsm_history(const struct nsm_ns *n, struct nsm_hist *out, size_t max);
/*
 * After lost events: every namespace the map holds alive for which
 * alive(ctx, key) says no died unseen.  fn gets a FREE event (how: scan)
 * for each, already applied to the map.
 */
void nsm_reconcile(struct nsm *m, __u64 now,
		   bool (*alive)(void *ctx, const struct nsl_ns *key),
		   void (*fn)(void *ctx, struct nsl_event *e), void *ctx);
/* namespaces alive in the map: fn for each */
void nsm_each(const struct nsm *m, void (*fn)(void *ctx, struct nsm_ns *n), void *ctx);

#endif
