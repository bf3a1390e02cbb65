// SPDX-License-Identifier: GPL-2.0
/*
 * The scan's BPF eyes (bpf/inspect.bpf.c): which pid ns a procfs mount
 * pins, which open files pin a namespace (their credentials, or what the
 * file is), reference counts and nsproxies.  Best effort: without root or
 * BTF the scan goes on without them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>
#include <linux/mount.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfpin.h"
#include "inspect.h"
#include "scan.h"
#include "inspect.skel.h"
#include "refs.skel.h"

static struct inspect_bpf *skel;	/* loaded by this run */
static bool tried, learnt, want_refs;
static int load_err;		/* why skel is NULL: -EPERM not root, else libbpf's */

/*
 * The programs' .bss is a shared mapping: a daemon's query children
 * inherit it (nsl_inspect_preload) and must not interleave their requests
 * and answers there.  One lock per area, robust: a child killed while
 * holding one leaves it to the next.  NULL outside a daemon: no sharing.
 */
enum { LK_ITER, LK_QUERY, LK_REFS, LK_MAX };
static pthread_mutex_t *locks;

static const struct bpfpin *pin_of(int k);

/* a daemon's: robust mutexes; a pinned object's: bpfpin's flock */
static void lock(int k)
{
	const struct bpfpin *p;

	if (locks) {
		if (pthread_mutex_lock(&locks[k]) == EOWNERDEAD)
			pthread_mutex_consistent(&locks[k]);
		return;
	}
	p = pin_of(k);
	if (p)
		bpfpin_lock(p, k);
}

static void unlock(int k)
{
	const struct bpfpin *p;

	if (locks) {
		pthread_mutex_unlock(&locks[k]);
		return;
	}
	p = pin_of(k);
	if (p)
		bpfpin_unlock(p, k);
}

