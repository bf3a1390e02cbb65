#!/bin/bash
# A net ns that no task, fd, mount or socket of any process holds: three
# of its sockets in flight in a unix socket queue of another net ns (TCP
# listener, bound UDP, unix), then only an nsfs fd in flight.  The BPF
# unix iterator names each file in flight with the queueing socket and
# the process holding it; the reference count is all explained; no
# kernel holder is left.  (A kernel holder counting the ns's sockets by
# sock_diag remains for sockets no file refers to: orphaned TCP.)
# Naming such a ns before 6.18 (no nsfs file handles) is still skipped.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
"$HELPERS/nshandle" get /proc/self/ns/net >/dev/null 2>&1
case $? in
0) ;;
3) echo "skipped: no nsfs file handles on $(uname -r): nothing names a net ns no holder shows"; exit 77 ;;
*) fail "nshandle get failed" ;;
esac

# sockets in flight
N=nsl-ksk-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add nksk $N
INUM=$(stat -L -c %i /run/netns/$N)
"$HELPERS/nsl_sockflight" /run/netns/$N >$T/ready & H=$!; KILL+=($H)
read -r _ TPORT _ < <(wait_line $T/ready) || fail "nsl_sockflight did not start"
[ -n "$TPORT" ] || fail "nsl_sockflight did not start"
ip netns del $N
# (ip netns del has unmounted when it returns: nothing to wait for)
alive nksk || fail "setup: the netns died with its sockets in flight"
why_balanced net:$INUM
# 6.19+: sockets are no active reference (the ns may read "inactive"),
# never dead; either way the files in flight are named
check '.ns.state == "alive" or .ns.state == "inactive"'
check '[.holders[] | select(.kind == "kernel" or .kind == "task" or .kind == "socket")] | length == 0'
check --argjson h $H '[.holders[] | select(.kind == "file" and .what == "socket" and .in_flight.socket > 0 and .pid == $h)] | length == 3'
check '.refs.exact and .refs.unexplained == 0 and .refs.by.socket == 3'
"$NSLIFE" why net:$INUM >$T/out 2>/dev/null || fail "why (text)"
[ "$(grep -c "file in flight (SCM_RIGHTS) in the queue of unix socket socket:\[[0-9]*\], fd [0-9]* in pid $H (nsl_sockflight): socket" $T/out)" = 3 ] ||
	fail "text: not 3 sockets in flight"
# the sockets were what kept it
kill -9 $H; wait $H 2>/dev/null
wait_gone nksk || fail "netns alive after its sockets in flight were freed"

# an nsfs fd in flight: the ns has no socket of its own
N=nsl-kfd-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
probe_add nkfd $N
INUM=$(stat -L -c %i /run/netns/$N)
"$HELPERS/nsinflight" /run/netns/$N >$T/inflight & H=$!; KILL+=($H)
wait_line $T/inflight >/dev/null || fail "nsinflight did not start"
ip netns del $N
# (ip netns del has unmounted when it returns: nothing to wait for)
alive nkfd || fail "setup: the netns died with its fd in flight"
why_json net:$INUM
check --argjson h $H '[.holders[] | select(.kind == "file" and .what == "nsfs" and .in_flight.socket > 0 and .pid == $h)] | length == 1'
check '[.holders[] | select(.kind == "kernel")] | length == 0'
kill -9 $H; wait $H 2>/dev/null
wait_gone nkfd || fail "netns alive after the fd in flight was freed"
echo ok
