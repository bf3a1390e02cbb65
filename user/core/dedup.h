/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded set of recently seen ids.  Several signals may report the same
 * death (the teardown work item, then the poll); the first one wins.
 */
#ifndef NSL_DEDUP_H
#define NSL_DEDUP_H

#include <stdbool.h>
#include <linux/types.h>
#include "hash.h"

#define NSL_DEDUP_SIZE 4096	/* power of two */

struct nsl_dedup {
	struct nsl_hash set;		/* id -> 1 */
	__u64 fifo[NSL_DEDUP_SIZE];	/* insertion order, for eviction */
	unsigned int head, count;
};

void nsl_dedup_init(struct nsl_dedup *d);
void nsl_dedup_free(struct nsl_dedup *d);
/* true if id was not in the set; it is in the set afterwards */
bool nsl_dedup_add(struct nsl_dedup *d, __u64 id);
bool nsl_dedup_has(const struct nsl_dedup *d, __u64 id);

#endif
