// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "mtab.h"

static __u64 str_hash(const char *s, size_t len)
{
	__u64 h = 5381;

	while (len--)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/*
 * Parent ids to table indexes through an id hash: one pass per mount was
 * quadratic, 330 mounts times 100 mount namespaces.
 */
static int link_parents(struct mtab *t, const int *pid)
{
	struct nsl_hash by_id = {};
	__u64 k;
	int err = 0;

	for (size_t i = 0; i < t->n && !err; i++)
		err = nsl_hash_put(&by_id, (__u32)t->id[i], i);
	for (size_t i = 0; i < t->n; i++)
		t->parent[i] = !err && nsl_hash_get(&by_id, (__u32)pid[i], &k) ? (int)k : -1;
	nsl_hash_free(&by_id);
	return err;
}

void mtab_free(struct mtab *t)
{
	free(t->id);
	free(t->parent);
	free(t->target);
	nsl_hash_free(&t->by_target);
	free(t->next);
}

static int mtab_build(struct mtab *t, struct libmnt_table *tb)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int *pid;
	size_t k;
	__u64 h, head;

	memset(t, 0, sizeof(*t));
	t->tb = tb;
	t->n = mnt_table_get_nents(tb);
	t->id = calloc(t->n + 1, sizeof(int));
	t->parent = calloc(t->n + 1, sizeof(int));
	t->target = calloc(t->n + 1, sizeof(char *));
	t->next = calloc(t->n + 1, sizeof(int));
	pid = calloc(t->n + 1, sizeof(int));
	if (!it || !t->id || !t->parent || !t->target || !t->next || !pid)
		goto fail;
	for (k = 0; k < t->n && mnt_table_next_fs(tb, it, &fs) == 0; k++) {
		t->id[k] = mnt_fs_get_id(fs);
		pid[k] = mnt_fs_get_parent_id(fs);
		t->target[k] = mnt_fs_get_target(fs) ? mnt_fs_get_target(fs) : "";
		h = str_hash(t->target[k], strlen(t->target[k]));
		t->next[k] = nsl_hash_get(&t->by_target, h, &head) ? (int)head : -1;
		if (nsl_hash_put(&t->by_target, h, k))
			goto fail;
	}
	t->n = k;
	if (link_parents(t, pid))
		goto fail;
	free(pid);
	mnt_free_iter(it);
	return 0;
fail:
	free(pid);
	mnt_free_iter(it);
	mtab_free(t);
	return -ENOMEM;
}

#define MAX_DEPTH 64

static bool in_chain(const int *chain, int depth, int k)
{
	for (int d = 0; d < depth; d++)
		if (chain[d] == k)
			return true;
	return false;
}

/* mounts whose target equals the first len bytes of path */
static bool covered_at(const struct mtab *t, int m, const int *chain, int depth,
		       const char *path, size_t len)
{
	__u64 head;

	/* same hash, maybe another string: the chain is compared in full */
	if (!nsl_hash_get(&t->by_target, str_hash(path, len), &head))
		return false;
	for (int k = (int)head; k >= 0; k = t->next[k]) {
		if (k == m || strlen(t->target[k]) != len ||
		    strncmp(t->target[k], path, len))
			continue;
		if (in_chain(chain, depth, k))
			continue;	/* M sits on it */
		if (t->parent[k] == m || in_chain(chain, depth, t->parent[k]))
			return true;
	}
	return false;
}

/* built on first use: with SNAP_MOUNT_COUNTS most tables never need it */
bool mtab_covered(struct mtab *t, int m)
{
	const char *path;
	int chain[MAX_DEPTH], depth = 0;
	size_t len;

	if (!t->state)
		t->state = mtab_build(t, t->tb) ? -1 : 1;
	if (t->state < 0)
		return false;
	path = t->target[m];
	len = strlen(path);

	for (int k = t->parent[m]; k >= 0 && depth < MAX_DEPTH; k = t->parent[k]) {
		if (in_chain(chain, depth, k))
			break;	/* a loop: the root mount is its own parent */
		chain[depth++] = k;
	}
	/* every prefix that ends a path component: "/", "/run", "/run/netns", ... */
	if (covered_at(t, m, chain, depth, "/", 1))
		return true;
	for (size_t l = 2; l <= len; l++) {
		if (l < len && path[l] != '/')
			continue;
		if (covered_at(t, m, chain, depth, path, l))
			return true;
	}
	return false;
}
