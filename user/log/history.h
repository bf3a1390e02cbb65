/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The history provider: where why, ls and timeline find the life of a
 * namespace (who made it, when its last member left, since when it
 * lingers, which mounts pin it).  In a daemon child it is the daemon's
 * live map, a copy-on-write view frozen at fork; in a one-shot command
 * there is none and the commands print what the snapshot alone tells.
 * Whoever rebuilds a map from elsewhere (a recorded log, say) sets it
 * here too and the same code paths answer from it.
 */
#ifndef NSL_HISTORY_H
#define NSL_HISTORY_H

#include <stdio.h>
#include <linux/types.h>
#include "nsmap.h"

/* the map, or NULL: no history in this process */
const struct nsm *nsl_history_map(void);
/* now: the map's "now" (CLOCK_BOOTTIME ns), 0 for the clock's */
void nsl_history_set(const struct nsm *m, __u64 now);
__u64 nsl_history_now(void);
/*
 * CLOCK_BOOTTIME to CLOCK_REALTIME: now's offset, unless set (a recorded
 * log maps its own boot clock, which may be another boot's)
 */
void nsl_history_set_clock(__s64 boot_to_real);
__s64 nsl_history_boot_to_real(void);

/* the entry for key: by id, else a live one by type and inum; NULL if none */
const struct nsm_ns *nsl_history_find(const struct nsl_ns *key);
/* by type (NSL_T_NONE: any) and inum, dead ones too: the newest */
const struct nsm_ns *nsl_history_find_any(int type, __u32 inum);
/* by id if key has one, else by type and inum (dead ones too) */
const struct nsm_ns *nsl_history_lookup(const struct nsl_ns *key);

/*
 * Whose it was by its history (n may be NULL): the container or pod that
 * used it, else the one that made it, else the user's or the creator's unit.
 */
const struct nsl_owner *nsl_history_owner(const struct nsm_ns *n);
const char *nsl_history_state(const struct nsm_ns *n);	/* alive, inactive, lingering, dead */
/* "2025-06-01T10:00:00Z" (UTC) from a CLOCK_BOOTTIME stamp */
void nsl_history_time(char *buf, size_t size, __u64 ts);
/* "42s", "5m", "3h", "2d": how long ago ts was; "" for ts 0 */
void nsl_history_age(char *buf, size_t size, __u64 ts);

/*
 * The map keeps the pins a namespace has, not the paths of past mounts:
 * a bounded ring (the latest NSL_HIST_PATHS mount, umount and proc_mount
 * events) does.  Feed it events after the map applied them (an umount
 * then names its namespace).
 */
#define NSL_HIST_PATHS	8192
void nsl_history_note_mount(const struct nsl_event *e);
/* the path of ns id's (u)mount event of this kind at ts, or NULL */
const char *nsl_history_mount_path(__u64 id, __u64 ts, unsigned int kind);

/* why: one "history: ..." line, and the JSON ",\"history\":{...}" */
void nsl_history_why_text(FILE *out, const struct nsm_ns *n);
void nsl_history_why_json(FILE *out, const struct nsm_ns *n);

#endif
