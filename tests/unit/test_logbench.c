// SPDX-License-Identifier: GPL-2.0
/*
 * The log codec's benchmark.  As a unit test (no arguments) it checks a
 * 50,000-event round trip; `test_logbench --bench N [--level L] [DIR]`
 * writes N synthetic events and prints write and replay rates and bytes
 * per event.  tools/bench-log.sh runs it; nothing here asserts a timing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "logreader.h"
#include "logwriter.h"
#include "logsynth.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* the caller's side of a flush every second, as `record` does */
static int write_synth(const char *path, long n, int level, double *secs)
{
	struct nsl_log_opts o = { .force = true, .level = level };
	struct nsl_log_writer *w;
	union synth_rec r;
	struct synth s;
	double t0 = now();
	long i;
	int err;

	err = nsl_log_create(&w, path, NULL, &o);
	if (err)
		return err;
	synth_init(&s, 1);
	for (i = 0; i < n && !err; i++) {
		synth_next(&s, &r);
		err = nsl_log_append(w, &r, r.h.size);
	}
	if (!err)
		err = nsl_log_close(w);
	else
		nsl_log_close(w);
	*secs = now() - t0;
	return err;
}

/* decode and iterate, touching what a formatter would */
static long replay(const char *path, double *secs, __u64 *sink)
{
	struct nsl_log_reader *r;
	struct nsl_log_rec rec;
	double t0 = now();
	long n = 0;

	if (nsl_log_open(&r, path, NULL, NULL))
		return -1;
	while (nsl_log_next(r, &rec) > 0) {
		*sink += rec.kind + rec.ts + (rec.ev ? rec.ev->ns.id : 0);
		n++;
	}
	nsl_log_reader_close(r);
	*secs = now() - t0;
	return n;
}

static int bench(long n, int level, const char *dir)
{
	char path[4096];
	double wsecs, rsecs, best = 0;
	struct stat st;
	__u64 sink = 0;
	long got;
	int err, i;

	snprintf(path, sizeof(path), "%s/nslife-bench-%d.log", dir, getpid());
	err = write_synth(path, n, level, &wsecs);
	if (err) {
		fprintf(stderr, "nslife: %s: %s\n", path, nsl_log_strerror(err));
		return 1;
	}
	stat(path, &st);
	printf("events           %ld (synthetic: %zu-byte records, 10%% mounts of %zu)\n",
	       n, sizeof(struct nsl_event), sizeof(struct nsl_mount_event));
	printf("zlib level       %d\n", level ? level : 1);
	printf("file size        %lld bytes\n", (long long)st.st_size);
	printf("bytes/event      %.2f on disk\n", (double)st.st_size / n);
	printf("write            %.0f events/s (append + compress + write)\n",
	       n / wsecs);
	for (i = 0; i < 3; i++) {
		got = replay(path, &rsecs, &sink);
		if (got != n) {
			fprintf(stderr, "nslife: replay read %ld of %ld\n", got, n);
			unlink(path);
			return 1;
		}
		printf("replay pass %d    %.0f events/s (decode + iterate)\n",
		       i + 1, n / rsecs);
		if (n / rsecs > best)
			best = n / rsecs;
	}
	printf("replay best      %.0f events/s (goal >= 2000000)\n", best);
	unlink(path);
	return sink == 42;	/* keeps the loop from being optimised away */
}

static void test_round_trip_50k(void **state)
{
	char path[] = "/tmp/nsl-logbench-XXXXXX";
	double secs;
	__u64 sink = 0;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(write_synth(path, 50000, 0, &secs), 0);
	assert_int_equal(replay(path, &secs, &sink), 50000);
	unlink(path);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_50k),
	};
	const char *dir = "/tmp";
	int level = 0, i;
	long n = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bench") && i + 1 < argc)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "--level") && i + 1 < argc)
			level = atoi(argv[++i]);
		else
			dir = argv[i];
	}
	if (n > 0)
		return bench(n, level, dir);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
