#!/bin/bash
# Tracer overhead, as ratios measured in one run.  Each workload runs
# without a tracer, under `nslife trace --json >/dev/null` and under the
# equivalent bpftrace script (tools/bench/nslife-peer.bt, its output to a
# file: the peer), one after the other, ROUNDS times.  Printed per workload
# and tracer: the median of the per-round ratios traced/untraced and their
# spread (min-max), for wall time and for CPU time (the workload's user +
# system time, which includes the BPF programs it triggers, plus the CPU
# the tracer process used meanwhile); and the events nslife lost.  On a
# shared, loaded host the CPU ratio is the steadier one.  Not a test: it
# asserts nothing, it measures.  Needs root and `make bench`; bpftrace only
# for the peer (tools/deps.sh --bench installs it; PEER=0 skips it).
# NSLIFE_B=path: a second nslife binary measured alongside (A/B).
# NOSYS=1 (default) adds "nosys": nslife with NSLIFE_SYSCALLS=none (no
# syscall hook; what it does not follow then: nslife(8)).
# SLOW=1 (default) adds the "slowpath" reference: no BPF at all, only one
# syscall tracepoint (sys_enter_unshare) enabled through ftrace.  Any
# enabled syscall tracepoint sends every syscall of every task through the
# kernel's syscall-work slow path; this row is what that alone costs, the
# floor of any tracer that hooks syscalls where fentry is refused.
# ACCOUNT=1 (default): after the rounds, one more run of each workload
# under nslife with kernel.bpf_stats_enabled=1 (which itself costs, so not
# in the timed rounds) says where the CPU nslife adds goes: its BPF
# programs' run time (bpftool; in the workload's tasks, and the work-item
# hook in kworkers) and the tracer process's CPU (its liveness poll, a
# BPF program it runs itself, included).  Unlike the ratios, these hardly
# move with the host's noise.
set -eu
cd "$(dirname "$0")/.."
BIN=.output/bin
ROUNDS=${ROUNDS:-5}
FORKS=${FORKS:-5000}
# 10,000: a run of 2,000 took 0.24 s here, and its rounds spread 0.82-1.31
CHURN=${CHURN:-10000}
DD=${DD:-2000000}
GETPID=${GETPID:-4000000}
OPENS=${OPENS:-500000}
PEER=${PEER:-1}
SLOW=${SLOW:-1}
NOSYS=${NOSYS:-1}
ACCOUNT=${ACCOUNT:-1}
NSLIFE=${NSLIFE:-./nslife}
NSLIFE_B=${NSLIFE_B:-}
W=${W:-"0 1 2 3 4"}	# the workloads to run, by index in NAMES
[ "$(id -u)" = 0 ] || { echo "bench-trace: needs root" >&2; exit 1; }
for b in forkexit nschurn getpidloop cputime; do
	[ -x "$NSLIFE" ] && [ -x $BIN/$b ] ||
		{ echo "bench-trace: run 'make bench' (builds nslife and helpers)" >&2; exit 1; }
done
if [ "$PEER" = 1 ] && ! command -v bpftrace >/dev/null; then
	echo "bench-trace: no bpftrace (tools/deps.sh --bench, or PEER=0)" >&2; exit 1
fi
D=$(mktemp -d)
TP=
TRACEFS= MOUNTED=
slow_enable() { echo "$1" >"$TRACEFS/events/syscalls/sys_enter_unshare/enable"; }
trap '[ -n "$TP" ] && kill -INT $TP 2>/dev/null; wait
	[ -n "$TRACEFS" ] && slow_enable 0 2>/dev/null
	[ -n "$MOUNTED" ] && umount "$MOUNTED"
	[ -n "${stats:-}" ] && sysctl -qw kernel.bpf_stats_enabled="$stats"
	rm -rf "$D"' EXIT
if [ "$SLOW" = 1 ]; then
	TRACEFS=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
	if [ -z "$TRACEFS" ]; then
		mount -t tracefs tracefs /sys/kernel/tracing ||
			{ echo "bench-trace: cannot mount tracefs (SLOW=0 skips the slowpath row)" >&2; exit 1; }
		TRACEFS=/sys/kernel/tracing MOUNTED=/sys/kernel/tracing
	fi
	[ -w "$TRACEFS/events/syscalls/sys_enter_unshare/enable" ] ||
		{ echo "bench-trace: no syscall tracepoints in $TRACEFS (SLOW=0 skips them)" >&2; exit 1; }
