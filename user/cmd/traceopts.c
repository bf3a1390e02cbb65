// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "traceopts.h"

static int parse_grace(const char *arg, __u64 *grace)
{
	char *end;
	double sec = strtod(arg, &end);
	__u64 ns;

	if (*end || end == arg || sec < 0 || sec > 86400) {
		fprintf(stderr, "nslife: invalid grace '%s' (seconds)\n", arg);
		return -EINVAL;
	}
	ns = sec * 1e9;
	/* 0 means the default: --grace 0 becomes 1 ns */
	*grace = ns ? ns : 1;
	return 1;
}

int trace_opt(struct trace_opts *o, int c, const char *arg)
{
	const char *bad;

	switch (c) {
	case 't':
		if (nsl_filter_types(&o->col.filter, arg, &bad)) {
			fprintf(stderr, "nslife: unknown namespace type in '%s'\n", bad);
			return -EINVAL;
		}
		return 1;
	case 'p':
		if (nsl_filter_pid(&o->col.filter, arg)) {
			fprintf(stderr, "nslife: invalid pid '%s'\n", arg);
			return -EINVAL;
		}
		return 1;
	case TRACE_OPT_ID:
		if (nsl_filter_id(&o->col.filter, arg)) {
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
		if (nsl_mode_parse(arg, &o->col.tracer.mode)) {
			fprintf(stderr, "nslife: unknown mode '%s' (auto, precise, tracepoint)\n",
				arg);
			return -EINVAL;
		}
		return 1;
	case TRACE_OPT_POLL:
		o->col.tracer.poll_ms = atoi(arg);
		if (o->col.tracer.poll_ms <= 0) {
			fprintf(stderr, "nslife: invalid poll period '%s'\n", arg);
			return -EINVAL;
		}
		return 1;
	case 'v':
		o->col.tracer.verbose = true;
		return 1;
	case TRACE_OPT_GRACE:
		return parse_grace(arg, &o->col.grace);
	}
	return 0;
}

int parse_size(const char *s, __u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtoull(s, &end, 10);
	if (errno || !v)
		return -EINVAL;
	switch (*end) {
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
	if (shift && *++end)
		return -EINVAL;
	if (v > (~0ull >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int parse_keep(const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !*s || *s == '-' || v < 1 || v > 1000)
		return -EINVAL;
	*out = v;
	return 0;
}

int logout_opt(struct log_out *l, int c, const char *arg)
{
	switch (c) {
	case 'o':
		l->path = arg;
		return 1;
	case LOGOUT_OPT_FORCE:
		l->lo.force = true;
		return 1;
	case LOGOUT_OPT_MAX_SIZE:
		if (parse_size(arg, &l->lo.max_size)) {
			fprintf(stderr, "nslife: invalid size '%s' (e.g. 4096, 64K, 10M, 1G)\n",
				arg);
			return -EINVAL;
		}
		return 1;
	case LOGOUT_OPT_KEEP:
		if (parse_keep(arg, &l->lo.keep)) {
			fprintf(stderr, "nslife: invalid file count '%s' (1 to 1000)\n", arg);
			return -EINVAL;
		}
		return 1;
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
		fprintf(stderr, "nslife: bad option '%s' (try 'nslife %s --help')\n",
			argv[optind - 1], cmd);
		return -EINVAL;
	}
	return 0;
}
