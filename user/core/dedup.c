// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "dedup.h"

void nsl_dedup_init(struct nsl_dedup *d)
{
	memset(d, 0, sizeof(*d));
}

void nsl_dedup_free(struct nsl_dedup *d)
{
	nsl_hash_free(&d->set);
}

bool nsl_dedup_has(const struct nsl_dedup *d, __u64 id)
{
	__u64 v;

	return id && nsl_hash_get(&d->set, id, &v);
}

bool nsl_dedup_add(struct nsl_dedup *d, __u64 id)
{
	if (!id || nsl_dedup_has(d, id))
		return false;
	/* full: the oldest goes */
	if (d->count == NSL_DEDUP_SIZE) {
		nsl_hash_del(&d->set, d->fifo[d->head]);
		d->head = (d->head + 1) % NSL_DEDUP_SIZE;
		d->count--;
	}
	/* out of memory: not remembered, so a second report may pass too */
	if (nsl_hash_put(&d->set, id, 1))
		return true;
	d->fifo[(d->head + d->count) % NSL_DEDUP_SIZE] = id;
	d->count++;
	return true;
}
