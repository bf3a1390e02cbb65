// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"

static size_t slot(size_t size, __u64 key)
{
	/* Fibonacci hashing: the high bits of the product spread best */
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (size - 1);
}

/* the slot holding key, or the free one where it would go */
static size_t find(const struct nsl_hash *h, __u64 key)
{
	size_t j = slot(h->size, key);

	while (h->key[j] && h->key[j] != key)
		j = (j + 1) & (h->size - 1);
	return j;
}

static int grow(struct nsl_hash *h)
{
	struct nsl_hash n = { .size = h->size ? h->size * 2 : 256 };
	size_t j;

	n.key = calloc(n.size, sizeof(*n.key));
	n.val = malloc(n.size * sizeof(*n.val));
	if (!n.key || !n.val) {
		free(n.key);
		free(n.val);
		return -ENOMEM;
	}
	for (size_t i = 0; i < h->size; i++) {
		if (!h->key[i])
			continue;
		j = find(&n, h->key[i]);
		n.key[j] = h->key[i];
		n.val[j] = h->val[i];
	}
	free(h->key);
	free(h->val);
	h->key = n.key;
	h->val = n.val;
	h->size = n.size;
	return 0;
}

int nsl_hash_put(struct nsl_hash *h, __u64 key, __u64 val)
{
	size_t j;

	if (!key) {
		h->has_zero = true;
		h->zero_val = val;
		return 0;
	}
	if ((h->count + 1) * 2 > h->size && grow(h))
		return -ENOMEM;
	j = find(h, key);
	if (!h->key[j]) {
		h->key[j] = key;
		h->count++;
	}
	h->val[j] = val;
	return 0;
}

bool nsl_hash_get(const struct nsl_hash *h, __u64 key, __u64 *val)
{
	size_t j;

	if (!key) {
		if (h->has_zero)
			*val = h->zero_val;
		return h->has_zero;
	}
	if (!h->size)
		return false;
	j = find(h, key);
	if (!h->key[j])
		return false;
	*val = h->val[j];
	return true;
}

/* ideal lies cyclically in (i, k]: an entry at k that may not move to i */
static bool between(size_t i, size_t ideal, size_t k)
{
	return i <= k ? i < ideal && ideal <= k : i < ideal || ideal <= k;
}

bool nsl_hash_del(struct nsl_hash *h, __u64 key)
{
	size_t i, k;

	if (!key) {
		bool had = h->has_zero;

		h->has_zero = false;
		return had;
	}
	if (!h->size)
		return false;
	i = find(h, key);
	if (!h->key[i])
		return false;
	h->count--;
	/* shift back the entries of the run that probed past i */
	for (k = i;;) {
		h->key[i] = 0;
		do {
			k = (k + 1) & (h->size - 1);
			if (!h->key[k])
				return true;
		} while (between(i, slot(h->size, h->key[k]), k));
		h->key[i] = h->key[k];
		h->val[i] = h->val[k];
		i = k;
	}
}

bool nsl_hash_next(const struct nsl_hash *h, size_t *pos, __u64 *key, __u64 *val)
{
	for (; *pos < h->size; (*pos)++) {
		if (!h->key[*pos])
			continue;
		*key = h->key[*pos];
		*val = h->val[(*pos)++];
		return true;
	}
	/* key 0 last, at pos size */
	if (*pos == h->size && h->has_zero) {
		(*pos)++;
		*key = 0;
		*val = h->zero_val;
		return true;
	}
	return false;
}

void nsl_hash_free(struct nsl_hash *h)
{
	free(h->key);
	free(h->val);
	memset(h, 0, sizeof(*h));
}
