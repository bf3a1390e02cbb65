// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "event.h"
#include "format.h"
#include "json.h"

static __u64 clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void nsl_fmt_clock_init(struct nsl_fmt *f)
{
	__u64 boot = clock_ns(CLOCK_BOOTTIME);

	f->boot_to_real = (__s64)(clock_ns(CLOCK_REALTIME) - boot);
	f->t0 = boot;
}

int nsl_fmt_ns(char *buf, size_t len, const struct nsl_ns *ns)
{
	return snprintf(buf, len, "%s:[%u]", nsl_type_name(ns->type), ns->inum);
}

/* comm and paths come from anyone: keep the text line one line */
static void text_str(FILE *out, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

static void text_time(FILE *out, const struct nsl_fmt *f, __u64 ts)
{
	__s64 real = (__s64)ts + f->boot_to_real;
	time_t sec = real / 1000000000LL;
	struct tm tm;

	if (f->relative) {
		double rel = ts >= f->t0 ? (ts - f->t0) / 1e9 : -((f->t0 - ts) / 1e9);

		fprintf(out, "%-15.6f", rel);
		return;
	}
	localtime_r(&sec, &tm);
	fprintf(out, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
		(long)(real % 1000000000LL) / 1000);
}

void nsl_fmt_header(FILE *out, const struct nsl_fmt *f)
{
	if (f->json)
		return;
	fprintf(out, "%-15s %-10s %-18s %-8s %-15s %-16s %s\n",
		f->relative ? "TIME(s)" : "TIME", "EVENT", "NS", "ID",
		"PID/TID", "COMM", "DETAIL");
}

static void text_detail(FILE *out, const struct nsl_event *e)
{
	const char *path = nsl_event_path(e);
	char aux[40];

	nsl_fmt_ns(aux, sizeof(aux), &e->aux);
	fprintf(out, "how=%s", nsl_how_name(e->h.how));
	switch (e->h.kind) {
	case NSL_EV_CREATE:
		fprintf(out, " member=%u flags=0x%llx", e->arg, (unsigned long long)e->val);
		break;
	case NSL_EV_JOIN:
		fprintf(out, " task=%u from=%s", e->arg, e->aux.type ? aux : "-");
		break;
	case NSL_EV_LEAVE:
		fprintf(out, " task=%u", e->arg);
		if (e->h.how == NSL_HOW_EXIT)
			fprintf(out, " refs=%llu", (unsigned long long)e->val);
		else if (e->aux.type)
			fprintf(out, " to=%s", aux);
		break;
	case NSL_EV_OPEN:
		fprintf(out, " fd=%u", e->arg);
		break;
	case NSL_EV_LOST:
		fprintf(out, " lost=%llu", (unsigned long long)e->val);
		if (e->arg)
			fprintf(out, " live_map_full=%u", e->arg);
		break;
	case NSL_EV_LINGER:
		fprintf(out, " holders=%u", e->arg);
		break;
	case NSL_EV_MOUNT:
	case NSL_EV_UMOUNT:
	case NSL_EV_PROC_MOUNT:
		fprintf(out, " mntns=%s flags=0x%x path=", aux, e->flags);
		text_str(out, path, NSL_PATH_LEN);
		break;
	}
}

static void text_event(FILE *out, const struct nsl_fmt *f, const struct nsl_event *e,
		       nsl_fmt_extra_fn extra, void *ctx)
{
	char ns[40], pt[24];

	text_time(out, f, e->h.ts);
	if (e->ns.type)
		nsl_fmt_ns(ns, sizeof(ns), &e->ns);
	else
		strcpy(ns, "-");
	snprintf(pt, sizeof(pt), "%u/%u", e->h.pid, e->h.tid);
	fprintf(out, " %-10s %-18s %-8llu %-15s ", nsl_kind_name(e->h.kind), ns,
		(unsigned long long)e->ns.id, pt);
	text_str(out, e->h.comm, NSL_COMM_LEN);
	fprintf(out, "%*s", (int)(16 - strnlen(e->h.comm, NSL_COMM_LEN)) > 0 ?
		(int)(17 - strnlen(e->h.comm, NSL_COMM_LEN)) : 1, "");
	text_detail(out, e);
	if (extra)
		extra(out, false, ctx);
	fputc('\n', out);
}

static void json_ns(FILE *out, const char *key, const struct nsl_ns *ns)
{
	json_kns(out, ",", key, nsl_type_name(ns->type), ns->inum, ns->id);
}

static void json_time(FILE *out, const struct nsl_fmt *f, __u64 ts)
{
	__s64 real = (__s64)ts + f->boot_to_real;
	time_t sec = real / 1000000000LL;
	struct tm tm;
	char t[64];

	gmtime_r(&sec, &tm);
	snprintf(t, sizeof(t), "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (long long)(real % 1000000000LL));
	json_kstr(out, "", "time", t, sizeof(t));
	json_ku64(out, ",", "ts", ts);
	if (f->relative)
		json_kreal(out, ",", "rel", ts >= f->t0 ? (ts - f->t0) / 1e9 : 0.0);
}

static void json_event(FILE *out, const struct nsl_fmt *f, const struct nsl_event *e,
		       nsl_fmt_extra_fn extra, void *ctx)
{
	const char *path = nsl_event_path(e);

	fputc('{', out);
	json_time(out, f, e->h.ts);
	json_kstr(out, ",", "event", nsl_kind_name(e->h.kind), (size_t)-1);
	json_kstr(out, ",", "how", nsl_how_name(e->h.how), (size_t)-1);
	json_kstr(out, ",", "type", nsl_type_name(e->ns.type), (size_t)-1);
	json_ku64(out, ",", "inum", e->ns.inum);
	json_ku64(out, ",", "id", e->ns.id);
	json_ku64(out, ",", "pid", e->h.pid);
	json_ku64(out, ",", "tid", e->h.tid);
	json_kstr(out, ",", "comm", e->h.comm, NSL_COMM_LEN);
	switch (e->h.kind) {
	case NSL_EV_CREATE:
		json_ku64(out, ",", "member", e->arg);
		json_ku64(out, ",", "flags", e->val);
		break;
	case NSL_EV_JOIN:
		json_ku64(out, ",", "task", e->arg);
		if (e->aux.type)
			json_ns(out, "from", &e->aux);
		break;
	case NSL_EV_LEAVE:
		json_ku64(out, ",", "task", e->arg);
		if (e->h.how == NSL_HOW_EXIT)
			json_ku64(out, ",", "refs", e->val);
		else if (e->aux.type)
			json_ns(out, "to", &e->aux);
		break;
	case NSL_EV_OPEN:
		json_ku64(out, ",", "fd", e->arg);
		break;
	case NSL_EV_LOST:
		json_ku64(out, ",", "lost", e->val);
		/* of them, records of namespaces the BPF live map had no room for */
		if (e->arg)
			json_ku64(out, ",", "live_map_full", e->arg);
		break;
	case NSL_EV_LINGER:
		json_ku64(out, ",", "nholders", e->arg);
		break;
	}
	if (path) {
		json_ns(out, "mntns", &e->aux);
		json_ku64(out, ",", "flags", e->flags);
		json_kstr(out, ",", "path", path, NSL_PATH_LEN);
	}
	if (extra)
		extra(out, true, ctx);
	fputs("}\n", out);
}

void nsl_fmt_event_ext(FILE *out, const struct nsl_fmt *f, const struct nsl_event *e,
		       nsl_fmt_extra_fn extra, void *ctx)
{
	if (f->json)
		json_event(out, f, e, extra, ctx);
	else
		text_event(out, f, e, extra, ctx);
}

void nsl_fmt_event(FILE *out, const struct nsl_fmt *f, const struct nsl_event *e)
{
	nsl_fmt_event_ext(out, f, e, NULL, NULL);
}
