/* SPDX-License-Identifier: GPL-2.0 */
/* libbpf side of bpf/inspect.bpf.c, plugged into the scan as its inspector. */
#ifndef NSL_USER_INSPECT_H
#define NSL_USER_INSPECT_H

#include <linux/types.h>
#include "inspect_abi.h"

/* let snap_scan() ask BPF (loaded on first use; root only) */
void nsl_inspect_enable(void);
/* load the reference-accounting programs too (why); before the first scan */
void nsl_inspect_want_refs(void);
/* a daemon: load now, for its forked queries to share (under locks) */
void nsl_inspect_preload(void);

#endif
