#!/bin/bash
# `ip netns del` while a process is still inside: a task holder.  The
# sysfs that `ip netns exec` mounts in its mount ns is not a holder.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
N=nsl-t06-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add nt06 $N
ip netns exec $N sleep infinity & P=$!; KILL+=($P)
wait_exec $P sleep
INUM=$(stat -L -c %i /proc/$P/ns/net)
ip netns del $N || fail "ip netns del"
# (ip netns del has unmounted when it returns: nothing to wait for)
alive nt06 || fail "setup: netns died"
why_json "net:[$INUM]"
check --argjson i "$INUM" '.ns.inum == $i and .ns.state == "alive" and .ns.nprocs == 1'
check --argjson p "$P" '.holders | any(.kind == "task" and .pid == $p and .tid == $p and .comm == "sleep" and .release == "kill \($p)")'
check '[.holders[] | select(.kind != "task")] | length == 0'
# the other spellings name the same namespace
for spec in "net:$INUM" "$INUM" "/proc/$P/ns/net"; do
	why_json "$spec"
	check --argjson i "$INUM" '.ns.inum == $i'
done
why_json -p $P -t net
check --argjson i "$INUM" '.ns.inum == $i'
kill $P; wait $P 2>/dev/null
wait_gone nt06 || fail "netns alive after its process exited"
echo ok
