// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "dmetrics.h"
#include "httpd.h"
#include "clock.h"

#define FRESH_MS	50	/* a copy this young serves another scrape too */
/*
 * A scrape waits this long for a fresh copy, then takes the last one: the
 * main thread may be in a lingering check's scan (~1 s with 2,000
 * namespaces here).
 */
#define WAIT_MS		1000

const char *dmetrics_version = "unknown";

int dmetrics_opt(struct dmetrics *dm, int c, const char *arg)
{
	unsigned long v;
	char *end;

	switch (c) {
	case DMETRICS_OPT_FILE:
		dm->file = arg;
		return 1;
	case DMETRICS_OPT_LISTEN:
		dm->listen = arg;
		return 1;
	case DMETRICS_OPT_REMOTE:
		dm->remote = true;
		return 1;
	case DMETRICS_OPT_INTERVAL:
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || errno || !v || v > 86400 || *arg == '-') {
			fprintf(stderr, "nslife: invalid --metrics-interval '%s' (1-86400 s)\n", arg);
			return -EINVAL;
		}
		dm->interval = v;
		return 1;
	}
	return 0;
}

int dmetrics_check(struct dmetrics *dm)
{
	struct sockaddr_storage sa;
	const char *why;

	if (!dm->interval)
		dm->interval = 10;
	if (dm->listen && nsl_httpd_parse_addr(dm->listen, dm->remote, &sa, &why)) {
		fprintf(stderr, "nslife: --metrics-listen '%s': %s\n", dm->listen, why);
		return -EINVAL;
	}
	return 0;
}

bool dmetrics_on(const struct dmetrics *dm)
{
	return dm->file || dm->listen;
}

/* the gauges and the tracer's counts into m: main thread */
static void refresh(struct dmetrics *dm, struct collector *c)
{
	dm->m.lost = collector_lost(c);
	dm->m.rescans = c->rescans;
	nsl_metrics_scan(&dm->m, &c->map, collector_now());
}

static char *render(const struct nsl_metrics *m, const struct nsl_met_info *info,
		    size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int err;

	if (!f)
		return NULL;
	err = nsl_metrics_write(f, m, info);
	if (fclose(f) || err) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* HTTP thread: a copy no older than this scrape (or FRESH_MS), formatted */
static char *scrape(void *ctx, size_t *len)
{
	struct dmetrics *dm = ctx;
	struct nsl_metrics *m = malloc(sizeof(*m));
	struct timespec until;
	unsigned long long gen;
	char *body;

	if (!m)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += WAIT_MS / 1000;
	pthread_mutex_lock(&dm->lock);
	if (!dm->gen || nsl_clock_ms(CLOCK_MONOTONIC) - dm->snap_ms > FRESH_MS) {
		gen = dm->gen;
		__atomic_store_n(&dm->want, 1, __ATOMIC_RELEASE);
		pthread_kill(dm->main, SIGIO);
		/* on time-out: the last copy */
		while (dm->gen == gen &&
		       !pthread_cond_timedwait(&dm->cond, &dm->lock, &until))
			;
	}
	*m = dm->snap;
	gen = dm->gen;
	pthread_mutex_unlock(&dm->lock);
	body = gen ? render(m, &dm->info, len) : NULL;
	free(m);
	return body;
}

static void publish(struct dmetrics *dm)
{
	pthread_mutex_lock(&dm->lock);
	dm->snap = dm->m;
	dm->gen++;
	dm->snap_ms = nsl_clock_ms(CLOCK_MONOTONIC);
	__atomic_store_n(&dm->want, 0, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&dm->cond);
	pthread_mutex_unlock(&dm->lock);
}

/* PATH.tmp then rename: node_exporter reads only *.prom, never half a file */
static int write_file(struct dmetrics *dm)
{
	char tmp[4096];
	size_t len = 0;
	char *buf;
	int fd, err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dm->file) >= sizeof(tmp))
		return -ENAMETOOLONG;
	buf = render(&dm->m, &dm->info, &len);
	if (!buf)
		return -ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	/* readable by node_exporter's user whatever the daemon's umask */
	if (fchmod(fd, 0644) < 0 || write(fd, buf, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, dm->file) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
out:
	free(buf);
	return err;
}

