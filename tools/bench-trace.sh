#!/bin/bash
# Tracer overhead, as ratios measured in one run: each workload runs
# alternately without and with `nslife trace --json >/dev/null`, ROUNDS
# times, and the median of the per-round ratios is printed.  Not a test:
# it asserts nothing, it measures.  Needs root and a built tree (make bench).
set -eu
cd "$(dirname "$0")/.."
BIN=.output/bin
ROUNDS=${ROUNDS:-5}
FORKS=${FORKS:-5000}
CHURN=${CHURN:-2000}
[ "$(id -u)" = 0 ] || { echo "bench-trace: needs root" >&2; exit 1; }
[ -x ./nslife ] && [ -x $BIN/forkexit ] && [ -x $BIN/nschurn ] ||
	{ echo "bench-trace: run 'make bench' (builds nslife and helpers)" >&2; exit 1; }

secs() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }

tracer_on() {
	./nslife trace --json "$@" >/dev/null 2>"$TMPERR" &
	TP=$!
	for _ in $(seq 100); do grep -q tracing "$TMPERR" && return; sleep 0.1; done
	echo "bench-trace: tracer did not start: $(cat "$TMPERR")" >&2; exit 1
}
tracer_off() { kill -INT $TP; wait $TP || true; LAST=$(tail -n 1 "$TMPERR"); }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench() {	# name, command...
	local name=$1 ratios=() base with
	shift
	for _ in $(seq $ROUNDS); do
		base=$(secs "$@")
		tracer_on
		with=$(secs "$@")
		tracer_off
		ratios+=("$(awk -v a=$with -v b=$base 'BEGIN {printf "%.3f", a / b}')")
	done
	printf '%-28s base %8.1f ms  traced %8.1f ms  ratio %s (median of %s: %s)  [%s]\n' \
		"$name" "$(awk -v x=$base 'BEGIN{print x/1000}')" "$(awk -v x=$with 'BEGIN{print x/1000}')" \
		"$(printf '%s\n' "${ratios[@]}" | median)" $ROUNDS "${ratios[*]}" "$LAST"
}

TMPERR=$(mktemp)
trap 'rm -f "$TMPERR"' EXIT
echo "nslife tracer overhead, $(uname -r), $(nproc) cpus, strategy: $(./nslife features | sed -n 's/strategy: //p')"
bench "fork+exit x$FORKS" $BIN/forkexit "$FORKS"
bench "ns churn x$CHURN (8 types)" $BIN/nschurn "$CHURN"