static void make_locks(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t *m;

	m = mmap(NULL, LK_MAX * sizeof(*m), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	for (int k = 0; k < LK_MAX; k++)
		pthread_mutex_init(&m[k], &a);
	pthread_mutexattr_destroy(&a);
	locks = m;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* NSLIFE_BPF_DEBUG=1: why the inspector did not load */
static int loud(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

/*
 * The inspect object's programs, in bpfpin order: loaded by this run, or
 * pinned by an earlier one (bpfpin.c).  NSLIFE_PIN=0: always load, pin
 * nothing.
 */
enum { P_FD_PIDNS, P_LEARN, P_TREE, P_IFN, P_INFLIGHT, P_FILES, P_MNT, P_PROCS, P_NSFDS, P_NR };
static const char *const iprogs[P_NR] = {
	[P_FD_PIDNS] = "fd_pidns", [P_LEARN] = "learn_fops", [P_TREE] = "ns_tree",
	[P_IFN] = "net_ifnames", [P_INFLIGHT] = "inflight", [P_FILES] = "files",
	[P_MNT] = "mnt_walk", [P_PROCS] = "procs",
	[P_NSFDS] = "nsfds",
};
/* pinned under iprogs' names where those did not load */
static const char *const ialt[P_NR] = { [P_MNT] = "mnt_walk_probe" };

struct insp {
	struct bpfpin pin;
	struct inspect_bpf__bss *bss;
};

static struct insp ins;
static bool private_load;	/* a daemon: its own copy, shared only by fork */
static pthread_mutex_t get_lock = PTHREAD_MUTEX_INITIALIZER;

static bool use_pins(void)
{
	const char *e = getenv("NSLIFE_PIN");

	return !private_load && !(e && !strcmp(e, "0"));
}

static void pin_obj(struct bpfpin_obj *o, const char *name, const void *elf, size_t sz,
		    const char *const *progs, int nprog, unsigned int locks)
{
	*o = (struct bpfpin_obj){ .name = name, .elf = elf, .elf_sz = sz, .progs = progs,
				  .nprog = nprog, .locks = locks };
}

static struct insp *get_locked(void)
{
	struct bpfpin_obj o;
	libbpf_print_fn_t old;
	const void *elf;
	size_t sz = 0;

	if (tried)
		return ins.bss ? &ins : NULL;
	tried = true;
	if (geteuid() != 0) {
		load_err = -EPERM;
		return NULL;
	}
	elf = inspect_bpf__elf_bytes(&sz);	/* before sz is read */
	pin_obj(&o, "inspect", elf, sz, iprogs, P_NR,
		1u << LK_ITER | 1u << LK_QUERY);
	o.alt = ialt;
	if (use_pins() && !bpfpin_open(&o, &ins.pin)) {
		ins.bss = ins.pin.bss;
		return &ins;
	}
	old = libbpf_set_print(getenv("NSLIFE_BPF_DEBUG") ? loud : quiet);
	/* mnt_walk needs bpf_rdonly_cast (6.2+): where it does not load, its probe-read twin */
	for (int probe = 0; probe < 2 && !skel; probe++) {
		skel = inspect_bpf__open();
		if (!skel) {
			load_err = -errno;
			break;
		}
		bpf_program__set_autoload(probe ? skel->progs.mnt_walk :
					  skel->progs.mnt_walk_probe, false);
		load_err = inspect_bpf__load(skel);
		if (!load_err)
			load_err = bpfpin_take(&o, skel->obj, &ins.pin, use_pins());
		if (load_err) {
			inspect_bpf__destroy(skel);
			skel = NULL;
		}
	}
	libbpf_set_print(old);
	ins.bss = skel ? ins.pin.bss : NULL;
	return ins.bss ? &ins : NULL;
}

/* the fcred thread and the /proc scan both come here first */
static struct insp *get(void)
{
	struct insp *k;

	pthread_mutex_lock(&get_lock);
	k = get_locked();
	pthread_mutex_unlock(&get_lock);
	return k;
}

static int fd_pidns(int fd, struct nsl_ns *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct insp *k = get();

	if (!k)
		return -EOPNOTSUPP;
	k->bss->q_fd = fd;
	if (bpf_prog_test_run_opts(k->pin.prog[P_FD_PIDNS], &opts))
		return -errno;
	if (!k->bss->q_out.inum)
		return -ENOENT;
	out->type = NSL_T_PID;
	out->inum = k->bss->q_out.inum;
	out->id = k->bss->q_out.id;
	return 0;
}

/*
 * Sample files whose f_op the iterator compares against: no kallsyms
 * needed (data symbols are absent without CONFIG_KALLSYMS_ALL), and
 * built-in or module alike.  A sample that cannot be opened (no tun, no
 * io_uring) leaves that class unrecognised.
 */
static void learn(struct insp *k)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int fd[NSL_KF_MAX];
	struct io_uring_params p = {};

	fd[NSL_KF_PROC_NET_SEQ] = open("/proc/self/net/dev", O_RDONLY | O_CLOEXEC);
	fd[NSL_KF_PROC_NET_SINGLE] = open("/proc/self/net/sockstat", O_RDONLY | O_CLOEXEC);
	fd[NSL_KF_MOUNTS] = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC);
	fd[NSL_KF_MOUNTINFO] = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	fd[NSL_KF_MOUNTSTATS] = open("/proc/self/mountstats", O_RDONLY | O_CLOEXEC);
	fd[NSL_KF_TUN] = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	fd[NSL_KF_PIDFD] = syscall(SYS_pidfd_open, getpid(), 0);
	fd[NSL_KF_IO_URING] = syscall(SYS_io_uring_setup, 1, &p);
	fd[NSL_KF_FSCONTEXT] = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);

	for (int i = 0; i < NSL_KF_MAX; i++)
		k->bss->q_fds[i] = fd[i];
	bpf_prog_test_run_opts(k->pin.prog[P_LEARN], &opts);
	for (int i = 0; i < NSL_KF_MAX; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

/* the initial namespaces: pinned by everything, named by nothing */
static void skip_initial(struct insp *k)
{
	static const char *const names[NSL_T_MAX] = {
		[NSL_T_MNT] = "mnt", [NSL_T_NET] = "net", [NSL_T_PID] = "pid",
	};
	char path[32];
	struct stat st;

	for (int t = 0; t < NSL_T_MAX; t++) {
		if (!names[t])
			continue;
		snprintf(path, sizeof(path), "/proc/1/ns/%s", names[t]);
		if (stat(path, &st) == 0)
			k->bss->q_skip[t] = st.st_ino;
	}
}

static int run_iter(int prog, void *buf, size_t rec, size_t size,
		    void (*each)(const void *r, void *a), void *arg)
{
	ssize_t n;
	int fd, link, err = 0;

	link = bpf_link_create(prog, 0, BPF_TRACE_ITER, NULL);
	if (link < 0)
		return -errno;
	fd = bpf_iter_create(link);
	if (fd < 0) {
		err = -errno;
		goto cleanup;
	}
	while ((n = read(fd, buf, size)) > 0)
		for (size_t i = 0; i < n / rec; i++)
			each((char *)buf + i * rec, arg);
	if (n < 0)
		err = -errno;
	close(fd);
cleanup:
	close(link);
	return err;
}

/* NSLIFE_TREE_CHUNK: the most one run of ns_tree reads (tests lower it) */
static __u32 tree_chunk(void)
{
	const char *v = getenv("NSLIFE_TREE_CHUNK");
	unsigned long n = v ? strtoul(v, NULL, 10) : 0;

	return n && n < NSL_TREE_MAX ? n : NSL_TREE_MAX;
}

/* one run's records, to @fn */
static void tree_each(const struct insp *k, void (*fn)(void *ctx, const struct snap_tree_rec *r),
		      void *ctx)
{
	struct snap_tree_rec r;

	for (__u32 i = 0; i < k->bss->tree_n && i < NSL_TREE_MAX; i++) {
		const struct nsl_inspect_tree *t = &k->bss->tree_out[i];

		r = (struct snap_tree_rec){
			.ns = { .type = nsl_type_from_clone(t->clone), .inum = t->inum,
				.id = t->id },
			.refs = t->refs, .active = t->active, .addr = t->addr,
			.owner = t->owner, .parent = t->parent,
		};
		fn(ctx, &r);
	}
}

/*
 * every namespace on the kernel's ns_tree lists (6.18): see
 * bpf/inspect.bpf.c; a run reads up to NSL_TREE_MAX, the next one resumes
 * after the last id read.  -E2BIG: a list could not be read to its end.
 */
static int ns_tree(void (*fn)(void *ctx, const struct snap_tree_rec *r), void *ctx)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct insp *k = get();

	if (!k)
		return load_err ? load_err : -EOPNOTSUPP;
	k->bss->tree_cap = tree_chunk();
	k->bss->tree_from_list = 0;
	k->bss->tree_from_id = 0;
	for (;;) {
		if (bpf_prog_test_run_opts(k->pin.prog[P_TREE], &opts))
			return -errno;
		if (k->bss->tree_err == -EOPNOTSUPP)
			return -EOPNOTSUPP;
		tree_each(k, fn, ctx);
		if (k->bss->tree_err != -E2BIG || !k->bss->tree_resume || !k->bss->tree_n)
			return k->bss->tree_err;
		k->bss->tree_from_list = k->bss->tree_next_list;
		k->bss->tree_from_id = k->bss->tree_next_id;
	}
}

/* the interface names of the net ns at @addr (from ns_tree) */
static int net_ifnames(__u64 addr, int (*fn)(void *ctx, const char *name), void *ctx)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct insp *k = get();

	if (!k)
		return -EOPNOTSUPP;
	k->bss->q_net = addr;
	if (bpf_prog_test_run_opts(k->pin.prog[P_IFN], &opts))
		return -errno;
	for (__u32 i = 0; i < k->bss->ifn_out.n && i < NSL_IFN_MAX; i++) {
		k->bss->ifn_out.name[i][15] = 0;
		if (fn(ctx, k->bss->ifn_out.name[i]))
			return 1;
	}
	return 0;
}

