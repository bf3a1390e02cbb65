// SPDX-License-Identifier: GPL-2.0
/* --metrics-listen's address: pure, apart from the HTTP server (httpd.c) */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "httpaddr.h"

static int parse_port(const char *s, struct sockaddr_storage *sa)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > 65535)
		return -EINVAL;
	/* sin_port and sin6_port sit at the same offset */
	((struct sockaddr_in *)sa)->sin_port = htons(v);
	return 0;
}

static bool loopback(const struct sockaddr_storage *sa)
{
	const struct in6_addr *a6;

	if (sa->ss_family == AF_INET)
		return (ntohl(((struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	a6 = &((struct sockaddr_in6 *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(a6))
		return a6->s6_addr[12] == 127;
	return IN6_IS_ADDR_LOOPBACK(a6);
}

int nsl_httpd_parse_addr(const char *s, bool remote, struct sockaddr_storage *sa,
			 const char **why)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':'), *port = s;
	size_t len;

	memset(sa, 0, sizeof(*sa));
	*why = "expected PORT, ADDR:PORT or [ADDR6]:PORT";
	sa->ss_family = AF_INET;
	((struct sockaddr_in *)sa)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (colon) {
		len = colon - s;
		port = colon + 1;
		if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
			s++;
			len -= 2;
			sa->ss_family = AF_INET6;
		}
		if (!len || len >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, len);
		host[len] = 0;
		if (sa->ss_family == AF_INET6 ?
		    inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)sa)->sin6_addr) != 1 :
		    inet_pton(AF_INET, host, &((struct sockaddr_in *)sa)->sin_addr) != 1) {
			*why = "not a numeric IPv4 address or [IPv6] address";
			return -EINVAL;
		}
	}
	if (parse_port(port, sa)) {
		*why = "bad port (0-65535)";
		return -EINVAL;
	}
	if (!remote && !loopback(sa)) {
		*why = "not a loopback address (add --metrics-allow-remote to serve other hosts)";
		return -EINVAL;
	}
	*why = NULL;
	return 0;
}
