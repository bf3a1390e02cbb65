// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's queries (moved out of daemon.c): connections admitted by
 * peer uid, requests read without blocking, each query run in a forked
 * child over the map as it stood at the fork, its exit status sent back.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "commands.h"
#include "dquery.h"
#include "fdpass.h"
#include "history.h"
#include "clock.h"

#define REQ_TIMEOUT_MS		5000	/* to send the request */
#define RUN_TIMEOUT_MS		300000	/* for the query to finish */

void dquery_init(struct dquery *q, const struct nsl_listener *l, struct collector *col,
		 struct dmetrics *metrics)
{
	q->l = l;
	q->col = col;
	q->metrics = metrics;
	for (int i = 0; i < MAX_CONNS; i++)
		q->conn[i].fd = -1;
}

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

static bool allowed(const struct dquery *q, uid_t uid)
{
	if (uid == 0)
		return true;
	for (int i = 0; i < q->nallow; i++)
		if (q->allow[i] == uid)
			return true;
	return false;
}

static void read_request(struct dquery *q, struct conn *c);

static void admit(struct dquery *q, int fd)
{
	struct ucred cr = { .pid = 0, .uid = (uid_t)-1 };
	socklen_t len = sizeof(cr);
	struct conn *c = NULL;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || !allowed(q, cr.uid)) {
		q->refused++;
		say(fd, "error: permission denied: uid %d may not query this daemon "
		    "(root only; see 'nslife daemon --allow-uid')", (int)cr.uid);
		close(fd);
		return;
	}
	for (int i = 0; i < MAX_CONNS && !c; i++)
		if (q->conn[i].state == C_FREE)
			c = &q->conn[i];
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
	c->deadline = nsl_clock_ms(CLOCK_MONOTONIC) + REQ_TIMEOUT_MS;
	server_wake_on_io(fd);
	/* the request usually came with the connection */
	read_request(q, c);
}

