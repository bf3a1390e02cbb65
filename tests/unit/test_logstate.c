// SPDX-License-Identifier: GPL-2.0
/*
 * logstate: the state at TIME from a log written here (snapshot + events).
 *
 * Snapshot: mnt A (ours), net N0 (task 1), net X (fd 3 of pid 50, mount
 * /run/netns/x in A).  Then, seconds after the start:
 *   2 create net Y (pid 100)   3 mount Y on /mnt/y in A   4 pid 100 exits
 *   5 Y lingering   6 umount /mnt/y   6.1 unlinger, free Y
 *   7 umount /run/netns/x, free X   8 pid 200 opens N0 as fd 7
 * and fds: 2.5 pid 300 opens X as fd 5, 3 then N0 as fd 5 (so X's was
 * closed), 3.2 pid 50 (X's fd 3 in the snapshot) exits.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "logreader.h"
#include "logwriter.h"
#include "logstate.h"
#include "snapio.h"

#define NS	1000000000ULL
#define W0	(1795435200ULL * NS)
#define B0	(1000ULL * NS)
#define ID_A	10
#define ID_N0	20
#define ID_X	30
#define ID_Y	40
#define IN_A	4026531840u
#define IN_N0	4026531992u
#define IN_X	4026532300u
#define IN_Y	4026532400u

static char path[] = "/tmp/test_logstate.XXXXXX";

static int add(struct snap *s, int type, __u32 inum, __u64 id)
{
	int i = snap_add_ns(s, type, inum, -1);

	assert_true(i >= 0);
	s->ns[i].key.id = id;
	return i;
}

static void snapshot(struct nsl_log_writer *w)
{
	struct snap s = {};
	struct snap_holder *h;
	int a, n0, x;
	void *blob;
	size_t len;

	a = add(&s, NSL_T_MNT, IN_A, ID_A);
	n0 = add(&s, NSL_T_NET, IN_N0, ID_N0);
	x = add(&s, NSL_T_NET, IN_X, ID_X);
	s.self_mnt = a;
	s.have_id = true;
	s.max_id = ID_X;
	h = snap_add_holder(&s, SNAP_H_TASK, a);
	h->pid = h->tid = 1;
	h->link = "mnt";
	strcpy(h->comm, "init");
	h = snap_add_holder(&s, SNAP_H_TASK, n0);
	h->pid = h->tid = 1;
	h->link = "net";
	strcpy(h->comm, "init");
	h = snap_add_holder(&s, SNAP_H_FD, x);
	h->pid = h->tid = 50;
	h->fd = 3;
	h->link = "";
	strcpy(h->comm, "holder");
	h = snap_add_holder(&s, SNAP_H_MOUNT, x);
	h->path = strdup("/run/netns/x");
	h->mntns = a;
	h->link = "";
	assert_int_equal(snapio_encode(&s, &blob, &len), 0);
	assert_int_equal(nsl_log_append_snapshot(w, NSL_SNAPIO_TYPE, B0 + NS / 2,
						 blob, len), 0);
	free(blob);
	snap_release(&s);
}

static struct nsl_ns key(int type, __u32 inum, __u64 id)
{
	return (struct nsl_ns){ .type = type, .inum = inum, .id = id };
}

static void event(struct nsl_log_writer *w, double sec, int kind, int how,
		  __u32 pid, struct nsl_ns ns, __u32 arg, __u64 val,
		  const char *path, __u64 mntns)
{
	struct nsl_mount_event m = {};
	struct nsl_event *e = &m.e;

	e->h.kind = kind;
	e->h.how = how;
	e->h.size = path ? sizeof(m) : sizeof(*e);
	e->h.pid = e->h.tid = pid;
	e->h.ts = B0 + (__u64)(sec * NS);
	strcpy(e->h.comm, "t");
	e->ns = ns;
	e->arg = arg;
	e->val = val;
	if (path) {
		strcpy(m.path, path);
		e->aux = key(NSL_T_MNT, IN_A, mntns);
	}
	assert_int_equal(nsl_log_append(w, &m, e->h.size), 0);
}

static int setup(void **state)
{
	struct nsl_log_meta meta = { .start_wall_ns = W0, .start_boot_ns = B0 };
	struct nsl_log_opts opts = { .force = true };
	struct nsl_log_writer *w;
	struct nsl_ns y = key(NSL_T_NET, IN_Y, ID_Y), x = key(NSL_T_NET, IN_X, ID_X);
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(nsl_log_create(&w, path, &meta, &opts), 0);
	snapshot(w);
	event(w, 2, NSL_EV_CREATE, NSL_HOW_UNSHARE, 100, y, 100, 0, NULL, 0);
	event(w, 2.5, NSL_EV_OPEN, NSL_HOW_OPEN, 300, x, 5, 0, NULL, 0);
	event(w, 3, NSL_EV_OPEN, NSL_HOW_OPEN, 300, key(NSL_T_NET, IN_N0, ID_N0), 5, 0, NULL, 0);
	event(w, 3.2, NSL_EV_LEAVE, NSL_HOW_EXIT, 50, key(NSL_T_NET, IN_N0, ID_N0), 50, 2,
	      NULL, 0);
	event(w, 3, NSL_EV_MOUNT, NSL_HOW_MOUNT, 101, y, 0, 0, "/mnt/y", ID_A);
	event(w, 4, NSL_EV_LEAVE, NSL_HOW_EXIT, 100, y, 100, 2, NULL, 0);
	event(w, 5, NSL_EV_LINGER, NSL_HOW_SCAN, 1, y, 1, 100, NULL, 0);
	/* an umount names no namespace: the map attributes it */
	event(w, 6, NSL_EV_UMOUNT, NSL_HOW_UMOUNT, 102, key(0, 0, 0), 0, 0, "/mnt/y", ID_A);
	event(w, 6.1, NSL_EV_UNLINGER, NSL_HOW_SCAN, 1, y, 0, 0, NULL, 0);
	event(w, 6.1, NSL_EV_FREE, NSL_HOW_POLL, 1, y, 0, 0, NULL, 0);
	event(w, 7, NSL_EV_UMOUNT, NSL_HOW_UMOUNT, 102, key(0, 0, 0), 0, 0, "/run/netns/x", ID_A);
	event(w, 7, NSL_EV_FREE, NSL_HOW_POLL, 1, x, 0, 0, NULL, 0);
	event(w, 8, NSL_EV_OPEN, NSL_HOW_OPEN, 200, key(NSL_T_NET, IN_N0, ID_N0), 7, 0, NULL, 0);
	assert_int_equal(nsl_log_close(w), 0);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static int build(struct logstate *ls, const struct nsl_time *t)
{
	char *paths[] = { path };

	memset(ls, 0, sizeof(*ls));
	return logstate_build(ls, paths, 1, t);
}

