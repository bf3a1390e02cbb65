#!/bin/bash
# nslife ls versus lsns on this host plus 1,000 extra namespaces of mixed
# kinds, 300 of them process-less (nsfs bind mounts).  Prints the counts
# each tool found and the time ratio of one run each (after one warm-up;
# RUNS=N: the medians of N alternating runs), and the CPU time each used:
# nslife ls uses a second CPU when one is free, so on a busy host the
# wall time ratio moves towards the CPU time ratio.
# Root; cleans up everything it made.
set -u
cd "$(dirname "$0")/.."
NSLIFE=${NSLIFE:-./nslife}
[ "$(id -u)" = 0 ] || { echo "bench-ls: needs root" >&2; exit 1; }
D=$(mktemp -d /tmp/nslife-bench.XXXXXX)
PIDS=()
cleanup() {
	kill "${PIDS[@]}" 2>/dev/null
	wait 2>/dev/null
	# lazily: a concurrent scan may have one of them open for a moment
	for f in "$D"/uts.*; do [ -e "$f" ] && umount -l "$f" 2>/dev/null; done
	for i in $(seq 200); do ip netns del nslb-$$-$i 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT

echo "bench-ls: making 1000 namespaces..."
for i in $(seq 200); do ip netns add nslb-$$-$i; done			# 200 net, mount-held
for i in $(seq 100); do touch "$D/uts.$i"; unshare --uts="$D/uts.$i" true; done	# 100 uts, mount-held
for i in $(seq 200); do unshare --uts --ipc sleep infinity & PIDS+=($!); done	# 400 uts+ipc
for i in $(seq 200); do unshare --net sleep infinity & PIDS+=($!); done	# 200 net
for i in $(seq 100); do unshare --mount --propagation private sleep infinity & PIDS+=($!); done	# 100 mnt
# the kernel's own work after making them (net namespace setup in
# kworkers: load average 5-7 here) first: measured during it, nslife's
# median wall time moved between 15 and 25 ms at the same CPU time
idle() {	# percent of CPU time idle over one second
	local a b
	a=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	echo "$a $b" | awk '{ print int(($3 - $1) * 100 / ($4 - $2 + 1)) }'
}
for _ in $(seq 60); do [ "$(idle)" -ge 90 ] && break; done
echo "bench-ls: measuring at $(idle)% idle, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# wall and CPU (user + sys) time of one run, in us
t() {
	local TIMEFORMAT='%R %U %S' r
	r=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	awk '{ printf "%d %d\n", $1 * 1e6, ($2 + $3) * 1e6 }' <<<"$r"
}
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lsns -n -o NS >/dev/null; "$NSLIFE" ls -n -o NS >/dev/null	# warm-up
# RUNS=N: N alternating runs each, medians (the default, 1, is the issue's measure)
for _ in $(seq "${RUNS:-1}"); do
	t lsns -n -o NS >>"$D/lsns"
	t "$NSLIFE" ls -n -o NS >>"$D/nslife"
done
tl=$(cut -d' ' -f1 "$D/lsns" | med); cl=$(cut -d' ' -f2 "$D/lsns" | med)
tn=$(cut -d' ' -f1 "$D/nslife" | med); cn=$(cut -d' ' -f2 "$D/nslife" | med)
nl=$(lsns -n -o NS | wc -l)
nn=$("$NSLIFE" ls -n -o NS | wc -l)
echo "lsns:      $nl namespaces, ${tl} us (cpu ${cl} us)"
echo "nslife ls: $nn namespaces, ${tn} us (cpu ${cn} us)"
awk -v a="$tn" -v b="$tl" 'BEGIN { printf "ratio nslife/lsns: %.2f\n", a / b }'