fi
# CPU ns (user + system, all threads) process $1 has used so far.
# schedstat, not /proc/PID/stat's 10 ms ticks: the tracer uses ~10 ms per
# churn run, and ticks made its share 0, 10 or 20 ms.
cpu_ns() {
	cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

# "wall_us cpu_us" of one run of the command: its own CPU (children
# included, to the µs: cputime) plus what the tracer used meanwhile
measure() {
	local k0=0 k1=0
	[ -n "$TP" ] && k0=$(cpu_ns $TP)
	$BIN/cputime "$D/time" "$@" >/dev/null 2>&1
	[ -n "$TP" ] && k1=$(cpu_ns $TP)
	awk -v k=$((k1 - k0)) '{ printf "%d %d\n", $1, $2 + k / 1000 }' "$D/time"
}

waitfor() {	# file, pattern, what (bpftrace compiles its script: 10-30 s here)
	for _ in $(seq 1200); do grep -q "$2" "$1" 2>/dev/null && return; sleep 0.1; done
	echo "bench-trace: $3 did not start: $(cat "$D/err")" >&2; exit 1
}

# bpftrace attached, within 60 s, while it lives.  Its BEGIN line may sit
# in its output file's buffer until other output pushes it out (seen on a
# quiet host, 2026-12-02): waiting in epoll_wait after "Attaching" says it
# too, as the line does.
bt_ready() {
	for _ in $(seq 600); do
		grep -q ready "$D/bt.out" 2>/dev/null && return 0
		grep -q Attaching "$D/bt.out" 2>/dev/null &&
			[ "$(cat /proc/$TP/wchan 2>/dev/null)" = do_epoll_wait ] && return 0
		kill -0 $TP 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

tracer_on() {	# nslife binary | bpftrace | slowpath
	if [ "$1" = slowpath ]; then
		slow_enable 1
		return
	elif [ "$1" = bpftrace ]; then
		# a start that dies or hangs: again
		for try in 1 2 3; do
			rm -f "$D/bt.out"
			bpftrace -o "$D/bt.out" tools/bench/nslife-peer.bt >/dev/null 2>"$D/err" &
			TP=$!
			bt_ready && break
			echo "bench-trace: bpftrace not ready (try $try): $(tail -n 2 "$D/err")" >&2
			kill -INT $TP 2>/dev/null; sleep 1; kill -KILL $TP 2>/dev/null
			wait $TP || true; TP=
		done
		[ -n "$TP" ] || { echo "bench-trace: bpftrace did not start" >&2; exit 1; }
	elif [ "$1" = nosys ]; then
		NSLIFE_SYSCALLS=none "$NSLIFE" trace --json >/dev/null 2>"$D/err" &
		TP=$!
		waitfor "$D/err" tracing nslife
	else
		"$1" trace --json >/dev/null 2>"$D/err" &
		TP=$!
		waitfor "$D/err" tracing nslife
	fi
	# both finish their start-up work (nslife's first scan) just after
	sleep "${SETTLE:-1}"
}
tracer_off() {
	if [ -z "$TP" ]; then
		slow_enable 0; LOST=
		return
	fi
	kill -INT $TP; wait $TP || true; TP=
	LOST=$(sed -n 's/.* events, \([0-9]*\) lost$/\1/p' "$D/err")
}

# ratios of "wall cpu" lines in $1 over those in $2, column $3 → "median (min-max)"
stats() {
	paste -d' ' "$1" "$2" | awk -v c=$3 '{ printf "%.4f\n", $c / $(c + 2) }' | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.3f (%.3f-%.3f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

NAMES=("dd bs=1 x$DD" "getpid x$GETPID" "fork+exit x$FORKS" "ns churn x$CHURN (8 types)"
	"open+close x$OPENS")
run_w() {
	case $1 in
	0) measure dd if=/dev/zero of=/dev/null bs=1 count="$DD" ;;
	1) measure $BIN/getpidloop "$GETPID" ;;
	2) measure $BIN/forkexit "$FORKS" ;;
	3) measure $BIN/nschurn "$CHURN" ;;
	4) measure $BIN/getpidloop "$OPENS" open ;;
	esac
}

