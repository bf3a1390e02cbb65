// SPDX-License-Identifier: GPL-2.0
/*
 * Ground truth about a namespace, from the kernel, without holding it
 * (6.18+ nsfs file handles):
 *   nshandle get PATH   print "ID TYPE INUM HEX" of the nsfs file at PATH
 *   nshandle check HEX  exit 0 and print "alive" while the namespace
 *                       lives; exit 1 and print "dead" once it is gone
 *                       (ESTALE).  Exit 3: this kernel has no nsfs handles.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#define FD_NSFS_ROOT	-10003	/* 6.18 */
#define FILEID_NSFS	0xf1

struct nsfs_fh {
	__u64 ns_id;
	__u32 ns_type;
	__u32 ns_inum;
};

static struct file_handle *fh_alloc(void)
{
	struct file_handle *fh = calloc(1, sizeof(*fh) + 64);

	if (!fh)
		exit(2);
	fh->handle_bytes = 64;
	return fh;
}

static int get(const char *path)
{
	struct file_handle *fh = fh_alloc();
	unsigned char *b = fh->f_handle;
	struct nsfs_fh *n = (void *)b;
	int mnt;

	if (name_to_handle_at(AT_FDCWD, path, fh, &mnt, AT_SYMLINK_FOLLOW)) {
		fprintf(stderr, "nshandle: %s: %s\n", path, strerror(errno));
		return errno == EOPNOTSUPP ? 3 : 2;
	}
	if (fh->handle_type != FILEID_NSFS || fh->handle_bytes < sizeof(*n)) {
		fprintf(stderr, "nshandle: %s: not an nsfs handle here\n", path);
		return 3;
	}
	printf("%llu %u %u ", (unsigned long long)n->ns_id, n->ns_type, n->ns_inum);
	for (unsigned int i = 0; i < fh->handle_bytes; i++)
		printf("%02x", b[i]);
	printf("\n");
	return 0;
}

static int check(const char *hex)
{
	struct file_handle *fh = fh_alloc();
	unsigned char *b = fh->f_handle;
	size_t n = strlen(hex) / 2;
	int fd;

	if (n > 64 || n == 0)
		return 2;
	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &b[i]);
	fh->handle_bytes = n;
	fh->handle_type = FILEID_NSFS;
	fd = open_by_handle_at(FD_NSFS_ROOT, fh, O_RDONLY);
	if (fd >= 0) {
		/* the probe briefly holds a reference: let it go at once */
		close(fd);
		printf("alive\n");
		return 0;
	}
	if (errno == ESTALE) {
		printf("dead\n");
		return 1;
	}
	fprintf(stderr, "nshandle: open_by_handle_at: %s\n", strerror(errno));
	return errno == EINVAL || errno == EBADF ? 3 : 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "get"))
		return get(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "check"))
		return check(argv[2]);
	fprintf(stderr, "usage: nshandle get PATH | nshandle check HEX\n");
	return 2;
}
