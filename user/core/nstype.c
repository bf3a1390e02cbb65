// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <linux/types.h>
#include "nslife.h"
#include "nstype.h"

static const struct {
	const char *name;
	unsigned long clone;	/* CLONE_NEW*: older headers lack the newest */
} types[NSL_T_MAX] = {
	[NSL_T_NONE]	= { "-",	0 },
	[NSL_T_MNT]	= { "mnt",	0x00020000 },
	[NSL_T_NET]	= { "net",	0x40000000 },
	[NSL_T_UTS]	= { "uts",	0x04000000 },
	[NSL_T_IPC]	= { "ipc",	0x08000000 },
	[NSL_T_PID]	= { "pid",	0x20000000 },
	[NSL_T_USER]	= { "user",	0x10000000 },
	[NSL_T_CGROUP]	= { "cgroup",	0x02000000 },
	[NSL_T_TIME]	= { "time",	0x00000080 },
};

const char *nsl_type_name(unsigned int type)
{
	return type < NSL_T_MAX ? types[type].name : "?";
}

int nsl_type_parse(const char *s)
{
	for (int t = NSL_T_MNT; t < NSL_T_MAX; t++)
		if (!strcmp(s, types[t].name))
			return t;
	return -1;
}

int nsl_type_parse_base(const char *s)
{
	/* pid_for_children and time_for_children name their base type */
	size_t n = strcspn(s, "_:");

	for (int t = NSL_T_MNT; t < NSL_T_MAX; t++)
		if (strlen(types[t].name) == n && !strncmp(s, types[t].name, n))
			return t;
	return NSL_T_NONE;
}

unsigned int nsl_type_from_clone(unsigned long flag)
{
	for (int t = NSL_T_MNT; t < NSL_T_MAX; t++)
		if (types[t].clone == flag)
			return t;
	return NSL_T_NONE;
}

unsigned long nsl_type_clone_flag(unsigned int type)
{
	return type < NSL_T_MAX ? types[type].clone : 0;
}
