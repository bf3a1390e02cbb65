// SPDX-License-Identifier: GPL-2.0
/*
 * Open, load and attach nslife's BPF object, choosing the attach strategy
 * by trying it: /proc/kallsyms lists functions that this kernel will not
 * let fentry attach to (the 6.18 fleet refuses fentry with EPERM).
 *
 * Program sets, by name prefix (bpf/nslife.bpf.c):
 *   tree_  precise, ≥6.18: the ns tree, every type;
 *   kf_    precise, before 6.18: per-type create/free functions, each
 *          loaded only where its target is a FUNC in the kernel's BTF;
 *   mem_   tracepoint strategy on kernels without ns_common.ns_id;
 *   poll_live and tp_workqueue_execute_start: the tracepoint strategy's
 *          death signals, kept as a backstop by the kf_ set;
 *   fsc_   the followed syscalls, fentry/fexit on their functions, in
 *          either mode, wherever the kernel allows fentry (no syscall
 *          tracepoint then: see bpf/nslife.bpf.c);
 *   sc_    the same, one tracepoint each (needs tracefs): where fsc_
 *          does not load or attach;
 *   tp_sys_enter, tp_sys_exit: the same from raw_syscalls, which run on
 *          every syscall of the host: only where neither attaches;
 *   everything else (tp_btf): creation context, joins, mounts, opens.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "nslife.h"
#include "event.h"
#include "loader.h"
#include "nslife.skel.h"
#include "clock.h"

#define MAX_LINKS 96
/* the longest a free waits for the reader: see set_ringbuf_size */
#define NSL_WAKE_GAP_MS 5
#define NSL_POLL_SLICE 16384	/* the liveness poll's most per run: poll_slice() */

/* what libbpf 1.1 looks for, in this order (tracefs_path()) */
#define DEBUGFS_TRACING	"/sys/kernel/debug/tracing"
#define TRACEFS		"/sys/kernel/tracing"

/* try_mode(): the per-syscall tracepoints (fentry ones) did not attach */
#define ESYSCALL_TP	1000
#define ESYSCALL_FENTRY	1001
/* the syscall hooks NSLIFE_SYSCALLS forced failed; said already */
#define ESYSCALL_FORCED	1002

/*
 * the syscall hooks, best first (NSLIFE_SYSCALLS names them); none only
 * when asked for: see describe_sys for what it gives up
 */
enum nsl_sys { NSL_SYS_FENTRY, NSL_SYS_TP, NSL_SYS_RAW, NSL_SYS_NONE };

static const char *const sys_names[] = { "fentry", "tracepoint", "raw", "none" };

struct nsl_tracer {
	struct nslife_bpf *skel;
	struct ring_buffer *rb;
	enum nsl_mode mode;
	nsl_record_fn fn;
	void *ctx;
	int poll_ms;
	__u64 last_poll;
	__u64 lost_seen;
	__u64 misses;		/* BPF recursion misses, summed over programs */
	__u64 last_misses;	/* when they were last read (ms) */
	struct bpf_link *links[MAX_LINKS];
	const char *hooks[MAX_LINKS];
	const struct bpf_program *progs[MAX_LINKS];
	int nlinks;
	struct btf *vmlinux;
	bool tree;		/* precise: the ≥6.18 ns tree hooks */
	/* the liveness poll that runs: poll_live_c, poll_live (6.1), or NULL */
	struct bpf_program *poll;
	bool busy;		/* the last pass read records */
	bool live_full_said;
	__u64 live_full_seen;
	__u64 live_refused_seen;
	enum nsl_sys sys;	/* the syscall hooks tried, then in use */
	bool sys_forced;	/* NSLIFE_SYSCALLS chose them */
	const char *fsc_missing; /* a syscall function not in the kernel's BTF */
	int fsc_err;		/* why fentry ones did not load or attach */
	int fentry_err;		/* -EPERM: precise mode's fentry was refused */
	bool mounted_tracefs;	/* nslife mounted tracefs for them */
	int sc_err;		/* why they did not attach, when they did not */
	bool preempt_tp;	/* 7.x: tracing programs run preemptible */
};

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!verbose && level != LIBBPF_WARN)
		return 0;
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int nsl_mode_parse(const char *s, enum nsl_mode *m)
{
	if (!strcmp(s, "auto"))
		*m = NSL_MODE_AUTO;
	else if (!strcmp(s, "precise"))
		*m = NSL_MODE_PRECISE;
	else if (!strcmp(s, "tracepoint"))
		*m = NSL_MODE_TRACEPOINT;
	else
		return -EINVAL;
	return 0;
}

const char *nsl_mode_name(enum nsl_mode m)
{
	return m == NSL_MODE_PRECISE ? "precise" :
	       m == NSL_MODE_TRACEPOINT ? "tracepoint" : "auto";
}

/* a text symbol's address, 0 when absent */
static __u64 ksym(const char *name)
{
	char line[256], sym[200];
	unsigned long long addr;
	char type;
	__u64 found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %199s", &addr, &type, sym) != 3)
			continue;
		if (!strcmp(sym, name)) {
			found = addr;
			break;
		}
	}
	fclose(f);
	return found;
}

/*
 * The initial namespaces: exits never end them, so they are not worth a
 * record.  kthreadd (pid 2) always lives in them; pid 1 may refuse even
 * root a look at its /proc/1/ns (seen on this fleet).
 */
static void set_host_inums(struct nslife_bpf *skel)
{
	static const char *const pids[] = { "2", "1", "self" };
	char path[64];
	struct stat st;

	for (int t = NSL_T_MNT; t < NSL_T_MAX; t++) {
		for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
			snprintf(path, sizeof(path), "/proc/%s/ns/%s", pids[i],
				 nsl_type_name(t));
			if (!stat(path, &st)) {
				skel->rodata->host_inum[t] = st.st_ino;
				break;
			}
		}
	}
}

