# Sourced by the why/ls integration tests: root check, a per-test temp
# dir, cleanup of everything a test made, and a veth liveness probe: h-X
# stays in our net ns, c-X goes into the target; when the target dies the
# kernel deletes both ends, so `ip link show h-X` tells if it is alive.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KILL=()		# pids to kill on exit
PROBES=()	# veth names to delete on exit
NETNS=()	# ip netns names to delete on exit
UMOUNT=()	# paths to umount -l on exit
FAIL_SHOW=("last nslife output:$T/out")

probe_add() {	# name, netns path
	ip link add "h-$1" type veth peer name "c-$1" netns "$2" || fail "veth $1"
	ip link set "h-$1" up
	PROBES+=("$1")
}
alive() { ip link show "h-$1" >/dev/null 2>&1; }
dead() { ! alive "$1"; }
wait_gone() {	# name: 0 once the target ns is gone (10 s at most)
	wait_for 10 dead "$1"
}
wait_line() {	# file: first line, once the helper printed it
	wait_for 5 test -s "$1" && head -n 1 "$1"
}

# wait_dead ID SPEC: why (by id where the kernel has ids, else by SPEC)
# until the namespace reads dead, 3 s at most; $T/out holds the last answer
reads_dead() {
	if [ "$1" != 0 ]; then why_json "id:$1"; else why_json "$2"; fi
	jq -e '.ns.state == "dead"' "$T/out" >/dev/null
}
wait_dead() {
	wait_for 3 reads_dead "$@"
}

# why_balanced ARGS: why --json until every reference is explained (2 s at
# most): a concurrent scan or probe may hold a transient one
why_balanced() {
	for _ in $(seq 20); do
		why_json "$@"
		jq -e '.refs.unexplained == 0' "$T/out" >/dev/null && return 0
		sleep 0.1
	done
	return 0
}

# nslife why --json ARGS > $T/out, then jq -e FILTER on it
why_json() {
	local rc
	"$NSLIFE" why --json "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] && return 0
	cat "$T/err"
	fail "nslife why $* exited $rc"
}
check() { jq -e "$@" "$T/out" >/dev/null || fail "expected: $*"; }

cleanup_why() {
	local p
	for p in "${KILL[@]}"; do kill -9 "$p" 2>/dev/null; done
	for p in "${KILL[@]}"; do wait "$p" 2>/dev/null; done
	for p in "${UMOUNT[@]}"; do umount -l "$p" 2>/dev/null; done
	for p in "${NETNS[@]}"; do ip netns del "$p" 2>/dev/null; done
	for p in "${PROBES[@]}"; do
		wait_gone "$p" || echo "warning: the ns of probe $p is still alive"
		ip link del "h-$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup_why EXIT
