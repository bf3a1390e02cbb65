/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A map from 64-bit keys (inums, ids, mount ids) to 64-bit values
 * (indexes, pointers): open addressing (linear probing), at most half
 * full, grown by doubling; removal shifts the run back (no tombstones).
 * Zero-filled is empty and ready.
 */
#ifndef NSL_HASH_H
#define NSL_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct nsl_hash {
	__u64 *key;		/* 0: a free slot (key 0 lives in zero_val) */
	__u64 *val;
	size_t size, count;
	bool has_zero;
	__u64 zero_val;
};

/* add key, or replace its value; -ENOMEM */
int nsl_hash_put(struct nsl_hash *h, __u64 key, __u64 val);
/* true and *val if key is in */
bool nsl_hash_get(const struct nsl_hash *h, __u64 key, __u64 *val);
/* take key out; true if it was in */
bool nsl_hash_del(struct nsl_hash *h, __u64 key);
/*
 * Every entry, in no order: start with *pos = 0, false at the end.  Not
 * across a put or a del.
 */
bool nsl_hash_next(const struct nsl_hash *h, size_t *pos, __u64 *key, __u64 *val);
void nsl_hash_free(struct nsl_hash *h);

#endif
