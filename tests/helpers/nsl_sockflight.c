// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_sockflight PATH: enter the net ns at PATH, make a listening TCP
 * socket, a bound UDP socket and a unix socket there, send all three over
 * an AF_UNIX socketpair of our own net ns to ourselves (SCM_RIGHTS), close
 * them and go back.  The net ns is then held only by sockets in flight:
 * no task, fd, mount or socket of any process shows it.  Prints
 * "ready TCPPORT UDPPORT" and waits.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "fdpass.h"

static int inet_socket(int type, int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, type, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (type == SOCK_STREAM && listen(fd, 1)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

int main(int argc, char **argv)
{
	char byte = 'x';
	int sv[2], fds[3], self, ns, tport = 0, uport = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: nsl_sockflight PATH\n");
		return 2;
	}
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ns = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (self < 0 || ns < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
	    setns(ns, CLONE_NEWNET)) {
		perror("nsl_sockflight: setup");
		return 1;
	}
	fds[0] = inet_socket(SOCK_STREAM, &tport);
	fds[1] = inet_socket(SOCK_DGRAM, &uport);
	fds[2] = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0 || setns(self, CLONE_NEWNET)) {
		perror("nsl_sockflight: sockets");
		return 1;
	}
	if (fdpass_send(sv[0], &byte, 1, fds, 3, 0) != 1) {
		perror("nsl_sockflight: sendmsg");
		return 1;
	}
	for (int k = 0; k < 3; k++)
		close(fds[k]);
	close(ns);
	close(self);
	printf("ready %d %d\n", tport, uport);
	fflush(stdout);
	for (;;)
		pause();
}
