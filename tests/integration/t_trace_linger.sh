#!/bin/bash
# Lingering: a netns whose only task exits while a bind mount still holds
# it is flagged `lingering` after the grace period, naming the mount; the
# umount is attributed to it; when the mount goes the flag is cleared and
# the namespace freed.  A namespace that dies with its task never lingers.
. "$(dirname "$0")/lib_trace.sh"
need_root
cleanup() { umount "$TMP/bind" 2>/dev/null; cleanup_trace; }
trap cleanup EXIT
trace_start --grace 1
unshare -n sleep 30 & HELD=$!
unshare -n sleep 30 & FREE=$!
wait_exec $HELD sleep
wait_exec $FREE sleep
held_ino=$(stat -L -c %i /proc/$HELD/ns/net)
free_ino=$(stat -L -c %i /proc/$FREE/ns/net)
touch "$TMP/bind"
mount --bind /proc/$HELD/ns/net "$TMP/bind"
kill $HELD $FREE
wait $HELD $FREE 2>/dev/null
seen() {	# event inum: the trace printed it
	ev -e --arg e "$1" --argjson i "$2" 'any(.[]; .event == $e and .inum == $i)' >/dev/null 2>&1
}
# flagged after the 1 s grace; the other one freed meanwhile
wait_for 10 seen lingering $held_ino || fail "no lingering event within 10 s"
wait_for 10 seen free $free_ino
umount "$TMP/bind"
wait_for 10 seen free $held_ino
trace_stop

id=$(ev -r --argjson i $held_ino --argjson p $HELD \
	'.[] | select(.event=="create" and .inum==$i and .member==$p) | .id')
[ -n "$id" ] || fail "no create for the held netns"
ev -e --argjson id $id --arg b "$TMP/bind" \
	'any(.[]; .event=="lingering" and .id==$id and any(.holders[]; .kind=="mount" and .path==$b))' \
	>/dev/null || fail "no lingering event naming the mount $TMP/bind"
# the grace period was respected: lingering ≥ 1 s after the exit
exit_ts=$(ev --argjson id $id '[.[] | select(.event=="leave" and .how=="exit" and .id==$id)][0].ts')
linger_ts=$(ev --argjson id $id '[.[] | select(.event=="lingering" and .id==$id)][0].ts')
[ $((linger_ts - exit_ts)) -ge 1000000000 ] || fail "flagged $(( (linger_ts - exit_ts) / 1000000 )) ms after the exit"
ev -e --argjson id $id --arg b "$TMP/bind" \
	'any(.[]; .event=="umount" and .id==$id and .type=="net" and .path==$b)' \
	>/dev/null || fail "the umount was not attributed to the netns"
order=$(ev -r --argjson id $id '[.[] | select(.id==$id and (.event=="lingering" or .event=="unlingering" or .event=="free")) | .event] | join(",")')
[ "$order" = "lingering,unlingering,free" ] || fail "order: $order"
fid=$(ev -r --argjson i $free_ino --argjson p $FREE \
	'.[] | select(.event=="create" and .inum==$i and .member==$p) | .id')
ev -e --argjson id $fid 'all(.[]; .event!="lingering" or .id!=$id)' >/dev/null ||
	fail "a namespace that died with its task was flagged lingering"
ev -e --argjson id $fid 'any(.[]; .event=="free" and .id==$id)' >/dev/null ||
	fail "the unheld netns was never freed"
echo "lingering flagged with its mount holder, then cleared and freed"
