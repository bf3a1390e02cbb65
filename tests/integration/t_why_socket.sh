#!/bin/bash
# A socket made inside the netns, owned by a process that lives in ours:
# a socket holder (pidfd_getfd + SIOCGSKNS), not a task.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
N=nsl-t09-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add nt09 $N
INUM=$(stat -L -c %i /run/netns/$N)
"$HELPERS/nsl_holdsock" /run/netns/$N >"$T/ready" & P=$!; KILL+=($P)
FD=$(wait_line "$T/ready" | awk '{print $2}') || fail "helper did not start"
ip netns del $N
# (ip netns del has unmounted when it returns: nothing to wait for)
alive nt09 || fail "setup: netns died"
[ "$(readlink /proc/$P/ns/net)" = "$(readlink /proc/self/ns/net)" ] || fail "setup: helper not in our netns"
why_json "net:[$INUM]"
check --argjson p "$P" --argjson f "$FD" '.holders | any(.kind == "socket" and .pid == $p and .fd == $f and .comm == "nsl_holdsock")'
check '[.holders[] | select(.kind == "task" or .kind == "fd" or .kind == "mount")] | length == 0'
kill $P; wait $P 2>/dev/null
wait_gone nt09 || fail "netns alive after the socket owner exited"
echo ok
