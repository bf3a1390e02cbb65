#!/bin/bash
# Tracer overhead, as ratios measured in one run.  Each workload runs
# without a tracer, under `nslife trace --json >/dev/null` and under the
# equivalent bpftrace script (tools/bench/nslife-peer.bt, output to a file:
# the peer), one after the other, ROUNDS times; printed: per workload the
# median of the per-round ratios traced/untraced and their spread
# (min-max), and the events nslife lost.  Not a test: it asserts nothing,
# it measures.  Needs root and `make bench`; bpftrace only for the peer
# column (tools/deps.sh --bench installs it; PEER=0 skips it).
set -eu
cd "$(dirname "$0")/.."
BIN=.output/bin
ROUNDS=${ROUNDS:-5}
FORKS=${FORKS:-5000}
CHURN=${CHURN:-2000}
DD=${DD:-2000000}
GETPID=${GETPID:-4000000}
PEER=${PEER:-1}
[ "$(id -u)" = 0 ] || { echo "bench-trace: needs root" >&2; exit 1; }
for b in forkexit nschurn getpidloop; do
	[ -x ./nslife ] && [ -x $BIN/$b ] ||
		{ echo "bench-trace: run 'make bench' (builds nslife and helpers)" >&2; exit 1; }
done
if [ "$PEER" = 1 ] && ! command -v bpftrace >/dev/null; then
	echo "bench-trace: no bpftrace (tools/deps.sh --bench, or PEER=0)" >&2; exit 1
fi
D=$(mktemp -d)
TP=
trap '[ -n "$TP" ] && kill -INT $TP 2>/dev/null; wait; rm -rf "$D"' EXIT

us() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }

waitfor() {	# file, pattern, what
	for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return; sleep 0.1; done
	echo "bench-trace: $3 did not start: $(cat "$D/err")" >&2; exit 1
}

tracer_on() {	# nslife | bpftrace
	if [ "$1" = nslife ]; then
		./nslife trace --json >/dev/null 2>"$D/err" &
		TP=$!
		waitfor "$D/err" tracing nslife
	else
		rm -f "$D/bt.out"
		bpftrace -o "$D/bt.out" tools/bench/nslife-peer.bt 2>"$D/err" &
		TP=$!
		waitfor "$D/bt.out" ready bpftrace
	fi
	# both finish their start-up work (nslife's first scan) just after
	sleep "${SETTLE:-1}"
}
tracer_off() {
	kill -INT $TP; wait $TP || true; TP=
	LOST=$(sed -n 's/.* events, \([0-9]*\) lost$/\1/p' "$D/err")
}

stats() {	# ratios on stdin → "median (min-max)"
	sort -g | awk '{ v[NR] = $1 } END { printf "%.3f (%.3f-%.3f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# workloads: name and command
NAMES=("dd bs=1 x$DD" "getpid x$GETPID" "fork+exit x$FORKS" "ns churn x$CHURN (8 types)")
run_w() {
	case $1 in
	0) us dd if=/dev/zero of=/dev/null bs=1 count="$DD" ;;
	1) us $BIN/getpidloop "$GETPID" ;;
	2) us $BIN/forkexit "$FORKS" ;;
	3) us $BIN/nschurn "$CHURN" ;;
	esac
}

echo "tracer overhead, $(uname -r), $(nproc) cpus, $ROUNDS rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nslife: $(./nslife features | sed -n 's/strategy: //p') strategy; $(./nslife features | sed -n 's/^syscalls: //p')"
for r in $(seq "$ROUNDS"); do
	for w in 0 1 2 3; do
		base=$(run_w $w)
		tracer_on nslife; with=$(run_w $w); tracer_off
		echo "$with $base" | awk '{ printf "%.4f\n", $1 / $2 }' >>"$D/n.$w"
		echo "$LOST" >>"$D/lost.$w"
		echo "$base" >>"$D/base.$w"
		if [ "$PEER" = 1 ]; then
			tracer_on bpftrace; peer=$(run_w $w); tracer_off
			echo "$peer $base" | awk '{ printf "%.4f\n", $1 / $2 }' >>"$D/p.$w"
		fi
	done
	echo "round $r done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
printf '%-28s %10s  %-24s %-24s %s\n' workload "base ms" "nslife ratio (spread)" \
	"bpftrace ratio (spread)" "nslife lost"
for w in 0 1 2 3; do
	b=$(sort -n "$D/base.$w" | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }')
	p="-"
	[ "$PEER" = 1 ] && p=$(stats <"$D/p.$w")
	printf '%-28s %10s  %-24s %-24s %s\n' "${NAMES[$w]}" "$b" "$(stats <"$D/n.$w")" "$p" \
		"$(paste -sd+ "$D/lost.$w" | bc)"
done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
