// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_mntns_fd HOW: make a mount namespace the 7.x way, HOW one of
 *  open_tree       open_tree(AT_FDCWD, "/", OPEN_TREE_NAMESPACE) (7.0+)
 *  open_tree_attr  open_tree_attr() with that flag and no attributes
 *  fsmount         fsmount(FSMOUNT_NAMESPACE) of a new tmpfs (7.0+)
 *  unshare_empty   unshare(UNSHARE_EMPTY_MNTNS): no CLONE_NEWNS passed
 * The first three return an nsfs fd on the new namespace and no task is
 * in it; unshare_empty moves the caller into it.  Prints "ID INUM", then
 * holds the namespace until a line (or EOF) on stdin, and exits.  Exit 3:
 * this kernel has no such call or flag (EINVAL, ENOSYS, or an fd that is
 * not an nsfs file).
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
#define NR_open_tree_attr	467
#define OPEN_TREE_NAMESPACE	(1 << 1)	/* include/uapi/linux/mount.h, 7.0 */
#define FSMOUNT_NAMESPACE	0x2		/* idem */
#define UNSHARE_EMPTY_MNTNS	0x00100000	/* include/uapi/linux/sched.h, 7.x */
#define FSCONFIG_CMD_CREATE	6
#define NS_GET_NSTYPE		_IO(0xb7, 0x3)
#define NS_GET_ID		_IOR(0xb7, 13, __u64)

static int make(const char *how)
{
	int fs;

	if (!strcmp(how, "open_tree"))
		return syscall(NR_open_tree, AT_FDCWD, "/", OPEN_TREE_NAMESPACE | O_CLOEXEC);
	if (!strcmp(how, "open_tree_attr"))
		return syscall(NR_open_tree_attr, AT_FDCWD, "/",
			       OPEN_TREE_NAMESPACE | O_CLOEXEC, NULL, 0);
	if (!strcmp(how, "unshare_empty")) {
		/* the new namespace has no /proc: keep a way to it */
		int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (proc < 0 || syscall(SYS_unshare, UNSHARE_EMPTY_MNTNS) < 0)
			return -1;
		return openat(proc, "thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
	}
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

	if (argc != 2 || (strcmp(argv[1], "open_tree") && strcmp(argv[1], "fsmount") &&
			  strcmp(argv[1], "open_tree_attr") &&
			  strcmp(argv[1], "unshare_empty"))) {
		fprintf(stderr, "usage: nsl_mntns_fd open_tree|open_tree_attr|fsmount|unshare_empty\n");
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
