// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "traceopts.h"

int trace_opt(struct trace_opts *o, int c, const char *arg)
{
	const char *bad;

	switch (c) {
	case 't':
		if (nsl_filter_types(&o->filter, arg, &bad)) {
			fprintf(stderr, "nslife: unknown namespace type in '%s'\n", bad);
			return -EINVAL;
		}
		return 1;
	case 'p':
		if (nsl_filter_pid(&o->filter, arg)) {
			fprintf(stderr, "nslife: invalid pid '%s'\n", arg);
			return -EINVAL;
		}
		return 1;
	case TRACE_OPT_ID:
		if (nsl_filter_id(&o->filter, arg)) {
			fprintf(stderr, "nslife: invalid id '%s'\n", arg);
			return -EINVAL;
		}
		return 1;
	case 'J':
		o->fmt.json = true;
		return 1;
	case 'T':
		o->fmt.relative = true;
		return 1;
	case TRACE_OPT_MODE:
		if (nsl_mode_parse(arg, &o->tracer.mode)) {
			fprintf(stderr, "nslife: unknown mode '%s' (auto, precise, tracepoint)\n",
				arg);
			return -EINVAL;
		}
		return 1;
	case TRACE_OPT_POLL:
		o->tracer.poll_ms = atoi(arg);
		if (o->tracer.poll_ms <= 0) {
			fprintf(stderr, "nslife: invalid poll period '%s'\n", arg);
			return -EINVAL;
		}
		return 1;
	case 'v':
		o->tracer.verbose = true;
		return 1;
	}
	return 0;
}
