#!/bin/bash
# nslife at scale: N live uts namespaces, each held by an open nsfs fd of a
# process (.output/bin/nshold; several when RLIMIT_NOFILE is lower), for
# each N in SIZES (default 10000 100000; bounded by user.max_uts_namespaces,
# 96364 on the dev VM, and ~2 KB of kernel memory per namespace).
# Prints, per N:
#  - `nslife ls` and `lsns`: namespaces found, wall and CPU time (medians of
#    RUNS alternating runs; lsns sees namespaces held by fds only for a
#    process that is in them, so it finds far fewer);
#  - the daemon's memory before and after the namespaces exist (it starts
#    first and learns them from the event stream): VmRSS, its anonymous
#    part, and Private_Dirty from smaps_rollup, read once the daemon's map
#    holds the N namespaces (its nslife_namespaces gauges, --metrics-file)
#    and RSS stopped moving; the growth per namespace is (after - before) / the namespaces the
#    map gained;
#  - the daemon's CPU on an otherwise idle host, before and with them;
#  - `nslife why` and `nslife ls` answered through the daemon: wall time.
# Not a test: it measures.  Root; cleans up what it made.
set -u
cd "$(dirname "$0")/.."
NSLIFE=${NSLIFE:-./nslife}
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-3}
[ "$(id -u)" = 0 ] || { echo "bench-scale: needs root" >&2; exit 1; }
[ -x .output/bin/nshold ] || { echo "bench-scale: run 'make bench'" >&2; exit 1; }
D=$(mktemp -d /tmp/nslife-scale.XXXXXX)
HP= DP=
cleanup() {
	[ -n "$HP" ] && kill "$HP" 2>/dev/null
	[ -n "$DP" ] && kill -INT "$DP" 2>/dev/null
	wait 2>/dev/null
	umount "$D/uts" 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT
export NSLIFE_SOCKET=$D/sock

# wall and CPU (user + sys) ms of one run
t() {
	local TIMEFORMAT='%R %U %S' r
	r=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$r"
}
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rss() { awk '/^VmRSS/ { print $2 }' /proc/$DP/status; }
# VmRSS RssAnon Private_Dirty, KiB
mem() {
	awk '/^(VmRSS|RssAnon):/ { printf "%s ", $2 }' /proc/$DP/status
	awk '/^Private_Dirty:/ { print $2 }' /proc/$DP/smaps_rollup
}
# uts namespaces in the daemon's map (alive, lingering, inactive), from
# the metrics file it rewrites every second
mapped() {
	awk -F'[ ]' '/^nslife_namespaces\{type="uts"/ { n += $2 } END { print n + 0 }' "$D/m.prom" 2>/dev/null
}
lingering() {
	awk -F'[ ]' '/^nslife_namespaces\{type="uts",state="lingering"/ { print $2 }' "$D/m.prom" 2>/dev/null
}
# the daemon's CPU (user + sys), ms per second over 10 s of an idle host:
# the liveness poll reads up to NSLIFE_POLL_SLICE namespaces per tick
idle_cpu() {
	local a b
	a=$(awk '{ print $14 + $15 }' /proc/$DP/stat)
	sleep 10
	b=$(awk '{ print $14 + $15 }' /proc/$DP/stat)
	echo $(( (b - a) * 1000 / $(getconf CLK_TCK) / 10 ))
}
# RSS once it stopped moving for 2 s (the daemon drains its backlog)
rss_settled() {
	local a b
	a=$(rss)
	for _ in $(seq 120); do
		sleep 2; b=$(rss)
		[ "$a" = "$b" ] && break
		a=$b
	done
	echo "$b"
}

echo "bench-scale: $(uname -r), $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for N in $SIZES; do
	rm -f "$D"/*.t "$D/sock" "$D/daemon.err" "$D/m.prom"
	: >"$D/daemon.err"
	$NSLIFE daemon --socket "$D/sock" --metrics-file "$D/m.prom" --metrics-interval 1 \
		2>"$D/daemon.err" &
	DP=$!
	for _ in $(seq 300); do grep -q serving "$D/daemon.err" && break; sleep 0.1; done
	grep -q serving "$D/daemon.err" || { echo "bench-scale: daemon did not start: $(cat "$D/daemon.err")" >&2; exit 1; }
	for _ in $(seq 100); do [ -s "$D/m.prom" ] && break; sleep 0.1; done
	rss_settled >/dev/null
	m0=$(mem) u0=$(mapped) c0=$(idle_cpu)
	.output/bin/nshold "$N" >"$D/hold.out" &
	HP=$!
	for _ in $(seq 3000); do grep -q ready "$D/hold.out" && break; sleep 0.1; done
	grep -q ready "$D/hold.out" || { echo "bench-scale: nshold $N did not finish" >&2; exit 1; }
	# the map must hold them before its memory counts (10 min at most)
	t0=$SECONDS
	while [ $(( $(mapped) - u0 )) -lt "$N" ] && [ $((SECONDS - t0)) -lt 600 ]; do sleep 1; done
	learnt=$(( $(mapped) - u0 )) tl=$((SECONDS - t0))
	rss_settled >/dev/null
	sleep 2	# the gauges of the last settled moment
	m1=$(mem) u1=$(( $(mapped) - u0 )) lg=$(lingering) c1=$(idle_cpu)
	last=$(stat -L -c %i /proc/$HP/ns/uts)
	for _ in $(seq "$RUNS"); do
		NSLIFE_SOCKET=$D/none t $NSLIFE ls -n -o NS >>"$D/ls.t"
		t lsns -n -o NS >>"$D/lsns.t"
		t $NSLIFE why "uts:[$last]" >>"$D/why.t"
		t $NSLIFE ls -n -o NS,AGE >>"$D/dls.t"
	done
	nn=$(NSLIFE_SOCKET=$D/none $NSLIFE ls -n -o NS | wc -l)
	nl=$(lsns -n -o NS | wc -l)
	dn=$($NSLIFE ls -n -o NS -t uts | wc -l)
	# one lingering namespace (a bind mount, its member gone): the
	# daemon's check scans everything, and the scan's memory stays
	touch "$D/uts"
	unshare --uts="$D/uts" true
	t0=$SECONDS
	while [ "$(lingering)" -le "$lg" ] && [ $((SECONDS - t0)) -lt 120 ]; do sleep 1; done
	lc=$((SECONDS - t0))
	rss_settled >/dev/null
	m2=$(mem)
	umount "$D/uts"
	echo "N=$N uts namespaces held by fds"
	echo "  nslife ls: $nn found, $(cut -d' ' -f1 "$D/ls.t" | med) ms (cpu $(cut -d' ' -f2 "$D/ls.t" | med) ms)"
	echo "  lsns:      $nl found, $(cut -d' ' -f1 "$D/lsns.t" | med) ms (cpu $(cut -d' ' -f2 "$D/lsns.t" | med) ms)"
	set -- $m0 $m1 $m2
	k=$(( u1 > 0 ? u1 : 1 ))	# per namespace the map gained
	echo "  daemon map: $learnt of $N new uts namespaces learnt after ${tl} s ($u1 at the reading, $lg lingering)"
	echo "  daemon VmRSS: $1 KiB before, $4 KiB after: $(( ($4 - $1) * 1024 / k )) bytes per namespace"
	echo "  daemon RssAnon: $2 -> $5 KiB, Private_Dirty: $3 -> $6 KiB: $(( ($6 - $3) * 1024 / k )) bytes per namespace"
	echo "  after one lingering check (${lc} s, $(lingering) lingering): VmRSS ${7} KiB, RssAnon ${8} KiB"
	echo "  daemon idle CPU: $c0 ms/s before, $c1 ms/s with them (10 s each; $(getconf CLK_TCK) Hz ticks)"
	echo "  through the daemon: why $(cut -d' ' -f1 "$D/why.t" | med) ms, ls (uts: $dn) $(cut -d' ' -f1 "$D/dls.t" | med) ms"
	echo "  daemon: $(grep -c . "$D/daemon.err") stderr lines$(grep -m1 lost "$D/daemon.err" | sed 's/^/, /')"
	echo "  daemon metrics: $(grep -hE '^nslife_(lost_events|rescans)_total' "$D/m.prom" | tr '\n' ' ')"
	kill "$HP"; wait "$HP" 2>/dev/null; HP=
	# their frees reach the map too (past the BPF live map's 65,536?)
	t0=$SECONDS
	while [ "$(mapped)" -gt "$u0" ] && [ $((SECONDS - t0)) -lt 60 ]; do sleep 1; done
	echo "  after nshold exits: $(( $(mapped) - u0 )) of them left in the map after $((SECONDS - t0)) s, VmRSS $(rss) KiB;" \
		"$(grep -hE '^nslife_(lost_events|rescans)_total' "$D/m.prom" | tr '\n' ' ')"
	kill -INT "$DP"; wait "$DP" 2>/dev/null; DP=
done