static struct nsl_time at(double sec)
{
	return (struct nsl_time){ .wall_ns = W0 + (__u64)(sec * NS) };
}

/* holders of kind on s->ns[i] */
static int count(const struct snap *s, int i, int kind)
{
	int k = 0;

	for (size_t j = 0; j < s->nr_h; j++)
		k += s->h[j].ns == i && s->h[j].kind == kind;
	return k;
}

static const struct snap_holder *first(const struct snap *s, int i, int kind)
{
	for (size_t j = 0; j < s->nr_h; j++)
		if (s->h[j].ns == i && s->h[j].kind == kind)
			return &s->h[j];
	return NULL;
}

static void test_pinned_then_lingering(void **state)
{
	struct logstate ls;
	struct nsl_time t = at(3.5);
	const struct nsm_ns *n;
	struct nsl_ns k;
	int i;

	assert_int_equal(build(&ls, &t), 0);
	assert_true(ls.have_snapshot);
	i = logstate_find(&ls, NSL_T_NET, IN_Y, 0, &k);
	assert_true(i >= 0);
	assert_int_equal(k.id, ID_Y);
	assert_int_equal(count(&ls.snap, i, SNAP_H_TASK), 1);
	assert_int_equal(first(&ls.snap, i, SNAP_H_TASK)->pid, 100);
	assert_int_equal(count(&ls.snap, i, SNAP_H_MOUNT), 1);
	assert_string_equal(first(&ls.snap, i, SNAP_H_MOUNT)->path, "/mnt/y");
	assert_int_equal(ls.snap.ns[first(&ls.snap, i, SNAP_H_MOUNT)->mntns].key.id, ID_A);
	assert_int_equal(nsm_find(&ls.map, ID_Y)->state, NSM_ALIVE);
	logstate_free(&ls);

	t = at(5.5);
	assert_int_equal(build(&ls, &t), 0);
	i = logstate_find(&ls, NSL_T_NET, IN_Y, 0, &k);
	assert_true(i >= 0);
	assert_int_equal(count(&ls.snap, i, SNAP_H_TASK), 0);
	assert_int_equal(count(&ls.snap, i, SNAP_H_MOUNT), 1);
	n = nsm_find(&ls.map, ID_Y);
	assert_int_equal(n->state, NSM_LINGERING);
	assert_int_equal(ls.at_boot, B0 + 5 * NS + NS / 2);
	/* X from the snapshot: its mount; both fds were closed */
	i = logstate_find(&ls, NSL_T_NET, IN_X, ID_X, &k);
	assert_true(i >= 0);
	assert_int_equal(count(&ls.snap, i, SNAP_H_FD), 0);
	assert_int_equal(count(&ls.snap, i, SNAP_H_MOUNT), 1);
	assert_string_equal(first(&ls.snap, i, SNAP_H_MOUNT)->path, "/run/netns/x");
	logstate_free(&ls);
}

