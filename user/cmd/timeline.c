// SPDX-License-Identifier: GPL-2.0
/*
 * nslife timeline NS: the life of one namespace in time order, from the
 * history provider (history.h): created (by whom, how), joined and left,
 * pinned and unpinned (path, mount namespace), member exits, flagged
 * lingering, freed.  The map keeps the first NSM_HIST_FIRST and the last
 * NSM_HIST_LAST events of each namespace, plus when it was created, last
 * lost a member, began to linger and was freed; what fell between is
 * said to be missing, never made up.
 *
 * History comes from a daemon: the client (client.h) sends the query to
 * it and the daemon's child runs this code.  A log reader can serve it
 * too: rebuild a struct nsm from the log (nsm_apply over its records),
 * nsl_history_set() it, and timeline_show() prints from it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "client.h"
#include "commands.h"
#include "event.h"
#include "excl.h"
#include "history.h"
#include "json.h"
#include "logstate.h"
#include "nsspec.h"
#include "why.h"
#include "vec.h"

enum { TL_HIST, TL_CREATED, TL_EXIT, TL_LINGER, TL_FREED, TL_GAP, TL_PIN, TL_USER };

struct tl_item {
	__u64 ts;
	int src;			/* TL_* */
	struct nsm_hist h;		/* TL_HIST */
	const struct nsm_pin *pin;	/* TL_PIN */
	unsigned int omitted;		/* TL_GAP */
};

struct tl {
	const struct nsm_ns *n;
	/* from a log: every event about n, in log order (no bounded history) */
	const struct nsl_mount_event *ev;
	size_t nr_ev;
	struct tl_item *it;
	size_t nr, cap;
	__s64 boot_to_real;
	bool json;
	bool first;			/* JSON: no comma before the next item */
};

static int add(struct tl *t, struct tl_item item)
{
	struct tl_item *p = nsl_vec_push(t->it, t->nr, t->cap, 32);

	if (!p)
		return -ENOMEM;
	*p = item;
	return 0;
}

static bool in_hist(const struct nsm_hist *h, size_t nh, unsigned int kind, __u64 ts)
{
	for (size_t i = 0; i < nh; i++)
		if (h[i].kind == kind && h[i].ts == ts)
			return true;
	return false;
}

static bool pin_in_hist(const struct nsm_hist *h, size_t nh, const struct nsm_pin *p)
{
	for (size_t i = 0; i < nh; i++)
		if (h[i].kind == p->kind && h[i].ts == p->ts && h[i].other == p->mntns)
			return true;
	return false;
}

static bool exit_in_hist(const struct nsm_hist *h, size_t nh, __u64 ts)
{
	for (size_t i = 0; i < nh; i++)
		if (h[i].kind == NSL_EV_LEAVE && h[i].how == NSL_HOW_EXIT && h[i].ts == ts)
			return true;
	return false;
}

/* the join that named its user (nsm_note_user()) */
static bool is_user(const struct nsm_ns *n, const struct nsm_hist *h)
{
	return n->user_owner && n->user_how != NSL_HOW_SCAN && h->kind == NSL_EV_JOIN &&
	       h->ts == n->user_ts && h->pid == n->user_pid;
}

static bool user_in_hist(const struct nsm_ns *n, const struct nsm_hist *h, size_t nh)
{
	for (size_t i = 0; i < nh; i++)
		if (is_user(n, &h[i]))
			return true;
	return false;
}

/* as nsmap remembers an event */
static struct nsm_hist to_hist(const struct nsl_event *e)
{
	struct nsm_hist h = {
		.ts = e->h.ts, .other = e->aux.id, .pid = e->h.pid, .arg = e->arg,
		.kind = e->h.kind, .how = e->h.how,
	};

	if (e->h.kind == NSL_EV_LEAVE && e->h.how == NSL_HOW_EXIT)
		h.arg = (__u32)e->val;
	return h;
}

/* a log has every event: no gaps, and what began before it says so */
static int collect_log(struct tl *t)
{
	const struct nsm_ns *n = t->n;
	bool created = false;
	int err = 0;

	for (size_t i = 0; i < t->nr_ev && !err; i++) {
		const struct nsl_event *e = &t->ev[i].e;

		if (e->ns.id != n->key.id)
			continue;
		created |= e->h.kind == NSL_EV_CREATE;
		/* the path lookup of describe_hist() finds it there */
		nsl_history_note_mount(e);
		err = add(t, (struct tl_item){ .ts = e->h.ts, .src = TL_HIST,
					       .h = to_hist(e) });
	}
	if (!err && !created)
		err = add(t, (struct tl_item){ .ts = 0, .src = TL_CREATED });
	for (const struct nsm_pin *p = n->pins; p && !err; p = p->next)
		if (!p->ts)
			err = add(t, (struct tl_item){ .ts = 0, .src = TL_PIN, .pin = p });
	return err;
}

