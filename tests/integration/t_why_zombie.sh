#!/bin/bash
# A zombie keeps its pid namespace: the only process of a pid ns exits,
# and its parent (stopped) cannot reap it.  why names the zombie, with the
# parent that must reap it; once reaped, the pid ns dies.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
unshare -p -f sh -c 'readlink /proc/self/ns/pid > '"$T"'/pidns; sleep 0.5' & U=$!; KILL+=($U)
wait_for 3 test -s $T/pidns
kill -STOP $U
C=$(cat /proc/$U/task/$U/children 2>/dev/null | tr -d ' ')
[ -n "$C" ] || fail "setup: no child of unshare"
zombie() { [ "$(awk '{print $3}' /proc/$C/stat 2>/dev/null)" = Z ]; }
wait_for 5 zombie
[ "$(awk '{print $3}' /proc/$C/stat)" = Z ] || fail "setup: child $C is not a zombie"
INUM=$(sed 's/[^0-9]//g' $T/pidns)
why_json "pid:[$INUM]"
check '.ns.state == "alive"'
check --argjson c $C --argjson u $U \
	'[.holders[] | select(.kind == "task" and .pid == $c and .zombie == true and (.release | test("parent \($u) must reap")))] | length == 1'
ID=$(jq .ns.id $T/out)
kill -CONT $U; wait $U
wait_dead "$ID" "pid:[$INUM]"
check '.ns.state == "dead"'
echo ok
