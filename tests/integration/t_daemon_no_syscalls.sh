#!/bin/bash
# A daemon with NSLIFE_SYSCALLS=none (no syscall hook) still answers why
# in full: a net ns made after it started and held by a bind mount is
# named with its holder.  Its history never claims what nslife did not
# see: outside precise mode unshare's create is not followed, so it says
# "creation not seen" (before 6.18, without ids to match: "created before
# nslife started, or its creation was not seen"), never "created before
# nslife started" alone (JSON: created_before_start null, not true); the
# host's net ns, in the daemon's first scan, is true (6.18+).
. "$(dirname "$0")/lib_daemon.sh"
need_root
export NSLIFE_SYSCALLS=none
daemon_start
make_held_netns
hist() {
	"$NSLIFE" why "net:[$HELD_INUM]" >"$T/out" 2>&1 &&
		grep -q '^history: creat' "$T/out"
}
wait_for 10 hist || fail "no history for net:[$HELD_INUM]"
grep -q "nsfs mount $T/bind" "$T/out" || fail "the bind mount holder is not named"
grep -q '^history: created before nslife started;' "$T/out" &&
	fail "a namespace made after the daemon started is said to predate it"
grep -q '^history: \(created by pid\|creation not seen\|created before nslife started, or its creation was not seen\)' "$T/out" ||
	fail "history: $(grep '^history' "$T/out")"
"$NSLIFE" why --json "net:[$HELD_INUM]" >"$T/out" || fail "why --json failed"
jq -e '.history.created_before_start != true' "$T/out" >/dev/null ||
	fail "created_before_start: $(jq -c .history "$T/out")"
# the host's: true where the first scan has ids to match (6.18+), else
# unknown (null), never false
"$NSLIFE" why --json "net:[$(stat -L -c %i /proc/self/ns/net)]" >"$T/out" || fail "why --json (host) failed"
want=true
[ "$(jq '.ns.id' "$T/out")" = 0 ] && want=null
jq -e ".history.created_before_start == $want" "$T/out" >/dev/null ||
	fail "the host's net ns: created_before_start $(jq -c .history.created_before_start "$T/out"), not $want"
daemon_stop
echo "NSLIFE_SYSCALLS=none daemon: holder named, creation not claimed"
