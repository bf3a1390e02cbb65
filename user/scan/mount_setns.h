/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A mount namespace no process is in, reachable only by an nsfs fd we
 * hold: a short-lived child enters it (setns), sends its mountinfo and
 * opens its mounts there, passing the fds back (SCM_RIGHTS, fdpass.c).
 */
#ifndef NSL_MOUNT_SETNS_H
#define NSL_MOUNT_SETNS_H

#include <libmount/libmount.h>
#include "snap.h"

/* open the mounts tb lists, relative to rootfd; the child calls it */
typedef int *(*mount_open_fn)(const struct snap *s, struct libmnt_table *tb,
			      int rootfd, int *nr);

/* the table of mntns and its mounts opened (each fd or -errno); 0 or -errno */
int mount_setns_read(struct snap *s, int mntns, mount_open_fn open_all,
		     struct libmnt_table **tb, int **fds, int *nfds);

#endif