static bool has_prefix(const char *s, const char *pre)
{
	return !strncmp(s, pre, strlen(pre));
}

/* programs run by nslife itself rather than attached to a hook */
static bool is_manual_prog(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p);

	return !strcmp(sec, "raw_tp") || !strncmp(sec, "iter/", 5);
}

static bool btf_has_func(const struct btf *btf, const char *name)
{
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

/* the function a fentry/fexit program attaches to, from its section */
static const char *prog_target(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p);
	const char *slash = strchr(sec, '/');

	return slash ? slash + 1 : sec;
}

/* @name among @id's members, anonymous structs and unions included */
static bool btf_has_member(const struct btf *btf, int id, const char *name, int depth)
{
	const struct btf_type *ty = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!ty || !btf_is_composite(ty) || depth > 3)
		return false;
	m = btf_members(ty);
	for (int i = 0; i < btf_vlen(ty); i++, m++) {
		if (m->name_off) {
			if (!strcmp(btf__name_by_offset(btf, m->name_off), name))
				return true;
		} else if (btf_has_member(btf, m->type, name, depth + 1)) {
			return true;
		}
	}
	return false;
}

/* 6.18 added ns_common.ns_id (in an anonymous union); before it ids are nslife's own */
static bool btf_has_ns_id(const struct btf *btf)
{
	int id = btf ? btf__find_by_name_kind(btf, "ns_common", BTF_KIND_STRUCT) : -1;

	return id > 0 && btf_has_member(btf, id, "ns_id", 0);
}

/*
 * What to load for @mode.  Precise: the ns tree where the kernel has it
 * (≥6.18), else every per-type function the kernel has, with the poll and
 * the teardown-work hook as a backstop for what no function names exactly
 * (pid frees wait for an RCU grace period; user parents die in a loop).
 */
static bool is_twin(const struct bpf_program *p)
{
	const char *name = bpf_program__name(p);
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, "_twin");
}

static bool wanted(struct nsl_tracer *t, const struct bpf_program *p,
		   enum nsl_mode mode)
{
	const char *name = bpf_program__name(p);
	char first[64];

	/*
	 * The tracepoint hooks' twins (tp_*_twin) go where their first
	 * program goes, on kernels whose tracing programs run preemptible
	 */
	if (has_prefix(name, "tp_") && is_twin(p)) {
		snprintf(first, sizeof(first), "%.*s", (int)strlen(name) - 5, name);
		p = bpf_object__find_program_by_name(t->skel->obj, first);
		return t->preempt_tp && p && wanted(t, p, mode);
	}
	if (has_prefix(name, "tree_"))
		return mode == NSL_MODE_PRECISE && t->tree;
	if (has_prefix(name, "kf_"))
		return mode == NSL_MODE_PRECISE && !t->tree &&
		       btf_has_func(t->vmlinux, prog_target(p));
	if (has_prefix(name, "mem_"))
		return mode == NSL_MODE_TRACEPOINT && !btf_has_ns_id(t->vmlinux);
	/* the poll by direct loads where the kernel has bpf_rdonly_cast (6.2+) */
	if (!strcmp(name, "poll_live") || !strcmp(name, "poll_live_c"))
		return (mode == NSL_MODE_TRACEPOINT || !t->tree) &&
		       btf_has_func(t->vmlinux, "bpf_rdonly_cast") == !strcmp(name, "poll_live_c");
	if (!strcmp(name, "tp_workqueue_execute_start"))
		return mode == NSL_MODE_TRACEPOINT || !t->tree;
	/* fsc_*_twin too: fentry programs run preemptible (see fsc_ in the BPF) */
	if (has_prefix(name, "fsc_"))
		return t->sys == NSL_SYS_FENTRY && btf_has_func(t->vmlinux, prog_target(p));
	if (has_prefix(name, "sc_"))
		return t->sys == NSL_SYS_TP;
	if (!strcmp(name, "tp_sys_enter") || !strcmp(name, "tp_sys_exit"))
		return t->sys == NSL_SYS_RAW;
	return true;
}

/* enum nsl_type of the namespace a kf_copy_* / kf_create_user_ns makes */
static int create_type(const char *target)
{
	static const char *const fn[NSL_T_MAX] = {
		[NSL_T_MNT] = "copy_mnt_ns", [NSL_T_NET] = "copy_net_ns",
		[NSL_T_UTS] = "copy_utsname", [NSL_T_IPC] = "copy_ipcs",
		[NSL_T_PID] = "copy_pid_ns", [NSL_T_USER] = "create_user_ns",
		[NSL_T_CGROUP] = "copy_cgroup_ns", [NSL_T_TIME] = "copy_time_ns",
	};

	for (int i = NSL_T_MNT; i < NSL_T_MAX; i++)
		if (!strcmp(fn[i], target))
			return i;
	return -1;
}

/*
 * The syscall tracepoints a sc_ program serves beyond the one its section
 * names (bpf/nslife.bpf.c: one program per kind, dispatching on the
 * syscall number, so that the kernel verifies each body once).
 */
