#!/bin/bash
# Only a non-leader thread is in the netns (setns leak); /proc/PID/ns
# shows the leader's: a task holder with the thread's tid.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
N=nsl-t11-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add nt11 $N
INUM=$(stat -L -c %i /run/netns/$N)
"$HELPERS/nsl_thread" /run/netns/$N >"$T/ready" & P=$!; KILL+=($P)
TID=$(wait_line "$T/ready" | awk '{print $2}') || fail "helper did not start"
ip netns del $N
# (ip netns del has unmounted when it returns: nothing to wait for)
alive nt11 || fail "setup: netns died"
why_json "net:[$INUM]"
check --argjson p "$P" --argjson t "$TID" '.holders | any(.kind == "task" and .pid == $p and .tid == $t and $t != $p)'
check '.ns.nprocs == 0 and .ns.ntasks == 1'
kill $P; wait $P 2>/dev/null
wait_gone nt11 || fail "netns alive after the thread exited"
echo ok