/* the nsfs and proc mounts of the mount ns behind nsfs fd @fd */
static int mounts(int fd, void (*fn)(void *ctx, const struct nsl_inspect_mnt *m), void *ctx)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct insp *k = get();

	if (!k)
		return -EOPNOTSUPP;
	k->bss->q_fd = fd;
	if (bpf_prog_test_run_opts(k->pin.prog[P_MNT], &opts))
		return -errno;
	if (k->bss->mnt_err)
		return k->bss->mnt_err;
	for (__u32 i = 0; i < k->bss->mnt_n && i < NSL_MNT_MAX; i++)
		fn(ctx, &k->bss->mnt_out[i]);
	return 0;
}

struct procs_arg {
	void (*fn)(void *ctx, const struct nsl_inspect_proc *p);
	void *ctx;
};

static void each_proc(const void *rec, void *a)
{
	struct procs_arg *pa = a;

	pa->fn(pa->ctx, rec);
}

struct nsfds_arg {
	void (*fn)(void *ctx, const struct nsl_inspect_fd *p);
	void *ctx;
};

static void each_nsfd(const void *rec, void *a)
{
	struct nsfds_arg *na = a;

	na->fn(na->ctx, rec);
}

/* every process's nsfs and socket fds (the nsfds iterator); no lock, as procs */
static int nsfds(void (*fn)(void *ctx, const struct nsl_inspect_fd *p), void *ctx)
{
	struct insp *k = get();
	struct nsl_inspect_fd r[256];
	struct nsfds_arg na = { fn, ctx };

	if (!k)
		return load_err ? load_err : -EOPNOTSUPP;
	return run_iter(k->pin.prog[P_NSFDS], r, sizeof(r[0]), sizeof(r), each_nsfd, &na);
}

