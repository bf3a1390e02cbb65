// SPDX-License-Identifier: GPL-2.0
/* The log codec: round trips, damage, headers, file creation, rotation. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <zlib.h>
#include <cmocka.h>
#include "logreader.h"
#include "logwriter.h"
#include "logread.h"
#include "logsynth.h"

#define MAXDMG	16

static char dir[64];

struct seen {
	int nd;
	struct nsl_log_damage d[MAXDMG];
	long nrec;
	union synth_rec *want;		/* expected records, in order */
	long nwant;
	long skip_from, skip_to;	/* want[] indexes lost to damage */
	__u64 boff[4096];		/* distinct block offsets seen */
	long bcount[4096];		/* records in each */
	int nblk;
};

static void on_damage(void *arg, const struct nsl_log_damage *d)
{
	struct seen *s = arg;

	if (s->nd < MAXDMG)
		s->d[s->nd] = *d;
	s->nd++;
}

static const char *tpath(const char *name)
{
	static char buf[16][128];
	static int i;

	i = (i + 1) % 16;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static union synth_rec *make_recs(long n, __u32 seed)
{
	union synth_rec *v = calloc(n, sizeof(*v));
	struct synth s;
	long i;

	assert_non_null(v);
	synth_init(&s, seed);
	for (i = 0; i < n; i++)
		synth_next(&s, &v[i]);
	return v;
}

static void write_recs(const char *path, const union synth_rec *v, long n,
		       const struct nsl_log_opts *o)
{
	struct nsl_log_meta m = { .strategy = "tracepoint" };
	struct nsl_log_writer *w;
	long i;

	unlink(path);
	assert_int_equal(nsl_log_create(&w, path, &m, o), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(nsl_log_append(w, &v[i], v[i].h.size), 0);
	assert_int_equal(nsl_log_close(w), 0);
}

static void note_rec(struct seen *s, const struct nsl_log_rec *r)
{
	long want = s->nrec;

	if (s->nblk == 0 || s->boff[s->nblk - 1] != r->block_off) {
		assert_true(s->nblk < 4096);
		s->boff[s->nblk++] = r->block_off;
	}
	s->bcount[s->nblk - 1]++;
	if (s->want) {
		if (want >= s->skip_from)
			want += s->skip_to - s->skip_from;
		assert_true(want < s->nwant);
		assert_int_equal(r->size, s->want[want].h.size);
		assert_memory_equal(r->data, &s->want[want], r->size);
	}
	s->nrec++;
}

/* read path to the end; returns nsl_log_open's or nsl_log_next's error */
static int read_file(const char *path, struct seen *s)
{
	struct nsl_log_reader *r;
	struct nsl_log_rec rec;
	int err;

	err = nsl_log_open(&r, path, on_damage, s);
	if (err)
		return err;
	while ((err = nsl_log_next(r, &rec)) > 0)
		note_rec(s, &rec);
	nsl_log_reader_close(r);
	return err;
}

static off_t fsize(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void poke(const char *path, off_t off, const void *buf, size_t n)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, buf, n, off), (ssize_t)n);
	close(fd);
}

