/* SPDX-License-Identifier: GPL-2.0 */
/* the mount tables of every mount ns: nsfs, procfs, sysfs and mqueue mounts */
#ifndef NSL_SCAN_MOUNT_H
#define NSL_SCAN_MOUNT_H

#include "snap.h"

int snap_scan_mounts(struct snap *s);
/* the mount tables of mount namespaces from index @first on */
void snap_scan_mounts_from(struct snap *s, size_t first);

#endif
