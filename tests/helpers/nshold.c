// SPDX-License-Identifier: GPL-2.0
/*
 * nshold N: make N uts namespaces and hold each by an open nsfs fd, print
 * "ready N" and wait to be killed.  For tools/bench-scale.sh: many live
 * namespaces, cheaply.  The fd limit may be lower than N and not raisable
 * (no CAP_SYS_RESOURCE in a container): children then hold the first
 * chunks, each up to the limit, and die with this process (its last chunk
 * is its own, so /proc/PID/ns/uts names the newest).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static int hold(long n)
{
	for (long i = 0; i < n; i++) {
		if (unshare(CLONE_NEWUTS)) {
			perror("nshold: unshare");
			return 1;
		}
		if (open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC) < 0) {
			perror("nshold: open");
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, chunk;
	struct rlimit rl;
	int p[2];
	char c;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	chunk = (long)rl.rlim_cur - 64;
	while (n > chunk) {
		if (pipe(p))
			return 1;
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(p[0]);
			if (hold(chunk))
				_exit(1);
			write(p[1], "x", 1);
			pause();
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1) {
			fprintf(stderr, "nshold: a child failed\n");
			return 1;
		}
		close(p[0]);
		n -= chunk;
	}
	if (hold(n))
		return 1;
	printf("ready %s\n", argc > 1 ? argv[1] : "10000");
	fflush(stdout);
	pause();
	return 0;
}
