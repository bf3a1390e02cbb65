// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "filter.h"
#include "parse.h"

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

/* decimal, like every number nslife reads (parse.h): "010" is 10 */
int nsl_filter_pid(struct nsl_filter *f, const char *s)
{
	int pid;
	int err = nsl_parse_pid(s, &pid);

	if (!err)
		f->pid = pid;
	return err;
}

int nsl_filter_id(struct nsl_filter *f, const char *s)
{
	return nsl_parse_u64(s, 1, ~0ULL, &f->id);
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
