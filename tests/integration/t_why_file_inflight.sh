#!/bin/bash
# file holder in flight: a net ns held only by its nsfs fd in flight in a
# unix socket's receive queue (SCM_RIGHTS), all other fds closed.  why
# names the socket and the process holding it (BPF unix iterator walking
# the queue's scm_fp_lists), the reference count is fully explained, and
# killing that process (the socket goes, the file with it) ends the ns.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
N=nsl-fl-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add fl$$ $N
INUM=$(stat -L -c %i /run/netns/$N)
"$HELPERS/nsinflight" /run/netns/$N > $T/inflight & H=$!; KILL+=($H)
wait_line $T/inflight >/dev/null || fail "nsinflight did not start"
ip netns del $N
alive fl$$ || fail "setup: the netns died with its fd in flight"
why_balanced net:$INUM
check '.ns.state == "alive" and .ns.nprocs == 0'
check --argjson h $H '[.holders[] | select(.kind == "file" and .what == "nsfs" and .in_flight.socket > 0 and .pid == $h and .fd > 0)] | length == 1'
check '.holders[] | select(.kind == "file") | .release | test("receive it from socket:")'
check '[.holders[] | select(.kind == "kernel" or .kind == "task" or .kind == "socket" or .kind == "mount")] | length == 0'
check '.refs.exact and .refs.unexplained == 0 and .refs.count == .refs.explained'
ID=$(jq .ns.id $T/out)
kill -9 $H; wait $H 2>/dev/null
wait_gone fl$$ || fail "netns alive after the socket holding its fd closed"
wait_dead "$ID" net:$INUM || fail "why still finds net:[$INUM]"
echo ok
