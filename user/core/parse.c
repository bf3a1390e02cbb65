// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include "parse.h"

/* digits up to the first non-digit: 0, -EINVAL (none), -ERANGE (> 64 bits) */
static int digits(const char **s, __u64 *v)
{
	const char *p = *s;
	__u64 n = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (~0ULL - (*p - '0')) / 10)
			return -ERANGE;
		n = n * 10 + (*p - '0');
	}
	*s = p;
	*v = n;
	return 0;
}

int nsl_parse_u64(const char *s, __u64 min, __u64 max, __u64 *v)
{
	__u64 n;
	int err;

	if (!s)
		return -EINVAL;
	err = digits(&s, &n);
	/* junk after an overflow is still junk */
	while (err == -ERANGE && *s >= '0' && *s <= '9')
		s++;
	if (*s)
		return -EINVAL;
	if (err)
		return err;
	if (n < min || n > max)
		return -ERANGE;
	*v = n;
	return 0;
}

int nsl_parse_uint(const char *s, unsigned int min, unsigned int max, unsigned int *v)
{
	__u64 n;
	int err = nsl_parse_u64(s, min, max, &n);

	if (!err)
		*v = n;
	return err;
}

int nsl_parse_pid(const char *s, int *pid)
{
	__u64 n;
	int err = nsl_parse_u64(s, 1, INT_MAX, &n);

	if (!err)
		*pid = n;
	return err;
}

int nsl_parse_size(const char *s, __u64 *v)
{
	unsigned int shift = 0;
	__u64 n;
	int err;

	if (!s)
		return -EINVAL;
	err = digits(&s, &n);
	if (err)
		return err == -ERANGE && *s >= '0' && *s <= '9' ? -ERANGE : err;
	switch (*s) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 0:
		break;
	default:
		return -EINVAL;
	}
	if (shift && s[1])
		return -EINVAL;
	if (!n || n > (~0ULL >> shift))
		return -ERANGE;
	*v = n << shift;
	return 0;
}

int nsl_parse_sec(const char *s, __u64 max_ns, __u64 *ns)
{
	__u64 sec, frac = 0, scale = 1000000000ULL;
	int err;

	if (!s)
		return -EINVAL;
	err = digits(&s, &sec);
	if (err)
		return err;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		for (; *s >= '0' && *s <= '9'; s++) {
			scale /= 10;
			/* digits past the ns are dropped */
			frac += (*s - '0') * scale;
		}
	}
	if (*s)
		return -EINVAL;
	if (sec > max_ns / 1000000000ULL || sec * 1000000000ULL + frac > max_ns)
		return -ERANGE;
	*ns = sec * 1000000000ULL + frac;
	return 0;
}

const char *nsl_parse_why(int err)
{
	return err == -ERANGE ? "out of range" : "not a decimal number";
}
