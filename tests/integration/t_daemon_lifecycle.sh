#!/bin/bash
# The daemon's own life: its recording is flushed within a second and on
# SIGTERM; SIGTERM removes the socket; a second daemon on a live socket
# refuses to start; after kill -9 the stale socket is replaced; a path
# that is not a socket is left alone.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
replay_has() {	# log, inum: a create of that netns was recorded
	"$NSLIFE" replay --json "$1" >"$T/out" 2>"$T/replay.err" || return 1
	jq -e -s --argjson i "$2" 'any(.[]; .event == "create" and .inum == $i)' "$T/out" >/dev/null
}

daemon_start -o "$T/log"
[ "$(stat -c %a "$T/log")" = 600 ] || fail "log mode $(stat -c %a "$T/log")"
I1=$(unshare -n stat -L -c %i /proc/self/ns/net)
# flushed at least once a second: there within a few
wait_for 5 replay_has "$T/log" "$I1" || fail "a running daemon's log lacks an event 5 s old"

# a live daemon keeps its socket: the second one refuses, the first serves on
"$NSLIFE" daemon --socket "$SOCK" >/dev/null 2>"$T/second.err"
rc=$?
[ $rc -ne 0 ] || fail "a second daemon started on a live socket"
grep -q "another daemon (pid $DPID) is serving $SOCK" "$T/second.err" ||
	fail "second daemon said: $(cat "$T/second.err")"
"$NSLIFE" ls -n >/dev/null 2>"$T/err" || fail "the first daemon stopped serving: $(cat "$T/err")"

# a crash leaves the socket file: the next daemon replaces it
kill -9 $DPID; wait $DPID 2>/dev/null; DPID=
[ -S "$SOCK" ] || fail "no socket file left after kill -9 (test premise)"
replay_has "$T/log" "$I1" || fail "the log after kill -9 lost the flushed event"
daemon_start -o "$T/log2"
grep -q "replacing the stale socket $SOCK" "$T/daemon.err" || fail "stale socket not reported"
"$NSLIFE" ls -n >/dev/null 2>"$T/err" || fail "no answer after replacing the stale socket"

# SIGTERM: the socket goes, the last events reach the log
I2=$(unshare -n stat -L -c %i /proc/self/ns/net)
# the daemon has read it (its history has it), so SIGTERM must flush it
known() { "$NSLIFE" timeline "net:[$I2]" >/dev/null 2>&1; }
wait_for 5 known || fail "the daemon never saw net:[$I2]"
daemon_stop
[ -e "$SOCK" ] && fail "the socket is still there after SIGTERM"
grep -q "daemon stopped: " "$T/daemon.err" || fail "no summary line"
replay_has "$T/log2" "$I2" || fail "the last event before SIGTERM is not in the log"
[ -s "$T/replay.err" ] && fail "the log has damage: $(cat "$T/replay.err")"

# not a socket: never removed
echo keep >"$SOCK"
"$NSLIFE" daemon --socket "$SOCK" >/dev/null 2>"$T/err" && fail "started over a regular file"
grep -q "exists and is not a socket" "$T/err" || fail "said: $(cat "$T/err")"
[ "$(cat "$SOCK")" = keep ] || fail "the regular file was touched"
echo "log flushed live and on SIGTERM; socket removed; live socket kept; stale replaced"
