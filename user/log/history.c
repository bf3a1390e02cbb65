// SPDX-License-Identifier: GPL-2.0
/* The history provider (history.h) and why's rendering of it. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "event.h"
#include "history.h"
#include "json.h"
#include "clock.h"

static const struct nsm *hist_map;
static __u64 hist_now;
static __s64 hist_b2r;
static bool hist_b2r_set;

const struct nsm *nsl_history_map(void)
{
	return hist_map;
}

void nsl_history_set(const struct nsm *m, __u64 now)
{
	hist_map = m;
	hist_now = now;
}

void nsl_history_set_clock(__s64 boot_to_real)
{
	hist_b2r = boot_to_real;
	hist_b2r_set = true;
}

__s64 nsl_history_boot_to_real(void)
{
	if (hist_b2r_set)
		return hist_b2r;
	return (__s64)(nsl_clock_ns(CLOCK_REALTIME) - nsl_clock_ns(CLOCK_BOOTTIME));
}

__u64 nsl_history_now(void)
{
	return hist_now ? hist_now : nsl_clock_ns(CLOCK_BOOTTIME);
}

const struct nsm_ns *nsl_history_find(const struct nsl_ns *key)
{
	const struct nsm_ns *n;

	if (!hist_map)
		return NULL;
	if (key->id) {
		n = nsm_find(hist_map, key->id);
		if (n && (!key->inum || n->key.inum == key->inum))
			return n;
		return NULL;
	}
	return nsm_find_inum(hist_map, key->type, key->inum);
}

/* the inum may have been reused: the latest life with it wins */
static __u64 newest(const struct nsm_ns *n)
{
	return n->freed ? n->freed : ~0ULL;
}

const struct nsm_ns *nsl_history_find_any(int type, __u32 inum)
{
	const struct nsm_ns *n, *best = NULL;

	if (!hist_map)
		return NULL;
	for (size_t pos = 0; (n = nsm_next(hist_map, &pos));)
		if (n->key.inum == inum &&
		    (type == NSL_T_NONE || n->key.type == type) &&
		    (!best || newest(n) > newest(best)))
			best = n;
	return best;
}

const struct nsm_ns *nsl_history_lookup(const struct nsl_ns *key)
{
	return key->id ? nsl_history_find(key) : nsl_history_find_any(key->type, key->inum);
}

const struct nsl_owner *nsl_history_owner(const struct nsm_ns *n)
{
	if (!n)
		return NULL;
	if (owner_rank(n->user_owner) == 2 || owner_rank(n->creator_owner) < 2)
		return n->user_owner ? n->user_owner : n->creator_owner;
	return n->creator_owner;
}

const char *nsl_history_state(const struct nsm_ns *n)
{
	switch (n->state) {
	case NSM_LINGERING:
		return "lingering";
	case NSM_DEAD:
		return "dead";
	}
	/* as the metrics count it: lingering first, then the last scan's inactive */
	return n->inactive ? "inactive" : "alive";
}

