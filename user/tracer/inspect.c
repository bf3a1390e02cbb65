// SPDX-License-Identifier: GPL-2.0
/*
 * The scan's BPF eyes (bpf/inspect.bpf.c): which pid ns a procfs mount
 * pins, and which open files pin a user ns by their credentials.  Best
 * effort: without root or BTF the scan goes on without them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "inspect.h"
#include "scan.h"
#include "inspect.skel.h"

static struct inspect_bpf *skel;
static bool tried;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static struct inspect_bpf *get(void)
{
	libbpf_print_fn_t old;

	if (tried)
		return skel;
	tried = true;
	if (geteuid() != 0)
		return NULL;
	old = libbpf_set_print(quiet);
	skel = inspect_bpf__open_and_load();
	libbpf_set_print(old);
	return skel;
}

static int fd_pidns(int fd, struct nsl_ns *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct inspect_bpf *k = get();

	if (!k)
		return -EOPNOTSUPP;
	k->bss->q_fd = fd;
	if (bpf_prog_test_run_opts(bpf_program__fd(k->progs.fd_pidns), &opts))
		return -errno;
	if (!k->bss->q_out.inum)
		return -ENOENT;
	out->type = NSL_T_PID;
	out->inum = k->bss->q_out.inum;
	out->id = k->bss->q_out.id;
	return 0;
}

static int file_creds(void (*fn)(void *ctx, pid_t pid, int fd, const struct nsl_ns *u),
		      void *ctx)
{
	struct inspect_bpf *k = get();
	struct nsl_inspect_cred r[256];
	struct bpf_link *l;
	struct nsl_ns u = { .type = NSL_T_USER };
	ssize_t n;
	int fd, err = 0;

	if (!k)
		return -EOPNOTSUPP;
	l = bpf_program__attach_iter(k->progs.file_creds, NULL);
	if (!l)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(l));
	if (fd < 0) {
		err = -errno;
		goto cleanup;
	}
	while ((n = read(fd, r, sizeof(r))) > 0) {
		for (size_t i = 0; i < n / sizeof(r[0]); i++) {
			u.inum = r[i].ns.inum;
			u.id = r[i].ns.id;
			fn(ctx, r[i].pid, r[i].fd, &u);
		}
	}
	if (n < 0)
		err = -errno;
	close(fd);
cleanup:
	bpf_link__destroy(l);
	return err;
}

/* every namespace on the kernel's ns_tree lists (6.18): see bpf/inspect.bpf.c */
static int ns_tree(void (*fn)(void *ctx, const struct nsl_ns *ns, __u32 refs, __u32 active,
			       __u64 addr), void *ctx)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct inspect_bpf *k = get();
	struct nsl_ns ns;

	if (!k)
		return -EOPNOTSUPP;
	if (bpf_prog_test_run_opts(bpf_program__fd(k->progs.ns_tree), &opts))
		return -errno;
	if (k->bss->tree_err == -EOPNOTSUPP)
		return -EOPNOTSUPP;
	for (__u32 i = 0; i < k->bss->tree_n && i < NSL_TREE_MAX; i++) {
		const struct nsl_inspect_tree *t = &k->bss->tree_out[i];

		ns.type = nsl_type_from_clone(t->clone);
		ns.inum = t->inum;
		ns.id = t->id;
		fn(ctx, &ns, t->refs, t->active, t->addr);
	}
	return k->bss->tree_err;
}

/* the interface names of the net ns at @addr (from ns_tree) */
static int net_ifnames(__u64 addr, int (*fn)(void *ctx, const char *name), void *ctx)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct inspect_bpf *k = get();

	if (!k)
		return -EOPNOTSUPP;
	k->bss->q_net = addr;
	if (bpf_prog_test_run_opts(bpf_program__fd(k->progs.net_ifnames), &opts))
		return -errno;
	for (__u32 i = 0; i < k->bss->ifn_out.n && i < NSL_IFN_MAX; i++) {
		k->bss->ifn_out.name[i][15] = 0;
		if (fn(ctx, k->bss->ifn_out.name[i]))
			return 1;
	}
	return 0;
}

static const struct snap_inspector inspector = {
	.fd_pidns = fd_pidns,
	.file_creds = file_creds,
	.ns_tree = ns_tree,
	.net_ifnames = net_ifnames,
};

void nsl_inspect_enable(void)
{
	snap_set_inspector(&inspector);
}
