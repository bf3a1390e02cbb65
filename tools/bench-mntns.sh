#!/bin/bash
# Task-less mount namespaces: N (default 50) mount namespaces no process is
# in, each held by an nsfs bind mount (the k-th holds copies of the k-1
# before it).  Times `nslife ls` and `nslife why` of the last one, reading
# them with a setns child each (NSLIFE_MNTNS_READ=setns, the only way
# before listmount) and the default (listmount/statmount where the kernel
# has them): medians of RUNS (default 9) alternating runs, wall and CPU
# ms.  Then strace -f -c of one `ls` each: the clone/fork count.
# Root; cleans up everything it made.
set -u
cd "$(dirname "$0")/.."
NSLIFE=${NSLIFE:-./nslife}
N=${1:-50}
RUNS=${RUNS:-9}
[ "$(id -u)" = 0 ] || { echo "bench-mntns: needs root" >&2; exit 1; }
D=$(mktemp -d /tmp/nslife-bench.XXXXXX)
cleanup() {
	umount -l "$D" 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT
mount --bind "$D" "$D" && mount --make-private "$D" || exit 1
for i in $(seq "$N"); do touch "$D/m.$i"; unshare --mount="$D/m.$i" true || exit 1; done
LAST=$(stat -L -c %i "$D/m.$N")

# one run: "wall_ms cpu_ms"
run() {	# mode args...
	local mode=$1 t0 t1
	shift
	t0=$(date +%s%N)
	/usr/bin/time -f "%e %U %S" -o "$D/time" env NSLIFE_MNTNS_READ="$mode" \
		"$NSLIFE" "$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	awk -v w=$(((t1 - t0) / 1000000)) '{ printf "%d %d\n", w, ($2 + $3) * 1000 }' "$D/time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for cmd in "ls" "why mnt:$LAST"; do
	: >"$D/setns"; : >"$D/auto"
	run auto $cmd >/dev/null	# warm-up
	for _ in $(seq "$RUNS"); do
		run setns $cmd >>"$D/setns"
		run auto $cmd >>"$D/auto"
	done
	for m in setns auto; do
		printf "%-14s %-6s wall %4s ms  cpu %4s ms\n" "${cmd%% *}" "$m" \
			"$(cut -d' ' -f1 "$D/$m" | median)" "$(cut -d' ' -f2 "$D/$m" | median)"
	done
done
# strace -c leaves out syscalls it has no name for (6.1: listmount, statmount)
count() { grep -cE "^[0-9]+ +($1)\(" "$D/strace"; }
if command -v strace >/dev/null; then
	for m in setns auto; do
		NSLIFE_MNTNS_READ=$m strace -f -o "$D/strace" "$NSLIFE" ls >/dev/null 2>&1
		printf "ls %-6s clone/clone3/fork/vfork %s, setns %s, listmount %s, statmount %s\n" "$m" \
			"$(count 'clone|clone3|fork|vfork')" "$(count setns)" \
			"$(count 'listmount|syscall_0x1ca')" "$(count 'statmount|syscall_0x1c9')"
	done
fi
