// SPDX-License-Identifier: GPL-2.0
/* The daemon's request codec (request.h): pure, so fuzzers drive it. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "request.h"

static const char *const commands[] = { "ls", "why", "timeline" };

int nsl_req_command_ok(const char *cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd, commands[i]))
			return 1;
	return 0;
}

ssize_t nsl_req_size(const void *msg, size_t len)
{
	uint32_t n;

	if (len < NSL_REQ_HDR)
		return -EAGAIN;
	if (memcmp(msg, NSL_REQ_MAGIC, 4))
		return -EPROTO;
	memcpy(&n, (const char *)msg + 4, sizeof(n));
	if (n < 1 || n > NSL_REQ_MAX)
		return -EMSGSIZE;
	return NSL_REQ_HDR + n;
}

static int fail(const char **why, const char *msg, int err)
{
	*why = msg;
	return err;
}

int nsl_req_parse(struct nsl_req *r, const void *msg, size_t len,
		  const char **why)
{
	ssize_t want = nsl_req_size(msg, len);
	size_t n, off = 0;

	r->argc = 0;
	r->argv[0] = NULL;
	if (want == -EAGAIN || (want > 0 && (size_t)want > len))
		return fail(why, "truncated request", -EAGAIN);
	if (want == -EPROTO)
		return fail(why, "not an nslife request (bad magic)", -EPROTO);
	if (want < 0)
		return fail(why, "request length out of bounds", -EMSGSIZE);
	if ((size_t)want != len)
		return fail(why, "bytes after the request", -EPROTO);
	n = len - NSL_REQ_HDR;
	memcpy(r->buf, (const char *)msg + NSL_REQ_HDR, n);
	if (r->buf[n - 1])
		return fail(why, "last argument not terminated", -EINVAL);
	while (off < n) {
		if (r->argc == NSL_REQ_ARGS)
			return fail(why, "too many arguments", -E2BIG);
		r->argv[r->argc++] = r->buf + off;
		off += strlen(r->buf + off) + 1;
	}
	r->argv[r->argc] = NULL;
	if (!nsl_req_command_ok(r->argv[0]))
		return fail(why, "unknown command (ls, why, timeline)", -EINVAL);
	*why = NULL;
	return 0;
}

ssize_t nsl_req_build(void *buf, size_t size, int argc, char *const argv[])
{
	char *p = buf;
	size_t off = NSL_REQ_HDR, n;
	uint32_t len;

	if (argc < 1 || argc > NSL_REQ_ARGS || size < NSL_REQ_HDR)
		return -E2BIG;
	for (int i = 0; i < argc; i++) {
		n = strlen(argv[i]) + 1;
		if (off + n > size || off + n - NSL_REQ_HDR > NSL_REQ_MAX)
			return -E2BIG;
		memcpy(p + off, argv[i], n);
		off += n;
	}
	len = off - NSL_REQ_HDR;
	memcpy(p, NSL_REQ_MAGIC, 4);
	memcpy(p + 4, &len, sizeof(len));
	return off;
}
