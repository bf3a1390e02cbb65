// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_fcred: a user namespace held only by an open file's credentials.
 * A child unshares a user ns, opens /dev/null there and sends the fd to
 * us over a socketpair (SCM_RIGHTS), then exits.  We print
 * "INUM FD" (the user ns and our fd) and wait to be killed: the user ns
 * then has no task, no nsfs fd and no mount, only file->f_cred.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "fdpass.h"

static int child(int sock)
{
	struct stat st;
	unsigned long inum;
	int fd;

	if (unshare(CLONE_NEWUSER) || stat("/proc/self/ns/user", &st))
		return 1;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	inum = st.st_ino;
	return fdpass_send(sock, &inum, sizeof(inum), &fd, 1, 0) == sizeof(inum) ? 0 : 1;
}

int main(void)
{
	unsigned long inum = 0;
	int sv[2], fd = -1, st, nfds = 1;
	bool dropped = false;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv)) {
		perror("nsl_fcred: socketpair");
		return 1;
	}
	pid = fork();
	if (pid == 0)
		_exit(child(sv[1]));
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "nsl_fcred: child failed (no user namespaces?)\n");
		return 1;
	}
	if (fdpass_recv(sv[0], &inum, sizeof(inum), &fd, &nfds, &dropped, 0) !=
	    sizeof(inum) || !nfds) {
		fprintf(stderr, "nsl_fcred: no fd received\n");
		return 1;
	}
	close(sv[0]);
	close(sv[1]);
	printf("%lu %d\n", inum, fd);
	fflush(stdout);
	pause();
	return 0;
}
