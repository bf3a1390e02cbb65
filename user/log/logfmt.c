// SPDX-License-Identifier: GPL-2.0
/*
 * nslife log codec: see logfmt.h for the format.
 *
 * The writer keeps one raw block in memory and turns it into a framed,
 * compressed block when it fills up or on flush.  The reader pulls one
 * block at a time through pread() (or from a memory buffer, for tests and
 * fuzzing), checks it completely before handing out any of its records,
 * and on any doubt scans forward for the next sync marker.
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
#include "logfmt.h"

_Static_assert(sizeof(struct nsl_log_hdr) == 256, "log header is 256 bytes");
_Static_assert(sizeof(struct nsl_log_blk) == 48, "block frame is 48 bytes");
_Static_assert(sizeof(struct nsl_log_snap) == 24, "snapshot head is 24");
_Static_assert(sizeof(struct nsl_log_lost) == 24, "lost marker is 24");
_Static_assert(sizeof(NSL_LOG_MAGIC) - 1 == 8, "magic is 8 bytes");
_Static_assert(sizeof(NSL_LOG_SYNC) - 1 == NSL_LOG_SYNC_LEN, "sync is 8");

#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
/* deflate never grows data by more than this; a larger zlen is damage */
#define NSL_LOG_Z_MAX	(NSL_LOG_RAW_MAX + (NSL_LOG_RAW_MAX >> 8) + 64)
#define SCAN_CHUNK	((32u << 10) - NSL_LOG_SYNC_LEN)

static __u32 crc_of(__u32 crc, const void *p, size_t n)
{
	return crc32(crc, p, n);
}

size_t nsl_log_rec_size(unsigned int kind)
{
	switch (kind) {
	case NSL_EV_CREATE: case NSL_EV_FREE: case NSL_EV_JOIN:
	case NSL_EV_LEAVE: case NSL_EV_OPEN: case NSL_EV_LOST:
	case NSL_EV_LINGER: case NSL_EV_UNLINGER:
		return sizeof(struct nsl_event);
	case NSL_EV_MOUNT: case NSL_EV_UMOUNT: case NSL_EV_PROC_MOUNT:
		return sizeof(struct nsl_mount_event);
	case NSL_LOG_LOST:
		return sizeof(struct nsl_log_lost);
	case NSL_LOG_SNAPSHOT:
		return sizeof(struct nsl_log_snap);	/* the fixed part */
	}
	return 0;
}

__u64 nsl_log_wall_ns(const struct nsl_log_hdr *h, __u64 boot_ns)
{
	return h->start_wall_ns + (__s64)(boot_ns - h->start_boot_ns);
}

const char *nsl_log_strerror(int err)
{
	switch (-err) {
	case EEXIST:
		return "file exists (use --force to replace it)";
	case ENOSPC:
		return "no space left on device (log kept up to the last flush)";
	case EFBIG:
		return "file too large (log kept up to the last flush)";
	case EPROTO:
		return "not an nslife log";
	case EPROTONOSUPPORT:
		return "log written by an incompatible nslife (format or ABI version)";
	case EBADMSG:
		return "log header is damaged";
	case ENODATA:
		return "empty file";
	case ELOOP:
		return "is a symbolic link";
	case ENODEV:
		return "not a regular file";
	case E2BIG:
		return "record too large";
	case EINVAL:
		return "invalid record";
	}
	return strerror(-err);
}

/* ------------------------------------------------------------------ */
/* writer                                                             */

