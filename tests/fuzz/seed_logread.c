// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the log reader's seed corpus into DIR: small logs that are whole,
 * multi-block, rotated, with a snapshot, cut short and bit-flipped, so the
 * fuzzer starts from inputs that reach past the header checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "logreader.h"
#include "logwriter.h"
#include "logsynth.h"

static int write_log(const char *dir, const char *name, int n, int snap,
		     unsigned int block)
{
	struct nsl_log_opts o = { .force = true, .block_size = block };
	struct nsl_log_meta m = { .strategy = "tracepoint" };
	struct nsl_log_writer *w;
	union synth_rec r;
	struct synth s;
	char path[4096], blob[300];
	int i, err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	err = nsl_log_create(&w, path, &m, &o);
	if (err)
		return err;
	synth_init(&s, n);
	memset(blob, 'b', sizeof(blob));
	if (snap)
		err = nsl_log_append_snapshot(w, 1, 5, blob, sizeof(blob));
	for (i = 0; i < n && !err; i++) {
		synth_next(&s, &r);
		err = nsl_log_append(w, &r, r.h.size);
		if (!err && i == n / 2 && snap)
			err = nsl_log_append_lost(w, r.h.ts, 3,
						  NSL_LOST_RINGBUF);
	}
	if (err) {
		nsl_log_close(w);
		return err;
	}
	return nsl_log_close(w);
}

/* a copy of name, cut at len and with the byte at flip (if >= 0) flipped */
static int variant(const char *dir, const char *from, const char *to,
		   off_t len, off_t flip)
{
	char a[4096], b[4096], buf[65536];
	ssize_t n;
	int fd;

	snprintf(a, sizeof(a), "%s/%s", dir, from);
	snprintf(b, sizeof(b), "%s/%s", dir, to);
	fd = open(a, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	if (len < n)
		n = len;
	if (flip >= 0 && flip < n)
		buf[flip] ^= 0x10;
	fd = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, n) != n)
		n = -1;
	close(fd);
	return n < 0 ? -EIO : 0;
}

int main(int argc, char **argv)
{
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	err = err ?: write_log(argv[1], "empty-body", 0, 0, 0);
	err = err ?: write_log(argv[1], "one-block", 5, 0, 0);
	err = err ?: write_log(argv[1], "snapshot", 6, 1, 0);
	err = err ?: write_log(argv[1], "blocks", 200, 1, 4096);
	err = err ?: variant(argv[1], "blocks", "blocks-cut", 3000, -1);
	err = err ?: variant(argv[1], "blocks", "blocks-flip", 1 << 20, 900);
	err = err ?: variant(argv[1], "blocks", "blocks-marker", 1 << 20, 258);
	if (err) {
		fprintf(stderr, "nslife: seed corpus: %s\n", nsl_log_strerror(err));
		return 1;
	}
	return 0;
}
