// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_mntns_fd open_tree|fsmount: make a mount namespace without clone,
 * unshare or setns (7.0+): open_tree(AT_FDCWD, "/", OPEN_TREE_NAMESPACE)
 * or fsmount(FSMOUNT_NAMESPACE) of a new tmpfs, both of which return an
 * nsfs fd on the new namespace.  Prints "ID INUM", then holds the fd until
 * a line (or EOF) on stdin, closes it and exits.  Exit 3: this kernel
 * has no such flag (EINVAL, or an fd that is not an nsfs file).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/types.h>

#define NR_open_tree		428
#define NR_fsopen		430
#define NR_fsconfig		431
#define NR_fsmount		432
#define OPEN_TREE_NAMESPACE	(1 << 1)	/* include/uapi/linux/mount.h, 7.0 */
#define FSMOUNT_NAMESPACE	0x2		/* idem */
#define FSCONFIG_CMD_CREATE	6
#define NS_GET_NSTYPE		_IO(0xb7, 0x3)
#define NS_GET_ID		_IOR(0xb7, 13, __u64)

static int make(const char *how)
{
	int fs;

	if (!strcmp(how, "open_tree"))
		return syscall(NR_open_tree, AT_FDCWD, "/", OPEN_TREE_NAMESPACE | O_CLOEXEC);
	fs = syscall(NR_fsopen, "tmpfs", 1);
	if (fs < 0 || syscall(NR_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	return syscall(NR_fsmount, fs, 1 | FSMOUNT_NAMESPACE, 0);
}

int main(int argc, char **argv)
{
	__u64 id = 0;
	struct stat st;
	char line[16];
	int fd;

	if (argc != 2 || (strcmp(argv[1], "open_tree") && strcmp(argv[1], "fsmount"))) {
		fprintf(stderr, "usage: nsl_mntns_fd open_tree|fsmount\n");
		return 2;
	}
	fd = make(argv[1]);
	if (fd < 0) {
		fprintf(stderr, "nsl_mntns_fd: %s: %s\n", argv[1], strerror(errno));
		return errno == EINVAL || errno == ENOSYS ? 3 : 1;
	}
	if (ioctl(fd, NS_GET_NSTYPE) != 0x00020000 || fstat(fd, &st) < 0) {
		fprintf(stderr, "nsl_mntns_fd: %s gave no mount namespace fd\n", argv[1]);
		return 3;
	}
	ioctl(fd, NS_GET_ID, &id);
	printf("%llu %lu\n", (unsigned long long)id, (unsigned long)st.st_ino);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	close(fd);
	return 0;
}
