// SPDX-License-Identifier: GPL-2.0
/*
 * nslife daemon: the collector (tracer, live map, lingering checks) in a
 * foreground loop, optionally recording its event stream to a log, and
 * serving queries on a UNIX socket (protocol: request.h).
 *
 * Each query runs in a forked child (dquery.c): it sees the map as it stood at the
 * fork (copy-on-write), makes the client's stdout and stderr its own, runs
 * the normal ls/why/timeline code with the map as its history provider
 * (history.h) and exits; the parent reaps it and sends the exit status
 * back.  So output is the same with and without the daemon.
 *
 * The parent never waits on a client: sockets are non-blocking, a request
 * has REQ_TIMEOUT_MS to arrive, and SIGIO and SIGCHLD cut the ring-buffer
 * wait short so that a query is picked up at once.
 *
 * Security: the socket is 0600 and every peer's uid (SO_PEERCRED) must be
 * 0 or one of --allow-uid; others get one refusal line, never a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "client.h"
#include "collector.h"
#include "commands.h"
#include "devents.h"
#include "dquery.h"
#include "dmetrics.h"
#include "history.h"
#include "inspect.h"
#include "logwriter.h"
#include "parse.h"
#include "recorder.h"
#include "request.h"
#include "server.h"
#include "snapio.h"
#include "traceopts.h"

#define POLL_MS			100

#define OPT_SOCKET	0x2000
#define OPT_ALLOW	0x2001

struct daemon {
	struct collector c;
	struct trace_opts o;		/* c.o is o.col once parsed */
	const char *path;
	struct nsl_listener l;		/* the socket */
	/* recording */
	struct log_out out;
	struct recorder rec;		/* -o: the log */
	struct dmetrics metrics;
	struct devents events;
	struct dquery q;		/* the queries */
};

static volatile sig_atomic_t exiting;

static void on_stop(int sig)
{
	exiting = 1;
}

/* SIGIO, SIGCHLD: only to interrupt the ring-buffer wait */
static void on_wake(int sig)
{
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: nslife daemon [options]\n"
"Trace namespace lifecycles, keep their history, and answer 'nslife ls',\n"
"'why' and 'timeline' on a UNIX socket (foreground; SIGTERM stops it).\n\n"
"      --socket PATH       where to listen (default " NSL_SOCKET_DEFAULT ")\n"
"      --allow-uid UID     also serve this user (root always); repeatable\n"
"  -o, --output FILE       also record the event stream to FILE (0600)\n"
"      --force             replace FILE if it exists\n"
"      --max-size SIZE     rotate once FILE would pass SIZE bytes (K, M, G)\n"
"      --keep N            files kept on rotation (with --max-size)\n"
"      --grace SEC         flag a namespace lingering SEC seconds after its\n"
"                          last member exited (default 2)\n"
"  -t, --type TYPE[,TYPE]  record only these types\n"
"  -p, --pid PID           record only events caused by or about this task\n"
"      --id ID             record only this namespace id\n"
"      --mode MODE         attach strategy: auto (default), precise, tracepoint\n"
"  -v, --verbose           hooks, libbpf's messages, and one line per query\n"
DMETRICS_HELP
DEVENTS_HELP
"  -h, --help              this text\n");
}

static int parse_uid(const char *s, uid_t *uid)
{
	struct passwd *pw;
	unsigned int v;

	if (!nsl_parse_uint(s, 0, (uid_t)-2, &v)) {
		*uid = v;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw)
		return -EINVAL;
	*uid = pw->pw_uid;
	return 0;
}

static int bad_value(const char *what, const char *arg)
{
	fprintf(stderr, "nslife: invalid %s '%s'\n", what, arg);
	return -EINVAL;
}

/* options of the daemon itself; 1 if c was one, -EINVAL on a bad value */
static int daemon_opt(struct daemon *d, int c, const char *arg)
{
	switch (c) {
	case OPT_SOCKET:
		d->path = arg;
		return 1;
	case OPT_ALLOW:
		if (d->q.nallow == MAX_ALLOW)
			return bad_value("uid (too many)", arg);
		if (parse_uid(arg, &d->q.allow[d->q.nallow]))
			return bad_value("uid", arg);
		d->q.nallow++;
		return 1;
	case 'J': case 'T':
		fprintf(stderr, "nslife: -%c is for trace and replay; the daemon's events: --events json\n", c);
		return -EINVAL;
	}
	return 0;
}

static int daemon_one(void *ctx, int c, const char *arg)
{
	struct daemon *d = ctx;
	int r = daemon_opt(d, c, arg);

	if (!r)
		r = dmetrics_opt(&d->metrics, c, arg);
	if (!r)
		r = devents_opt(&d->events, c, arg);
	if (!r)
		r = logout_opt(&d->out, c, arg);
	if (!r)
		r = trace_opt(&d->o, c, arg);
	return r;
}

