// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "event.h"

static const char *const kind_names[NSL_EV_MAX] = {
	[NSL_EV_NONE] = "none", [NSL_EV_CREATE] = "create",
	[NSL_EV_FREE] = "free", [NSL_EV_JOIN] = "join",
	[NSL_EV_LEAVE] = "leave", [NSL_EV_MOUNT] = "mount",
	[NSL_EV_UMOUNT] = "umount", [NSL_EV_PROC_MOUNT] = "proc_mount",
	[NSL_EV_OPEN] = "open", [NSL_EV_LOST] = "lost",
	[NSL_EV_LINGER] = "lingering", [NSL_EV_UNLINGER] = "unlingering",
};

static const char *const how_names[NSL_HOW_MAX] = {
	[NSL_HOW_NONE] = "-", [NSL_HOW_CLONE] = "clone",
	[NSL_HOW_UNSHARE] = "unshare", [NSL_HOW_SETNS] = "setns",
	[NSL_HOW_EXIT] = "exit", [NSL_HOW_MOUNT] = "mount",
	[NSL_HOW_MOVE_MOUNT] = "move_mount", [NSL_HOW_UMOUNT] = "umount",
	[NSL_HOW_OPEN] = "open", [NSL_HOW_HANDLE] = "open_by_handle",
	[NSL_HOW_POLL] = "poll", [NSL_HOW_WORK] = "work",
	[NSL_HOW_TREE] = "ns_tree", [NSL_HOW_KFUNC] = "kfunc",
	[NSL_HOW_SCAN] = "scan", [NSL_HOW_MEMFREE] = "memfree",
	[NSL_HOW_OPEN_TREE] = "open_tree", [NSL_HOW_FSMOUNT] = "fsmount",
	[NSL_HOW_OPEN_TREE_ATTR] = "open_tree_attr",
};

const char *nsl_kind_name(unsigned int kind)
{
	return kind < NSL_EV_MAX ? kind_names[kind] : "?";
}

int nsl_kind_parse(const char *s)
{
	for (int k = NSL_EV_CREATE; k < NSL_EV_MAX; k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	return -1;
}

const char *nsl_how_name(unsigned int how)
{
	return how < NSL_HOW_MAX ? how_names[how] : "?";
}

size_t nsl_kind_size(unsigned int kind)
{
	switch (kind) {
	case NSL_EV_MOUNT:
	case NSL_EV_UMOUNT:
	case NSL_EV_PROC_MOUNT:
		return sizeof(struct nsl_mount_event);
	case NSL_EV_NONE:
		return 0;
	default:
		return kind < NSL_EV_MAX ? sizeof(struct nsl_event) : 0;
	}
}

int nsl_event_check(const void *rec, size_t len)
{
	const struct nsl_hdr *h = rec;
	size_t want;

	if (len < sizeof(*h))
		return -EINVAL;
	want = nsl_kind_size(h->kind);
	if (!want || h->size != want || len < want)
		return -EINVAL;
	if (h->how >= NSL_HOW_MAX)
		return -EINVAL;
	return (int)want;
}

const char *nsl_event_path(const struct nsl_event *e)
{
	if (nsl_kind_size(e->h.kind) != sizeof(struct nsl_mount_event))
		return NULL;
	return ((const struct nsl_mount_event *)e)->path;
}

__u64 nsl_event_cgid(const struct nsl_event *e)
{
	if (e->h.kind == NSL_EV_CREATE && (e->flags & NSL_EF_CGROUP))
		return e->aux.id;
	if (e->h.kind == NSL_EV_JOIN && (e->flags & NSL_EF_JOIN_CGROUP))
		return e->val;
	return 0;
}
