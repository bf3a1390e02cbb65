#!/bin/bash
# The holder classes beyond the scenario tests:
#  - child: a user ns held by a net ns it owns (the net ns kept by a mount);
#  - cred: a user ns held by the credentials of a task inside it;
#  - file in flight: a net ns held only by its nsfs fd in flight in a unix
#    socket queue, which no /proc file shows: named with the socket and the
#    process holding it (BPF unix iterator), not called dead.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
touch $T/netb

# child: unshare -U -n makes a user ns and a net ns it owns
unshare -U -r -n sleep infinity & P=$!; KILL+=($P)
wait_exec $P sleep
UINO=$(stat -L -c %i /proc/$P/ns/user)
NINO=$(stat -L -c %i /proc/$P/ns/net)
why_json user:$UINO
# cred: the task in it, through its credentials
check --argjson p $P '[.holders[] | select(.kind == "cred" and .pid == $p)] | length >= 1'
check --argjson n $NINO '[.holders[] | select(.kind == "child" and .type == "net" and .inum == $n)] | length == 1'
mount --bind /proc/$P/ns/net $T/netb && UMOUNT+=($T/netb) || fail "bind"
kill -9 $P; wait $P 2>/dev/null
why_json user:$UINO
check '.ns.state == "alive"'
check '[.holders[] | select(.kind == "cred" or .kind == "task")] | length == 0'
check --argjson n $NINO '[.holders[] | select(.kind == "child" and .type == "net" and .inum == $n)] | length == 1'
umount $T/netb

# in flight: only a file in flight holds the netns.  Before 6.18 (no nsfs
# file handles) nothing in user space can name a namespace that nothing
# visible holds: that part needs them.
"$HELPERS/nshandle" get /proc/self/ns/net >/dev/null 2>&1
case $? in
0) ;;
3) echo "ok (kernel holder not checked: no nsfs file handles on $(uname -r))"; exit 0 ;;
*) fail "nshandle get failed" ;;
esac
N=nsl-inf-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add ninf $N
INUM=$(stat -L -c %i /run/netns/$N)
"$HELPERS/nsinflight" /run/netns/$N > $T/inflight & H=$!; KILL+=($H)
wait_line $T/inflight >/dev/null || fail "nsinflight did not start"
ip netns del $N
# (ip netns del has unmounted when it returns: nothing to wait for)
alive ninf || fail "setup: the netns died with its fd in flight"
why_json net:$INUM
check '.ns.state == "alive"'
check --argjson h $H '[.holders[] | select(.kind == "file" and .what == "nsfs" and .in_flight.socket > 0 and .pid == $h)] | length == 1'
check '[.holders[] | select(.kind == "kernel" or .kind == "task" or .kind == "socket")] | length == 0'
kill -9 $H; wait $H 2>/dev/null
wait_gone ninf || fail "netns alive after the socket holding its fd closed"
echo ok
