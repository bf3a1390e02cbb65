// SPDX-License-Identifier: GPL-2.0
/*
 * A recording as one stream across its files.  Headers are read up front
 * so that the order can be decided and unreadable files reported before
 * any record is printed; records are then read one file at a time.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "logread.h"

#define EXPAND_MAX	1000	/* FILE.1 .. FILE.999: more is not rotation */

struct lfile {
	char *path;
	struct nsl_log_hdr hdr;
	int order;			/* position on the command line */
};

struct nsl_logset {
	struct lfile *f;
	int n, cur;
	struct nsl_log_reader *r;	/* reader of f[cur], once opened */
	struct nsl_logset_ops ops;
	unsigned int failed;
	struct nsl_log_stats st;	/* of the files already done */
};

static int cmp_file(const void *a, const void *b)
{
	const struct lfile *x = a, *y = b;

	if (x->hdr.start_wall_ns != y->hdr.start_wall_ns)
		return x->hdr.start_wall_ns < y->hdr.start_wall_ns ? -1 : 1;
	if (x->hdr.seq != y->hdr.seq)
		return x->hdr.seq < y->hdr.seq ? -1 : 1;
	return x->order - y->order;
}

static void fail(struct nsl_logset *s, const char *path, int err)
{
	s->failed++;
	if (s->ops.fail)
		s->ops.fail(s->ops.arg, path, err);
}

/* read each header; files that cannot be read are reported and left out */
static int probe(struct nsl_logset *s, char *const *paths, int n)
{
	struct nsl_log_reader *r;
	struct lfile *f;
	int i, err;

	for (i = 0; i < n; i++) {
		err = nsl_log_open(&r, paths[i], NULL, NULL);
		if (err) {
			fail(s, paths[i], err);
			continue;
		}
		f = &s->f[s->n];
		f->hdr = *nsl_log_header(r);
		f->order = i;
		nsl_log_reader_close(r);
		f->path = strdup(paths[i]);
		if (!f->path)
			return -ENOMEM;
		s->n++;
	}
	return 0;
}

int nsl_logset_open(struct nsl_logset **sp, char *const *paths, int n,
		    unsigned int flags, const struct nsl_logset_ops *ops)
{
	struct nsl_logset *s;
	int err;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (ops)
		s->ops = *ops;
	s->f = calloc(n > 0 ? n : 1, sizeof(*s->f));
	if (!s->f) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = probe(s, paths, n);
	if (err)
		goto cleanup;
	if (flags & NSL_LOGSET_SORT)
		qsort(s->f, s->n, sizeof(*s->f), cmp_file);
	*sp = s;
	return 0;
cleanup:
	nsl_logset_close(s);
	return err;
}

/* a later file of the same recording should follow its predecessor */
static void check_gap(struct nsl_logset *s)
{
	const struct nsl_log_hdr *a, *b;
	struct nsl_log_damage d = {
		.what = NSL_DMG_GAP, .reason = "missing rotated file(s)",
	};

	if (!s->cur)
		return;
	a = &s->f[s->cur - 1].hdr;
	b = &s->f[s->cur].hdr;
	if (a->start_wall_ns != b->start_wall_ns ||
	    memcmp(a->boot_id, b->boot_id, sizeof(a->boot_id)) ||
	    b->seq <= a->seq + 1)
		return;
	d.path = s->f[s->cur].path;
	s->st.damaged++;
	if (s->ops.damage)
		s->ops.damage(s->ops.arg, &d);
}

static void add_stats(struct nsl_log_stats *to, const struct nsl_log_stats *st)
{
	to->blocks += st->blocks;
	to->records += st->records;
	to->damaged += st->damaged;
	to->skipped += st->skipped;
}

static void done_file(struct nsl_logset *s)
{
	struct nsl_log_stats st;

	nsl_log_stats(s->r, &st);
	add_stats(&s->st, &st);
	nsl_log_reader_close(s->r);
	s->r = NULL;
	s->cur++;
}

int nsl_logset_next(struct nsl_logset *s, struct nsl_logset_rec *rec)
{
	struct lfile *f;
	int err;

	while (s->cur < s->n) {
		f = &s->f[s->cur];
		if (!s->r) {
			err = nsl_log_open(&s->r, f->path, s->ops.damage,
					   s->ops.arg);
			if (err) {
				/* it changed since probe() read it */
				fail(s, f->path, err);
				s->cur++;
				continue;
			}
			check_gap(s);
		}
		err = nsl_log_next(s->r, &rec->r);
		if (err > 0) {
			rec->path = f->path;
			rec->file = s->cur;
			rec->hdr = &f->hdr;
			return 1;
		}
		if (err < 0)
			fail(s, f->path, err);
		done_file(s);
	}
	return 0;
}

void nsl_logset_stats(const struct nsl_logset *s, unsigned int *failed,
		      struct nsl_log_stats *st)
{
	struct nsl_log_stats cur;

	*failed = s->failed;
	*st = s->st;
	if (s->r) {
		nsl_log_stats(s->r, &cur);
		add_stats(st, &cur);
	}
}

void nsl_logset_close(struct nsl_logset *s)
{
	int i;

	if (!s)
		return;
	nsl_log_reader_close(s->r);
	for (i = 0; s->f && i < s->n; i++)
		free(s->f[i].path);
	free(s->f);
	free(s);
}

void nsl_logset_free_paths(char **paths, int n)
{
	int i;

	for (i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

int nsl_logset_expand(const char *path, char ***paths, int *n)
{
	char **v;
	int k, i;

	*paths = NULL;
	*n = 0;
	/* the rotated set is contiguous: FILE.1, FILE.2, ... */
	for (k = 1; k < EXPAND_MAX; k++) {
		char name[4096];

		snprintf(name, sizeof(name), "%s.%d", path, k);
		if (access(name, F_OK))
			break;
	}
	v = calloc(k, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < k; i++) {
		/* oldest first: FILE.k-1 ... FILE.1, then FILE */
		if (i == k - 1)
			v[i] = strdup(path);
		else if (asprintf(&v[i], "%s.%d", path, k - 1 - i) < 0)
			v[i] = NULL;
		if (!v[i]) {
			nsl_logset_free_paths(v, i);
			return -ENOMEM;
		}
	}
	*paths = v;
	*n = k;
	return 0;
}

/* the same file as one listed already (FILE given, and FILE.1 too) */
static bool listed(char **v, int n, const char *path)
{
	struct stat a, b;

	if (stat(path, &a))
		return false;
	for (int i = 0; i < n; i++)
		if (!stat(v[i], &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return true;
	return false;
}

int nsl_logset_expand_all(char *const *paths, int n, char ***out, int *nout)
{
	char **v = NULL, **set, **p;
	int nv = 0, nset, err = 0;

	for (int i = 0; i < n; i++) {
		err = nsl_logset_expand(paths[i], &set, &nset);
		if (err)
			break;
		p = realloc(v, (nv + nset) * sizeof(*v));
		if (!p) {
			nsl_logset_free_paths(set, nset);
			err = -ENOMEM;
			break;
		}
		v = p;
		for (int k = 0; k < nset; k++) {
			if (listed(v, nv, set[k]))
				free(set[k]);
			else
				v[nv++] = set[k];
		}
		free(set);
	}
	if (err) {
		nsl_logset_free_paths(v, nv);
		return err;
	}
	*out = v;
	*nout = nv;
	return 0;
}
