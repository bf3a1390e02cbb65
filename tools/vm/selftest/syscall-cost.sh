#!/bin/bash
# What nslife's syscall hooks cost a syscall-heavy workload that touches no
# namespace: a getpid loop, dd bs=1, and an open+close loop (opens are
# followed: each one's exit runs nslife's hook); and what nslife costs the
# 8-type namespace churn (nschurn) and fork+exit (forkexit), as
# tools/bench-trace.sh measures on a host.  Each untraced, under `nslife
# trace` with the fentry syscall hooks, and under it with
# NSLIFE_SYSCALLS=tracepoint (per-syscall tracepoints, which put every task
# on the syscall-work slow path).  Rounds alternate the three, each round's
# order rotated; prints each round's wall times and the median of the
# per-round ratios.
# Run in a guest whose kernel allows fentry:
#   tools/vm/run.sh -k 6.18 -m precise -c "tools/vm/selftest/syscall-cost.sh 5"
# Wall time (bash's EPOCHREALTIME): in a TCG guest nothing else runs.
# NSLIFE_B=path (a static nslife put in .output/bin/, which the guest
# gets): a fourth config, that binary with its own choice of hooks (A/B).
# W: the workloads, default "getpid dd open churn fork".
cd "$(dirname "$0")/../../.." || exit 1
ROUNDS=${1:-5}
GETPIDS=${GETPIDS:-1000000}
DDN=${DDN:-500000}
OPENS=${OPENS:-200000}
CHURN=${CHURN:-1000}
FORKS=${FORKS:-2000}
W=${W:-"getpid dd open churn fork"}
out=$(mktemp -d)
P=
trap '[ -n "$P" ] && kill $P 2>/dev/null; rm -rf "$out"' EXIT

ms() { echo "$EPOCHREALTIME" | tr -d .; }	# microseconds
run() {	# workload -> microseconds
	local t0 t1
	t0=$(ms)
	case $1 in
	getpid) .output/bin/getpidloop "$GETPIDS" ;;
	dd) dd if=/dev/zero of=/dev/null bs=1 count="$DDN" 2>/dev/null ;;
	open) .output/bin/getpidloop "$OPENS" open ;;
	churn) .output/bin/nschurn "$CHURN" >/dev/null ;;
	fork) .output/bin/forkexit "$FORKS" >/dev/null ;;
	esac
	t1=$(ms)
	echo $((t1 - t0))
}
# nslife's start (load and attach) and stop (detach) times, per config
start() {	# config syscall-hooks ("" = nslife's choice) [binary]
	local t0=$(ms)
	NSLIFE_SYSCALLS=$2 ${3:-./nslife} trace --json ${NSLIFE_MODE:+--mode $NSLIFE_MODE} \
		>/dev/null 2>"$out/t.err" &
	P=$!
	for _ in $(seq 1200); do
		grep -q tracing "$out/t.err" && echo "$1 start $((($(ms) - t0) / 1000)) ms" >>"$out/s" && return 0
		sleep 0.05
	done
	echo "nslife did not start: $(cat "$out/t.err")" >&2
	exit 1
}
stop() {	# config
	local t0=$(ms)
	kill -INT $P
	wait $P
	P=
	echo "$1 stop $((($(ms) - t0) / 1000)) ms" >>"$out/s"
	grep -q ', 0 lost' "$out/t.err" || echo "nslife: $(tail -1 "$out/t.err")" >&2
}
measure() {	# config round
	case $1 in
	base) ;;
	fentry) start fentry "" ;;
	tp) start tp tracepoint ;;
	fentryB) start fentryB "" "$NSLIFE_B" ;;
	esac
	for w in $W; do
		echo "$2 $1 $w $(run $w)" >>"$out/r"
	done
	[ "$1" = base ] || stop "$1"
}

echo "syscalls (default): $(./nslife features ${NSLIFE_MODE:+--mode $NSLIFE_MODE} | sed -n 's/^syscalls: //p')"
echo "syscalls (forced):  $(NSLIFE_SYSCALLS=tracepoint ./nslife features | sed -n 's/^syscalls: //p')"
configs=(base fentry tp)
[ -n "${NSLIFE_B:-}" ] && configs+=(fentryB)
n=${#configs[@]}
for r in $(seq "$ROUNDS"); do
	for i in $(seq 0 $((n - 1))); do
		measure "${configs[$(((i + r) % n))]}" "$r"
	done
done
cat "$out/r" "$out/s"
# per round: config / base of the same round and workload; median over rounds
for w in $W; do
	for c in "${configs[@]:1}"; do
		awk -v w=$w -v c=$c '$3 == w { t[$1, $2] = $4; r[$1] = 1 }
			END { for (i in r) print t[i, c] / t[i, "base"] }' "$out/r" | sort -g |
			awk -v w=$w -v c=$c '{ v[NR] = $1 } END {
				printf "%s %s: median %.3f (%.3f-%.3f), %d rounds\n", w, c,
					NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR], NR }'
	done
done
