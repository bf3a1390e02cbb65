// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "json.h"

/* length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *json_utf8_dup(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), len, o = 0;
	char *out = malloc(2 * n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += len) {
		len = s[i] < 0x80 ? 1 : utf8_len(s + i, n - i);
		if (len) {
			memcpy(out + o, s + i, len);
			o += len;
		} else {
			/* a stray byte: U+0080..U+00FF in two bytes */
			len = 1;
			out[o++] = 0xc0 | s[i] >> 6;
			out[o++] = 0x80 | (s[i] & 0x3f);
		}
	}
	out[o] = '\0';
	return out;
}

void jb_flush(struct jbuf *b)
{
	if (b->n)
		fwrite(b->b, 1, b->n, b->f);
	b->n = 0;
}

/* room for len more bytes: what is there goes out first if need be */
static inline void jb_room(struct jbuf *b, size_t len)
{
	if (b->n + len > sizeof(b->b))
		jb_flush(b);
}

void jb_raw(struct jbuf *b, const char *s, size_t len)
{
	if (len > sizeof(b->b)) {
		jb_flush(b);
		fwrite(s, 1, len, b->f);
		return;
	}
	jb_room(b, len);
	memcpy(b->b + b->n, s, len);
	b->n += len;
}

/* two digits per division: 11% of the collector's time was here (perf, churn) */
static const char digits2[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

void jb_u64(struct jbuf *b, unsigned long long v)
{
	char d[20];
	int i = sizeof(d);

	while (v >= 100) {
		i -= 2;
		memcpy(d + i, digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(d + i, digits2 + 2 * v, 2);
	} else {
		d[--i] = '0' + v;
	}
	jb_raw(b, d + i, sizeof(d) - i);
}

static const char hex[] = "0123456789abcdef";

static inline void jb_uesc(struct jbuf *b, unsigned char c)
{
	char *o = b->b + b->n;

	memcpy(o, "\\u00", 4);
	o[4] = hex[c >> 4];
	o[5] = hex[c & 15];
	b->n += 6;
}

static inline bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/*
 * Built in the record's buffer: a stdio call per character was the
 * collector's largest cost after the live map's (perf, `nslife trace
 * --json` on the namespace churn).
 */
void jb_str(struct jbuf *b, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0, len;

	while (n < max && s[n])
		n++;
	jb_room(b, 1);
	b->b[b->n++] = '"';
	for (size_t i = 0; i < n; i += len) {
		unsigned char c = s[i];

		/* a run of printable ASCII needs no escape: one copy */
		for (len = 0; i + len < n && plain(s[i + len]); len++)
			;
		if (len) {
			jb_raw(b, str + i, len);
			continue;
		}
		/* room for the longest piece: \u00XX or a 4-byte sequence */
		jb_room(b, 6);
		len = 1;
		if (c == '"' || c == '\\') {
			b->b[b->n++] = '\\';
			b->b[b->n++] = c;
		} else if (c == '\n') {
			b->b[b->n++] = '\\';
			b->b[b->n++] = 'n';
		} else if (c == '\t') {
			b->b[b->n++] = '\\';
			b->b[b->n++] = 't';
		} else if (c < 0x20 || c == 0x7f) {
			jb_uesc(b, c);
		} else if (c < 0x80) {
			b->b[b->n++] = c;
		} else if ((len = utf8_len(s + i, n - i))) {
			memcpy(b->b + b->n, s + i, len);
			b->n += len;
		} else {
			len = 1;
			jb_uesc(b, c);
		}
	}
	jb_room(b, 1);
	b->b[b->n++] = '"';
}

void json_str(FILE *f, const char *str, size_t max)
{
	struct jbuf b = { .f = f };

	jb_str(&b, str, max);
	jb_flush(&b);
}

void json_key(FILE *f, const char *sep, const char *key)
{
	fputs(sep, f);
	json_str(f, key, (size_t)-1);
	fputc(':', f);
}

void json_kstr(FILE *f, const char *sep, const char *key, const char *s,
	       size_t max)
{
	json_key(f, sep, key);
	json_str(f, s ? s : "", max);
}

void json_kint(FILE *f, const char *sep, const char *key, long long v)
{
	json_key(f, sep, key);
	fprintf(f, "%lld", v);
}

void json_ku64(FILE *f, const char *sep, const char *key, unsigned long long v)
{
	json_key(f, sep, key);
	fprintf(f, "%llu", v);
}

void json_kreal(FILE *f, const char *sep, const char *key, double v)
{
	json_key(f, sep, key);
	fprintf(f, "%.6f", v);
}

void json_knull(FILE *f, const char *sep, const char *key)
{
	json_key(f, sep, key);
	fputs("null", f);
}

void json_kbool(FILE *f, const char *sep, const char *key, bool v)
{
	json_key(f, sep, key);
	fputs(v ? "true" : "false", f);
}

void json_kns(FILE *f, const char *sep, const char *key, const char *type,
	      unsigned int inum, unsigned long long id)
{
	json_key(f, sep, key);
	json_kstr(f, "{", "type", type, (size_t)-1);
	json_ku64(f, ",", "inum", inum);
	json_ku64(f, ",", "id", id);
	fputc('}', f);
}
