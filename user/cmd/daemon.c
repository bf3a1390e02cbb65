// SPDX-License-Identifier: GPL-2.0
/*
 * nslife daemon: the collector (tracer, live map, lingering checks) in a
 * foreground loop, optionally recording its event stream to a log, and
 * serving queries on a UNIX socket (protocol: request.h).
 *
 * Each query runs in a forked child: it sees the map as it stood at the
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
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "client.h"
#include "collector.h"
#include "commands.h"
#include "devents.h"
#include "dmetrics.h"
#include "fdpass.h"
#include "history.h"
#include "logwriter.h"
#include "parse.h"
#include "recorder.h"
#include "request.h"
#include "server.h"
#include "snapio.h"
#include "traceopts.h"

#define MAX_CONNS		32
#define MAX_ALLOW		32
#define REQ_TIMEOUT_MS		5000	/* to send the request */
#define RUN_TIMEOUT_MS		300000	/* for the query to finish */
#define POLL_MS			100

#define OPT_SOCKET	0x2000
#define OPT_ALLOW	0x2001

enum { C_FREE, C_READING, C_RUNNING };

struct conn {
	int state;
	int fd;
	int fds[NSL_REQ_FDS];		/* received: stdout, stderr, cwd */
	int nfds;
	bool bad_fds;			/* more fds than we take */
	bool killed;			/* ran too long: say so */
	bool gone;			/* the client hung up: no reply */
	pid_t pid;			/* the peer (for -v) */
	uid_t uid;
	pid_t child;
	__u64 started;			/* CLOCK_MONOTONIC ns, for metrics */
	size_t have;
	__u64 deadline;			/* CLOCK_MONOTONIC ms */
	char buf[NSL_REQ_HDR + NSL_REQ_MAX];
};

