// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_holdsock NETNS_PATH: make a netlink socket inside the net ns at
 * NETNS_PATH, go back to the original net ns, close every nsfs fd, print
 * "ready FD" and wait.  Only the socket then pins the target net ns
 * (the moby/moby#32090 pattern).
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

int main(int argc, char **argv)
{
	int self, target, sk;

	if (argc != 2) {
		fprintf(stderr, "usage: nsl_holdsock NETNS_PATH\n");
		return 2;
	}
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0 || setns(target, CLONE_NEWNET)) {
		perror("nsl_holdsock: enter");
		return 1;
	}
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sk < 0 || setns(self, CLONE_NEWNET)) {
		perror("nsl_holdsock: socket");
		return 1;
	}
	close(target);
	close(self);
	printf("ready %d\n", sk);
	fflush(stdout);
	for (;;)
		pause();
}