static void flip(const char *path, off_t off)
{
	int fd = open(path, O_RDWR);
	__u8 c;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c ^= 0x40;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

/* a small multi-block log and where its blocks are */
static union synth_rec *blocky(const char *path, long n, struct seen *s)
{
	struct nsl_log_opts o = { .block_size = 4096 };
	union synth_rec *v = make_recs(n, 7);

	write_recs(path, v, n, &o);
	memset(s, 0, sizeof(*s));
	assert_int_equal(read_file(path, s), 0);
	assert_int_equal(s->nrec, n);
	assert_int_equal(s->nd, 0);
	assert_true(n < 1000 || s->nblk >= 5);
	return v;
}

static void test_round_trip(void **state)
{
	const char *path = tpath("rt.log");
	struct nsl_log_writer *w;
	struct nsl_log_reader *r;
	struct nsl_log_meta m = { .strategy = "tracepoint" };
	struct nsl_log_rec rec;
	union synth_rec *v = make_recs(200, 1);
	char blob[1000], boot_id[64] = "";
	const struct nsl_log_hdr *h;
	struct utsname u;
	FILE *f;
	int i, n = 0;

	for (i = 0; i < (int)sizeof(blob); i++)
		blob[i] = i * 7;
	unlink(path);
	assert_int_equal(nsl_log_create(&w, path, &m, NULL), 0);
	assert_int_equal(nsl_log_append_snapshot(w, 3, 11, blob, 999), 0);
	for (i = 0; i < 200; i++)
		assert_int_equal(nsl_log_append(w, &v[i], v[i].h.size), 0);
	assert_int_equal(nsl_log_append_lost(w, 99, 5, NSL_LOST_RINGBUF), 0);
	assert_int_equal(nsl_log_records(w), 202);
	assert_int_equal(nsl_log_close(w), 0);

	assert_int_equal(nsl_log_open(&r, path, NULL, NULL), 0);
	h = nsl_log_header(r);
	assert_memory_equal(h->magic, NSL_LOG_MAGIC, 8);
	assert_int_equal(h->abi_version, NSL_ABI_VERSION);
	assert_string_equal(h->strategy, "tracepoint");
	assert_int_equal(uname(&u), 0);
	assert_string_equal(h->hostname, u.nodename);
	assert_string_equal(h->release, u.release);
	f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (f) {
		assert_non_null(fgets(boot_id, sizeof(boot_id), f));
		boot_id[strcspn(boot_id, "\n")] = 0;
		fclose(f);
		assert_string_equal(h->boot_id, boot_id);
	}
	assert_true(h->start_wall_ns > 1600000000ull * 1000000000);
	assert_true(nsl_log_wall_ns(h, h->start_boot_ns + 5) ==
		    h->start_wall_ns + 5);
	while (nsl_log_next(r, &rec) > 0) {
		if (n == 0) {
			assert_non_null(rec.snap);
			assert_int_equal(rec.snap->type, 3);
			assert_int_equal(rec.snap->len, 999);
			assert_int_equal(rec.ts, 11);
			assert_memory_equal(rec.snap + 1, blob, 999);
		} else if (n == 201) {
			assert_non_null(rec.lost);
			assert_int_equal(rec.lost->count, 5);
			assert_int_equal(rec.lost->reason, NSL_LOST_RINGBUF);
		} else {
			assert_non_null(rec.ev);
			assert_int_equal(rec.kind, v[n - 1].h.kind);
			assert_int_equal(rec.ts, v[n - 1].h.ts);
			assert_memory_equal(rec.data, &v[n - 1], rec.size);
			assert_true(!rec.mev == (rec.size == sizeof(struct nsl_event)));
		}
		n++;
	}
	assert_int_equal(n, 202);
	nsl_log_reader_close(r);
	free(v);
}

static void test_many_blocks(void **state)
{
	struct seen s;
	union synth_rec *v = blocky(tpath("many.log"), 20000, &s);
	long i, sum = 0;

	memset(&s, 0, sizeof(s));
	s.want = v;
	s.nwant = 20000;
	s.skip_from = s.skip_to = 20000;
	assert_int_equal(read_file(tpath("many.log"), &s), 0);
	assert_int_equal(s.nrec, 20000);
	for (i = 0; i < s.nblk; i++)
		sum += s.bcount[i];
	assert_int_equal(sum, 20000);
	assert_true(s.nblk > 100);
	free(v);
}

static void test_mem_reader(void **state)
{
	const char *path = tpath("mem.log");
	struct nsl_log_reader *r;
	struct nsl_log_rec rec;
	struct seen s;
	union synth_rec *v = blocky(path, 3000, &s);
	off_t size = fsize(path);
	char *buf = malloc(size);
	int fd = open(path, O_RDONLY), n = 0;

	assert_int_equal(read(fd, buf, size), size);
	close(fd);
	assert_int_equal(nsl_log_open_mem(&r, buf, size, NULL, NULL), 0);
	while (nsl_log_next(r, &rec) > 0)
		assert_memory_equal(rec.data, &v[n++], rec.size);
	assert_int_equal(n, 3000);
	nsl_log_reader_close(r);
	assert_int_equal(nsl_log_open_mem(&r, buf, 0, NULL, NULL), -ENODATA);
	free(buf);
	free(v);
}

static void test_truncated(void **state)
{
	const char *path = tpath("trunc.log");
	struct seen s, t;
	union synth_rec *v = blocky(path, 3000, &s);
	int k = s.nblk / 2, i;
	long before = 0;
	off_t cut = s.boff[k] + 48 + 100;

	for (i = 0; i < k; i++)
		before += s.bcount[i];
	assert_int_equal(truncate(path, cut), 0);
	memset(&t, 0, sizeof(t));
	t.want = v;
	t.nwant = 3000;
	t.skip_from = t.skip_to = 3000;
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nrec, before);
	assert_int_equal(t.nd, 1);
	assert_int_equal(t.d[0].what, NSL_DMG_BLOCK);
	assert_int_equal(t.d[0].offset, s.boff[k]);
	assert_int_equal(t.d[0].length, cut - s.boff[k]);
	assert_string_equal(t.d[0].reason, "truncated");
	assert_true(t.d[0].at_end);

	/* cut inside a block frame, too */
	assert_int_equal(truncate(path, s.boff[k - 1] + 20), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nrec, before - s.bcount[k - 1]);
	assert_int_equal(t.nd, 1);
	assert_int_equal(t.d[0].offset, s.boff[k - 1]);
	free(v);
}

