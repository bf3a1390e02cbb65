/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mutually exclusive options, as util-linux's lsns does them: a command
 * lists groups of option codes of which at most one may be given, and
 * hands every option it reads to nsl_excl_check().  Pure.
 */
#ifndef NSL_EXCL_H
#define NSL_EXCL_H

#include <getopt.h>

#define NSL_EXCL_MAX	8	/* options in one group */

/* one group, 0-terminated; a table ends with an empty group */
struct nsl_excl {
	int opt[NSL_EXCL_MAX];
};

/* the option seen first in each group; zeroed by the caller, one per group */
struct nsl_excl_state {
	int seen[16];
};

/*
 * Option c was given: 0, or -EINVAL after one line on stderr naming the
 * two options ("nslife: why: --json and --dot are mutually exclusive").
 * longopts names them; an option that has no long form is named "-c".
 */
int nsl_excl_check(const struct nsl_excl *tab, struct nsl_excl_state *st, int c,
		   const struct option *longopts, const char *cmd);
/* "--json" or "-J" for option code c, into buf */
const char *nsl_opt_name(const struct option *longopts, int c, char *buf, size_t size);

/*
 * The one line for getopt's '?': opt is optopt, arg the argv word.  A
 * known option without its value says so; else "bad option".  Needs
 * opterr = 0.
 */
void nsl_opt_bad(const char *cmd, const struct option *longopts, const char *arg, int opt);

#endif
