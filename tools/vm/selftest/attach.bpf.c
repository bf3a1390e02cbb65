// SPDX-License-Identifier: GPL-2.0
/* Which BPF attach types work on the guest kernel: one counter per program.
 * User space loads one program at a time, retargeted at each function. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";
__u64 hits;

SEC("fentry/copy_namespaces")
int BPF_PROG(fe) { __sync_fetch_and_add(&hits, 1); return 0; }
SEC("fexit/copy_namespaces")
int BPF_PROG(fx) { __sync_fetch_and_add(&hits, 1); return 0; }
SEC("kprobe/copy_namespaces")
int BPF_KPROBE(kp) { __sync_fetch_and_add(&hits, 1); return 0; }
SEC("kretprobe/copy_namespaces")
int BPF_KRETPROBE(krp) { __sync_fetch_and_add(&hits, 1); return 0; }
SEC("tp_btf/task_newtask")
int BPF_PROG(tpbtf) { __sync_fetch_and_add(&hits, 1); return 0; }
SEC("raw_tp/task_newtask")
int BPF_PROG(rawtp) { __sync_fetch_and_add(&hits, 1); return 0; }