static void test_flipped_byte(void **state)
{
	const char *path = tpath("flip.log");
	struct seen s, t;
	union synth_rec *v = blocky(path, 3000, &s);
	int k = s.nblk / 2, i;
	long before = 0;

	for (i = 0; i < k; i++)
		before += s.bcount[i];
	flip(path, s.boff[k] + 48 + 30);
	memset(&t, 0, sizeof(t));
	t.want = v;
	t.nwant = 3000;
	t.skip_from = before;
	t.skip_to = before + s.bcount[k];
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nd, 1);
	assert_int_equal(t.d[0].offset, s.boff[k]);
	assert_int_equal(t.d[0].length, s.boff[k + 1] - s.boff[k]);
	assert_string_equal(t.d[0].reason, "bad crc");
	assert_false(t.d[0].at_end);
	/* every block after the damage still comes back */
	assert_int_equal(t.nrec, 3000 - s.bcount[k]);

	/* a broken marker: the block is found by nobody, the rest is */
	flip(path, s.boff[k + 2] + 3);
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nd, 2);
	assert_int_equal(t.d[1].offset, s.boff[k + 2]);
	assert_int_equal(t.nrec, 3000 - s.bcount[k] - s.bcount[k + 2]);
	free(v);
}

static void test_garbage(void **state)
{
	const char *path = tpath("garbage.log");
	struct nsl_log_hdr h;
	struct seen s, t;
	union synth_rec *v = blocky(path, 100, &s);
	char junk[65536];
	size_t i;
	int fd;

	srand(5);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = rand();
	fd = open(path, O_RDWR);
	assert_int_equal(pread(fd, &h, sizeof(h), 0), sizeof(h));
	close(fd);

	/* plain garbage is not a log */
	unlink(path);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), -EPROTO);
	assert_int_equal(read_file(tpath("nonexistent"), &t), -ENOENT);

	/* a good header before garbage: one damage report, no records */
	poke(path, 0, &h, sizeof(h));
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nrec, 0);
	assert_int_equal(t.nd, 1);
	assert_int_equal(t.d[0].offset, sizeof(h));
	assert_int_equal(t.d[0].length, sizeof(junk) - sizeof(h));

	/* empty */
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(read_file(path, &t), -ENODATA);
	free(v);
}

static void fix_crc(struct nsl_log_hdr *h)
{
	h->crc = crc32(0, (const void *)h, offsetof(struct nsl_log_hdr, crc));
}

