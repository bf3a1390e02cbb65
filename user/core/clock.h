/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A clock's time as one number.  CLOCK_BOOTTIME is the clock of the BPF
 * side's bpf_ktime_get_boot_ns() and of the events' timestamps.
 */
#ifndef NSL_CLOCK_H
#define NSL_CLOCK_H

#include <time.h>
#include <linux/types.h>

static inline __u64 nsl_clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline __u64 nsl_clock_ms(clockid_t c)
{
	return nsl_clock_ns(c) / 1000000;
}

#endif
