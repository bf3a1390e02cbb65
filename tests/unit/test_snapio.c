// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot serialization: round trips (directly and through a log file),
 * and truncated, flipped, garbage and inconsistent blobs refused cleanly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "logreader.h"
#include "logwriter.h"
#include "scan.h"
#include "snapio.h"

#define NNS	40
#define NH	300

static const char *links[] = { "net", "pid_for_children", "mnt", "user" };

/* a plausible snapshot, built by hand: no /proc, no fds */
static void make_snap(struct snap *s, size_t nns, size_t nh)
{
	size_t i;
	char buf[64];

	memset(s, 0, sizeof(*s));
	s->ns = calloc(nns ? nns : 1, sizeof(*s->ns));
	s->h = calloc(nh ? nh : 1, sizeof(*s->h));
	assert_non_null(s->ns);
	assert_non_null(s->h);
	s->nr_ns = nns;
	s->nr_h = nh;
	s->self_mnt = nns ? 0 : -1;
	s->have_id = true;
	s->max_id = 1000 + nns;
	for (i = 0; i < nns; i++) {
		struct snap_ns *n = &s->ns[i];

		n->key.id = 1000 + i;
		n->key.inum = 4026531840u + i;
		n->key.type = 1 + i % (NSL_T_MAX - 1);
		n->fd = 100 + i;
		n->owner = i ? (int)(i / 2) : -1;
		n->parent = i % 3 ? -1 : (int)(nns - 1 - i);
		n->nprocs = i * 3;
		n->ntasks = i * 7;
		n->pid = 1 + i;
		n->mnt_pid = i % 2 ? 0 : 1 + i;
		/* a full 16-byte comm, unterminated: must come back cut */
		memset(n->comm, 'a' + i % 26, NSL_COMM_LEN);
		n->flags = i % 8;
	}
	for (i = 0; i < nh; i++) {
		struct snap_holder *h = &s->h[i];

		h->kind = i % SNAP_H_MAX;
		h->ns = nns ? (int)(i % nns) : -1;
		h->pid = 5000 + i;
		h->tid = 6000 + i;
		h->ppid = i % 5 ? 0 : 1;
		h->fd = i % 4 ? -1 : (int)i;
		snprintf(h->comm, sizeof(h->comm), "comm-%zu", i);
		h->link = i % 3 ? links[i % 4] : NULL;
		if (i % 2) {
			snprintf(buf, sizeof(buf), "/run/netns/ns-%zu", i);
			h->path = strdup(buf);
		}
		if (i % 7 == 0)
			h->detail = strdup(i % 14 ? "" : "kernel reference");
		h->mntns = nns && i % 2 ? 0 : -1;
		h->child = nns && i % 6 == 0 ? (int)((i + 1) % nns) : -1;
		h->flags = i % 16;
	}
}

static void free_snap(struct snap *s)
{
	for (size_t i = 0; i < s->nr_h; i++) {
		free(s->h[i].path);
		free(s->h[i].detail);
	}
	free(s->ns);
	free(s->h);
}

static void assert_str(const char *want, const char *got)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(want, got);
}

static void assert_same(const struct snap *s, const struct snapio *d)
{
	size_t i;

	assert_int_equal(d->version, NSL_SNAPIO_VERSION);
	assert_int_equal(d->nr_ns, s->nr_ns);
	assert_int_equal(d->nr_h, s->nr_h);
	assert_int_equal(d->self_mnt, s->self_mnt);
	assert_int_equal(d->max_id, s->max_id);
	assert_int_equal(!!(d->flags & SNAPIO_F_HAVE_ID), s->have_id);
	for (i = 0; i < s->nr_ns; i++) {
		const struct snap_ns *a = &s->ns[i];
		const struct snapio_ns *b = &d->ns[i];

		assert_int_equal(a->key.id, b->key.id);
		assert_int_equal(a->key.inum, b->key.inum);
		assert_int_equal(a->key.type, b->key.type);
		assert_int_equal(a->owner, b->owner);
		assert_int_equal(a->parent, b->parent);
		assert_int_equal(a->nprocs, b->nprocs);
		assert_int_equal(a->ntasks, b->ntasks);
		assert_int_equal(a->pid, b->pid);
		assert_int_equal(a->mnt_pid, b->mnt_pid);
		assert_int_equal(a->flags, b->flags);
		assert_int_equal(strlen(b->comm), NSL_COMM_LEN - 1);
		assert_memory_equal(a->comm, b->comm, NSL_COMM_LEN - 1);
	}
	for (i = 0; i < s->nr_h; i++) {
		const struct snap_holder *a = &s->h[i];
		const struct snapio_holder *b = &d->h[i];

		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->ns, b->ns);
		assert_int_equal(a->pid, b->pid);
		assert_int_equal(a->tid, b->tid);
		assert_int_equal(a->ppid, b->ppid);
		assert_int_equal(a->fd, b->fd);
		assert_int_equal(a->mntns, b->mntns);
		assert_int_equal(a->child, b->child);
		assert_int_equal(a->flags, b->flags);
		assert_string_equal(a->comm, b->comm);
		assert_str(a->path, b->path);
		assert_str(a->detail, b->detail);
		assert_str(a->link, b->link);
	}
}

