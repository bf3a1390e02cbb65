// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "event.h"
#include "metrics.h"

#define NS_PER_SEC 1e9

/* upper bounds in seconds, each histogram's own scale */
static const double life_le[NSL_MET_BUCKETS] = {
	0.1, 1, 10, 60, 300, 900, 3600, 10800, 43200, 86400, 604800, 2592000,
};
static const double delay_le[NSL_MET_BUCKETS] = {
	0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 30, 300, 3600,
};
static const double query_le[NSL_MET_BUCKETS] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60,
};

static const char *const state_names[NSL_MET_STATES] = {
	[NSL_MET_ALIVE] = "alive", [NSL_MET_LINGERING] = "lingering",
	[NSL_MET_INACTIVE] = "inactive",
};

static void observe(struct nsl_met_hist *h, const double *le, double v)
{
	int i = 0;

	while (i < NSL_MET_BUCKETS && v > le[i])
		i++;
	if (i < NSL_MET_BUCKETS)
		h->bucket[i]++;
	h->count++;
	h->sum += v;
}

static double secs(__u64 from, __u64 to)
{
	return (to - from) / NS_PER_SEC;
}

void nsl_metrics_event(struct nsl_metrics *m, const struct nsl_event *e,
		       const struct nsm_ns *n)
{
	unsigned int t = e->ns.type < NSL_T_MAX ? e->ns.type : NSL_T_NONE;

	if (e->h.kind >= NSL_EV_MAX || e->h.kind == NSL_EV_NONE)
		return;
	/* lost records are counted by the tracer, into m->lost */
	if (e->h.kind == NSL_EV_LOST)
		return;
	m->events[t][e->h.kind]++;
	if (e->h.kind != NSL_EV_FREE || !n || t == NSL_T_NONE)
		return;
	/* only what the map saw: a namespace from before nslife has no birth */
	if (n->created && e->h.ts >= n->created)
		observe(&m->lifetime[t], life_le, secs(n->created, e->h.ts));
	if (n->last_exit && e->h.ts >= n->last_exit)
		observe(&m->free_delay[t], delay_le, secs(n->last_exit, e->h.ts));
}

void nsl_metrics_query(struct nsl_metrics *m, double seconds)
{
	observe(&m->query, query_le, seconds < 0 ? 0 : seconds);
}

static void count_ns(void *ctx, struct nsm_ns *n)
{
	struct nsl_metrics *m = ctx;
	unsigned int t = n->key.type;
	int st = NSL_MET_ALIVE;

	if (t == NSL_T_NONE || t >= NSL_T_MAX)
		return;
	if (n->state == NSM_LINGERING) {
		st = NSL_MET_LINGERING;
		if (!m->oldest_linger[t] || n->linger_since < m->oldest_linger[t])
			m->oldest_linger[t] = n->linger_since;
	} else if (n->inactive) {
		st = NSL_MET_INACTIVE;
	}
	m->ns[t][st]++;
}

void nsl_metrics_scan(struct nsl_metrics *m, const struct nsm *map, __u64 now)
{
	memset(m->ns, 0, sizeof(m->ns));
	memset(m->oldest_linger, 0, sizeof(m->oldest_linger));
	m->now = now;
	nsm_each(map, count_ns, m);
}

/* ---- the exposition format ---- */

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* label values: backslash, double quote and newline escaped */
static void label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

/* a float as Prometheus parses it; integers without a fraction */
static void value(FILE *out, double v)
{
	fprintf(out, " %.15g\n", v);
}

static void hist(FILE *out, const char *name, const char *type,
		 const struct nsl_met_hist *h, const double *le)
{
	const char *sep = type ? "," : "";
	__u64 cum = 0;

	for (int i = 0; i < NSL_MET_BUCKETS; i++) {
		cum += h->bucket[i];
		fprintf(out, "%s_bucket{", name);
		if (type)
			fprintf(out, "type=\"%s\"", type);
		fprintf(out, "%sle=\"%g\"} %llu\n", sep, le[i], (unsigned long long)cum);
	}
	fprintf(out, "%s_bucket{", name);
	if (type)
		fprintf(out, "type=\"%s\"", type);
	fprintf(out, "%sle=\"+Inf\"} %llu\n", sep, (unsigned long long)h->count);
	fprintf(out, type ? "%s_sum{type=\"%s\"}" : "%s_sum", name, type);
	value(out, h->sum);
	fprintf(out, type ? "%s_count{type=\"%s\"}" : "%s_count", name, type);
	fprintf(out, " %llu\n", (unsigned long long)h->count);
}

