// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the log reader on arbitrary bytes, from memory and
 * from a file, which must agree.  Sanitizers catch what reads too far.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "logreader.h"
#include "logwriter.h"

struct tally {
	__u64 records, damage, sum;
};

static void on_damage(void *arg, const struct nsl_log_damage *d)
{
	struct tally *t = arg;

	t->damage++;
	t->sum += d->offset + d->length + strlen(d->reason) + strlen(d->path);
}

/* touch every byte a caller may read, so ASan sees any overrun */
static void touch(struct tally *t, const struct nsl_log_rec *r)
{
	const __u8 *p = r->data;
	__u32 i;

	for (i = 0; i < r->size; i++)
		t->sum += p[i];
	if (r->ev)
		t->sum += strlen(r->ev->h.comm);
	if (r->mev)
		t->sum += strlen(r->mev->path);
	t->records++;
}

static int read_all(struct nsl_log_reader *r, struct tally *t)
{
	struct nsl_log_rec rec;
	int err;

	while ((err = nsl_log_next(r, &rec)) > 0)
		touch(t, &rec);
	nsl_log_reader_close(r);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally a = { 0 }, b = { 0 };
	struct nsl_log_reader *r;
	char path[64];
	int fd, ea, eb;

	ea = nsl_log_open_mem(&r, data, size, on_damage, &a);
	if (!ea)
		ea = read_all(r, &a);

	fd = memfd_create("fuzz-log", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	eb = nsl_log_open(&r, path, on_damage, &b);
	if (!eb)
		eb = read_all(r, &b);
	close(fd);

	/* the two sources go through different code; results may not */
	if (ea != eb || a.records != b.records || a.damage != b.damage) {
		fprintf(stderr, "mem/file disagree: %d/%d records %llu/%llu "
			"damage %llu/%llu\n", ea, eb,
			(unsigned long long)a.records,
			(unsigned long long)b.records,
			(unsigned long long)a.damage,
			(unsigned long long)b.damage);
		abort();
	}
	return 0;
}
