// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "httpd.h"
#include "clock.h"

#define WATCH_MAX	(NSL_HTTPD_CONN_MAX * 2)

/*
 * A connection's deadline to finish its next request.  fd is our dup of
 * its socket: shutdown() on it ends the connection whatever MHD's fd
 * number is by then, and it cannot be reused while we hold it.
 */
struct watch {
	int fd;				/* -1: free */
	uint64_t deadline;		/* CLOCK_MONOTONIC ms */
};

struct nsl_httpd {
	struct MHD_Daemon *mhd;
	nsl_httpd_body_fn body;
	void *ctx;
	pthread_mutex_t lock;		/* w, between MHD's thread and expire */
	pthread_cond_t quit;		/* ends the watchdog */
	pthread_t watchdog;
	bool stopping;
	struct watch w[WATCH_MAX];
	unsigned long long cut;
};

static void watch_start(struct nsl_httpd *h, struct MHD_Connection *conn, void **sctx)
{
	const union MHD_ConnectionInfo *ci;
	int fd;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;
	pthread_mutex_lock(&h->lock);
	for (int i = 0; i < WATCH_MAX; i++) {
		if (h->w[i].fd >= 0)
			continue;
		fd = fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 3);
		if (fd >= 0) {
			h->w[i].fd = fd;
			h->w[i].deadline = nsl_clock_ms(CLOCK_MONOTONIC) + NSL_HTTPD_REQ_SEC * 1000;
			*sctx = &h->w[i];
		}
		break;
	}
	pthread_mutex_unlock(&h->lock);
}

/* MHD's thread: connections come and go */
static void on_conn(void *cls, struct MHD_Connection *conn, void **sctx,
		    enum MHD_ConnectionNotificationCode toe)
{
	struct nsl_httpd *h = cls;
	struct watch *w = *sctx;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		watch_start(h, conn, sctx);
		return;
	}
	if (!w)
		return;
	pthread_mutex_lock(&h->lock);
	close(w->fd);
	w->fd = -1;
	pthread_mutex_unlock(&h->lock);
	*sctx = NULL;
}

/* a request came whole: the next one gets its own time */
static void watch_renew(struct nsl_httpd *h, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	struct watch *w;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	w = ci ? ci->socket_context : NULL;
	if (!w)
		return;
	pthread_mutex_lock(&h->lock);
	w->deadline = nsl_clock_ms(CLOCK_MONOTONIC) + NSL_HTTPD_REQ_SEC * 1000;
	pthread_mutex_unlock(&h->lock);
}

unsigned long long nsl_httpd_expire(struct nsl_httpd *h)
{
	uint64_t now = nsl_clock_ms(CLOCK_MONOTONIC);

	if (!h)
		return 0;
	pthread_mutex_lock(&h->lock);
	for (int i = 0; i < WATCH_MAX; i++) {
		if (h->w[i].fd < 0 || now < h->w[i].deadline)
			continue;
		/* MHD sees the end of the stream and closes it */
		shutdown(h->w[i].fd, SHUT_RDWR);
		h->w[i].deadline = UINT64_MAX;
		h->cut++;
	}
	pthread_mutex_unlock(&h->lock);
	return h->cut;
}

/* cuts overdue connections every 250 ms, whatever the main thread does */
static void *watchdog(void *arg)
{
	struct nsl_httpd *h = arg;
	struct timespec ts;

	pthread_mutex_lock(&h->lock);
	while (!h->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 250000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&h->quit, &h->lock, &ts);
		pthread_mutex_unlock(&h->lock);
		nsl_httpd_expire(h);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code,
			     const char *text, bool allow)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct nsl_httpd *h = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len;
	char *body;

	watch_renew(h, conn);
	/* any body that comes is not read: the answer is known at the headers */
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "not found: only /metrics is served\n", false);
	if (strcmp(method, MHD_HTTP_METHOD_GET))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: GET only\n", true);
	body = h->body(h->ctx, &len);
	if (!body)
		return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "metrics unavailable\n", false);
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int nsl_httpd_start(struct nsl_httpd **hp, const struct sockaddr_storage *sa,
		    nsl_httpd_body_fn body, void *ctx, unsigned int *port)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
	struct nsl_httpd *h = calloc(1, sizeof(*h));
	const union MHD_DaemonInfo *info;
	pthread_condattr_t ca;
	sigset_t all, old;
	int err = 0;

	if (!h)
		return -ENOMEM;
	h->body = body;
	h->ctx = ctx;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->quit, &ca);
	pthread_condattr_destroy(&ca);
	for (int i = 0; i < WATCH_MAX; i++)
		h->w[i].fd = -1;
	if (sa->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* MHD's thread inherits the mask: no signal is ever delivered there */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	errno = 0;
	h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
				  MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)NSL_HTTPD_CONN_MAX,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)NSL_HTTPD_IDLE_SEC,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
				  MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)128,
				  MHD_OPTION_NOTIFY_CONNECTION, on_conn, h,
				  MHD_OPTION_END);
	if (!h->mhd)
		err = errno ? -errno : -EADDRNOTAVAIL;
	if (!err) {
		err = -pthread_create(&h->watchdog, NULL, watchdog, h);
		if (err)
			MHD_stop_daemon(h->mhd);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		pthread_cond_destroy(&h->quit);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return err;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : 0;
	*hp = h;
	return 0;
}

void nsl_httpd_stop(struct nsl_httpd *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	pthread_cond_signal(&h->quit);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->watchdog, NULL);
	MHD_stop_daemon(h->mhd);
	for (int i = 0; i < WATCH_MAX; i++)
		if (h->w[i].fd >= 0)
			close(h->w[i].fd);
	pthread_cond_destroy(&h->quit);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
