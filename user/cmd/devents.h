/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's events for log pipelines (--events json|journal): every
 * lingering, free and lost event, with the host and boot id so records
 * from many hosts merge.  json: trace --json's objects (its formatter) on
 * stdout, one per line.  journal: structured entries (sd_journal_sendv)
 * with NSLIFE_* fields, found by `journalctl NSLIFE_EVENT=lingering`.
 */
#ifndef NSL_DEVENTS_H
#define NSL_DEVENTS_H

#include <stdbool.h>
#include "format.h"
#include "scan.h"

enum { DEVENTS_NONE, DEVENTS_JSON, DEVENTS_JOURNAL };

struct devents {
	int mode;
	/* private */
	struct nsl_fmt fmt;
	char host[256];
	char boot_id[40];
	unsigned long long sent, failed;
	int err;			/* the first send error, said once */
};

#define DEVENTS_OPT	0x2200
#define DEVENTS_LONGOPTS { "events", required_argument, NULL, DEVENTS_OPT }
#define DEVENTS_HELP							\
"      --events json|journal  lingering, free and lost events as JSON Lines\n" \
"                          on stdout (trace --json's schema) or to journald\n"

int devents_opt(struct devents *ev, int c, const char *arg);
/* host, boot id, clocks */
void devents_open(struct devents *ev);
/* s, idx: the snapshot entry that explains a lingering event, else NULL */
void devents_event(struct devents *ev, const struct nsl_event *e,
		   const struct snap *s, int idx);

#endif
