/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lingering namespaces: alive after their creating task and every member
 * task exited.  The live map (nsmap) says when to look; a discovery
 * snapshot says whether any task is still in it and what holds it.
 */
#ifndef NSL_LINGER_H
#define NSL_LINGER_H

#include <stdbool.h>
#include <stdio.h>
#include "nsmap.h"
#include "scan.h"

/* what the map needs from a snapshot: namespaces and their mount pins */
int linger_seed(struct nsm *m, const struct snap *s, bool initial);

/* a namespace found lingering (or no longer): e is ready to print */
typedef void (*linger_emit_fn)(void *ctx, struct nsl_event *e,
			       const struct snap *s, int idx);
/* run the checks due at now (CLOCK_BOOTTIME ns); scans only if one is due */
int linger_check(struct nsm *m, __u64 now, linger_emit_fn emit, void *ctx);

/* the holders of s->ns[idx]: JSON keys (",\"holders\":[...]") or text */
void linger_print_holders(FILE *out, bool json, const struct snap *s, int idx);

#endif
