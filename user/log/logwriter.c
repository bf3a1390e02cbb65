// SPDX-License-Identifier: GPL-2.0
/*
 * The log writer: one raw block in memory, turned into a framed,
 * compressed block when it fills up or on flush; rotation by size.
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
#include "logwriter.h"
#include "clock.h"

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
		b0 = nsl_clock_ns(CLOCK_BOOTTIME);
		h->start_wall_ns = nsl_clock_ns(CLOCK_REALTIME);
		b1 = nsl_clock_ns(CLOCK_BOOTTIME);
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
	w->hdr.crc = nsl_log_crc(0, &w->hdr, offsetof(struct nsl_log_hdr, crc));
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
	err = nsl_log_grow(&w->out, &w->outcap, sizeof(struct nsl_log_blk) + bound);
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
	b->crc = nsl_log_crc(nsl_log_crc(0, b, sizeof(*b)), b + 1, b->zlen);
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
	size_t need = NSL_LOG_ALIGN8(len);
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
	*err = nsl_log_grow(&w->raw, &w->rawcap, w->rawlen + need);
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