static int parse_opts(int argc, char **argv, struct daemon *d)
{
	static const struct option longopts[] = {
		TRACE_LONGOPTS,
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "allow-uid", required_argument, NULL, OPT_ALLOW },
		LOGOUT_LONGOPTS,
		DMETRICS_LONGOPTS,
		DEVENTS_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int err = cmd_getopt(argc, argv, "daemon",
			     TRACE_SHORTOPTS LOGOUT_SHORTOPTS "h", longopts,
			     daemon_one, d, usage);

	if (err)
		return err;
	if (logout_check(&d->out) || dmetrics_check(&d->metrics))
		return -EINVAL;
	d->c.o = d->o.col;
	d->q.verbose = d->c.o.tracer.verbose;
	d->path = client_socket_path(d->path);
	return 0;
}

/* ---- recording ---- */

static void log_failed(struct daemon *d, int err)
{
	if (err)
		fprintf(stderr, "nslife: %s: %s; recording stopped, still serving queries\n",
			d->out.path, nsl_log_strerror(err));
}

/* the collector's sink: every event that passed the filters */
static void on_event(void *ctx, const struct nsl_event *e, const struct snap *s, int idx)
{
	struct daemon *d = ctx;

	nsl_history_note_mount(e);
	dmetrics_event(&d->metrics, &d->c, e);
	devents_event(&d->events, e, s, idx);
	log_failed(d, recorder_event(&d->rec, e, d->c.ev_owner));
}

static void flush_if_due(struct daemon *d, bool now)
{
	log_failed(d, recorder_flush(&d->rec, now));
}

/* the log and its snapshot, as nslife record writes them */
static int open_log(struct daemon *d)
{
	int err;

	if (!d->out.path)
		return 0;
	err = recorder_open(&d->rec, d->out.path, &d->out.lo, d->c.t);
	if (!err)
		log_failed(d, d->rec.err);
	return err;
}

static int close_log(struct daemon *d)
{
	int err = recorder_close(&d->rec);

	if (err && !d->rec.err)
		fprintf(stderr, "nslife: %s: %s\n", d->out.path, nsl_log_strerror(err));
	return err || d->rec.err;
}

static void set_signals(void)
{
	struct sigaction stop = { .sa_handler = on_stop };
	struct sigaction wake = { .sa_handler = on_wake };

	/* no SA_RESTART: each must end the ring-buffer wait */
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGHUP, &stop, NULL);	/* a closed terminal: stop cleanly too */
	sigaction(SIGCHLD, &wake, NULL);
	sigaction(SIGIO, &wake, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * 0, 1 and 2 open (/dev/null if need be): a received fd must never land
 * on 1 or 2, where a query child's dup2() would clobber it.
 */
static void std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0 && fd <= 2)
		fcntl(fd, F_SETFD, 0);
	if (fd > 2)
		close(fd);
}

static int run(struct daemon *d)
{
	int err = 0;

	while (!exiting) {
		err = collector_poll(&d->c, POLL_MS);
		if (err)
			break;
		dquery_serve(&d->q);
		dmetrics_tick(&d->metrics, &d->c);
		flush_if_due(d, false);
	}
	return err;
}

int cmd_daemon(int argc, char **argv)
{
	struct daemon *d = calloc(1, sizeof(*d));
	int err, rc = 1;

	if (!d)
		return 1;
	d->l.fd = -1;
	dquery_init(&d->q, &d->l, &d->c, &d->metrics);
	if (parse_opts(argc, argv, d)) {
		free(d);
		return 2;
	}
	std_fds();
	/* refuse before the slow BPF load if another daemon serves the path */
	err = server_probe(d->path);
	if (err < 0)
		goto out;
	set_signals();
	/*
	 * One heap, given back after the start: the BPF loads and the first
	 * scan leave ~20 MB freed but resident (half of it in a thread's
	 * arena, which malloc_trim() cannot shrink), and the map would grow
	 * into it unseen.  So RSS follows what the daemon holds.
	 */
	mallopt(M_ARENA_MAX, 1);
	d->c.sink = on_event;
	d->c.sink_ctx = d;
	if (collector_open(&d->c))
		goto out;
	/* the queries' BPF, loaded once here rather than in every query */
	nsl_inspect_preload();
	devents_open(&d->events);
	if (open_log(d) || server_listen(&d->l, d->path) || dmetrics_open(&d->metrics, &d->c))
		goto cleanup;
	malloc_trim(0);
	/* tests and scripts wait for this line */
	fprintf(stderr, "nslife: daemon serving %s (%s mode, pid %d)%s%s\n", d->path,
		nsl_mode_name(nsl_tracer_mode(d->c.t)), (int)getpid(),
		d->out.path ? ", recording to " : "", d->out.path ? d->out.path : "");
	err = run(d);
	dquery_stop(&d->q);
	rc = err ? 1 : 0;
cleanup:
	dmetrics_close(&d->metrics, &d->c);
	server_close(&d->l);
	if (close_log(d))
		rc = 1;
	fprintf(stderr, "nslife: daemon stopped: %llu queries, %llu refused, %llu bad; "
		"%llu events, %llu lost\n", d->q.served, d->q.refused, d->q.bad, d->c.seen,
		(unsigned long long)collector_lost(&d->c));
	collector_close(&d->c);
out:
	free(d);
	return rc;
}