static const struct {
	const char *prog, *hook;
	bool optional;
} sc_more[] = {
	{ "sc_enter_2", "tracepoint/syscalls/sys_enter_umount" },
	{ "sc_enter_4", "tracepoint/syscalls/sys_enter_move_mount" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_setns" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_mount" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_umount" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_move_mount" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_open" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_openat" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_openat2" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_open_by_handle_at" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_open_tree" },
	{ "sc_exit", "tracepoint/syscalls/sys_exit_fsmount" },
	/* 6.15+: a kernel without it has no such syscall to miss */
	{ "sc_exit", "tracepoint/syscalls/sys_exit_open_tree_attr", true },
};

static int add_link(struct nsl_tracer *t, struct bpf_program *p,
		    struct bpf_link *l, const char *hook)
{
	if (t->nlinks == MAX_LINKS) {
		bpf_link__destroy(l);
		return -E2BIG;
	}
	t->links[t->nlinks] = l;
	t->progs[t->nlinks] = p;
	t->hooks[t->nlinks++] = hook;
	return 0;
}

/* @p's further syscall tracepoints; -ESYSCALL_TP if one does not attach */
static int attach_sc_more(struct nsl_tracer *t, struct bpf_program *p)
{
	const char *name = bpf_program__name(p), *tp;
	struct bpf_link *l;
	int err;

	for (size_t i = 0; i < sizeof(sc_more) / sizeof(sc_more[0]); i++) {
		if (strcmp(sc_more[i].prog, name))
			continue;
		tp = strchr(sc_more[i].hook, '/') + 1;		/* syscalls/sys_... */
		l = bpf_program__attach_tracepoint(p, "syscalls", strchr(tp, '/') + 1);
		if (!l && sc_more[i].optional && errno == ENOENT)
			continue;
		if (!l) {
			t->sc_err = -errno;
			return -ESYSCALL_TP;
		}
		err = add_link(t, p, l, sc_more[i].hook);
		if (err)
			return err;
	}
	return 0;
}

static bool is_fentry(const struct bpf_program *p)
{
	enum bpf_attach_type a = bpf_program__expected_attach_type(p);

	return bpf_program__type(p) == BPF_PROG_TYPE_TRACING &&
	       (a == BPF_TRACE_FENTRY || a == BPF_TRACE_FEXIT);
}

/*
 * A trampoline runs the program linked last first (kernel/bpf/trampoline.c:
 * hlist_add_head, 6.1 to 7.2), and a twin must run after its first
 * program.  The fsc_ exit twin redoes an exit unless the first marked it
 * (exit_twin), so run first it would redo every open once more and, its
 * stale marks then hiding its first program's skipped runs, lose exits
 * uncounted (seen on 7.2: a uts create lost, 1 run skipped, 0 counted).
 * A free twin run first reported every free itself and counted each as a
 * rescue (6.12 and 7.2 guests: "40 frees that skipped runs missed were
 * reported by their twin hooks" for 40 frees and no skipped run).  So the
 * fentry/fexit twins are linked in a pass of their own, before everything
 * else.  (tp_btf probes run in the order they were linked: their twins
 * come after their first programs in the object, and so in the second pass.)
 */
static bool attach_pass(const struct bpf_program *p, int pass)
{
	return (is_fentry(p) && is_twin(p)) == !pass;
}

static int attach_one(struct nsl_tracer *t, struct bpf_program *p)
{
	bool sc = has_prefix(bpf_program__name(p), "sc_");
	struct bpf_link *l = bpf_program__attach(p);
	int err;

	if (!l && sc) {
		t->sc_err = -errno;
		return -ESYSCALL_TP;
	}
	if (!l && has_prefix(bpf_program__name(p), "fsc_")) {
		t->fsc_err = -errno;
		return -ESYSCALL_FENTRY;
	}
	if (!l && errno == EPERM && is_fentry(p))
		t->fentry_err = -EPERM;
	if (!l)
		return -errno;
	err = add_link(t, p, l, bpf_program__section_name(p));
	if (!err && sc)
		err = attach_sc_more(t, p);
	return err;
}

static int attach_all(struct nsl_tracer *t)
{
	struct bpf_program *p;
	int err;

	for (int pass = 0; pass < 2; pass++) {
		bpf_object__for_each_program(p, t->skel->obj) {
			if (!bpf_program__autoload(p) || is_manual_prog(p) ||
			    !attach_pass(p, pass))
				continue;
			err = attach_one(t, p);
			if (err)
				return err;
		}
	}
	return 0;
}

static void *destroy_link(void *l)
{
	bpf_link__destroy(l);
	return NULL;
}

/*
 * Closing a perf tracepoint event waits for RCU grace periods
 * (perf_trace_event_unreg: tracepoint_synchronize_unregister), 20-250 ms
 * each measured here under load: one thread per syscall tracepoint lets
 * the waits overlap, where one after the other they added 1-3 s to every
 * exit of nslife.
 */
static void detach_all(struct nsl_tracer *t)
{
	pthread_t th[MAX_LINKS];
	bool started[MAX_LINKS] = {};

	for (int i = 0; i < t->nlinks; i++)
		if (has_prefix(t->hooks[i], "tracepoint/"))
			started[i] = !pthread_create(&th[i], NULL, destroy_link, t->links[i]);
	for (int i = 0; i < t->nlinks; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			bpf_link__destroy(t->links[i]);
	}
	t->nlinks = 0;
}

/* which executable is nslife's, for BPF to leave other runs of it out */
static void set_self_exe(struct nslife_bpf *skel)
{
	struct stat st;

	if (stat("/proc/self/exe", &st))
		return;
	skel->rodata->self_exe_ino = st.st_ino;
	/* the kernel's dev_t: MKDEV() is major << 20 | minor */
	skel->rodata->self_exe_dev = major(st.st_dev) << 20 | minor(st.st_dev);
}

/*
 * NSLIFE_RINGBUF_BYTES (a power of two, at least a page): a smaller ring
 * buffer, so that tests can make it overflow and check that losses are
 * counted and followed by a resync.
 */
static void set_ringbuf_size(struct nslife_bpf *skel)
{
	const char *v = getenv("NSLIFE_RINGBUF_BYTES");
	unsigned long n = v ? strtoul(v, NULL, 0) : 0;

	if (n >= (unsigned long)getpagesize() && !(n & (n - 1)))
		bpf_map__set_max_entries(skel->maps.events, n);
	/*
	 * Records other than frees wake the reader only once an eighth of
	 * the buffer waits; the reader drains it every poll period anyway
	 * (nsl_tracer_poll), long before it could fill at any rate seen.
	 */
	skel->rodata->wake_bytes = bpf_map__max_entries(skel->maps.events) / 8;
	/*
	 * Frees wake the reader at most once per NSL_WAKE_GAP_MS: a free in
	 * between waits for the pass the reader makes that soon after any
	 * pass that read records (nsl_tracer_poll), so it is late by at most
	 * that.  A wake-up per free cost 20-30 us of the hook's time here.
	 */
	skel->rodata->wake_gap_ns = NSL_WAKE_GAP_MS * 1000000ULL;
}

/*
 * NSLIFE_LIVE_MAX: the BPF live map's size (default 65,536 namespaces of
 * every type), and its poll slots'.  The poll walks only the slots handed
 * out, so a bigger map costs its preallocated memory, not poll time;
 * tests make it small to overflow it.
 */
static void set_live_size(struct nslife_bpf *skel)
{
	const char *v = getenv("NSLIFE_LIVE_MAX");
	unsigned long n = v ? strtoul(v, NULL, 0) : 0;

	if (n >= 16 && n <= (1UL << 23)) {	/* bpf_loop's most */
		bpf_map__set_max_entries(skel->maps.live, n);
		bpf_map__set_max_entries(skel->maps.slots, n);
		bpf_map__set_max_entries(skel->maps.free_slots, n);
	}
	skel->rodata->live_max = bpf_map__max_entries(skel->maps.live);
}

/*
 * NSLIFE_POLL_SLICE: the most namespaces one liveness poll run reads
 * (default 16,384; 0: all).  Past it a full sweep takes several periods
 * (poll_slice in bpf/nslife.bpf.c); tests make it small to see that.
 */
static __u32 poll_slice(void)
{
	const char *v = getenv("NSLIFE_POLL_SLICE");
	unsigned long n = v ? strtoul(v, NULL, 0) : NSL_POLL_SLICE;

	return n <= (1UL << 23) ? n : NSL_POLL_SLICE;
}

/* once: nslife's own seeding or scans found the live map full */
static void live_full_warn(struct nsl_tracer *t)
{
	if (t->live_full_said || !t->skel->bss->live_full_self)
		return;
	t->live_full_said = true;
	fprintf(stderr, "nslife: the BPF live map is full (%u namespaces, NSLIFE_LIVE_MAX): "
		"deaths of namespaces beyond it are found only by rescans\n",
		bpf_map__max_entries(t->skel->maps.live));
}

static void ensure_tracefs(struct nsl_tracer *t);

/* the next syscall hooks after @t->sys failed; false if none or forced */
static bool sys_next(struct nsl_tracer *t)
{
	if (t->sys_forced || t->sys >= NSL_SYS_RAW)
		return false;
	/* 7.x: see preempt_tp in nsl_tracer_open */
	t->sys = t->sys == NSL_SYS_FENTRY && !t->preempt_tp ? NSL_SYS_TP : NSL_SYS_RAW;
	return true;
}

static int try_mode(struct nsl_tracer *t, enum nsl_mode mode)
{
	struct bpf_program *p, *poll;
	__u32 creates = 0;
	int err, nprecise = 0;

	t->tree = btf_has_func(t->vmlinux, "__ns_tree_add_raw") &&
		  btf_has_func(t->vmlinux, "__ns_tree_remove");
	/* precise mode's fentry was refused: so would the syscalls' be */
	if (t->sys == NSL_SYS_FENTRY && t->fentry_err) {
		t->fsc_err = t->fentry_err;
		if (!sys_next(t)) {
			fprintf(stderr, "nslife: NSLIFE_SYSCALLS=fentry: fentry refused here: %s\n",
				strerror(-t->fsc_err));
			return -ESYSCALL_FORCED;
		}
	}
	if (t->sys == NSL_SYS_TP)
		ensure_tracefs(t);
	t->skel = nslife_bpf__open();
	if (!t->skel)
		return -errno;
	t->skel->rodata->self_tgid = getpid();
	set_self_exe(t->skel);
	t->skel->rodata->sys_twins = t->sys == NSL_SYS_FENTRY ||
				     (t->sys == NSL_SYS_RAW && t->preempt_tp);
	t->skel->rodata->task_twins = t->preempt_tp;
	t->skel->rodata->wq_free_user_ns = ksym("free_user_ns");
	t->skel->rodata->wq_destroy_pid_ns = ksym("destroy_pid_namespace_work");
	set_host_inums(t->skel);
	bpf_object__for_each_program(p, t->skel->obj) {
		bool on = wanted(t, p, mode);
		const char *name = bpf_program__name(p);
		int ty;

		bpf_program__set_autoload(p, on);
		if (!on || !(has_prefix(name, "tree_") || has_prefix(name, "kf_")))
			continue;
		nprecise++;
		ty = create_type(prog_target(p));
		if (ty > 0)
			creates |= 1U << ty;
	}
	if (mode == NSL_MODE_PRECISE && !nprecise) {
		nslife_bpf__destroy(t->skel);
		t->skel = NULL;
		return -ENOENT;
	}
	if (t->tree)
		creates = ~0U;
	t->skel->rodata->precise_create = mode == NSL_MODE_PRECISE ? creates : 0;
	set_ringbuf_size(t->skel);
	set_live_size(t->skel);
	t->skel->rodata->poll_slice = poll_slice();
	poll = bpf_program__autoload(t->skel->progs.poll_live_c) ? t->skel->progs.poll_live_c :
	       bpf_program__autoload(t->skel->progs.poll_live) ? t->skel->progs.poll_live : NULL;
	t->skel->rodata->use_slots = poll != NULL;
	err = nslife_bpf__load(t->skel);
	/*
	 * A load that fails with fentry programs in it: precise mode needs
	 * fentry anyway; in tracepoint mode the fsc_ ones are the only ones,
	 * so try without them (this fleet's 6.18 refuses fentry at load,
	 * EPERM).
	 */
	if (err && mode == NSL_MODE_PRECISE && err == -EPERM)
		t->fentry_err = err;
	else if (err && mode != NSL_MODE_PRECISE && t->sys == NSL_SYS_FENTRY) {
		t->fsc_err = err;
		err = -ESYSCALL_FENTRY;
	}
	if (!err)
		err = attach_all(t);
	if ((err == -ESYSCALL_TP || err == -ESYSCALL_FENTRY) && sys_next(t)) {
		/* the next syscall hooks, for every mode */
		detach_all(t);
		nslife_bpf__destroy(t->skel);
		t->skel = NULL;
		return try_mode(t, mode);
	}
	if (err == -ESYSCALL_TP || err == -ESYSCALL_FENTRY) {
		fprintf(stderr, "nslife: NSLIFE_SYSCALLS=%s: the syscall hooks did not %s: %s\n",
			sys_names[t->sys], err == -ESYSCALL_TP ? "attach" : "load or attach",
			strerror(err == -ESYSCALL_TP ? -t->sc_err : -t->fsc_err));
		err = -ESYSCALL_FORCED;
	}
	if (err) {
		detach_all(t);
		nslife_bpf__destroy(t->skel);
		t->skel = NULL;
		return err;
	}
	t->mode = mode;
	t->poll = poll;
	return 0;
}

static int run_iter(struct bpf_program *prog)
{
	struct bpf_link *l = bpf_program__attach_iter(prog, NULL);
	char buf[256];
	int fd;

	if (!l)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(l));
	if (fd >= 0) {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	bpf_link__destroy(l);
	return fd < 0 ? -errno : 0;
}

static int on_record(void *ctx, void *data, size_t len)
{
	struct nsl_tracer *t = ctx;

	return t->fn(t->ctx, data, len);
}

static int open_error(int err)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "nslife: no kernel BTF at /sys/kernel/btf/vmlinux "
			"(needs CONFIG_DEBUG_INFO_BTF)\n");
		return -ENOENT;
	}
	if (err == -EPERM || err == -EACCES) {
		fprintf(stderr, "nslife: permission denied loading BPF: run as root "
			"(CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)\n");
		return -EPERM;
	}
	fprintf(stderr, "nslife: failed to load BPF programs: %s%s\n",
		strerror(-err), verbose ? "" : " (-v for details)");
	return err;
}