static void file_now(struct dmetrics *dm, struct collector *c)
{
	int err;

	refresh(dm, c);
	err = write_file(dm);
	if (err && !dm->file_err)
		fprintf(stderr, "nslife: %s: %s; will retry\n", dm->file, strerror(-err));
	else if (!err && dm->file_err)
		fprintf(stderr, "nslife: %s: written again\n", dm->file);
	dm->file_err = err != 0;
	dm->next_write = nsl_clock_ms(CLOCK_MONOTONIC) + dm->interval * 1000ull;
}

int dmetrics_open(struct dmetrics *dm, struct collector *c)
{
	struct sockaddr_storage sa;
	pthread_condattr_t ca;
	char host[INET6_ADDRSTRLEN];
	struct utsname u;
	const char *why;
	int err;

	if (!dmetrics_on(dm))
		return 0;
	uname(&u);
	snprintf(dm->kernel, sizeof(dm->kernel), "%s", u.release);
	dm->info.version = dmetrics_version;
	dm->info.kernel = dm->kernel;
	dm->info.strategy = nsl_mode_name(nsl_tracer_mode(c->t));
	dm->main = pthread_self();
	pthread_mutex_init(&dm->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&dm->cond, &ca);
	pthread_condattr_destroy(&ca);
	dm->locks = true;
	if (dm->file)
		file_now(dm, c);
	if (!dm->listen)
		return 0;
	/* a first copy: a scrape while the main thread scans gets this */
	refresh(dm, c);
	publish(dm);
	nsl_httpd_parse_addr(dm->listen, dm->remote, &sa, &why);	/* checked */
	err = nsl_httpd_start(&dm->http, &sa, scrape, dm, &dm->port);
	if (err) {
		fprintf(stderr, "nslife: cannot serve metrics on %s: %s\n", dm->listen,
			strerror(-err));
		return err;
	}
	/* tests and scripts read the port from here (port 0 picks one) */
	inet_ntop(sa.ss_family, sa.ss_family == AF_INET6 ?
		  (void *)&((struct sockaddr_in6 *)&sa)->sin6_addr :
		  (void *)&((struct sockaddr_in *)&sa)->sin_addr, host, sizeof(host));
	fprintf(stderr, "nslife: metrics on http://%s%s%s:%u/metrics\n",
		sa.ss_family == AF_INET6 ? "[" : "", host,
		sa.ss_family == AF_INET6 ? "]" : "", dm->port);
	return 0;
}

void dmetrics_event(struct dmetrics *dm, struct collector *c, const struct nsl_event *e)
{
	if (!dmetrics_on(dm))
		return;
	nsl_metrics_event(&dm->m, e, e->h.kind == NSL_EV_FREE ?
			  nsm_find(&c->map, e->ns.id) : NULL);
}

void dmetrics_query(struct dmetrics *dm, double seconds)
{
	if (dmetrics_on(dm))
		nsl_metrics_query(&dm->m, seconds);
}

void dmetrics_tick(struct dmetrics *dm, struct collector *c)
{
	if (dm->http && __atomic_load_n(&dm->want, __ATOMIC_ACQUIRE)) {
		refresh(dm, c);
		publish(dm);
	}
	if (dm->file && nsl_clock_ms(CLOCK_MONOTONIC) >= dm->next_write)
		file_now(dm, c);
}

void dmetrics_close(struct dmetrics *dm, struct collector *c)
{
	nsl_httpd_stop(dm->http);
	dm->http = NULL;
	if (dm->file && dm->locks)
		file_now(dm, c);
	if (dm->locks) {
		pthread_cond_destroy(&dm->cond);
		pthread_mutex_destroy(&dm->lock);
		dm->locks = false;
	}
}
