/* SPDX-License-Identifier: GPL-2.0 */
/*
 * listmount(2)/statmount(2), which Debian 12's headers lack: the parts of
 * include/uapi/linux/mount.h (Linux 6.8; mnt_ns_id in struct mnt_id_req
 * and struct statmount since 6.11) and include/uapi/linux/nsfs.h
 * (NS_GET_MNTNS_ID, 6.11) that the scan uses.  x86_64 numbers.
 */
#ifndef NSL_MOUNT_ABI_H
#define NSL_MOUNT_ABI_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define NSL_NR_statmount	457
#define NSL_NR_listmount	458

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID		_IOR(0xb7, 0x5, __u64)
#endif

#define NSL_LSMT_ROOT		0xffffffffffffffffULL

#define NSL_STATMOUNT_SB_BASIC		0x01U
#define NSL_STATMOUNT_MNT_BASIC		0x02U
#define NSL_STATMOUNT_MNT_ROOT		0x08U
#define NSL_STATMOUNT_MNT_POINT		0x10U
#define NSL_STATMOUNT_FS_TYPE		0x20U

#define NSL_MOUNT_ATTR_RDONLY		0x01U

/* MNT_ID_REQ_SIZE_VER1 (6.11): with mnt_ns_id */
struct nsl_mnt_id_req {
	__u32 size;
	__u32 spare;
	__u64 mnt_id;
	__u64 param;
	__u64 mnt_ns_id;
};

struct nsl_statmount {
	__u32 size;
	__u32 mnt_opts;
	__u64 mask;
	__u32 sb_dev_major;
	__u32 sb_dev_minor;
	__u64 sb_magic;
	__u32 sb_flags;
	__u32 fs_type;		/* [str] */
	__u64 mnt_id;
	__u64 mnt_parent_id;
	__u32 mnt_id_old;	/* the ids of /proc/PID/mountinfo */
	__u32 mnt_parent_id_old;
	__u64 mnt_attr;
	__u64 mnt_propagation;	/* MS_SHARED, MS_SLAVE, ... */
	__u64 mnt_peer_group;
	__u64 mnt_master;
	__u64 propagate_from;
	__u32 mnt_root;		/* [str] */
	__u32 mnt_point;	/* [str] */
	__u64 mnt_ns_id;
	__u64 __spare2[49];
	char str[];
};

#endif