/*
 * The per-syscall tracepoints are perf events that libbpf finds through
 * tracefs.  Where it is not mounted (nor reachable through debugfs, which
 * libbpf 1.1 prefers when present), mount it at its usual place; it
 * stays mounted, as it would on a host with systemd.  nslife runs as
 * root; if the mount fails the raw_syscalls fallback needs no tracefs.
 * Only once they are to be tried: the fentry hooks need no tracefs.
 */
static void ensure_tracefs(struct nsl_tracer *t)
{
	if (t->mounted_tracefs || !access(DEBUGFS_TRACING, F_OK) ||
	    !access(TRACEFS "/events", F_OK))
		return;
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL))
		return;
	t->mounted_tracefs = true;
	fprintf(stderr, "nslife: mounted tracefs on %s for the syscall tracepoints\n",
		TRACEFS);
}

/* the syscall functions fsc_ hooks, all but open_tree_attr (6.15+) needed */
static const char *const fsc_funcs[] = {
	"__x64_sys_unshare", "__x64_sys_setns", "__x64_sys_mount", "__x64_sys_umount",
	"__x64_sys_move_mount", "__x64_sys_open", "__x64_sys_openat", "__x64_sys_openat2",
	"__x64_sys_open_by_handle_at", "__x64_sys_open_tree", "__x64_sys_fsmount",
};

