// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "filter.h"

int nsl_filter_types(struct nsl_filter *f, const char *list, const char **bad)
{
	static char tok[32];
	const char *p = list, *end;
	int t;

	if (!*list)
		goto invalid;
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		if ((size_t)(end - p) >= sizeof(tok))
			goto invalid;
		memcpy(tok, p, end - p);
		tok[end - p] = 0;
		t = nsl_type_parse(tok);
		if (t < 0)
			goto invalid;
		f->types |= 1u << t;
	}
	return 0;
invalid:
	if (bad)
		*bad = list;
	return -EINVAL;
}

static int parse_u64(const char *s, __u64 *v)
{
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

int nsl_filter_pid(struct nsl_filter *f, const char *s)
{
	__u64 v;

	if (parse_u64(s, &v) || !v || v > 0x7fffffff)
		return -EINVAL;
	f->pid = v;
	return 0;
}

int nsl_filter_id(struct nsl_filter *f, const char *s)
{
	__u64 v;

	if (parse_u64(s, &v) || !v)
		return -EINVAL;
	f->id = v;
	return 0;
}

bool nsl_filter_match(const struct nsl_filter *f, const struct nsl_event *e)
{
	/* lost markers concern every filter */
	if (e->h.kind == NSL_EV_LOST)
		return true;
	if (f->types && !(f->types & (1u << e->ns.type)))
		return false;
	if (f->pid && e->h.pid != f->pid && e->h.tid != f->pid &&
	    !((e->h.kind == NSL_EV_CREATE || e->h.kind == NSL_EV_JOIN ||
	       e->h.kind == NSL_EV_LEAVE) && e->arg == f->pid))
		return false;
	if (f->id && e->ns.id != f->id && e->aux.id != f->id)
		return false;
	return true;
}
