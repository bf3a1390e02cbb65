#!/bin/bash
# The recorder's cost, from one run: `nslife trace --json >/dev/null` and
# `nslife record -o LOG` run side by side over the same workload (an
# 8-type namespace churn), so both see exactly the same events, host noise
# included; each one's CPU time during the workload is read from
# /proc/PID/task/*/schedstat (ns on CPU; /proc/PID/stat ticks if absent).
# Prints per round and the median: CPU of each, record/trace ratio, events
# recorded, bytes per event on disk (the log's growth after its header and
# snapshot, over the events in it).
# Not a test: it asserts nothing, it measures.  Needs root and a built tree.
set -eu
cd "$(dirname "$0")/.."
BIN=.output/bin
ROUNDS=${ROUNDS:-3}
CHURN=${CHURN:-2000}
[ "$(id -u)" = 0 ] || { echo "bench-record: needs root" >&2; exit 1; }
[ -x ./nslife ] && [ -x $BIN/nschurn ] ||
	{ echo "bench-record: run 'make nslife .output/bin/nschurn' first" >&2; exit 1; }

TMP=$(mktemp -d /tmp/nslife-bench.XXXXXX)
TP='' RP=''
cleanup() {
	for p in $TP $RP; do kill -INT "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# CPU ns used so far by all threads of a process
cpu_ns() {
	local sum=0 t v
	if [ -r "/proc/$1/schedstat" ]; then
		for t in /proc/"$1"/task/*/schedstat; do
			read -r v _ <"$t" && sum=$((sum + v))
		done
		echo $sum
	else
		awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1e9 / hz}' "/proc/$1/stat"
	fi
}

wait_line() {	# pid, file, pattern
	for _ in $(seq 150); do
		grep -q "$3" "$2" 2>/dev/null && return 0
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	echo "bench-record: did not start: $(cat "$2")" >&2
	exit 1
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

round() {
	local log=$TMP/bench.log t0 r0 t1 r1 s0 s1 ev
	rm -f "$log"
	./nslife trace --json >/dev/null 2>"$TMP/trace.err" &
	TP=$!
	./nslife record -o "$log" 2>"$TMP/record.err" &
	RP=$!
	wait_line $TP "$TMP/trace.err" tracing
	wait_line $RP "$TMP/record.err" "recording to"
	s0=$(stat -c %s "$log")	# header and snapshot, flushed before that line
	sleep 1
	t0=$(cpu_ns $TP); r0=$(cpu_ns $RP)
	$BIN/nschurn "$CHURN" >/dev/null
	sleep 1.5	# the last frees (net teardown), and one more flush
	t1=$(cpu_ns $TP); r1=$(cpu_ns $RP)
	kill -INT $TP $RP
	wait $TP || true
	wait $RP || true
	TP='' RP=''
	s1=$(stat -c %s "$log")
	ev=$(./nslife replay "$log" 2>/dev/null | wc -l)
	awk -v t=$((t1 - t0)) -v r=$((r1 - r0)) -v ev="$ev" -v b=$((s1 - s0)) \
	    -v all="$s1" -v lost="$(sed -n 's/.* \([0-9]*\) lost$/\1/p' "$TMP/record.err")" 'BEGIN {
		printf "trace %7.1f ms  record %7.1f ms  ratio %5.2f  %7d events  %6.2f bytes/event  (log %d bytes, %s lost)\n",
			t / 1e6, r / 1e6, r / t, ev, ev ? b / ev : 0, all, lost
	}'
}

echo "nslife record vs trace, CPU during nschurn $CHURN, $(uname -r), $(nproc) cpus, strategy: $(./nslife features | sed -n 's/strategy: //p')"
for i in $(seq "$ROUNDS"); do
	printf 'round %d: ' "$i"
	round | tee -a "$TMP/rounds"
done
printf 'median: ratio %s, %s bytes/event, %s events/round\n' \
	"$(awk '{print $8}' "$TMP/rounds" | median)" \
	"$(awk '{print $11}' "$TMP/rounds" | median)" \
	"$(awk '{print $9}' "$TMP/rounds" | median)"
