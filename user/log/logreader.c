// SPDX-License-Identifier: GPL-2.0
/*
 * The log reader: one block at a time through pread() (or from a memory
 * buffer, for tests and fuzzing), checked completely before any of its
 * records is handed out; on any doubt it scans forward for the next sync
 * marker.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <zlib.h>
#include "logreader.h"

/* deflate never grows data by more than this; a larger zlen is damage */
#define NSL_LOG_Z_MAX	(NSL_LOG_RAW_MAX + (NSL_LOG_RAW_MAX >> 8) + 64)
#define SCAN_CHUNK	((32u << 10) - NSL_LOG_SYNC_LEN)

struct nsl_log_reader {
	int fd;				/* -1: reading mem */
	const __u8 *mem;
	__u64 memlen;
	char *path;
	nsl_log_damage_fn fn;
	void *arg;
	struct nsl_log_hdr hdr;
	__u64 pos;			/* where the next block is looked for */
	__u8 *z;			/* one framed block, from the file */
	size_t zcap;
	__u8 *raw;			/* its payload */
	size_t rawcap, rawlen, rpos;
	z_stream zs;
	bool zinit;
	__u64 blk_off;
	__u32 idx;
	__u8 *scan;			/* resync window */
	size_t scancap;
	__u64 blk_end;			/* end of the block being loaded */
	/* damage not yet reported: from dmg_off up to the next good block */
	bool in_dmg;
	__u64 dmg_off;
	const char *dmg_why;
	struct nsl_log_stats st;
};

static __s64 src_size(struct nsl_log_reader *r)
{
	struct stat st;

	if (r->fd < 0)
		return r->memlen;
	if (fstat(r->fd, &st) < 0)
		return -errno;
	return st.st_size;
}

/* n bytes at off, or fewer at the end; returns a pointer or NULL + *got<0 */
static const __u8 *src_get(struct nsl_log_reader *r, __u64 off, size_t n,
			   __u8 **buf, size_t *cap, __s64 *got)
{
	size_t done = 0;
	ssize_t k;

	if (r->fd < 0) {
		*got = off >= r->memlen ? 0 :
		       (__s64)(r->memlen - off < n ? r->memlen - off : n);
		return r->mem + (off < r->memlen ? off : r->memlen);
	}
	if (nsl_log_grow(buf, cap, n ? n : 1)) {
		*got = -ENOMEM;
		return NULL;
	}
	while (done < n) {
		k = pread(r->fd, *buf + done, n - done, off + done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			*got = -errno;
			return NULL;
		}
		if (k == 0)
			break;
		done += k;
	}
	*got = done;
	return *buf;
}

static void damage(struct nsl_log_reader *r, __u64 off, const char *why)
{
	if (r->in_dmg)
		return;
	r->in_dmg = true;
	r->dmg_off = off;
	r->dmg_why = why;
}

/* the damage run ends at end: tell the caller about it */
static void damage_end(struct nsl_log_reader *r, __u64 end, bool at_end)
{
	struct nsl_log_damage d = {
		.what = r->dmg_off ? NSL_DMG_BLOCK : NSL_DMG_HEADER,
		.path = r->path, .offset = r->dmg_off,
		.length = end - r->dmg_off, .reason = r->dmg_why,
		.at_end = at_end,
	};

	if (!r->in_dmg)
		return;
	r->in_dmg = false;
	r->st.damaged++;
	r->st.skipped += d.length;
	if (r->fn)
		r->fn(r->arg, &d);
}

/* offset of the next sync marker at or after from; size if none */
static __s64 resync(struct nsl_log_reader *r, __u64 from)
{
	const size_t want = SCAN_CHUNK + NSL_LOG_SYNC_LEN;
	const __u8 *p, *hit;
	__s64 got;

	for (;;) {
		p = src_get(r, from, want, &r->scan, &r->scancap, &got);
		if (!p)
			return got;
		if (got < NSL_LOG_SYNC_LEN)
			return from + got;
		hit = memmem(p, got, NSL_LOG_SYNC, NSL_LOG_SYNC_LEN);
		if (hit)
			return from + (hit - p);
		/* keep 7 bytes: a marker may straddle two windows */
		from += got - (NSL_LOG_SYNC_LEN - 1);
	}
}

static void terminate(char *s, size_t n)
{
	/* the kernel always terminates these; a damaged log might not */
	s[n - 1] = 0;
}

/* readers index tables and shift bits by these: keep them in range */
static bool bad_enums(const struct nsl_event *e)
{
	return e->h.how >= NSL_HOW_MAX || e->ns.type >= NSL_T_MAX ||
	       e->aux.type >= NSL_T_MAX;
}