struct nsl_log_writer {
	char *path;
	int fd;
	struct nsl_log_hdr hdr;		/* template; seq moves on rotation */
	struct nsl_log_opts o;
	__u8 *raw;			/* the block being filled */
	size_t rawlen, rawcap;
	__u8 *out;			/* frame + compressed block */
	size_t outcap;
	z_stream zs;
	bool zinit;
	__u32 nrec, blkseq;
	__u64 ts_min, ts_max;
	__u64 off;			/* end of the last block written */
	__u64 synced;			/* end of the last block on disk */
	__u64 total;			/* records appended, all files */
	int dead;			/* why there is no file any more */
};

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void read_boot_id(char *buf, size_t n)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, n, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void fill_header(struct nsl_log_hdr *h, const struct nsl_log_meta *m)
{
	struct utsname u;
	__u64 b0, b1;

	memset(h, 0, sizeof(*h));
	memcpy(h->magic, NSL_LOG_MAGIC, 8);
	h->version = NSL_LOG_VERSION;
	h->hdr_size = sizeof(*h);
	h->abi_version = NSL_ABI_VERSION;
	if (m && m->start_wall_ns) {
		h->start_wall_ns = m->start_wall_ns;
		h->start_boot_ns = m->start_boot_ns;
	} else {
		/* bracket the wall clock read so the pair is one instant */
		b0 = clock_ns(CLOCK_BOOTTIME);
		h->start_wall_ns = clock_ns(CLOCK_REALTIME);
		b1 = clock_ns(CLOCK_BOOTTIME);
		h->start_boot_ns = b0 + (b1 - b0) / 2;
	}
	read_boot_id(h->boot_id, sizeof(h->boot_id));
	if (!uname(&u)) {
		copy_str(h->hostname, sizeof(h->hostname), u.nodename);
		copy_str(h->release, sizeof(h->release), u.release);
	}
	copy_str(h->strategy, sizeof(h->strategy), m ? m->strategy : NULL);
}

static int write_all(int fd, const void *buf, size_t n, __u64 off)
{
	const __u8 *p = buf;
	ssize_t r;

	while (n) {
		r = pwrite(fd, p, n, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -ENOSPC;
		p += r;
		n -= r;
		off += r;
	}
	return 0;
}

static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	/* best effort: makes the new name itself survive a crash */
	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* create w->path and write its header; on failure leave no file behind */
static int open_file(struct nsl_log_writer *w, bool force)
{
	/* O_NONBLOCK: a FIFO without a reader fails instead of hanging */
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	struct stat st;
	int fd, err;

	flags |= force ? O_TRUNC : O_EXCL;
	fd = open(w->path, flags, 0600);
	if (fd < 0)
		return -errno;
	/* --force on /dev/something must neither chmod nor unlink it */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENODEV;
	}
	/* a replaced file keeps its old mode; logs hold command lines */
	if (force && fchmod(fd, 0600) < 0) {
		err = -errno;
		goto fail;
	}
	w->hdr.crc = 0;
	w->hdr.crc = crc_of(0, &w->hdr, offsetof(struct nsl_log_hdr, crc));
	err = write_all(fd, &w->hdr, sizeof(w->hdr), 0);
	if (!err && fdatasync(fd) < 0)
		err = -errno;
	if (err)
		goto fail;
	sync_dir(w->path);
	w->fd = fd;
	w->off = w->synced = sizeof(w->hdr);
	w->blkseq = 0;
	return 0;
fail:
	close(fd);
	unlink(w->path);
	return err;
}

int nsl_log_create(struct nsl_log_writer **wp, const char *path,
		   const struct nsl_log_meta *meta,
		   const struct nsl_log_opts *opts)
{
	struct nsl_log_writer *w;
	int err;

	*wp = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = -1;
	if (opts)
		w->o = *opts;
	if (!w->o.block_size)
		w->o.block_size = NSL_LOG_BLOCK_DEF;
	if (w->o.block_size < 4096)
		w->o.block_size = 4096;
	if (w->o.block_size > NSL_LOG_RAW_MAX)
		w->o.block_size = NSL_LOG_RAW_MAX;
	if (!w->o.level)
		w->o.level = Z_BEST_SPEED;
	if (!w->o.keep)
		w->o.keep = 1;
	w->path = strdup(path);
	if (!w->path) {
		err = -ENOMEM;
		goto cleanup;
	}
	fill_header(&w->hdr, meta);
	err = open_file(w, w->o.force);
	if (err)
		goto cleanup;
	*wp = w;
	return 0;
cleanup:
	free(w->path);
	free(w);
	return err;
}

