/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A mount namespace no process is in, read without entering it (6.11+):
 * listmount(2) by its mnt_ns_id, statmount(2) per mount, written out as
 * the mountinfo text a child inside it would have read (mount_setns.c).
 */
#ifndef NSL_MOUNT_LIST_H
#define NSL_MOUNT_LIST_H

#include <stddef.h>

/* the mountinfo text of the mount ns of nsfd (malloc'd); 0 or -errno */
int mount_list_read(int nsfd, char **text, size_t *len);

#endif
