/* SPDX-License-Identifier: GPL-2.0 */
/* nslife why: how to release a holder, shared by every rendering. */
#ifndef NSL_WHY_HINT_H
#define NSL_WHY_HINT_H

#include <stdbool.h>
#include <stddef.h>
#include "nsmap.h"
#include "nsspec.h"
#include "refacct.h"
#include "scan.h"

/* chains deeper than this (a mount in a mount ns held by a mount ...) stop */
#define WHY_MAX_DEPTH	6

/* h keeps ns alive (a sysfs or mqueue mount refers to it but does not) */
bool why_pins(const struct snap_holder *h, int ns);
void why_release(const struct snap *s, const struct snap_holder *h, char *buf,
		 size_t size);
/* the owner's own tool (podman rm -f NAME, systemctl restart UNIT), or "" */
void why_release_owner(const struct snap *s, const struct snap_holder *h,
		       char *buf, size_t size);

/*
 * A namespace its container left behind: no member task, and its history
 * (hn, may be NULL) names the container that used it (history.used_by) or
 * made it.  " (left behind by podman container web (ebb42202cd3f), which
 * is gone)"; "" when not.
 */
void why_left_by(const struct snap *s, int ns, const struct nsm_ns *hn,
		 char *buf, size_t size);

/*
 * Nested levels (what holds the mount namespace a mount lives in) list at
 * most this many holders of each of these kinds: a host mount namespace
 * has every task of the host in it.
 */
#define WHY_NESTED_CAP	5
bool why_capped(int kind);

#endif
