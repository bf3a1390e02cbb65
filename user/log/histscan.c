// SPDX-License-Identifier: GPL-2.0
/*
 * Before 6.18 the kernel lists no namespaces, so a one-shot scan sees
 * only those something visible holds.  A daemon's live map has every
 * namespace the tracer saw created and not yet freed: the scan takes the
 * ones it missed from there (in a daemon child, where the map is the
 * history provider).
 */
#include <stdlib.h>
#include <string.h>
#include "history.h"
#include "histscan.h"

static void fill_one(void *ctx, struct nsm_ns *n)
{
	struct snap *s = ctx;
	struct snap_holder *h;
	int i;

	if (n->state == NSM_DEAD || n->key.type == NSL_T_NONE || !n->key.inum)
		return;
	if (snap_find(s, n->key.type, n->key.inum, 0) >= 0)
		return;
	i = snap_add_ns(s, n->key.type, n->key.inum, -1);
	if (i < 0)
		return;
	s->ns[i].key.id = n->key.id;
	s->ns[i].flags |= SNAP_NF_ENUM;
	h = snap_add_holder(s, SNAP_H_KERNEL, i);
	if (!h)
		return;
	h->detail = strdup("the tracer saw it created and not freed, and no task, fd or mount of any process holds it: an open file (/proc/PID/net, tun), an fd in flight or a kernel user");
	s->ns[i].nhold[SNAP_H_KERNEL]++;
}

void nsl_history_fill_snap(struct snap *s)
{
	const struct nsm *m = nsl_history_map();

	if (!m || s->enum_how != SNAP_E_NONE)
		return;
	nsm_each(m, fill_one, s);
	s->enum_how = SNAP_E_HISTORY;
}
