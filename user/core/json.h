/* SPDX-License-Identifier: GPL-2.0 */
/* JSON output helpers: strings from the kernel (comm, paths) are hostile. */
#ifndef NSL_JSON_H
#define NSL_JSON_H

#include <stdio.h>
#include <stddef.h>

/*
 * Write s (at most max bytes, stops at NUL) as a quoted JSON string.  Valid
 * UTF-8 passes through; control characters and bytes that are not valid
 * UTF-8 become \u00XX escapes, so any input yields valid JSON.
 */
void json_str(FILE *f, const char *s, size_t max);
/* "key": before a value; sep is written first ("," or "") */
void json_key(FILE *f, const char *sep, const char *key);

#endif
