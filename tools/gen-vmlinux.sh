#!/bin/sh
# Regenerate vmlinux/<arch>/vmlinux_<ver>.h from this kernel's BTF and point
# vmlinux.h at it.  CO-RE makes one header enough for every kernel.
set -e
cd "$(dirname "$0")/.."
arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ver=$(uname -r | sed -E 's/^([0-9]+)\.([0-9]+).*/\1\2/')
btf=${1:-/sys/kernel/btf/vmlinux}
[ -r "$btf" ] || { echo "gen-vmlinux: no kernel BTF at $btf" >&2; exit 1; }
mkdir -p "vmlinux/$arch"
bpftool btf dump file "$btf" format c > "vmlinux/$arch/vmlinux_$ver.h"
ln -sf "vmlinux_$ver.h" "vmlinux/$arch/vmlinux.h"
echo "vmlinux/$arch/vmlinux_$ver.h"
