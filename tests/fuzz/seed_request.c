// SPDX-License-Identifier: GPL-2.0
/* Writes seed requests for fuzz_request into DIR: valid ones and near misses. */
#include <stdio.h>
#include <string.h>
#include "request.h"

static int put(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	static char *const reqs[][4] = {
		{ "ls", NULL }, { "why", "net:[4026532279]", NULL },
		{ "why", "--json", "/run/netns/x", NULL }, { "timeline", "id:4100", NULL },
		{ "ls", "-o", "+CREATOR,AGE", NULL }, { "rm", "-rf", NULL },
	};
	char buf[NSL_REQ_HDR + NSL_REQ_MAX], name[32];
	int rc = 0;

	if (argc != 2)
		return 2;
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		int n = 0;
		ssize_t len;

		while (reqs[i][n])
			n++;
		len = nsl_req_build(buf, sizeof(buf), n, reqs[i]);
		snprintf(name, sizeof(name), "req-%zu", i);
		rc |= len < 0 || put(argv[1], name, buf, len);
		/* cut short by one byte: truncated */
		snprintf(name, sizeof(name), "short-%zu", i);
		rc |= put(argv[1], name, buf, len - 1);
	}
	return rc;
}
