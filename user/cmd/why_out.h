/* SPDX-License-Identifier: GPL-2.0 */
/* nslife why: the JSON and dot renderings. */
#ifndef NSL_WHY_OUT_H
#define NSL_WHY_OUT_H

#include "refacct.h"
#include "scan.h"

void why_json(const struct snap *s, int ns);
void why_json_dead(const struct nsl_ns *key);
void why_dot(const struct snap *s, int ns);

/*
 * Answering from a recorded log (--log): holders are what the log
 * recorded as of at_wall_ns, and the JSON says "source":"log" and "at".
 */
void why_set_log(__u64 at_wall_ns, __u64 at_boot_ns);
/* NULL when live, else TIME as text */
const char *why_log_at(void);
/*
 * The reference accounting of the namespace about to be shown (NULL: not
 * known, e.g. without BPF).
 */
void why_set_refs(const struct nsl_refacct *a);
const struct nsl_refacct *why_refs(void);
/* never seen in the log: "state":"unknown" */
void why_json_unknown(const struct nsl_ns *key);

#endif
