/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TIME for `--at` (why, ls, timeline --log):
 *   2026-11-23T12:00:00[.fff][Z]   absolute; local time unless Z
 *   2026-11-23 12:00:00            the same, with a space
 *   12:00:00[.fff]  12:00          today, local time
 *   @1700000000[.5]                seconds since the epoch (UTC)
 *   -5m  -30s  -2h  -1d  -1.5s     before the END of the log
 *   end                            the end of the log (the default)
 * Pure: the caller passes "now" (for "today"); the local zone is libc's.
 */
#ifndef NSL_TIMESPEC_H
#define NSL_TIMESPEC_H

#include <stdbool.h>
#include <linux/types.h>

struct nsl_time {
	bool relative;		/* back_ns before the end of the log */
	__u64 wall_ns;		/* absolute: CLOCK_REALTIME ns */
	__u64 back_ns;
};

/*
 * 0, or -EINVAL with *why saying what is wrong in a few words.
 * now_wall_ns is CLOCK_REALTIME in ns, for the date of "HH:MM:SS".
 */
int nsl_time_parse(const char *s, __u64 now_wall_ns, struct nsl_time *t,
		   const char **why);
/* the instant meant, given when the log ends (CLOCK_REALTIME ns) */
__u64 nsl_time_resolve(const struct nsl_time *t, __u64 end_wall_ns);
/* "2026-11-23T12:00:00.123Z" */
void nsl_time_format(char *buf, size_t size, __u64 wall_ns);

#endif /* NSL_TIMESPEC_H */