/*
 * Every task (the procs iterator).  No lock: it reads no .bss, and each
 * run has its own link and seq file.
 */
static int procs(void (*fn)(void *ctx, const struct nsl_inspect_proc *p), void *ctx)
{
	struct insp *k = get();
	struct nsl_inspect_proc r[128];
	struct procs_arg pa = { fn, ctx };

	if (!k)
		return load_err ? load_err : -EOPNOTSUPP;
	return run_iter(k->pin.prog[P_PROCS], r, sizeof(r[0]), sizeof(r), each_proc, &pa);
}

struct files_arg {
	void (*fn)(void *ctx, const struct snap_fileref *r);
	void *ctx;
};

static void each_file(const void *rec, void *a)
{
	const struct nsl_inspect_file *r = rec;
	struct files_arg *fa = a;
	struct snap_fileref f = {
		.pid = r->pid, .fd = r->fd, .what = r->what, .slot = r->slot,
		.obj = r->obj, .refs = r->ns.refs, .sock_ino = r->sock_ino,
		.ns = { .type = r->type, .inum = r->ns.inum, .id = r->ns.id },
	};

	fa->fn(fa->ctx, &f);
}

static int files(void (*fn)(void *ctx, const struct snap_fileref *r), void *ctx)
{
	struct insp *k = get();
	struct nsl_inspect_file r[256];
	struct files_arg fa = { fn, ctx };

	if (!k)
		return -EOPNOTSUPP;
	int err;

	if (!learnt) {
		learn(k);
		skip_initial(k);
		learnt = true;
	}
	/* files in flight first: they mark the sockets whose holders files names */
	k->bss->q_gen++;
	err = run_iter(k->pin.prog[P_INFLIGHT], r, sizeof(r[0]), sizeof(r), each_file, &fa);
	if (err)
		return err;
	return run_iter(k->pin.prog[P_FILES], r, sizeof(r[0]), sizeof(r), each_file, &fa);
}

/*
 * why's accounting programs: their own object, loaded on first use, as
 * libbpf's CO-RE relocation (a walk of the kernel BTF per type) is most
 * of a load and ls has no use for them
 */
enum { R_REFS, R_TASKS, R_NR };
static const char *const rprogs[R_NR] = { [R_REFS] = "ns_refs", [R_TASKS] = "tasks" };

struct rinsp {
	struct bpfpin pin;
	struct refs_bpf__bss *bss;
};

static struct refs_bpf *rskel;	/* loaded by this run */
static struct rinsp rins;
static bool rtried;

static struct rinsp *get_refs_locked(void)
{
	struct bpfpin_obj o;
	libbpf_print_fn_t old;
	const void *elf;
	size_t sz = 0;
	int err;

	if (rtried || !want_refs)
		return rins.bss ? &rins : NULL;
	rtried = true;
	if (geteuid() != 0)
		return NULL;
	elf = refs_bpf__elf_bytes(&sz);		/* before sz is read */
	pin_obj(&o, "refs", elf, sz, rprogs, R_NR, 1u << LK_REFS);
	if (use_pins() && !bpfpin_open(&o, &rins.pin)) {
		rins.bss = rins.pin.bss;
		return &rins;
	}
	old = libbpf_set_print(getenv("NSLIFE_BPF_DEBUG") ? loud : quiet);
	rskel = refs_bpf__open_and_load();
	libbpf_set_print(old);
	if (!rskel)
		return NULL;
	err = bpfpin_take(&o, rskel->obj, &rins.pin, use_pins());
	if (err) {
		refs_bpf__destroy(rskel);
		rskel = NULL;
		return NULL;
	}
	rins.bss = rins.pin.bss;
	return &rins;
}

