// SPDX-License-Identifier: GPL-2.0
/*
 * nslife log format: see logfmt.h.  What the writer (logwriter.c) and
 * the reader (logreader.c) share: record sizes, the CRC, the clock
 * conversion and the error texts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "logfmt.h"

_Static_assert(sizeof(struct nsl_log_hdr) == 256, "log header is 256 bytes");
_Static_assert(sizeof(struct nsl_log_blk) == 48, "block frame is 48 bytes");
_Static_assert(sizeof(struct nsl_log_snap) == 24, "snapshot head is 24");
_Static_assert(sizeof(struct nsl_log_lost) == 24, "lost marker is 24");
_Static_assert(sizeof(NSL_LOG_MAGIC) - 1 == 8, "magic is 8 bytes");
_Static_assert(sizeof(NSL_LOG_SYNC) - 1 == NSL_LOG_SYNC_LEN, "sync is 8");


__u32 nsl_log_crc(__u32 crc, const void *p, size_t n)
{
	return crc32(crc, p, n);
}

size_t nsl_log_rec_size(unsigned int kind)
{
	switch (kind) {
	case NSL_EV_CREATE: case NSL_EV_FREE: case NSL_EV_JOIN:
	case NSL_EV_LEAVE: case NSL_EV_OPEN: case NSL_EV_LOST:
	case NSL_EV_LINGER: case NSL_EV_UNLINGER:
		return sizeof(struct nsl_event);
	case NSL_EV_MOUNT: case NSL_EV_UMOUNT: case NSL_EV_PROC_MOUNT:
		return sizeof(struct nsl_mount_event);
	case NSL_LOG_LOST:
		return sizeof(struct nsl_log_lost);
	case NSL_LOG_SNAPSHOT:
		return sizeof(struct nsl_log_snap);	/* the fixed part */
	}
	return 0;
}

__u64 nsl_log_wall_ns(const struct nsl_log_hdr *h, __u64 boot_ns)
{
	return h->start_wall_ns + (__s64)(boot_ns - h->start_boot_ns);
}

const char *nsl_log_strerror(int err)
{
	switch (-err) {
	case EEXIST:
		return "file exists (use --force to replace it)";
	case ENOSPC:
		return "no space left on device (log kept up to the last flush)";
	case EFBIG:
		return "file too large (log kept up to the last flush)";
	case EPROTO:
		return "not an nslife log";
	case EPROTONOSUPPORT:
		return "log written by an incompatible nslife (format or ABI version)";
	case EBADMSG:
		return "log header is damaged";
	case ENODATA:
		return "empty file";
	case ELOOP:
		return "is a symbolic link";
	case ENODEV:
		return "not a regular file";
	case E2BIG:
		return "record too large";
	case EINVAL:
		return "invalid record";
	}
	return strerror(-err);
}

int nsl_log_grow(__u8 **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 4096;
	__u8 *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}
