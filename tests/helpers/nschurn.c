// SPDX-License-Identifier: GPL-2.0
/*
 * nschurn N: create and let die N namespaces, cycling through all 8 types:
 * each iteration forks a child that unshares one type and exits.
 * Prints how many of each type it made.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct { const char *name; int flag; } types[] = {
	{ "mnt", CLONE_NEWNS }, { "net", CLONE_NEWNET }, { "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC }, { "pid", CLONE_NEWPID }, { "user", CLONE_NEWUSER },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};
#define NTYPES (int)(sizeof(types) / sizeof(types[0]))

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000, made[NTYPES] = {}, status;
	pid_t pid;

	for (int i = 0; i < n; i++) {
		int t = i % NTYPES;

		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			_exit(unshare(types[t].flag) ? 1 : 0);
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "nschurn: unshare(%s) failed\n", types[t].name);
			return 1;
		}
		made[t]++;
	}
	for (int t = 0; t < NTYPES; t++)
		printf("%s %d\n", types[t].name, made[t]);
	return 0;
}
