#!/bin/bash
# A stale /run/netns mount after the sandbox process died (CNI DEL never
# ran): a mount holder in our own mount ns; --addr finds the pod IP.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
N=nsl-t07-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add nt07 $N
ip -n $N addr add 10.2.7.15/24 dev c-nt07 && ip -n $N link set c-nt07 up || fail "addr"
ip netns exec $N sleep infinity & P=$!; KILL+=($P)
wait_exec $P sleep
kill -9 $P; wait $P 2>/dev/null
INUM=$(stat -L -c %i /run/netns/$N)
why_json --addr 10.2.7.15
check --argjson i "$INUM" '.ns.inum == $i and .ns.state == "alive" and .ns.nprocs == 0'
check '[.holders[] | select(.kind == "mount" and .path == "/run/netns/'$N'")] | length >= 1'
check '.holders[] | select(.kind == "mount" and .path == "/run/netns/'$N'") | .release == "umount /run/netns/'$N'"'
check '[.holders[] | select(.kind == "task" or .kind == "fd")] | length == 0'
why_json --ifname c-nt07
check --argjson i "$INUM" '.ns.inum == $i'
why_json /run/netns/$N
check --argjson i "$INUM" '.ns.inum == $i'
ip netns del $N
wait_gone nt07 || fail "netns alive after ip netns del"
echo ok
