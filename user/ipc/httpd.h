/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics endpoint: GET /metrics over HTTP/1.1, served by
 * libmicrohttpd from its own thread (all signals blocked there, so the
 * daemon's wake-ups still reach its main thread).  Any other path is 404,
 * any other method on /metrics 405.  Connections are bounded in number,
 * idle time, time per request and memory, so a flood costs the daemon
 * that thread only.
 */
#ifndef NSL_HTTPD_H
#define NSL_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include "httpaddr.h"

struct nsl_httpd;

/* the body of one GET /metrics, malloc'd (NULL: 503); runs on MHD's thread */
typedef char *(*nsl_httpd_body_fn)(void *ctx, size_t *len);

#define NSL_HTTPD_CONN_MAX	64	/* at once; more are closed at accept */
#define NSL_HTTPD_IDLE_SEC	5	/* a connection silent this long is closed */
#define NSL_HTTPD_REQ_SEC	10	/* to send a whole request, however slowly */

/* listen on sa; *port gets the bound port (for port 0) */
int nsl_httpd_start(struct nsl_httpd **h, const struct sockaddr_storage *sa,
		    nsl_httpd_body_fn body, void *ctx, unsigned int *port);
void nsl_httpd_stop(struct nsl_httpd *h);
/*
 * Cut connections that took over NSL_HTTPD_REQ_SEC for a request (a
 * trickle of bytes resets MHD's idle time-out, not this).  A watchdog
 * thread calls it every 250 ms; returns how many were cut so far.
 */
unsigned long long nsl_httpd_expire(struct nsl_httpd *h);

#endif
