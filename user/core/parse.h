/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one number parser for options and specs (pids, ids, inums, sizes,
 * counts, periods): decimal only, so "010" is ten everywhere; no sign, no
 * blanks, no base prefix, no trailing junk.  Pure.
 */
#ifndef NSL_PARSE_H
#define NSL_PARSE_H

#include <linux/types.h>

/*
 * s as a decimal number in [min, max]: 0 and *v; -EINVAL when s is empty,
 * signed or has junk; -ERANGE when it is out of [min, max] (or of 64 bits).
 */
int nsl_parse_u64(const char *s, __u64 min, __u64 max, __u64 *v);
/* the same for an unsigned int, a pid (1 to INT_MAX) */
int nsl_parse_uint(const char *s, unsigned int min, unsigned int max, unsigned int *v);
int nsl_parse_pid(const char *s, int *pid);
/* "4096", "64K", "10M", "1G" (powers of 1024), at least 1 */
int nsl_parse_size(const char *s, __u64 *v);
/* "2", "0.5", "1.25": seconds with up to 9 decimals, as ns, at most max_ns */
int nsl_parse_sec(const char *s, __u64 max_ns, __u64 *ns);
/* what is wrong with s, for "nslife: invalid pid '%s' (...)": err from above */
const char *nsl_parse_why(int err);

#endif
