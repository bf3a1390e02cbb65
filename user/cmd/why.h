/* SPDX-License-Identifier: GPL-2.0 */
/* nslife why: release hints and the JSON and dot renderings. */
#ifndef NSL_WHY_H
#define NSL_WHY_H

#include <stddef.h>
#include "nsspec.h"
#include "refacct.h"
#include "scan.h"

/*
 * NS, or -p PID -t TYPE, from what getopt left in argv at optind: 0, or
 * -EINVAL after one line naming what is wrong (why and timeline).
 */
int why_parse_ns(int argc, char **argv, const char *pid, const char *type,
		 struct nsspec *sp, const char *cmd);

void why_release(const struct snap *s, const struct snap_holder *h, char *buf,
		 size_t size);
/* the owner's own tool (podman rm -f NAME, systemctl restart UNIT), or "" */
void why_release_owner(const struct snap *s, const struct snap_holder *h,
		       char *buf, size_t size);
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
 * known, e.g. without BPF); why_account() gathers it and turns the
 * unexplained references of an exact type into a kernel holder.
 */
void why_set_refs(const struct nsl_refacct *a);
const struct nsl_refacct *why_refs(void);
void why_account(struct snap *s, int i);

/* never seen in the log: "state":"unknown" */
void why_json_unknown(const struct nsl_ns *key);

/*
 * Nested levels (what holds the mount namespace a mount lives in) list at
 * most this many holders of each of these kinds: a host mount namespace
 * has every task of the host in it.
 */
#define WHY_NESTED_CAP	5
bool why_capped(int kind);

#endif
