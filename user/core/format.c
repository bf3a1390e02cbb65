// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "event.h"
#include "format.h"
#include "json.h"
#include "clock.h"

void nsl_fmt_clock_init(struct nsl_fmt *f)
{
	__u64 boot = nsl_clock_ns(CLOCK_BOOTTIME);

	f->boot_to_real = (__s64)(nsl_clock_ns(CLOCK_REALTIME) - boot);
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
		if (e->flags)
			fprintf(out, " live_map_refused=%u", e->flags);
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

static void json_ns(struct jbuf *b, const char *key, size_t klen,
		    const struct nsl_ns *ns)
{
	jb_raw(b, key, klen);
	JB_LIT(b, "{\"type\":");
	jb_str(b, nsl_type_name(ns->type), (size_t)-1);
	JB_LIT(b, ",\"inum\":");
	jb_u64(b, ns->inum);
	JB_LIT(b, ",\"id\":");
	jb_u64(b, ns->id);
	JB_LIT(b, "}");
}

#define JSON_NS(b, lit, ns)	json_ns(b, lit, sizeof(lit) - 1, ns)

/* the date and time to the second, formatted once per second */
static __thread struct {
	time_t sec;
	char s[64];
} tcache = { .sec = -1 };

static void json_time(struct jbuf *b, const struct nsl_fmt *f, __u64 ts)
{
	__s64 real = (__s64)ts + f->boot_to_real;
	time_t sec = real / 1000000000LL;
	unsigned int ns = real % 1000000000LL;
	char frac[10];
	struct tm tm;

	if (sec != tcache.sec) {
		gmtime_r(&sec, &tm);
		snprintf(tcache.s, sizeof(tcache.s), "%04d-%02d-%02dT%02d:%02d:%02d.",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min, tm.tm_sec);
		tcache.sec = sec;
	}
	for (int i = 8; i >= 0; i--, ns /= 10)
		frac[i] = '0' + ns % 10;
	frac[9] = 'Z';
	JB_LIT(b, "\"time\":\"");
	jb_raw(b, tcache.s, strlen(tcache.s));
	jb_raw(b, frac, sizeof(frac));
	JB_LIT(b, "\",\"ts\":");
	jb_u64(b, ts);
	if (f->relative) {
		char rel[40];

		jb_raw(b, rel, snprintf(rel, sizeof(rel), ",\"rel\":%.6f",
					ts >= f->t0 ? (ts - f->t0) / 1e9 : 0.0));
	}
}

/*
 * One JSON object per line, built in memory and written at once: this
 * runs for every event (docs/json.md has the schema).
 */
static void json_event(FILE *out, const struct nsl_fmt *f, const struct nsl_event *e,
		       nsl_fmt_extra_fn extra, void *ctx)
{
	const char *path = nsl_event_path(e);
	struct jbuf b = { .f = out };

	JB_LIT(&b, "{");
	json_time(&b, f, e->h.ts);
	JB_LIT(&b, ",\"event\":");
	jb_str(&b, nsl_kind_name(e->h.kind), (size_t)-1);
	JB_LIT(&b, ",\"how\":");
	jb_str(&b, nsl_how_name(e->h.how), (size_t)-1);
	JB_LIT(&b, ",\"type\":");
	jb_str(&b, nsl_type_name(e->ns.type), (size_t)-1);
	JB_LIT(&b, ",\"inum\":");
	jb_u64(&b, e->ns.inum);
	JB_LIT(&b, ",\"id\":");
	jb_u64(&b, e->ns.id);
	JB_LIT(&b, ",\"pid\":");
	jb_u64(&b, e->h.pid);
	JB_LIT(&b, ",\"tid\":");
	jb_u64(&b, e->h.tid);
	JB_LIT(&b, ",\"comm\":");
	jb_str(&b, e->h.comm, NSL_COMM_LEN);
	switch (e->h.kind) {
	case NSL_EV_CREATE:
		JB_LIT(&b, ",\"member\":");
		jb_u64(&b, e->arg);
		JB_LIT(&b, ",\"flags\":");
		jb_u64(&b, e->val);
		break;
	case NSL_EV_JOIN:
		JB_LIT(&b, ",\"task\":");
		jb_u64(&b, e->arg);
		if (e->aux.type)
			JSON_NS(&b, ",\"from\":", &e->aux);
		break;
	case NSL_EV_LEAVE:
		JB_LIT(&b, ",\"task\":");
		jb_u64(&b, e->arg);
		if (e->h.how == NSL_HOW_EXIT) {
			JB_LIT(&b, ",\"refs\":");
			jb_u64(&b, e->val);
		} else if (e->aux.type) {
			JSON_NS(&b, ",\"to\":", &e->aux);
		}
		break;
	case NSL_EV_OPEN:
		JB_LIT(&b, ",\"fd\":");
		jb_u64(&b, e->arg);
		break;
	case NSL_EV_LOST:
		JB_LIT(&b, ",\"lost\":");
		jb_u64(&b, e->val);
		/* of them, records of namespaces the BPF live map had no room for */
		if (e->arg) {
			JB_LIT(&b, ",\"live_map_full\":");
			jb_u64(&b, e->arg);
		}
		/* and records whose insert the kernel refused otherwise */
		if (e->flags) {
			JB_LIT(&b, ",\"live_map_refused\":");
			jb_u64(&b, e->flags);
		}
		break;
	case NSL_EV_LINGER:
		JB_LIT(&b, ",\"nholders\":");
		jb_u64(&b, e->arg);
		break;
	}
	if (path) {
		JSON_NS(&b, ",\"mntns\":", &e->aux);
		JB_LIT(&b, ",\"flags\":");
		jb_u64(&b, e->flags);
		JB_LIT(&b, ",\"path\":");
		jb_str(&b, path, NSL_PATH_LEN);
	}
	if (extra) {
		jb_flush(&b);
		extra(out, true, ctx);
	}
	JB_LIT(&b, "}\n");
	jb_flush(&b);
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
