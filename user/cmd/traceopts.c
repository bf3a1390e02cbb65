// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "excl.h"
#include "parse.h"
#include "traceopts.h"

static int parse_grace(const char *arg, __u64 *grace)
{
	__u64 ns;
	int err = nsl_parse_sec(arg, 86400ULL * 1000000000ULL, &ns);

	if (err) {
		fprintf(stderr, "nslife: invalid grace '%s': %s (seconds, 0 to 86400)\n",
			arg, nsl_parse_why(err));
		return -EINVAL;
	}
	/* 0 means the default: --grace 0 becomes 1 ns */
	*grace = ns ? ns : 1;
	return 1;
}

/* one line naming the option, the value and what is wrong with it */
static int bad_number(const char *what, const char *arg, int err, const char *hint)
{
	fprintf(stderr, "nslife: invalid %s '%s': %s%s\n", what, arg, nsl_parse_why(err),
		hint);
	return -EINVAL;
}

int trace_opt(struct trace_opts *o, int c, const char *arg)
{
	const char *bad;
	unsigned int poll;
	int err;

	switch (c) {
	case 't':
		if (nsl_filter_types(&o->col.filter, arg, &bad)) {
			fprintf(stderr, "nslife: unknown namespace type in '%s'\n", bad);
			return -EINVAL;
		}
		return 1;
	case 'p':
		err = nsl_filter_pid(&o->col.filter, arg);
		return err ? bad_number("pid", arg, err, "") : 1;
	case TRACE_OPT_ID:
		err = nsl_filter_id(&o->col.filter, arg);
		return err ? bad_number("id", arg, err, "") : 1;
	case 'J':
		o->fmt.json = true;
		return 1;
	case 'T':
		o->fmt.relative = true;
		return 1;
	case TRACE_OPT_MODE:
		if (nsl_mode_parse(arg, &o->col.tracer.mode)) {
			fprintf(stderr, "nslife: unknown mode '%s' (auto, precise, tracepoint)\n",
				arg);
			return -EINVAL;
		}
		return 1;
	case TRACE_OPT_POLL:
		err = nsl_parse_uint(arg, 1, 3600 * 1000, &poll);
		if (err)
			return bad_number("poll period", arg, err, " (ms, 1 to 3600000)");
		o->col.tracer.poll_ms = poll;
		return 1;
	case 'v':
		o->col.tracer.verbose = true;
		return 1;
	case TRACE_OPT_GRACE:
		return parse_grace(arg, &o->col.grace);
	}
	return 0;
}

int logout_opt(struct log_out *l, int c, const char *arg)
{
	int err;

	switch (c) {
	case 'o':
		l->path = arg;
		return 1;
	case LOGOUT_OPT_FORCE:
		l->lo.force = true;
		return 1;
	case LOGOUT_OPT_MAX_SIZE:
		err = nsl_parse_size(arg, &l->lo.max_size);
		return err ? bad_number("size", arg, err,
					" (e.g. 4096, 64K, 10M, 1G)") : 1;
	case LOGOUT_OPT_KEEP:
		err = nsl_parse_uint(arg, 1, 1000, &l->lo.keep);
		return err ? bad_number("file count", arg, err, " (1 to 1000)") : 1;
	}
	return 0;
}

int logout_check(const struct log_out *l)
{
	if (l->lo.keep && !l->lo.max_size) {
		fprintf(stderr, "nslife: --keep needs --max-size\n");
		return -EINVAL;
	}
	return 0;
}

int cmd_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
	       const struct option *longopts,
	       int (*opt)(void *ctx, int c, const char *arg), void *ctx,
	       void (*usage)(FILE *f))
{
	int err = cmd_getopt_args(argc, argv, cmd, shortopts, longopts, opt,
				  ctx, usage);

	if (!err && optind < argc) {
		fprintf(stderr, "nslife: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return err;
}

int cmd_getopt_args(int argc, char **argv, const char *cmd, const char *shortopts,
		    const struct option *longopts,
		    int (*opt)(void *ctx, int c, const char *arg), void *ctx,
		    void (*usage)(FILE *f))
{
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		r = opt(ctx, c, optarg);
		if (r < 0)
			return r;
		if (r)
			continue;
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		nsl_opt_bad(cmd, longopts, argv[optind - 1], optopt);
		return -EINVAL;
	}
	return 0;
}
