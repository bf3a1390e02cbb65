/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a recording that spans several log files (rotation leaves
 * FILE.N-1 ... FILE.1 FILE, oldest first) as one stream of records.
 */
#ifndef NSL_LOGREAD_H
#define NSL_LOGREAD_H

#include "logreader.h"

struct nsl_logset_ops {
	nsl_log_damage_fn damage;	/* damaged block or missing file */
	/* a file that cannot be read at all; it is left out */
	void (*fail)(void *arg, const char *path, int err);
	void *arg;
};

struct nsl_logset_rec {
	struct nsl_log_rec r;		/* r.block_off is within path */
	const char *path;
	unsigned int file;		/* index in reading order */
	const struct nsl_log_hdr *hdr;	/* that file's header */
};

/* order files by recording start, then by rotation number */
#define NSL_LOGSET_SORT		0x1

struct nsl_logset;

int nsl_logset_open(struct nsl_logset **sp, char *const *paths, int n,
		    unsigned int flags, const struct nsl_logset_ops *ops);
int nsl_logset_next(struct nsl_logset *s, struct nsl_logset_rec *rec);
/* files left out by open, damage reports, records read so far */
void nsl_logset_stats(const struct nsl_logset *s, unsigned int *failed,
		      struct nsl_log_stats *st);
void nsl_logset_close(struct nsl_logset *s);

/* FILE's rotation set that exists on disk, oldest first; free with
 * nsl_logset_free_paths */
int nsl_logset_expand(const char *path, char ***paths, int *n);
void nsl_logset_free_paths(char **paths, int n);
/*
 * Every file of paths with its rotation set (FILE: FILE.1, FILE.2 ...
 * beside it), each file once however it was named; free with
 * nsl_logset_free_paths.  A path that does not exist is kept, for the
 * reader to say so.
 */
int nsl_logset_expand_all(char *const *paths, int n, char ***out, int *nout);

#endif /* NSL_LOGREAD_H */
