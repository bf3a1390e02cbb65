#!/bin/bash
# The motivating case: a daemon in a MountFlags=slave mount ns binds the
# container's netns at <run>/netns/c1; a helper it forked into its own
# mount ns keeps a copy of that mount.  The container exits and the
# daemon umounts its copy; the netns lives on.  `nslife why --addr` must
# name the mount, its mount ns, the helper, and how to release it.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
R=$T/s01
mkdir -p "$R/run"
mount -t tmpfs nsl-s01 "$R/run" && UMOUNT+=("$R/run") || fail "tmpfs"
mount --make-shared "$R/run" && mkdir "$R/run/netns"
unshare -m --propagation slave sleep infinity & D=$!; KILL+=($D)
unshare -n sleep infinity & C=$!; KILL+=($C)
wait_exec $D sleep
wait_exec $C sleep
probe_add ns01 /proc/$C/ns/net
nsenter -t $C -n ip addr add 10.2.1.15/24 dev c-ns01 && nsenter -t $C -n ip link set c-ns01 up || fail "addr"
INUM=$(stat -L -c %i /proc/$C/ns/net)
nsenter -t $D -m sh -c "touch $R/run/netns/c1 && mount --bind /proc/$C/ns/net $R/run/netns/c1" || fail "bind"
nsenter -t $D -m unshare -m --propagation unchanged sleep infinity & H=$!; KILL+=($H)
wait_exec $H sleep
HMNT=$(stat -L -c %i /proc/$H/ns/mnt)
kill $C; wait $C 2>/dev/null
nsenter -t $D -m umount "$R/run/netns/c1" || fail "daemon umount"
alive ns01 || fail "setup: the netns died; nothing to explain"
nsenter --net="$R/run/netns/c1" true 2>/dev/null && fail "setup: the file is still mounted here"

why_json --addr 10.2.1.15
# ids come from NS_GET_ID (6.18+, as do nsfs file handles); before it nslife
# reports id 0, and only there may the id be 0
"$HELPERS/nshandle" get /proc/self/ns/net >/dev/null 2>&1
case $? in 0) IDOK='.ns.id > 0' ;; 3) IDOK='.ns.id == 0' ;; *) fail "nshandle get failed" ;; esac
check --argjson i "$INUM" ".ns.type == \"net\" and .ns.inum == \$i and .ns.state == \"alive\" and $IDOK"
M='.holders[] | select(.kind == "mount" and .path == "'"$R/run/netns/c1"'")'
check "[$M] | length == 1"
check --argjson m "$HMNT" "$M | .mntns.inum == \$m"
check --argjson h "$H" "$M | .held_by | any(.kind == \"task\" and .pid == \$h and .comm == \"sleep\")"
check "$M | .release == \"nsenter -t $H -m umount $R/run/netns/c1\""
check '[.holders[] | select(.kind == "task")] | length == 0'

# the text form says the same, and the path works as an NS argument
"$NSLIFE" why "$R/run/netns/c1" >"$T/out" 2>&1 || fail "why PATH"
grep -q "nsfs mount $R/run/netns/c1 in mnt:\[$HMNT\]" "$T/out" || fail "text: mount line"
grep -q "nsenter -t $H -m umount $R/run/netns/c1" "$T/out" || fail "text: release"
grep -q "task pid $H (sleep)" "$T/out" || fail "text: helper"
"$NSLIFE" why --dot --addr 10.2.1.15 >"$T/out" || fail "why --dot"
grep -q '^digraph' "$T/out" || fail "dot"

# releasing as told frees it
nsenter -t $H -m umount "$R/run/netns/c1" || fail "release"
wait_gone ns01 || fail "netns alive after the release nslife printed"
echo ok