static void test_header_mismatch(void **state)
{
	const char *path = tpath("hdr.log");
	struct nsl_log_hdr h, g;
	struct seen s, t;
	union synth_rec *v = blocky(path, 500, &s);
	int fd = open(path, O_RDONLY);

	assert_int_equal(pread(fd, &h, sizeof(h), 0), sizeof(h));
	close(fd);

	g = h;
	g.abi_version = NSL_ABI_VERSION + 1;
	fix_crc(&g);
	poke(path, 0, &g, sizeof(g));
	assert_int_equal(read_file(path, &t), -EPROTONOSUPPORT);

	g = h;
	g.version = NSL_LOG_VERSION + 1;
	fix_crc(&g);
	poke(path, 0, &g, sizeof(g));
	assert_int_equal(read_file(path, &t), -EPROTONOSUPPORT);

	/* a damaged header is reported, and the blocks are still read */
	g = h;
	g.hostname[0] ^= 1;
	poke(path, 0, &g, sizeof(g));
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nrec, 500);
	assert_int_equal(t.nd, 1);
	assert_int_equal(t.d[0].what, NSL_DMG_HEADER);
	assert_int_equal(t.d[0].offset, 0);

	/* truncated inside the header */
	assert_int_equal(truncate(path, 100), 0);
	assert_int_equal(read_file(path, &t), -EBADMSG);
	free(v);
}

/* a block made by hand: correct frame and CRC around a given payload */
static void put_block(const char *path, const void *raw, size_t rawlen,
		      __u32 nrec)
{
	__u8 out[8192];
	struct nsl_log_blk *b = (void *)out;
	z_stream z = { 0 };
	size_t zlen;
	int fd;

	/* raw deflate, as the writer does */
	assert_int_equal(deflateInit2(&z, 1, Z_DEFLATED, -15, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (void *)raw;
	z.avail_in = rawlen;
	z.next_out = out + sizeof(*b);
	z.avail_out = sizeof(out) - sizeof(*b);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	zlen = z.total_out;
	deflateEnd(&z);
	memset(b, 0, sizeof(*b));
	memcpy(b->sync, NSL_LOG_SYNC, 8);
	b->zlen = zlen;
	b->rawlen = rawlen;
	b->nrec = nrec;
	b->crc = crc32(crc32(0, out, sizeof(*b)), out + sizeof(*b), zlen);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out, sizeof(*b) + zlen),
			 (ssize_t)(sizeof(*b) + zlen));
	close(fd);
}

static void test_bad_record(void **state)
{
	const char *path = tpath("badrec.log");
	struct seen s, t;
	union synth_rec *v = blocky(path, 300, &s), bad;
	off_t at = fsize(path);

	bad = v[0];
	bad.h.size = 40;		/* CRC is fine, the record is not */
	put_block(path, &bad, sizeof(bad.e), 1);
	bad = v[0];
	bad.h.comm[15] = 'x';		/* unterminated: cut, not refused */
	put_block(path, &bad, sizeof(bad.e), 2);	/* wrong count */
	put_block(path, &bad, sizeof(bad.e), 1);
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nrec, 301);
	assert_int_equal(t.nd, 1);
	assert_int_equal(t.d[0].offset, at);
	assert_string_equal(t.d[0].reason, "bad record size");
	free(v);
}

