// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the daemon's request parser (request.h) on arbitrary
 * bytes, as the daemon reads them: header first, then exactly as many
 * bytes as it announces.  Whatever parses must round-trip through the
 * encoder byte for byte; whatever fails must say why.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "request.h"

static struct nsl_req req;
static char out[NSL_REQ_HDR + NSL_REQ_MAX];

/* every prefix must agree with the whole on the announced size */
static void check_prefixes(const uint8_t *data, size_t size, ssize_t whole)
{
	for (size_t k = 0; k <= size && k <= NSL_REQ_HDR + 1; k++) {
		ssize_t s = nsl_req_size(data, k);

		if (k < NSL_REQ_HDR ? s != -EAGAIN : s != whole)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssize_t want = nsl_req_size(data, size), n;
	const char *why = NULL;
	int err;

	check_prefixes(data, size, want);
	if (want > 0 && (want < NSL_REQ_HDR + 1 || want > NSL_REQ_HDR + NSL_REQ_MAX))
		abort();
	err = nsl_req_parse(&req, data, size, &why);
	if (err) {
		if (!why || err >= 0)
			abort();
		return 0;
	}
	if (want != (ssize_t)size || req.argc < 1 || req.argc > NSL_REQ_ARGS ||
	    req.argv[req.argc] || !nsl_req_command_ok(req.argv[0]))
		abort();
	for (int i = 0; i < req.argc; i++)
		if (req.argv[i] < req.buf || req.argv[i] >= req.buf + sizeof(req.buf))
			abort();
	n = nsl_req_build(out, sizeof(out), req.argc, req.argv);
	if (n != (ssize_t)size || memcmp(out, data, size)) {
		fprintf(stderr, "round trip differs: %zd vs %zu bytes\n", n, size);
		abort();
	}
	return 0;
}
