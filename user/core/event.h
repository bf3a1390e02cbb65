/* SPDX-License-Identifier: GPL-2.0 */
/* Names and validation of ABI records (bpf/nslife.h); no libbpf here. */
#ifndef NSL_EVENT_H
#define NSL_EVENT_H

#include <stddef.h>
#include <linux/types.h>
#include "nslife.h"
#include "nstype.h"

const char *nsl_kind_name(unsigned int kind);
int nsl_kind_parse(const char *s);
const char *nsl_how_name(unsigned int how);

/* the record size a kind must have, 0 for an unknown kind */
size_t nsl_kind_size(unsigned int kind);
/* a record from the ring buffer or a log: its size if sound, else -EINVAL */
int nsl_event_check(const void *rec, size_t len);
/*
 * The cgroup v2 id of the task behind a create (its creator) or a join
 * (the joining task), 0 when the record has none (other kinds, old logs)
 */
__u64 nsl_event_cgid(const struct nsl_event *e);
/* the path of mount records, NULL for others */
const char *nsl_event_path(const struct nsl_event *e);

#endif
