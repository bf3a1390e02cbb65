// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_thread NETNS_PATH: a second thread joins the net ns at NETNS_PATH
 * and waits; the leader stays where it was (the Go LockOSThread setns
 * leak).  Prints "ready TID".
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static const char *path;

static void *worker(void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		perror("nsl_thread: setns");
		_exit(1);
	}
	close(fd);
	printf("ready %ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	for (;;)
		pause();
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc != 2) {
		fprintf(stderr, "usage: nsl_thread NETNS_PATH\n");
		return 2;
	}
	path = argv[1];
	if (pthread_create(&t, NULL, worker, NULL))
		return 1;
	for (;;)
		pause();
}