static void test_fds_open_then_closed(void **state)
{
	struct logstate ls;
	struct nsl_time t = at(2.8);
	struct nsl_ns k;
	int i;

	/* before the reuse and the exit: the snapshot's fd and the new one */
	assert_int_equal(build(&ls, &t), 0);
	i = logstate_find(&ls, NSL_T_NET, IN_X, 0, &k);
	assert_true(i >= 0);
	assert_int_equal(count(&ls.snap, i, SNAP_H_FD), 2);
	assert_int_equal(ls.snap.ns[i].nhold[SNAP_H_FD], 2);
	logstate_free(&ls);
}

static void test_end(void **state)
{
	struct logstate ls;
	struct nsl_ns k;
	int i;

	assert_int_equal(build(&ls, NULL), 0);
	assert_int_equal(ls.at_wall, W0 + 8 * NS);
	assert_int_equal(logstate_find(&ls, NSL_T_NET, IN_Y, 0, &k), -ESTALE);
	assert_int_equal(k.id, ID_Y);
	assert_int_equal(logstate_find(&ls, NSL_T_NONE, 0, ID_X, &k), -ESTALE);
	assert_int_equal(logstate_find(&ls, NSL_T_NET, 4026599999u, 0, &k), -ENOENT);
	assert_int_equal(nsm_find(&ls.map, ID_Y)->freed, B0 + 6 * NS + NS / 10);
	/* N0: the snapshot's task and the fd opened at 8 s */
	i = logstate_find(&ls, NSL_T_NET, IN_N0, 0, &k);
	assert_true(i >= 0);
	assert_int_equal(count(&ls.snap, i, SNAP_H_TASK), 1);
	assert_int_equal(count(&ls.snap, i, SNAP_H_FD), 2);
	assert_int_equal(first(&ls.snap, i, SNAP_H_FD)->fd, 5);
	assert_int_equal(first(&ls.snap, i, SNAP_H_FD)->pid, 300);
	assert_int_equal(ls.snap.ns[i].nprocs, 1);
	/* only the living are listed */
	assert_int_equal(ls.snap.nr_ns, 2);
	logstate_free(&ls);
}

static void test_relative_and_range(void **state)
{
	struct logstate ls;
	struct nsl_time t = { .relative = true, .back_ns = NS + NS / 2 };
	struct nsl_ns k;

	/* 8 - 1.5 = 6.5: Y is gone, X not yet */
	assert_int_equal(build(&ls, &t), 0);
	assert_int_equal(logstate_find(&ls, NSL_T_NET, IN_Y, 0, &k), -ESTALE);
	assert_true(logstate_find(&ls, NSL_T_NET, IN_X, 0, &k) >= 0);
	assert_int_equal(ls.later, 3);
	logstate_free(&ls);

	t = (struct nsl_time){ .wall_ns = W0 - 10 * NS };
	assert_int_equal(build(&ls, &t), -ERANGE);
	logstate_free(&ls);
}

static void test_collect(void **state)
{
	static const int want[] = {
		NSL_EV_CREATE, NSL_EV_MOUNT, NSL_EV_LEAVE, NSL_EV_LINGER,
		NSL_EV_UMOUNT, NSL_EV_UNLINGER, NSL_EV_FREE,
	};
	struct logstate ls;
	char *paths[] = { path };

	memset(&ls, 0, sizeof(ls));
	ls.collect = true;
	ls.c_type = NSL_T_NET;
	ls.c_inum = IN_Y;
	assert_int_equal(logstate_build(&ls, paths, 1, NULL), 0);
	assert_int_equal(ls.nr_ev, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < ls.nr_ev; i++) {
		assert_int_equal(ls.ev[i].e.h.kind, want[i]);
		assert_int_equal(ls.ev[i].e.ns.id, ID_Y);
	}
	assert_string_equal(ls.ev[4].path, "/mnt/y");
	logstate_free(&ls);
}

static void test_unreadable(void **state)
{
	struct logstate ls = {};
	char *paths[] = { "/nonexistent/nslife.log" };

	assert_int_equal(logstate_build(&ls, paths, 1, NULL), -ENODATA);
	logstate_free(&ls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinned_then_lingering),
		cmocka_unit_test(test_fds_open_then_closed),
		cmocka_unit_test(test_end),
		cmocka_unit_test(test_relative_and_range),
		cmocka_unit_test(test_collect),
		cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
