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
#include "fdpass.h"

int main(int argc, char **argv)
{
	char byte = 'x';
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
	if (fdpass_send(sv[0], &byte, 1, &fd, 1, 0) != 1) {
		perror("sendmsg");
		return 1;
	}
	close(fd);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