/* what the fields know and the kept events lost, then time order */
static int collect(struct tl *t)
{
	const struct nsm_ns *n = t->n;
	struct nsm_hist h[NSM_HIST_FIRST + NSM_HIST_LAST];
	size_t nh = t->ev ? 0 : nsm_history(n, h, sizeof(h) / sizeof(h[0]));
	int err = 0;

	if (t->ev) {
		err = collect_log(t);
		goto sort;
	}
	for (size_t i = 0; i < nh && !err; i++) {
		err = add(t, (struct tl_item){ .ts = h[i].ts, .src = TL_HIST, .h = h[i] });
		if (!err && i + 1 == NSM_HIST_FIRST && n->nhist > nh)
			err = add(t, (struct tl_item){ .ts = h[i].ts, .src = TL_GAP,
						       .omitted = n->nhist - nh });
	}
	if (!err && !in_hist(h, nh, NSL_EV_CREATE, n->created))
		err = add(t, (struct tl_item){ .ts = n->created, .src = TL_CREATED });
	if (!err && n->user_owner && !user_in_hist(n, h, nh))
		err = add(t, (struct tl_item){ .ts = n->user_ts, .src = TL_USER });
	if (!err && n->last_exit && !exit_in_hist(h, nh, n->last_exit))
		err = add(t, (struct tl_item){ .ts = n->last_exit, .src = TL_EXIT });
	if (!err && n->state == NSM_LINGERING && !in_hist(h, nh, NSL_EV_LINGER, n->linger_since))
		err = add(t, (struct tl_item){ .ts = n->linger_since, .src = TL_LINGER });
	if (!err && n->freed && !in_hist(h, nh, NSL_EV_FREE, n->freed))
		err = add(t, (struct tl_item){ .ts = n->freed, .src = TL_FREED });
	for (const struct nsm_pin *p = n->pins; p && !err; p = p->next)
		if (!pin_in_hist(h, nh, p))
			err = add(t, (struct tl_item){ .ts = p->ts, .src = TL_PIN, .pin = p });
sort:
	/* insertion sort: stable, so a gap stays after the event before it */
	for (size_t i = 1; i < t->nr; i++) {
		struct tl_item x = t->it[i];
		size_t j = i;

		while (j > 0 && t->it[j - 1].ts > x.ts) {
			t->it[j] = t->it[j - 1];
			j--;
		}
		t->it[j] = x;
	}
	return err;
}

/* ---- one line or object per item ---- */

struct line {
	const char *event;
	char detail[600];
	/* JSON extras, 0/NULL when none */
	const char *how;
	__u32 pid;
	const char *path;
	__u64 mntns;
	bool has_mntns;
};

static const char *note_path(const struct tl *t, const struct nsm_hist *h)
{
	const char *p = nsl_history_mount_path(t->n->key.id, h->ts, h->kind);

	return p ? p : "(path not kept)";
}

/* ", in podman container web (82ce0aee41a0)": whose it was, kept */
static void owner_detail(const struct nsl_owner *o, struct line *l)
{
	size_t len = strlen(l->detail);
	char buf[512];

	if (o && owner_describe(o, buf, sizeof(buf)) > 0)
		snprintf(l->detail + len, sizeof(l->detail) - len, ", in %s", buf);
}

static void creator_owner(const struct nsm_ns *n, struct line *l)
{
	owner_detail(n->creator_owner, l);
}

