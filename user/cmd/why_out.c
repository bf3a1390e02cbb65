// SPDX-License-Identifier: GPL-2.0
/*
 * nslife why --json and --dot.  The JSON schema is documented in the
 * README and is a contract for scripts: add fields, never rename them.
 * Every string goes through json.c (comm and paths may be any bytes).
 */
#include <stdio.h>
#include <string.h>
#include "history.h"
#include "json.h"
#include "owners.h"
#include "timespec.h"
#include "why_hint.h"
#include "why_out.h"


static void jkey(const char *key, const char *val, bool comma)
{
	json_kstr(stdout, comma ? "," : "", key, val, (size_t)-1);
}

static void jnum(const char *key, long long v)
{
	json_kint(stdout, ",", key, v);
}

static void jns_ref(const char *key, const struct snap *s, int i)
{
	if (i < 0) {
		json_knull(stdout, ",", key);
		return;
	}
	json_kns(stdout, ",", key, nsl_type_name(s->ns[i].key.type),
		 s->ns[i].key.inum, s->ns[i].key.id);
}

/* {"ns":{"type":..,"inum":..,"id":..,"state":.., left open */
static void jns_open(const struct nsl_ns *key, const char *state)
{
	json_key(stdout, "{", "ns");
	putchar('{');
	if (key->type == NSL_T_NONE)
		json_knull(stdout, "", "type");
	else
		jkey("type", nsl_type_name(key->type), false);
	json_ku64(stdout, ",", "inum", key->inum);
	json_ku64(stdout, ",", "id", key->id);
	jkey("state", state, true);
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
	if (!log_src)
		return;
	jkey("source", "log", true);
	json_key(stdout, ",", "at");
	putchar('{');
	jkey("time", log_at, false);
	json_ku64(stdout, ",", "ts", log_at_boot);
	putchar('}');
}

