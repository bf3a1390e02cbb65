// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include "mount_abi.h"
#include "mount_list.h"

#define LIST_BATCH	256
#define SM_MASK		(NSL_STATMOUNT_SB_BASIC | NSL_STATMOUNT_MNT_BASIC | \
			 NSL_STATMOUNT_MNT_ROOT | NSL_STATMOUNT_MNT_POINT | \
			 NSL_STATMOUNT_FS_TYPE)

struct buf {
	char *p;
	size_t n, cap;
};

static int buf_grow(struct buf *b, size_t more)
{
	char *p;

	if (b->n + more < b->cap)
		return 0;
	while (b->n + more >= b->cap)
		b->cap = b->cap ? b->cap * 2 : 16384;
	p = realloc(b->p, b->cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	return 0;
}

static int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (buf_grow(b, 128))
		return -ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->n)
		return -EOVERFLOW;
	b->n += n;
	return 0;
}

/* as the kernel's mangle() for mountinfo: " \t\n\\" as \ooo */
static int buf_escaped(struct buf *b, const char *s)
{
	if (buf_grow(b, strlen(s) * 4 + 2))
		return -ENOMEM;
	for (; *s; s++) {
		if (strchr(" \t\n\\", *s))
			b->n += sprintf(b->p + b->n, "\\%03o", (unsigned char)*s);
		else
			b->p[b->n++] = *s;
	}
	b->p[b->n++] = ' ';
	return 0;
}

static int do_statmount(__u64 ns_id, __u64 id, struct nsl_statmount **smp,
			size_t *size)
{
	struct nsl_mnt_id_req req = {
		.size = sizeof(req), .mnt_id = id, .param = SM_MASK,
		.mnt_ns_id = ns_id,
	};

	for (;;) {
		if (syscall(NSL_NR_statmount, &req, *smp, *size, 0) == 0)
			return 0;
		if (errno != EOVERFLOW)
			return -errno;
		free(*smp);
		*size *= 2;
		*smp = malloc(*size);
		if (!*smp)
			return -ENOMEM;
	}
}

/* one mountinfo line; an unreachable mount (no mount point) is skipped */
static int add_line(struct buf *b, const struct nsl_statmount *sm)
{
	const __u64 need = SM_MASK;
	int err;

	if ((sm->mask & need) != need)
		return -EOPNOTSUPP;
	if (!sm->str[sm->mnt_point])
		return 0;
	err = buf_printf(b, "%u %u %u:%u ", sm->mnt_id_old,
			 sm->mnt_parent_id_old, sm->sb_dev_major,
			 sm->sb_dev_minor);
	err = err ?: buf_escaped(b, sm->str + sm->mnt_root);
	err = err ?: buf_escaped(b, sm->str + sm->mnt_point);
	err = err ?: buf_printf(b, "%s",
			sm->mnt_attr & NSL_MOUNT_ATTR_RDONLY ? "ro" : "rw");
	if (!err && (sm->mnt_propagation & MS_SHARED))
		err = buf_printf(b, " shared:%llu",
				 (unsigned long long)sm->mnt_peer_group);
	if (!err && (sm->mnt_propagation & MS_SLAVE))
		err = buf_printf(b, " master:%llu",
				 (unsigned long long)sm->mnt_master);
	if (!err && (sm->mnt_propagation & MS_UNBINDABLE))
		err = buf_printf(b, " unbindable");
	err = err ?: buf_printf(b, " - ");
	err = err ?: buf_escaped(b, sm->str + sm->fs_type);
	return err ?: buf_printf(b, "none rw\n");
}

int mount_list_read(int nsfd, char **text, size_t *len)
{
	size_t size = 4096;
	struct nsl_statmount *sm = malloc(size);
	struct nsl_mnt_id_req req = {
		.size = sizeof(req), .mnt_id = NSL_LSMT_ROOT,
	};
	struct buf b = {};
	__u64 ids[LIST_BATCH];
	long n;
	int err = 0;

	if (!sm)
		return -ENOMEM;
	if (ioctl(nsfd, NS_GET_MNTNS_ID, &req.mnt_ns_id) < 0) {
		err = -errno;
		goto out;
	}
	do {
		n = syscall(NSL_NR_listmount, &req, ids, LIST_BATCH, 0);
		if (n < 0) {
			err = -errno;
			goto out;
		}
		for (long k = 0; k < n && !err; k++) {
			err = do_statmount(req.mnt_ns_id, ids[k], &sm, &size);
			/* gone since listmount: as if read a moment earlier */
			if (err == -ENOENT)
				err = 0;
			else if (!err)
				err = add_line(&b, sm);
		}
		if (n)
			req.param = ids[n - 1];
	} while (!err && n == LIST_BATCH);
	/* a namespace has a root mount: nothing listed is a failure */
	if (!err && !b.n)
		err = -ENOENT;
out:
	free(sm);
	if (err) {
		free(b.p);
		return err;
	}
	*text = b.p;
	*len = b.n;
	return 0;
}