static void hist_by_type(FILE *out, const char *name, const struct nsl_met_hist *h,
			 const double *le)
{
	for (unsigned int t = NSL_T_NONE + 1; t < NSL_T_MAX; t++)
		hist(out, name, nsl_type_name(t), &h[t], le);
}

static void write_gauges(FILE *out, const struct nsl_metrics *m)
{
	unsigned int t;
	double age;

	family(out, "nslife_namespaces", "gauge",
	       "Namespaces in the daemon's map, by type and state (inactive: on the "
	       "kernel's list but nsfs cannot open it, as of the daemon's last scan).");
	for (t = NSL_T_NONE + 1; t < NSL_T_MAX; t++)
		for (int s = 0; s < NSL_MET_STATES; s++)
			fprintf(out, "nslife_namespaces{type=\"%s\",state=\"%s\"} %llu\n",
				nsl_type_name(t), state_names[s],
				(unsigned long long)m->ns[t][s]);
	family(out, "nslife_lingering_namespaces", "gauge",
	       "Namespaces alive --grace seconds after their last member task exited.");
	for (t = NSL_T_NONE + 1; t < NSL_T_MAX; t++)
		fprintf(out, "nslife_lingering_namespaces{type=\"%s\"} %llu\n",
			nsl_type_name(t), (unsigned long long)m->ns[t][NSL_MET_LINGERING]);
	family(out, "nslife_oldest_lingering_age_seconds", "gauge",
	       "How long the longest-lingering namespace of each type has lingered (0: none).");
	for (t = NSL_T_NONE + 1; t < NSL_T_MAX; t++) {
		age = m->oldest_linger[t] && m->now > m->oldest_linger[t] ?
		      secs(m->oldest_linger[t], m->now) : 0;
		fprintf(out, "nslife_oldest_lingering_age_seconds{type=\"%s\"}",
			nsl_type_name(t));
		value(out, age);
	}
}

static void write_counters(FILE *out, const struct nsl_metrics *m)
{
	family(out, "nslife_events_total", "counter",
	       "Namespace lifecycle events the daemon took in, by type and event.");
	for (unsigned int t = NSL_T_NONE; t < NSL_T_MAX; t++) {
		for (unsigned int k = NSL_EV_NONE + 1; k < NSL_EV_MAX; k++) {
			if (k == NSL_EV_LOST || (t == NSL_T_NONE && !m->events[t][k]))
				continue;
			fprintf(out, "nslife_events_total{type=\"%s\",event=\"%s\"} %llu\n",
				t == NSL_T_NONE ? "unknown" : nsl_type_name(t),
				nsl_kind_name(k), (unsigned long long)m->events[t][k]);
		}
	}
	family(out, "nslife_lost_events_total", "counter",
	       "Event records lost (ring buffer full or BPF recursion protection).");
	fprintf(out, "nslife_lost_events_total %llu\n", (unsigned long long)m->lost);
	family(out, "nslife_rescans_total", "counter",
	       "Full rescans of the namespaces made to resync after lost records.");
	fprintf(out, "nslife_rescans_total %llu\n", (unsigned long long)m->rescans);
}

int nsl_metrics_write(FILE *out, const struct nsl_metrics *m, const struct nsl_met_info *info)
{
	write_gauges(out, m);
	write_counters(out, m);
	family(out, "nslife_namespace_lifetime_seconds", "histogram",
	       "Lifetime of namespaces whose creation the daemon saw, at their free.");
	hist_by_type(out, "nslife_namespace_lifetime_seconds", m->lifetime, life_le);
	family(out, "nslife_free_delay_seconds", "histogram",
	       "Time from the last member task's exit to the namespace's free.");
	hist_by_type(out, "nslife_free_delay_seconds", m->free_delay, delay_le);
	family(out, "nslife_query_duration_seconds", "histogram",
	       "Time to answer one query (ls, why, timeline) on the daemon's socket.");
	hist(out, "nslife_query_duration_seconds", NULL, &m->query, query_le);
	family(out, "nslife_build_info", "gauge",
	       "Always 1: the nslife version, the kernel release and the attach strategy.");
	fputs("nslife_build_info{version=\"", out);
	label_value(out, info->version ? info->version : "unknown");
	fputs("\",kernel=\"", out);
	label_value(out, info->kernel ? info->kernel : "unknown");
	fputs("\",strategy=\"", out);
	label_value(out, info->strategy ? info->strategy : "unknown");
	fputs("\"} 1\n", out);
	return ferror(out) ? -1 : 0;
}