/*
 * The syscall hooks to try first: fentry where the kernel has every
 * function, else the per-syscall tracepoints, else raw_syscalls; or what
 * NSLIFE_SYSCALLS names (tests use it to cover each).  7.x skips the
 * per-syscall tracepoints: see preempt_tp.
 */
static int sys_choose(struct nsl_tracer *t)
{
	const char *v = getenv("NSLIFE_SYSCALLS");

	t->sys = NSL_SYS_FENTRY;
	if (v && *v) {
		for (t->sys = NSL_SYS_FENTRY; t->sys <= NSL_SYS_NONE; t->sys++)
			if (!strcmp(v, sys_names[t->sys]))
				break;
		if (t->sys > NSL_SYS_NONE) {
			fprintf(stderr, "nslife: NSLIFE_SYSCALLS: fentry, tracepoint, raw or none, not '%s'\n",
				v);
			return -EINVAL;
		}
		t->sys_forced = true;
	}
	for (size_t i = 0; i < sizeof(fsc_funcs) / sizeof(fsc_funcs[0]); i++)
		if (!btf_has_func(t->vmlinux, fsc_funcs[i]))
			t->fsc_missing = fsc_funcs[i];
	if (t->sys == NSL_SYS_FENTRY && t->fsc_missing) {
		if (t->sys_forced) {
			fprintf(stderr, "nslife: NSLIFE_SYSCALLS=fentry: no %s in the kernel's BTF\n",
				t->fsc_missing);
			return -ENOENT;
		}
		sys_next(t);
	}
	return 0;
}