/* FILE.keep-2 -> FILE.keep-1, ..., FILE -> FILE.1, then a fresh FILE */
static int rotate(struct nsl_log_writer *w)
{
	char from[PATH_MAX], to[PATH_MAX];
	unsigned int i;
	int err = 0;

	if (fdatasync(w->fd) < 0)
		err = -errno;
	close(w->fd);
	w->fd = -1;
	if (err)
		return err;
	for (i = w->o.keep - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", w->path);
		else
			snprintf(from, sizeof(from), "%s.%u", w->path, i - 1);
		snprintf(to, sizeof(to), "%s.%u", w->path, i);
		if (rename(from, to) < 0 && errno != ENOENT)
			return -errno;
	}
	if (w->o.keep <= 1 && unlink(w->path) < 0 && errno != ENOENT)
		return -errno;
	w->hdr.seq++;
	return open_file(w, false);
}

static int grow(__u8 **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 4096;
	__u8 *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

/*
 * Raw deflate (RFC 1951), one stream per block: the frame's CRC already
 * guards the bytes, so zlib's own header and Adler-32 would only cost
 * time on every replay.
 */
static int deflate_block(struct nsl_log_writer *w, size_t *zlen)
{
	z_stream *z = &w->zs;
	size_t bound;
	int err;

	if (!w->zinit) {
		if (deflateInit2(z, w->o.level, Z_DEFLATED, -15, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			return -ENOMEM;
		w->zinit = true;
	} else if (deflateReset(z) != Z_OK) {
		return -EINVAL;
	}
	bound = deflateBound(z, w->rawlen);
	err = grow(&w->out, &w->outcap, sizeof(struct nsl_log_blk) + bound);
	if (err)
		return err;
	z->next_in = w->raw;
	z->avail_in = w->rawlen;
	z->next_out = w->out + sizeof(struct nsl_log_blk);
	z->avail_out = bound;
	if (deflate(z, Z_FINISH) != Z_STREAM_END)
		return -EINVAL;
	*zlen = z->total_out;
	return 0;
}

/* compress the pending records into one framed block */
static int build_block(struct nsl_log_writer *w, size_t *len)
{
	struct nsl_log_blk *b;
	size_t zlen;
	int err;

	err = deflate_block(w, &zlen);
	if (err)
		return err;
	b = (struct nsl_log_blk *)w->out;
	memset(b, 0, sizeof(*b));
	memcpy(b->sync, NSL_LOG_SYNC, NSL_LOG_SYNC_LEN);
	b->zlen = zlen;
	b->rawlen = w->rawlen;
	b->ts_min = w->ts_min;
	b->ts_max = w->ts_max;
	b->nrec = w->nrec;
	*len = sizeof(*b) + zlen;
	return 0;
}

/* the block number is known only once rotation is decided */
static void seal_block(struct nsl_log_writer *w)
{
	struct nsl_log_blk *b = (struct nsl_log_blk *)w->out;

	b->seq = w->blkseq;
	b->crc = 0;
	b->crc = crc_of(crc_of(0, b, sizeof(*b)), b + 1, b->zlen);
}

/* if this fails too, the reader skips the torn tail as damage */
static void cut_back(struct nsl_log_writer *w, __u64 off)
{
	if (!ftruncate(w->fd, off))
		w->off = off;
}

/* write the pending block; on failure cut the file back to w->off */
static int emit(struct nsl_log_writer *w)
{
	size_t len;
	int err;

	if (!w->rawlen)
		return 0;
	if (w->fd < 0)
		return w->dead;
	err = build_block(w, &len);
	if (err)
		return err;
	if (w->o.max_size && w->blkseq && w->off + len > w->o.max_size) {
		err = rotate(w);
		if (err) {
			/* say why on every later call, not just EBADF */
			w->dead = err;
			return err;
		}
	}
	seal_block(w);
	err = write_all(w->fd, w->out, len, w->off);
	if (err) {
		/* never leave half a block: the reader would call it damage */
		cut_back(w, w->off);
		return err;
	}
	w->off += len;
	w->blkseq++;
	w->rawlen = 0;
	w->nrec = 0;
	return 0;
}

int nsl_log_flush(struct nsl_log_writer *w)
{
	int err = emit(w);

	if (err)
		return err;
	if (w->fd < 0)
		return w->dead;
	if (w->synced == w->off)
		return 0;
	if (fdatasync(w->fd) < 0) {
		err = -errno;
		/*
		 * What was written since the last good sync may be gone from
		 * the page cache (Linux drops dirty pages on writeback error):
		 * cut back to the last block known to be on disk.
		 */
		cut_back(w, w->synced);
		return err;
	}
	w->synced = w->off;
	return 0;
}

/* reserve room for one record of len bytes in the current block */
static void *reserve(struct nsl_log_writer *w, size_t len, __u64 ts, int *err)
{
	size_t need = ALIGN8(len);
	void *p;

	*err = 0;
	if (len > NSL_LOG_RAW_MAX) {
		*err = -E2BIG;
		return NULL;
	}
	if (w->rawlen && (w->rawlen + need > w->o.block_size ||
			  w->rawlen + need > NSL_LOG_RAW_MAX)) {
		*err = emit(w);
		if (*err)
			return NULL;
	}
	*err = grow(&w->raw, &w->rawcap, w->rawlen + need);
	if (*err)
		return NULL;
	p = w->raw + w->rawlen;
	memset((__u8 *)p + len, 0, need - len);
	if (!w->nrec || ts < w->ts_min)
		w->ts_min = ts;
	if (!w->nrec || ts > w->ts_max)
		w->ts_max = ts;
	w->rawlen += need;
	w->nrec++;
	w->total++;
	return p;
}

int nsl_log_append(struct nsl_log_writer *w, const void *rec, size_t size)
{
	const struct nsl_hdr *h = rec;
	void *p;
	int err;

	/* only ABI records here; log-only kinds have their own calls */
	if (size < sizeof(*h) || h->kind >= NSL_EV_MAX ||
	    nsl_log_rec_size(h->kind) != size || h->size != size)
		return -EINVAL;
	p = reserve(w, size, h->ts, &err);
	if (!p)
		return err;
	memcpy(p, rec, size);
	return 0;
}

int nsl_log_append_snapshot(struct nsl_log_writer *w, __u32 type, __u64 ts,
			    const void *blob, size_t len)
{
	struct nsl_log_snap s = {
		.kind = NSL_LOG_SNAPSHOT, .type = type, .len = len, .ts = ts,
	};
	__u8 *p;
	int err;

	if (len > NSL_LOG_RAW_MAX - sizeof(s))
		return -E2BIG;
	p = reserve(w, sizeof(s) + len, ts, &err);
	if (!p)
		return err;
	memcpy(p, &s, sizeof(s));
	if (len)
		memcpy(p + sizeof(s), blob, len);
	return 0;
}

int nsl_log_append_lost(struct nsl_log_writer *w, __u64 ts, __u64 count,
			enum nsl_lost_reason reason)
{
	struct nsl_log_lost l = {
		.kind = NSL_LOG_LOST, .reason = reason, .size = sizeof(l),
		.ts = ts, .count = count,
	};
	void *p;
	int err;

	p = reserve(w, sizeof(l), ts, &err);
	if (!p)
		return err;
	memcpy(p, &l, sizeof(l));
	return 0;
}

int nsl_log_close(struct nsl_log_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = w->fd >= 0 ? nsl_log_flush(w) : w->dead;
	if (w->fd >= 0 && close(w->fd) < 0 && !err)
		err = -errno;
	if (w->zinit)
		deflateEnd(&w->zs);
	free(w->raw);
	free(w->out);
	free(w->path);
	free(w);
	return err;
}

__u64 nsl_log_records(const struct nsl_log_writer *w)
{
	return w->total;
}

/* ------------------------------------------------------------------ */
/* reader                                                             */

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
	if (grow(buf, cap, n ? n : 1)) {
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
		if (ALIGN8(len) > left)
			return "bad record";
		p += ALIGN8(len);
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
	if (crc_of(crc_of(0, &f, sizeof(f)), p + sizeof(f), f.zlen) != crc)
		return "bad crc";
	*err = grow(&r->raw, &r->rawcap, f.rawlen);
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
	if (crc_of(0, &r->hdr, offsetof(struct nsl_log_hdr, crc)) !=
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
	r->rpos += ALIGN8(len);
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
