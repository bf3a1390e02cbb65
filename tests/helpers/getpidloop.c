// SPDX-License-Identifier: GPL-2.0
/*
 * getpidloop N: N getpid(2) calls, through syscall(2) so that no libc
 * caches them; a syscall-heavy workload that touches no namespace, for
 * tools/bench-trace.sh.
 */
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;

	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	return 0;
}
