/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growing arrays: room for one more element at the end, the capacity
 * doubled when full (first elements to begin with).  The one copy of the
 * realloc dance that the scans, logs and maps had written out a dozen
 * times, some of which raised the capacity before the realloc succeeded.
 */
#ifndef NSL_VEC_H
#define NSL_VEC_H

#include <stddef.h>

/*
 * arr with room for more than *cap elements of size bytes, *cap raised;
 * NULL when memory runs out, with arr and *cap as they were.
 */
void *nsl_vec_grow(void *arr, size_t *cap, size_t size, size_t first);

/*
 * The slot for one more element of arr (n elements, cap of room), n
 * counted; NULL when memory runs out, with arr, n and cap unchanged.
 * arr, n and cap are lvalues, evaluated more than once.
 */
#define nsl_vec_push(arr, n, cap, first) ({				\
	__typeof__(arr) _v = (n) < (cap) ? (arr) :			\
		nsl_vec_grow((arr), &(cap), sizeof(*(arr)), (first));	\
	_v ? ((arr) = _v, &_v[(n)++]) : NULL;				\
})

#endif
