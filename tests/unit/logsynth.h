/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic but plausible event streams for the log codec's tests and
 * benchmark: real comms, growing pids and ids, a few mounts with paths.
 */
#ifndef NSL_LOGSYNTH_H
#define NSL_LOGSYNTH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "nslife.h"

union synth_rec {
	struct nsl_hdr h;
	struct nsl_event e;
	struct nsl_mount_event m;
};

struct synth {
	__u64 ts;
	__u64 id;
	__u32 pid;
	__u32 rnd;
};

static inline __u32 synth_rand(struct synth *s)
{
	/* xorshift32: the same stream on every run */
	s->rnd ^= s->rnd << 13;
	s->rnd ^= s->rnd >> 17;
	s->rnd ^= s->rnd << 5;
	return s->rnd;
}

static inline void synth_init(struct synth *s, __u32 seed)
{
	memset(s, 0, sizeof(*s));
	s->ts = 3600ull * 1000000000;
	s->id = 4096;
	s->pid = 1000;
	s->rnd = seed ? seed : 2463534242u;
}

/* one record into *r; returns its size */
static inline size_t synth_next(struct synth *s, union synth_rec *r)
{
	static const char *const comms[] = {
		"unshare", "ip", "runc:[2:INIT]", "containerd-shim",
		"systemd", "nsenter", "chrome", "dockerd",
	};
	static const __u8 kinds[20] = {
		NSL_EV_CREATE, NSL_EV_CREATE, NSL_EV_CREATE, NSL_EV_CREATE,
		NSL_EV_CREATE, NSL_EV_FREE, NSL_EV_FREE, NSL_EV_FREE,
		NSL_EV_FREE, NSL_EV_FREE, NSL_EV_JOIN, NSL_EV_JOIN,
		NSL_EV_JOIN, NSL_EV_LEAVE, NSL_EV_LEAVE, NSL_EV_LEAVE,
		NSL_EV_MOUNT, NSL_EV_UMOUNT, NSL_EV_OPEN, NSL_EV_LEAVE,
	};
	__u32 x = synth_rand(s);
	__u8 kind = kinds[x % 20];
	size_t size = kind == NSL_EV_MOUNT || kind == NSL_EV_UMOUNT ?
		      sizeof(r->m) : sizeof(r->e);

	memset(r, 0, size);
	s->ts += 1000 + (x >> 8) % 200000;
	if (kind == NSL_EV_CREATE)
		s->id++;
	if (x % 7 == 0)
		s->pid += 1 + (x >> 20) % 5;
	r->h.kind = kind;
	r->h.how = 1 + (x >> 5) % 4;
	r->h.size = size;
	r->h.pid = s->pid;
	r->h.tid = s->pid + (x >> 3) % 3;
	r->h.cpu = (x >> 11) % 8;
	r->h.ts = s->ts;
	snprintf(r->h.comm, sizeof(r->h.comm), "%s", comms[(x >> 14) % 8]);
	r->e.ns.id = s->id - (x >> 17) % 16;
	r->e.ns.inum = 4026531840u + (__u32)(r->e.ns.id % 5000);
	r->e.ns.type = 1 + (x >> 23) % 8;
	if (kind == NSL_EV_JOIN) {
		r->e.aux = r->e.ns;
		r->e.aux.id -= 1;
		r->e.aux.inum -= 1;
	}
	r->e.arg = r->h.tid;
	if (kind == NSL_EV_CREATE)
		r->e.val = 0x20000000ull << ((x >> 26) % 4);
	if (size == sizeof(r->m))
		snprintf(r->m.path, sizeof(r->m.path), "/run/netns/ns%llu",
			 (unsigned long long)r->e.ns.id);
	return size;
}

/* the tests' scratch directory and all in it: 0, or -1 */
static inline int synth_rmdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

#endif
