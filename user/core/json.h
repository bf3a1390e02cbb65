/* SPDX-License-Identifier: GPL-2.0 */
/* JSON output helpers: strings from the kernel (comm, paths) are hostile. */
#ifndef NSL_JSON_H
#define NSL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Write s (at most max bytes, stops at NUL) as a quoted JSON string.  Valid
 * UTF-8 passes through; control characters and bytes that are not valid
 * UTF-8 become \u00XX escapes, so any input yields valid JSON.
 */
void json_str(FILE *f, const char *s, size_t max);
/*
 * A malloc'd copy of s that is valid UTF-8: each byte json_str would
 * write as \u00XX becomes U+00XX, the same string once decoded.  For
 * JSON another encoder writes (libsmartcols, ls -J).  NULL: no memory.
 */
char *json_utf8_dup(const char *s);
/*
 * A record built in memory and written with one fwrite: what the tracer
 * prints per event (stdio calls per field were most of its cost).  It
 * writes to f whenever it fills, so any length fits.
 */
struct jbuf {
	FILE *f;
	size_t n;
	char b[1024];
};
void jb_flush(struct jbuf *b);
void jb_raw(struct jbuf *b, const char *s, size_t len);
/* a string literal, keys and punctuation included: JB_LIT(b, ",\"id\":") */
#define JB_LIT(b, lit)	jb_raw(b, lit, sizeof(lit) - 1)
void jb_u64(struct jbuf *b, unsigned long long v);
/* as json_str() */
void jb_str(struct jbuf *b, const char *s, size_t max);
/* "key": before a value; sep is written first ("," or "") */
void json_key(FILE *f, const char *sep, const char *key);
/* sep "key":value; a NULL string is written as "" */
void json_kstr(FILE *f, const char *sep, const char *key, const char *s,
	       size_t max);
void json_kint(FILE *f, const char *sep, const char *key, long long v);
void json_ku64(FILE *f, const char *sep, const char *key, unsigned long long v);
void json_kreal(FILE *f, const char *sep, const char *key, double v);	/* %.6f */
void json_knull(FILE *f, const char *sep, const char *key);
void json_kbool(FILE *f, const char *sep, const char *key, bool v);
/* sep "key":{"type":type,"inum":inum,"id":id}, the name of a namespace */
void json_kns(FILE *f, const char *sep, const char *key, const char *type,
	      unsigned int inum, unsigned long long id);

#endif
