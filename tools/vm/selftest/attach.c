// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/* attach-probe [FUNC...]: for each kernel function (default: copy_namespaces
 * free_nsproxy), try fentry, fexit, kprobe and kretprobe; then tp_btf and
 * raw_tp on task_newtask.  Each: load, attach, make namespaces in a child,
 * print whether it attached and how often it fired.  Exit 0 always: this
 * measures, the caller judges. */
#include <errno.h>
#include <stdlib.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "attach.skel.h"

static int quiet(enum libbpf_print_level l, const char *f, va_list a) { return 0; }

static void churn(void)
{
	for (int i = 0; i < 3; i++) {
		pid_t p = fork();
		if (p == 0) {
			unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
			_exit(0);
		}
		waitpid(p, NULL, 0);
	}
	usleep(200000);
}

static void try(const char *kind, const char *func)
{
	struct attach_bpf *s = attach_bpf__open();
	struct bpf_program *want = NULL, *p;
	struct bpf_link *l;
	int err;

	if (!s) { printf("%-10s %-20s open failed\n", kind, func); return; }
	bpf_object__for_each_program(p, s->obj) {
		int mine = !strcmp(bpf_program__name(p), kind);
		bpf_program__set_autoload(p, mine);
		if (mine)
			want = p;
	}
	if (!strcmp(kind, "fe") || !strcmp(kind, "fx"))
		bpf_program__set_attach_target(want, 0, func);
	err = attach_bpf__load(s);
	if (err) {
		printf("%-10s %-20s LOAD FAILED: %s\n", kind, func, strerror(-err));
		goto out;
	}
	if (!strcmp(kind, "kp") || !strcmp(kind, "krp"))
		l = bpf_program__attach_kprobe(want, !strcmp(kind, "krp"), func);
	else
		l = bpf_program__attach(want);
	if (!l) {
		printf("%-10s %-20s ATTACH FAILED: %s\n", kind, func, strerror(errno));
		goto out;
	}
	churn();
	printf("%-10s %-20s attached, fired %llu times\n", kind, func,
	       (unsigned long long)s->bss->hits);
	bpf_link__destroy(l);
out:
	attach_bpf__destroy(s);
}

int main(int argc, char **argv)
{
	const char *defaults[] = { "copy_namespaces", "free_nsproxy" };
	const char **funcs = argc > 1 ? (const char **)argv + 1 : defaults;
	int n = argc > 1 ? argc - 1 : 2;
	static const char *kinds[] = { "fe", "fx", "kp", "krp" };

	libbpf_set_print(getenv("V") ? NULL : quiet);
	printf("(fe=fentry fx=fexit kp=kprobe krp=kretprobe)\n");
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 4; k++)
			try(kinds[k], funcs[i]);
	try("tpbtf", "task_newtask");
	try("rawtp", "task_newtask");
	return 0;
}
