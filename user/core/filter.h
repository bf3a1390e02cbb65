/* SPDX-License-Identifier: GPL-2.0 */
/* trace/replay/record filters: -t TYPE[,TYPE] -p PID --id ID */
#ifndef NSL_FILTER_H
#define NSL_FILTER_H

#include <stdbool.h>
#include <linux/types.h>
#include "nslife.h"

struct nsl_filter {
	__u32 types;		/* bit per enum nsl_type; 0 = all */
	__u32 pid;		/* 0 = any */
	__u64 id;		/* 0 = any */
};

/* "net,mnt" → bits; -EINVAL naming nothing known, with *bad set to it */
int nsl_filter_types(struct nsl_filter *f, const char *list, const char **bad);
int nsl_filter_pid(struct nsl_filter *f, const char *s);
int nsl_filter_id(struct nsl_filter *f, const char *s);
bool nsl_filter_match(const struct nsl_filter *f, const struct nsl_event *e);

#endif
