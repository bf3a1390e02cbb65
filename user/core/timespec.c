// SPDX-License-Identifier: GPL-2.0
/* Parsing TIME for --at (timespec.h).  No syscalls but libc's time zone. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "timespec.h"

#define NS	1000000000ULL

/* exactly n digits into *v; the cursor moves past them */
static bool digits(const char **p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		x = x * 10 + (*p)[i] - '0';
	}
	*p += n;
	*v = x;
	return true;
}

/* ".fff" (1 to 9 digits) into ns; nothing there is 0 */
static bool fraction(const char **p, __u64 *ns)
{
	__u64 scale = NS / 10;
	const char *q = *p;

	*ns = 0;
	if (*q != '.')
		return true;
	q++;
	if (*q < '0' || *q > '9')
		return false;
	for (; *q >= '0' && *q <= '9'; q++) {
		if (!scale)
			return false;	/* finer than a nanosecond */
		*ns += (__u64)(*q - '0') * scale;
		scale /= 10;
	}
	*p = q;
	return true;
}

/* "HH:MM[:SS[.fff]]" into tm's time fields and ns */
static bool clock_part(const char **p, struct tm *tm, __u64 *ns)
{
	*ns = 0;
	tm->tm_sec = 0;
	if (!digits(p, 2, &tm->tm_hour) || **p != ':')
		return false;
	(*p)++;
	if (!digits(p, 2, &tm->tm_min))
		return false;
	if (**p == ':') {
		(*p)++;
		if (!digits(p, 2, &tm->tm_sec) || !fraction(p, ns))
			return false;
	}
	return tm->tm_hour < 24 && tm->tm_min < 60 && tm->tm_sec < 61;
}

/* tm in UTC or local time to ns since the epoch; false if impossible */
static bool to_ns(struct tm *tm, bool utc, __u64 frac, __u64 *out)
{
	struct tm want = *tm;
	time_t t;

	tm->tm_isdst = -1;
	t = utc ? timegm(tm) : mktime(tm);
	/* mktime normalises Feb 30 into March: refuse what moved */
	if (t == (time_t)-1 || t < 0 || tm->tm_mday != want.tm_mday ||
	    tm->tm_mon != want.tm_mon || tm->tm_year != want.tm_year)
		return false;
	*out = (__u64)t * NS + frac;
	return true;
}

static int parse_abs(const char *s, struct nsl_time *t, const char **why)
{
	struct tm tm = {};
	const char *p = s;
	__u64 frac;
	int year;

	*why = "expected YYYY-MM-DDTHH:MM:SS[.fff][Z]";
	if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &tm.tm_mon) ||
	    *p++ != '-' || !digits(&p, 2, &tm.tm_mday) || (*p != 'T' && *p != ' '))
		return -EINVAL;
	p++;
	if (!clock_part(&p, &tm, &frac))
		return -EINVAL;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || year < 1970)
		return -EINVAL;
	tm.tm_year = year - 1900;
	tm.tm_mon--;
	if (*p && strcmp(p, "Z"))
		return -EINVAL;
	if (!to_ns(&tm, *p == 'Z', frac, &t->wall_ns)) {
		*why = "no such date";
		return -EINVAL;
	}
	return 0;
}

/* "HH:MM[:SS]": that time of the day now_ns falls on, local time */
static int parse_today(const char *s, __u64 now_ns, struct nsl_time *t,
		       const char **why)
{
	time_t now = now_ns / NS;
	struct tm tm;
	const char *p = s;
	__u64 frac;

	*why = "expected HH:MM[:SS[.fff]]";
	localtime_r(&now, &tm);
	if (!clock_part(&p, &tm, &frac) || *p)
		return -EINVAL;
	if (!to_ns(&tm, false, frac, &t->wall_ns)) {
		*why = "no such time today";
		return -EINVAL;
	}
	return 0;
}

static int parse_epoch(const char *s, struct nsl_time *t, const char **why)
{
	const char *p = s + 1;
	__u64 sec = 0, frac;

	*why = "expected @SECONDS[.fff]";
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (sec > (~0ULL / NS - 10) / 10)
			return -EINVAL;
		sec = sec * 10 + (*p - '0');
	}
	if (!fraction(&p, &frac) || *p)
		return -EINVAL;
	t->wall_ns = sec * NS + frac;
	return 0;
}

/* "-5m": a number (fraction allowed) and one unit of s, m, h, d */
static int parse_rel(const char *s, struct nsl_time *t, const char **why)
{
	static const struct { char c; __u64 ns; } units[] = {
		{ 's', NS }, { 'm', 60 * NS }, { 'h', 3600 * NS }, { 'd', 86400 * NS },
	};
	const char *p = s + 1;
	__u64 whole = 0, frac, unit = 0;

	*why = "expected -N[.N]s, -Nm, -Nh or -Nd";
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > 1000000000ULL)
			return -EINVAL;
		whole = whole * 10 + (*p - '0');
	}
	if (!fraction(&p, &frac))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (*p == units[i].c)
			unit = units[i].ns;
	if (!unit || p[1])
		return -EINVAL;
	if (whole > ~0ULL / unit / 2) {
		*why = "too far back";
		return -EINVAL;
	}
	t->relative = true;
	/* frac is billionths of one unit */
	t->back_ns = whole * unit + frac * (unit / NS);
	return 0;
}

int nsl_time_parse(const char *s, __u64 now_wall_ns, struct nsl_time *t,
		   const char **why)
{
	memset(t, 0, sizeof(*t));
	*why = "empty";
	if (!s || !*s)
		return -EINVAL;
	if (!strcmp(s, "end")) {
		t->relative = true;
		return 0;
	}
	if (s[0] == '-')
		return parse_rel(s, t, why);
	if (s[0] == '@')
		return parse_epoch(s, t, why);
	if (strlen(s) >= 5 && s[2] == ':')
		return parse_today(s, now_wall_ns, t, why);
	return parse_abs(s, t, why);
}

__u64 nsl_time_resolve(const struct nsl_time *t, __u64 end_wall_ns)
{
	if (!t->relative)
		return t->wall_ns;
	return end_wall_ns > t->back_ns ? end_wall_ns - t->back_ns : 0;
}

void nsl_time_format(char *buf, size_t size, __u64 wall_ns)
{
	time_t sec = wall_ns / NS;
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03lluZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (unsigned long long)(wall_ns % NS) / 1000000);
}
