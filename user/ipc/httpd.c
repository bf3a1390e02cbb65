// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "httpd.h"

struct nsl_httpd {
	struct MHD_Daemon *mhd;
	nsl_httpd_body_fn body;
	void *ctx;
};

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
	sigset_t all, old;
	int err = 0;

	if (!h)
		return -ENOMEM;
	h->body = body;
	h->ctx = ctx;
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
				  MHD_OPTION_END);
	if (!h->mhd)
		err = errno ? -errno : -EADDRNOTAVAIL;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
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
	MHD_stop_daemon(h->mhd);
	free(h);
}
