// SPDX-License-Identifier: GPL-2.0
/*
 * nsbind SRC DST: bind SRC on DST with the new mount API (open_tree +
 * move_mount), as util-linux >= 2.39 `mount --bind` does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

int main(int argc, char **argv)
{
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: nsbind SRC DST\n");
		return 2;
	}
	fd = syscall(SYS_open_tree, AT_FDCWD, argv[1], OPEN_TREE_CLONE | O_CLOEXEC);
	if (fd < 0) {
		perror("open_tree");
		return 1;
	}
	if (syscall(SYS_move_mount, fd, "", AT_FDCWD, argv[2], MOVE_MOUNT_F_EMPTY_PATH)) {
		perror("move_mount");
		return 1;
	}
	close(fd);
	return 0;
}
