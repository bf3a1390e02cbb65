/* SPDX-License-Identifier: GPL-2.0 */
/* overmounts: which mounts of a mount table are covered by later ones */
#ifndef NSL_MTAB_H
#define NSL_MTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <libmount/libmount.h>
#include "hash.h"

/*
 * Which mounts of a table are covered, from the table alone.  M is covered
 * when another mount N sits on M's mount point or on a directory above it,
 * N is not one of the mounts M itself sits on (its ancestors), and N hangs
 * from M or from one of M's ancestors: N was mounted over M's path later.
 */
struct mtab {
	struct libmnt_table *tb;
	int state;		/* 0: not built yet, 1: built, -1: failed */
	size_t n;
	int *id, *parent;	/* by table index; parent as an index, -1 */
	const char **target;
	struct nsl_hash by_target;	/* a target's hash -> its chain's first index */
	int *next;		/* the chains, by table index, -1 terminated */
};

/* mount m (table index) is covered; the index is built on first use */
bool mtab_covered(struct mtab *t, int m);
void mtab_free(struct mtab *t);

#endif