static void test_mode_0600(void **state)
{
	const char *path = tpath("mode.log");
	struct nsl_log_writer *w;
	struct nsl_log_opts o = { .force = true };
	mode_t old = umask(0);
	struct stat st;
	int fd;

	unlink(path);
	assert_int_equal(nsl_log_create(&w, path, NULL, NULL), 0);
	assert_int_equal(nsl_log_close(w), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* a replaced file loses its old, looser mode */
	unlink(path);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	close(fd);
	assert_int_equal(nsl_log_create(&w, path, NULL, &o), 0);
	assert_int_equal(nsl_log_close(w), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);
}

static void test_existing(void **state)
{
	const char *path = tpath("exists.log");
	struct nsl_log_writer *w;
	struct nsl_log_opts o = { .force = true };
	char buf[8] = "";
	int fd;

	unlink(path);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	assert_int_equal(nsl_log_create(&w, path, NULL, NULL), -EEXIST);
	assert_null(w);
	assert_non_null(strstr(nsl_log_strerror(-EEXIST), "--force"));
	fd = open(path, O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf)), 4);
	close(fd);
	assert_string_equal(buf, "keep");

	assert_int_equal(nsl_log_create(&w, path, NULL, &o), 0);
	assert_int_equal(nsl_log_close(w), 0);
	assert_int_equal(fsize(path), sizeof(struct nsl_log_hdr));

	/* a path that cannot be created; a symlink even with --force */
	assert_int_equal(nsl_log_create(&w, "/nonexistent-nslife/x.log",
					NULL, NULL), -ENOENT);
	unlink(tpath("link.log"));
	assert_int_equal(symlink(path, tpath("link.log")), 0);
	assert_int_equal(nsl_log_create(&w, tpath("link.log"), NULL, &o),
			 -ELOOP);

	/* not a regular file: refused, and neither chmod'ed nor removed */
	assert_int_equal(nsl_log_create(&w, "/dev/null", NULL, &o), -ENODEV);
	assert_int_equal(access("/dev/null", W_OK), 0);
	unlink(tpath("fifo"));
	assert_int_equal(mkfifo(tpath("fifo"), 0600), 0);
	assert_true(nsl_log_create(&w, tpath("fifo"), NULL, &o) < 0);
	assert_int_equal(access(tpath("fifo"), F_OK), 0);
}

/* records written before a flush survive a writer that dies after it */
static void test_flush_visible(void **state)
{
	const char *path = tpath("live.log");
	struct nsl_log_writer *w;
	union synth_rec *v = make_recs(150, 3);
	struct seen t;
	int i;

	unlink(path);
	assert_int_equal(nsl_log_create(&w, path, NULL, NULL), 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(nsl_log_append(w, &v[i], v[i].h.size), 0);
	assert_int_equal(nsl_log_flush(w), 0);
	for (; i < 150; i++)
		assert_int_equal(nsl_log_append(w, &v[i], v[i].h.size), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nrec, 100);
	assert_int_equal(t.nd, 0);
	assert_int_equal(nsl_log_close(w), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nrec, 150);
	/* ABI records only; kinds and sizes must agree */
	v[0].h.size = 12;
	assert_int_equal(nsl_log_create(&w, tpath("inval.log"), NULL,
					&(struct nsl_log_opts){ .force = 1 }), 0);
	assert_int_equal(nsl_log_append(w, &v[0], sizeof(v[0].e)), -EINVAL);
	assert_int_equal(nsl_log_append(w, &v[0], 12), -EINVAL);
	assert_int_equal(nsl_log_close(w), 0);
	free(v);
}

/* a full disk, played by RLIMIT_FSIZE: flushed data stays readable */
static void test_disk_full(void **state)
{
	const char *path = tpath("full.log");
	struct nsl_log_opts o = { .block_size = 4096 };
	union synth_rec *v = make_recs(20000, 9);
	struct rlimit rl = { 30000, 30000 };
	struct nsl_log_writer *w;
	long flushed = 0, i;
	int p[2], st, err = 0;
	struct seen t;
	pid_t pid;

	unlink(path);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		if (nsl_log_create(&w, path, NULL, &o))
			_exit(2);
		for (i = 0; i < 20000 && !err; i++) {
			err = nsl_log_append(w, &v[i], v[i].h.size);
			if (!err && i % 50 == 49) {
				err = nsl_log_flush(w);
				if (!err)
					flushed = i + 1;
			}
		}
		if (write(p[1], &flushed, sizeof(flushed)) < 0)
			_exit(3);
		nsl_log_close(w);
		_exit(err == -EFBIG ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &flushed, sizeof(flushed)), sizeof(flushed));
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(flushed > 0);
	assert_true(fsize(path) <= 30000);
	memset(&t, 0, sizeof(t));
	t.want = v;
	t.nwant = 20000;
	t.skip_from = t.skip_to = 20000;
	assert_int_equal(read_file(path, &t), 0);
	assert_int_equal(t.nd, 0);
	/* at least what was flushed; perhaps a block emitted since */
	assert_true(t.nrec >= flushed);
	free(v);
}

