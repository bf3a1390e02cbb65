// SPDX-License-Identifier: GPL-2.0
/* the daemon's metrics: what events and the map add up to, and their text */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "metrics.h"

#define SEC 1000000000ULL

static struct nsl_event ev(unsigned int kind, unsigned int how, unsigned int type,
			   __u64 id, __u64 ts)
{
	struct nsl_event e = {};

	e.h.kind = kind;
	e.h.how = how;
	e.h.size = sizeof(e);
	e.h.ts = ts;
	e.h.pid = 100;
	e.ns.type = type;
	e.ns.inum = 4026532000u + (__u32)id;
	e.ns.id = id;
	return e;
}

/* apply to the map, then count, as the daemon's sink does */
static void feed(struct nsm *map, struct nsl_metrics *m, struct nsl_event e)
{
	nsm_apply(map, &e);
	nsl_metrics_event(m, &e, e.h.kind == NSL_EV_FREE ? nsm_find(map, e.ns.id) : NULL);
}

static char *text(const struct nsl_metrics *m, const struct nsl_met_info *info)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(nsl_metrics_write(f, m, info), 0);
	fclose(f);
	return buf;
}

static bool has_line(const char *t, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = t; (p = strstr(p, line)); p += n)
		if ((p == t || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static void test_counts_and_histograms(void **state)
{
	struct nsl_metrics *m = calloc(1, sizeof(*m));
	struct nsm map;
	struct nsl_event e;
	char *t;

	nsm_init(&map, 2 * SEC);
	/* net 1: created at 1 s, last member gone at 3 s, freed at 3.0004 s */
	feed(&map, m, ev(NSL_EV_CREATE, NSL_HOW_UNSHARE, NSL_T_NET, 1, 1 * SEC));
	e = ev(NSL_EV_LEAVE, NSL_HOW_EXIT, NSL_T_NET, 1, 3 * SEC);
	e.val = 1;
	feed(&map, m, e);
	feed(&map, m, ev(NSL_EV_FREE, NSL_HOW_POLL, NSL_T_NET, 1, 3 * SEC + 400000));
	/* uts 2: from before nslife (seeded): its free has no lifetime */
	nsm_seed(&map, &(struct nsl_ns){ .type = NSL_T_UTS, .inum = 4026532002u, .id = 2 });
	feed(&map, m, ev(NSL_EV_FREE, NSL_HOW_POLL, NSL_T_UTS, 2, 5 * SEC));
	/* lost records go to m->lost (the tracer's count), not events_total */
	e = ev(NSL_EV_LOST, 0, NSL_T_NONE, 0, 6 * SEC);
	e.val = 9;
	nsl_metrics_event(m, &e, NULL);
	nsl_metrics_query(m, 0.02);
	nsl_metrics_query(m, 7.0);

	assert_int_equal(m->events[NSL_T_NET][NSL_EV_CREATE], 1);
	assert_int_equal(m->events[NSL_T_NET][NSL_EV_FREE], 1);
	assert_int_equal(m->events[NSL_T_NONE][NSL_EV_LOST], 0);
	assert_int_equal(m->lifetime[NSL_T_NET].count, 1);
	assert_int_equal(m->lifetime[NSL_T_UTS].count, 0);
	assert_int_equal(m->free_delay[NSL_T_NET].count, 1);

	t = text(m, &(struct nsl_met_info){ "1.0", "6.18", "tracepoint" });
	/* 2.0004 s: not in le=1, in le=10 (cumulative from there on) */
	assert_true(has_line(t, "nslife_namespace_lifetime_seconds_bucket{type=\"net\",le=\"1\"} 0"));
	assert_true(has_line(t, "nslife_namespace_lifetime_seconds_bucket{type=\"net\",le=\"10\"} 1"));
	assert_true(has_line(t, "nslife_namespace_lifetime_seconds_bucket{type=\"net\",le=\"+Inf\"} 1"));
	assert_true(has_line(t, "nslife_namespace_lifetime_seconds_count{type=\"net\"} 1"));
	assert_true(has_line(t, "nslife_namespace_lifetime_seconds_sum{type=\"net\"} 2.0004"));
	/* 0.4 ms: in le=0.001 */
	assert_true(has_line(t, "nslife_free_delay_seconds_bucket{type=\"net\",le=\"0.001\"} 1"));
	assert_true(has_line(t, "nslife_query_duration_seconds_bucket{le=\"0.01\"} 0"));
	assert_true(has_line(t, "nslife_query_duration_seconds_bucket{le=\"0.025\"} 1"));
	assert_true(has_line(t, "nslife_query_duration_seconds_bucket{le=\"5\"} 1"));
	assert_true(has_line(t, "nslife_query_duration_seconds_bucket{le=\"10\"} 2"));
	assert_true(has_line(t, "nslife_query_duration_seconds_count 2"));
	assert_true(has_line(t, "nslife_events_total{type=\"net\",event=\"create\"} 1"));
	assert_true(has_line(t, "nslife_events_total{type=\"uts\",event=\"free\"} 1"));
	assert_null(strstr(t, "event=\"lost\""));
	assert_null(strstr(t, "type=\"unknown\""));
	free(t);
	nsm_free(&map);
	free(m);
}

static void test_states_from_map(void **state)
{
	struct nsl_metrics *m = calloc(1, sizeof(*m));
	struct nsm map;
	struct nsl_event e;
	char *t;

	nsm_init(&map, 2 * SEC);
	for (__u64 id = 1; id <= 4; id++)
		nsm_apply(&map, &(struct nsl_event){ .h = { .kind = NSL_EV_CREATE, .ts = SEC },
			  .ns = { .type = NSL_T_NET, .inum = 4026532100u + (__u32)id, .id = id } });
	/* 1 and 2 linger (since 10 s and 20 s), the last scan found 3 inactive */
	nsm_set_lingering(nsm_find(&map, 1), true, 20 * SEC);
	nsm_set_lingering(nsm_find(&map, 2), true, 10 * SEC);
	nsm_find(&map, 3)->inactive = 1;
	/* a member of 4 exited with others left: still alive */
	e = ev(NSL_EV_LEAVE, NSL_HOW_EXIT, NSL_T_NET, 4, 30 * SEC);
	e.ns.inum = 4026532104u;
	e.val = 2;
	nsm_apply(&map, &e);
	nsl_metrics_scan(m, &map, 70 * SEC);
	assert_int_equal(m->ns[NSL_T_NET][NSL_MET_LINGERING], 2);
	assert_int_equal(m->ns[NSL_T_NET][NSL_MET_INACTIVE], 1);
	assert_int_equal(m->ns[NSL_T_NET][NSL_MET_ALIVE], 1);
	t = text(m, &(struct nsl_met_info){ 0 });
	assert_true(has_line(t, "nslife_lingering_namespaces{type=\"net\"} 2"));
	assert_true(has_line(t, "nslife_lingering_namespaces{type=\"uts\"} 0"));
	assert_true(has_line(t, "nslife_namespaces{type=\"net\",state=\"inactive\"} 1"));
	assert_true(has_line(t, "nslife_oldest_lingering_age_seconds{type=\"net\"} 60"));
	assert_true(has_line(t, "nslife_oldest_lingering_age_seconds{type=\"pid\"} 0"));
	assert_true(has_line(t, "nslife_build_info{version=\"unknown\",kernel=\"unknown\","
			     "strategy=\"unknown\"} 1"));
	free(t);
	/* a rescan starts from zero: no double counting */
	nsl_metrics_scan(m, &map, 70 * SEC);
	assert_int_equal(m->ns[NSL_T_NET][NSL_MET_LINGERING], 2);
	nsm_free(&map);
	free(m);
}

/* every family once, HELP then TYPE then its samples; label values escaped */
static void test_exposition_format(void **state)
{
	struct nsl_metrics *m = calloc(1, sizeof(*m));
	char *t, *line, *save = NULL, *copy;
	char families[32][64], cur[64] = "";
	int nf = 0;

	m->events[NSL_T_NONE][NSL_EV_UMOUNT] = 3;
	t = text(m, &(struct nsl_met_info){ "v\"1\\x\ny", "6.18", "precise" });
	assert_true(strlen(t) > 0 && t[strlen(t) - 1] == '\n');
	assert_true(has_line(t, "nslife_build_info{version=\"v\\\"1\\\\x\\ny\",kernel=\"6.18\","
			     "strategy=\"precise\"} 1"));
	assert_true(has_line(t, "nslife_events_total{type=\"unknown\",event=\"umount\"} 3"));
	copy = strdup(t);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];

		if (!strncmp(line, "# HELP ", 7)) {
			sscanf(line + 7, "%63s", name);
			for (int i = 0; i < nf; i++)
				assert_string_not_equal(families[i], name);
			strcpy(families[nf++], name);
			strcpy(cur, name);
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			sscanf(line + 7, "%63s", name);
			assert_string_equal(name, cur);
			continue;
		}
		/* a sample of the current family: NAME, NAME_bucket/_sum/_count */
		assert_int_equal(strncmp(line, cur, strlen(cur)), 0);
		assert_true(strchr(line, ' ') != NULL);
	}
	assert_int_equal(nf, 10);
	free(copy);
	free(t);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_histograms),
		cmocka_unit_test(test_states_from_map),
		cmocka_unit_test(test_exposition_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