static void describe_hist(const struct tl *t, const struct nsm_hist *h, struct line *l)
{
	const struct nsm_ns *n = t->n;
	size_t sz = sizeof(l->detail);

	l->how = nsl_how_name(h->how);
	l->pid = h->pid;
	switch (h->kind) {
	case NSL_EV_CREATE:
		l->event = "created";
		snprintf(l->detail, sz, "by pid %u (%.*s) via %s, first member %u", h->pid,
			 NSL_COMM_LEN, h->pid == n->creator ? n->creator_comm : "?",
			 l->how, h->arg);
		creator_owner(n, l);
		break;
	case NSL_EV_JOIN:
		l->event = "joined";
		snprintf(l->detail, sz, "task %u of pid %u via %s, from ns id %llu", h->arg,
			 h->pid, l->how, (unsigned long long)h->other);
		if (is_user(n, h))
			owner_detail(n->user_owner, l);
		break;
	case NSL_EV_LEAVE:
		if (h->how == NSL_HOW_EXIT) {
			l->event = "exited";
			snprintf(l->detail, sz, "a member of pid %u exited, refs %u: %s%s",
				 h->pid, h->arg, h->arg <= 1 ? "that was the last reference" :
				 "something else still holds it",
				 h->ts == n->last_exit ? " (last member exit seen)" : "");
		} else {
			l->event = "left";
			snprintf(l->detail, sz, "task %u of pid %u via %s", h->arg, h->pid, l->how);
		}
		break;
	case NSL_EV_MOUNT:
	case NSL_EV_PROC_MOUNT:
	case NSL_EV_UMOUNT:
		l->event = h->kind == NSL_EV_UMOUNT ? "unpinned" : "pinned";
		l->path = note_path(t, h);
		l->mntns = h->other;
		l->has_mntns = true;
		snprintf(l->detail, sz, "%s%s in mnt id %llu, by pid %u via %s",
			 h->kind == NSL_EV_PROC_MOUNT ? "procfs " : "", l->path,
			 (unsigned long long)h->other, h->pid, l->how);
		break;
	case NSL_EV_OPEN:
		l->event = "opened";
		snprintf(l->detail, sz, "fd %u by pid %u via %s", h->arg, h->pid, l->how);
		break;
	case NSL_EV_LINGER:
		l->event = "lingering";
		snprintf(l->detail, sz, "no member task, %u holder%s", h->arg,
			 h->arg == 1 ? "" : "s");
		break;
	case NSL_EV_UNLINGER:
		l->event = "unlingering";
		snprintf(l->detail, sz, "no longer lingering");
		break;
	case NSL_EV_FREE:
		l->event = "freed";
		snprintf(l->detail, sz, "seen via %s", l->how);
		break;
	default:
		l->event = nsl_kind_name(h->kind);
		break;
	}
}

static void describe(const struct tl *t, const struct tl_item *it, struct line *l)
{
	const struct nsm_ns *n = t->n;
	size_t sz = sizeof(l->detail);

	memset(l, 0, sizeof(*l));
	switch (it->src) {
	case TL_HIST:
		describe_hist(t, &it->h, l);
		break;
	case TL_CREATED:
		l->event = "created";
		if (!n->created) {
			snprintf(l->detail, sz, "before nslife started (creator unknown)");
			break;
		}
		l->how = nsl_how_name(n->create_how);
		l->pid = n->creator;
		snprintf(l->detail, sz, "by pid %u (%.*s) via %s", n->creator, NSL_COMM_LEN,
			 n->creator_comm, l->how);
		creator_owner(n, l);
		break;
	case TL_USER:
		l->event = n->user_how == NSL_HOW_SCAN ? "member" : "joined";
		l->how = nsl_how_name(n->user_how);
		l->pid = n->user_pid;
		snprintf(l->detail, sz, "by pid %u (%.*s) via %s%s", n->user_pid, NSL_COMM_LEN,
			 n->user_comm, l->how, n->user_how == NSL_HOW_SCAN ?
			 " (a member task when nslife looked)" : " (join event not kept)");
		owner_detail(n->user_owner, l);
		break;
	case TL_EXIT:
		l->event = "exited";
		l->pid = n->last_exit_pid;
		snprintf(l->detail, sz, "task %u exited (last member exit seen)",
			 n->last_exit_pid);
		break;
	case TL_LINGER:
		l->event = "lingering";
		snprintf(l->detail, sz, "no member task, still alive");
		break;
	case TL_FREED:
		l->event = "freed";
		break;
	case TL_GAP:
		l->event = "...";
		snprintf(l->detail, sz, "%u events not kept", it->omitted);
		break;
	case TL_PIN:
		l->event = "pinned";
		l->path = it->pin->path;
		l->mntns = it->pin->mntns;
		l->has_mntns = true;
		l->pid = it->pin->pid;
		snprintf(l->detail, sz, "%s%s in mnt id %llu%s",
			 it->pin->kind == NSL_EV_PROC_MOUNT ? "procfs " : "", l->path,
			 (unsigned long long)l->mntns,
			 it->ts ? " (mount event not kept, or copied into a new mount ns)" :
				  " (before nslife started)");
		break;
	}
}

