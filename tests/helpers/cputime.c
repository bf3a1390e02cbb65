// SPDX-License-Identifier: GPL-2.0
/*
 * cputime FILE CMD [ARG...]: run CMD and write "wall_us cpu_us" to FILE:
 * its wall time, and the user + system time of it and the children it
 * waited for, to the microsecond (wait4's rusage; /usr/bin/time prints
 * hundredths, ±2.5% of the 0.4 s namespace churn).  For
 * tools/bench-trace.sh.  Exits with CMD's status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static long long tv_us(struct timeval tv)
{
	return tv.tv_sec * 1000000LL + tv.tv_usec;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long long t0, t1;
	int status;
	FILE *f;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: cputime FILE CMD [ARG...]\n");
		return 2;
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		perror("cputime: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("cputime: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("cputime: wait4");
		return 2;
	}
	t1 = now_us();
	f = fopen(argv[1], "w");
	if (!f) {
		perror("cputime: fopen");
		return 2;
	}
	fprintf(f, "%lld %lld\n", t1 - t0, tv_us(ru.ru_utime) + tv_us(ru.ru_stime));
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