/* flush until a tiny tmpfs is full; in a child with its own mount ns */
static int fill_tmpfs(const char *mnt, long *flushed, long *recs)
{
	struct nsl_log_opts o = { .block_size = 4096 };
	union synth_rec *v = make_recs(20000, 13);
	struct nsl_log_writer *w;
	struct seen t;
	char path[160];
	long i;
	int err = 0;

	snprintf(path, sizeof(path), "%s/x.log", mnt);
	if (unshare(CLONE_NEWNS) ||
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("nsl", mnt, "tmpfs", 0, "size=64k"))
		return 1;
	if (nsl_log_create(&w, path, NULL, &o))
		return 2;
	for (i = 0; i < 20000 && !err; i++) {
		err = nsl_log_append(w, &v[i], v[i].h.size);
		if (!err && i % 50 == 49 && !(err = nsl_log_flush(w)))
			*flushed = i + 1;
	}
	nsl_log_close(w);
	free(v);
	memset(&t, 0, sizeof(t));
	if (read_file(path, &t) || t.nd)
		return 3;
	*recs = t.nrec;
	return err == -ENOSPC ? 0 : 4;
}

static void test_enospc(void **state)
{
	long res[2] = { 0, 0 };
	int p[2], st;
	pid_t pid;

	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(tpath("mnt"), 0700), 0);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		st = fill_tmpfs(tpath("mnt"), &res[0], &res[1]);
		if (write(p[1], res, sizeof(res)) < 0)
			_exit(5);
		_exit(st);
	}
	close(p[1]);
	assert_int_equal(read(p[0], res, sizeof(res)), sizeof(res));
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1)
		skip();		/* no mount namespace here */
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* all that was flushed is there and clean */
	assert_true(res[0] > 0);
	assert_true(res[1] >= res[0]);
}

static void logset_read(char **paths, int n, unsigned int flags,
			struct seen *t)
{
	struct nsl_logset_ops ops = { .damage = on_damage, .arg = t };
	struct nsl_logset *ls;
	struct nsl_logset_rec rec;
	unsigned int failed;
	struct nsl_log_stats st;

	assert_int_equal(nsl_logset_open(&ls, paths, n, flags, &ops), 0);
	while (nsl_logset_next(ls, &rec) > 0)
		note_rec(t, &rec.r);
	nsl_logset_stats(ls, &failed, &st);
	assert_int_equal(failed, 0);
	assert_int_equal(st.records, t->nrec);
	nsl_logset_close(ls);
}

