/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Owner records of a recorded log: which unit, container or pod a
 * creator's or a joiner's cgroup id named while the cgroup lived, so that
 * a log read after the container is gone still says whose namespaces they
 * were.
 *
 * They are snapshot records (struct nsl_log_snap) of their own type: the
 * log format did not change, readers that predate them skip them (as they
 * skip any snapshot type they do not know), and logs that predate them
 * read as "creator's (joiner's) container unknown".
 */
#ifndef NSL_LOGOWNER_H
#define NSL_LOGOWNER_H

#include <linux/types.h>
#include "hash.h"
#include "logwriter.h"
#include "nsmap.h"
#include "owner.h"

#define NSL_OWNER_REC_TYPE	2		/* struct nsl_log_snap.type */
#define NSL_OWNER_REC_MAGIC	"NSOW"
#define NSL_OWNER_REC_VERSION	1

struct nsl_owner_rec {
	char magic[4];			/* NSL_OWNER_REC_MAGIC */
	__u16 version;			/* NSL_OWNER_REC_VERSION */
	__u16 size;			/* sizeof(struct nsl_owner_rec) */
	__u64 cgid;			/* a creator's or joiner's cgroup id (v2) */
	__u8 runtime;			/* enum nsl_runtime */
	__u8 monitor;
	__u8 user_unit;
	__u8 qos;			/* 0 none, 1 guaranteed, 2 burstable, 3 besteffort */
	__u32 pad;
	char id[NSL_OWN_ID_LEN];
	char name[NSL_OWN_NAME_LEN];
	char unit[NSL_OWN_UNIT_LEN];
	char pod_uid[NSL_OWN_UID_LEN];
	char pod[NSL_OWN_NAME_LEN];
	char pod_ns[64];
};

/* the cgroups a writer has named already: each one once per recording */
struct nsl_owner_log {
	__u64 *done;
	size_t n, cap;
};

/*
 * Before a create or join record: the owner the collector named for the
 * cgroup of its task (nsl_event_cgid(); o: NULL if none), once per cgroup.
 */
int nsl_owner_log_event(struct nsl_owner_log *ol, struct nsl_log_writer *w,
			const struct nsl_event *e, const struct nsl_owner *o);
void nsl_owner_log_free(struct nsl_owner_log *ol);

/* a record's blob -> cgid and owner; -EINVAL if it is not one */
int nsl_owner_rec_decode(const void *blob, size_t len, __u64 *cgid,
			 struct nsl_owner *o);

/* a reader's cgroup id -> owner table */
struct nsl_owner_tab {
	struct nsl_hash by_cgid;	/* cgid -> index in o */
	struct nsl_owner **o;
	size_t n, cap;
};
int nsl_owner_tab_add(struct nsl_owner_tab *t, const void *blob, size_t len);
const struct nsl_owner *nsl_owner_tab_find(const struct nsl_owner_tab *t, __u64 cgid);
/* every namespace of m created from a cgroup the table names gets its owner */
void nsl_owner_tab_apply(const struct nsl_owner_tab *t, struct nsm *m);
/*
 * After nsm_apply(m, e): a join from a cgroup the table names (its record
 * comes before the join's) may name the namespace's user (nsm_note_user())
 */
void nsl_owner_tab_event(const struct nsl_owner_tab *t, struct nsm *m,
			 const struct nsl_event *e);
void nsl_owner_tab_free(struct nsl_owner_tab *t);

#endif