int nsl_tracer_open(struct nsl_tracer **tp, const struct nsl_tracer_opts *o,
		    nsl_record_fn fn, void *ctx)
{
	struct nsl_tracer *t;
	int err;

	verbose = o->verbose;
	libbpf_set_print(libbpf_print);
	if (geteuid() != 0)
		return open_error(-EPERM);
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return open_error(-ENOENT);
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->ctx = ctx;
	t->poll_ms = o->poll_ms > 0 ? o->poll_ms : 50;
	t->vmlinux = btf__load_vmlinux_btf();
	if (!t->vmlinux) {
		err = -errno;
		fprintf(stderr, "nslife: cannot read kernel BTF: %s\n", strerror(-err));
		goto fail;
	}

	/*
	 * 7.x runs tracepoint probes preemptible and the syscall tracepoints'
	 * programs through trace_call_bpf_faultable(): there one preempted
	 * kprobe or tracepoint program makes the kernel skip every other
	 * one on that CPU (the per-CPU bpf_prog_active), and the per-syscall
	 * tracepoints lost 6 to 15 exits per test on Debian's 7.2.  raw
	 * sys_enter/sys_exit (tp_btf, a recursion count per program) with
	 * twins lose nothing there: see tp_sys_enter_twin.
	 */
	t->preempt_tp = btf_has_func(t->vmlinux, "trace_call_bpf_faultable");
	err = sys_choose(t);
	if (err)
		goto fail;
	err = -EINVAL;
	if (o->mode != NSL_MODE_TRACEPOINT)
		err = try_mode(t, NSL_MODE_PRECISE);
	if (err == -ESYSCALL_FORCED)
		goto fail;
	if (err && o->mode == NSL_MODE_PRECISE) {
		if (err == -ENOENT)
			fprintf(stderr, "nslife: precise mode unavailable here: the kernel "
				"has none of its functions (try --mode tracepoint)\n");
		else
			fprintf(stderr, "nslife: precise mode unavailable here: %s "
				"(fentry/fexit refused; try --mode tracepoint)\n",
				strerror(-err));
		goto fail;
	}
	if (err)
		err = try_mode(t, NSL_MODE_TRACEPOINT);
	if (err == -ESYSCALL_FORCED) {
		err = -EINVAL;
		goto fail;
	}
	if (err) {
		err = open_error(err);
		goto fail;
	}

	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_record, t, NULL);
	if (!t->rb) {
		err = -errno;
		fprintf(stderr, "nslife: failed to open ring buffer: %s\n", strerror(-err));
		goto fail;
	}
	/*
	 * Attached first, seeded second: what changes in between is seen
	 * twice, harmlessly.  Namespaces held only by nsfs mounts are on no
	 * task and in no fd table: the collector's first scan opens each
	 * one (scan_mount.c, libmount), which teaches BPF their addresses.
	 */
	run_iter(t->skel->progs.seed_tasks);
	run_iter(t->skel->progs.seed_files);
	live_full_warn(t);
	*tp = t;
	return 0;
fail:
	nsl_tracer_close(t);
	return err;
}

static const char *poll_slice_text(const struct nsl_tracer *t)
{
	static char buf[96];
	__u32 n = t->skel->rodata->poll_slice;

	if (!n)
		return "every namespace each run";
	snprintf(buf, sizeof(buf), "up to %u namespaces a run, round robin past that", n);
	return buf;
}

static void run_liveness_poll(struct nsl_tracer *t)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	bpf_prog_test_run_opts(bpf_program__fd(t->poll), &opts);
}

/*
 * A program that fires while it already runs on the same CPU (a free from
 * an RCU callback in softirq, say; on 7.x also a preempted run, see the
 * workqueue twin in bpf/nslife.bpf.c) is skipped by the kernel, which only
 * counts it.  A program with a twin (same hook, name + "_twin") lost a run
 * only if the twin skipped that run too: at most min(misses, twin's
 * misses) runs were lost, whatever they were about (the twin reports what
 * it rescues in twin_rescued).  The kfree and kmem_cache_free hooks (mem_,
 * before 6.18 in tracepoint mode) do not count: nearly every run of theirs
 * is about memory that is no namespace, and the liveness poll still sees
 * the deaths a skipped run could have shown.
 */
/* the runs of @p the kernel skipped; 0 if it cannot tell */
static __u64 prog_misses(const struct bpf_program *p)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return 0;
	return info.recursion_misses;
}

/* the loaded twin of link @i's program, or NULL */
static const struct bpf_program *twin_of(const struct nsl_tracer *t, int i)
{
	const char *name = bpf_program__name(t->progs[i]);
	size_t n = strlen(name);

	for (int j = 0; j < t->nlinks; j++) {
		const char *o = bpf_program__name(t->progs[j]);

		if (is_twin(t->progs[j]) && strlen(o) == n + 5 && !strncmp(o, name, n))
			return t->progs[j];
	}
	return NULL;
}

/*
 * One program may serve several links (sc_exit: eleven tracepoints), and
 * its recursion_misses are the program's: count them once.
 */
static bool first_link(const struct nsl_tracer *t, int i)
{
	for (int j = 0; j < i; j++)
		if (t->progs[j] == t->progs[i])
			return false;
	return true;
}

