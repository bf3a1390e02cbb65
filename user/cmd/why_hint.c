// SPDX-License-Identifier: GPL-2.0
/*
 * How to release each holder, and which holder kinds a nested level caps:
 * shared by why's text (why.c) and its JSON and dot (why_out.c).
 */
#include <stdio.h>
#include "owners.h"
#include "why_hint.h"

bool why_pins(const struct snap_holder *h, int ns)
{
	return h->ns == ns && h->kind != SNAP_H_NOPIN;
}

/*
 * A command prefix that enters mount ns m from ours: "" for our own,
 * "nsenter -t PID -m " for one with a process, and for one without,
 * through whatever nsfs file of it is reachable.  NULL: none.
 */
static const char *enter_prefix(const struct snap *s, int m, char *buf,
				size_t size, int depth)
{
	char outer[512];

	if (snap_is_self_mnt(s, m))
		return "";
	if (s->ns[m].mnt_pid) {
		snprintf(buf, size, "nsenter -t %d -m ", s->ns[m].mnt_pid);
		return buf;
	}
	if (depth > WHY_MAX_DEPTH)
		return NULL;
	for (size_t k = 0; k < s->nr_h; k++) {
		const struct snap_holder *h = &s->h[k];
		const char *pre;

		if (h->ns != m)
			continue;
		if (h->kind == SNAP_H_FD) {
			snprintf(buf, size, "nsenter --mount=/proc/%d/fd/%d ",
				 h->pid, h->fd);
			return buf;
		}
		if (h->kind != SNAP_H_MOUNT || (h->flags & SNAP_HF_COVERED))
			continue;
		pre = enter_prefix(s, h->mntns, outer, sizeof(outer), depth + 1);
		if (pre) {
			snprintf(buf, size, "%snsenter --mount=%s ", pre, h->path);
			return buf;
		}
	}
	return NULL;
}

static void release_mount(const struct snap *s, const struct snap_holder *h,
			  char *buf, size_t size)
{
	char pre[1024];
	const char *p = enter_prefix(s, h->mntns, pre, sizeof(pre), 0);
	const char *cov = h->flags & SNAP_HF_COVERED ?
		" (covered: the mounts above it go first, or umount -l)" : "";

	if (p)
		snprintf(buf, size, "%sumount %s%s", p, h->path, cov);
	else
		snprintf(buf, size, "umount %s inside mnt:[%u], or release what holds that mount namespace%s",
			 h->path, s->ns[h->mntns].key.inum, cov);
}

void why_release(const struct snap *s, const struct snap_holder *h, char *buf,
		 size_t size)
{
	const struct snap_ns *c;

	switch (h->kind) {
	case SNAP_H_TASK:
	case SNAP_H_CRED:
		if (h->flags & SNAP_HF_ZOMBIE)
			snprintf(buf, size, "zombie: its parent %d must reap it (or kill %d)",
				 h->ppid, h->ppid);
		else if (h->flags & SNAP_HF_THREAD)
			snprintf(buf, size, "kill %d (thread %d joined this namespace alone)",
				 h->pid, h->tid);
		else
			snprintf(buf, size, "kill %d", h->pid);
		break;
	case SNAP_H_FD:
	case SNAP_H_SOCKET:
	case SNAP_H_FCRED:
		snprintf(buf, size, "close fd %d in %d (%s), or kill %d",
			 h->fd, h->pid, h->comm, h->pid);
		break;
	case SNAP_H_FILE:
		if ((h->flags & SNAP_HF_INFLIGHT) && h->pid)
			snprintf(buf, size, "receive it from socket:[%llu] (recvmsg), or close fd %d "
				 "in %d (%s) and every other fd on that socket, or kill %d",
				 (unsigned long long)h->sock_ino, h->fd, h->pid, h->comm, h->pid);
		else if (h->flags & SNAP_HF_INFLIGHT)
			snprintf(buf, size, "goes when socket:[%llu] is freed; no process has it "
				 "open (it is itself in flight, or closing): release what holds that",
				 (unsigned long long)h->sock_ino);
		else if (h->flags & SNAP_HF_RING)
			snprintf(buf, size, "unregister slot %u of io_uring fd %d in %d (%s) "
				 "(IORING_REGISTER_FILES_UPDATE with -1), close that ring, or kill %d",
				 h->slot, h->fd, h->pid, h->comm, h->pid);
		else
			snprintf(buf, size, "close fd %d in %d (%s), or kill %d",
				 h->fd, h->pid, h->comm, h->pid);
		break;
	case SNAP_H_MOUNT:
	case SNAP_H_PROC_MOUNT:
		release_mount(s, h, buf, size);
		break;
	case SNAP_H_CHILD:
		c = &s->ns[h->child];
		snprintf(buf, size, "goes when %s:[%u] dies (nslife why %s:[%u])",
			 nsl_type_name(c->key.type), c->key.inum,
			 nsl_type_name(c->key.type), c->key.inum);
		break;
	default:
		snprintf(buf, size, "nothing nslife can name; see detail");
		break;
	}
}

void why_release_owner(const struct snap *s, const struct snap_holder *h,
		       char *buf, size_t size)
{
	const struct nsl_owner *o = snap_holder_owner(s, h);

	buf[0] = 0;
	/* a monitor (conmon) is released with its container, by the runtime */
	if (o && h->kind != SNAP_H_CHILD && h->kind != SNAP_H_KERNEL)
		owner_release_cmd(o, buf, size);
}

void why_left_by(const struct snap *s, int ns, const struct nsm_ns *hn,
		 char *buf, size_t size)
{
	const struct nsl_owner *o = NULL;
	char who[512];
	int gone;

	buf[0] = 0;
	if (!hn || s->ns[ns].nprocs)
		return;
	if (owner_rank(hn->user_owner) == 2)
		o = hn->user_owner;
	else if (owner_rank(hn->creator_owner) == 2)
		o = hn->creator_owner;
	if (!o || owner_describe(o, who, sizeof(who)) <= 0)
		return;
	gone = owners_ctr_gone(s->owners, o);
	snprintf(buf, size, " (left behind by %s%s)", who, gone > 0 ? ", which is gone" :
		 gone == 0 ? ", which still exists" : "");
}

bool why_capped(int kind)
{
	return kind == SNAP_H_TASK || kind == SNAP_H_CRED || kind == SNAP_H_FCRED ||
	       kind == SNAP_H_SOCKET || kind == SNAP_H_CHILD || kind == SNAP_H_FILE;
}
