// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "dedup.h"

#define NSLOTS (NSL_DEDUP_SIZE * 2)
#define EMPTY 0ULL		/* id 0 is never a namespace id */
#define GONE (~0ULL)

static unsigned int hash(__u64 id)
{
	return (unsigned int)((id * 0x9e3779b97f4a7c15ULL) >> 40) & (NSLOTS - 1);
}

void nsl_dedup_init(struct nsl_dedup *d)
{
	memset(d, 0, sizeof(*d));
}

static int find(const struct nsl_dedup *d, __u64 id)
{
	for (unsigned int i = hash(id), n = 0; n < NSLOTS; i = (i + 1) & (NSLOTS - 1), n++) {
		if (d->slot[i] == EMPTY)
			return -1;
		if (d->slot[i] == id)
			return i;
	}
	return -1;
}

bool nsl_dedup_has(const struct nsl_dedup *d, __u64 id)
{
	return id && id != GONE && find(d, id) >= 0;
}

static void insert(struct nsl_dedup *d, __u64 id)
{
	unsigned int i = hash(id);

	while (d->slot[i] != EMPTY && d->slot[i] != GONE)
		i = (i + 1) & (NSLOTS - 1);
	d->slot[i] = id;
}

/* tombstones pile up; rebuild from the fifo when evicting */
static void rebuild(struct nsl_dedup *d)
{
	memset(d->slot, 0, sizeof(d->slot));
	for (unsigned int k = 0; k < d->count; k++)
		insert(d, d->fifo[(d->head + k) % NSL_DEDUP_SIZE]);
}

bool nsl_dedup_add(struct nsl_dedup *d, __u64 id)
{
	if (!id || id == GONE || find(d, id) >= 0)
		return false;
	if (d->count == NSL_DEDUP_SIZE) {
		int i = find(d, d->fifo[d->head]);

		if (i >= 0)
			d->slot[i] = GONE;
		d->head = (d->head + 1) % NSL_DEDUP_SIZE;
		d->count--;
		if ((d->head & 1023) == 0)
			rebuild(d);
	}
	d->fifo[(d->head + d->count) % NSL_DEDUP_SIZE] = id;
	d->count++;
	insert(d, id);
	return true;
}
