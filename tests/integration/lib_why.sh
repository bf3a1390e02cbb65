# Sourced by the why/ls integration tests: root check, a per-test temp
# dir, cleanup of everything a test made, and a veth liveness probe: h-X
# stays in our net ns, c-X goes into the target; when the target dies the
# kernel deletes both ends, so `ip link show h-X` tells if it is alive.
set -u
: "${NSLIFE:=$PWD/nslife}"
: "${HELPERS:=$PWD/.output/bin}"
T=$(mktemp -d /tmp/nslife-why.XXXXXX)
KILL=()		# pids to kill on exit
PROBES=()	# veth names to delete on exit
NETNS=()	# ip netns names to delete on exit
UMOUNT=()	# paths to umount -l on exit

need_root() {
	[ "$(id -u)" = 0 ] && return 0
	[ "${CI:-}" = true ] && { echo "not root under CI=true"; exit 1; }
	echo "skipped: needs root"; exit 77
}

fail() {
	echo "FAIL: $*"
	[ -s "$T/out" ] && { echo "--- last nslife output:"; head -c 4000 "$T/out"; }
	exit 1
}

probe_add() {	# name, netns path
	ip link add "h-$1" type veth peer name "c-$1" netns "$2" || fail "veth $1"
	ip link set "h-$1" up
	PROBES+=("$1")
}
alive() { ip link show "h-$1" >/dev/null 2>&1; }
wait_gone() {	# name: 0 once the target ns is gone (10 s at most)
	for _ in $(seq 100); do alive "$1" || return 0; sleep 0.1; done
	return 1
}
wait_line() {	# file: first line, once the helper printed it
	for _ in $(seq 50); do [ -s "$1" ] && { head -n 1 "$1"; return 0; }; sleep 0.1; done
	return 1
}

# wait_dead ID SPEC: why (by id where the kernel has ids, else by SPEC)
# until the namespace reads dead, 3 s at most; $T/out holds the last answer
wait_dead() {
	for _ in $(seq 30); do
		if [ "$1" != 0 ]; then why_json "id:$1"; else why_json "$2"; fi
		jq -e '.ns.state == "dead"' "$T/out" >/dev/null && return 0
		sleep 0.1
	done
	return 1
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
why_json() { "$NSLIFE" why --json "$@" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "nslife why $* exited $?"; }; }
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