void nsl_history_time(char *buf, size_t size, __u64 ts)
{
	__s64 real = (__s64)ts + nsl_history_boot_to_real();
	time_t sec = real / 1000000000LL;
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void nsl_history_age(char *buf, size_t size, __u64 ts)
{
	__u64 now = nsl_history_now(), s;

	if (!ts) {
		buf[0] = '\0';
		return;
	}
	s = now > ts ? (now - ts) / 1000000000ULL : 0;
	if (s < 120)
		snprintf(buf, size, "%llus", (unsigned long long)s);
	else if (s < 7200)
		snprintf(buf, size, "%llum", (unsigned long long)s / 60);
	else if (s < 172800)
		snprintf(buf, size, "%lluh", (unsigned long long)s / 3600);
	else
		snprintf(buf, size, "%llud", (unsigned long long)s / 86400);
}

/* " at 2025-06-01T10:00:00Z (5m ago)", or " since ..." */
static void text_at(FILE *out, const char *prep, __u64 ts)
{
	char t[40], age[24];

	nsl_history_time(t, sizeof(t), ts);
	nsl_history_age(age, sizeof(age), ts);
	fprintf(out, " %s %s (%s ago)", prep, t, age);
}

static void text_when(FILE *out, __u64 ts)
{
	text_at(out, "at", ts);
}

static void text_comm(FILE *out, const char *comm)
{
	for (size_t i = 0; i < NSL_COMM_LEN && comm[i]; i++)
		fputc((unsigned char)comm[i] < 0x20 ? '?' : comm[i], out);
}

static void text_pins(FILE *out, const struct nsm_ns *n)
{
	const char *sep = "; pins: ";

	for (const struct nsm_pin *p = n->pins; p; p = p->next) {
		fprintf(out, "%s%s %s in mnt id %llu", sep,
			p->kind == NSL_EV_PROC_MOUNT ? "procfs mount" : "nsfs mount",
			p->path, (unsigned long long)p->mntns);
		if (p->ts) {
			fprintf(out, " by pid %u", p->pid);
			text_when(out, p->ts);
		} else {
			fprintf(out, " (before nslife started)");
		}
		sep = ", ";
	}
}

/* kept from its creation: says whose it was after the container is gone */
static void text_creator_owner(FILE *out, const struct nsm_ns *n)
{
	char buf[512];

	if (n->creator_owner && owner_describe(n->creator_owner, buf, sizeof(buf)) > 0)
		fprintf(out, " in %s", buf);
}

/*
 * "; joined by pid 2568 (runc:[1:CHILD]) in podman container web (...) at
 * ...": the member whose cgroup says whose it is, unless the creator's did
 */
static void text_user(FILE *out, const struct nsm_ns *n)
{
	char buf[512];

	if (!n->user_owner || owner_describe(n->user_owner, buf, sizeof(buf)) <= 0 ||
	    (n->creator_owner && owner_same(n->creator_owner, n->user_owner)))
		return;
	fprintf(out, "; %s pid %u (", n->user_how == NSL_HOW_SCAN ?
		"member" : "joined by", n->user_pid);
	text_comm(out, n->user_comm);
	fprintf(out, ") in %s", buf);
	text_at(out, n->user_how == NSL_HOW_SCAN ? "seen at" : "at", n->user_ts);
}

void nsl_history_why_text(FILE *out, const struct nsm_ns *n)
{
	fprintf(out, "history: ");
	if (n->created) {
		fprintf(out, "created by pid %u (", n->creator);
		text_comm(out, n->creator_comm);
		fprintf(out, ") via %s", nsl_how_name(n->create_how));
		text_creator_owner(out, n);
		text_when(out, n->created);
	} else if (n->seeded) {
		fprintf(out, "created before nslife started");
	} else if (hist_map && hist_map->seed_exact) {
		/* lost, not followed (NSLIFE_SYSCALLS=none), or missed by the first scan */
		fprintf(out, "creation not seen");
	} else {
		/* before 6.18: see struct nsm's seed_exact */
		fprintf(out, "created before nslife started, or its creation was not seen");
	}
	text_user(out, n);
	if (n->last_exit) {
		fprintf(out, "; last member exited (pid %u)", n->last_exit_pid);
		text_when(out, n->last_exit);
	}
	if (n->state == NSM_LINGERING) {
		fprintf(out, "; lingering");
		text_at(out, "since", n->linger_since);
	}
	if (n->freed) {
		fprintf(out, "; freed");
		text_when(out, n->freed);
	}
	text_pins(out, n);
	fputc('\n', out);
}

static void json_when(FILE *out, const char *key, __u64 ts)
{
	char t[40];

	json_key(out, ",", key);
	if (!ts) {
		fputs("null", out);
		return;
	}
	nsl_history_time(t, sizeof(t), ts);
	json_kstr(out, "{", "time", t, sizeof(t));
	json_ku64(out, ",", "ts", ts);
	fputc('}', out);
}

/* a task that made or used the namespace; @at_key: when, if it says */
static void who_json(FILE *out, __u64 pid, const char *comm, __u8 how, __u64 cgid,
		     const struct nsl_owner *owner, const char *at_key, __u64 at)
{
	json_ku64(out, "{", "pid", pid);
	json_kstr(out, ",", "comm", comm, NSL_COMM_LEN);
	json_kstr(out, ",", "how", nsl_how_name(how), (size_t)-1);
	json_ku64(out, ",", "cgroup_id", cgid);
	json_key(out, ",", "owner");
	owner_json(out, owner);
	if (at_key)
		json_when(out, at_key, at);
	fputc('}', out);
}

void nsl_history_why_json(FILE *out, const struct nsm_ns *n)
{
	const char *sep = "";

	json_key(out, ",", "history");
	json_kstr(out, "{", "state", nsl_history_state(n), (size_t)-1);
	json_key(out, ",", "creator");
	if (n->created)
		who_json(out, n->creator, n->creator_comm, n->create_how,
			 n->creator_cgid, n->creator_owner, NULL, 0);
	else
		fputs("null", out);
	json_key(out, ",", "used_by");
	if (n->user_owner)
		who_json(out, n->user_pid, n->user_comm, n->user_how,
			 n->user_cgid, n->user_owner, "at", n->user_ts);
	else
		fputs("null", out);
	json_when(out, "created", n->created);
	json_key(out, ",", "created_before_start");
	fputs(n->created ? "false" : n->seeded ? "true" : "null", out);
	json_when(out, "last_exit", n->last_exit);
	json_ku64(out, ",", "last_exit_pid", n->last_exit_pid);
	json_when(out, "lingering_since", n->state == NSM_LINGERING ? n->linger_since : 0);
	json_when(out, "freed", n->freed);
	json_ku64(out, ",", "events", n->nhist);
	json_key(out, ",", "pins");
	fputc('[', out);
	for (const struct nsm_pin *p = n->pins; p; p = p->next) {
		fputs(sep, out);
		json_kstr(out, "{", "kind", p->kind == NSL_EV_PROC_MOUNT ?
			  "proc_mount" : "mount", (size_t)-1);
		json_kstr(out, ",", "path", p->path, NSL_PATH_LEN);
		json_ku64(out, ",", "mntns_id", p->mntns);
		json_ku64(out, ",", "pid", p->pid);
		json_when(out, "since", p->ts);
		fputc('}', out);
		sep = ",";
	}
	fputs("]}", out);
}

struct mount_note {
	__u64 id, ts;
	unsigned int kind;
	char *path;
};

static struct mount_note notes[NSL_HIST_PATHS];
static size_t notes_next;

void nsl_history_note_mount(const struct nsl_event *e)
{
	const char *path = nsl_event_path(e);
	struct mount_note *m = &notes[notes_next % NSL_HIST_PATHS];

	if (!path || !e->ns.id)
		return;
	free(m->path);
	m->path = strndup(path, NSL_PATH_LEN - 1);
	m->id = e->ns.id;
	m->ts = e->h.ts;
	m->kind = e->h.kind;
	notes_next++;
}

const char *nsl_history_mount_path(__u64 id, __u64 ts, unsigned int kind)
{
	size_t n = notes_next < NSL_HIST_PATHS ? notes_next : NSL_HIST_PATHS;

	/* newest first: the match wanted is usually recent */
	for (size_t k = 1; k <= n; k++) {
		const struct mount_note *m = &notes[(notes_next - k) % NSL_HIST_PATHS];

		if (m->id == id && m->ts == ts && m->kind == kind)
			return m->path;
	}
	return NULL;
}
