// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_httpflood PORT CONNS SECONDS [MIN]: open CONNS connections at once
 * to 127.0.0.1:PORT and misbehave on them for SECONDS, or until SIGUSR1
 * once MIN seconds have passed.  Connection i does, by
 * i % 4: garbage bytes; a request trickled one byte a second (slowloris,
 * each byte resets an idle time-out); a partial request then silence; a
 * wrong method or path.  Prints what the server did:
 *   connected N closed N status:400=N,404=N,405=N,... trickle_cut N min A max B
 * where trickle_cut counts the trickling connections the server closed, A
 * and B the shortest and longest they lived (from connect; a connection
 * still in the server's accept queue lives on, uncounted).  Exit 0 unless
 * the helper itself fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>

enum { GARBAGE, TRICKLE, PARTIAL, WRONG, MODES };

struct c {
	int fd;
	int mode;
	int sent;		/* bytes of the payload sent */
	double conn_at, next;	/* conn_at: 0 until connected */
	int status;
	int closed;
};

static volatile sig_atomic_t stop;

static void on_usr1(int sig)
{
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char trickle[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";

static void first_send(struct c *c, int i)
{
	char buf[512];
	int n = 0;

	switch (c->mode) {
	case GARBAGE:
		for (n = 0; n < 300; n++)
			buf[n] = (char)(rand() & 0xff);
		memcpy(buf + n, "\r\n\r\n", 4);
		n += 4;
		break;
	case TRICKLE:
		return;
	case PARTIAL:
		n = snprintf(buf, sizeof(buf), "GET /metr");
		break;
	case WRONG:
		n = snprintf(buf, sizeof(buf), i & 4 ?
			     "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc" :
			     "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n");
		break;
	}
	(void)send(c->fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void on_read(struct c *c, double t, int *codes)
{
	char buf[4096];
	ssize_t n = recv(c->fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	int code;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		buf[n] = 0;
		if (!c->status && sscanf(buf, "HTTP/1.%*d %d", &code) == 1 &&
		    code >= 100 && code < 600) {
			c->status = code;
			codes[code]++;
		}
		return;
	}
	c->closed = 1;
	c->next = t;		/* when it ended, for the trickle's life */
	close(c->fd);
	c->fd = -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct rlimit rl;
	struct pollfd *p;
	struct c *cs;
	int n, secs, min_secs, *codes, connected = 0, closed = 0;
	double t0, t, life, min_life = 1e9, max_life = 0;
	int cut = 0;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: nsl_httpflood PORT CONNS SECONDS [MIN]\n");
		return 2;
	}
	sa.sin_port = htons(atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = atoi(argv[2]);
	secs = atoi(argv[3]);
	min_secs = argc > 4 ? atoi(argv[4]) : secs;
	signal(SIGUSR1, on_usr1);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	cs = calloc(n, sizeof(*cs));
	p = calloc(n, sizeof(*p));
	codes = calloc(600, sizeof(*codes));
	if (!cs || !p || !codes)
		return 1;
	t0 = now();
	for (int i = 0; i < n; i++) {
		cs[i].mode = i % MODES;
		cs[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (cs[i].fd < 0) {
			perror("socket");
			return 1;
		}
		if (connect(cs[i].fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
		    errno != EINPROGRESS) {
			cs[i].closed = 1;
			close(cs[i].fd);
			cs[i].fd = -1;
			continue;
		}
		cs[i].next = -1;	/* not yet connected */
	}
	while ((t = now()) - t0 < secs && !(stop && t - t0 >= min_secs)) {
		for (int i = 0; i < n; i++) {
			p[i].fd = cs[i].fd;
			p[i].events = POLLIN | (cs[i].next < 0 ? POLLOUT : 0);
			p[i].revents = 0;
		}
		if (poll(p, n, 100) < 0 && errno != EINTR)
			return 1;
		t = now();
		for (int i = 0; i < n; i++) {
			struct c *c = &cs[i];

			if (c->fd < 0)
				continue;
			if ((p[i].revents & POLLOUT) && c->next < 0) {
				connected++;
				c->conn_at = c->next = t;
				first_send(c, i);
			}
			if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
				on_read(c, t, codes);
			if (c->fd >= 0 && c->mode == TRICKLE && c->next >= 0 && t >= c->next &&
			    c->sent < (int)sizeof(trickle) - 1) {
				(void)send(c->fd, trickle + c->sent, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
				c->sent++;
				c->next = t + 1;
			}
		}
	}
	t = now();
	for (int i = 0; i < n; i++) {
		if (cs[i].closed)
			closed++;
		if (cs[i].mode != TRICKLE || cs[i].conn_at == 0 || !cs[i].closed)
			continue;
		life = cs[i].next - cs[i].conn_at;
		cut++;
		if (life > max_life)
			max_life = life;
		if (life < min_life)
			min_life = life;
	}
	printf("connected %d closed %d status:", connected, closed);
	for (int k = 100, sep = 0; k < 600; k++)
		if (codes[k]) {
			printf("%s%d=%d", sep ? "," : "", k, codes[k]);
			sep = 1;
		}
	printf(" trickle_cut %d min %.1f max %.1f\n", cut, cut ? min_life : 0, max_life);
	for (int i = 0; i < n; i++)
		if (cs[i].fd >= 0)
			close(cs[i].fd);
	return 0;
}