static struct rinsp *get_refs(void)
{
	struct rinsp *k;

	pthread_mutex_lock(&get_lock);
	k = get_refs_locked();
	pthread_mutex_unlock(&get_lock);
	return k;
}

static const struct bpfpin *pin_of(int k)
{
	struct rinsp *r;
	struct insp *i;

	if (k == LK_REFS) {
		r = get_refs();
		return r ? &r->pin : NULL;
	}
	i = get();
	return i ? &i->pin : NULL;
}

static int ns_refs(int fd, unsigned int *refs)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct rinsp *k = get_refs();

	if (!k)
		return -EOPNOTSUPP;
	k->bss->q_fd = fd;
	if (bpf_prog_test_run_opts(k->pin.prog[R_REFS], &opts))
		return -errno;
	if (!k->bss->q_out.inum)
		return -ENOENT;
	*refs = k->bss->q_refs;
	return 0;
}

struct task_arg {
	void (*fn)(void *ctx, const struct nsl_inspect_task *t);
	void *ctx;
};

static void each_task(const void *rec, void *a)
{
	struct task_arg *ta = a;

	ta->fn(ta->ctx, rec);
}

static int tasks(void (*fn)(void *ctx, const struct nsl_inspect_task *t), void *ctx)
{
	struct rinsp *k = get_refs();
	struct nsl_inspect_task r[128];
	struct task_arg ta = { fn, ctx };

	if (!k)
		return -EOPNOTSUPP;
	return run_iter(k->pin.prog[R_TASKS], r, sizeof(r[0]), sizeof(r), each_task, &ta);
}

/* ---- the same, each under the lock of the .bss fields it uses ---- */

static int fd_pidns_l(int fd, struct nsl_ns *out)
{
	int err;

	lock(LK_QUERY);
	err = fd_pidns(fd, out);
	unlock(LK_QUERY);
	return err;
}

static int files_l(void (*fn)(void *ctx, const struct snap_fileref *r), void *ctx)
{
	int err;

	lock(LK_ITER);
	err = files(fn, ctx);
	unlock(LK_ITER);
	return err;
}

static int ns_refs_l(int fd, unsigned int *refs)
{
	int err;

	lock(LK_REFS);
	err = ns_refs(fd, refs);
	unlock(LK_REFS);
	return err;
}

static int tasks_l(void (*fn)(void *ctx, const struct nsl_inspect_task *t), void *ctx)
{
	int err;

	lock(LK_REFS);
	err = tasks(fn, ctx);
	unlock(LK_REFS);
	return err;
}

static int ns_tree_l(void (*fn)(void *ctx, const struct snap_tree_rec *r), void *ctx)
{
	int err;

	lock(LK_ITER);
	err = ns_tree(fn, ctx);
	unlock(LK_ITER);
	return err;
}

static int net_ifnames_l(__u64 addr, int (*fn)(void *ctx, const char *name), void *ctx)
{
	int err;

	lock(LK_QUERY);
	err = net_ifnames(addr, fn, ctx);
	unlock(LK_QUERY);
	return err;
}

static int mounts_l(int fd, void (*fn)(void *ctx, const struct nsl_inspect_mnt *m),
		    void *ctx)
{
	int err;

	lock(LK_QUERY);
	err = mounts(fd, fn, ctx);
	unlock(LK_QUERY);
	return err;
}

static const struct snap_inspector inspector = {
	.fd_pidns = fd_pidns_l,
	.files = files_l,
	.ns_refs = ns_refs_l,
	.tasks = tasks_l,
	.ns_tree = ns_tree_l,
	.net_ifnames = net_ifnames_l,
	.mounts = mounts_l,
	.procs = procs,
	.nsfds = nsfds,
};

void nsl_inspect_enable(void)
{
	snap_set_inspector(&inspector);
}

void nsl_inspect_want_refs(void)
{
	want_refs = true;
}

/*
 * A daemon: load both objects and learn the sample files once, so that
 * its query children inherit them instead of each paying the load (the
 * CO-RE relocation is most of a why's BPF cost); from here on the .bss
 * is shared, hence the locks.
 */
void nsl_inspect_preload(void)
{
	struct insp *k;

	private_load = true;
	make_locks();
	want_refs = true;
	k = get();
	if (k && !learnt) {
		learn(k);
		skip_initial(k);
		learnt = true;
	}
	get_refs();
}