static void accept_all(struct dquery *q)
{
	int fd;

	while ((fd = accept4(q->l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		admit(q, fd);
}

static void refuse(struct dquery *q, struct conn *c, const char *why)
{
	q->bad++;
	if (q->verbose)
		fprintf(stderr, "nslife: bad request from pid %d: %s\n", c->pid, why);
	say(c->fd, "error: bad request: %s", why);
	conn_close(c);
}

/* read no further than the request: the header says how far that is */
static ssize_t want_bytes(struct conn *c)
{
	return c->have < NSL_REQ_HDR ? NSL_REQ_HDR : nsl_req_size(c->buf, c->have);
}

static void start(struct dquery *q, struct conn *c, struct nsl_req *r);

/* one read; true while the request is incomplete and more may be there */
static bool read_some(struct dquery *q, struct conn *c)
{
	struct nsl_req *r;
	const char *why;
	ssize_t want = want_bytes(c), n;
	/* fds come with the first byte only: any later ones are refused */
	int nfds = c->have ? 0 : NSL_REQ_FDS;

	n = fdpass_recv(c->fd, c->buf + c->have, want - c->have, c->fds, &nfds,
			&c->bad_fds, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n == -EAGAIN)
		return false;
	if (n == -EINTR)
		return true;
	if (n > 0 && !c->have)
		c->nfds = nfds;
	if (n <= 0) {
		/* a probe that connects and goes (another daemon starting) */
		if (!c->have && !c->nfds)
			conn_close(c);
		else
			refuse(q, c, "truncated request");
		return false;
	}
	c->have += n;
	want = want_bytes(c);
	if (want < 0) {
		nsl_req_parse(&(struct nsl_req){}, c->buf, c->have, &why);
		refuse(q, c, why);
		return false;
	}
	if ((size_t)want > c->have)
		return true;	/* more to come, maybe there already */
	r = malloc(sizeof(*r));
	if (!r) {
		say(c->fd, "error: out of memory");
		conn_close(c);
		return false;
	}
	if (nsl_req_parse(r, c->buf, c->have, &why))
		refuse(q, c, why);
	else if (c->bad_fds || c->nfds < 2)
		refuse(q, c, "stdout and stderr must come with the request (SCM_RIGHTS)");
	else
		start(q, c, r);
	free(r);
	return false;
}

/*
 * Read on until the socket is empty: the header read stops short of the
 * rest, and no new wake-up comes for bytes already there (a whole
 * liveness-poll interval lost, twice: on accept, and after the header).
 */
static void read_request(struct dquery *q, struct conn *c)
{
	while (c->state == C_READING && read_some(q, c))
		;
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
child(struct dquery *q, struct conn *c, struct nsl_req *r)
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
	close(q->l->fd);
	for (int i = 0; i < MAX_CONNS; i++)
		if (q->conn[i].state != C_FREE) {
			close(q->conn[i].fd);
			for (int k = 0; k < q->conn[i].nfds; k++)
				close(q->conn[i].fds[k]);
		}
	/* the answer reads pins: the copies not made yet are made here */
	nsm_settle(&q->col->map);
	nsl_history_set(&q->col->map, collector_now());
	optind = 0;	/* glibc: a full getopt reset */
	opterr = 1;
	rc = run_command(r->argc, r->argv);
	fflush(stdout);
	fflush(stderr);
	_exit(rc & 0xff);
}

static void start(struct dquery *q, struct conn *c, struct nsl_req *r)
{
	pid_t pid;

	if (q->verbose) {
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
		child(q, c, r);
	q->served++;
	c->started = nsl_clock_ns(CLOCK_MONOTONIC);
	c->child = pid;
	c->state = C_RUNNING;
	c->deadline = nsl_clock_ms(CLOCK_MONOTONIC) + RUN_TIMEOUT_MS;
	/* the child has them now */
	for (int i = 0; i < c->nfds; i++)
		close(c->fds[i]);
	c->nfds = 0;
}

static struct conn *by_child(struct dquery *q, pid_t pid)
{
	for (int i = 0; i < MAX_CONNS; i++)
		if (q->conn[i].state == C_RUNNING && q->conn[i].child == pid)
			return &q->conn[i];
	return NULL;
}

static void reap(struct dquery *q)
{
	struct conn *c;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		c = by_child(q, pid);
		if (!c)
			continue;
		dmetrics_query(q->metrics, (nsl_clock_ns(CLOCK_MONOTONIC) - c->started) / 1e9);
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

static void expire(struct dquery *q)
{
	__u64 now = nsl_clock_ms(CLOCK_MONOTONIC);

	for (int i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &q->conn[i];

		if (c->state == C_FREE || now < c->deadline)
			continue;
		if (c->state == C_READING) {
			refuse(q, c, "timed out waiting for the request");
		} else if (!c->killed) {
			c->killed = true;
			kill(c->child, SIGKILL);
		}
	}
}

void dquery_serve(struct dquery *q)
{
	struct pollfd p[MAX_CONNS + 1];
	int idx[MAX_CONNS + 1], n = 1;

	reap(q);
	p[0] = (struct pollfd){ .fd = q->l->fd, .events = POLLIN };
	for (int i = 0; i < MAX_CONNS; i++) {
		if (q->conn[i].state == C_FREE)
			continue;
		p[n] = (struct pollfd){ .fd = q->conn[i].fd, .events = POLLIN };
		idx[n++] = i;
	}
	if (poll(p, n, 0) > 0) {
		for (int k = 1; k < n; k++) {
			struct conn *c = &q->conn[idx[k]];

			if (!p[k].revents)
				continue;
			if (c->state == C_READING)
				read_request(q, c);
			else if (c->state == C_RUNNING && !c->gone)
				watch_running(c);
		}
		if (p[0].revents & POLLIN)
			accept_all(q);
	}
	expire(q);
}

/* queries still running are stopped: the map they read is going away */
void dquery_stop(struct dquery *q)
{
	for (int i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &q->conn[i];

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
