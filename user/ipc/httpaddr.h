/* SPDX-License-Identifier: GPL-2.0 */
/* The metrics endpoint's listen address (httpaddr.c), apart from the server. */
#ifndef NSL_HTTPADDR_H
#define NSL_HTTPADDR_H

#include <stdbool.h>
#include <sys/socket.h>

/*
 * "PORT", "ADDR:PORT" or "[ADDR6]:PORT" into sa.  A bare port means
 * 127.0.0.1.  A non-loopback address is refused unless remote is true.
 * 0, or -EINVAL with *why set.
 */
int nsl_httpd_parse_addr(const char *s, bool remote, struct sockaddr_storage *sa,
			 const char **why);

#endif