struct daemon {
	struct collector c;
	struct trace_opts o;		/* c.o is o.col once parsed */
	const char *path;
	struct nsl_listener l;		/* the socket */
	uid_t allow[MAX_ALLOW];
	int nallow;
	bool verbose;
	/* recording */
	struct log_out out;
	struct recorder rec;		/* -o: the log */
	unsigned long long served, refused, bad;
	struct dmetrics metrics;
	struct devents events;
	struct conn conn[MAX_CONNS];
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

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
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
		if (d->nallow == MAX_ALLOW)
			return bad_value("uid (too many)", arg);
		if (parse_uid(arg, &d->allow[d->nallow]))
			return bad_value("uid", arg);
		d->nallow++;
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
	d->verbose = d->c.o.tracer.verbose;
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
	log_failed(d, recorder_event(&d->rec, e, e->h.kind == NSL_EV_CREATE ?
				     nsm_find(&d->c.map, e->ns.id) : NULL));
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

/* ---- connections ---- */

static void say(int fd, const char *fmt, ...)
{
	char line[NSL_REPLY_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* one short line into an empty socket buffer fits; a gone client can't hear */
	(void)send(fd, line, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void conn_close(struct conn *c)
{
	for (int i = 0; i < c->nfds; i++)
		close(c->fds[i]);
	close(c->fd);
	c->state = C_FREE;
	c->fd = -1;
	c->nfds = 0;
	c->child = 0;
}

static bool allowed(const struct daemon *d, uid_t uid)
{
	if (uid == 0)
		return true;
	for (int i = 0; i < d->nallow; i++)
		if (d->allow[i] == uid)
			return true;
	return false;
}

static void admit(struct daemon *d, int fd)
{
	struct ucred cr = { .pid = 0, .uid = (uid_t)-1 };
	socklen_t len = sizeof(cr);
	struct conn *c = NULL;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || !allowed(d, cr.uid)) {
		d->refused++;
		say(fd, "error: permission denied: uid %d may not query this daemon "
		    "(root only; see 'nslife daemon --allow-uid')", (int)cr.uid);
		close(fd);
		return;
	}
	for (int i = 0; i < MAX_CONNS && !c; i++)
		if (d->conn[i].state == C_FREE)
			c = &d->conn[i];
	if (!c) {
		say(fd, "error: busy (%d queries at once), try again", MAX_CONNS);
		close(fd);
		return;
	}
	memset(c, 0, offsetof(struct conn, buf));
	c->state = C_READING;
	c->fd = fd;
	c->pid = cr.pid;
	c->uid = cr.uid;
	c->deadline = now_ms() + REQ_TIMEOUT_MS;
	server_wake_on_io(fd);
}

static void accept_all(struct daemon *d)
{
	int fd;

	while ((fd = accept4(d->l.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		admit(d, fd);
}

static void refuse(struct daemon *d, struct conn *c, const char *why)
{
	d->bad++;
	if (d->verbose)
		fprintf(stderr, "nslife: bad request from pid %d: %s\n", c->pid, why);
	say(c->fd, "error: bad request: %s", why);
	conn_close(c);
}

/* read no further than the request: the header says how far that is */
static ssize_t want_bytes(struct conn *c)
{
	return c->have < NSL_REQ_HDR ? NSL_REQ_HDR : nsl_req_size(c->buf, c->have);
}

static void start(struct daemon *d, struct conn *c, struct nsl_req *r);

static void read_request(struct daemon *d, struct conn *c)
{
	struct nsl_req *r;
	const char *why;
	ssize_t want = want_bytes(c), n;
	/* fds come with the first byte only: any later ones are refused */
	int nfds = c->have ? 0 : NSL_REQ_FDS;

	n = fdpass_recv(c->fd, c->buf + c->have, want - c->have, c->fds, &nfds,
			&c->bad_fds, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n == -EAGAIN || n == -EINTR)
		return;
	if (n > 0 && !c->have)
		c->nfds = nfds;
	if (n <= 0) {
		/* a probe that connects and goes (another daemon starting) */
		if (!c->have && !c->nfds)
			conn_close(c);
		else
			refuse(d, c, "truncated request");
		return;
	}
	c->have += n;
	want = want_bytes(c);
	if (want < 0) {
		nsl_req_parse(&(struct nsl_req){}, c->buf, c->have, &why);
		refuse(d, c, why);
		return;
	}
	if ((size_t)want > c->have)
		return;		/* more to come */
	r = malloc(sizeof(*r));
	if (!r) {
		say(c->fd, "error: out of memory");
		conn_close(c);
		return;
	}
	if (nsl_req_parse(r, c->buf, c->have, &why))
		refuse(d, c, why);
	else if (c->bad_fds || c->nfds < 2)
		refuse(d, c, "stdout and stderr must come with the request (SCM_RIGHTS)");
	else
		start(d, c, r);
	free(r);
}

static int run_command(int argc, char **argv)
{
	if (!strcmp(argv[0], "ls"))
		return cmd_ls(argc, argv);
	if (!strcmp(argv[0], "why"))
		return cmd_why(argc, argv);
	return cmd_timeline(argc, argv);
}

/* the child: the client's fds as ours, the frozen map as history */
static void __attribute__((noreturn))
child(struct daemon *d, struct conn *c, struct nsl_req *r)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGIO, SIGPIPE };
	int rc;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &dfl, NULL);
	if (dup2(c->fds[0], 1) < 0 || dup2(c->fds[1], 2) < 0)
		_exit(125);
	/* relative paths are the client's; absolute ones work regardless */
	if (c->nfds > 2 && fchdir(c->fds[2]) < 0)
		fprintf(stderr, "nslife: cannot enter the client's directory: %s\n",
			strerror(errno));
	/* other clients' sockets must not stay open because of us */
	close(d->l.fd);
	for (int i = 0; i < MAX_CONNS; i++)
		if (d->conn[i].state != C_FREE) {
			close(d->conn[i].fd);
			for (int k = 0; k < d->conn[i].nfds; k++)
				close(d->conn[i].fds[k]);
		}
	nsl_history_set(&d->c.map, collector_now());
	optind = 0;	/* glibc: a full getopt reset */
	opterr = 1;
	rc = run_command(r->argc, r->argv);
	fflush(stdout);
	fflush(stderr);
	_exit(rc & 0xff);
}

static void start(struct daemon *d, struct conn *c, struct nsl_req *r)
{
	pid_t pid;

	if (d->verbose) {
		fprintf(stderr, "nslife: query from pid %d uid %d:", c->pid, (int)c->uid);
		for (int i = 0; i < r->argc; i++)
			fprintf(stderr, " %s", r->argv[i]);
		fputc('\n', stderr);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		say(c->fd, "error: cannot fork: %s", strerror(errno));
		conn_close(c);
		return;
	}
	if (pid == 0)
		child(d, c, r);
	d->served++;
	c->started = now_ns();
	c->child = pid;
	c->state = C_RUNNING;
	c->deadline = now_ms() + RUN_TIMEOUT_MS;
	/* the child has them now */
	for (int i = 0; i < c->nfds; i++)
		close(c->fds[i]);
	c->nfds = 0;
}

static struct conn *by_child(struct daemon *d, pid_t pid)
{
	for (int i = 0; i < MAX_CONNS; i++)
		if (d->conn[i].state == C_RUNNING && d->conn[i].child == pid)
			return &d->conn[i];
	return NULL;
}

static void reap(struct daemon *d)
{
	struct conn *c;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		c = by_child(d, pid);
		if (!c)
			continue;
		dmetrics_query(&d->metrics, (now_ns() - c->started) / 1e9);
		if (c->killed)
			say(c->fd, "error: the query ran over %d s and was stopped",
			    RUN_TIMEOUT_MS / 1000);
		else if (!c->gone)
			say(c->fd, "exit %d", WIFEXITED(st) ? WEXITSTATUS(st) :
			    128 + WTERMSIG(st));
		conn_close(c);
	}
}

/* while a query runs, its client only waits: data or EOF means it gave up */
static void watch_running(struct conn *c)
{
	char junk[256];
	ssize_t n = recv(c->fd, junk, sizeof(junk), MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		c->gone = true;
		kill(c->child, SIGKILL);
	}
}

static void expire(struct daemon *d)
{
	__u64 now = now_ms();

	for (int i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &d->conn[i];

		if (c->state == C_FREE || now < c->deadline)
			continue;
		if (c->state == C_READING) {
			refuse(d, c, "timed out waiting for the request");
		} else if (!c->killed) {
			c->killed = true;
			kill(c->child, SIGKILL);
		}
	}
}

static void serve(struct daemon *d)
{
	struct pollfd p[MAX_CONNS + 1];
	int idx[MAX_CONNS + 1], n = 1;

	reap(d);
	p[0] = (struct pollfd){ .fd = d->l.fd, .events = POLLIN };
	for (int i = 0; i < MAX_CONNS; i++) {
		if (d->conn[i].state == C_FREE)
			continue;
		p[n] = (struct pollfd){ .fd = d->conn[i].fd, .events = POLLIN };
		idx[n++] = i;
	}
	if (poll(p, n, 0) > 0) {
		for (int k = 1; k < n; k++) {
			struct conn *c = &d->conn[idx[k]];

			if (!p[k].revents)
				continue;
			if (c->state == C_READING)
				read_request(d, c);
			else if (c->state == C_RUNNING && !c->gone)
				watch_running(c);
		}
		if (p[0].revents & POLLIN)
			accept_all(d);
	}
	expire(d);
}

/* queries still running are stopped: the map they read is going away */
static void stop_queries(struct daemon *d)
{
	for (int i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &d->conn[i];

		if (c->state == C_RUNNING) {
			kill(c->child, SIGKILL);
			waitpid(c->child, NULL, 0);
		}
		if (c->state != C_FREE) {
			say(c->fd, "error: the daemon is shutting down");
			conn_close(c);
		}
	}
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
		serve(d);
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
	for (int i = 0; i < MAX_CONNS; i++)
		d->conn[i].fd = -1;
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
	d->c.sink = on_event;
	d->c.sink_ctx = d;
	if (collector_open(&d->c))
		goto out;
	devents_open(&d->events);
	if (open_log(d) || server_listen(&d->l, d->path) || dmetrics_open(&d->metrics, &d->c))
		goto cleanup;
	/* tests and scripts wait for this line */
	fprintf(stderr, "nslife: daemon serving %s (%s mode, pid %d)%s%s\n", d->path,
		nsl_mode_name(nsl_tracer_mode(d->c.t)), (int)getpid(),
		d->out.path ? ", recording to " : "", d->out.path ? d->out.path : "");
	err = run(d);
	stop_queries(d);
	rc = err ? 1 : 0;
cleanup:
	dmetrics_close(&d->metrics, &d->c);
	server_close(&d->l);
	if (close_log(d))
		rc = 1;
	fprintf(stderr, "nslife: daemon stopped: %llu queries, %llu refused, %llu bad; "
		"%llu events, %llu lost\n", d->served, d->refused, d->bad, d->c.seen,
		(unsigned long long)collector_lost(&d->c));
	collector_close(&d->c);
out:
	free(d);
	return rc;
}
