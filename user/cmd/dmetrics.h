/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's Prometheus metrics (metrics.h): served on --metrics-listen
 * and/or written to --metrics-file for node_exporter's textfile collector.
 *
 * The map and the counters belong to the daemon's main thread.  A scrape,
 * on the HTTP thread, asks for a fresh copy (a flag and SIGIO to end the
 * ring-buffer wait); the main thread takes it at its next turn
 * (dmetrics_tick) and the scrape formats that copy.  So serving never
 * locks the tracer out, and a flood of scrapes costs one copy per turn.
 */
#ifndef NSL_DMETRICS_H
#define NSL_DMETRICS_H

#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include "collector.h"
#include "metrics.h"

struct nsl_httpd;

struct dmetrics {
	const char *file;		/* --metrics-file */
	const char *listen;		/* --metrics-listen */
	bool remote;			/* --metrics-allow-remote */
	unsigned int interval;		/* --metrics-interval, s */
	/* private */
	struct nsl_metrics m;		/* main thread's */
	struct nsl_met_info info;
	char kernel[65];
	pthread_t main;
	struct nsl_httpd *http;
	unsigned int port;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct nsl_metrics snap;	/* the copy scrapes read, under lock */
	unsigned long long gen;		/* copies made */
	__u64 snap_ms;			/* when (CLOCK_MONOTONIC ms) */
	int want;			/* a scrape waits: atomic */
	__u64 next_write;		/* file: next rewrite, ms */
	bool file_err;
	bool locks;			/* lock and cond initialized */
};

#define DMETRICS_OPT_FILE	0x2100
#define DMETRICS_OPT_LISTEN	0x2101
#define DMETRICS_OPT_REMOTE	0x2102
#define DMETRICS_OPT_INTERVAL	0x2103

#define DMETRICS_LONGOPTS						\
	{ "metrics-file", required_argument, NULL, DMETRICS_OPT_FILE },	\
	{ "metrics-listen", required_argument, NULL, DMETRICS_OPT_LISTEN }, \
	{ "metrics-allow-remote", no_argument, NULL, DMETRICS_OPT_REMOTE }, \
	{ "metrics-interval", required_argument, NULL, DMETRICS_OPT_INTERVAL }

#define DMETRICS_HELP							\
"      --metrics-listen [ADDR:]PORT\n"					\
"                          serve Prometheus metrics on GET /metrics (a bare\n" \
"                          PORT: 127.0.0.1; port 0 picks a free one)\n"	\
"      --metrics-allow-remote\n"					\
"                          let --metrics-listen take a non-loopback ADDR\n" \
"      --metrics-file PATH write them to PATH for node_exporter's textfile\n" \
"                          collector (temp file + rename)\n"		\
"      --metrics-interval SEC  rewrite PATH every SEC seconds (default 10)\n"

/* nslife_build_info's version: main sets it (version.h is generated) */
extern const char *dmetrics_version;

/* 1: ours and applied; 0: not ours; -EINVAL: bad (said) */
int dmetrics_opt(struct dmetrics *dm, int c, const char *arg);
int dmetrics_check(struct dmetrics *dm);
bool dmetrics_on(const struct dmetrics *dm);
/* after the collector is open: start serving; one stderr line on failure */
int dmetrics_open(struct dmetrics *dm, struct collector *c);
void dmetrics_event(struct dmetrics *dm, struct collector *c, const struct nsl_event *e);
void dmetrics_query(struct dmetrics *dm, double seconds);
/* each turn of the main loop */
void dmetrics_tick(struct dmetrics *dm, struct collector *c);
/* stop serving, write the file a last time */
void dmetrics_close(struct dmetrics *dm, struct collector *c);

#endif
