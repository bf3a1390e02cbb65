// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mountinfo.h"

int mountinfo_class(struct libmnt_fs *fs)
{
	const char *t = mnt_fs_get_fstype(fs);

	if (!t)
		return MT_OTHER;
	if (!strcmp(t, "nsfs"))
		return MT_NSFS;
	if (!strcmp(t, "proc"))
		return MT_PROC;
	if (!strcmp(t, "sysfs") || !strcmp(t, "mqueue"))
		return MT_NOPIN;
	return MT_OTHER;
}

int mountinfo_count_pins(struct libmnt_table *tb)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int n = 0;

	while (it && mnt_table_next_fs(tb, it, &fs) == 0)
		if (mountinfo_class(fs) == MT_NSFS || mountinfo_class(fs) == MT_PROC)
			n++;
	mnt_free_iter(it);
	return n;
}

/* "net:[4026532279]" (an nsfs mount's root) -> type, inum */
__u32 mountinfo_nsfs_root(const char *root, int *type)
{
	const char *p = root ? strchr(root, '[') : NULL;

	if (!p)
		return 0;
	*type = nsl_type_parse_base(root);
	return *type == NSL_T_NONE ? 0 : strtoul(p + 1, NULL, 10);
}

int mountinfo_read(int dirfd, const char *path, char **text, size_t *len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	size_t cap = MOUNTINFO_CHUNK, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			char *p = realloc(buf, cap *= 2);

			if (!p)
				break;
			buf = p;
		}
	}
	close(fd);
	*text = buf;
	*len = n;
	return 0;
}

struct libmnt_table *mountinfo_parse(char *text, size_t len)
{
	struct libmnt_table *tb = mnt_new_table();
	FILE *f = fmemopen(text, len, "r");

	if (!tb || !f || mnt_table_parse_stream(tb, f, "mountinfo")) {
		if (f)
			fclose(f);
		mnt_unref_table(tb);
		return NULL;
	}
	fclose(f);
	return tb;
}

enum { LINE_KEEP, LINE_DROP, LINE_COUNT, LINE_FULL };

/* length of the field at p, up to a blank or e */
static size_t strcspn_n(const char *p, const char *e)
{
	const char *b = memchr(p, ' ', e - p);

	return (b ? b : e) - p;
}

/* what count_known does with one mountinfo line, [p, e) */
static int line_kind(const struct snap *s, const char *p, const char *e, int *idx)
{
	const char *sep = memmem(p, e - p, " - ", 3), *f = p, *t;
	char root[64];
	size_t n;
	int type, i;
	__u32 inum;

	/* paths escape blanks (\040): " - " is the separator, fields split at ' ' */
	if (!sep)
		return LINE_KEEP;
	t = sep + 3;
	n = strcspn_n(t, e);
	if (n != 4 || memcmp(t, "nsfs", 4)) {
		if ((n == 4 && !memcmp(t, "proc", 4)) ||
		    (n == 5 && !memcmp(t, "sysfs", 5)) ||
		    (n == 6 && !memcmp(t, "mqueue", 6)))
			return LINE_KEEP;
		return LINE_DROP;
	}
	/* the fourth field, root: "net:[4026532279]" */
	for (int k = 0; k < 3 && f; k++) {
		f = memchr(f, ' ', sep - f);
		f = f ? f + 1 : NULL;
	}
	t = f ? memchr(f, ' ', sep - f) : NULL;
	if (!t || t - f >= (long)sizeof(root))
		return LINE_KEEP;
	memcpy(root, f, t - f);
	root[t - f] = '\0';
	inum = mountinfo_nsfs_root(root, &type);
	i = inum ? snap_find(s, type, inum, 0) : -1;
	if (i < 0 || s->ns[i].fd < 0)
		return LINE_KEEP;
	*idx = i;
	return s->ns[i].flags & SNAP_NF_MOUNTED ? LINE_COUNT : LINE_FULL;
}

/*
 * SNAP_MOUNT_COUNTS: a line for an nsfs mount of a namespace that has
 * its mount holder already is counted here and dropped, and so is a
 * mount that holds nothing, so that libmount parses a few lines of each
 * table, not every copy of every /run/netns mount.  Unless a line needs
 * the whole table (whether its mount is covered): then nothing is done.
 * Returns the new length.
 */
size_t mountinfo_count_known(struct snap *s, char *text, size_t len)
{
	char *end = text + len, *p, *e;
	size_t out = 0, n = 0, k;
	int *idx;

	for (p = text; p < end; p++)
		n += *p == '\n';
	/* each line's kind, then its ns index for LINE_COUNT */
	idx = malloc((2 * n + 2) * sizeof(int));
	if (!idx)
		return len;
	for (p = text, k = 0; p < end; p = e + 1, k++) {
		e = memchr(p, '\n', end - p);
		if (!e)
			e = end;
		idx[2 * k] = line_kind(s, p, e, &idx[2 * k + 1]);
		if (idx[2 * k] == LINE_FULL) {
			free(idx);
			return len;
		}
	}
	for (p = text, k = 0; p < end; p = e + 1, k++) {
		e = memchr(p, '\n', end - p);
		if (!e)
			e = end;
		if (idx[2 * k] == LINE_COUNT) {
			s->ns[idx[2 * k + 1]].mounts_counted++;
		} else if (idx[2 * k] == LINE_KEEP) {
			memmove(text + out, p, e - p + (e < end));
			out += e - p + (e < end);
		}
	}
	free(idx);
	return out;
}
