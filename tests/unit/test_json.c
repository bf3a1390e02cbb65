// SPDX-License-Identifier: GPL-2.0
/* JSON escaping: hostile comm and path strings must still give valid JSON */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "json.h"

static char *esc(const char *s, size_t max)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	json_str(f, s, max);
	fclose(f);
	return buf;
}

/* longer than json_str's buffer once escaped: written in pieces, all of it */
static void test_long_escaped(void **state)
{
	static char in[301], want[2000], out[2000];
	FILE *f;
	size_t o = 0;

	want[o++] = '"';
	for (int i = 0; i < 300; i++) {
		in[i] = i % 3 ? 1 : 'x';
		o += sprintf(want + o, i % 3 ? "\\u0001" : "x");
	}
	want[o++] = '"';
	f = fmemopen(out, sizeof(out), "w");
	json_str(f, in, sizeof(in));
	fclose(f);
	assert_string_equal(out, want);
}

/* plain runs longer than the buffer, between escapes, cut by max: all kept */
static void test_long_plain_runs(void **state)
{
	static char in[3001], want[3100], out[3100];
	FILE *f;

	memset(in, 'a', 3000);
	in[1500] = '"';
	in[2999] = '\\';
	snprintf(want, sizeof(want), "\"%.1500s\\\"%.1498s\"", in, in + 1501);
	f = fmemopen(out, sizeof(out), "w");
	json_str(f, in, 2999);	/* max cuts the trailing backslash */
	fclose(f);
	assert_string_equal(out, want);
}

static void test_plain(void **state)
{
	assert_string_equal(esc("sleep", 16), "\"sleep\"");
	assert_string_equal(esc("", 16), "\"\"");
}

static void test_quotes_and_backslashes(void **state)
{
	assert_string_equal(esc("a\"b\\c", 16), "\"a\\\"b\\\\c\"");
}

static void test_control_chars(void **state)
{
	assert_string_equal(esc("a\nb\tc\x01\x1f\x7f", 16),
			    "\"a\\nb\\tc\\u0001\\u001f\\u007f\"");
}

static void test_valid_utf8_passes(void **state)
{
	assert_string_equal(esc("n\xc3\xa9t \xe2\x82\xac \xf0\x9f\x90\xa7", 64),
			    "\"n\xc3\xa9t \xe2\x82\xac \xf0\x9f\x90\xa7\"");
}

static void test_invalid_utf8_escaped(void **state)
{
	/* a lone continuation byte, a truncated sequence, an overlong '/' */
	assert_string_equal(esc("\x80", 8), "\"\\u0080\"");
	assert_string_equal(esc("a\xe2\x82", 8), "\"a\\u00e2\\u0082\"");
	assert_string_equal(esc("\xc0\xaf", 8), "\"\\u00c0\\u00af\"");
	/* a UTF-16 surrogate encoded in UTF-8 is not UTF-8 */
	assert_string_equal(esc("\xed\xa0\x80", 8), "\"\\u00ed\\u00a0\\u0080\"");
}

static void test_max_bounds_unterminated(void **state)
{
	/* comm is 16 bytes and may lack a NUL */
	char comm[16];

	memset(comm, 'x', sizeof(comm));
	assert_string_equal(esc(comm, sizeof(comm)), "\"xxxxxxxxxxxxxxxx\"");
	/* a multi-byte sequence cut by max is escaped, not overread */
	assert_string_equal(esc("\xc3\xa9", 1), "\"\\u00c3\"");
}

/* ls -J: libsmartcols encodes, json_utf8_dup makes its input UTF-8 */
static void test_utf8_dup(void **state)
{
	char *u = json_utf8_dup("a\xff\xfe\xc3\xa9\xe2\x82");

	/* 0xff 0xfe -> U+00FF U+00FE; é stays; a cut sequence byte by byte */
	assert_string_equal(u, "a\xc3\xbf\xc3\xbe\xc3\xa9\xc3\xa2\xc2\x82");
	free(u);
}

/* every digit count, each power of ten and its neighbours, as printf says */
static void test_u64_digits(void **state)
{
	unsigned long long v[64], p = 1;
	char out[64], want[64];
	int n = 0;

	v[n++] = 0;
	v[n++] = ~0ULL;
	for (int i = 0; i < 20; i++, p *= 10) {
		v[n++] = p;
		v[n++] = p - 1;
		v[n++] = p + 7;
	}
	for (int i = 0; i < n; i++) {
		FILE *f = fmemopen(out, sizeof(out), "w");
		struct jbuf b = { .f = f };

		jb_u64(&b, v[i]);
		jb_flush(&b);
		fclose(f);
		snprintf(want, sizeof(want), "%llu", v[i]);
		assert_string_equal(out, want);
	}
}

static void test_keyed_values(void **state)
{
	static char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	json_kns(f, "{", "ns", "net", 4026531840u, 7);
	json_kstr(f, ",", "comm", "\xff", 16);
	json_kstr(f, ",", "none", NULL, 16);
	json_kint(f, ",", "fd", -1);
	json_kbool(f, ",", "z", true);
	json_knull(f, ",", "p");
	fputc('}', f);
	fclose(f);
	assert_string_equal(buf, "{\"ns\":{\"type\":\"net\",\"inum\":4026531840,\"id\":7},"
			    "\"comm\":\"\\u00ff\",\"none\":\"\",\"fd\":-1,\"z\":true,\"p\":null}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_long_escaped),
		cmocka_unit_test(test_long_plain_runs),
		cmocka_unit_test(test_quotes_and_backslashes),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_valid_utf8_passes),
		cmocka_unit_test(test_invalid_utf8_escaped),
		cmocka_unit_test(test_max_bounds_unterminated),
		cmocka_unit_test(test_utf8_dup),
		cmocka_unit_test(test_keyed_values),
		cmocka_unit_test(test_u64_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
