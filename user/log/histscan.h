/* SPDX-License-Identifier: GPL-2.0 */
/* The scan and the history: namespaces only the daemon's live map knows. */
#ifndef NSL_HISTSCAN_H
#define NSL_HISTSCAN_H

#include "scan.h"

/* before 6.18: add the live map's namespaces the scan did not find */
void nsl_history_fill_snap(struct snap *s);

#endif
