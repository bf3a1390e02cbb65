/* SPDX-License-Identifier: GPL-2.0 */
/* Gather a namespace's reference count and what explains it (BPF). */
#ifndef NSL_REFS_H
#define NSL_REFS_H

#include "refacct.h"
#include "scan.h"

/*
 * Fill @a for the ns at index @i of @s and compute it.  -EOPNOTSUPP:
 * no BPF (not root, no BTF), -ENOENT: no way to read its count.
 */
int snap_refacct(const struct snap *s, int i, struct nsl_refacct *a);

#endif
