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
#include "traceopts.h"

#define OPT_NO_ROTATED	0x2000

struct replay {
	struct trace_opts o;		/* -t -p --id -J -T */
	bool no_rotated;
	bool bad;			/* anything damaged or unreadable */
	__u64 shown;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: nslife replay [options] FILE...\n"
"Print the events of logs written by 'nslife record'.  FILE stands for its\n"
"whole rotated set (FILE.1 ... beside it), put in order.\n\n"
"  -t, --type TYPE[,TYPE]  only these types: mnt net uts ipc pid user cgroup time\n"
"  -p, --pid PID           only events caused by or about this task\n"
"      --id ID             only this namespace id\n"
"  -J, --json              JSON Lines, one object per event (schema: docs/json.md)\n"
"  -T, --relative          seconds since the recording started\n"
"      --no-rotated        only the files named, not FILE.1 ... beside them\n"
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
	if (!e || !nsl_filter_match(&rp->o.col.filter, e))
		return;
	/* each file maps its own boot time: files may span reboots */
	rp->o.fmt.boot_to_real = (__s64)(rec->hdr->start_wall_ns -
				       rec->hdr->start_boot_ns);
	nsl_fmt_event(stdout, &rp->o.fmt, e);
	rp->shown++;
}

static int replay_one(void *ctx, int c, const char *arg)
{
	struct replay *rp = ctx;

	if (c == OPT_NO_ROTATED) {
		rp->no_rotated = true;
		return 1;
	}
	return trace_opt(&rp->o, c, arg);
}

static int parse_opts(int argc, char **argv, struct replay *rp)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "pid", required_argument, NULL, 'p' },
		{ "id", required_argument, NULL, TRACE_OPT_ID },
		{ "json", no_argument, NULL, 'J' },
		{ "relative", no_argument, NULL, 'T' },
		{ "no-rotated", no_argument, NULL, OPT_NO_ROTATED },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int err;

	optind = 0;	/* glibc: a full reset, as tests call us again */
	err = cmd_getopt_args(argc, argv, "replay", "t:p:JTh", longopts,
			      replay_one, rp, usage);
	if (!err && optind >= argc) {
		fprintf(stderr, "nslife: replay needs a log file (try 'nslife replay --help')\n");
		return -EINVAL;
	}
	return err;
}

int cmd_replay(int argc, char **argv)
{
	struct replay rp = { 0 };
	struct nsl_logset_ops ops = {
		.damage = on_damage, .fail = on_fail, .arg = &rp,
	};
	struct nsl_logset *ls = NULL;
	struct nsl_logset_rec rec;
	char **paths = NULL;
	int err, n = 0;

	if (parse_opts(argc, argv, &rp))
		return 2;
	/* FILE stands for its rotated set (FILE.1 ...) unless --no-rotated */
	if (rp.no_rotated) {
		err = nsl_logset_open(&ls, argv + optind, argc - optind,
				      NSL_LOGSET_SORT, &ops);
	} else {
		err = nsl_logset_expand_all(argv + optind, argc - optind, &paths, &n);
		if (!err)
			err = nsl_logset_open(&ls, paths, n, NSL_LOGSET_SORT, &ops);
	}
	if (err) {
		fprintf(stderr, "nslife: %s\n", nsl_log_strerror(err));
		nsl_logset_free_paths(paths, n);
		return 1;
	}
	nsl_fmt_header(stdout, &rp.o.fmt);
	while ((err = nsl_logset_next(ls, &rec)) > 0) {
		/* -T counts from the start of the first file */
		if (!rp.o.fmt.t0)
			rp.o.fmt.t0 = rec.hdr->start_boot_ns;
		show(&rp, &rec);
	}
	nsl_logset_close(ls);
	nsl_logset_free_paths(paths, n);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "nslife: writing output: %s\n", strerror(errno));
		return 1;
	}
	return rp.bad ? 1 : 0;
}