static void encode(const struct snap *s, void **buf, size_t *len)
{
	assert_int_equal(snapio_encode(s, buf, len), 0);
	assert_non_null(*buf);
	assert_true(*len >= sizeof(struct snapio_head));
}

static void test_round_trip(void **state)
{
	struct snapio d;
	struct snap s;
	size_t len;
	void *buf;

	make_snap(&s, NNS, NH);
	encode(&s, &buf, &len);
	assert_int_equal(snapio_decode(buf, len, &d), 0);
	assert_same(&s, &d);
	snapio_free(&d);
	free(buf);
	free_snap(&s);
}

static void test_empty(void **state)
{
	struct snapio d;
	struct snap s;
	size_t len;
	void *buf;

	make_snap(&s, 0, 0);
	encode(&s, &buf, &len);
	assert_int_equal(len, sizeof(struct snapio_head));
	assert_int_equal(snapio_decode(buf, len, &d), 0);
	assert_same(&s, &d);
	snapio_free(&d);
	free(buf);
	free_snap(&s);
}

/* every prefix, and the blob with a byte too many, is refused */
static void test_truncated(void **state)
{
	struct snapio d;
	struct snap s;
	size_t len, n;
	__u8 *buf, *copy;
	void *b;

	make_snap(&s, 5, 20);
	encode(&s, &b, &len);
	buf = b;
	for (n = 0; n < len; n++) {
		/* an exact-size copy, so ASan sees any read past the end */
		copy = malloc(n ? n : 1);
		memcpy(copy, buf, n);
		assert_int_not_equal(snapio_decode(n ? copy : NULL, n, &d), 0);
		assert_null(d.ns);
		assert_null(d.h);
		assert_int_equal(d.nr_ns, 0);
		free(copy);
	}
	copy = calloc(1, len + 1);
	memcpy(copy, buf, len);
	assert_int_equal(snapio_decode(copy, len + 1, &d), -EBADMSG);
	free(copy);
	free(buf);
	free_snap(&s);
}

static __u32 rnd_next(__u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* random bytes; random bytes behind a valid head; flipped bytes */
static void test_garbage(void **state)
{
	struct snapio_head hd;
	struct snapio d;
	struct snap s;
	size_t len, i, k;
	__u32 x = 12345;
	__u8 *buf, g[4096];
	void *b;
	int err;

	for (k = 0; k < 2000; k++) {
		for (i = 0; i < sizeof(g); i++)
			g[i] = rnd_next(&x);
		len = rnd_next(&x) % sizeof(g);
		if (k % 2) {
			/* get past the magic and version checks */
			memcpy(&hd, g, sizeof(hd));
			memcpy(hd.magic, NSL_SNAPIO_MAGIC, 4);
			hd.version = NSL_SNAPIO_VERSION;
			memcpy(g, &hd, sizeof(hd));
		}
		err = snapio_decode(g, len, &d);
		if (!err)
			snapio_free(&d);
		else
			assert_true(err == -EPROTO || err == -EBADMSG ||
				    err == -EPROTONOSUPPORT);
	}
	/* every single byte of a good blob, changed */
	make_snap(&s, 6, 30);
	encode(&s, &b, &len);
	buf = b;
	for (i = 0; i < len; i++) {
		__u8 old = buf[i];

		buf[i] ^= 1 + rnd_next(&x) % 255;
		err = snapio_decode(buf, len, &d);
		if (!err) {
			assert_true(d.nr_ns <= 6 && d.nr_h <= 30);
			snapio_free(&d);
		}
		buf[i] = old;
	}
	free(buf);
	free_snap(&s);
}

/* each consistency rule on its own */
static void test_bad_fields(void **state)
{
	struct snapio_ns_rec nr;
	struct snapio_h_rec hr;
	struct snapio_head hd;
	struct snapio d;
	struct snap s;
	size_t len, hoff, noff;
	__u8 *buf;
	void *b;

	make_snap(&s, 3, 4);
	encode(&s, &b, &len);
	buf = b;
	memcpy(&hd, buf, sizeof(hd));
	noff = sizeof(hd);
	hoff = noff + 3 * sizeof(nr);

#define TRY(field_set, what, want) do {					\
		__u8 *c = malloc(len);					\
		memcpy(c, buf, len);					\
		memcpy(&what, c + off, sizeof(what));			\
		field_set;						\
		memcpy(c + off, &what, sizeof(what));			\
		assert_int_equal(snapio_decode(c, len, &d), want);	\
		snapio_free(&d);					\
		free(c);						\
	} while (0)

	size_t off = 0;

	TRY(hd.magic[0] = 'X', hd, -EPROTO);
	TRY(hd.version = 2, hd, -EPROTONOSUPPORT);
	TRY(hd.nr_ns = 4, hd, -EBADMSG);
	TRY(hd.nr_h = 0xffffffff, hd, -EBADMSG);
	TRY(hd.str_len += 1, hd, -EBADMSG);
	TRY(hd.ns_size = 8, hd, -EBADMSG);
	TRY(hd.self_mnt = 3, hd, -EBADMSG);
	TRY(hd.self_mnt = -2, hd, -EBADMSG);
	off = noff + sizeof(nr);
	TRY(nr.type = NSL_T_MAX, nr, -EBADMSG);
	TRY(nr.owner = 3, nr, -EBADMSG);
	TRY(nr.parent = INT32_MIN, nr, -EBADMSG);
	off = hoff + sizeof(hr);	/* holder 1 has a path */
	TRY(hr.kind = SNAP_H_MAX, hr, -EBADMSG);
	TRY(hr.ns = 3, hr, -EBADMSG);
	TRY(hr.mntns = -5, hr, -EBADMSG);
	TRY(hr.child = 99, hr, -EBADMSG);
	TRY(hr.path = hd.str_len + 1, hr, -EBADMSG);
	TRY(hr.link = 0xffffffff, hr, -EBADMSG);
	TRY(hr.path = hd.str_len, hr, 0);	/* the last NUL: "" */
	/* the table must end in a NUL, so no string runs off its end */
	off = len - 1;
	{
		__u8 last;

		TRY(last = 'x', last, -EBADMSG);
	}
#undef TRY
	free(buf);
	free_snap(&s);
}

