// SPDX-License-Identifier: GPL-2.0
/* nslife replay on logs made here: JSON lines, filters, damage, exit codes. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "commands.h"
#include "event.h"
#include "logreader.h"
#include "logwriter.h"
#include "logsynth.h"

#define NREC	3000

static char dir[64], logp[128], outp[128], errp[128];
static union synth_rec recs[NREC];
static __u64 boff[512];
static int nblk;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 22);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, (1 << 22) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* cmd_replay with stdout and stderr into files */
static int run(int argc, char **argv)
{
	int o = dup(1), e = dup(2), fo, fe, rc;

	fflush(stdout);
	fflush(stderr);
	fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fo, 1);
	dup2(fe, 2);
	rc = cmd_replay(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(o, 1);
	dup2(e, 2);
	close(o);
	close(e);
	close(fo);
	close(fe);
	return rc;
}

static int count_lines(const char *s, const char *needle)
{
	int n = 0;
	const char *line = s, *nl;

	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		if (!needle || memmem(line, nl - line, needle, strlen(needle)))
			n++;
	}
	return n;
}

static void test_json_all(void **state)
{
	char *argv[] = { "replay", "--json", logp };
	char *out, *line, want[64];
	int i;

	assert_int_equal(run(3, argv), 0);
	out = slurp(outp);
	assert_int_equal(count_lines(out, NULL), NREC + 1);
	assert_int_equal(count_lines(out, "{\"time\":\""), NREC + 1);
	/* in order, each with its own ts and event name */
	line = out;
	for (i = 0; i < NREC; i++) {
		if (i == NREC / 2) {
			assert_non_null(strstr(line, "\"event\":\"lost\""));
			assert_non_null(strstr(line, "\"lost\":5"));
			line = strchr(line, '\n') + 1;
		}
		snprintf(want, sizeof(want), "\"ts\":%llu,\"event\":\"%s\"",
			 (unsigned long long)recs[i].h.ts,
			 nsl_kind_name(recs[i].h.kind));
		assert_non_null(strstr(line, want));
		line = strchr(line, '\n') + 1;
	}
	free(out);
	free(slurp(errp));
}

static void test_filters(void **state)
{
	char *argv[] = { "replay", "-J", "-t", "net", logp };
	char *argv2[] = { "replay", "--json", "--id", "4100", logp };
	char *out;
	int i, n = 0;

	assert_int_equal(run(5, argv), 0);
	for (i = 0; i < NREC; i++)
		n += recs[i].e.ns.type == NSL_T_NET;
	out = slurp(outp);
	/* lost markers concern every filter */
	assert_int_equal(count_lines(out, NULL), n + 1);
	assert_int_equal(count_lines(out, "\"type\":\"net\""), n);
	free(out);

	assert_int_equal(run(5, argv2), 0);
	for (i = n = 0; i < NREC; i++)
		n += recs[i].e.ns.id == 4100 || recs[i].e.aux.id == 4100;
	out = slurp(outp);
	assert_true(n > 0);
	assert_int_equal(count_lines(out, NULL), n + 1);
	free(out);
}

static void test_damage(void **state)
{
	char bad[160], want[512];
	char *argv[] = { "replay", "--json", bad, "/nonexistent/x.log" };
	char *out, *err;
	__u8 c;
	int fd;

	snprintf(bad, sizeof(bad), "%s/bad.log", dir);
	snprintf(want, sizeof(want), "cp %s %s", logp, bad);
	assert_int_equal(system(want), 0);
	fd = open(bad, O_RDWR);
	assert_int_equal(pread(fd, &c, 1, boff[nblk / 2] + 60), 1);
	c ^= 1;
	assert_int_equal(pwrite(fd, &c, 1, boff[nblk / 2] + 60), 1);
	close(fd);

	assert_int_equal(run(4, argv), 1);
	out = slurp(outp);
	err = slurp(errp);
	snprintf(want, sizeof(want),
		 "nslife: %s: corrupt block at offset %llu, skipped\n", bad,
		 (unsigned long long)boff[nblk / 2]);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "nslife: /nonexistent/x.log: No such file"));
	assert_int_equal(count_lines(err, NULL), 2);
	/* everything else is still printed */
	assert_true(count_lines(out, NULL) > NREC / 2);
	assert_true(count_lines(out, NULL) < NREC);
	free(out);
	free(err);
}

static void test_usage(void **state)
{
	char *none[] = { "replay" };
	char *badt[] = { "replay", "-t", "nope", logp };
	char *text[] = { "replay", logp };

	assert_int_equal(run(1, none), 2);
	assert_int_equal(run(4, badt), 2);
	assert_int_equal(run(2, text), 0);
	free(slurp(outp));
}

static int setup(void **state)
{
	struct nsl_log_opts o = { .block_size = 8192 };
	struct nsl_log_writer *w;
	struct nsl_log_reader *r;
	struct nsl_log_rec rec;
	struct synth s;
	int i;

	snprintf(dir, sizeof(dir), "/tmp/nsl-replay-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(logp, sizeof(logp), "%s/r.log", dir);
	snprintf(outp, sizeof(outp), "%s/out", dir);
	snprintf(errp, sizeof(errp), "%s/err", dir);
	if (nsl_log_create(&w, logp, NULL, &o))
		return -1;
	synth_init(&s, 21);
	for (i = 0; i < NREC; i++) {
		synth_next(&s, &recs[i]);
		if (i == NREC / 2)
			nsl_log_append_lost(w, recs[i - 1].h.ts, 5,
					    NSL_LOST_RINGBUF);
		if (nsl_log_append(w, &recs[i], recs[i].h.size))
			return -1;
	}
	if (nsl_log_close(w) || nsl_log_open(&r, logp, NULL, NULL))
		return -1;
	while (nsl_log_next(r, &rec) > 0)
		if (!nblk || boff[nblk - 1] != rec.block_off)
			boff[nblk++] = rec.block_off;
	nsl_log_reader_close(r);
	return nblk >= 4 ? 0 : -1;
}

static int teardown(void **state)
{
	return synth_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_all),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
