// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_rawreq SOCKET MODE: talk to `nslife daemon` the wrong way on purpose
 * and print its reply line (or "(no reply)").  MODE:
 *   garbage    text that is not a request
 *   oversize   a header announcing 1 MiB of arguments
 *   badcmd     a well-formed request for a command it must not run
 *   toomany    65 arguments
 *   nofds      a valid `ls` request without stdout and stderr fds
 *   truncated  a header announcing 100 bytes, 10 of them, then EOF
 *   silent     connect and send nothing (the daemon must time out)
 *   valid      a valid `ls -n` request with our fds (prints its status)
 * Exits 0 once a reply line came, 1 if none did within 20 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "fdpass.h"

static int send_fds(int fd, const void *buf, size_t len, int nfds)
{
	int fds[2] = { 1, 2 };

	return fdpass_send(fd, buf, len, fds, nfds, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* "NSLQ" + len + the NUL-separated args */
static size_t request(char *buf, uint32_t announce, const char *args, size_t alen)
{
	memcpy(buf, "NSLQ", 4);
	memcpy(buf + 4, &announce, 4);
	memcpy(buf + 8, args, alen);
	return 8 + alen;
}

static int build(const char *mode, char *buf, size_t *len, int *nfds)
{
	*nfds = 0;
	if (!strcmp(mode, "garbage")) {
		*len = sprintf(buf, "GET / HTTP/1.0\r\n\r\n");
	} else if (!strcmp(mode, "oversize")) {
		*len = request(buf, 1 << 20, "ls", 3);
	} else if (!strcmp(mode, "badcmd")) {
		*len = request(buf, 8, "daemon\0", 8);
		*nfds = 2;
	} else if (!strcmp(mode, "toomany")) {
		char args[200];

		for (int i = 0; i < 65; i++)
			memcpy(args + 3 * i, i ? "-n\0" : "ls\0", 3);
		*len = request(buf, 195, args, 195);
		*nfds = 2;
	} else if (!strcmp(mode, "nofds")) {
		*len = request(buf, 3, "ls", 3);
	} else if (!strcmp(mode, "truncated")) {
		*len = request(buf, 100, "why\0abcdef", 10);
		*nfds = 2;
	} else if (!strcmp(mode, "silent")) {
		*len = 0;
	} else if (!strcmp(mode, "valid")) {
		*len = request(buf, 6, "ls\0-n", 6);
		*nfds = 2;
	} else {
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[512], reply[300];
	struct pollfd p;
	size_t len;
	ssize_t n;
	int fd, nfds;

	if (argc != 3 || build(argv[2], buf, &len, &nfds) ||
	    strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: nsl_rawreq SOCKET garbage|oversize|badcmd|toomany|"
			"nofds|truncated|silent|valid\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("connect");
		return 2;
	}
	if (len && send_fds(fd, buf, len, nfds) < 0)
		perror("send");
	if (!strcmp(argv[2], "truncated"))
		shutdown(fd, SHUT_WR);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 20000) <= 0) {
		printf("(no reply)\n");
		return 1;
	}
	n = read(fd, reply, sizeof(reply) - 1);
	if (n <= 0) {
		printf("(no reply)\n");
		return 1;
	}
	reply[n] = '\0';
	fputs(reply, stdout);
	return 0;
}