static void fmt_time(const struct tl *t, __u64 ts, char *buf, size_t size)
{
	__s64 real = (__s64)ts + t->boot_to_real;
	time_t sec = real / 1000000000LL;
	struct tm tm;

	if (!ts) {
		snprintf(buf, size, "-");
		return;
	}
	gmtime_r(&sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long long)(real % 1000000000LL) / 1000000);
}

static void print_text(struct tl *t)
{
	const struct nsm_ns *n = t->n;
	char when[80];
	struct line l;

	printf("%s:[%u] id %llu: %s; %u event%s seen\n", nsl_type_name(n->key.type),
	       n->key.inum, (unsigned long long)n->key.id, nsl_history_state(n),
	       n->nhist, n->nhist == 1 ? "" : "s");
	for (size_t i = 0; i < t->nr; i++) {
		describe(t, &t->it[i], &l);
		fmt_time(t, t->it[i].ts, when, sizeof(when));
		printf("%-24s  %-11s %s\n", when, l.event, l.detail);
	}
}

static void json_item(struct tl *t, const struct tl_item *it)
{
	char when[80];
	struct line l;

	describe(t, it, &l);
	fmt_time(t, it->ts, when, sizeof(when));
	printf("%s{", t->first ? "" : ",");
	t->first = false;
	if (it->ts)
		json_kstr(stdout, "", "time", when, sizeof(when));
	else
		json_knull(stdout, "", "time");
	json_ku64(stdout, ",", "ts", it->ts);
	json_kstr(stdout, ",", "event", l.event, (size_t)-1);
	if (l.how)
		json_kstr(stdout, ",", "how", l.how, (size_t)-1);
	if (l.pid)
		json_ku64(stdout, ",", "pid", l.pid);
	if (l.path)
		json_kstr(stdout, ",", "path", l.path, NSL_PATH_LEN);
	if (l.has_mntns)
		json_ku64(stdout, ",", "mntns_id", l.mntns);
	if (it->src == TL_HIST && it->h.kind == NSL_EV_LEAVE && it->h.how == NSL_HOW_EXIT)
		json_ku64(stdout, ",", "refs", it->h.arg);
	if (it->src == TL_GAP)
		json_ku64(stdout, ",", "omitted", it->omitted);
	json_kstr(stdout, ",", "detail", l.detail, sizeof(l.detail));
	putchar('}');
}

static void print_json(struct tl *t)
{
	const struct nsm_ns *n = t->n;

	json_key(stdout, "{", "ns");
	json_kstr(stdout, "{", "type", nsl_type_name(n->key.type), (size_t)-1);
	json_ku64(stdout, ",", "inum", n->key.inum);
	json_ku64(stdout, ",", "id", n->key.id);
	json_kstr(stdout, ",", "state", nsl_history_state(n), (size_t)-1);
	putchar('}');
	json_ku64(stdout, ",", "events_seen", n->nhist);
	json_key(stdout, ",", "timeline");
	putchar('[');
	t->first = true;
	for (size_t i = 0; i < t->nr; i++)
		json_item(t, &t->it[i]);
	printf("]");
	nsl_history_why_json(stdout, n);
	printf("}\n");
}

/* print n's life from the current history provider, or from a log's events */
static int timeline_show(const struct nsm_ns *n, bool json,
			 const struct nsl_mount_event *ev, size_t nr_ev)
{
	struct tl t = { .n = n, .json = json, .ev = ev, .nr_ev = nr_ev };
	int err;

	t.boot_to_real = nsl_history_boot_to_real();
	err = collect(&t);
	if (err) {
		fprintf(stderr, "nslife: timeline: out of memory\n");
		free(t.it);
		return 1;
	}
	if (json)
		print_json(&t);
	else
		print_text(&t);
	free(t.it);
	return 0;
}

/* ---- which namespace ---- */