/* walk the inflated payload once; all of it must be well-formed */
static const char *check_payload(struct nsl_log_reader *r, __u32 nrec)
{
	size_t p = 0, len, left;
	struct nsl_hdr *h;
	struct nsl_log_snap *s;
	__u32 n = 0;

	while (p < r->rawlen) {
		left = r->rawlen - p;
		if (left < 8)
			return "bad record";
		h = (struct nsl_hdr *)(r->raw + p);
		len = nsl_log_rec_size(h->kind);
		if (!len || left < len)
			return "bad record";
		if (h->kind == NSL_LOG_SNAPSHOT) {
			s = (struct nsl_log_snap *)h;
			if (s->len > left - len)
				return "bad record";
			len += s->len;
		} else if (h->size != len) {
			return "bad record size";
		} else if (h->kind < NSL_EV_MAX) {
			if (bad_enums((struct nsl_event *)h))
				return "bad record";
			terminate(h->comm, sizeof(h->comm));
			if (len == sizeof(struct nsl_mount_event))
				terminate(((struct nsl_mount_event *)h)->path,
					  NSL_PATH_LEN);
		}
		if (NSL_LOG_ALIGN8(len) > left)
			return "bad record";
		p += NSL_LOG_ALIGN8(len);
		n++;
	}
	return n == nrec ? NULL : "bad record count";
}

/* exactly zlen bytes must inflate to exactly rawlen bytes */
static int inflate_block(struct nsl_log_reader *r, const __u8 *in,
			 __u32 zlen, __u32 rawlen, int *err)
{
	z_stream *z = &r->zs;

	if (!r->zinit) {
		if (inflateInit2(z, -15) != Z_OK) {
			*err = -ENOMEM;
			return -1;
		}
		r->zinit = true;
	} else if (inflateReset(z) != Z_OK) {
		return -1;
	}
	z->next_in = (__u8 *)in;
	z->avail_in = zlen;
	z->next_out = r->raw;
	z->avail_out = rawlen;
	if (inflate(z, Z_FINISH) != Z_STREAM_END || z->avail_in ||
	    z->total_out != rawlen)
		return -1;
	return 0;
}

/* check and inflate the block at r->pos; NULL or why it is no good */
static const char *load_block(struct nsl_log_reader *r, int *err)
{
	struct nsl_log_blk f;	/* a copy: p is not aligned in memory */
	const __u8 *p;
	__s64 got, size;
	__u32 crc;

	*err = 0;
	p = src_get(r, r->pos, sizeof(f), &r->z, &r->zcap, &got);
	if (!p) {
		*err = got;
		return NULL;
	}
	if (got < (__s64)sizeof(f))
		return "truncated";
	memcpy(&f, p, sizeof(f));
	if (memcmp(f.sync, NSL_LOG_SYNC, NSL_LOG_SYNC_LEN))
		return "no block marker";
	if (!f.rawlen || f.rawlen > NSL_LOG_RAW_MAX || !f.zlen ||
	    f.zlen > NSL_LOG_Z_MAX)
		return "bad block header";
	/* check the length before allocating what it claims */
	size = src_size(r);
	if (size < 0) {
		*err = size;
		return NULL;
	}
	if (r->pos + sizeof(f) + f.zlen > (__u64)size)
		return "truncated";
	p = src_get(r, r->pos, sizeof(f) + f.zlen, &r->z, &r->zcap, &got);
	if (!p) {
		*err = got;
		return NULL;
	}
	if (got < (__s64)(sizeof(f) + f.zlen))
		return "truncated";
	r->blk_end = r->pos + sizeof(f) + f.zlen;
	crc = f.crc;
	f.crc = 0;
	if (nsl_log_crc(nsl_log_crc(0, &f, sizeof(f)), p + sizeof(f), f.zlen) != crc)
		return "bad crc";
	*err = nsl_log_grow(&r->raw, &r->rawcap, f.rawlen);
	if (*err)
		return NULL;
	if (inflate_block(r, p + sizeof(f), f.zlen, f.rawlen, err))
		return *err ? NULL : "bad compressed data";
	r->rawlen = f.rawlen;
	r->rpos = 0;
	r->idx = 0;
	r->blk_off = r->pos;
	return check_payload(r, f.nrec);
}

/* 1: a good block is loaded, 0: end of input, <0: -errno */
static int next_block(struct nsl_log_reader *r)
{
	const char *why;
	__s64 size, next;
	int err;

	for (;;) {
		why = load_block(r, &err);
		if (err)
			return err;
		if (!why) {
			damage_end(r, r->pos, false);
			r->st.blocks++;
			r->pos = r->blk_end;
			return 1;
		}
		size = src_size(r);
		if (size < 0)
			return size;
		if (r->pos >= (__u64)size) {
			damage_end(r, size, true);
			return 0;
		}
		r->rawlen = 0;
		damage(r, r->pos, why);
		next = resync(r, r->pos + 1);
		if (next < 0)
			return next;
		r->pos = next;
	}
}