static void test_rotation(void **state)
{
	char path[128];
	struct nsl_log_opts o = {
		.block_size = 4096, .max_size = 20000, .keep = 3,
	};
	union synth_rec *v = make_recs(10000, 11);
	struct nsl_log_hdr h[3];
	char **paths, *rev[3];
	struct seen t;
	int n, i, fd;
	long first;

	snprintf(path, sizeof(path), "%s", tpath("rot.log"));
	unlink(tpath("rot.log.1"));
	unlink(tpath("rot.log.2"));
	unlink(tpath("rot.log.3"));
	write_recs(path, v, 10000, &o);
	assert_int_equal(access(tpath("rot.log.3"), F_OK), -1);
	assert_int_equal(nsl_logset_expand(path, &paths, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(paths[0], tpath("rot.log.2"));
	assert_string_equal(paths[2], path);
	for (i = 0; i < 3; i++) {
		assert_true(fsize(paths[i]) <= 20000);
		fd = open(paths[i], O_RDONLY);
		assert_int_equal(read(fd, &h[i], sizeof(h[i])), sizeof(h[i]));
		close(fd);
		assert_memory_equal(h[i].magic, NSL_LOG_MAGIC, 8);
	}
	assert_int_equal(h[1].seq, h[0].seq + 1);
	assert_int_equal(h[2].seq, h[1].seq + 1);
	assert_int_equal(h[0].start_wall_ns, h[2].start_wall_ns);

	/* FILE and FILE.1 named: the set once, a missing name kept for the reader */
	{
		char *named[3] = { path, paths[1], (char *)tpath("rot.none") };
		char **all;
		int na;

		assert_int_equal(nsl_logset_expand_all(named, 3, &all, &na), 0);
		assert_int_equal(na, 4);
		assert_string_equal(all[0], paths[0]);
		assert_string_equal(all[1], paths[1]);
		assert_string_equal(all[2], path);
		assert_string_equal(all[3], tpath("rot.none"));
		nsl_logset_free_paths(all, na);
	}

	/* the three files hold the last records, in order, without a gap */
	memset(&t, 0, sizeof(t));
	logset_read(paths, n, 0, &t);
	assert_int_equal(t.nd, 0);
	assert_true(t.nrec > 1000 && t.nrec < 10000);
	first = 10000 - t.nrec;
	memset(&t, 0, sizeof(t));
	t.want = v + first;
	t.nwant = 10000 - first;
	t.skip_from = t.skip_to = t.nwant;
	for (i = 0; i < 3; i++)
		rev[i] = paths[2 - i];
	logset_read(rev, 3, NSL_LOGSET_SORT, &t);
	assert_int_equal(t.nrec, 10000 - first);

	/* a missing middle file is reported as such */
	assert_int_equal(unlink(paths[1]), 0);
	memset(&t, 0, sizeof(t));
	rev[0] = paths[0];
	rev[1] = paths[2];
	logset_read(rev, 2, 0, &t);
	assert_int_equal(t.nd, 1);
	assert_int_equal(t.d[0].what, NSL_DMG_GAP);
	nsl_logset_free_paths(paths, n);

	/* keep 1: the old file goes, the new one starts over */
	o.keep = 1;
	unlink(tpath("rot.log.1"));
	write_recs(path, v, 10000, &o);
	assert_int_equal(access(tpath("rot.log.1"), F_OK), -1);
	memset(&t, 0, sizeof(t));
	assert_int_equal(read_file(path, &t), 0);
	assert_true(t.nrec > 100 && t.nrec < 10000);
	assert_true(fsize(path) <= 20000);
	free(v);
}

static void test_big_snapshot(void **state)
{
	const char *path = tpath("snap.log");
	struct nsl_log_writer *w;
	struct nsl_log_rec rec;
	struct nsl_log_reader *r;
	size_t len = 300000, i;
	__u8 *blob = malloc(len);

	for (i = 0; i < len; i++)
		blob[i] = (i * 2654435761u) >> 24;
	unlink(path);
	assert_int_equal(nsl_log_create(&w, path, NULL, NULL), 0);
	assert_int_equal(nsl_log_append_snapshot(w, 1, 1, blob, len), 0);
	assert_int_equal(nsl_log_append_snapshot(w, 1, 1, blob,
						 NSL_LOG_RAW_MAX), -E2BIG);
	assert_int_equal(nsl_log_append_lost(w, 2, 0, NSL_LOST_RESYNC), 0);
	assert_int_equal(nsl_log_close(w), 0);
	assert_int_equal(nsl_log_open(&r, path, NULL, NULL), 0);
	assert_int_equal(nsl_log_next(r, &rec), 1);
	assert_non_null(rec.snap);
	assert_int_equal(rec.snap->len, len);
	assert_memory_equal(rec.snap + 1, blob, len);
	assert_int_equal(nsl_log_next(r, &rec), 1);
	assert_non_null(rec.lost);
	assert_int_equal(nsl_log_next(r, &rec), 0);
	nsl_log_reader_close(r);
	free(blob);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/nsl-logfmt-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return synth_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_many_blocks),
		cmocka_unit_test(test_mem_reader),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_flipped_byte),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_header_mismatch),
		cmocka_unit_test(test_bad_record),
		cmocka_unit_test(test_mode_0600),
		cmocka_unit_test(test_existing),
		cmocka_unit_test(test_flush_visible),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_big_snapshot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
