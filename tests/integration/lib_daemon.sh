# Sourced by the daemon integration tests: a private socket under a temp
# dir (never /run/nslife.sock), a daemon started in the background and
# waited for, and cleanup of everything a test made.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SOCK=$T/nslife.sock
export NSLIFE_SOCKET=$SOCK
DPID=
KILL=()		# pids to kill on exit
UMOUNT=()	# paths to umount on exit
FAIL_SHOW=("last output:$T/out" "daemon stderr:$T/daemon.err")

daemon_start() {	# extra nslife daemon args
	: >"$T/daemon.err"
	"$NSLIFE" daemon --socket "$SOCK" "$@" >"$T/daemon.out" 2>>"$T/daemon.err" &
	DPID=$!
	wait_for $START_WAIT started "$T/daemon.err" "daemon serving" $DPID
	has_line "$T/daemon.err" "daemon serving" && return 0
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
	wait_exec $p sleep
	HELD_INUM=$(stat -L -c %i /proc/$p/ns/net)
	touch "$T/bind"
	mount --bind /proc/$p/ns/net "$T/bind" || fail "bind mount"
	UMOUNT+=("$T/bind")
	kill $p; wait $p 2>/dev/null
}
