# Sourced by the daemon integration tests: a private socket under a temp
# dir (never /run/nslife.sock), a daemon started in the background and
# waited for, and cleanup of everything a test made.
set -u
: "${NSLIFE:=$PWD/nslife}"
: "${HELPERS:=$PWD/.output/bin}"
T=$(mktemp -d /tmp/nslife-daemon.XXXXXX)
SOCK=$T/nslife.sock
export NSLIFE_SOCKET=$SOCK
DPID=
KILL=()		# pids to kill on exit
UMOUNT=()	# paths to umount on exit

need_root() {
	[ "$(id -u)" = 0 ] && return 0
	[ "${CI:-}" = true ] && { echo "not root under CI=true"; exit 1; }
	echo "skipped: needs root"; exit 77
}

fail() {
	echo "FAIL: $*"
	[ -s "$T/out" ] && { echo "--- last output:"; head -c 3000 "$T/out"; }
	[ -s "$T/daemon.err" ] && { echo "--- daemon stderr:"; tail -n 20 "$T/daemon.err"; }
	exit 1
}

daemon_start() {	# extra nslife daemon args
	: >"$T/daemon.err"
	"$NSLIFE" daemon --socket "$SOCK" "$@" >"$T/daemon.out" 2>>"$T/daemon.err" &
	DPID=$!
	for _ in $(seq 150); do
		grep -q "daemon serving" "$T/daemon.err" 2>/dev/null && return 0
		kill -0 $DPID 2>/dev/null || break
		sleep 0.1
	done
	cat "$T/daemon.err"
	fail "nslife daemon did not start"
}

daemon_stop() {	# SIGTERM, and it must exit 0
	[ -n "$DPID" ] || return 0
	kill -TERM $DPID 2>/dev/null
	wait $DPID
	local rc=$?
	DPID=
	[ $rc -eq 0 ] || fail "nslife daemon exited $rc"
}

cleanup_daemon() {
	local p
	[ -n "$DPID" ] && { kill -TERM $DPID 2>/dev/null; wait $DPID; }
	for p in "${KILL[@]}"; do kill -9 "$p" 2>/dev/null; done
	for p in "${KILL[@]}"; do wait "$p" 2>/dev/null; done
	for p in "${UMOUNT[@]}"; do umount -l "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup_daemon EXIT

# a net namespace whose only process has exited, held by a bind mount at
# $T/bind; sets HELD_INUM
make_held_netns() {
	local p
	unshare -n sleep 60 & p=$!
	KILL+=($p)
	for _ in $(seq 50); do
		[ "$(stat -L -c %i /proc/$p/ns/net 2>/dev/null)" != "$(stat -L -c %i /proc/self/ns/net)" ] && break
		sleep 0.05
	done
	HELD_INUM=$(stat -L -c %i /proc/$p/ns/net)
	touch "$T/bind"
	mount --bind /proc/$p/ns/net "$T/bind" || fail "bind mount"
	UMOUNT+=("$T/bind")
	kill $p; wait $p 2>/dev/null
}
