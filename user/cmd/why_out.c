// SPDX-License-Identifier: GPL-2.0
/*
 * nslife why --json and --dot.  The JSON schema is documented in the
 * README and is a contract for scripts: add fields, never rename them.
 * A small local string escaper stands in until the shared JSON writer
 * exists.
 */
#include <stdio.h>
#include <string.h>
#include "history.h"
#include "owners.h"
#include "timespec.h"
#include "why.h"

#define MAX_DEPTH	6

static void jstr(const char *str)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)(str ? str : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void jkey(const char *key, const char *val, bool comma)
{
	printf("%s\"%s\":", comma ? "," : "", key);
	jstr(val);
}

static void jnum(const char *key, long long v)
{
	printf(",\"%s\":%lld", key, v);
}

static void jns_ref(const char *key, const struct snap *s, int i)
{
	printf(",\"%s\":", key);
	if (i < 0) {
		printf("null");
		return;
	}
	printf("{\"type\":\"%s\",\"inum\":%u,\"id\":%llu}",
	       snap_type_name(s->ns[i].key.type), s->ns[i].key.inum,
	       (unsigned long long)s->ns[i].key.id);
}

static void jholders(const struct snap *s, int ns, int depth);

static bool log_src;
static char log_at[40];
static __u64 log_at_boot;

void why_set_log(__u64 at_wall_ns, __u64 at_boot_ns)
{
	log_src = true;
	log_at_boot = at_boot_ns;
	nsl_time_format(log_at, sizeof(log_at), at_wall_ns);
}

const char *why_log_at(void)
{
	return log_src ? log_at : NULL;
}

/* holders from a log are as recorded, not as found: say so */
static void jsource(void)
{
	if (log_src)
		printf(",\"source\":\"log\",\"at\":{\"time\":\"%s\",\"ts\":%llu}",
		       log_at, (unsigned long long)log_at_boot);
}

static void jholder(const struct snap *s, const struct snap_holder *h, int depth)
{
	char rel[2048];

	printf("{\"kind\":\"%s\"", snap_hkind_name(h->kind));
	switch (h->kind) {
	case SNAP_H_TASK:
	case SNAP_H_CRED:
		jnum("pid", h->pid);
		jnum("tid", h->tid);
		jkey("comm", h->comm, true);
		jkey("link", h->link, true);
		printf(",\"zombie\":%s", h->flags & SNAP_HF_ZOMBIE ? "true" : "false");
		break;
	case SNAP_H_FD:
	case SNAP_H_SOCKET:
		jnum("pid", h->pid);
		jnum("fd", h->fd);
		jkey("comm", h->comm, true);
		break;
	case SNAP_H_FCRED:
		/* a cred holder with an fd: an open file's credentials */
		jnum("pid", h->pid);
		jnum("tid", h->tid);
		jnum("fd", h->fd);
		jkey("comm", h->comm, true);
		jkey("link", "file", true);
		printf(",\"zombie\":false");
		break;
	case SNAP_H_FILE:
		/* in flight: pid and fd hold the socket, null if nobody does */
		if ((h->flags & SNAP_HF_INFLIGHT) && !h->pid) {
			printf(",\"pid\":null,\"fd\":null");
		} else {
			jnum("pid", h->pid);
			jnum("fd", h->fd);
		}
		jkey("comm", h->comm, true);
		jkey("what", snap_file_what_key(h->what), true);
		printf(",\"path\":");
		if (h->path)
			jstr(h->path);
		else
			printf("null");
		if (h->flags & SNAP_HF_RING)
			printf(",\"io_uring\":{\"fd\":%d,\"slot\":%u}", h->fd, h->slot);
		else
			printf(",\"io_uring\":null");
		if (h->flags & SNAP_HF_INFLIGHT)
			printf(",\"in_flight\":{\"socket\":%llu}", (unsigned long long)h->sock_ino);
		else
			printf(",\"in_flight\":null");
		break;
	case SNAP_H_MOUNT:
	case SNAP_H_PROC_MOUNT:
		jkey("path", h->path, true);
		jns_ref("mntns", s, h->mntns);
		printf(",\"covered\":%s", h->flags & SNAP_HF_COVERED ? "true" : "false");
		if (h->kind == SNAP_H_PROC_MOUNT)
			jkey("attributed", h->flags & SNAP_HF_ELIMINATION ?
			     "elimination" : "direct", true);
		if (h->detail)
			jkey("detail", h->detail, true);
		break;
	case SNAP_H_CHILD:
		printf(",\"type\":\"%s\",\"inum\":%u,\"id\":%llu",
		       snap_type_name(s->ns[h->child].key.type),
		       s->ns[h->child].key.inum,
		       (unsigned long long)s->ns[h->child].key.id);
		break;
	default:
		jkey("detail", h->detail, true);
		if (h->kind == SNAP_H_KERNEL && h->unexplained) {
			jnum("unexplained", h->unexplained);
			jkey("candidates", nsl_refacct_candidates(s->ns[h->ns].key.type), true);
		}
		break;
	}
	printf(",\"owner\":");
	owner_json(stdout, snap_holder_owner(s, h));
	if (h->kind != SNAP_H_KERNEL) {
		why_release(s, h, rel, sizeof(rel));
		jkey("release", rel, true);
		why_release_owner(s, h, rel, sizeof(rel));
		printf(",\"owner_release\":");
		if (rel[0])
			jstr(rel);
		else
			printf("null");
	}
	if ((h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT) &&
	    depth < MAX_DEPTH) {
		printf(",\"held_by\":");
		jholders(s, h->mntns, depth + 1);
	}
	putchar('}');
}

static void jholders(const struct snap *s, int ns, int depth)
{
	unsigned int shown[SNAP_H_MAX] = { 0 }, hidden = 0;
	bool first = true;

	putchar('[');
	for (size_t k = 0; k < s->nr_h; k++) {
		const struct snap_holder *h = &s->h[k];

		if (h->ns != ns || h->kind == SNAP_H_NOPIN)
			continue;
		if (depth && why_capped(h->kind) && shown[h->kind]++ >= WHY_NESTED_CAP) {
			hidden++;
			continue;
		}
		if (!first)
			putchar(',');
		first = false;
		jholder(s, h, depth);
	}
	putchar(']');
	/* a nested list is cut like the text one; the top level never is */
	if (depth)
		printf(",\"held_by_more\":%u", hidden);
}

/* "refs": the kernel's count against what the holders explain, or null */
static void jrefs(void)
{
	const struct nsl_refacct *a = log_src ? NULL : why_refs();

	printf(",\"refs\":");
	if (!a) {
		printf("null");
		return;
	}
	printf("{\"count\":%u,\"explained\":%u,\"unexplained\":%u,\"exact\":%s",
	       a->count, a->explained, a->unexplained, a->exact ? "true" : "false");
	printf(",\"by\":{");
	for (int k = 0; k < NSL_REF_MAX; k++)
		printf("%s\"%s\":%u", k ? "," : "", nsl_refacct_src_key(k), a->by[k]);
	printf("}");
	if (!a->exact)
		jkey("inexact", nsl_refacct_inexact(a), true);
	putchar('}');
}

void why_json(const struct snap *s, int i)
{
	const struct snap_ns *n = &s->ns[i];
	const struct nsm_ns *hn = nsl_history_find(&n->key);

	printf("{\"ns\":{\"type\":\"%s\",\"inum\":%u,\"id\":%llu,\"state\":\"%s\"",
	       snap_type_name(n->key.type), n->key.inum,
	       (unsigned long long)n->key.id,
	       n->state == SNAP_S_INACTIVE ? "inactive" :
	       hn && hn->state == NSM_LINGERING ? "lingering" : "alive");
	jnum("nprocs", n->nprocs);
	jnum("ntasks", n->ntasks);
	jns_ref("owner", s, n->owner);
	jns_ref("parent", s, n->parent);
	printf(",\"owned_by\":");
	owner_json(stdout, snap_ns_owner(s, i));
	printf("},\"holders\":");
	jholders(s, i, 0);
	jrefs();
	jsource();
	if (hn)
		nsl_history_why_json(stdout, hn);
	printf("}\n");
}

void why_json_dead(const struct nsl_ns *key)
{
	const struct nsm_ns *hn = nsl_history_lookup(key);

	printf("{\"ns\":{\"type\":");
	if (key->type == NSL_T_NONE)
		printf("null");
	else
		jstr(snap_type_name(key->type));
	printf(",\"inum\":%u,\"id\":%llu,\"state\":\"dead\"},\"holders\":[]",
	       key->inum, (unsigned long long)key->id);
	jsource();
	if (hn)
		nsl_history_why_json(stdout, hn);
	printf("}\n");
}

void why_json_unknown(const struct nsl_ns *key)
{
	printf("{\"ns\":{\"type\":");
	if (key->type == NSL_T_NONE)
		printf("null");
	else
		jstr(snap_type_name(key->type));
	printf(",\"inum\":%u,\"id\":%llu,\"state\":\"unknown\"},\"holders\":[]",
	       key->inum, (unsigned long long)key->id);
	jsource();
	printf("}\n");
}

/* ---- dot ---- */

static void dot_label_holder(const struct snap *s, const struct snap_holder *h)
{
	switch (h->kind) {
	case SNAP_H_TASK:
	case SNAP_H_CRED:
		printf("%s %d/%d\\n%s", snap_hkind_name(h->kind), h->pid, h->tid, h->comm);
		break;
	case SNAP_H_FD:
	case SNAP_H_SOCKET:
	case SNAP_H_FCRED:
	case SNAP_H_FILE:
		printf("%s %d\\npid %d %s", snap_hkind_name(h->kind), h->fd, h->pid, h->comm);
		break;
	case SNAP_H_MOUNT:
	case SNAP_H_PROC_MOUNT:
		printf("%s\\n%s", snap_hkind_name(h->kind), h->path);
		break;
	case SNAP_H_CHILD:
		printf("child\\n%s:[%u]", snap_type_name(s->ns[h->child].key.type),
		       s->ns[h->child].key.inum);
		break;
	default:
		printf("kernel");
		break;
	}
}

static void dot_ns(const struct snap *s, int ns, int depth)
{
	printf("  n%u [shape=box,style=bold,label=\"%s:[%u]\"];\n",
	       s->ns[ns].key.inum, snap_type_name(s->ns[ns].key.type),
	       s->ns[ns].key.inum);
	for (size_t k = 0; k < s->nr_h; k++) {
		const struct snap_holder *h = &s->h[k];

		if (h->ns != ns || h->kind == SNAP_H_NOPIN)
			continue;
		printf("  h%zu [label=\"", k);
		dot_label_holder(s, h);
		printf("\"];\n  h%zu -> n%u [label=\"pins\"];\n", k, s->ns[ns].key.inum);
		if ((h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT) &&
		    depth < MAX_DEPTH) {
			printf("  n%u -> h%zu [label=\"contains\",style=dashed];\n",
			       s->ns[h->mntns].key.inum, k);
			dot_ns(s, h->mntns, depth + 1);
		}
	}
}

void why_dot(const struct snap *s, int ns)
{
	printf("digraph nslife {\n  rankdir=RL;\n  node [fontname=monospace];\n");
	dot_ns(s, ns, 0);
	printf("}\n");
}
