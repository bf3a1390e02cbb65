/* SPDX-License-Identifier: GPL-2.0 */
/* One event as a text line or a JSON Lines object; the schema is in docs/json.md. */
#ifndef NSL_FORMAT_H
#define NSL_FORMAT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "nslife.h"

struct nsl_fmt {
	bool json;
	bool relative;		/* -T: seconds since t0 instead of wall clock */
	__u64 t0;		/* CLOCK_BOOTTIME ns of the start */
	__s64 boot_to_real;	/* add to a CLOCK_BOOTTIME ns to get epoch ns */
};

/* fill boot_to_real from the clocks now, t0 = now */
void nsl_fmt_clock_init(struct nsl_fmt *f);
void nsl_fmt_header(FILE *out, const struct nsl_fmt *f);
void nsl_fmt_event(FILE *out, const struct nsl_fmt *f, const struct nsl_event *e);
/* extra: more JSON keys (each starting with ',') or more text detail */
typedef void (*nsl_fmt_extra_fn)(FILE *out, bool json, void *ctx);
void nsl_fmt_event_ext(FILE *out, const struct nsl_fmt *f, const struct nsl_event *e,
		       nsl_fmt_extra_fn extra, void *ctx);
/* "net:[4026531840]" */
int nsl_fmt_ns(char *buf, size_t len, const struct nsl_ns *ns);

#endif
