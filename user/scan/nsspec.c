// SPDX-License-Identifier: GPL-2.0
/* NS specifiers: parse (pure), then resolve against a snapshot. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netlink.h"
#include "nsspec.h"
#include "parse.h"

static int parse_u64(const char *str, __u64 *v)
{
	return nsl_parse_u64(str, 0, ~0ULL, v);
}

static int parse_inum(const char *str, struct nsspec *sp)
{
	__u64 v;

	if (parse_u64(str, &v) || v > UINT_MAX || !v)
		return -EINVAL;
	sp->kind = NSSPEC_INUM;
	sp->inum = v;
	return 0;
}

/* "net:[N]" or "net:N" */
static int parse_typed(const char *arg, const char *colon, struct nsspec *sp)
{
	char num[32];
	const char *p = colon + 1;
	size_t n;

	if (!strncmp(arg, "id:", 3)) {
		sp->kind = NSSPEC_ID;
		return parse_u64(p, &sp->id) || !sp->id ? -EINVAL : 0;
	}
	if (nsspec_parse_type(arg, &sp->for_children) < 0 ||
	    (size_t)(colon - arg) != strlen(nsl_type_name(nsl_type_parse_base(arg))))
		return -EINVAL;
	sp->type = nsl_type_parse_base(arg);
	if (*p == '[') {
		p++;
		n = strlen(p);
		if (!n || p[n - 1] != ']' || n >= sizeof(num))
			return -EINVAL;
		snprintf(num, sizeof(num), "%.*s", (int)n - 1, p);
		return parse_inum(num, sp);
	}
	return parse_inum(p, sp);
}

int nsspec_parse(const char *arg, struct nsspec *sp)
{
	const char *colon;
	__u64 v;

	memset(sp, 0, sizeof(*sp));
	if (!arg || !*arg)
		return -EINVAL;
	if (strchr(arg, '/')) {
		sp->kind = NSSPEC_PATH;
		sp->str = arg;
		return 0;
	}
	colon = strchr(arg, ':');
	if (colon)
		return parse_typed(arg, colon, sp);
	if (parse_u64(arg, &v) == 0) {
		if (v >= NSSPEC_INUM_MIN && v <= UINT_MAX)
			return parse_inum(arg, sp);
		sp->kind = NSSPEC_ID;
		sp->id = v;
		return v ? 0 : -EINVAL;
	}
	/* a file name in the current directory */
	sp->kind = NSSPEC_PATH;
	sp->str = arg;
	return 0;
}

int nsspec_parse_type(const char *name, int *for_children)
{
	int t = nsl_type_parse_base(name);
	size_t n = strlen(nsl_type_name(t));

	if (t == NSL_T_NONE)
		return -EINVAL;
	*for_children = 0;
	if (name[n] == ':' || !name[n])
		return t;
	if ((t == NSL_T_PID || t == NSL_T_TIME) && !strcmp(name + n, "_for_children")) {
		*for_children = 1;
		return t;
	}
	return -EINVAL;
}

int nsspec_parse_pid(const char *pid, const char *type, struct nsspec *sp)
{
	__u64 v;
	int t;

	memset(sp, 0, sizeof(*sp));
	if (!pid || parse_u64(pid, &v) || !v || v > INT_MAX)
		return -EINVAL;
	if (!type)
		return -EINVAL;
	t = nsspec_parse_type(type, &sp->for_children);
	if (t < 0)
		return -EINVAL;
	sp->kind = NSSPEC_PID;
	sp->pid = v;
	sp->type = t;
	return 0;
}

static int by_key(const struct nsspec *sp, struct snap *s, struct nsl_ns *key)
{
	int i;

	if (sp->kind == NSSPEC_ID) {
		i = snap_find_id(s, sp->id);
		key->id = sp->id;
		return i >= 0 ? i : -ESTALE;
	}
	key->type = sp->type;
	key->inum = sp->inum;
	i = snap_find(s, sp->type, sp->inum, 0);
	if (i >= 0)
		return i;
	/* alive but held by nothing we can see? ask nsfs file handles */
	if (sp->type != NSL_T_NONE) {
		i = snap_probe(s, sp->type, sp->inum, 0);
		return i >= 0 ? i : -ESTALE;
	}
	for (int t = NSL_T_NONE + 1; t < NSL_T_MAX; t++) {
		i = snap_probe(s, t, sp->inum, 0);
		if (i >= 0 || i == -EOPNOTSUPP)
			break;
	}
	return i >= 0 ? i : -ESTALE;
}

/* a path nsfs-mounted only in other mount namespaces */
static int by_mount_path(struct snap *s, const char *path)
{
	char real[PATH_MAX];
	int best = -1;

	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	for (size_t k = 0; k < s->nr_h; k++) {
		struct snap_holder *h = &s->h[k];

		if (h->kind != SNAP_H_MOUNT || h->ns < 0 || !h->path)
			continue;
		if (strcmp(h->path, path) && strcmp(h->path, real))
			continue;
		if (best < 0 || !(h->flags & SNAP_HF_COVERED))
			best = h->ns;
	}
	return best >= 0 ? best : -ENOENT;
}

static int by_path(struct snap *s, const char *path)
{
	struct stat st;
	int i;

	if (stat(path, &st) == 0 && st.st_dev == s->nsfs_dev) {
		i = snap_find(s, NSL_T_NONE, st.st_ino, 0);
		if (i < 0)
			i = snap_open_ns_path(s, AT_FDCWD, path);
		return i;
	}
	return by_mount_path(s, path);
}

static int by_pid(const struct nsspec *sp, struct snap *s)
{
	char path[96];
	const char *name = nsl_type_name(sp->type);
	struct stat st;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s%s", sp->pid, name,
		 sp->for_children ? "_for_children" : "");
	if (stat(path, &st) < 0) {
		snprintf(path, sizeof(path), "/proc/%d", sp->pid);
		return stat(path, &st) < 0 && errno == ENOENT ? -ESRCH : -ENOENT;
	}
	i = snap_find(s, sp->type, st.st_ino, 0);
	return i >= 0 ? i : snap_open_ns_path(s, AT_FDCWD, path);
}

int nsspec_resolve(const struct nsspec *sp, struct snap *s, int *idx, int max,
		   struct nsl_ns *key)
{
	struct nl_query q;
	int i;

	memset(key, 0, sizeof(*key));
	switch (sp->kind) {
	case NSSPEC_INUM:
	case NSSPEC_ID:
		i = by_key(sp, s, key);
		break;
	case NSSPEC_PATH:
		i = by_path(s, sp->str);
		break;
	case NSSPEC_PID:
		i = by_pid(sp, s);
		break;
	case NSSPEC_ADDR:
	case NSSPEC_IFNAME:
		i = sp->kind == NSSPEC_ADDR ? nl_query_addr(sp->str, &q) :
					      nl_query_ifname(sp->str, &q);
		if (i < 0)
			return i;
		i = nl_search(s, &q, idx, max);
		return i > 0 ? i : -ENOENT;
	default:
		return -EINVAL;
	}
	if (i < 0)
		return i;
	if (max > 0)
		idx[0] = i;
	*key = s->ns[i].key;
	return 1;
}