/* a later minor layout with longer parts still decodes */
static void test_grown_layout(void **state)
{
	struct snapio_head hd;
	struct snapio d;
	struct snap s;
	size_t len, i, nsz, hsz, out;
	__u8 *buf, *big, *p;
	void *b;

	make_snap(&s, 4, 9);
	encode(&s, &b, &len);
	buf = b;
	memcpy(&hd, buf, sizeof(hd));
	nsz = hd.ns_size + 8;
	hsz = hd.h_size + 24;
	out = sizeof(hd) + 16 + 4 * nsz + 9 * hsz + hd.str_len;
	big = calloc(1, out);
	hd.hdr_size += 16;
	hd.ns_size = nsz;
	hd.h_size = hsz;
	memcpy(big, &hd, sizeof(hd));
	p = big + hd.hdr_size;
	for (i = 0; i < 4; i++, p += nsz)
		memcpy(p, buf + sizeof(hd) + i * sizeof(struct snapio_ns_rec),
		       sizeof(struct snapio_ns_rec));
	for (i = 0; i < 9; i++, p += hsz)
		memcpy(p, buf + sizeof(hd) + 4 * sizeof(struct snapio_ns_rec) +
		       i * sizeof(struct snapio_h_rec), sizeof(struct snapio_h_rec));
	memcpy(p, buf + len - hd.str_len, hd.str_len);
	assert_int_equal(snapio_decode(big, out, &d), 0);
	assert_same(&s, &d);
	snapio_free(&d);
	free(big);
	free(buf);
	free_snap(&s);
}

/* what record writes, read back through the log reader */
static void test_through_log(void **state)
{
	char dir[] = "/tmp/nsl-snapio.XXXXXX", path[64];
	struct nsl_log_writer *w;
	struct nsl_log_reader *r;
	struct nsl_log_rec rec;
	struct snapio d;
	struct snap s;
	size_t len;
	void *buf;
	int n = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	make_snap(&s, NNS, NH);
	encode(&s, &buf, &len);
	assert_int_equal(nsl_log_create(&w, path, NULL, NULL), 0);
	assert_int_equal(nsl_log_append_snapshot(w, NSL_SNAPIO_TYPE, 42, buf, len), 0);
	assert_int_equal(nsl_log_close(w), 0);
	assert_int_equal(nsl_log_open(&r, path, NULL, NULL), 0);
	while (nsl_log_next(r, &rec) > 0) {
		assert_non_null(rec.snap);
		assert_int_equal(rec.snap->type, NSL_SNAPIO_TYPE);
		assert_int_equal(rec.snap->ts, 42);
		assert_int_equal(snapio_decode(rec.snap + 1, rec.snap->len, &d), 0);
		assert_same(&s, &d);
		snapio_free(&d);
		n++;
	}
	assert_int_equal(n, 1);
	nsl_log_reader_close(r);
	unlink(path);
	rmdir(dir);
	free(buf);
	free_snap(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_grown_layout),
		cmocka_unit_test(test_through_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
