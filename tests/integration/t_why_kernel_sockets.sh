#!/bin/bash
# A net ns that no task, fd, mount or socket of any process holds gets a
# kernel holder, and its detail counts the sockets the ns itself has
# (sock_diag from inside it): three sockets in flight in a unix socket
# queue of another net ns (TCP listener, bound UDP, unix), then only an
# nsfs fd in flight (no socket at all).  Naming such a ns needs nsfs file
# handles (6.18+).
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
sleep 0.3
alive nksk || fail "setup: the netns died with its sockets in flight"
why_json net:$INUM
check '[.holders[] | select(.kind != "kernel")] | length == 0'
# 6.19+: sockets are no active reference, so nsfs will not open the ns and
# nslife cannot enter it to count its sockets: inactive, never dead
if jq -e '.ns.state == "inactive"' $T/out >/dev/null; then
	echo "inactive on $(uname -r): its sockets are not counted"
else
	check '.ns.state == "alive"'
	check --arg re "it has 1 TCP socket \\(LISTEN 0\\.0\\.0\\.0:$TPORT\\), 1 UDP, 1 unix: orphaned sockets" \
		'[.holders[] | select(.kind == "kernel" and (.detail | test($re)))] | length == 1'
	"$NSLIFE" why net:$INUM >$T/out 2>/dev/null || fail "why (text)"
	grep -q "kernel: .*1 TCP socket (LISTEN 0.0.0.0:$TPORT), 1 UDP, 1 unix" $T/out || fail "text: no socket counts"
fi
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
sleep 0.3
alive nkfd || fail "setup: the netns died with its fd in flight"
why_json net:$INUM
check '[.holders[] | select(.kind == "kernel" and (.detail | test("has no socket sock_diag lists: an fd in flight")))] | length == 1'
kill -9 $H; wait $H 2>/dev/null
wait_gone nkfd || fail "netns alive after the fd in flight was freed"
echo ok