static __u64 recursion_misses(const struct nsl_tracer *t)
{
	const struct bpf_program *tw;
	__u64 sum = 0, m, mt;

	for (int i = 0; i < t->nlinks; i++) {
		/* a skipped exec run loses no event (see tp_sched_process_exec) */
		if (has_prefix(bpf_program__name(t->progs[i]), "mem_") ||
		    !strcmp(bpf_program__name(t->progs[i]), "tp_sched_process_exec") ||
		    is_twin(t->progs[i]) || !first_link(t, i))
			continue;
		m = prog_misses(t->progs[i]);
		tw = m ? twin_of(t, i) : NULL;
		if (tw) {
			mt = prog_misses(tw);
			m = m < mt ? m : mt;
		}
		sum += m;
	}
	return sum;
}

/* one line per hook the kernel skipped runs of, to tell which signal missed */
void nsl_tracer_report_misses(const struct nsl_tracer *t, FILE *out)
{
	__u64 n;
	int links;

	for (int i = 0; i < t->nlinks; i++) {
		n = first_link(t, i) ? prog_misses(t->progs[i]) : 0;
		if (!n)
			continue;
		links = 0;
		for (int j = i; j < t->nlinks; j++)
			links += t->progs[j] == t->progs[i];
		if (links > 1)
			fprintf(out, "nslife: %s and %d more hooks of program %s: %llu runs skipped "
				"by BPF recursion protection\n", t->hooks[i], links - 1,
				bpf_program__name(t->progs[i]), (unsigned long long)n);
		else
			fprintf(out, "nslife: %s%s: %llu runs skipped by BPF recursion protection\n",
				t->hooks[i], is_twin(t->progs[i]) ? " (twin)" : "",
				(unsigned long long)n);
	}
	if (t->skel->bss->twin_rescued)
		fprintf(out, "nslife: %llu frees that skipped runs missed were reported by their twin hooks\n",
			(unsigned long long)t->skel->bss->twin_rescued);
	if (t->skel->bss->sys_twin_rescued)
		fprintf(out, "nslife: %llu syscall entries and exits that skipped runs missed were seen by their twin hooks\n",
			(unsigned long long)t->skel->bss->sys_twin_rescued);
	if (t->skel->bss->task_twin_rescued)
		fprintf(out, "nslife: %llu forks and exits that skipped runs missed were seen by their twin hooks\n",
			(unsigned long long)t->skel->bss->task_twin_rescued);
}

/* failed ring-buffer reservations */
static __u64 ringbuf_lost(const struct nsl_tracer *t)
{
	return __atomic_load_n(&t->skel->bss->rb_lost, __ATOMIC_RELAXED);
}

__u64 nsl_tracer_lost(const struct nsl_tracer *t)
{
	return ringbuf_lost(t) + recursion_misses(t) + t->skel->bss->live_full +
	       t->skel->bss->live_refused;
}

static void report_lost(struct nsl_tracer *t)
{
	struct nsl_event e = {};
	struct timespec ts;
	__u64 lost, full, refused;

	/* a syscall per program: once a second is enough */
	if (nsl_clock_ms(CLOCK_MONOTONIC) - t->last_misses >= 1000) {
		t->last_misses = nsl_clock_ms(CLOCK_MONOTONIC);
		t->misses = recursion_misses(t);
	}
	live_full_warn(t);
	full = t->skel->bss->live_full;
	refused = t->skel->bss->live_refused;
	lost = ringbuf_lost(t) + t->misses + full + refused;
	if (lost <= t->lost_seen)
		return;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	e.h.kind = NSL_EV_LOST;
	e.h.size = sizeof(e);
	e.h.pid = getpid();
	e.h.tid = e.h.pid;
	e.h.ts = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	strcpy(e.h.comm, "nslife");
	e.val = lost - t->lost_seen;
	/* of them, namespaces the live map had no room for */
	e.arg = full - t->live_full_seen;
	t->live_full_seen = full;
	/* and those whose insert the kernel refused otherwise: its errno in aux.inum */
	e.flags = refused - t->live_refused_seen;
	if (e.flags)
		e.aux.inum = t->skel->bss->live_refused_err;
	t->live_refused_seen = refused;
	t->lost_seen = lost;
	t->fn(t->ctx, &e, sizeof(e));
}

int nsl_tracer_poll(struct nsl_tracer *t, int timeout_ms)
{
	int n, wait = timeout_ms < t->poll_ms ? timeout_ms : t->poll_ms;
	__u64 due;

	/* records came: a free may follow that does not wake us (wake_gap_ns) */
	if (t->busy && wait > NSL_WAKE_GAP_MS)
		wait = NSL_WAKE_GAP_MS;
	/* a pass that soon: frees need not wake us for it (wake_flags) */
	due = wait <= NSL_WAKE_GAP_MS ? nsl_clock_ns(CLOCK_BOOTTIME) + wait * 1000000ULL : 0;
	__atomic_store_n(&t->skel->bss->reader_due, due, __ATOMIC_RELAXED);
	n = ring_buffer__poll(t->rb, wait);
	if (n < 0 && n != -EINTR)
		return n;
	/*
	 * Nothing woke us (records that wait for the next pass: wake_bytes)
	 * or a signal did (a daemon request, to be answered with every
	 * record in): take what is there.
	 */
	if (n <= 0)
		n = ring_buffer__consume(t->rb);
	if (n < 0 && n != -EINTR)
		return n;
	if (t->poll && nsl_clock_ms(CLOCK_MONOTONIC) - t->last_poll >= (__u64)t->poll_ms) {
		t->last_poll = nsl_clock_ms(CLOCK_MONOTONIC);
		run_liveness_poll(t);
		ring_buffer__consume(t->rb);
	}
	t->busy = n > 0;
	report_lost(t);
	return n < 0 ? 0 : n;
}

enum nsl_mode nsl_tracer_mode(const struct nsl_tracer *t)
{
	return t->mode;
}

