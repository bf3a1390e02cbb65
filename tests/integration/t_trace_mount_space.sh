#!/bin/bash
# A net namespace that, when trace starts, is held only by an nsfs bind
# mount under a path with a space (mountinfo writes it "a\040b") is known
# from the start: its umount and its free are reported with its id.
. "$(dirname "$0")/lib_trace.sh"
need_root
M="$TMP/a b/net"
cleanup() {
	umount -l "$M" 2>/dev/null
	cleanup_trace
}
trap cleanup EXIT
mkdir "$TMP/a b" && touch "$M" || fail "mkdir"
unshare --net="$M" true || fail "unshare --net=PATH"
INUM=$(stat -L -c %i "$M")
trace_start -t net
umount -l "$M"
for _ in $(seq 100); do
	grep -q "\"event\":\"free\",.*\"inum\":$INUM," "$TMP/trace.json" && break
	sleep 0.1
done
trace_stop
[ "$(ev -r --argjson i "$INUM" '.[] | select(.event=="umount" and .inum==$i) | .path')" = "$M" ] ||
	fail "no umount event for net:[$INUM] at '$M'"
[ -n "$(ev -r --argjson i "$INUM" '.[] | select(.event=="free" and .inum==$i) | .id')" ] ||
	fail "net:[$INUM], held by '$M' when trace began, was never reported freed"
echo "net:[$INUM] under '$M': umount and free reported"
