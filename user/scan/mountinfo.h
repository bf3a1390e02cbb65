/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mountinfo text: read whole, pre-filtered (SNAP_MOUNT_COUNTS), parsed by
 * libmount, as lsns and findmnt do: octal escapes in paths (\040),
 * optional fields and their separator are easy to get wrong by hand.
 */
#ifndef NSL_MOUNTINFO_H
#define NSL_MOUNTINFO_H

#include <stddef.h>
#include <libmount/libmount.h>
#include "snap.h"

#define MOUNTINFO_CHUNK	32768

/* what a mount is to the scan */
enum { MT_OTHER, MT_NSFS, MT_PROC, MT_NOPIN };
int mountinfo_class(struct libmnt_fs *fs);
/* nsfs and proc mounts of tb: the ones the scan opens */
int mountinfo_count_pins(struct libmnt_table *tb);
/* "net:[4026532279]" (an nsfs mount's root) -> type, inum; 0 if not one */
__u32 mountinfo_nsfs_root(const char *root, int *type);

/* the whole file at dirfd/path, malloc'd; 0 or -errno */
int mountinfo_read(int dirfd, const char *path, char **text, size_t *len);
/* libmount's table of text, or NULL */
struct libmnt_table *mountinfo_parse(char *text, size_t len);
/*
 * SNAP_MOUNT_COUNTS: count and drop the lines for namespaces whose mount
 * holder the snapshot has already, and mounts that hold nothing; returns
 * the new length (len: nothing dropped).
 */
size_t mountinfo_count_known(struct snap *s, char *text, size_t len);

#endif