/* per type: the precise hooks and what they make exact (before 6.18) */
static const struct {
	int type;
	const char *create, *free, *note;
} kf_types[] = {
	{ NSL_T_MNT, "copy_mnt_ns", "free_mnt_ns", "exact" },
	{ NSL_T_NET, "copy_net_ns", "__put_net", "exact (refcount 0; cleanup_net runs after)" },
	{ NSL_T_UTS, "copy_utsname", "free_uts_ns", "exact" },
	{ NSL_T_IPC, "copy_ipcs", "mq_clear_sbinfo", "exact (refcount 0, before the free_ipc work)" },
	{ NSL_T_PID, "copy_pid_ns", "delayed_free_pidns",
	  "free one RCU grace period late (destroy_pid_namespace is inlined), or by the poll" },
	{ NSL_T_USER, "create_user_ns", "__put_user_ns",
	  "exact; parents dying in the same free_user_ns loop by the workqueue hook" },
	{ NSL_T_CGROUP, "copy_cgroup_ns", "free_cgroup_ns", "exact" },
	{ NSL_T_TIME, "copy_time_ns", "free_time_ns", "exact" },
};

/* why the fentry syscall hooks are not in use */
static void why_not_fentry(const struct nsl_tracer *t, char *buf, size_t n)
{
	if (t->sys_forced && t->sys != NSL_SYS_FENTRY)
		snprintf(buf, n, "not tried: NSLIFE_SYSCALLS=%s", sys_names[t->sys]);
	else if (t->fsc_missing)
		snprintf(buf, n, "not used: no %s in the kernel's BTF", t->fsc_missing);
	else
		snprintf(buf, n, "refused: %s", strerror(-t->fsc_err));
}

/* the `syscalls:` line: which hooks, and why not the better ones */
static void describe_sys(const struct nsl_tracer *t, FILE *out)
{
	char why[160];

	if (t->sys == NSL_SYS_FENTRY) {
		fprintf(out, "syscalls: fentry/fexit on each followed syscall's function "
			"(no syscall tracepoint; with twins: fentry programs run preemptible%s)\n",
			t->sys_forced ? "; NSLIFE_SYSCALLS=fentry" : "");
		return;
	}
	if (t->sys == NSL_SYS_NONE) {
		/*
		 * For hosts where fentry is refused: any syscall tracepoint
		 * sends every syscall of the host down the kernel's slow path
		 * (+10 ns a syscall here), none does not.  What only the
		 * syscalls tell goes: ls and why scan for holders anyway.
		 */
		fprintf(out, "syscalls: none (NSLIFE_SYSCALLS=none): no syscall of the host pays for "
			"nslife; not followed: joins by setns and unshare, nsfs mounts, umounts "
			"and opens%s\n", t->mode == NSL_MODE_PRECISE ?
			"; ls and why find every holder by their own scan" :
			", creates by unshare (learned only when a task in the namespace exits); "
			"ls and why find every holder by their own scan");
		return;
	}
	why_not_fentry(t, why, sizeof(why));
	if (t->sys == NSL_SYS_TP) {
		fprintf(out, "syscalls: one tracepoint per followed syscall (tracefs%s; fentry %s)\n",
			t->mounted_tracefs ? ", mounted by nslife on " TRACEFS : "", why);
		return;
	}
	fprintf(out, "syscalls: raw_syscalls sys_enter/sys_exit, on every syscall "
		"(fentry %s; per-syscall tracepoints %s%s)\n", why,
		t->sys_forced ? "not tried: NSLIFE_SYSCALLS=raw" :
		t->preempt_tp ? "not used: tracing programs run preemptible here, "
		"raw hooks have twins" : "did not attach: ",
		t->sys_forced || t->preempt_tp ? "" : strerror(-t->sc_err));
}

void nsl_tracer_describe(const struct nsl_tracer *t, FILE *out)
{
	if (t->mode == NSL_MODE_PRECISE)
		fprintf(out, "strategy: precise (%s)\n", t->tree ?
			"ns tree: every type's create and free, exact" :
			"per-type kernel functions");
	else
		fprintf(out, "strategy: %s\n", nsl_mode_name(t->mode));
	describe_sys(t, out);
	if (t->preempt_tp)
		fprintf(out, "preemptible: yes (tracing programs can be preempted: a skipped run "
			"counts as lost unless its twin saw it)\n");
	for (int i = 0; i < t->nlinks; i++)
		fprintf(out, "hook: %s\n", t->hooks[i]);
	if (t->poll)
		fprintf(out, "hook: liveness poll every %d ms (raw_tp, BPF_PROG_TEST_RUN, %s; %s)%s\n",
			t->poll_ms, t->poll == t->skel->progs.poll_live_c ?
			"direct loads" : "probe reads", poll_slice_text(t),
			t->mode == NSL_MODE_PRECISE ? ": backstop for frees no hook names" : "");
	if (t->mode != NSL_MODE_PRECISE || t->tree)
		return;
	for (size_t i = 0; i < sizeof(kf_types) / sizeof(kf_types[0]); i++) {
		bool c = btf_has_func(t->vmlinux, kf_types[i].create);
		bool f = btf_has_func(t->vmlinux, kf_types[i].free);

		fprintf(out, "type: %s create %s%s, free %s%s: %s\n",
			nsl_type_name(kf_types[i].type),
			c ? "fexit/" : "", c ? kf_types[i].create : "by syscall/fork tracepoints",
			f ? "fentry/" : "", f ? kf_types[i].free : "by the liveness poll",
			c && f ? kf_types[i].note : "approximate");
	}
}

void nsl_tracer_close(struct nsl_tracer *t)
{
	if (!t)
		return;
	ring_buffer__free(t->rb);
	detach_all(t);
	nslife_bpf__destroy(t->skel);
	btf__free(t->vmlinux);
	free(t);
}
