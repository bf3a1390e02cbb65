// SPDX-License-Identifier: GPL-2.0
/*
 * nsinflight PATH: open the nsfs file at PATH, send the fd over an AF_UNIX
 * socketpair to ourselves (SCM_RIGHTS), close every fd on the namespace
 * and wait.  The namespace is then held only by a file in flight in a
 * socket's queue: no task, fd or mount of any process shows it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int sv[2], fd;

	if (argc != 2) {
		fprintf(stderr, "usage: nsinflight PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)) {
		perror("nsinflight");
		return 1;
	}
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sv[0], &msg, 0) != 1) {
		perror("sendmsg");
		return 1;
	}
	close(fd);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
