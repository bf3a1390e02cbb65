// SPDX-License-Identifier: GPL-2.0
/*
 * nslife replay: the events of recorded logs, printed as `trace` prints
 * them.  Damage is reported one line per damaged run on stderr and skipped;
 * everything readable is still printed, and the exit status says whether
 * anything was lost (0 all good, 1 damage or unreadable files, 2 usage).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "filter.h"
#include "format.h"
#include "logread.h"

struct replay {
	struct nsl_fmt fmt;
	struct nsl_filter filter;
	bool bad;			/* anything damaged or unreadable */
	__u64 shown;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: nslife replay [options] FILE...\n"
"Print the events of logs written by 'nslife record'.  Give every file of a\n"
"rotated log (FILE FILE.1 ...) to replay it whole: they are put in order.\n\n"
"  -t, --type TYPE[,TYPE]  only these types: mnt net uts ipc pid user cgroup time\n"
"  -p, --pid PID           only events caused by or about this task\n"
"      --id ID             only this namespace id\n"
"  -J, --json              JSON Lines, one object per event (schema: docs/json.md)\n"
"  -T, --relative          seconds since the recording started\n"
"  -h, --help              this text\n\n"
"Damaged parts are skipped and reported on stderr; the exit status is 1 if\n"
"there were any.\n");
}

static void on_damage(void *arg, const struct nsl_log_damage *d)
{
	struct replay *rp = arg;

	rp->bad = true;
	fflush(stdout);
	switch (d->what) {
	case NSL_DMG_GAP:
		fprintf(stderr, "nslife: %s: rotated file(s) missing before it\n",
			d->path);
		break;
	case NSL_DMG_HEADER:
		fprintf(stderr, "nslife: %s: corrupt header at offset 0, skipped\n",
			d->path);
		break;
	default:
		fprintf(stderr, "nslife: %s: corrupt block at offset %llu, skipped\n",
			d->path, (unsigned long long)d->offset);
	}
}

static void on_fail(void *arg, const char *path, int err)
{
	struct replay *rp = arg;

	rp->bad = true;
	fflush(stdout);
	fprintf(stderr, "nslife: %s: %s\n", path, nsl_log_strerror(err));
}

/* a log-only lost marker prints as the `lost` event trace would show */
static void lost_event(struct nsl_event *e, const struct nsl_log_lost *l)
{
	memset(e, 0, sizeof(*e));
	e->h.kind = NSL_EV_LOST;
	e->h.size = sizeof(*e);
	e->h.ts = l->ts;
	e->val = l->count;
}

static void show(struct replay *rp, const struct nsl_logset_rec *rec)
{
	const struct nsl_event *e = rec->r.ev;
	struct nsl_event lost;

	if (rec->r.lost) {
		lost_event(&lost, rec->r.lost);
		e = &lost;
	}
	/* snapshots are state, not events: ls/why --log read them */
	if (!e || !nsl_filter_match(&rp->filter, e))
		return;
	/* each file maps its own boot time: files may span reboots */
	rp->fmt.boot_to_real = (__s64)(rec->hdr->start_wall_ns -
				       rec->hdr->start_boot_ns);
	nsl_fmt_event(stdout, &rp->fmt, e);
	rp->shown++;
}

static int parse_opts(int argc, char **argv, struct replay *rp)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "pid", required_argument, NULL, 'p' },
		{ "id", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'J' },
		{ "relative", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *bad;
	int c;

	opterr = 0;
	optind = 0;	/* glibc: a full reset, as tests call us again */
	while ((c = getopt_long(argc, argv, "t:p:JTh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (nsl_filter_types(&rp->filter, optarg, &bad)) {
				fprintf(stderr, "nslife: unknown namespace type in '%s'\n", bad);
				return -EINVAL;
			}
			break;
		case 'p':
			if (nsl_filter_pid(&rp->filter, optarg)) {
				fprintf(stderr, "nslife: invalid pid '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'i':
			if (nsl_filter_id(&rp->filter, optarg)) {
				fprintf(stderr, "nslife: invalid id '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'J':
			rp->fmt.json = true;
			break;
		case 'T':
			rp->fmt.relative = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "nslife: bad option '%s' (try 'nslife replay --help')\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "nslife: replay needs a log file (try 'nslife replay --help')\n");
		return -EINVAL;
	}
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct replay rp = { 0 };
	struct nsl_logset_ops ops = {
		.damage = on_damage, .fail = on_fail, .arg = &rp,
	};
	struct nsl_logset *ls = NULL;
	struct nsl_logset_rec rec;
	int err;

	err = parse_opts(argc, argv, &rp);
	if (err)
		return err > 0 ? 0 : 2;
	err = nsl_logset_open(&ls, argv + optind, argc - optind,
			      NSL_LOGSET_SORT, &ops);
	if (err) {
		fprintf(stderr, "nslife: %s\n", nsl_log_strerror(err));
		return 1;
	}
	nsl_fmt_header(stdout, &rp.fmt);
	while ((err = nsl_logset_next(ls, &rec)) > 0) {
		/* -T counts from the start of the first file */
		if (!rp.fmt.t0)
			rp.fmt.t0 = rec.hdr->start_boot_ns;
		show(&rp, &rec);
	}
	nsl_logset_close(ls);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "nslife: writing output: %s\n", strerror(errno));
		return 1;
	}
	return rp.bad ? 1 : 0;
}
