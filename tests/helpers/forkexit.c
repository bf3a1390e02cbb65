// SPDX-License-Identifier: GPL-2.0
/* forkexit N: fork N children that exit at once, waiting for each */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;

	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	return 0;
}