TRACERS=("$NSLIFE")
[ -n "$NSLIFE_B" ] && TRACERS+=("$NSLIFE_B")
[ "$NOSYS" = 1 ] && TRACERS+=(nosys)
[ "$PEER" = 1 ] && TRACERS+=(bpftrace)
[ "$SLOW" = 1 ] && TRACERS+=(slowpath)
echo "tracer overhead, $(uname -r), $(nproc) cpus, $ROUNDS rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nslife: $("$NSLIFE" features | sed -n 's/strategy: //p') strategy; $("$NSLIFE" features | sed -n 's/^syscalls: //p')"
[ "$PEER" = 1 ] && echo "peer: $(bpftrace --version)"
for r in $(seq "$ROUNDS"); do
	for w in $W; do
		run_w $w >>"$D/base.$w"
		for i in "${!TRACERS[@]}"; do
			tracer_on "${TRACERS[$i]}"
			run_w $w >>"$D/t$i.$w"
			tracer_off
			echo "${LOST:-0}" >>"$D/lost$i.$w"
		done
	done
	echo "round $r done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
printf '%-26s %8s  %-8s %-22s %-22s %s\n' workload "base ms" tracer "wall ratio (spread)" \
	"cpu ratio (spread)" lost
for w in $W; do
	b=$(cut -d' ' -f1 "$D/base.$w" | sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] / 1000 }')
	for i in "${!TRACERS[@]}"; do
		name=nslife
		[ "${TRACERS[$i]}" = bpftrace ] && name=bpftrace
		[ "${TRACERS[$i]}" = slowpath ] && name=slowpath
		[ "${TRACERS[$i]}" = nosys ] && name=nosys
		[ "$i" = 1 ] && [ -n "$NSLIFE_B" ] && name=nslife-B
		lost=-
		[ "$name" = nslife ] || [ "$name" = nslife-B ] || [ "$name" = nosys ] && lost=$(paste -sd+ "$D/lost$i.$w" | bc)
		printf '%-26s %8s  %-8s %-22s %-22s %s\n' "${NAMES[$w]}" "$b" "$name" \
			"$(stats "$D/t$i.$w" "$D/base.$w" 1)" "$(stats "$D/t$i.$w" "$D/base.$w" 2)" "$lost"
	done
done

# BPF run time (ns) of the programs that are in $2 but not in $1 (bpftool
# prog show -j: nslife's, loaded in between), split by where they run
bpf_ns() {	# before.json after.json t0.json t1.json
	jq -n --slurpfile a "$1" --slurpfile b "$2" --slurpfile t0 "$3" --slurpfile t1 "$4" '
		([$a[0][].id]) as $old
		| ($t0[0] | map({key: (.id | tostring), value: (.run_time_ns // 0)}) | from_entries) as $r0
		| [$t1[0][] | select((.id as $i | $old | index($i)) == null)
		   | {name, ns: ((.run_time_ns // 0) - ($r0[.id | tostring] // 0))}]
		| { kworker: (map(select(.name | startswith("tp_workqueue"))) | map(.ns) | add // 0),
		    tracer: (map(select(.name | startswith("poll_live"))) | map(.ns) | add // 0),
		    task: (map(select((.name | startswith("tp_workqueue")) or (.name | startswith("poll_live")) | not))
			   | map(.ns) | add // 0) }
		| "\(.task) \(.kworker) \(.tracer)"' -r
}
if [ "$ACCOUNT" = 1 ]; then
	stats=$(sysctl -n kernel.bpf_stats_enabled)
	trap_stats() { sysctl -qw kernel.bpf_stats_enabled="$stats"; }
	echo "where nslife's CPU goes (one run each, bpf_stats on):"
	for w in $W; do
		bpftool prog show -j >"$D/ids0.json"
		tracer_on "$NSLIFE"
		sysctl -qw kernel.bpf_stats_enabled=1
		bpftool prog show -j >"$D/r0.json"
		k0=$(cpu_ns $TP)
		run_w $w >"$D/acc"
		k1=$(cpu_ns $TP)
		bpftool prog show -j >"$D/r1.json"
		trap_stats
		tracer_off
		set -- $(bpf_ns "$D/ids0.json" "$D/r0.json" "$D/r0.json" "$D/r1.json")
		base=$(cut -d' ' -f2 "$D/base.$w" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
		awk -v n="${NAMES[$w]}" -v b="$base" -v t="$1" -v kw="$2" -v k=$((k1 - k0)) '
			BEGIN { add = t / 1e6 + kw / 1e6 + k / 1e6
				printf "  %-26s +%.1f ms on %.0f ms of CPU (%.1f%%): BPF in its tasks %.1f ms, in kworkers %.1f ms; tracer process %.1f ms\n",
					n, add, b / 1000, add * 100000 / b, t / 1e6, kw / 1e6, k / 1e6 }'
	done
fi
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
