/* SPDX-License-Identifier: GPL-2.0 */
/* nslife why: what timeline shares with it, and the reference accounting. */
#ifndef NSL_WHY_H
#define NSL_WHY_H

#include "nsspec.h"
#include "scan.h"

/*
 * NS, or -p PID -t TYPE, from what getopt left in argv at optind: 0, or
 * -EINVAL after one line naming what is wrong (why and timeline).
 */
int why_parse_ns(int argc, char **argv, const char *pid, const char *type,
		 struct nsspec *sp, const char *cmd);
/*
 * Gather the reference accounting of namespace i (why_set_refs) and turn
 * the unexplained references of an exact type into a kernel holder.
 */
void why_account(struct snap *s, int i);

#endif
