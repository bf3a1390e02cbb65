// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "vec.h"

void *nsl_vec_grow(void *arr, size_t *cap, size_t size, size_t first)
{
	size_t c = *cap ? *cap * 2 : first;
	void *p;

	if (!c || c < *cap || c > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = realloc(arr, c * size);
	if (p)
		*cap = c;
	return p;
}
