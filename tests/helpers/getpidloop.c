// SPDX-License-Identifier: GPL-2.0
/*
 * getpidloop N: N getpid(2) calls, through syscall(2) so that no libc
 * caches them; a syscall-heavy workload that touches no namespace, for
 * tools/bench-trace.sh.
 * getpidloop N open: N open(2) + close(2) of /dev/null instead: every open
 * is one nslife follows (for nsfs fds), so this is what its exit hook
 * costs an open-heavy workload.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	int fd;

	if (argc > 2 && !strcmp(argv[2], "open")) {
		for (long i = 0; i < n; i++) {
			fd = open("/dev/null", O_RDONLY);
			if (fd < 0) {
				perror("getpidloop: /dev/null");
				return 1;
			}
			close(fd);
		}
		return 0;
	}
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	return 0;
}
