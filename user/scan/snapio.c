// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot serialization: see snapio.h for the layout.
 *
 * The encoder sizes everything first and fills one buffer.  The decoder
 * copies each fixed record out of the (possibly unaligned, possibly
 * hostile) input before looking at it, and refuses the whole blob on the
 * first inconsistency: a partial snapshot would answer "why" wrongly.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"
#include "snapio.h"

_Static_assert(sizeof(struct snapio_head) == 40, "snapio head is 40 bytes");
_Static_assert(sizeof(struct snapio_ns_rec) == 56, "ns record is 56 bytes");
_Static_assert(sizeof(struct snapio_h_rec) == 64, "holder record is 64 bytes");

/* ------------------------------------------------------------------ */
/* encoder                                                            */

struct strtab {
	char *buf;
	size_t len;
};

static size_t str_need(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* the offset + 1 of a copy of s, or 0 for none */
static __u32 str_put(struct strtab *t, const char *s)
{
	size_t n = str_need(s);
	__u32 ref;

	if (!n)
		return 0;
	ref = t->len + 1;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	return ref;
}

static void put_ns(struct snapio_ns_rec *r, const struct snap_ns *n)
{
	memset(r, 0, sizeof(*r));
	r->id = n->key.id;
	r->inum = n->key.inum;
	r->type = n->key.type;
	r->flags = n->flags;
	r->owner = n->owner;
	r->parent = n->parent;
	r->nprocs = n->nprocs;
	r->ntasks = n->ntasks;
	r->pid = n->pid;
	r->mnt_pid = n->mnt_pid;
	memcpy(r->comm, n->comm, NSL_COMM_LEN);
	r->comm[NSL_COMM_LEN - 1] = 0;
}

static void put_holder(struct snapio_h_rec *r, const struct snap_holder *h,
		       struct strtab *t)
{
	memset(r, 0, sizeof(*r));
	r->kind = h->kind;
	r->flags = h->flags;
	r->ns = h->ns;
	r->pid = h->pid;
	r->tid = h->tid;
	r->ppid = h->ppid;
	r->fd = h->fd;
	r->mntns = h->mntns;
	r->child = h->child;
	r->path = str_put(t, h->path);
	r->detail = str_put(t, h->detail);
	r->link = str_put(t, h->link);
	memcpy(r->comm, h->comm, NSL_COMM_LEN);
	r->comm[NSL_COMM_LEN - 1] = 0;
}

int snapio_encode(const struct snap *s, void **buf, size_t *len)
{
	struct snapio_head hd = {
		.version = NSL_SNAPIO_VERSION,
		.hdr_size = sizeof(hd),
		.ns_size = sizeof(struct snapio_ns_rec),
		.h_size = sizeof(struct snapio_h_rec),
		.self_mnt = s->self_mnt,
		.max_id = s->max_id,
	};
	struct snapio_ns_rec *nr;
	struct snapio_h_rec *hr;
	struct strtab t = { 0 };
	size_t i, strs = 0, total;
	__u8 *p;

	*buf = NULL;
	*len = 0;
	for (i = 0; i < s->nr_h; i++)
		strs += str_need(s->h[i].path) + str_need(s->h[i].detail) +
			str_need(s->h[i].link);
	total = sizeof(hd) + s->nr_ns * sizeof(*nr) + s->nr_h * sizeof(*hr) + strs;
	/* counts and string offsets are 32-bit on disk */
	if (s->nr_ns > INT32_MAX || s->nr_h > INT32_MAX || total > UINT32_MAX)
		return -E2BIG;
	p = malloc(total);
	if (!p)
		return -ENOMEM;
	memcpy(hd.magic, NSL_SNAPIO_MAGIC, 4);
	hd.nr_ns = s->nr_ns;
	hd.nr_h = s->nr_h;
	hd.str_len = strs;
	hd.flags = s->have_id ? SNAPIO_F_HAVE_ID : 0;
	memcpy(p, &hd, sizeof(hd));
	nr = (struct snapio_ns_rec *)(p + sizeof(hd));
	for (i = 0; i < s->nr_ns; i++)
		put_ns(&nr[i], &s->ns[i]);
	hr = (struct snapio_h_rec *)(nr + s->nr_ns);
	t.buf = (char *)(hr + s->nr_h);
	for (i = 0; i < s->nr_h; i++)
		put_holder(&hr[i], &s->h[i], &t);
	*buf = p;
	*len = total;
	return 0;
}

/* ------------------------------------------------------------------ */
/* decoder                                                            */

/* -1, or an index below n; anything else is damage */
static bool index_ok(__s32 i, size_t n)
{
	return i == -1 || (i >= 0 && (size_t)i < n);
}

/* a string reference: 0 is none, else offset + 1 inside the table */
static bool str_get(const struct snapio *d, size_t str_len, __u32 ref,
		    const char **out)
{
	*out = NULL;
	if (!ref)
		return true;
	if (ref - 1 >= str_len)
		return false;
	*out = d->strs + ref - 1;
	return true;
}

static int check_head(const struct snapio_head *hd, size_t len)
{
	__u64 need;

	if (memcmp(hd->magic, NSL_SNAPIO_MAGIC, 4))
		return -EPROTO;
	if (hd->version != NSL_SNAPIO_VERSION)
		return -EPROTONOSUPPORT;
	/* a later minor layout may only grow each part */
	if (hd->hdr_size < sizeof(*hd) ||
	    hd->ns_size < sizeof(struct snapio_ns_rec) ||
	    hd->h_size < sizeof(struct snapio_h_rec))
		return -EBADMSG;
	if (hd->nr_ns > INT32_MAX || hd->nr_h > INT32_MAX)
		return -EBADMSG;
	/* 64-bit sums of 32-bit products: no overflow */
	need = (__u64)hd->hdr_size + (__u64)hd->nr_ns * hd->ns_size +
	       (__u64)hd->nr_h * hd->h_size + hd->str_len;
	if (need != len)
		return -EBADMSG;
	if (!index_ok(hd->self_mnt, hd->nr_ns))
		return -EBADMSG;
	return 0;
}

static int get_ns(struct snapio_ns *n, const __u8 *p, size_t nr_ns)
{
	struct snapio_ns_rec r;

	memcpy(&r, p, sizeof(r));
	if (r.type >= NSL_T_MAX || !index_ok(r.owner, nr_ns) ||
	    !index_ok(r.parent, nr_ns))
		return -EBADMSG;
	n->key.id = r.id;
	n->key.inum = r.inum;
	n->key.type = r.type;
	n->owner = r.owner;
	n->parent = r.parent;
	n->nprocs = r.nprocs;
	n->ntasks = r.ntasks;
	n->pid = r.pid;
	n->mnt_pid = r.mnt_pid;
	n->flags = r.flags;
	memcpy(n->comm, r.comm, NSL_COMM_LEN);
	n->comm[NSL_COMM_LEN - 1] = 0;
	return 0;
}

static int get_holder(struct snapio_holder *h, const __u8 *p,
		      const struct snapio *d, size_t str_len)
{
	struct snapio_h_rec r;

	memcpy(&r, p, sizeof(r));
	if (r.kind >= SNAP_H_MAX || !index_ok(r.ns, d->nr_ns) ||
	    !index_ok(r.mntns, d->nr_ns) || !index_ok(r.child, d->nr_ns))
		return -EBADMSG;
	if (!str_get(d, str_len, r.path, &h->path) ||
	    !str_get(d, str_len, r.detail, &h->detail) ||
	    !str_get(d, str_len, r.link, &h->link))
		return -EBADMSG;
	h->kind = r.kind;
	h->ns = r.ns;
	h->pid = r.pid;
	h->tid = r.tid;
	h->ppid = r.ppid;
	h->fd = r.fd;
	h->mntns = r.mntns;
	h->child = r.child;
	h->flags = r.flags;
	memcpy(h->comm, r.comm, NSL_COMM_LEN);
	h->comm[NSL_COMM_LEN - 1] = 0;
	return 0;
}

/* the parts after the head; d->nr_ns and d->nr_h are already set */
static int get_body(struct snapio *d, const __u8 *p,
		    const struct snapio_head *hd)
{
	size_t i;
	int err;

	for (i = 0; i < d->nr_ns; i++, p += hd->ns_size) {
		err = get_ns(&d->ns[i], p, d->nr_ns);
		if (err)
			return err;
	}
	/* the table goes first: holders point into it */
	if (hd->str_len) {
		memcpy(d->strs, p + (size_t)d->nr_h * hd->h_size, hd->str_len);
		/* every string then ends inside the table */
		if (d->strs[hd->str_len - 1])
			return -EBADMSG;
	}
	for (i = 0; i < d->nr_h; i++, p += hd->h_size) {
		err = get_holder(&d->h[i], p, d, hd->str_len);
		if (err)
			return err;
	}
	return 0;
}

int snapio_decode(const void *buf, size_t len, struct snapio *out)
{
	struct snapio_head hd;
	const __u8 *p = buf;
	int err;

	memset(out, 0, sizeof(*out));
	out->self_mnt = -1;
	if (!buf || len < sizeof(hd))
		return len >= 4 && buf && memcmp(buf, NSL_SNAPIO_MAGIC, 4) ?
		       -EPROTO : -EBADMSG;
	memcpy(&hd, p, sizeof(hd));
	err = check_head(&hd, len);
	if (err)
		return err;
	out->nr_ns = hd.nr_ns;
	out->nr_h = hd.nr_h;
	/* len bounds every count, so these allocations are bounded too */
	out->ns = calloc(hd.nr_ns ? hd.nr_ns : 1, sizeof(*out->ns));
	out->h = calloc(hd.nr_h ? hd.nr_h : 1, sizeof(*out->h));
	out->strs = malloc(hd.str_len ? hd.str_len : 1);
	if (!out->ns || !out->h || !out->strs) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = get_body(out, p + hd.hdr_size, &hd);
	if (err)
		goto cleanup;
	out->version = hd.version;
	out->flags = hd.flags;
	out->self_mnt = hd.self_mnt;
	out->max_id = hd.max_id;
	return 0;
cleanup:
	snapio_free(out);
	return err;
}

void snapio_free(struct snapio *d)
{
	free(d->ns);
	free(d->h);
	free(d->strs);
	memset(d, 0, sizeof(*d));
	d->self_mnt = -1;
}
