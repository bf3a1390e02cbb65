// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: NS specifier parsing (nsspec_parse*, the pure half of
 * nsspec.c) on arbitrary strings.  The first byte picks the entry point;
 * the rest is split at NULs into its arguments.  A parse that succeeds
 * must leave a result that names something.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nsspec.h"

static void check(const struct nsspec *sp, const char *arg)
{
	switch (sp->kind) {
	case NSSPEC_INUM:
		if (!sp->inum || sp->type < NSL_T_NONE || sp->type >= NSL_T_MAX)
			abort();
		break;
	case NSSPEC_ID:
		if (!sp->id)
			abort();
		break;
	case NSSPEC_PATH:
		if (sp->str != arg || !*arg)
			abort();
		break;
	case NSSPEC_PID:
		if (sp->pid <= 0 || sp->type <= NSL_T_NONE || sp->type >= NSL_T_MAX)
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsspec sp;
	char *a, *b;
	int fc, t;

	if (size < 1)
		return 0;
	/* NUL-terminated twice over: a and b are both within the copy */
	a = calloc(1, size + 1);
	if (!a)
		return 0;
	memcpy(a, data + 1, size - 1);
	b = a + strlen(a) + 1;
	switch (data[0] % 3) {
	case 0:
		if (!nsspec_parse(a, &sp))
			check(&sp, a);
		break;
	case 1:
		if (!nsspec_parse_pid(a, b, &sp))
			check(&sp, a);
		break;
	default:
		t = nsspec_parse_type(a, &fc);
		if (t >= 0 && (t <= NSL_T_NONE || t >= NSL_T_MAX || (fc && fc != 1)))
			abort();
		break;
	}
	free(a);
	return 0;
}