static void jholder(const struct snap *s, const struct snap_holder *h, int depth)
{
	char rel[2048];

	putchar('{');
	jkey("kind", snap_hkind_name(h->kind), false);
	switch (h->kind) {
	case SNAP_H_TASK:
	case SNAP_H_CRED:
		jnum("pid", h->pid);
		jnum("tid", h->tid);
		jkey("comm", h->comm, true);
		jkey("link", h->link, true);
		json_kbool(stdout, ",", "zombie", h->flags & SNAP_HF_ZOMBIE);
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
		json_kbool(stdout, ",", "zombie", false);
		break;
	case SNAP_H_FILE:
		/* in flight: pid and fd hold the socket, null if nobody does */
		if ((h->flags & SNAP_HF_INFLIGHT) && !h->pid) {
			json_knull(stdout, ",", "pid");
			json_knull(stdout, ",", "fd");
		} else {
			jnum("pid", h->pid);
			jnum("fd", h->fd);
		}
		jkey("comm", h->comm, true);
		jkey("what", snap_file_what_key(h->what), true);
		if (h->path)
			jkey("path", h->path, true);
		else
			json_knull(stdout, ",", "path");
		if (h->flags & SNAP_HF_RING) {
			json_key(stdout, ",", "io_uring");
			json_kint(stdout, "{", "fd", h->fd);
			json_ku64(stdout, ",", "slot", h->slot);
			putchar('}');
		} else {
			json_knull(stdout, ",", "io_uring");
		}
		if (h->flags & SNAP_HF_INFLIGHT) {
			json_key(stdout, ",", "in_flight");
			json_ku64(stdout, "{", "socket", h->sock_ino);
			putchar('}');
		} else {
			json_knull(stdout, ",", "in_flight");
		}
		break;
	case SNAP_H_MOUNT:
	case SNAP_H_PROC_MOUNT:
		jkey("path", h->path, true);
		jns_ref("mntns", s, h->mntns);
		json_kbool(stdout, ",", "covered", h->flags & SNAP_HF_COVERED);
		if (h->kind == SNAP_H_PROC_MOUNT)
			jkey("attributed", h->flags & SNAP_HF_ELIMINATION ?
			     "elimination" : "direct", true);
		if (h->detail)
			jkey("detail", h->detail, true);
		break;
	case SNAP_H_CHILD:
		jkey("type", nsl_type_name(s->ns[h->child].key.type), true);
		json_ku64(stdout, ",", "inum", s->ns[h->child].key.inum);
		json_ku64(stdout, ",", "id", s->ns[h->child].key.id);
		break;
	default:
		jkey("detail", h->detail, true);
		if (h->kind == SNAP_H_KERNEL && h->unexplained) {
			jnum("unexplained", h->unexplained);
			jkey("candidates", nsl_refacct_candidates(s->ns[h->ns].key.type), true);
		}
		break;
	}
	json_key(stdout, ",", "owner");
	owner_json(stdout, snap_holder_owner(s, h));
	if (h->kind != SNAP_H_KERNEL) {
		why_release(s, h, rel, sizeof(rel));
		jkey("release", rel, true);
		why_release_owner(s, h, rel, sizeof(rel));
		if (rel[0])
			jkey("owner_release", rel, true);
		else
			json_knull(stdout, ",", "owner_release");
	}
	if ((h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT) &&
	    depth < WHY_MAX_DEPTH) {
		json_key(stdout, ",", "held_by");
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
		jnum("held_by_more", hidden);
}

/* "refs": the kernel's count against what the holders explain, or null */
static void jrefs(void)
{
	const struct nsl_refacct *a = log_src ? NULL : why_refs();

	if (!a) {
		json_knull(stdout, ",", "refs");
		return;
	}
	json_key(stdout, ",", "refs");
	json_ku64(stdout, "{", "count", a->count);
	json_ku64(stdout, ",", "explained", a->explained);
	json_ku64(stdout, ",", "unexplained", a->unexplained);
	json_kbool(stdout, ",", "exact", a->exact);
	json_key(stdout, ",", "by");
	for (int k = 0; k < NSL_REF_MAX; k++)
		json_ku64(stdout, k ? "," : "{", nsl_refacct_src_key(k), a->by[k]);
	putchar('}');
	if (!a->exact)
		jkey("inexact", nsl_refacct_inexact(a), true);
	putchar('}');
}

void why_json(const struct snap *s, int i)
{
	const struct snap_ns *n = &s->ns[i];
	const struct nsm_ns *hn = nsl_history_find(&n->key);

	jns_open(&n->key, n->state == SNAP_S_INACTIVE ? "inactive" :
		 hn && hn->state == NSM_LINGERING ? "lingering" : "alive");
	jnum("nprocs", n->nprocs);
	jnum("ntasks", n->ntasks);
	jns_ref("owner", s, n->owner);
	jns_ref("parent", s, n->parent);
	json_key(stdout, ",", "owned_by");
	owner_json(stdout, snap_ns_owner(s, i));
	putchar('}');
	json_key(stdout, ",", "holders");
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

	jns_open(key, "dead");
	putchar('}');
	json_key(stdout, ",", "holders");
	printf("[]");
	jsource();
	if (hn)
		nsl_history_why_json(stdout, hn);
	printf("}\n");
}

void why_json_unknown(const struct nsl_ns *key)
{
	jns_open(key, "unknown");
	putchar('}');
	json_key(stdout, ",", "holders");
	printf("[]");
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
		printf("child\\n%s:[%u]", nsl_type_name(s->ns[h->child].key.type),
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
	       s->ns[ns].key.inum, nsl_type_name(s->ns[ns].key.type),
	       s->ns[ns].key.inum);
	for (size_t k = 0; k < s->nr_h; k++) {
		const struct snap_holder *h = &s->h[k];

		if (h->ns != ns || h->kind == SNAP_H_NOPIN)
			continue;
		printf("  h%zu [label=\"", k);
		dot_label_holder(s, h);
		printf("\"];\n  h%zu -> n%u [label=\"pins\"];\n", k, s->ns[ns].key.inum);
		if ((h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT) &&
		    depth < WHY_MAX_DEPTH) {
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

/* the reference accounting of the namespace being shown */
static struct nsl_refacct refs;
static bool have_refs;

void why_set_refs(const struct nsl_refacct *a)
{
	have_refs = a != NULL;
	if (a)
		refs = *a;
}

const struct nsl_refacct *why_refs(void)
{
	return have_refs ? &refs : NULL;
}
