#!/bin/bash
# A netns fd inherited without O_CLOEXEC by an unrelated child, opened
# through a mount since detached: it reads back as "/", still an fd holder.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
N=nsl-t08-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add nt08 $N
INUM=$(stat -L -c %i /run/netns/$N)
sleep infinity 7</run/netns/$N & P=$!; KILL+=($P)
wait_exec $P sleep
ip netns del $N
# (ip netns del has unmounted when it returns: nothing to wait for)
alive nt08 || fail "setup: netns died"
[ "$(readlink /proc/$P/fd/7)" = / ] || fail "setup: fd 7 does not read as /"
why_json "net:[$INUM]"
check --argjson p "$P" '.holders | any(.kind == "fd" and .pid == $p and .fd == 7 and .comm == "sleep")'
check '[.holders[] | select(.kind != "fd")] | length == 0'
check '.holders[0].release | test("close fd 7 in")'
kill $P; wait $P 2>/dev/null
wait_gone nt08 || fail "netns alive after the fd holder exited"
echo ok
