// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include "excl.h"

const char *nsl_opt_name(const struct option *longopts, int c, char *buf, size_t size)
{
	for (const struct option *o = longopts; o && o->name; o++) {
		if (o->val == c && !o->flag) {
			snprintf(buf, size, "--%s", o->name);
			return buf;
		}
	}
	snprintf(buf, size, "-%c", c);
	return buf;
}

int nsl_excl_check(const struct nsl_excl *tab, struct nsl_excl_state *st, int c,
		   const struct option *longopts, const char *cmd)
{
	char a[64], b[64];

	for (int g = 0; tab[g].opt[0] && g < (int)(sizeof(st->seen) / sizeof(st->seen[0])); g++) {
		for (int k = 0; k < NSL_EXCL_MAX && tab[g].opt[k]; k++) {
			if (tab[g].opt[k] != c)
				continue;
			if (st->seen[g] && st->seen[g] != c) {
				fprintf(stderr, "nslife: %s: %s and %s are mutually exclusive\n",
					cmd, nsl_opt_name(longopts, st->seen[g], a, sizeof(a)),
					nsl_opt_name(longopts, c, b, sizeof(b)));
				return -EINVAL;
			}
			st->seen[g] = c;
		}
	}
	return 0;
}

void nsl_opt_bad(const char *cmd, const struct option *longopts, const char *arg, int opt)
{
	char name[64];

	/* getopt leaves the option in optopt when its value is missing */
	for (const struct option *o = longopts; opt && o && o->name; o++) {
		if (o->val == opt && o->has_arg == required_argument) {
			fprintf(stderr, "nslife: %s: %s needs a value\n", cmd,
				nsl_opt_name(longopts, opt, name, sizeof(name)));
			return;
		}
	}
	fprintf(stderr, "nslife: %s: bad option '%s' (try 'nslife %s --help')\n", cmd, arg, cmd);
}