/* ids and inums straight from the map (the dead too); the rest via a scan */
static const struct nsm_ns *find(const struct nsspec *sp)
{
	const struct nsm_ns *n = NULL;
	struct nsl_ns key;
	struct snap s;
	int idx[1], r;

	if (sp->kind == NSSPEC_ID)
		return nsm_find(nsl_history_map(), sp->id);
	if (sp->kind == NSSPEC_INUM)
		return nsl_history_find_any(sp->type, sp->inum);
	if (snap_scan(&s, SNAP_NO_SOCKETS)) {
		snap_release(&s);
		return NULL;
	}
	r = nsspec_resolve(sp, &s, idx, 1, &key);
	if (r > 0 || r == -ESTALE)
		n = nsl_history_lookup(&key);
	snap_release(&s);
	return n;
}

static int usage(FILE *f)
{
	fprintf(f,
"usage: nslife timeline [--json] NS\n"
"       nslife timeline [--json] -p PID -t TYPE\n\n"
"The life of one namespace in time order: created (by whom, how), joined\n"
"and left, pinned and unpinned, member exits, lingering, freed.  Needs the\n"
"history a running 'nslife daemon' keeps.\n\n"
"NS: as for 'nslife why': net:[4026532279], 4026532279, id:4100, a path\n\n"
"  -p, --pid PID      a process's namespace of type -t\n"
"  -t, --type TYPE    mnt net uts ipc pid user cgroup time\n"
"  -J, --json         one JSON object\n"
"      --log FILE     from a recorded log, every event (FILE.1 ... beside\n"
"                     it too); NS is then type:[inum], an inum or id:N\n"
"      --at TIME      only up to TIME (see 'nslife why --help')\n"
"      --socket PATH  the daemon's socket (default " NSL_SOCKET_DEFAULT ")\n");
	return f == stdout ? 0 : 2;
}

static int parse_args(int argc, char **argv, struct nsspec *sp, bool *json,
		      struct logargs *la)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "pid", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		LOGARGS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *pid = NULL, *type = NULL;
	int c;

	*json = false;
	optind = 0;	/* glibc: a full reset, argv may be a new one */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "Jp:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'J': *json = true; break;
		case 'p': pid = optarg; break;
		case 't': type = optarg; break;
		case 'h': exit(usage(stdout));
		default:
			if (logargs_opt(la, c, optarg, "timeline", opts, argv[optind - 1]))
				return -EINVAL;
		}
	}
	if (logargs_check(la, "timeline"))
		return -EINVAL;
	return why_parse_ns(argc, argv, pid, type, sp, "timeline");
}

/* every event of the namespace in the log, up to --at */
static int timeline_log(const struct nsspec *sp, bool json, const struct logargs *la,
			const char *arg)
{
	struct logstate ls = {};
	const struct nsm_ns *n;
	int rc;

	if (sp->kind != NSSPEC_INUM && sp->kind != NSSPEC_ID) {
		fprintf(stderr, "nslife: timeline: with --log, NS is type:[inum], an inum or id:N\n");
		return 2;
	}
	ls.collect = true;
	ls.c_type = sp->type;
	ls.c_inum = sp->inum;
	ls.c_id = sp->kind == NSSPEC_ID ? sp->id : 0;
	rc = logstate_open(&ls, la, "timeline");
	if (rc)
		goto cleanup;
	n = find(sp);
	if (!n)
		n = logstate_forgotten(&ls, ls.c_id);
	if (!n) {
		fprintf(stderr, "nslife: timeline: %s: the log never saw it\n", arg);
		rc = 1;
		goto cleanup;
	}
	rc = timeline_show(n, json, ls.ev, ls.nr_ev);
cleanup:
	nsl_history_set(NULL, 0);
	logstate_free(&ls);
	return rc;
}

int cmd_timeline(int argc, char **argv)
{
	const struct nsm_ns *n;
	struct nsspec sp;
	struct logargs la = {};
	bool json;
	int rc;

	client_opts(&argc, argv);
	if (parse_args(argc, argv, &sp, &json, &la))
		return 2;
	rc = client_query(argc, argv);
	if (rc >= 0)
		return rc;
	if (la.n)
		return timeline_log(&sp, json, &la, argv[argc - 1]);
	if (!nsl_history_map()) {
		fprintf(stderr, "nslife: timeline needs history: start 'nslife daemon' "
			"(or read a recorded log with --log FILE)\n");
		return 1;
	}
	n = find(&sp);
	if (!n) {
		fprintf(stderr, "nslife: timeline: %s: no history (not seen since the daemon "
			"started, or forgotten)\n", sp.str ? sp.str : argv[argc - 1]);
		return 1;
	}
	return timeline_show(n, json, NULL, 0);
}