static int check_header(struct nsl_log_reader *r)
{
	const __u8 *p;
	__s64 got;

	p = src_get(r, 0, sizeof(r->hdr), &r->z, &r->zcap, &got);
	if (!p)
		return got;
	if (got == 0)
		return -ENODATA;
	if (got < 8 || memcmp(p, NSL_LOG_MAGIC, 8))
		return -EPROTO;
	if (got < (__s64)sizeof(r->hdr))
		return -EBADMSG;
	memcpy(&r->hdr, p, sizeof(r->hdr));
	r->pos = sizeof(r->hdr);
	if (nsl_log_crc(0, &r->hdr, offsetof(struct nsl_log_hdr, crc)) !=
	    r->hdr.crc) {
		/* the blocks carry their own checks: go on without it */
		damage(r, 0, "bad file header");
		damage_end(r, sizeof(r->hdr), false);
		return 0;
	}
	if (r->hdr.version != NSL_LOG_VERSION ||
	    r->hdr.hdr_size != sizeof(r->hdr) ||
	    r->hdr.abi_version != NSL_ABI_VERSION)
		return -EPROTONOSUPPORT;
	return 0;
}

static int reader_init(struct nsl_log_reader *r, nsl_log_damage_fn fn,
		       void *arg)
{
	int err;

	r->fn = fn;
	r->arg = arg;
	err = check_header(r);
	if (err)
		return err;
	r->hdr.boot_id[sizeof(r->hdr.boot_id) - 1] = 0;
	r->hdr.hostname[sizeof(r->hdr.hostname) - 1] = 0;
	r->hdr.release[sizeof(r->hdr.release) - 1] = 0;
	r->hdr.strategy[sizeof(r->hdr.strategy) - 1] = 0;
	return 0;
}

int nsl_log_open_mem(struct nsl_log_reader **rp, const void *buf, size_t len,
		     nsl_log_damage_fn fn, void *arg)
{
	struct nsl_log_reader *r;
	int err;

	*rp = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->mem = buf;
	r->memlen = len;
	r->path = strdup("");
	err = r->path ? reader_init(r, fn, arg) : -ENOMEM;
	if (err) {
		nsl_log_reader_close(r);
		return err;
	}
	*rp = r;
	return 0;
}

int nsl_log_open(struct nsl_log_reader **rp, const char *path,
		 nsl_log_damage_fn fn, void *arg)
{
	struct nsl_log_reader *r;
	struct stat st;
	int err;

	*rp = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->path = strdup(path);
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!r->path || r->fd < 0) {
		err = r->path ? -errno : -ENOMEM;
		goto cleanup;
	}
	if (fstat(r->fd, &st) < 0) {
		err = -errno;
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		goto cleanup;
	}
	err = reader_init(r, fn, arg);
	if (err)
		goto cleanup;
	*rp = r;
	return 0;
cleanup:
	nsl_log_reader_close(r);
	return err;
}

const struct nsl_log_hdr *nsl_log_header(const struct nsl_log_reader *r)
{
	return &r->hdr;
}

static void fill_rec(struct nsl_log_reader *r, struct nsl_log_rec *rec)
{
	const struct nsl_hdr *h = (const void *)(r->raw + r->rpos);
	size_t len = nsl_log_rec_size(h->kind);

	memset(rec, 0, sizeof(*rec));
	rec->kind = h->kind;
	rec->data = h;
	rec->block_off = r->blk_off;
	rec->index = r->idx++;
	if (h->kind == NSL_LOG_SNAPSHOT) {
		rec->snap = (const void *)h;
		rec->ts = rec->snap->ts;
		len += rec->snap->len;
	} else if (h->kind == NSL_LOG_LOST) {
		rec->lost = (const void *)h;
		rec->ts = rec->lost->ts;
	} else {
		rec->ev = (const void *)h;
		rec->ts = h->ts;
		if (len == sizeof(struct nsl_mount_event))
			rec->mev = (const void *)h;
	}
	rec->size = len;
	r->rpos += NSL_LOG_ALIGN8(len);
}

int nsl_log_next(struct nsl_log_reader *r, struct nsl_log_rec *rec)
{
	int err;

	while (r->rpos >= r->rawlen) {
		err = next_block(r);
		if (err <= 0)
			return err;
	}
	fill_rec(r, rec);
	r->st.records++;
	return 1;
}

void nsl_log_stats(const struct nsl_log_reader *r, struct nsl_log_stats *st)
{
	*st = r->st;
}

void nsl_log_reader_close(struct nsl_log_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->zinit)
		inflateEnd(&r->zs);
	free(r->path);
	free(r->z);
	free(r->raw);
	free(r->scan);
	free(r);
}
